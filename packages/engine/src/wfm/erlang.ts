// Erlang B, Erlang C and Erlang A (M/M/n+M): blocking, waiting, service level,
// speed of answer, abandonment and occupancy for one queue in one interval.
//
// Erlang A follows the exact closed form of Mandelbaum & Zeltyn (2007), "The
// Palm/Erlang-A queue, with applications to call centers": with x = nμ/θ,
// y = λ/θ and A(x, y) = x e^y y^−x γ(x, y), every measure is written through π_n
// (the probability that all n agents are busy and nobody waits) and the positive
// sums K, h, M of erlang.kernels.ts:
//   P(wait)            = π_n A,                      A = 1 + K(y)
//   P(abandon)         = π_n (n/a) h(y)
//   P(served, V > t)   = π_n (n/a) e^{y − w − nμt} K(w),   w = y e^−θt
//   P(abandon after t) = π_n (n/a) e^{y − w − nμt} h(w)
//   E[V e^−θV]         = π_n x M(y) / θ              (wait of served contacts)
// where V is the offered wait (until an agent would take the contact) and the
// contact is served iff its exponential patience exceeds V. The tail formulas
// follow from M&Z's representation of V given j contacts ahead as a sum of
// exponentials with rates nμ + kθ, i.e. −ln(Beta(x, j+1))/θ.
import { erlangATail, lnIdleMoment, lnInverseErlangB, lnTruncatedK, logAddExp } from './erlang.kernels.ts';
import { checkNumber, checkObject, IssueList } from './wfm.errors.ts';

/** Offered traffic: calls in an interval, or Erlangs directly. */
export type TrafficOptions = {
  /** Contacts offered in the interval; needs `intervalSeconds`. */
  calls?: number;
  /** Length of the interval the calls arrive in, e.g. 900 or 1800. */
  intervalSeconds?: number;
  /** Offered load in Erlangs (arrival rate × AHT), instead of calls and interval. */
  trafficErlangs?: number;
  /** Average handle time (talk + hold + wrap) in seconds. */
  ahtSeconds: number;
};

export type ErlangBOptions = Omit<TrafficOptions, 'ahtSeconds'> & {
  ahtSeconds?: number;
  /** Trunks, ports or agents that each hold one contact; blocked contacts are lost. */
  lines: number;
};

export type ErlangBResult = {
  model: 'erlang-b';
  trafficErlangs: number;
  lines: number;
  blockingProbability: number;
  carriedErlangs: number;
};

/**
 * How a service level counts (DOMAIN.md §3), with A = answered, Ab = abandoned:
 * - `answered_within`: A≤T / (A + Ab), the issue's Erlang-A definition (default);
 * - `answered_or_abandoned_within`: (A≤T + Ab≤T) / (A + Ab), the KPI default of the reports;
 * - `answered_within_of_answered`: A≤T / A;
 * - `answered_within_excluding_abandoned_within`: A≤T / (A + Ab − Ab≤T).
 * Without abandonment (Erlang C) all four coincide.
 */
export type ServiceLevelDefinition =
  | 'answered_within'
  | 'answered_or_abandoned_within'
  | 'answered_within_of_answered'
  | 'answered_within_excluding_abandoned_within';

export const SERVICE_LEVEL_DEFINITIONS: readonly ServiceLevelDefinition[] = [
  'answered_within',
  'answered_or_abandoned_within',
  'answered_within_of_answered',
  'answered_within_excluding_abandoned_within',
];

export type QueueOptions = TrafficOptions & {
  agents: number;
  /** Service-level threshold T in seconds; default 20 (DOMAIN.md §3). */
  thresholdSeconds?: number;
};

export type ErlangAOptions = QueueOptions & {
  /** Mean patience before abandoning (exponential); `Infinity` gives Erlang C. */
  patienceSeconds: number;
};

export type QueueMetrics = {
  model: 'erlang-c' | 'erlang-a';
  trafficErlangs: number;
  ahtSeconds: number;
  /** Mean patience; null without abandonment (Erlang C, or infinite patience). */
  patienceSeconds: number | null;
  agents: number;
  thresholdSeconds: number;
  /** False when the queue grows without bound (Erlang C or infinite patience with agents ≤ traffic). */
  stable: boolean;
  /** Probability that a contact waits at all (finds every agent busy). */
  probabilityOfWaiting: number;
  /** Probability that a contact abandons before being answered; 0 for Erlang C. */
  probabilityOfAbandon: number;
  /** Service level as `answered_within`: answered within T over all offered contacts. */
  serviceLevel: number;
  serviceLevels: Record<ServiceLevelDefinition, number>;
  /** Mean wait of answered contacts (ASA); null when unstable. */
  asaSeconds: number | null;
  /** Mean wait over all offered contacts, answered or abandoned; null when unstable. */
  meanWaitSeconds: number | null;
  /** Share of the agents' time spent handling contacts. */
  occupancy: number;
};

type Traffic = { trafficErlangs: number; ahtSeconds: number; intervalSeconds: number | null };

/** Validates and normalizes the traffic fields, recording issues. */
export function readTraffic(
  issues: IssueList,
  options: Record<string, unknown>,
  ahtRequired: boolean,
  prefix = '',
): Traffic {
  const aht =
    options.ahtSeconds === undefined && !ahtRequired
      ? Number.NaN
      : checkNumber(issues, `${prefix}ahtSeconds`, options.ahtSeconds, { min: 0, minExclusive: true });
  let traffic = Number.NaN;
  let intervalSeconds: number | null = null;
  if (options.trafficErlangs !== undefined) {
    if (options.calls !== undefined)
      issues.add(`${prefix}calls`, 'give either calls or trafficErlangs, not both');
    traffic = checkNumber(issues, `${prefix}trafficErlangs`, options.trafficErlangs, { min: 0 });
    if (options.intervalSeconds !== undefined) {
      intervalSeconds = checkNumber(issues, `${prefix}intervalSeconds`, options.intervalSeconds, {
        min: 0,
        minExclusive: true,
      });
    }
  } else if (options.calls !== undefined) {
    const calls = checkNumber(issues, `${prefix}calls`, options.calls, { min: 0 });
    intervalSeconds = checkNumber(issues, `${prefix}intervalSeconds`, options.intervalSeconds, {
      min: 0,
      minExclusive: true,
    });
    if (ahtRequired || options.ahtSeconds !== undefined) traffic = (calls * aht) / intervalSeconds;
    else issues.add(`${prefix}ahtSeconds`, 'is required with calls (or give trafficErlangs)');
  } else {
    issues.add(`${prefix}calls`, 'give calls with intervalSeconds, or trafficErlangs');
  }
  return { trafficErlangs: traffic, ahtSeconds: aht, intervalSeconds };
}

function readThreshold(issues: IssueList, value: unknown, traffic: Traffic, prefix = ''): number {
  if (value === undefined) return 20;
  const threshold = checkNumber(issues, `${prefix}thresholdSeconds`, value, { min: 0 });
  if (traffic.intervalSeconds !== null && threshold > traffic.intervalSeconds) {
    issues.add(
      `${prefix}thresholdSeconds`,
      `must not exceed the interval (${traffic.intervalSeconds} s): a contact cannot be counted within ${threshold} s of an interval that short`,
    );
  }
  return threshold;
}

function asOptions(options: unknown): Record<string, unknown> {
  const issues = new IssueList();
  if (!checkObject(issues, '(options)', options)) issues.throwIfAny();
  return options as Record<string, unknown>;
}

// --- Erlang B -----------------------------------------------------------------

/** Erlang B: probability that a contact finds all `lines` busy and is lost. */
export function erlangB(options: ErlangBOptions): ErlangBResult {
  const input = asOptions(options);
  const issues = new IssueList();
  const traffic = readTraffic(issues, input, false);
  const lines = checkNumber(issues, 'lines', input.lines, { min: 1, integer: true });
  issues.throwIfAny();
  const blocking = erlangBValue(lines, traffic.trafficErlangs);
  return {
    model: 'erlang-b',
    trafficErlangs: traffic.trafficErlangs,
    lines,
    blockingProbability: blocking,
    carriedErlangs: traffic.trafficErlangs * (1 - blocking),
  };
}

export function erlangBValue(lines: number, trafficErlangs: number): number {
  if (trafficErlangs === 0) return 0;
  return Math.exp(-lnInverseErlangB(lines, trafficErlangs));
}

// --- Erlang C -----------------------------------------------------------------

/** Erlang C (M/M/n, infinitely patient callers): waiting, service level, ASA, occupancy. */
export function erlangC(options: QueueOptions): QueueMetrics {
  const input = asOptions(options);
  const issues = new IssueList();
  const traffic = readTraffic(issues, input, true);
  const agents = checkNumber(issues, 'agents', input.agents, { min: 1, integer: true });
  const threshold = readThreshold(issues, input.thresholdSeconds, traffic);
  issues.throwIfAny();
  return erlangCMetrics(traffic.trafficErlangs, traffic.ahtSeconds, agents, threshold, true);
}

export function erlangCMetrics(
  a: number,
  aht: number,
  n: number,
  threshold: number,
  withWaits: boolean,
): QueueMetrics {
  if (a === 0) return idleMetrics('erlang-c', aht, null, n, threshold);
  if (n <= a) return unstableMetrics('erlang-c', a, aht, null, n, threshold);
  // C = 1 / (1 + (1 − ρ)(1/B(n) − 1)) with (1 − ρ)(1/B(n) − 1) = ((n − a)/a)·R_{n−1}:
  // written through R_{n−1} = 1/B(n−1) so that neither C nor 1 − C is a difference.
  const lnZ = Math.log((n - a) / a) + lnInverseErlangB(n - 1, a);
  const lnDenominator = logAddExp(0, lnZ);
  const pWait = Math.exp(-lnDenominator);
  const pNoWait = Math.exp(lnZ - lnDenominator);
  const decay = ((n - a) * threshold) / aht; // (nμ − λ)·T
  const serviceLevel = Math.min(1, pNoWait - pWait * Math.expm1(-decay));
  const asa = withWaits ? (pWait * aht) / (n - a) : Number.NaN;
  return {
    model: 'erlang-c',
    trafficErlangs: a,
    ahtSeconds: aht,
    patienceSeconds: null,
    agents: n,
    thresholdSeconds: threshold,
    stable: true,
    probabilityOfWaiting: pWait,
    probabilityOfAbandon: 0,
    serviceLevel,
    serviceLevels: sameServiceLevels(serviceLevel),
    asaSeconds: asa,
    meanWaitSeconds: asa,
    occupancy: a / n,
  };
}

// --- Erlang A -----------------------------------------------------------------

/** Erlang A (M/M/n+M, exponential patience): Erlang C plus abandonment. */
export function erlangA(options: ErlangAOptions): QueueMetrics {
  const input = asOptions(options);
  const issues = new IssueList();
  const traffic = readTraffic(issues, input, true);
  const agents = checkNumber(issues, 'agents', input.agents, { min: 1, integer: true });
  const threshold = readThreshold(issues, input.thresholdSeconds, traffic);
  const patience = checkNumber(issues, 'patienceSeconds', input.patienceSeconds, {
    min: 0,
    minExclusive: true,
    allowInfinity: true,
  });
  issues.throwIfAny();
  return erlangAMetrics(traffic.trafficErlangs, traffic.ahtSeconds, patience, agents, threshold, true);
}

export function erlangAMetrics(
  a: number,
  aht: number,
  patience: number,
  n: number,
  threshold: number,
  withWaits: boolean,
): QueueMetrics {
  if (patience === Number.POSITIVE_INFINITY) {
    return { ...erlangCMetrics(a, aht, n, threshold, withWaits), model: 'erlang-a' };
  }
  if (a === 0) return idleMetrics('erlang-a', aht, patience, n, threshold);
  const ratio = patience / aht; // μ/θ
  const x = n * ratio;
  const y = a * ratio;
  const gap = (n - a) * ratio;
  const whole = erlangATail(x, y, gap, withWaits);

  const lnA = logAddExp(0, whole.lnK);
  const lnNoWait = Math.log(n / a) + lnInverseErlangB(n - 1, a); // Σ_{i<n} π_i / π_n
  const lnPi = -logAddExp(lnNoWait, lnA); // π_n
  const lnC0 = lnPi + Math.log(n / a);
  const pWait = Math.exp(lnPi + lnA);
  const pNoWait = Math.exp(lnPi + lnNoWait);
  const pServedAfterWait = Math.exp(lnC0 + whole.lnK);
  const pServed = pNoWait + pServedAfterWait;
  // Both come from logs of huge magnitude in deep overload (y = λ/θ ~ 1e11), where
  // each keeps only its relative digits: take the larger as the complement of the smaller.
  const pAbandon = pServed < 0.5 ? 1 - pServed : Math.exp(lnC0 + whole.lnH);

  let pServedAfterT = pServedAfterWait;
  let pAbandonAfterT = pAbandon;
  if (threshold > 0) {
    const arrived = -Math.expm1(-threshold / patience); // 1 − e^{−θT}
    const w = y * Math.exp(-threshold / patience);
    const tail = erlangATail(x, w, gap + y * arrived, false);
    const lnCT = lnC0 + y * arrived - (n * threshold) / aht;
    pServedAfterT = Math.exp(lnCT + tail.lnK);
    pAbandonAfterT = Math.exp(lnCT + tail.lnH);
  }
  // P(answered after waiting ≤ T): the difference of the two tails unless they
  // nearly cancel (overload with long patience), then the truncated integral.
  const servedWithin =
    threshold === 0
      ? 0
      : pServedAfterT <= 0.5 * pServedAfterWait
        ? pServedAfterWait - pServedAfterT
        : Math.exp(lnPi + Math.log(x) + lnTruncatedK(x, y, gap, threshold / patience));
  const answeredWithin = clamp01(pNoWait + servedWithin);
  const abandonedWithin = Math.max(0, pAbandon - pAbandonAfterT);
  const asa = withWaits ? (Math.exp(lnPi + Math.log(x) + whole.lnM) * patience) / pServed : Number.NaN;
  // Busy agents = carried load a·P(served); near full occupancy (overload) one
  // minus it is computed from the idle agents instead, so that it keeps its digits.
  let occupancy = (a / n) * pServed;
  if (occupancy > 0.9 && withWaits) occupancy = -Math.expm1(lnPi - Math.log(a) + lnIdleMoment(n - 1, a));
  return {
    model: 'erlang-a',
    trafficErlangs: a,
    ahtSeconds: aht,
    patienceSeconds: patience,
    agents: n,
    thresholdSeconds: threshold,
    stable: true,
    probabilityOfWaiting: pWait,
    probabilityOfAbandon: pAbandon,
    serviceLevel: answeredWithin,
    serviceLevels: {
      answered_within: answeredWithin,
      answered_or_abandoned_within: clamp01(answeredWithin + abandonedWithin),
      answered_within_of_answered: clamp01(answeredWithin / pServed),
      answered_within_excluding_abandoned_within: clamp01(answeredWithin / (1 - abandonedWithin)),
    },
    asaSeconds: asa,
    // Little's law on the queue: abandonments leave at rate θ·E[queue] = λ·P(abandon).
    meanWaitSeconds: withWaits ? pAbandon * patience : Number.NaN,
    occupancy,
  };
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

function sameServiceLevels(value: number): Record<ServiceLevelDefinition, number> {
  return {
    answered_within: value,
    answered_or_abandoned_within: value,
    answered_within_of_answered: value,
    answered_within_excluding_abandoned_within: value,
  };
}

function idleMetrics(
  model: QueueMetrics['model'],
  aht: number,
  patience: number | null,
  n: number,
  threshold: number,
): QueueMetrics {
  return {
    model,
    trafficErlangs: 0,
    ahtSeconds: aht,
    patienceSeconds: patience,
    agents: n,
    thresholdSeconds: threshold,
    stable: true,
    probabilityOfWaiting: 0,
    probabilityOfAbandon: 0,
    serviceLevel: 1,
    serviceLevels: sameServiceLevels(1),
    asaSeconds: 0,
    meanWaitSeconds: 0,
    occupancy: 0,
  };
}

function unstableMetrics(
  model: QueueMetrics['model'],
  a: number,
  aht: number,
  patience: number | null,
  n: number,
  threshold: number,
): QueueMetrics {
  return {
    model,
    trafficErlangs: a,
    ahtSeconds: aht,
    patienceSeconds: patience,
    agents: n,
    thresholdSeconds: threshold,
    stable: false,
    probabilityOfWaiting: 1,
    probabilityOfAbandon: 0,
    serviceLevel: 0,
    serviceLevels: sameServiceLevels(0),
    asaSeconds: null,
    meanWaitSeconds: null,
    occupancy: 1,
  };
}
