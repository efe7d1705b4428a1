// How likely a busy operator is to be free within a horizon, given how long the
// current contact has lasted: P(T ≤ e + t | T > e) = (F(e + t) − F(e)) / (1 − F(e)).
// This conditioning is what lets predictive pacing count operators who are
// about to finish, not only those already idle.

/** Handle-time model: lognormal by its mean (ms) and sigma of the underlying normal, or an empirical sample (ms). */
export type PacingHandleTime =
  | { kind: 'lognormal'; meanMs: number; sigma: number }
  | { kind: 'empirical'; samplesMs: readonly number[] };

/** Returns a function giving P(finish within horizonMs | elapsedMs already spent). */
export function createFinishProbability(
  model: PacingHandleTime,
): (elapsedMs: number, horizonMs: number) => number {
  if (model.kind === 'lognormal') {
    // Lognormal moments: mean = exp(mu + sigma²/2), so mu = ln(mean) − sigma²/2.
    const mu = Math.log(model.meanMs) - (model.sigma * model.sigma) / 2;
    const sigma = model.sigma;
    const cdf = (x: number) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma));
    return (elapsedMs, horizonMs) => {
      const survived = 1 - cdf(elapsedMs);
      // Far in the tail the ratio is 0/0 numerically; the lognormal hazard falls
      // there, so treat such a contact as not finishing soon (the safe side).
      if (survived < 1e-12) return 0;
      return Math.min(1, Math.max(0, (cdf(elapsedMs + horizonMs) - cdf(elapsedMs)) / survived));
    };
  }
  const sorted = Float64Array.from(model.samplesMs).sort();
  // Count of samples ≤ x, by binary search.
  const countAtMost = (x: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (elapsedMs, horizonMs) => {
    const atMostElapsed = countAtMost(elapsedMs);
    const survived = sorted.length - atMostElapsed;
    // Longer than every recorded contact: no evidence it ends soon, so do not count on it.
    if (survived === 0) return 0;
    return (countAtMost(elapsedMs + horizonMs) - atMostElapsed) / survived;
  };
}

/** Standard normal CDF via erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
}
