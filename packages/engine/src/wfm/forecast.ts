// Forecast of offered contacts and AHT per interval and queue: each method is
// backtested on the last days of the history, the one with the lowest WAPE is
// refitted on the whole history and forecasts the horizon.
import {
  type HoltWintersParameters,
  holtWinters,
  type SeasonalPeriods,
  seasonalNaive,
  weightedAverage,
} from './forecast.methods.ts';
import {
  type BacktestScore,
  FORECAST_METHODS,
  type ForecastInterval,
  type ForecastMethod,
  type ForecastObservation,
  type ForecastOptions,
  type ForecastResult,
  type QueueForecast,
} from './forecast.types.ts';
import { checkNumber, checkObject, describe, IssueList, WfmError } from './wfm.errors.ts';

const DAY_MS = 86_400_000;

/** History in weeks each method needs before the backtest window. */
const WEEKS_NEEDED: Record<ForecastMethod, number> = {
  seasonal_naive: 1,
  weighted_average: 1,
  holt_winters: 3,
};

export function forecast(options: ForecastOptions): ForecastResult {
  const issues = new IssueList();
  if (!checkObject(issues, '(options)', options)) issues.throwIfAny();
  const input = options as Record<string, unknown>;
  const horizonDays = checkNumber(issues, 'horizonDays', input.horizonDays, {
    min: 1,
    max: 366,
    integer: true,
  });
  const backtestDays =
    input.backtestDays === undefined
      ? 7
      : checkNumber(issues, 'backtestDays', input.backtestDays, { min: 1, max: 92, integer: true });
  const weightedWeeks =
    input.weightedWeeks === undefined
      ? 4
      : checkNumber(issues, 'weightedWeeks', input.weightedWeeks, { min: 1, max: 52, integer: true });
  const methods = readMethods(issues, input.methods);
  const holidays = readHolidays(issues, input.holidays);
  const observations = readHistory(issues, input.history);
  let intervalMinutes: 15 | 30 | null = null;
  if (input.intervalMinutes !== undefined) {
    if (input.intervalMinutes === 15 || input.intervalMinutes === 30) intervalMinutes = input.intervalMinutes;
    else issues.add('intervalMinutes', `must be 15 or 30, got ${describe(input.intervalMinutes)}`);
  }
  issues.throwIfAny();
  intervalMinutes ??= inferIntervalMinutes(observations);

  const byQueue = new Map<string, { t: number; row: ForecastObservation; index: number }[]>();
  observations.forEach((o, index) => {
    const queue = o.row.queue ?? 'default';
    if (!byQueue.has(queue)) byQueue.set(queue, []);
    byQueue.get(queue)!.push({ t: o.t, row: o.row, index });
  });
  const stepMs = intervalMinutes * 60_000;
  for (const rows of byQueue.values()) {
    for (const { t, index } of rows) {
      if (t % stepMs !== 0) {
        issues.add(`history[${index}].intervalStart`, `does not start a ${intervalMinutes}-minute interval`);
      }
    }
  }
  issues.throwIfAny();

  const queues: QueueForecast[] = [];
  for (const [queue, rows] of [...byQueue.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    queues.push(
      forecastQueue(queue, rows, {
        intervalMinutes,
        horizonDays,
        backtestDays,
        weightedWeeks,
        methods,
        holidays,
      }),
    );
  }
  return { intervalMinutes, horizonDays, backtestDays, queues };
}

type QueueSettings = {
  intervalMinutes: 15 | 30;
  horizonDays: number;
  backtestDays: number;
  weightedWeeks: number;
  methods: ForecastMethod[];
  holidays: Set<string>;
};

function forecastQueue(
  queue: string,
  rows: { t: number; row: ForecastObservation; index: number }[],
  settings: QueueSettings,
): QueueForecast {
  const stepMs = settings.intervalMinutes * 60_000;
  const daily = 1440 / settings.intervalMinutes;
  const periods: SeasonalPeriods = { daily, weekly: 7 * daily };
  // The grid starts at the UTC midnight of the first interval, so that index mod
  // `daily` is the interval of the day and index mod `weekly` the interval of the week.
  const first = Math.min(...rows.map((r) => r.t));
  const last = Math.max(...rows.map((r) => r.t));
  const origin = Math.floor(first / DAY_MS) * DAY_MS;
  const length = Math.round((last - origin) / stepMs) + 1;
  const offered = new Float64Array(length).fill(Number.NaN);
  const ahtWork = new Float64Array(length); // offered × AHT, for volume-weighted AHT
  const ahtVolume = new Float64Array(length);
  const duplicates = new IssueList();
  for (const { t, row, index } of rows) {
    const i = Math.round((t - origin) / stepMs);
    if (!Number.isNaN(offered[i]!)) {
      duplicates.add(`history[${index}].intervalStart`, `repeats ${row.intervalStart} for queue ${queue}`);
      continue;
    }
    const holiday = settings.holidays.has(new Date(t).toISOString().slice(0, 10));
    if (holiday) continue;
    offered[i] = row.offered;
    if (row.ahtSeconds !== null && row.offered > 0) {
      ahtWork[i] = row.offered * row.ahtSeconds;
      ahtVolume[i] = row.offered;
    }
  }
  duplicates.throwIfAny();
  // The history is scored and fitted from its first whole day on; the weekly phase
  // of the grid is kept by the modular indexing (origin is a midnight).
  let missing = 0;
  for (const v of offered) if (Number.isNaN(v)) missing++;

  const backtestLength = settings.backtestDays * daily;
  const trainLength = length - backtestLength;
  const scores: BacktestScore[] = [];
  const skipped: { method: ForecastMethod; reason: string }[] = [];
  for (const method of settings.methods) {
    const needed = WEEKS_NEEDED[method] * periods.weekly;
    if (trainLength < needed) {
      skipped.push({
        method,
        reason: `needs ${WEEKS_NEEDED[method]} week(s) of history before the ${settings.backtestDays}-day backtest`,
      });
      continue;
    }
    const train = offered.subarray(0, trainLength);
    const predicted = runMethod(method, train, periods, backtestLength, settings.weightedWeeks).forecast;
    let absolute = 0;
    let signed = 0;
    let actual = 0;
    for (let h = 0; h < backtestLength; h++) {
      const y = offered[trainLength + h]!;
      if (Number.isNaN(y)) continue;
      const f = Math.max(0, predicted[h]!);
      absolute += Math.abs(f - y);
      signed += f - y;
      actual += y;
    }
    scores.push({ method, wape: actual > 0 ? absolute / actual : 0, bias: actual > 0 ? signed / actual : 0 });
  }
  if (scores.length === 0) {
    throw new WfmError('WFM_INSUFFICIENT_HISTORY', [
      {
        field: 'history',
        message: `queue ${queue} has ${(length / daily).toFixed(1)} days of history; at least ${7 + settings.backtestDays} are needed (one week plus the backtest)`,
      },
    ]);
  }
  scores.sort(
    (a, b) => a.wape - b.wape || FORECAST_METHODS.indexOf(a.method) - FORECAST_METHODS.indexOf(b.method),
  );
  const chosen = scores[0]!;
  const horizon = settings.horizonDays * daily;
  const final = runMethod(chosen.method, offered, periods, horizon, settings.weightedWeeks);
  const aht = forecastAht(ahtWork, ahtVolume, periods, horizon, settings.weightedWeeks);
  const intervals: ForecastInterval[] = [];
  const start = origin + length * stepMs;
  for (let h = 0; h < horizon; h++) {
    const t = start + h * stepMs;
    const iso = new Date(t).toISOString();
    intervals.push({
      intervalStart: iso,
      offered: roundTo(Math.max(0, final.forecast[h]!), 3),
      ahtSeconds: roundTo(aht[h]!, 1),
      holiday: settings.holidays.has(iso.slice(0, 10)),
    });
  }
  return {
    queue,
    method: chosen.method,
    wape: chosen.wape,
    bias: chosen.bias,
    backtest: scores,
    skipped,
    holtWinters: final.parameters,
    historyIntervals: length - missing,
    missingIntervals: missing,
    intervals,
  };
}

function runMethod(
  method: ForecastMethod,
  history: Float64Array,
  periods: SeasonalPeriods,
  horizon: number,
  weeks: number,
): { forecast: Float64Array; parameters: HoltWintersParameters | null } {
  switch (method) {
    case 'seasonal_naive':
      return { forecast: seasonalNaive(history, periods, horizon), parameters: null };
    case 'weighted_average':
      return { forecast: weightedAverage(history, periods, horizon, weeks), parameters: null };
    case 'holt_winters':
      return holtWinters(history, periods, horizon);
  }
}

/**
 * AHT per interval: the volume-weighted average of the same weekday and interval
 * over the latest weeks, else of the same interval of any day, else of everything.
 * Handle time changes slowly and its noise is large where volume is small, which
 * the volume weights damp.
 */
function forecastAht(
  work: Float64Array,
  volume: Float64Array,
  periods: SeasonalPeriods,
  horizon: number,
  weeks: number,
): Float64Array {
  const n = work.length;
  let totalWork = 0;
  let totalVolume = 0;
  for (let t = 0; t < n; t++) {
    totalWork += work[t]!;
    totalVolume += volume[t]!;
  }
  const overall = totalVolume > 0 ? totalWork / totalVolume : 0;
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    let w = 0;
    let v = 0;
    let found = 0;
    for (let t = n + h - periods.weekly; t >= 0 && found < weeks; t -= periods.weekly) {
      if (t >= n || volume[t] === 0) continue;
      w += work[t]!;
      v += volume[t]!;
      found++;
    }
    if (v === 0) {
      for (let t = n + h - periods.daily, days = 0; t >= 0 && days < 7 * weeks; t -= periods.daily, days++) {
        if (t >= n) continue;
        w += work[t]!;
        v += volume[t]!;
      }
    }
    out[h] = v > 0 ? w / v : overall;
  }
  return out;
}

function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function inferIntervalMinutes(observations: { t: number }[]): 15 | 30 {
  const times = [...new Set(observations.map((o) => o.t))].sort((a, b) => a - b);
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++) smallest = Math.min(smallest, times[i]! - times[i - 1]!);
  if (smallest === 15 * 60_000) return 15;
  if (smallest === 30 * 60_000 || smallest % (30 * 60_000) === 0) return 30;
  if (smallest % (15 * 60_000) === 0) return 15;
  throw new WfmError('WFM_INVALID_INPUT', [
    {
      field: 'intervalMinutes',
      message: 'cannot infer 15 or 30 minutes from the history; give intervalMinutes',
    },
  ]);
}

function readMethods(issues: IssueList, value: unknown): ForecastMethod[] {
  if (value === undefined) return [...FORECAST_METHODS];
  if (!Array.isArray(value) || value.length === 0) {
    issues.add('methods', `must be a non-empty array of ${FORECAST_METHODS.join(', ')}`);
    return [];
  }
  const methods: ForecastMethod[] = [];
  value.forEach((m, i) => {
    if (FORECAST_METHODS.includes(m as ForecastMethod)) methods.push(m as ForecastMethod);
    else issues.add(`methods[${i}]`, `must be one of ${FORECAST_METHODS.join(', ')}, got ${describe(m)}`);
  });
  return methods;
}

function readHolidays(issues: IssueList, value: unknown): Set<string> {
  const holidays = new Set<string>();
  if (value === undefined) return holidays;
  if (!Array.isArray(value)) {
    issues.add('holidays', 'must be an array of YYYY-MM-DD dates');
    return holidays;
  }
  value.forEach((d, i) => {
    if (
      typeof d === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(d) &&
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`))
    ) {
      holidays.add(d);
    } else {
      issues.add(`holidays[${i}]`, `must be a YYYY-MM-DD date, got ${describe(d)}`);
    }
  });
  return holidays;
}

/** ISO 8601 with an explicit UTC designator (Z or +00:00), as the history file documents. */
export function parseUtcInstant(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]00:?00)$/.test(value)) return Number.NaN;
  return Date.parse(value);
}

function readHistory(issues: IssueList, value: unknown): { t: number; row: ForecastObservation }[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.add('history', 'must be a non-empty array of { intervalStart, offered, ahtSeconds }');
    return [];
  }
  const rows: { t: number; row: ForecastObservation }[] = [];
  for (let i = 0; i < value.length; i++) {
    const field = `history[${i}]`;
    const row = value[i] as unknown;
    if (!checkObject(issues, field, row)) continue;
    const t = typeof row.intervalStart === 'string' ? parseUtcInstant(row.intervalStart) : Number.NaN;
    if (Number.isNaN(t))
      issues.add(`${field}.intervalStart`, `must be an ISO UTC instant, got ${describe(row.intervalStart)}`);
    const offered = checkNumber(issues, `${field}.offered`, row.offered, { min: 0 });
    const aht =
      row.ahtSeconds === null || row.ahtSeconds === undefined
        ? null
        : checkNumber(issues, `${field}.ahtSeconds`, row.ahtSeconds, { min: 0, minExclusive: true });
    if (row.queue !== undefined && (typeof row.queue !== 'string' || row.queue === '')) {
      issues.add(`${field}.queue`, 'must be a non-empty string');
    }
    if (issues.issues.length > 50) break; // enough to fix a file; do not flood
    rows.push({
      t,
      row: {
        intervalStart: row.intervalStart as string,
        offered,
        ahtSeconds: aht,
        ...(typeof row.queue === 'string' ? { queue: row.queue } : {}),
      },
    });
  }
  return rows;
}
