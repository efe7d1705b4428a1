// Public types of contact forecasting (issue 3, section 2). Plain JSON-able data.

/** One interval of history: contacts offered and their average handle time. */
export type ForecastObservation = {
  /** ISO 8601 UTC start of the interval, e.g. `2025-03-03T08:15:00Z`. */
  intervalStart: string;
  /** Contacts offered (queued) in the interval. */
  offered: number;
  /** Average handle time of the interval's contacts; null when none were handled. */
  ahtSeconds: number | null;
  /** Queue name; history without one forms the queue `default`. */
  queue?: string;
};

export type ForecastMethod = 'seasonal_naive' | 'weighted_average' | 'holt_winters';

export const FORECAST_METHODS: readonly ForecastMethod[] = [
  'seasonal_naive',
  'weighted_average',
  'holt_winters',
];

export type ForecastOptions = {
  history: ForecastObservation[];
  /** 15 or 30; default: inferred from the history's spacing. */
  intervalMinutes?: 15 | 30;
  /** Days to forecast after the last interval of the history. */
  horizonDays: number;
  /** UTC dates (`YYYY-MM-DD`) to leave out of fitting and scoring (public holidays, outages). */
  holidays?: string[];
  /** Methods to compare; default all three. */
  methods?: ForecastMethod[];
  /** Days at the end of the history held out to choose the method; default 7. */
  backtestDays?: number;
  /** Weeks averaged by `weighted_average`; default 4. */
  weightedWeeks?: number;
};

export type BacktestScore = {
  method: ForecastMethod;
  /** Weighted absolute percentage error Σ|forecast − actual| / Σ actual over the held-out days. */
  wape: number;
  /** Σ(forecast − actual) / Σ actual: positive when the method over-forecasts. */
  bias: number;
};

export type ForecastInterval = {
  intervalStart: string;
  offered: number;
  ahtSeconds: number;
  /** The interval falls on one of the given holidays: the figure is that of a normal day. */
  holiday: boolean;
};

export type QueueForecast = {
  queue: string;
  method: ForecastMethod;
  /** Backtest WAPE of the chosen method. */
  wape: number;
  bias: number;
  /** Every method compared, best first; methods lacking history are listed in `skipped`. */
  backtest: BacktestScore[];
  skipped: { method: ForecastMethod; reason: string }[];
  /** Fitted smoothing parameters when Holt-Winters was fitted. */
  holtWinters: { alpha: number; gamma: number; delta: number; omega: number } | null;
  historyIntervals: number;
  missingIntervals: number;
  intervals: ForecastInterval[];
};

export type ForecastResult = {
  intervalMinutes: 15 | 30;
  horizonDays: number;
  backtestDays: number;
  queues: QueueForecast[];
};
