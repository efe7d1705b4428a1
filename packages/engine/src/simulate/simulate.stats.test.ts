// The pieces under the simulator: KPI numerators and denominators per variant,
// the ratio-of-expectations estimator and its confidence interval, Student's t,
// the distributions, the event heap and the arrival process.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { compileDistribution, createSampler, sample } from './simulate.distributions.ts';
import { nextArrival } from './simulate.engine.ts';
import { TimeHeap } from './simulate.heap.ts';
import {
  ABANDONED,
  ABANDONED_WITHIN,
  ANSWERED,
  ANSWERED_WITHIN,
  HANDLE,
  INBOUND_FIELDS,
  inboundPairs,
  OFFERED,
  RatioAccumulator,
  SHORT,
  SHORT_WITHIN,
  studentTCentral,
  studentTQuantile,
  WAIT_ANSWERED,
} from './simulate.stats.ts';
import type {
  SimulationDistribution,
  SimulationKpiSettings,
  SimulationServiceLevelDefinition,
} from './simulate.types.ts';

describe('inbound KPI definitions (DOMAIN.md §3)', () => {
  // 100 queued: 80 answered (70 within T), 20 abandoned (12 within T, of which 4 short).
  const counters = new Float64Array(INBOUND_FIELDS);
  counters[OFFERED] = 100;
  counters[ANSWERED] = 80;
  counters[ANSWERED_WITHIN] = 70;
  counters[ABANDONED] = 20;
  counters[ABANDONED_WITHIN] = 12;
  counters[SHORT] = 4;
  counters[SHORT_WITHIN] = 4;
  counters[WAIT_ANSWERED] = 800;
  counters[HANDLE] = 16_000;
  const settings = (
    variant: SimulationServiceLevelDefinition,
    more: Partial<SimulationKpiSettings> = {},
  ) => ({
    thresholdSeconds: 20,
    serviceLevelDefinition: variant,
    shortAbandonSeconds: 5,
    excludeShortAbandons: false,
    abandonRateIncludesShort: false,
    ...more,
  });
  const ratio = (kpi: SimulationKpiSettings, index: number) => {
    const out = new Float64Array(20);
    inboundPairs(counters, 0, kpi, out);
    return [out[2 * index], out[2 * index + 1]];
  };
  const SL = 5;
  const ASA = 6;
  const ABANDON = 7;
  const AHT = 8;

  // Expected values by hand from the counts above.
  const table: [SimulationServiceLevelDefinition, boolean, [number, number]][] = [
    ['answered_or_abandoned_within', false, [70 + 12, 100]],
    ['answered_within_of_answered', false, [70, 80]],
    ['answered_within', false, [70, 100]],
    ['answered_within_excluding_abandoned_within', false, [70, 100 - 12]],
    // Short abandons out of numerator and denominator: Ab = 16, Ab≤T = 8.
    ['answered_or_abandoned_within', true, [70 + 8, 96]],
    ['answered_within', true, [70, 96]],
    ['answered_within_excluding_abandoned_within', true, [70, 96 - 8]],
  ];
  for (const [variant, excludeShort, expected] of table) {
    it(`service level ${variant}${excludeShort ? ', short abandons excluded' : ''}`, () => {
      expect(ratio(settings(variant, { excludeShortAbandons: excludeShort }), SL)).toEqual(expected);
    });
  }

  it('abandon rate (Ab − short) / (A + Ab − short), or with short abandons', () => {
    expect(ratio(settings('answered_within_of_answered'), ABANDON)).toEqual([16, 96]);
    expect(
      ratio(settings('answered_within_of_answered', { abandonRateIncludesShort: true }), ABANDON),
    ).toEqual([20, 100]);
  });

  it('ASA over answered, AHT over handled', () => {
    expect(ratio(settings('answered_within_of_answered'), ASA)).toEqual([800, 80]);
    expect(ratio(settings('answered_within_of_answered'), AHT)).toEqual([16_000, 80]);
  });
});

describe('ratio of expectations over replications', () => {
  it('is Σ numerators / Σ denominators, not the mean of the ratios', () => {
    // Two "days": 9 of 10 in time, then 50 of 100.
    const acc = new RatioAccumulator(1, 1);
    acc.add(0, 0, 9, 10);
    acc.add(0, 0, 50, 100);
    const estimate = acc.estimate(0, 0, 2, studentTQuantile(0.95, 1));
    expect(estimate.value).toBeCloseTo(59 / 110, 12);
    expect(estimate.value).not.toBeCloseTo((0.9 + 0.5) / 2, 2);
  });

  it('has the delta-method interval of a ratio estimator', () => {
    const xs = [81, 77, 90, 85, 79, 88];
    const ys = [100, 98, 104, 101, 99, 103];
    const acc = new RatioAccumulator(1, 1);
    xs.forEach((x, i) => {
      acc.add(0, 0, x, ys[i]!);
    });
    const n = xs.length;
    const r = xs.reduce((a, b) => a + b) / ys.reduce((a, b) => a + b);
    // Direct: s² of the residuals x − r·y, SE = √(s²/n) / ȳ (Cochran §6.4).
    const s2 = xs.reduce((sum, x, i) => sum + (x - r * ys[i]!) ** 2, 0) / (n - 1);
    const se = Math.sqrt(s2 / n) / (ys.reduce((a, b) => a + b) / n);
    const t = studentTQuantile(0.95, n - 1);
    const estimate = acc.estimate(0, 0, n, t);
    expect(estimate.value).toBeCloseTo(r, 10);
    expect(estimate.low).toBeCloseTo(r - t * se, 10);
    expect(estimate.high).toBeCloseTo(r + t * se, 10);
  });

  it('gives a value without an interval for one replication, and null for 0/0', () => {
    const acc = new RatioAccumulator(2, 1);
    acc.add(0, 0, 3, 4);
    expect(acc.estimate(0, 0, 1, Number.NaN)).toEqual({ value: 0.75, low: null, high: null });
    expect(acc.estimate(1, 0, 1, Number.NaN)).toEqual({ value: null, low: null, high: null });
  });
});

describe('confidence intervals at the edges', () => {
  it('a ratio whose denominator appears in one replication only has no interval', () => {
    // One abandon in three days: its mean wait is known, its spread is not.
    const acc = new RatioAccumulator(1, 1);
    acc.add(0, 0, 35, 1);
    acc.add(0, 0, 0, 0);
    acc.add(0, 0, 0, 0);
    expect(acc.estimate(0, 0, 3, studentTQuantile(0.95, 2))).toEqual({ value: 35, low: null, high: null });
  });

  it('clips the interval to the range of the figure', () => {
    const acc = new RatioAccumulator(1, 1);
    for (const [x, y] of [
      [100, 100],
      [99, 100],
      [100, 100],
    ]) {
      acc.add(0, 0, x!, y!);
    }
    const estimate = acc.estimate(0, 0, 3, studentTQuantile(0.95, 2), 1, 0, 1);
    expect(estimate.high).toBe(1);
    expect(estimate.low!).toBeLessThan(estimate.value!);
  });
});

describe("Student's t", () => {
  // Two-sided 95 % and 99 % quantiles from standard tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
  const table: [number, number, number][] = [
    [0.95, 1, 12.706],
    [0.95, 2, 4.303],
    [0.95, 5, 2.571],
    [0.95, 9, 2.262],
    [0.95, 30, 2.042],
    [0.95, 100, 1.984],
    [0.99, 4, 4.604],
    [0.99, 19, 2.861],
  ];
  for (const [level, df, expected] of table) {
    it(`t(${level}, ${df}) = ${expected}`, () => {
      expect(studentTQuantile(level, df)).toBeCloseTo(expected, 3);
    });
  }

  it('P(|T| ≤ t) has the closed forms of 1, 2 and 3 degrees of freedom', () => {
    expect(studentTCentral(1, 1)).toBeCloseTo(0.5, 12);
    expect(studentTCentral(2, 2)).toBeCloseTo(2 / Math.sqrt(6), 12);
    const t = 1.7;
    expect(studentTCentral(t, 3)).toBeCloseTo(
      (2 / Math.PI) * (Math.atan(t / Math.sqrt(3)) + t / Math.sqrt(3) / (1 + (t * t) / 3)),
      12,
    );
  });
});

describe('distributions', () => {
  const moments = (draw: () => number, n: number) => {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      sum += x;
      squares += x * x;
    }
    const mean = sum / n;
    return { mean, sd: Math.sqrt(squares / n - mean * mean) };
  };

  it('lognormal has the mean and standard deviation it was given', () => {
    const d = compileDistribution({ kind: 'lognormal', meanSeconds: 240, sdSeconds: 120 });
    const { mean, sd } = moments(createSampler(d, createRandom(3)), 400_000);
    expect(mean).toBeCloseTo(240, -0.5);
    expect(sd).toBeCloseTo(120, -0.5);
  });

  it('exponential has its mean, fixed its value', () => {
    const random = createRandom(5);
    expect(
      moments(createSampler(compileDistribution({ kind: 'exponential', meanSeconds: 90 }), random), 400_000)
        .mean,
    ).toBeCloseTo(90, 0);
    expect(sample(compileDistribution({ kind: 'fixed', seconds: 30 }), random)).toBe(30);
  });

  it('empirical draws each value with its weight (alias method)', () => {
    const d = compileDistribution({ kind: 'empirical', valuesSeconds: [60, 120, 300], weights: [1, 2, 7] });
    expect(d.mean).toBeCloseTo(6 + 24 + 210, 10);
    const draw = createSampler(d, createRandom(9));
    const counts = new Map<number, number>();
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = draw();
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([60, 120, 300]);
    expect(counts.get(60)! / n).toBeCloseTo(0.1, 2);
    expect(counts.get(120)! / n).toBeCloseTo(0.2, 2);
    expect(counts.get(300)! / n).toBeCloseTo(0.7, 2);
  });

  it('sample and createSampler draw the same numbers', () => {
    const specs: SimulationDistribution[] = [
      { kind: 'exponential', meanSeconds: 50 },
      { kind: 'lognormal', meanSeconds: 50, sdSeconds: 20 },
      { kind: 'empirical', valuesSeconds: [1, 2, 3] },
    ];
    for (const spec of specs) {
      const d = compileDistribution(spec);
      const a = createRandom(77);
      const draw = createSampler(d, createRandom(77));
      for (let i = 0; i < 100; i++) expect(draw()).toBe(sample(d, a));
    }
  });
});

describe('event heap', () => {
  it('pops in time order whatever the insertion order, growing as needed', () => {
    const heap = new TimeHeap(2);
    const random = createRandom(1);
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t = random() * 1000;
      times.push(t);
      heap.push(t, i, 1000 + i);
    }
    const popped: number[] = [];
    while (heap.size > 0) {
      expect(heap.topTag()).toBe(1000 + heap.topItem());
      popped.push(heap.topTime());
      heap.pop();
    }
    expect(popped).toEqual([...times].sort((a, b) => a - b));
    expect(heap.topTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it('replaceTop keeps the order', () => {
    const heap = new TimeHeap();
    for (const t of [5, 1, 3]) heap.push(t, t, 0);
    heap.replaceTop(4, 4, 0);
    const order: number[] = [];
    while (heap.size > 0) {
      order.push(heap.topItem());
      heap.pop();
    }
    expect(order).toEqual([3, 4, 5]);
  });
});

describe('arrivals with a rate per interval', () => {
  it('are Poisson with the mean of each interval, none where the rate is 0', () => {
    // Calls per 100-second interval: 0, 50, 5, 0.
    const rates = Float64Array.from([0, 0.5, 0.05, 0]);
    const counts = [0, 0, 0, 0];
    const random = createRandom(12);
    const runs = 4000;
    for (let r = 0; r < runs; r++) {
      for (
        let t = nextArrival(rates, 100, 0, random);
        t < Number.POSITIVE_INFINITY;
        t = nextArrival(rates, 100, t, random)
      ) {
        counts[Math.floor(t / 100)]!++;
      }
    }
    expect(counts[0]).toBe(0);
    expect(counts[3]).toBe(0);
    // Means 50 and 5; standard errors √(50/4000) ≈ 0.11 and 0.035.
    expect(counts[1]! / runs).toBeCloseTo(50, 0);
    expect(counts[2]! / runs).toBeCloseTo(5, 0);
  });
});
