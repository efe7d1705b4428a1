// A synthetic contact history with a known truth, for tests, benchmarks and the
// example file: expected contacts per interval = base × intraday profile ×
// weekday factor × trend, observed with Poisson noise; AHT with the noise of an
// average of that many handle times. Random numbers are injected (seeded).
import type { ForecastObservation } from './forecast.types.ts';
import { checkNumber, IssueList } from './wfm.errors.ts';

export type SyntheticHistoryOptions = {
  /** Uniform numbers in [0, 1), e.g. createRandom(seed). */
  random: () => number;
  /** First interval, a UTC midnight, e.g. `2025-01-06T00:00:00Z` (a Monday). */
  start: string;
  days: number;
  intervalMinutes: 15 | 30;
  /** Expected contacts in the busiest interval of the busiest weekday, at the start. */
  peakCallsPerInterval: number;
  /** Relative growth per week, e.g. 0.01 for +1 % a week (compounded). Default 0. */
  weeklyTrend?: number;
  /** Relative weight of each interval of the day; default office hours with two peaks. */
  intradayProfile?: number[];
  /** Monday … Sunday factors; default a quieter Friday and weekend. */
  weekdayFactors?: number[];
  /** Mean handle time; default 240 s. */
  ahtSeconds?: number;
  queue?: string;
  /** Share of intervals dropped as gaps in the data (e.g. a failed export); default 0. */
  gapRate?: number;
  /** UTC dates (`YYYY-MM-DD`) whose volume is only `holidayFactor` of a normal day. */
  holidays?: string[];
  holidayFactor?: number;
};

export type SyntheticHistory = {
  /** The observations (gaps left out), as a history file would hold them. */
  history: ForecastObservation[];
  /** The true expected contacts of every interval, gaps included. */
  expected: { intervalStart: string; offered: number }[];
};

const DEFAULT_WEEKDAYS = [1, 0.96, 0.94, 0.95, 0.88, 0.55, 0.3];

/** Office-hours curve: closed at night, a morning peak near 10:30 and an afternoon one near 15:00. */
export function defaultIntradayProfile(intervalsPerDay: number): number[] {
  const profile: number[] = [];
  for (let i = 0; i < intervalsPerDay; i++) {
    const hour = ((i + 0.5) * 24) / intervalsPerDay;
    const bump = (centre: number, width: number) => Math.exp(-(((hour - centre) / width) ** 2) / 2);
    const open = hour >= 7 && hour < 22 ? 1 : 0.02;
    profile.push(open * (0.08 + bump(10.5, 1.6) + 0.8 * bump(15, 1.9) + 0.25 * bump(19.5, 1.2)));
  }
  const peak = Math.max(...profile);
  return profile.map((v) => v / peak);
}

export function generateSyntheticHistory(options: SyntheticHistoryOptions): SyntheticHistory {
  const issues = new IssueList();
  const startMs = Date.parse(options.start);
  if (Number.isNaN(startMs) || startMs % 86_400_000 !== 0) issues.add('start', 'must be an ISO UTC midnight');
  checkNumber(issues, 'days', options.days, { min: 1, integer: true });
  if (options.intervalMinutes !== 15 && options.intervalMinutes !== 30)
    issues.add('intervalMinutes', 'must be 15 or 30');
  checkNumber(issues, 'peakCallsPerInterval', options.peakCallsPerInterval, { min: 0 });
  if (typeof options.random !== 'function') issues.add('random', 'must be a function returning [0, 1)');
  issues.throwIfAny();

  const perDay = 1440 / options.intervalMinutes;
  const profile = options.intradayProfile ?? defaultIntradayProfile(perDay);
  const weekdays = options.weekdayFactors ?? DEFAULT_WEEKDAYS;
  const aht = options.ahtSeconds ?? 240;
  const holidays = new Set(options.holidays ?? []);
  const history: ForecastObservation[] = [];
  const expected: { intervalStart: string; offered: number }[] = [];
  const stepMs = options.intervalMinutes * 60_000;
  for (let day = 0; day < options.days; day++) {
    const dayMs = startMs + day * 86_400_000;
    const date = new Date(dayMs).toISOString().slice(0, 10);
    const weekday = (new Date(dayMs).getUTCDay() + 6) % 7; // Monday = 0
    const dayFactor = weekdays[weekday]! * (holidays.has(date) ? (options.holidayFactor ?? 0.15) : 1);
    for (let i = 0; i < perDay; i++) {
      const t = day * perDay + i;
      const growth = (1 + (options.weeklyTrend ?? 0)) ** (t / (7 * perDay));
      const mean = options.peakCallsPerInterval * profile[i % profile.length]! * dayFactor * growth;
      const intervalStart = new Date(dayMs + i * stepMs).toISOString();
      expected.push({ intervalStart, offered: mean });
      const offered = poisson(mean, options.random);
      if (options.gapRate && options.random() < options.gapRate) continue;
      // An interval's AHT averages `offered` handle times: relative noise 1/√offered.
      const observedAht =
        offered === 0
          ? null
          : Math.max(1, Math.round(aht * (1 + gaussian(options.random) / Math.sqrt(offered)) * 10) / 10);
      history.push({
        intervalStart,
        offered,
        ahtSeconds: observedAht,
        ...(options.queue ? { queue: options.queue } : {}),
      });
    }
  }
  return { history, expected };
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const logFactorials: number[] = [0];

function logFactorial(k: number): number {
  for (let i = logFactorials.length; i <= k; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[k]!;
}

/**
 * An exact Poisson draw by inversion over the support enumerated outward from
 * the mode (m, m+1, m−1, m+2, …): any fixed order of the outcomes gives the right
 * distribution, and this one needs O(√mean) steps.
 */
export function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  const mode = Math.floor(mean);
  const lnMean = Math.log(mean);
  const pmf = (k: number) => Math.exp(-mean + k * lnMean - logFactorial(k));
  const u = random();
  let cumulative = pmf(mode);
  if (u < cumulative) return mode;
  let up = mode;
  let down = mode;
  for (;;) {
    const pUp = pmf(up + 1);
    const pDown = down > 0 ? pmf(down - 1) : 0;
    if (pUp < 1e-300 && pDown < 1e-300) return mode;
    up++;
    cumulative += pUp;
    if (u < cumulative) return up;
    if (down > 0) {
      down--;
      cumulative += pDown;
      if (u < cumulative) return down;
    }
  }
}
