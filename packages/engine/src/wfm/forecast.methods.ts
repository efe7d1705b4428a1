// Forecasting methods over a regular series of intervals (NaN = missing: a gap in
// the data or a holiday). Each takes the history and returns the next `horizon`
// values; none looks at the future.

export type SeasonalPeriods = {
  /** Intervals per day (96 for 15 minutes, 48 for 30). */
  daily: number;
  /** Intervals per week. */
  weekly: number;
};

/** Same interval one week earlier (the latest week that has a value): the baseline. */
export function seasonalNaive(
  history: Float64Array,
  periods: SeasonalPeriods,
  horizon: number,
): Float64Array {
  const n = history.length;
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    let value = Number.NaN;
    for (let t = n + h - periods.weekly; t >= 0 && Number.isNaN(value); t -= periods.weekly) {
      if (t < n) value = history[t]!;
    }
    out[h] = Number.isNaN(value) ? sameSlotFallback(history, periods, n + h) : value;
  }
  return out;
}

/**
 * Weighted average of the same weekday and interval over the latest `weeks`
 * weeks that have a value, the most recent weighing most (weights weeks, …, 2, 1).
 */
export function weightedAverage(
  history: Float64Array,
  periods: SeasonalPeriods,
  horizon: number,
  weeks: number,
): Float64Array {
  const n = history.length;
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    let sum = 0;
    let weightSum = 0;
    let found = 0;
    for (let t = n + h - periods.weekly; t >= 0 && found < weeks; t -= periods.weekly) {
      if (t >= n) continue;
      const value = history[t]!;
      if (Number.isNaN(value)) continue;
      const weight = weeks - found;
      sum += weight * value;
      weightSum += weight;
      found++;
    }
    out[h] = weightSum > 0 ? sum / weightSum : sameSlotFallback(history, periods, n + h);
  }
  return out;
}

/** Last value of the same interval of the day, or 0: only for slots never seen on that weekday. */
function sameSlotFallback(history: Float64Array, periods: SeasonalPeriods, target: number): number {
  for (let t = target - periods.daily; t >= 0; t -= periods.daily) {
    if (t < history.length && !Number.isNaN(history[t]!)) return history[t]!;
  }
  return 0;
}

// --- Double-seasonal Holt-Winters (Taylor 2003, 2008) ------------------------------

/**
 * Smoothing parameters: level α, trend γ, intraday seasonal δ, weekly seasonal ω.
 */
export type HoltWintersParameters = { alpha: number; gamma: number; delta: number; omega: number };

type HoltWintersState = {
  level: number;
  trend: number;
  daily: Float64Array;
  weekly: Float64Array;
};

/**
 * Double-seasonal Holt-Winters after J. W. Taylor, "A comparison of univariate
 * time series methods for forecasting intraday arrivals at a call center",
 * Management Science 54 (2008), from his 2003 double seasonal exponential
 * smoothing. Taylor's seasonal indices are multiplicative; here the additive
 * recursions run on z = ln(1 + y), which makes them multiplicative in effect
 * (a growing level scales the intraday and weekly shapes, as it does in call
 * centers) while night intervals with no contacts stay finite:
 *   l_t = α (z_t − D_{t−m1} − W_{t−m2}) + (1 − α)(l_{t−1} + b_{t−1})
 *   b_t = γ (l_t − l_{t−1}) + (1 − γ) b_{t−1}
 *   D_t = δ (z_t − l_t − W_{t−m2}) + (1 − δ) D_{t−m1}
 *   W_t = ω (z_t − l_t − D_{t−m1}) + (1 − ω) W_{t−m2}
 *   ẑ_t(k) = l_t + k b_t + D_{t+k−m1} + W_{t+k−m2}
 * A missing z_t (gap, holiday) takes its own forecast, so the states carry on
 * unchanged. The seasonal indices start from the first two weeks.
 */
function initialState(history: Float64Array, periods: SeasonalPeriods): HoltWintersState {
  const { daily: m1, weekly: m2 } = periods;
  // Up to four whole weeks: the more weeks the initial indices average, the less
  // noise the smoothing has to wash out (and the smaller ω the fit can afford).
  const weeks = initialWeeks(history.length, m2);
  const means: { week: number; mean: number }[] = [];
  for (let week = 0; week < weeks; week++) {
    const m = mean(history, week * m2, (week + 1) * m2);
    if (!Number.isNaN(m)) means.push({ week, mean: m });
  }
  // Least-squares line through the weekly means: level at the centre of week 0, trend per interval.
  let level = 0;
  let trend = 0;
  if (means.length === 1) level = means[0]!.mean;
  if (means.length >= 2) {
    const xBar = means.reduce((s, p) => s + p.week, 0) / means.length;
    const yBar = means.reduce((s, p) => s + p.mean, 0) / means.length;
    let sxy = 0;
    let sxx = 0;
    for (const p of means) {
      sxy += (p.week - xBar) * (p.mean - yBar);
      sxx += (p.week - xBar) ** 2;
    }
    const perWeek = sxy / sxx;
    level = yBar - perWeek * xBar;
    trend = perWeek / m2;
  }
  const centre = (m2 - 1) / 2;
  const deviation = (t: number) => history[t]! - (level + trend * (t - centre));
  const span = weeks * m2;
  const daily = new Float64Array(m1);
  const dailyCount = new Float64Array(m1);
  for (let t = 0; t < span; t++) {
    if (Number.isNaN(history[t]!)) continue;
    daily[t % m1]! += deviation(t);
    dailyCount[t % m1]!++;
  }
  for (let s = 0; s < m1; s++) daily[s] = dailyCount[s]! > 0 ? daily[s]! / dailyCount[s]! : 0;
  const weekly = new Float64Array(m2);
  const weeklyCount = new Float64Array(m2);
  for (let t = 0; t < span; t++) {
    if (Number.isNaN(history[t]!)) continue;
    weekly[t % m2]! += deviation(t) - daily[t % m1]!;
    weeklyCount[t % m2]!++;
  }
  for (let w = 0; w < m2; w++) weekly[w] = weeklyCount[w]! > 0 ? weekly[w]! / weeklyCount[w]! : 0;
  return { level, trend, daily, weekly };
}

/** Weeks that initialise the indices: up to four, leaving at least two to fit on. */
function initialWeeks(length: number, weekly: number): number {
  return Math.max(1, Math.min(4, Math.floor(length / weekly) - 2));
}

function mean(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let t = from; t < Math.min(to, values.length); t++) {
    if (Number.isNaN(values[t]!)) continue;
    sum += values[t]!;
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

/**
 * Runs the recursions over the history. Returns the final state and the sum of
 * squared errors of day-ahead forecasts (made at each midnight for the next day,
 * the way planners use them) after the weeks that initialised the indices.
 */
function runHoltWinters(
  history: Float64Array,
  counts: Float64Array,
  periods: SeasonalPeriods,
  p: HoltWintersParameters,
  start: HoltWintersState,
): { state: HoltWintersState; sse: number; count: number } {
  const { daily: m1, weekly: m2 } = periods;
  const daily = Float64Array.from(start.daily);
  const weekly = Float64Array.from(start.weekly);
  let level = start.level;
  let trend = start.trend;
  let originLevel = level;
  let originTrend = trend;
  let sse = 0;
  let count = 0;
  const scoredFrom = initialWeeks(history.length, m2) * m2;
  for (let t = 0; t < history.length; t++) {
    const s = t % m1;
    const w = t % m2;
    if (s === 0) {
      originLevel = level;
      originTrend = trend;
    }
    const y = history[t]!;
    if (Number.isNaN(y)) {
      level += trend;
      continue;
    }
    if (t >= scoredFrom) {
      // Scored in contacts, not logs: otherwise the noisy quiet night intervals
      // would dominate the fit.
      const dayAhead = originLevel + (s + 1) * originTrend + daily[s]! + weekly[w]!;
      const e = counts[t]! - Math.expm1(dayAhead);
      sse += e * e;
      count++;
    }
    const previousLevel = level;
    level = p.alpha * (y - daily[s]! - weekly[w]!) + (1 - p.alpha) * (level + trend);
    trend = p.gamma * (level - previousLevel) + (1 - p.gamma) * trend;
    const dailyBefore = daily[s]!;
    daily[s] = p.delta * (y - level - weekly[w]!) + (1 - p.delta) * dailyBefore;
    weekly[w] = p.omega * (y - level - dailyBefore) + (1 - p.omega) * weekly[w]!;
  }
  return { state: { level, trend, daily, weekly }, sse, count };
}

/**
 * Fits α, γ, δ, ω by minimising the day-ahead squared error on the history: a
 * coarse grid, then Nelder-Mead on the logit scale (keeps every parameter in (0, 1)).
 */
export function fitHoltWinters(counts: Float64Array, periods: SeasonalPeriods): HoltWintersParameters {
  const history = logSeries(counts);
  const start = initialState(history, periods);
  const objective = (p: HoltWintersParameters) => {
    const run = runHoltWinters(history, counts, periods, p, start);
    return run.count > 0 ? run.sse / run.count : 0;
  };
  let best: HoltWintersParameters = { alpha: 0.05, gamma: 0.001, delta: 0.05, omega: 0.05 };
  let bestValue = objective(best);
  for (const alpha of [0.002, 0.03]) {
    for (const delta of [0.01, 0.05, 0.2]) {
      for (const omega of [0.02, 0.1, 0.3]) {
        {
          const candidate = { alpha, gamma: 0.001, delta, omega };
          const value = objective(candidate);
          if (value < bestValue) {
            best = candidate;
            bestValue = value;
          }
        }
      }
    }
  }
  const toVector = (p: HoltWintersParameters) => [p.alpha, p.gamma, p.delta, p.omega].map(logit);
  const fromVector = (v: number[]): HoltWintersParameters => ({
    alpha: logistic(v[0]!),
    gamma: logistic(v[1]!),
    delta: logistic(v[2]!),
    omega: logistic(v[3]!),
  });
  const result = nelderMead((v) => objective(fromVector(v)), toVector(best), 0.7, 120);
  return result.value < bestValue ? fromVector(result.point) : best;
}

/** Forecast `horizon` intervals after the history with fitted (or given) parameters. */
export function holtWinters(
  counts: Float64Array,
  periods: SeasonalPeriods,
  horizon: number,
  parameters?: HoltWintersParameters,
): { forecast: Float64Array; parameters: HoltWintersParameters } {
  const p = parameters ?? fitHoltWinters(counts, periods);
  const history = logSeries(counts);
  const { state } = runHoltWinters(history, counts, periods, p, initialState(history, periods));
  const n = history.length;
  const forecast = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    const t = n + h;
    const z =
      state.level +
      (h + 1) * state.trend +
      state.daily[t % periods.daily]! +
      state.weekly[t % periods.weekly]!;
    forecast[h] = poissonMeanFromLogMean(z);
  }
  return { forecast, parameters: p };
}

function logSeries(counts: Float64Array): Float64Array {
  return counts.map((y) => Math.log1p(y));
}

/**
 * The smoothed z estimates E[ln(1 + Y)], which for Poisson counts with mean λ is
 * ln(1 + λ) − λ / (2(1 + λ)²) to second order (delta method), below ln(1 + λ):
 * exp(z) − 1 would forecast low. Solve for λ by fixed-point iteration.
 */
export function poissonMeanFromLogMean(z: number): number {
  if (!(z > 0)) return 0;
  let mean = Math.expm1(z);
  for (let i = 0; i < 8; i++) mean = Math.expm1(z + mean / (2 * (1 + mean) * (1 + mean)));
  return mean;
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Plain Nelder-Mead (reflection, expansion, contraction, shrink) for a few parameters. */
function nelderMead(
  f: (point: number[]) => number,
  start: number[],
  step: number,
  maxEvaluations: number,
): { point: number[]; value: number } {
  const dimension = start.length;
  let simplex = [start.slice()];
  for (let i = 0; i < dimension; i++) {
    const vertex = start.slice();
    vertex[i]! += step;
    simplex.push(vertex);
  }
  let values = simplex.map(f);
  let evaluations = simplex.length;
  while (evaluations < maxEvaluations) {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    simplex = order.map(([, i]) => simplex[i]!);
    values = order.map(([v]) => v);
    if (values[dimension]! - values[0]! <= 1e-10 * Math.max(1, Math.abs(values[0]!))) break;
    const centroid = new Array<number>(dimension).fill(0);
    for (let i = 0; i < dimension; i++)
      for (let d = 0; d < dimension; d++) centroid[d]! += simplex[i]![d]! / dimension;
    const worst = simplex[dimension]!;
    const along = (factor: number) => centroid.map((c, d) => c + factor * (c - worst[d]!));
    const reflected = along(1);
    const reflectedValue = f(reflected);
    evaluations++;
    if (reflectedValue < values[0]!) {
      const expanded = along(2);
      const expandedValue = f(expanded);
      evaluations++;
      if (expandedValue < reflectedValue) {
        simplex[dimension] = expanded;
        values[dimension] = expandedValue;
      } else {
        simplex[dimension] = reflected;
        values[dimension] = reflectedValue;
      }
    } else if (reflectedValue < values[dimension - 1]!) {
      simplex[dimension] = reflected;
      values[dimension] = reflectedValue;
    } else {
      const contracted = along(reflectedValue < values[dimension]! ? 0.5 : -0.5);
      const contractedValue = f(contracted);
      evaluations++;
      if (contractedValue < Math.min(reflectedValue, values[dimension]!)) {
        simplex[dimension] = contracted;
        values[dimension] = contractedValue;
      } else {
        for (let i = 1; i <= dimension; i++) {
          simplex[i] = simplex[i]!.map((x, d) => simplex[0]![d]! + 0.5 * (x - simplex[0]![d]!));
          values[i] = f(simplex[i]!);
          evaluations++;
        }
      }
    }
  }
  let bestIndex = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! < values[bestIndex]!) bestIndex = i;
  return { point: simplex[bestIndex]!, value: values[bestIndex]! };
}
