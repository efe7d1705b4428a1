// Arrival times of a non-homogeneous Poisson process whose rate is constant
// within each local hour (a per-hour profile). Thinning (Lewis & Shedler 1979,
// "Simulation of nonhomogeneous Poisson processes by thinning", Naval Research
// Logistics Quarterly 26(3)): candidates come at the peak rate λmax and each
// is kept with probability λ(t)/λmax, which yields exactly the process of rate
// λ(t). The expected count over [a, b) is ∫ λ(t) dt = Σ rate_h × hours spent in h.

/**
 * The first arrival after `from` (epoch ms), or null when every hour's rate is 0.
 * `callsPerHour` has 24 values indexed by the local hour `hourOf(t)`.
 */
export function nextArrivalAt(options: {
  from: number;
  callsPerHour: readonly number[];
  hourOf: (at: number) => number;
  random: () => number;
}): number | null {
  const { callsPerHour, hourOf, random } = options;
  const peakPerHour = Math.max(...callsPerHour);
  if (!(peakPerHour > 0)) return null;
  const meanGapMs = 3_600_000 / peakPerHour;
  let t = options.from;
  for (;;) {
    // 1 − u lies in (0, 1], so the logarithm is finite.
    t += -meanGapMs * Math.log(1 - random());
    if (random() * peakPerHour < callsPerHour[hourOf(t)]!) return t;
  }
}

/** Expected arrivals in [from, to): the integral of the per-hour rate. */
export function expectedArrivals(options: {
  from: number;
  to: number;
  callsPerHour: readonly number[];
  hourOf: (at: number) => number;
}): number {
  const { from, to, callsPerHour, hourOf } = options;
  let total = 0;
  let t = from;
  while (t < to) {
    // Whole 15-minute blocks never straddle a local hour (see hour-of-day.ts).
    const blockEnd = Math.min(to, Math.floor(t / 900_000) * 900_000 + 900_000);
    total += (callsPerHour[hourOf(t)]! * (blockEnd - t)) / 3_600_000;
    t = blockEnd;
  }
  return total;
}
