// Statistics streamed per interval, and confidence intervals over replications.
//
// During a replication the loop adds into flat counters per (interval, queue),
// (interval, operator group) and (interval, campaign); nothing per contact is kept.
// After each replication every KPI of every cell becomes one (X, Y) pair, a
// numerator and a denominator, and only running sums of X, Y, X², Y², XY are kept.
// A KPI is then the ratio of expectations ΣX / ΣY (so a service level is answered-
// in-time over all replications divided by offered over all replications, not an
// average of daily ratios), and its confidence interval comes from the delta
// method for a ratio estimator: with r = ΣX/ΣY the residuals X_i − r·Y_i sum to
// zero, s² = Σ(X_i − r·Y_i)² / (n − 1), SE(r) = √(s²/n) / Ȳ (Cochran, Sampling
// Techniques, 3rd ed., §6.4). Counts use Y = 1: the mean per replication.
import type { SimulationEstimate, SimulationKpiSettings } from './simulate.types.ts';

// Counters of inbound contacts per (interval, queue); a contact counts in the interval it was queued in.
export const OFFERED = 0;
export const ANSWERED = 1;
export const ABANDONED = 2;
export const ANSWERED_WITHIN = 3;
export const ABANDONED_WITHIN = 4;
export const SHORT = 5;
/** Abandons both short and within T: what leaves Ab≤T when short abandons are excluded. */
export const SHORT_WITHIN = 6;
export const WAIT_ANSWERED = 7;
export const HANDLE = 8;
export const WAIT_ABANDONED = 9;
export const UNRESOLVED = 10;
export const INBOUND_FIELDS = 11;

// Seconds per (interval, operator group): time-based, in the interval where they happen.
export const LOGGED_IN = 0;
export const BUSY = 1;
export const OPERATOR_FIELDS = 2;

// Counters of outbound dials per (interval, campaign), in the interval of the dial.
export const DIALS = 0;
export const LIVE = 1;
export const MACHINES = 2;
export const CONNECTS = 3;
export const DROPS = 4;
export const RPC = 5;
export const SUCCESSES = 6;
export const OUT_HANDLE = 7;
export const FIRST_ATTEMPTS = 8;
export const OUTBOUND_FIELDS = 9;

const MOMENTS = 6;

/**
 * Running sums of (X, Y, X², Y², XY) per cell and metric over replications, and how
 * many replications had Y ≠ 0 (a ratio seen in one replication only has no interval).
 */
export class RatioAccumulator {
  readonly metrics: number;
  readonly sums: Float64Array;

  constructor(cells: number, metrics: number) {
    this.metrics = metrics;
    this.sums = new Float64Array(cells * metrics * MOMENTS);
  }

  add(cell: number, metric: number, x: number, y: number): void {
    const i = (cell * this.metrics + metric) * MOMENTS;
    const s = this.sums;
    s[i] = s[i]! + x;
    s[i + 1] = s[i + 1]! + y;
    s[i + 2] = s[i + 2]! + x * x;
    s[i + 3] = s[i + 3]! + y * y;
    s[i + 4] = s[i + 4]! + x * y;
    if (y !== 0) s[i + 5] = s[i + 5]! + 1;
  }

  /**
   * Ratio of expectations with its CI; `scale` converts units (e.g. seconds to hours).
   * The interval is clipped to [min, max], the range the figure can take (a share
   * lies in [0, 1]); the normal approximation knows nothing of it.
   */
  estimate(
    cell: number,
    metric: number,
    replications: number,
    t: number,
    scale = 1,
    min = 0,
    max = Number.POSITIVE_INFINITY,
  ): SimulationEstimate {
    const i = (cell * this.metrics + metric) * MOMENTS;
    const s = this.sums;
    const sx = s[i]!;
    const sy = s[i + 1]!;
    if (!(sy > 0)) return { value: null, low: null, high: null };
    const r = sx / sy;
    const value = r * scale;
    if (replications < 2 || s[i + 5]! < 2) return { value: tidy(value), low: null, high: null };
    const residuals = Math.max(0, s[i + 2]! - 2 * r * s[i + 4]! + r * r * s[i + 3]!);
    const meanY = sy / replications;
    const se = Math.sqrt(residuals / (replications - 1) / replications) / meanY;
    const half = t * se * scale;
    return {
      value: tidy(value),
      low: tidy(Math.max(min, value - half)),
      high: tidy(Math.min(max, value + half)),
    };
  }
}

/** Rounds away float noise below 1e-12 relative, so equal runs print equal JSON. */
function tidy(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : x;
}

export const INBOUND_METRICS = [
  'offered',
  'answered',
  'abandoned',
  'shortAbandoned',
  'unresolved',
  'serviceLevel',
  'asaSeconds',
  'abandonRate',
  'ahtSeconds',
  'timeToAbandonSeconds',
] as const;

/** The (numerator, denominator) of each inbound KPI from one cell's counters, per DOMAIN.md §3. */
export function inboundPairs(
  counters: Float64Array,
  at: number,
  kpi: SimulationKpiSettings,
  out: Float64Array,
): void {
  const offered = counters[at + OFFERED]!;
  const answered = counters[at + ANSWERED]!;
  const abandoned = counters[at + ABANDONED]!;
  const answeredWithin = counters[at + ANSWERED_WITHIN]!;
  const short = counters[at + SHORT]!;
  const excluded = kpi.excludeShortAbandons;
  const slAbandoned = excluded ? abandoned - short : abandoned;
  const slAbandonedWithin = counters[at + ABANDONED_WITHIN]! - (excluded ? counters[at + SHORT_WITHIN]! : 0);
  let slNumerator: number;
  let slDenominator: number;
  switch (kpi.serviceLevelDefinition) {
    case 'answered_within_of_answered':
      slNumerator = answeredWithin;
      slDenominator = answered;
      break;
    case 'answered_within':
      slNumerator = answeredWithin;
      slDenominator = answered + slAbandoned;
      break;
    case 'answered_within_excluding_abandoned_within':
      slNumerator = answeredWithin;
      slDenominator = answered + slAbandoned - slAbandonedWithin;
      break;
    default:
      slNumerator = answeredWithin + slAbandonedWithin;
      slDenominator = answered + slAbandoned;
  }
  const abandonNumerator = kpi.abandonRateIncludesShort ? abandoned : abandoned - short;
  out[0] = offered;
  out[1] = 1;
  out[2] = answered;
  out[3] = 1;
  out[4] = abandoned;
  out[5] = 1;
  out[6] = short;
  out[7] = 1;
  out[8] = counters[at + UNRESOLVED]!;
  out[9] = 1;
  out[10] = slNumerator;
  out[11] = slDenominator;
  out[12] = counters[at + WAIT_ANSWERED]!;
  out[13] = answered;
  out[14] = abandonNumerator;
  out[15] = answered + abandonNumerator;
  out[16] = counters[at + HANDLE]!;
  out[17] = answered;
  out[18] = counters[at + WAIT_ABANDONED]!;
  out[19] = abandoned;
}

export const OCCUPANCY_METRICS = ['occupancy', 'loggedInHours', 'handleHours'] as const;

export function occupancyPairs(loggedIn: number, busy: number, out: Float64Array): void {
  out[0] = busy;
  out[1] = loggedIn;
  out[2] = loggedIn;
  out[3] = 1;
  out[4] = busy;
  out[5] = 1;
}

export const OUTBOUND_METRICS = [
  'dials',
  'liveAnswers',
  'machines',
  'connects',
  'drops',
  'rightPartyContacts',
  'successes',
  'dropRate',
  'contactRate',
  'conversionRate',
  'ahtSeconds',
] as const;

export function outboundPairs(
  counters: Float64Array,
  at: number,
  conversionBase: 'rpc' | 'connects' | 'dials',
  out: Float64Array,
): void {
  const dials = counters[at + DIALS]!;
  const live = counters[at + LIVE]!;
  const connects = counters[at + CONNECTS]!;
  const rpc = counters[at + RPC]!;
  const successes = counters[at + SUCCESSES]!;
  const counts = [dials, live, counters[at + MACHINES]!, connects, counters[at + DROPS]!, rpc, successes];
  for (let i = 0; i < counts.length; i++) {
    out[2 * i] = counts[i]!;
    out[2 * i + 1] = 1;
  }
  out[14] = counters[at + DROPS]!;
  out[15] = live;
  out[16] = rpc;
  out[17] = dials;
  out[18] = successes;
  out[19] = conversionBase === 'rpc' ? rpc : conversionBase === 'connects' ? connects : dials;
  out[20] = counters[at + OUT_HANDLE]!;
  out[21] = connects;
}

/**
 * Two-sided quantile of Student's t: the t with P(|T| ≤ t) = level for `df`
 * degrees of freedom. P(|T| ≤ t) is the finite series of Abramowitz & Stegun
 * 26.7.3 (odd df) and 26.7.4 (even df) in θ = atan(t/√df), exact for whole df;
 * the quantile is found by bisection (the function is increasing in t).
 */
export function studentTQuantile(level: number, df: number): number {
  const nu = Math.min(Math.max(1, Math.round(df)), 100_000);
  let low = 0;
  let high = 1;
  while (studentTCentral(high, nu) < level) high *= 2;
  for (let i = 0; i < 80; i++) {
    const mid = (low + high) / 2;
    if (studentTCentral(mid, nu) < level) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** P(|T| ≤ t) for Student's t with nu (whole) degrees of freedom. */
export function studentTCentral(t: number, nu: number): number {
  const theta = Math.atan(t / Math.sqrt(nu));
  const c2 = Math.cos(theta) ** 2;
  const sin = Math.sin(theta);
  if (nu % 2 === 1) {
    if (nu === 1) return (2 / Math.PI) * theta;
    let term = Math.cos(theta);
    let sum = term;
    for (let j = 1; j <= (nu - 3) / 2; j++) {
      term *= ((2 * j) / (2 * j + 1)) * c2;
      sum += term;
    }
    return (2 / Math.PI) * (theta + sin * sum);
  }
  let term = 1;
  let sum = 1;
  for (let j = 1; j <= (nu - 2) / 2; j++) {
    term *= ((2 * j - 1) / (2 * j)) * c2;
    sum += term;
  }
  return sin * sum;
}
