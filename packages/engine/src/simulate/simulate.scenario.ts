// The scenario file of `centralino simulate --scenario FILE.json`: a pure validator
// that checks every field, fills in the defaults and reports every problem at
// once with the path of the failing field. Format: ./README.md.
import { SimulationError, type SimulationIssue } from './simulate.errors.ts';
import type {
  SimulationCampaign,
  SimulationDistribution,
  SimulationKpiSettings,
  SimulationOperatorGroup,
  SimulationOrganization,
  SimulationPacing,
  SimulationPatience,
  SimulationQueue,
  SimulationScenario,
  SimulationServiceLevelDefinition,
  SimulationShift,
  SimulationSkill,
} from './simulate.types.ts';

const SERVICE_LEVEL_DEFINITIONS: readonly SimulationServiceLevelDefinition[] = [
  'answered_or_abandoned_within',
  'answered_within',
  'answered_within_of_answered',
  'answered_within_excluding_abandoned_within',
];

/** Longest horizon accepted: a leap year of 5-minute intervals. */
const MAX_INTERVALS = 366 * 288;
const MAX_EMPIRICAL_VALUES = 1_000_000;

type Record_ = Record<string, unknown>;

class Checker {
  readonly issues: SimulationIssue[] = [];

  add(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  object(field: string, value: unknown): value is Record_ {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(field, `must be an object, got ${describe(value)}`);
      return false;
    }
    return true;
  }

  array(field: string, value: unknown): value is unknown[] {
    if (!Array.isArray(value)) {
      this.add(field, `must be an array, got ${describe(value)}`);
      return false;
    }
    return true;
  }

  keys(field: string, value: Record_, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.add(prefix(field, key), `unknown field (allowed: ${allowed.join(', ')})`);
      }
    }
  }

  string(field: string, value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(field, `must be a non-empty string, got ${describe(value)}`);
      return '';
    }
    return value;
  }

  boolean(field: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.add(field, `must be true or false, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** A finite number within [min, max] (bounds optional, `above` makes min exclusive). */
  number(
    field: string,
    value: unknown,
    rule: { min?: number; above?: number; max?: number; integer?: boolean },
    fallback?: number,
  ): number {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.add(field, `must be a finite number, got ${describe(value)}`);
      return Number.NaN;
    }
    if (rule.integer && !Number.isInteger(value)) {
      this.add(field, `must be a whole number, got ${value}`);
      return Number.NaN;
    }
    if (rule.min !== undefined && value < rule.min) {
      this.add(field, `must be at least ${rule.min}, got ${value}`);
      return Number.NaN;
    }
    if (rule.above !== undefined && value <= rule.above) {
      this.add(field, `must be greater than ${rule.above}, got ${value}`);
      return Number.NaN;
    }
    if (rule.max !== undefined && value > rule.max) {
      this.add(field, `must be at most ${rule.max}, got ${value}`);
      return Number.NaN;
    }
    return value;
  }

  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.add(field, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
      return fallback;
    }
    return value as T;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function prefix(field: string, key: string): string {
  return field === '' ? key : `${field}.${key}`;
}

const parsed = new WeakSet<object>();

/** True for an object returned by parseScenario (simulate() then skips validating it again). */
export function isParsedScenario(value: unknown): value is SimulationScenario {
  return typeof value === 'object' && value !== null && parsed.has(value);
}

/**
 * Validates a scenario (parsed JSON, or its text) and returns it with every default
 * filled in. Throws a SimulationError (`SIMULATION_INVALID_INPUT`) naming every
 * failing field. Pure: no I/O.
 */
export function parseScenario(json: unknown): SimulationScenario {
  const scenario = validateScenario(json);
  parsed.add(scenario);
  return scenario;
}

function validateScenario(json: unknown): SimulationScenario {
  let input = json;
  if (typeof json === 'string') {
    try {
      input = JSON.parse(json);
    } catch (error) {
      throw new SimulationError('SIMULATION_INVALID_INPUT', [
        { field: '(scenario)', message: `is not valid JSON: ${(error as Error).message}` },
      ]);
    }
  }
  const check = new Checker();
  if (!check.object('(scenario)', input)) throw new SimulationError('SIMULATION_INVALID_INPUT', check.issues);
  check.keys('', input, [
    '$schema',
    'name',
    'description',
    'start',
    'intervalMinutes',
    'intervals',
    'warmupIntervals',
    'kpi',
    'organizations',
    'queues',
    'operators',
    'campaigns',
  ]);

  const name = input.name === undefined ? 'scenario' : check.string('name', input.name);
  if (input.description !== undefined && typeof input.description !== 'string') {
    check.add('description', `must be a string, got ${describe(input.description)}`);
  }
  let start: string | null = null;
  if (input.start !== undefined && input.start !== null) {
    if (
      typeof input.start !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(input.start)
    ) {
      check.add(
        'start',
        `must be an ISO 8601 UTC instant such as 2025-03-03T00:00:00Z, got ${describe(input.start)}`,
      );
    } else if (Number.isNaN(Date.parse(input.start))) {
      check.add('start', `is not a real date: ${input.start}`);
    } else {
      start = new Date(Date.parse(input.start)).toISOString();
    }
  }
  const intervalMinutes = check.number('intervalMinutes', input.intervalMinutes, {
    above: 0,
    max: 1440,
    integer: true,
  });
  if (Number.isInteger(intervalMinutes) && 1440 % intervalMinutes !== 0) {
    check.add('intervalMinutes', `must divide a day (15 and 30 are usual), got ${intervalMinutes}`);
  }
  // The horizon: `intervals`, or the length of the per-interval arrays when it is left out.
  let intervals = Number.NaN;
  if (input.intervals !== undefined) {
    intervals = check.number('intervals', input.intervals, { min: 1, max: MAX_INTERVALS, integer: true });
  } else {
    const lengths = Array.isArray(input.queues)
      ? input.queues.flatMap((q) =>
          typeof q === 'object' && q !== null && Array.isArray((q as Record_).callsPerInterval)
            ? [((q as Record_).callsPerInterval as unknown[]).length]
            : [],
        )
      : [];
    if (lengths.length === 0) {
      check.add('intervals', 'is required when no queue gives callsPerInterval as an array');
    } else {
      intervals = Math.max(...lengths);
      if (intervals < 1 || intervals > MAX_INTERVALS) {
        check.add(
          'intervals',
          `must be between 1 and ${MAX_INTERVALS}, got ${intervals} from callsPerInterval`,
        );
        intervals = Number.NaN;
      }
    }
  }
  const warmupIntervals = check.number(
    'warmupIntervals',
    input.warmupIntervals,
    { min: 0, integer: true },
    0,
  );
  if (Number.isFinite(intervals) && Number.isFinite(warmupIntervals) && warmupIntervals >= intervals) {
    check.add('warmupIntervals', `must be less than intervals (${intervals}), got ${warmupIntervals}`);
  }
  const horizonMinutes = intervals * intervalMinutes;

  const kpi = parseKpi(check, input.kpi);
  const organizations = parseOrganizations(check, input.organizations);
  const orgIds = new Set(organizations.map((o) => o.id));
  const queues = parseQueues(check, input.queues, intervals, orgIds, kpi.thresholdSeconds);
  const campaigns = parseCampaigns(check, input.campaigns, orgIds, horizonMinutes);
  const operators = parseOperators(
    check,
    input.operators,
    intervals,
    horizonMinutes,
    new Set(queues.map((q) => q.id)),
    new Set(campaigns.map((c) => c.id)),
  );

  // Every queue and campaign needs somebody who may take its contacts, or they only wait.
  if (check.issues.length === 0) {
    const served = new Set<string>();
    for (const group of operators) {
      const staffed = group.countPerInterval ? group.countPerInterval.some((n) => n > 0) : group.count > 0;
      if (!staffed) continue;
      for (const skill of group.skills)
        served.add('queue' in skill ? `q:${skill.queue}` : `c:${skill.campaign}`);
    }
    if (served.size === 0) check.add('operators', 'no operator is ever logged in (zero operators)');
    queues.forEach((q, i) => {
      if (!served.has(`q:${q.id}`))
        check.add(`queues[${i}]`, `no operator has the skill for queue "${q.id}"`);
    });
    campaigns.forEach((c, i) => {
      if (!served.has(`c:${c.id}`))
        check.add(`campaigns[${i}]`, `no operator has the skill for campaign "${c.id}"`);
    });
    if (queues.length === 0 && campaigns.length === 0)
      check.add('queues', 'the scenario has no queue and no campaign');
  }
  if (check.issues.length > 0) throw new SimulationError('SIMULATION_INVALID_INPUT', check.issues);
  return {
    name,
    start,
    intervalMinutes,
    intervals,
    warmupIntervals,
    kpi,
    organizations,
    queues,
    operators,
    campaigns,
  };
}

function parseKpi(check: Checker, value: unknown): SimulationKpiSettings {
  const kpi: SimulationKpiSettings = {
    thresholdSeconds: 20,
    serviceLevelDefinition: 'answered_or_abandoned_within',
    shortAbandonSeconds: 5,
    excludeShortAbandons: false,
    abandonRateIncludesShort: false,
  };
  if (value === undefined) return kpi;
  if (!check.object('kpi', value)) return kpi;
  check.keys('kpi', value, [
    'thresholdSeconds',
    'serviceLevelDefinition',
    'shortAbandonSeconds',
    'excludeShortAbandons',
    'abandonRateIncludesShort',
  ]);
  kpi.thresholdSeconds = check.number('kpi.thresholdSeconds', value.thresholdSeconds, { min: 0 }, 20);
  kpi.serviceLevelDefinition = check.oneOf(
    'kpi.serviceLevelDefinition',
    value.serviceLevelDefinition,
    SERVICE_LEVEL_DEFINITIONS,
    kpi.serviceLevelDefinition,
  );
  kpi.shortAbandonSeconds = check.number('kpi.shortAbandonSeconds', value.shortAbandonSeconds, { min: 0 }, 5);
  kpi.excludeShortAbandons = check.boolean('kpi.excludeShortAbandons', value.excludeShortAbandons, false);
  kpi.abandonRateIncludesShort = check.boolean(
    'kpi.abandonRateIncludesShort',
    value.abandonRateIncludesShort,
    false,
  );
  return kpi;
}

function uniqueId(check: Checker, field: string, value: unknown, seen: Set<string>, what: string): string {
  const id = check.string(field, value);
  if (id !== '') {
    if (seen.has(id)) check.add(field, `duplicate ${what} id "${id}"`);
    seen.add(id);
  }
  return id;
}

function parseOrganizations(check: Checker, value: unknown): SimulationOrganization[] {
  if (value === undefined) return [];
  if (!check.array('organizations', value)) return [];
  const seen = new Set<string>();
  const out: SimulationOrganization[] = [];
  value.forEach((item, i) => {
    const field = `organizations[${i}]`;
    if (!check.object(field, item)) return;
    check.keys(field, item, ['id', 'name']);
    const id = uniqueId(check, `${field}.id`, item.id, seen, 'organization');
    const org: SimulationOrganization = { id };
    if (item.name !== undefined) org.name = check.string(`${field}.name`, item.name);
    out.push(org);
  });
  return out;
}

function parseOrganizationRef(check: Checker, field: string, value: unknown, orgIds: Set<string>): string {
  const id = check.string(field, value);
  if (id !== '' && !orgIds.has(id)) {
    check.add(field, `unknown organization "${id}" (declare it under organizations)`);
  }
  return id;
}

export function parseDistribution(check: Checker, field: string, value: unknown): SimulationDistribution {
  const fallback: SimulationDistribution = { kind: 'fixed', seconds: 0 };
  if (!check.object(field, value)) return fallback;
  const kinds = ['exponential', 'lognormal', 'empirical', 'fixed'] as const;
  const kind = check.oneOf(`${field}.kind`, value.kind, kinds, 'fixed');
  if (value.kind === undefined) check.add(`${field}.kind`, `is required (one of ${kinds.join(', ')})`);
  switch (kind) {
    case 'exponential':
      check.keys(field, value, ['kind', 'meanSeconds']);
      return { kind, meanSeconds: check.number(`${field}.meanSeconds`, value.meanSeconds, { above: 0 }) };
    case 'lognormal':
      check.keys(field, value, ['kind', 'meanSeconds', 'sdSeconds']);
      return {
        kind,
        meanSeconds: check.number(`${field}.meanSeconds`, value.meanSeconds, { above: 0 }),
        sdSeconds: check.number(`${field}.sdSeconds`, value.sdSeconds, { min: 0 }),
      };
    case 'empirical': {
      check.keys(field, value, ['kind', 'valuesSeconds', 'weights']);
      const values: number[] = [];
      if (check.array(`${field}.valuesSeconds`, value.valuesSeconds)) {
        if (value.valuesSeconds.length === 0 || value.valuesSeconds.length > MAX_EMPIRICAL_VALUES) {
          check.add(`${field}.valuesSeconds`, `must hold 1 to ${MAX_EMPIRICAL_VALUES} values`);
        }
        value.valuesSeconds.forEach((v, i) => {
          values.push(check.number(`${field}.valuesSeconds[${i}]`, v, { min: 0 }));
        });
      }
      const out: SimulationDistribution = { kind, valuesSeconds: values };
      if (value.weights !== undefined && check.array(`${field}.weights`, value.weights)) {
        if (value.weights.length !== values.length) {
          check.add(
            `${field}.weights`,
            `must have one weight per value (${values.length}), got ${value.weights.length}`,
          );
        }
        const weights = value.weights.map((w, i) => check.number(`${field}.weights[${i}]`, w, { min: 0 }));
        if (weights.every((w) => w === 0)) check.add(`${field}.weights`, 'must not all be zero');
        out.weights = weights;
      }
      return out;
    }
    default:
      check.keys(field, value, ['kind', 'seconds']);
      return { kind: 'fixed', seconds: check.number(`${field}.seconds`, value.seconds, { min: 0 }) };
  }
}

function parsePatience(check: Checker, field: string, value: unknown): SimulationPatience {
  if (value === undefined) {
    check.add(field, 'is required: a distribution, or { "kind": "infinite" } for callers who never hang up');
    return { kind: 'infinite' };
  }
  if (typeof value === 'object' && value !== null && (value as Record_).kind === 'infinite') {
    check.keys(field, value as Record_, ['kind']);
    return { kind: 'infinite' };
  }
  return parseDistribution(check, field, value);
}

function parsePerInterval(check: Checker, field: string, value: unknown, intervals: number): number[] {
  if (typeof value === 'number') {
    const rate = check.number(field, value, { min: 0 });
    return Number.isFinite(intervals) ? new Array<number>(intervals).fill(rate) : [];
  }
  if (!Array.isArray(value)) {
    check.add(field, `must be a number or an array of one number per interval, got ${describe(value)}`);
    return [];
  }
  if (Number.isFinite(intervals) && value.length !== intervals) {
    check.add(field, `must have one value per interval (${intervals}), got ${value.length}`);
  }
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const before = check.issues.length;
    out.push(check.number(`${field}[${i}]`, value[i], { min: 0 }));
    // One bad value is enough to report; a thousand identical lines help nobody.
    if (check.issues.length > before) break;
  }
  return out;
}

function parseQueues(
  check: Checker,
  value: unknown,
  intervals: number,
  orgIds: Set<string>,
  defaultThreshold: number,
): SimulationQueue[] {
  if (value === undefined) return [];
  if (!check.array('queues', value)) return [];
  const seen = new Set<string>();
  const out: SimulationQueue[] = [];
  value.forEach((item, i) => {
    const field = `queues[${i}]`;
    if (!check.object(field, item)) return;
    check.keys(field, item, [
      'id',
      'organization',
      'callsPerInterval',
      'handleTime',
      'wrapUp',
      'patience',
      'thresholdSeconds',
    ]);
    out.push({
      id: uniqueId(check, `${field}.id`, item.id, seen, 'queue'),
      organization: parseOrganizationRef(check, `${field}.organization`, item.organization, orgIds),
      callsPerInterval: parsePerInterval(
        check,
        `${field}.callsPerInterval`,
        item.callsPerInterval,
        intervals,
      ),
      handleTime: parseDistribution(check, `${field}.handleTime`, item.handleTime),
      wrapUp:
        item.wrapUp === undefined
          ? { kind: 'fixed', seconds: 0 }
          : parseDistribution(check, `${field}.wrapUp`, item.wrapUp),
      patience: parsePatience(check, `${field}.patience`, item.patience),
      thresholdSeconds: check.number(
        `${field}.thresholdSeconds`,
        item.thresholdSeconds,
        { min: 0 },
        defaultThreshold,
      ),
    });
  });
  return out;
}

function parseShifts(check: Checker, field: string, value: unknown, what = 'shifts'): SimulationShift[] {
  if (!check.array(field, value)) return [];
  const shifts: SimulationShift[] = [];
  value.forEach((item, i) => {
    const f = `${field}[${i}]`;
    if (!check.object(f, item)) return;
    check.keys(f, item, ['startMinutes', 'endMinutes']);
    const startMinutes = check.number(`${f}.startMinutes`, item.startMinutes, { min: 0 });
    const endMinutes = check.number(`${f}.endMinutes`, item.endMinutes, { min: 0 });
    if (endMinutes <= startMinutes)
      check.add(`${f}.endMinutes`, `must be after startMinutes (${startMinutes})`);
    shifts.push({ startMinutes, endMinutes });
  });
  const sorted = [...shifts].sort((a, b) => a.startMinutes - b.startMinutes);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.startMinutes < sorted[i - 1]!.endMinutes) {
      check.add(
        field,
        `${what} overlap (${sorted[i - 1]!.startMinutes}-${sorted[i - 1]!.endMinutes} and ${sorted[i]!.startMinutes}-${sorted[i]!.endMinutes})`,
      );
    }
  }
  return sorted;
}

function parseOperators(
  check: Checker,
  value: unknown,
  intervals: number,
  horizonMinutes: number,
  queueIds: Set<string>,
  campaignIds: Set<string>,
): SimulationOperatorGroup[] {
  if (!check.array('operators', value)) return [];
  if (value.length === 0) check.add('operators', 'needs at least one operator group (zero operators)');
  const seen = new Set<string>();
  const out: SimulationOperatorGroup[] = [];
  value.forEach((item, i) => {
    const field = `operators[${i}]`;
    if (!check.object(field, item)) return;
    check.keys(field, item, ['id', 'skills', 'count', 'shifts', 'countPerInterval']);
    const id = uniqueId(check, `${field}.id`, item.id, seen, 'operator group');
    const skills: SimulationSkill[] = [];
    if (check.array(`${field}.skills`, item.skills)) {
      if (item.skills.length === 0) check.add(`${field}.skills`, 'needs at least one queue or campaign');
      const named = new Set<string>();
      item.skills.forEach((skill, k) => {
        const f = `${field}.skills[${k}]`;
        // A bare string names a queue with the default priority.
        const s: Record_ = typeof skill === 'string' ? { queue: skill } : check.object(f, skill) ? skill : {};
        if (typeof skill !== 'string' && typeof skill !== 'object') return;
        check.keys(f, s, ['queue', 'campaign', 'priority']);
        const priority = check.number(`${f}.priority`, s.priority, { min: 0, integer: true }, 1);
        if ((s.queue === undefined) === (s.campaign === undefined)) {
          check.add(f, 'must name exactly one of queue or campaign');
          return;
        }
        if (s.queue !== undefined) {
          const queue = check.string(`${f}.queue`, s.queue);
          if (queue !== '' && !queueIds.has(queue)) check.add(`${f}.queue`, `unknown queue "${queue}"`);
          if (named.has(`q:${queue}`)) check.add(`${f}.queue`, `queue "${queue}" listed twice`);
          named.add(`q:${queue}`);
          skills.push({ queue, priority });
        } else {
          const campaign = check.string(`${f}.campaign`, s.campaign);
          if (campaign !== '' && !campaignIds.has(campaign))
            check.add(`${f}.campaign`, `unknown campaign "${campaign}"`);
          if (named.has(`c:${campaign}`)) check.add(`${f}.campaign`, `campaign "${campaign}" listed twice`);
          named.add(`c:${campaign}`);
          skills.push({ campaign, priority });
        }
      });
    }
    const group: SimulationOperatorGroup = { id, skills, count: 0, shifts: [] };
    if (item.countPerInterval !== undefined) {
      if (item.count !== undefined || item.shifts !== undefined) {
        check.add(`${field}.countPerInterval`, 'use either countPerInterval, or count with shifts, not both');
      }
      const counts = parsePerInterval(check, `${field}.countPerInterval`, item.countPerInterval, intervals);
      counts.forEach((n, k) => {
        if (Number.isFinite(n) && !Number.isInteger(n)) {
          check.add(`${field}.countPerInterval[${k}]`, `must be a whole number, got ${n}`);
        }
      });
      group.countPerInterval = counts;
      group.count = Math.max(0, ...counts.filter(Number.isFinite));
    } else {
      group.count = check.number(`${field}.count`, item.count, { min: 0, max: 1_000_000, integer: true });
      group.shifts =
        item.shifts === undefined
          ? [{ startMinutes: 0, endMinutes: horizonMinutes }]
          : parseShifts(check, `${field}.shifts`, item.shifts);
    }
    out.push(group);
  });
  return out;
}

function parsePacing(check: Checker, field: string, value: unknown): SimulationPacing {
  if (value === undefined) return { kind: 'progressive' };
  if (!check.object(field, value)) return { kind: 'progressive' };
  const kind = check.oneOf(
    `${field}.kind`,
    value.kind,
    ['progressive', 'power', 'predictive'] as const,
    'progressive',
  );
  switch (kind) {
    case 'power':
      check.keys(field, value, ['kind', 'linesPerAgent']);
      return {
        kind,
        linesPerAgent: check.number(`${field}.linesPerAgent`, value.linesPerAgent, { min: 1, max: 20 }),
      };
    case 'predictive':
      check.keys(field, value, ['kind', 'maxDropRate']);
      return {
        kind,
        maxDropRate: check.number(`${field}.maxDropRate`, value.maxDropRate, { above: 0, max: 1 }, 0.03),
      };
    default:
      check.keys(field, value, ['kind']);
      return { kind: 'progressive' };
  }
}

function parseCampaigns(
  check: Checker,
  value: unknown,
  orgIds: Set<string>,
  horizonMinutes: number,
): SimulationCampaign[] {
  if (value === undefined) return [];
  if (!check.array('campaigns', value)) return [];
  const seen = new Set<string>();
  const out: SimulationCampaign[] = [];
  value.forEach((item, i) => {
    const field = `campaigns[${i}]`;
    if (!check.object(field, item)) return;
    check.keys(field, item, [
      'id',
      'organization',
      'pacing',
      'records',
      'maxAttempts',
      'retryMinutes',
      'answerRate',
      'machineRate',
      'amd',
      'machineHandleSeconds',
      'answerDelay',
      'noAnswerSeconds',
      'dropAfterSeconds',
      'rightPartyRate',
      'successRate',
      'conversionBase',
      'handleTime',
      'wrapUp',
      'windows',
    ]);
    const rate = (key: string, fallback?: number) =>
      check.number(`${field}.${key}`, item[key], { min: 0, max: 1 }, fallback);
    const answerRate = rate('answerRate');
    const machineRate = rate('machineRate', 0);
    if (answerRate + machineRate > 1) {
      check.add(
        `${field}.machineRate`,
        `answerRate + machineRate must be at most 1, got ${answerRate + machineRate}`,
      );
    }
    let amd: SimulationCampaign['amd'] = null;
    if (item.amd !== undefined && item.amd !== null && check.object(`${field}.amd`, item.amd)) {
      check.keys(`${field}.amd`, item.amd, ['falsePositiveRate']);
      amd = {
        falsePositiveRate: check.number(
          `${field}.amd.falsePositiveRate`,
          item.amd.falsePositiveRate,
          { min: 0, max: 1 },
          0,
        ),
      };
    }
    const windows: SimulationCampaign['windows'] = [];
    if (item.windows === undefined) {
      windows.push({ startMinutes: 0, endMinutes: horizonMinutes });
    } else {
      for (const w of parseShifts(check, `${field}.windows`, item.windows, 'windows')) windows.push(w);
    }
    out.push({
      id: uniqueId(check, `${field}.id`, item.id, seen, 'campaign'),
      organization: parseOrganizationRef(check, `${field}.organization`, item.organization, orgIds),
      pacing: parsePacing(check, `${field}.pacing`, item.pacing),
      records:
        item.records === undefined || item.records === null
          ? null
          : check.number(`${field}.records`, item.records, { min: 1, integer: true }),
      maxAttempts: check.number(
        `${field}.maxAttempts`,
        item.maxAttempts,
        { min: 1, max: 100, integer: true },
        3,
      ),
      retryMinutes: check.number(`${field}.retryMinutes`, item.retryMinutes, { min: 0 }, 120),
      answerRate,
      machineRate,
      amd,
      machineHandleSeconds: check.number(
        `${field}.machineHandleSeconds`,
        item.machineHandleSeconds,
        { min: 0 },
        20,
      ),
      answerDelay:
        item.answerDelay === undefined
          ? { kind: 'fixed', seconds: 10 }
          : parseDistribution(check, `${field}.answerDelay`, item.answerDelay),
      noAnswerSeconds: check.number(`${field}.noAnswerSeconds`, item.noAnswerSeconds, { above: 0 }, 25),
      dropAfterSeconds: check.number(`${field}.dropAfterSeconds`, item.dropAfterSeconds, { min: 0 }, 2),
      rightPartyRate: rate('rightPartyRate', 1),
      successRate: rate('successRate', 0),
      conversionBase: check.oneOf(
        `${field}.conversionBase`,
        item.conversionBase,
        ['rpc', 'connects', 'dials'] as const,
        'rpc',
      ),
      handleTime: parseDistribution(check, `${field}.handleTime`, item.handleTime),
      wrapUp:
        item.wrapUp === undefined
          ? { kind: 'fixed', seconds: 0 }
          : parseDistribution(check, `${field}.wrapUp`, item.wrapUp),
      windows,
    });
  });
  return out;
}
