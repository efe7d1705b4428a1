// Numerical kernels of the Erlang formulas, all in log space so that nothing
// overflows or underflows between 0.01 and 100,000 Erlangs, patience from one
// second to years and thresholds of hours.
//
// Two quantities carry all the mathematics:
//
// 1. The inverse Erlang B function  R_m(a) = 1 / B(m, a) = Σ_{k=0..m} m!/(m−k)! · a^−k
//    = ∫_0^∞ e^−t (1 + t/a)^m dt   (the classical integral form of Erlang B).
//
// 2. The scaled lower incomplete gamma function of Mandelbaum & Zeltyn (2007),
//    "The Palm/Erlang-A queue, with applications to call centers", §3:
//      A(x, y) = x e^y y^−x γ(x, y) = 1 + Σ_{j≥1} y^j / Π_{k=1..j} (x + k)
//              = x ∫_0^∞ exp(−x u + y (1 − e^−u)) du,
//    with x = nμ/θ and y = λ/θ. Every Erlang-A measure is a ratio of such sums.
//
// Each sum has positive terms only, so it is evaluated either by its series
// (exact, cheap while the terms die out within a few thousand steps) or, for
// large arguments, by Gauss-Legendre quadrature of its integral form, whose
// integrand is log-concave and so confined to a window found from the mode.
// Neither route subtracts nearly equal numbers: the differences that make naive
// implementations lose all digits (1 − (1 − ρ)A as patience grows, 1/B − 1 for
// large loads) have their own positive series/integrals below.

const LN_TINY_DROP = 50; // e^-50 ≈ 2e-22: the integrand is negligible beyond that drop from its peak
const SERIES_MAX_TERMS = 2500;
const PANELS_PER_SIDE = 4;

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ψ(u) = e^−u − 1 + u ≥ 0, accurate also for tiny u (where it is u²/2). */
export function psi(u: number): number {
  if (Math.abs(u) < 0.1) {
    // Taylor series; at |u| < 0.1 eight terms reach double precision.
    const u2 = u * u;
    return (
      u2 *
      (1 / 2 -
        u / 6 +
        u2 / 24 -
        (u2 * u) / 120 +
        (u2 * u2) / 720 -
        (u2 * u2 * u) / 5040 +
        (u2 * u2 * u2) / 40320)
    );
  }
  return Math.expm1(-u) + u;
}

// --- Gauss-Legendre nodes, computed once by Newton's method on P_n ------------

const GL_ORDER = 16;
const GL_NODES: number[] = [];
const GL_WEIGHTS: number[] = [];
(function computeGaussLegendre() {
  const n = GL_ORDER;
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    GL_NODES.push(x);
    GL_WEIGHTS.push(2 / ((1 - x * x) * derivative * derivative));
  }
})();

/** A log-concave integrand on [0, ∞): its log, slope and curvature. */
export type LogConcave = {
  ln(u: number): number;
  slope(u: number): number;
  curvature(u: number): number;
};

/**
 * ln ∫_0^upper exp(f.ln(u)) du for a concave f.ln with f.ln → −∞ at infinity.
 * The mode (given, or found by safeguarded Newton) splits the window into two
 * sides, each ending where the integrand has dropped by e^-50 (or at `upper`);
 * concavity makes Newton's iterations for those ends monotone, and bounds the
 * width of the window in units of the peak's own width, so a fixed composite
 * rule is enough.
 */
export function logIntegrateLogConcave(
  f: LogConcave,
  knownMode?: number,
  upper = Number.POSITIVE_INFINITY,
): number {
  const mode = Math.min(upper, knownMode ?? findMode(f));
  const peak = f.ln(mode);
  const floor = peak - LN_TINY_DROP;
  const curvature = Math.abs(f.curvature(mode));
  const slopeAtMode = Math.abs(f.slope(mode));
  let scale = curvature > 0 ? Math.sqrt((2 * LN_TINY_DROP) / curvature) : 1;
  if (slopeAtMode > 0) scale = Math.min(scale, LN_TINY_DROP / slopeAtMode);
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;

  let sum = 0;
  if (mode < upper) {
    // Right end: bracket by doubling, then Newton from the right (monotone for concave f).
    let right = Math.min(upper, mode + scale);
    for (let i = 0; i < 200 && right < upper && f.ln(right) > floor; i++) {
      right = Math.min(upper, mode + 2 * (right - mode));
    }
    for (let i = 0; i < 6; i++) {
      const excess = f.ln(right) - floor;
      if (excess > -0.5) break;
      const next = right - excess / f.slope(right);
      if (!(next > mode && next < right)) break;
      right = next;
    }
    sum += gaussLegendre(f, mode, right, peak);
  }
  if (mode > 0) {
    let left: number;
    const atZero = f.ln(0);
    if (atZero >= floor) {
      left = 0;
    } else {
      left = Math.max(mode - scale, mode / 2);
      for (let i = 0; i < 2000 && f.ln(left) > floor; i++) {
        const wider = mode - 2 * (mode - left);
        left = wider > 0 ? wider : left / 2;
      }
      for (let i = 0; i < 6; i++) {
        const excess = f.ln(left) - floor;
        if (excess > -0.5) break;
        const next = left - excess / f.slope(left);
        if (!(next > left && next < mode)) break;
        left = next;
      }
    }
    sum += gaussLegendre(f, left, mode, peak);
  }
  return peak + Math.log(sum);
}

function gaussLegendre(f: LogConcave, from: number, to: number, peak: number): number {
  const width = (to - from) / PANELS_PER_SIDE;
  const half = width / 2;
  let total = 0;
  for (let panel = 0; panel < PANELS_PER_SIDE; panel++) {
    const centre = from + (panel + 0.5) * width;
    let panelSum = 0;
    for (let i = 0; i < GL_ORDER; i++) {
      panelSum += GL_WEIGHTS[i]! * Math.exp(f.ln(centre + half * GL_NODES[i]!) - peak);
    }
    total += panelSum * half;
  }
  return total;
}

function findMode(f: LogConcave): number {
  if (f.slope(0) <= 0) return 0;
  // Bracket the root of the decreasing slope, then safeguarded Newton.
  let low = 0;
  let high = 1;
  for (let i = 0; i < 2000 && f.slope(high) > 0; i++) {
    low = high;
    high *= 2;
  }
  let u = (low + high) / 2;
  for (let i = 0; i < 100; i++) {
    const s = f.slope(u);
    if (s > 0) low = u;
    else high = u;
    const newton = u - s / f.curvature(u);
    const next = newton > low && newton < high ? newton : (low + high) / 2;
    if (Math.abs(next - u) <= 1e-14 * Math.max(u, 1e-300) || high - low <= 1e-15 * high) return next;
    u = next;
  }
  return u;
}

// --- Erlang B -----------------------------------------------------------------

/**
 * ln R_m(a) = ln(1 / B(m, a)), the reciprocal of the Erlang B blocking probability
 * with m servers and a Erlangs. Exact finite sum while short; otherwise the
 * integral ∫ e^−t (1 + t/a)^m dt, whose integrand peaks at t = max(0, m − a).
 */
export function lnInverseErlangB(m: number, a: number): number {
  if (m === 0) return 0;
  const peakIndex = Math.max(0, m - a);
  const geometric = m < a ? 40 / Math.log(a / m) : Number.POSITIVE_INFINITY;
  const estimate = Math.min(m + 1, peakIndex + Math.min(geometric, 10 * Math.sqrt(a) + 20));
  if (estimate <= SERIES_MAX_TERMS) return lnInverseErlangBSeries(m, a);
  return logIntegrateLogConcave(
    {
      ln: (t) => -t + m * Math.log1p(t / a),
      slope: (t) => -1 + m / (a + t),
      curvature: (t) => -m / ((a + t) * (a + t)),
    },
    peakIndex,
  );
}

/**
 * ln ∫_0^∞ t e^−t (1 + t/a)^m dt = ln Σ_k k·m!/(m−k)!·a^−k (the t-derivative of the
 * Erlang B integral): times π_n/a it is the expected number of idle agents over n,
 * i.e. 1 − occupancy, without subtracting an occupancy close to one from one.
 */
export function lnIdleMoment(m: number, a: number): number {
  const peakIndex = Math.max(0, m - a);
  const geometric = m < a ? 40 / Math.log(a / m) : Number.POSITIVE_INFINITY;
  const estimate = Math.min(m + 1, peakIndex + Math.min(geometric, 10 * Math.sqrt(a) + 20));
  if (estimate <= SERIES_MAX_TERMS) {
    // Σ_k (k+1)·m!/(m−k)!·a^−k, term by term as in the Erlang B series.
    const inverseA = 1 / a;
    let term = 1;
    let sum = 1;
    let lnScale = 0;
    for (let k = 1; k <= m; k++) {
      term *= (m - k + 1) * inverseA;
      sum += (k + 1) * term;
      if ((k & 7) === 0) {
        if (sum > 1e250) {
          sum *= 1e-250;
          term *= 1e-250;
          lnScale += 250 * Math.LN10;
        } else if ((k + 1) * term < 1e-18 * sum && m - k + 1 < a) {
          break;
        }
      }
    }
    return lnScale + Math.log(sum);
  }
  // The integrand's mode solves 1/t − 1 + m/(a + t) = 0, a quadratic in t.
  const b = m - a + 1;
  return logIntegrateLogConcave(
    {
      ln: (t) => Math.log(t) - t + m * Math.log1p(t / a),
      slope: (t) => 1 / t - 1 + m / (a + t),
      curvature: (t) => -1 / (t * t) - m / ((a + t) * (a + t)),
    },
    (b + Math.sqrt(b * b + 4 * a)) / 2,
  );
}

function lnInverseErlangBSeries(m: number, a: number): number {
  const inverseA = 1 / a;
  let term = 1;
  let sum = 1;
  let lnScale = 0;
  for (let k = 1; k <= m; k++) {
    term *= (m - k + 1) * inverseA;
    sum += term;
    // Checked every 8 terms: past the peak the terms fall at least geometrically.
    if ((k & 7) === 0) {
      if (sum > 1e250) {
        sum *= 1e-250;
        term *= 1e-250;
        lnScale += 250 * Math.LN10;
      } else if (term < 1e-18 * sum && m - k + 1 < a) {
        break;
      }
    }
  }
  return lnScale + Math.log(sum);
}

// --- Erlang A -----------------------------------------------------------------

/**
 * The three sums of an Erlang-A queue at "load" w (w = y = λ/θ for the whole
 * queue, w = y e^−θt for the part still waiting after t seconds). With
 * g_j = w^j / Π_{i=1..j+1} (x + i):
 *  - lnK: K = w Σ g_j = A(x, w) − 1 = ∫ w e^{−(x+1)u + w(1−e^−u)} du;
 *  - lnH: h = (w/x) Σ (j+1) g_j = 1 − (x − w) G(x, w) with G = A/x: the
 *    abandonment sum, positive by construction (Mandelbaum & Zeltyn write it as
 *    the difference, which cancels catastrophically when patience ≫ handle time);
 *  - lnM: M = Σ g_j Σ_{i=1..j+1} 1/(x+i) = ∫ u e^{−(x+1)u + w(1−e^−u)} du, the
 *    first moment that gives the mean wait of served contacts.
 * `gap` is x − w, passed separately because the caller knows it without
 * cancellation ((n − a)·patience/aht); it may be negative (overload).
 */
export type ErlangATail = { lnK: number; lnH: number; lnM: number };

export function erlangATail(x: number, w: number, gap: number, withMoment: boolean): ErlangATail {
  if (w === 0) {
    return {
      lnK: Number.NEGATIVE_INFINITY,
      lnH: Number.NEGATIVE_INFINITY,
      lnM: -2 * Math.log(x + 1),
    };
  }
  const c = gap + 1; // (x + 1) − w
  const peakIndex = Math.max(0, -c);
  const geometric = c > 0 ? 40 / -Math.log1p(-c / (x + 1)) : Number.POSITIVE_INFINITY;
  const estimate = peakIndex + Math.min(geometric, 10 * Math.sqrt(w) + 20);
  if (estimate <= SERIES_MAX_TERMS) return erlangATailSeries(x, w, withMoment);

  const lnW = Math.log(w);
  // Mode of e^{−c u − w ψ(u)}: 0 when c ≥ 0, else where w e^−u = x + 1.
  const kMode = c >= 0 ? 0 : Math.log(w / (x + 1));
  const lnG1 = logIntegrateLogConcave(
    {
      ln: (u) => -c * u - w * psi(u),
      slope: (u) => -c + w * Math.expm1(-u),
      curvature: (u) => -w * Math.exp(-u),
    },
    kMode,
  );
  const lnK = lnW + lnG1;
  let lnH: number;
  if (gap <= 0) {
    // h = 1 + (w − x) G(x, w) with G = (1 + K)/x: a sum of positive terms here.
    lnH = gap === 0 ? 0 : logAddExp(0, Math.log(-gap) + logAddExp(0, lnK) - Math.log(x));
  } else {
    lnH =
      lnW +
      logIntegrateLogConcave({
        ln: (u) => Math.log(-Math.expm1(-u)) - gap * u - w * psi(u),
        slope: (u) => 1 / Math.expm1(u) - gap + w * Math.expm1(-u),
        curvature: (u) => {
          const e = Math.expm1(u);
          return -(e + 1) / (e * e) - w * Math.exp(-u);
        },
      });
  }
  const lnM = withMoment
    ? logIntegrateLogConcave({
        ln: (u) => Math.log(u) - c * u - w * psi(u),
        slope: (u) => 1 / u - c + w * Math.expm1(-u),
        curvature: (u) => -1 / (u * u) - w * Math.exp(-u),
      })
    : Number.NaN;
  return { lnK, lnH, lnM };
}

/**
 * ln ∫_0^upper e^{−(x+1)u + w(1−e^−u)} du: the K integral cut at u = θT. Times
 * π_n·x it is the probability of being answered after waiting at most T,
 * needed directly where it is a tiny difference of two nearly equal tails.
 */
export function lnTruncatedK(x: number, w: number, gap: number, upper: number): number {
  const c = gap + 1;
  return logIntegrateLogConcave(
    {
      ln: (u) => -c * u - w * psi(u),
      slope: (u) => -c + w * Math.expm1(-u),
      curvature: (u) => -w * Math.exp(-u),
    },
    c >= 0 ? 0 : Math.log(w / (x + 1)),
    upper,
  );
}

function erlangATailSeries(x: number, w: number, withMoment: boolean): ErlangATail {
  let term = 1 / (x + 1);
  let harmonic = term; // Σ_{i=1..j+1} 1/(x+i)
  let sum0 = term;
  let sum1 = term;
  let sum2 = term * harmonic;
  let lnScale = 0;
  for (let j = 1; j < 1_000_000; j++) {
    const reciprocal = 1 / (x + 1 + j);
    const ratio = w * reciprocal;
    term *= ratio;
    sum0 += term;
    sum1 += (j + 1) * term;
    if (withMoment) {
      harmonic += reciprocal;
      sum2 += term * harmonic;
    }
    if ((j & 7) !== 0) continue;
    if (sum1 > 1e250) {
      const rescale = 1e-250;
      term *= rescale;
      sum0 *= rescale;
      sum1 *= rescale;
      sum2 *= rescale;
      lnScale += 250 * Math.LN10;
    }
    // The terms fall geometrically once the ratio (times the growth of j+1) is
    // below one; stop when the remaining tail is below double precision.
    const decay = (ratio * (j + 2)) / (j + 1);
    if (decay < 1) {
      const tail = ((j + 1) * term) / (1 - decay);
      if (tail < 1e-17 * sum1 && (!withMoment || tail * harmonic < 1e-17 * sum2)) break;
    }
  }
  const lnW = Math.log(w);
  return {
    lnK: lnScale + lnW + Math.log(sum0),
    lnH: lnScale + lnW - Math.log(x) + Math.log(sum1),
    lnM: withMoment ? lnScale + Math.log(sum2) : Number.NaN,
  };
}
