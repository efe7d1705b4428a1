// Durations drawn in the hot loop. A distribution is compiled once into a plain
// object of one shape (same hidden class whatever the kind), and `sample` switches
// on an integer kind, so call sites stay monomorphic and nothing is allocated per draw.
import type { SimulationDistribution, SimulationPatience } from './simulate.types.ts';

export const FIXED = 0;
export const EXPONENTIAL = 1;
export const LOGNORMAL = 2;
export const EMPIRICAL = 3;
export const INFINITE = 4;

export type CompiledDistribution = {
  kind: number;
  /** fixed: the value; exponential: the mean; lognormal: mu of the underlying normal. */
  a: number;
  /** lognormal: sigma of the underlying normal. */
  b: number;
  mean: number;
  /** empirical: the values and Walker's alias tables. */
  values: Float64Array;
  probability: Float64Array;
  alias: Int32Array;
};

const EMPTY_F = new Float64Array(0);
const EMPTY_I = new Int32Array(0);

export function compileDistribution(d: SimulationDistribution | SimulationPatience): CompiledDistribution {
  const base = { a: 0, b: 0, mean: 0, values: EMPTY_F, probability: EMPTY_F, alias: EMPTY_I };
  switch (d.kind) {
    case 'infinite':
      return { ...base, kind: INFINITE, mean: Number.POSITIVE_INFINITY };
    case 'fixed':
      return { ...base, kind: FIXED, a: d.seconds, mean: d.seconds };
    case 'exponential':
      return { ...base, kind: EXPONENTIAL, a: d.meanSeconds, mean: d.meanSeconds };
    case 'lognormal': {
      if (d.sdSeconds === 0) return { ...base, kind: FIXED, a: d.meanSeconds, mean: d.meanSeconds };
      // Moments of the lognormal: mean = exp(mu + sigma²/2), var = (exp(sigma²) − 1)·mean².
      const sigma2 = Math.log(1 + (d.sdSeconds / d.meanSeconds) ** 2);
      return {
        ...base,
        kind: LOGNORMAL,
        a: Math.log(d.meanSeconds) - sigma2 / 2,
        b: Math.sqrt(sigma2),
        mean: d.meanSeconds,
      };
    }
    case 'empirical': {
      const n = d.valuesSeconds.length;
      const weights = d.weights ?? new Array<number>(n).fill(1);
      const total = weights.reduce((s, w) => s + w, 0);
      let mean = 0;
      for (let i = 0; i < n; i++) mean += (d.valuesSeconds[i]! * weights[i]!) / total;
      const { probability, alias } = aliasTables(weights.map((w) => (w * n) / total));
      return {
        ...base,
        kind: EMPIRICAL,
        mean,
        values: Float64Array.from(d.valuesSeconds),
        probability,
        alias,
      };
    }
  }
}

/**
 * Walker's alias method (Vose's stable construction): one uniform picks a column i
 * and, against probability[i], either i or its alias. `scaled` are the weights
 * times n / total, so they average 1.
 */
function aliasTables(scaled: number[]): { probability: Float64Array; alias: Int32Array } {
  const n = scaled.length;
  const probability = new Float64Array(n);
  const alias = new Int32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  const p = [...scaled];
  p.forEach((v, i) => {
    (v < 1 ? small : large).push(i);
  });
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    probability[s] = p[s]!;
    alias[s] = l;
    p[l] = p[l]! + p[s]! - 1;
    (p[l]! < 1 ? small : large).push(l);
  }
  // What is left is 1 up to rounding.
  for (const i of large) probability[i] = 1;
  for (const i of small) probability[i] = 1;
  for (let i = 0; i < n; i++) if (probability[i] === 1) alias[i] = i;
  return { probability, alias };
}

/** One draw in seconds; `random` returns uniforms in [0, 1). */
export function sample(d: CompiledDistribution, random: () => number): number {
  switch (d.kind) {
    case EXPONENTIAL:
      // 1 − u lies in (0, 1], so the logarithm is finite.
      return -d.a * Math.log(1 - random());
    case FIXED:
      return d.a;
    case LOGNORMAL: {
      // Box–Muller, keeping one of the pair: holding the other as state would tie
      // one replication's draws to the previous one's.
      const u1 = 1 - random();
      const u2 = random();
      return Math.exp(d.a + d.b * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
    case EMPIRICAL: {
      const x = random() * d.values.length;
      const i = x | 0;
      return d.values[x - i < d.probability[i]! ? i : d.alias[i]!]!;
    }
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/**
 * A drawing function bound to one distribution and one stream: each kind gets its
 * own small closure, so a call site that always draws, say, patience sees one
 * function and the JIT inlines it (a shared `sample` with a switch stays a call).
 * Draws the same numbers as `sample`.
 */
export function createSampler(d: CompiledDistribution, random: () => number): () => number {
  const a = d.a;
  const b = d.b;
  switch (d.kind) {
    case EXPONENTIAL:
      return () => -a * Math.log(1 - random());
    case FIXED:
      return () => a;
    case LOGNORMAL:
      return () => {
        const u1 = 1 - random();
        const u2 = random();
        return Math.exp(a + b * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
      };
    case EMPIRICAL: {
      const values = d.values;
      const probability = d.probability;
      const alias = d.alias;
      const n = values.length;
      return () => {
        const x = random() * n;
        const i = x | 0;
        return values[x - i < probability[i]! ? i : alias[i]!]!;
      };
    }
    default:
      return () => Number.POSITIVE_INFINITY;
  }
}
