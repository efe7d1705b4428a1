// Required agents for service targets (Erlang C, or Erlang A when a patience is
// given), scheduled agents with shrinkage, and the staffing of a whole series of
// intervals (a day, a week) as input for shift scheduling.
import {
  erlangAMetrics,
  erlangBValue,
  erlangCMetrics,
  type QueueMetrics,
  readTraffic,
  SERVICE_LEVEL_DEFINITIONS,
  type ServiceLevelDefinition,
} from './erlang.ts';
import { checkNumber, checkObject, describe, IssueList, WfmError } from './wfm.errors.ts';

/** Targets shared by a single queue and a series of intervals. At least one is required. */
export type StaffingTargets = {
  /** Mean patience (exponential) in seconds: staff with Erlang A. Omitted or Infinity: Erlang C. */
  patienceSeconds?: number;
  /** Minimum service level, e.g. 0.8 for 80 % within `thresholdSeconds`. */
  targetServiceLevel?: number;
  /** T of the service level; default 20 s. */
  thresholdSeconds?: number;
  /** Which service level the target applies to; default `answered_within`. */
  serviceLevelDefinition?: ServiceLevelDefinition;
  /** Maximum ASA (mean wait of answered contacts) in seconds. */
  targetAsaSeconds?: number;
  /** Maximum abandonment probability (Erlang A only), e.g. 0.05. */
  maxAbandonRate?: number;
  /** Maximum occupancy, e.g. 0.85 to protect agents from burn-out. */
  maxOccupancy?: number;
  /** Share of paid time not available for contacts (breaks, training, absence), in [0, 1). */
  shrinkage?: number;
  /** Upper end of the search; default max(100, 10 × traffic + 100). */
  maxAgents?: number;
};

export type RequiredAgentsOptions = {
  calls?: number;
  intervalSeconds?: number;
  trafficErlangs?: number;
  ahtSeconds: number;
} & StaffingTargets;

export type StaffingTarget = 'service_level' | 'asa' | 'abandon' | 'occupancy';

export type RequiredAgentsResult = {
  model: 'erlang-c' | 'erlang-a';
  /** Fewest agents on the phones that meet every target. */
  agents: number;
  /** Agents to schedule so that `agents` remain after shrinkage: ceil(agents / (1 − shrinkage)). */
  scheduledAgents: number;
  shrinkage: number;
  /** The target that needs the most agents (the one that decided `agents`). */
  bindingTarget: StaffingTarget;
  /** Queue measures with `agents` agents. */
  metrics: QueueMetrics;
};

/** ceil(agents / (1 − shrinkage)), immune to 14 / 0.7 = 20.000000000000004. */
export function scheduledAgents(options: { agents: number; shrinkage: number }): number {
  const issues = new IssueList();
  if (!checkObject(issues, '(options)', options)) issues.throwIfAny();
  const agents = checkNumber(issues, 'agents', options.agents, { min: 0 });
  const shrinkage = checkNumber(issues, 'shrinkage', options.shrinkage, {
    min: 0,
    max: 1,
    maxExclusive: true,
  });
  issues.throwIfAny();
  return withShrinkage(agents, shrinkage);
}

function withShrinkage(agents: number, shrinkage: number): number {
  const exact = agents / (1 - shrinkage);
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) <= 1e-9 * Math.max(1, exact) ? nearest : Math.ceil(exact);
}

type Targets = {
  patience: number;
  serviceLevel: number | null;
  threshold: number;
  definition: ServiceLevelDefinition;
  asa: number | null;
  abandon: number | null;
  occupancy: number | null;
  shrinkage: number;
  maxAgents: number | null;
};

function readTargets(
  issues: IssueList,
  input: Record<string, unknown>,
  intervalSeconds: number | null,
): Targets {
  const patience =
    input.patienceSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : checkNumber(issues, 'patienceSeconds', input.patienceSeconds, {
          min: 0,
          minExclusive: true,
          allowInfinity: true,
        });
  const optional = (field: string, rule: Parameters<typeof checkNumber>[3]) =>
    input[field] === undefined ? null : checkNumber(issues, field, input[field], rule);
  const serviceLevel = optional('targetServiceLevel', {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  const threshold = input.thresholdSeconds === undefined ? 20 : optional('thresholdSeconds', { min: 0 })!;
  if (intervalSeconds !== null && threshold > intervalSeconds) {
    issues.add('thresholdSeconds', `must not exceed the interval (${intervalSeconds} s), got ${threshold}`);
  }
  let definition: ServiceLevelDefinition = 'answered_within';
  if (input.serviceLevelDefinition !== undefined) {
    if (SERVICE_LEVEL_DEFINITIONS.includes(input.serviceLevelDefinition as ServiceLevelDefinition)) {
      definition = input.serviceLevelDefinition as ServiceLevelDefinition;
    } else {
      issues.add(
        'serviceLevelDefinition',
        `must be one of ${SERVICE_LEVEL_DEFINITIONS.join(', ')}, got ${describe(input.serviceLevelDefinition)}`,
      );
    }
  }
  const asa = optional('targetAsaSeconds', { min: 0, minExclusive: true });
  const abandon = optional('maxAbandonRate', { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const occupancy = optional('maxOccupancy', { min: 0, max: 1, minExclusive: true });
  const shrinkage = optional('shrinkage', { min: 0, max: 1, maxExclusive: true }) ?? 0;
  const maxAgents = optional('maxAgents', { min: 1, integer: true });
  if (serviceLevel === null && asa === null && abandon === null && occupancy === null) {
    issues.add(
      'targetServiceLevel',
      'give at least one target: targetServiceLevel, targetAsaSeconds, maxAbandonRate or maxOccupancy',
    );
  }
  if (abandon !== null && patience === Number.POSITIVE_INFINITY) {
    issues.add('maxAbandonRate', 'needs patienceSeconds: without abandonment (Erlang C) nobody abandons');
  }
  return { patience, serviceLevel, threshold, definition, asa, abandon, occupancy, shrinkage, maxAgents };
}

/**
 * Fewest agents meeting every target, for one queue in one interval. Erlang A when
 * `patienceSeconds` is finite (then the answer may be below the offered load, when
 * abandonment alone keeps the targets), Erlang C otherwise.
 */
export function requiredAgents(options: RequiredAgentsOptions): RequiredAgentsResult {
  const issues = new IssueList();
  if (!checkObject(issues, '(options)', options)) issues.throwIfAny();
  const input = options as Record<string, unknown>;
  const traffic = readTraffic(issues, input, true);
  const targets = readTargets(issues, input, traffic.intervalSeconds);
  issues.throwIfAny();
  return solveStaffing(traffic.trafficErlangs, traffic.ahtSeconds, targets, null);
}

function evaluate(a: number, aht: number, t: Targets, n: number, withWaits: boolean): QueueMetrics {
  return t.patience === Number.POSITIVE_INFINITY
    ? erlangCMetrics(a, aht, n, t.threshold, withWaits)
    : erlangAMetrics(a, aht, t.patience, n, t.threshold, withWaits);
}

function meets(m: QueueMetrics, t: Targets, target: StaffingTarget): boolean {
  if (!m.stable) return false;
  switch (target) {
    case 'service_level':
      return m.serviceLevels[t.definition] >= t.serviceLevel!;
    case 'asa':
      return m.asaSeconds !== null && m.asaSeconds <= t.asa!;
    case 'abandon':
      return m.probabilityOfAbandon <= t.abandon!;
    case 'occupancy':
      return m.occupancy <= t.occupancy! * (1 + 1e-12);
  }
}

function solveStaffing(a: number, aht: number, t: Targets, hint: number | null): RequiredAgentsResult {
  const model = t.patience === Number.POSITIVE_INFINITY ? 'erlang-c' : 'erlang-a';
  const active: StaffingTarget[] = [];
  if (t.serviceLevel !== null) active.push('service_level');
  if (t.asa !== null) active.push('asa');
  if (t.abandon !== null) active.push('abandon');
  if (t.occupancy !== null) active.push('occupancy');
  if (a === 0) {
    const metrics = evaluate(a, aht, t, 0, true);
    return {
      model,
      agents: 0,
      scheduledAgents: 0,
      shrinkage: t.shrinkage,
      bindingTarget: active[0]!,
      metrics,
    };
  }
  const maxAgents = t.maxAgents ?? Math.max(100, Math.ceil(10 * a) + 100);
  // Erlang C needs more agents than Erlangs; with abandonment any number can be stable.
  const lowest = model === 'erlang-c' ? Math.floor(a) + 1 : 1;
  let guess = hint ?? initialGuess(a, t);
  let agents = lowest;
  let binding = active[0]!;
  for (const target of active) {
    const withWaits = target === 'asa';
    const ok = (n: number) => meets(evaluate(a, aht, t, n, withWaits), t, target);
    guess = Math.min(maxAgents, Math.max(guess, agents));
    const found = smallestSatisfying(ok, agents, guess, maxAgents);
    if (found === null) throw noSolution(target, maxAgents);
    if (found > agents || target === active[0]) binding = target;
    agents = found;
  }
  // Each target is monotone in the agents, so the largest requirement meets them all;
  // verify, and step up if some target is not monotone after all.
  let metrics = evaluate(a, aht, t, agents, true);
  while (!active.every((target) => meets(metrics, t, target))) {
    agents++;
    if (agents > maxAgents) throw noSolution(binding, maxAgents);
    metrics = evaluate(a, aht, t, agents, true);
  }
  return {
    model,
    agents,
    scheduledAgents: withShrinkage(agents, t.shrinkage),
    shrinkage: t.shrinkage,
    bindingTarget: binding,
    metrics,
  };
}

function noSolution(target: StaffingTarget, maxAgents: number): WfmError {
  return new WfmError('WFM_NO_SOLUTION', [
    { field: targetField(target), message: `not reachable with up to ${maxAgents} agents (maxAgents)` },
  ]);
}

function targetField(target: StaffingTarget): string {
  return {
    service_level: 'targetServiceLevel',
    asa: 'targetAsaSeconds',
    abandon: 'maxAbandonRate',
    occupancy: 'maxOccupancy',
  }[target];
}

/**
 * Square-root staffing n ≈ a + β√a (Halfin & Whitt 1981), with β from the
 * Erlang-B/C relation at the QED limit approximated by the service-level target;
 * only a starting point for the exact search below.
 */
function initialGuess(a: number, t: Targets): number {
  const target = t.serviceLevel ?? 0.8;
  const beta = target >= 0.5 ? 0.5 + 1.5 * (target - 0.5) * 2 : 0.3;
  const occupancyBound = t.occupancy !== null ? a / t.occupancy : 0;
  return Math.max(1, Math.ceil(Math.max(a + beta * Math.sqrt(a), occupancyBound)));
}

/** Smallest n in [lowest, highest] with ok(n), for ok monotone (false … false true … true). */
export function smallestSatisfying(
  ok: (n: number) => boolean,
  lowest: number,
  guess: number,
  highest: number,
): number | null {
  let start = Math.min(highest, Math.max(lowest, Math.round(guess)));
  let good: number;
  let bad: number;
  if (ok(start)) {
    good = start;
    bad = lowest - 1;
    for (let step = 1; good > lowest; step *= 2) {
      const candidate = Math.max(lowest, good - step);
      if (ok(candidate)) {
        good = candidate;
      } else {
        bad = candidate;
        break;
      }
    }
  } else {
    bad = start;
    good = -1;
    for (let step = 1; ; step *= 2) {
      if (bad >= highest) return null;
      const candidate = Math.min(highest, bad + step);
      if (ok(candidate)) {
        good = candidate;
        break;
      }
      bad = candidate;
    }
  }
  while (good - bad > 1) {
    start = bad + Math.floor((good - bad) / 2);
    if (ok(start)) good = start;
    else bad = start;
  }
  return good;
}

// --- Erlang B staffing ----------------------------------------------------------

/** Fewest lines (trunks, ports) whose Erlang B blocking is at most `maxBlocking`. */
export function requiredLines(options: {
  trafficErlangs?: number;
  calls?: number;
  intervalSeconds?: number;
  ahtSeconds?: number;
  maxBlocking: number;
}): { lines: number; blockingProbability: number; trafficErlangs: number } {
  const issues = new IssueList();
  if (!checkObject(issues, '(options)', options)) issues.throwIfAny();
  const input = options as Record<string, unknown>;
  const traffic = readTraffic(issues, input, false);
  const maxBlocking = checkNumber(issues, 'maxBlocking', input.maxBlocking, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  issues.throwIfAny();
  const a = traffic.trafficErlangs;
  if (a === 0) return { lines: 0, blockingProbability: 0, trafficErlangs: 0 };
  const highest = Math.max(100, Math.ceil(10 * a) + 100);
  const lines = smallestSatisfying((n) => erlangBValue(n, a) <= maxBlocking, 1, Math.ceil(a), highest)!;
  return { lines, blockingProbability: erlangBValue(lines, a), trafficErlangs: a };
}

// --- A series of intervals ------------------------------------------------------

export type StaffIntervalsOptions = StaffingTargets & {
  intervalSeconds: number;
  /** Forecast per interval, in time order. */
  intervals: { start?: string; calls: number; ahtSeconds: number }[];
};

export type StaffedInterval = {
  start: string | null;
  calls: number;
  ahtSeconds: number;
  trafficErlangs: number;
  agents: number;
  scheduledAgents: number;
  serviceLevel: number;
  probabilityOfAbandon: number;
  asaSeconds: number | null;
  occupancy: number;
};

export type StaffIntervalsResult = {
  model: 'erlang-c' | 'erlang-a';
  intervalSeconds: number;
  intervals: StaffedInterval[];
  /** `agents` per interval, ready for scheduleShifts' `requirements.requiredAgents`. */
  requiredAgents: number[];
  totals: {
    calls: number;
    /** Σ agents × interval length, in hours: productive staffed time. */
    agentHours: number;
    scheduledAgentHours: number;
    /** Calls-weighted service level over the series. */
    serviceLevel: number;
    peakAgents: number;
  };
};

/** Required and scheduled agents for every interval of a forecast (a day, a week). */
export function staffIntervals(options: StaffIntervalsOptions): StaffIntervalsResult {
  const issues = new IssueList();
  if (!checkObject(issues, '(options)', options)) issues.throwIfAny();
  const input = options as Record<string, unknown>;
  const intervalSeconds = checkNumber(issues, 'intervalSeconds', input.intervalSeconds, {
    min: 0,
    minExclusive: true,
  });
  const targets = readTargets(issues, input, Number.isNaN(intervalSeconds) ? null : intervalSeconds);
  const rows: { calls: number; aht: number; start: string | null }[] = [];
  if (!Array.isArray(input.intervals) || input.intervals.length === 0) {
    issues.add('intervals', 'must be a non-empty array of { calls, ahtSeconds }');
  } else {
    input.intervals.forEach((row: unknown, i: number) => {
      const field = `intervals[${i}]`;
      if (!checkObject(issues, field, row)) return;
      const calls = checkNumber(issues, `${field}.calls`, row.calls, { min: 0 });
      const aht = checkNumber(issues, `${field}.ahtSeconds`, row.ahtSeconds, { min: 0, minExclusive: true });
      if (row.start !== undefined && typeof row.start !== 'string')
        issues.add(`${field}.start`, 'must be a string');
      rows.push({ calls, aht, start: typeof row.start === 'string' ? row.start : null });
    });
  }
  issues.throwIfAny();

  const intervals: StaffedInterval[] = [];
  let previous: { a: number; agents: number } | null = null;
  let agentSeconds = 0;
  let scheduledSeconds = 0;
  let calls = 0;
  let answeredWithin = 0;
  for (const row of rows) {
    const a = (row.calls * row.aht) / intervalSeconds;
    // The previous interval's safety margin, scaled like square-root staffing
    // (margin ∝ √a), is a close start: the search then needs few evaluations.
    const hint =
      previous === null || previous.a === 0
        ? null
        : Math.max(1, Math.round(a + (previous.agents - previous.a) * Math.sqrt(a / previous.a)));
    const result = solveStaffing(a, row.aht, targets, hint);
    previous = { a, agents: result.agents };
    const m = result.metrics;
    intervals.push({
      start: row.start,
      calls: row.calls,
      ahtSeconds: row.aht,
      trafficErlangs: a,
      agents: result.agents,
      scheduledAgents: result.scheduledAgents,
      serviceLevel: m.serviceLevels[targets.definition],
      probabilityOfAbandon: m.probabilityOfAbandon,
      asaSeconds: m.asaSeconds,
      occupancy: result.agents === 0 ? 0 : m.occupancy,
    });
    agentSeconds += result.agents * intervalSeconds;
    scheduledSeconds += result.scheduledAgents * intervalSeconds;
    calls += row.calls;
    answeredWithin += row.calls * m.serviceLevels[targets.definition];
  }
  return {
    model: targets.patience === Number.POSITIVE_INFINITY ? 'erlang-c' : 'erlang-a',
    intervalSeconds,
    intervals,
    requiredAgents: intervals.map((i) => i.agents),
    totals: {
      calls,
      agentHours: agentSeconds / 3600,
      scheduledAgentHours: scheduledSeconds / 3600,
      serviceLevel: calls === 0 ? 1 : answeredWithin / calls,
      peakAgents: intervals.reduce((max, i) => Math.max(max, i.agents), 0),
    },
  };
}
