import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { erlangATail, lnInverseErlangB } from './erlang.kernels.ts';
import { erlangA, erlangB, erlangC, type QueueMetrics } from './erlang.ts';
import { WfmError } from './wfm.errors.ts';

type Vectors = {
  erlangB: { trafficErlangs: number; lines?: number; expectBlocking?: number }[];
  erlangC: {
    calls: number;
    intervalSeconds: number;
    ahtSeconds: number;
    agents?: number;
    thresholdSeconds: number;
    expect?: { probabilityOfWaiting: number; serviceLevel: number; asaSeconds: number; occupancy: number };
  }[];
  erlangA: {
    calls: number;
    intervalSeconds: number;
    ahtSeconds: number;
    patienceSeconds: number;
    agents: number;
    thresholdSeconds: number;
    expect: {
      probabilityOfWaiting: number;
      probabilityOfAbandon: number;
      serviceLevel: number;
      occupancy: number;
    };
  }[];
};

// The shared public reference values (sources named per case inside the file).
// Tolerance from the file: 1e-5 absolute on probabilities, 1e-3 s on ASA.
const vectors = JSON.parse(
  readFileSync(new URL('../../../../../shared/testdata/erlang-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

describe('erlang-vectors.json', () => {
  for (const v of vectors.erlangB.filter((c) => c.lines !== undefined)) {
    it(`Erlang B ${v.trafficErlangs} E on ${v.lines} lines`, () => {
      const r = erlangB({ trafficErlangs: v.trafficErlangs, lines: v.lines! });
      expect(Math.abs(r.blockingProbability - v.expectBlocking!)).toBeLessThan(1e-5);
    });
  }
  for (const v of vectors.erlangC.filter((c) => c.expect)) {
    it(`Erlang C ${v.calls} calls, ${v.agents} agents`, () => {
      const r = erlangC({ ...v, agents: v.agents! });
      expect(Math.abs(r.probabilityOfWaiting - v.expect!.probabilityOfWaiting)).toBeLessThan(1e-5);
      expect(Math.abs(r.serviceLevel - v.expect!.serviceLevel)).toBeLessThan(1e-5);
      expect(Math.abs(r.asaSeconds! - v.expect!.asaSeconds)).toBeLessThan(1e-3);
      expect(Math.abs(r.occupancy - v.expect!.occupancy)).toBeLessThan(1e-5);
    });
  }
  for (const v of vectors.erlangA) {
    it(`Erlang A ${v.calls} calls, ${v.agents} agents, patience ${v.patienceSeconds} s`, () => {
      const r = erlangA(v);
      expect(Math.abs(r.probabilityOfWaiting - v.expect.probabilityOfWaiting)).toBeLessThan(1e-5);
      expect(Math.abs(r.probabilityOfAbandon - v.expect.probabilityOfAbandon)).toBeLessThan(1e-5);
      expect(Math.abs(r.serviceLevel - v.expect.serviceLevel)).toBeLessThan(1e-5);
      expect(Math.abs(r.occupancy - v.expect.occupancy)).toBeLessThan(1e-5);
    });
  }
});

/**
 * Independent derivation: the M/M/n+M birth-death chain solved numerically.
 * Stationary probabilities p_i ∝ Π λ/(death rate), truncated where negligible.
 * An arrival finding j waiting moves up at rate r_k = nμ + kθ with k ahead and
 * leaves at rate θ, so (first-step analysis) it is served with probability
 * s_j = Π_{k≤j} r_k/(r_k+θ) and E[wait·1{served}] follows m_j = s_j/(r_j+θ) +
 * r_j/(r_j+θ)·m_{j−1}; "answered within T" comes from uniformizing that
 * absorbing chain over [0, T]. No formula of erlang.ts is used.
 */
function birthDeath(options: { lambda: number; mu: number; theta: number; n: number; threshold: number }) {
  const { lambda, mu, theta, n, threshold } = options;
  const p: number[] = [1];
  for (let i = 1; ; i++) {
    const death = i <= n ? i * mu : n * mu + (i - n) * theta;
    p.push((p[i - 1]! * lambda) / death);
    if (i > n + 5 && p[i]! < 1e-22 * Math.max(...p.slice(-50))) break;
  }
  const total = p.reduce((s, v) => s + v, 0);
  const q = p.map((v) => v / total);
  const waiting = q.slice(n); // q_j: arrival finds j waiting
  const jMax = waiting.length - 1;
  const rate = (k: number) => n * mu + k * theta;
  let served = 1;
  let moment = 0;
  let pServedAfterWait = 0;
  let servedWaitSum = 0;
  let queueLength = 0;
  const s: number[] = [];
  for (let j = 0; j <= jMax; j++) {
    const r = rate(j);
    served *= r / (r + theta);
    moment = served / (r + theta) + (r / (r + theta)) * moment;
    s.push(served);
    pServedAfterWait += waiting[j]! * served;
    servedWaitSum += waiting[j]! * moment;
    queueLength += j * waiting[j]!;
  }
  const pNoWait = q.slice(0, n).reduce((sum, v) => sum + v, 0);
  const pWait = 1 - pNoWait;
  const pServed = pNoWait + pServedAfterWait;
  let busy = 0;
  for (let i = 0; i < q.length; i++) busy += Math.min(i, n) * q[i]!;

  // Uniformization of the tagged contact's position over [0, T].
  const uniform = rate(jMax) + theta;
  const steps = Math.ceil(uniform * threshold + 12 * Math.sqrt(uniform * threshold) + 30);
  let position = waiting.slice();
  let servedMass = 0;
  let poisson = Math.exp(-uniform * threshold);
  let servedWithin = 0;
  for (let m = 0; m <= steps; m++) {
    servedWithin += poisson * servedMass;
    poisson *= (uniform * threshold) / (m + 1);
    const next = new Array<number>(position.length).fill(0);
    servedMass += (position[0]! * rate(0)) / uniform;
    for (let k = 0; k < position.length; k++) {
      const v = position[k]!;
      if (k > 0) next[k - 1]! += (v * rate(k)) / uniform;
      next[k]! += v * (1 - (rate(k) + theta) / uniform);
    }
    position = next;
  }
  return {
    probabilityOfWaiting: pWait,
    probabilityOfAbandon: 1 - pServed,
    serviceLevel: pNoWait + servedWithin,
    asaSeconds: servedWaitSum / pServed,
    meanWaitSeconds: queueLength / lambda,
    occupancy: busy / n,
  };
}

describe('Erlang A against the birth-death chain solved numerically', () => {
  // Underloaded, critically loaded and overloaded queues; impatient and patient callers.
  const cases = [
    {
      calls: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      patienceSeconds: 300,
      agents: 14,
      thresholdSeconds: 20,
    },
    {
      calls: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      patienceSeconds: 300,
      agents: 8,
      thresholdSeconds: 20,
    },
    {
      calls: 300,
      intervalSeconds: 900,
      ahtSeconds: 240,
      patienceSeconds: 45,
      agents: 70,
      thresholdSeconds: 30,
    },
    {
      calls: 300,
      intervalSeconds: 900,
      ahtSeconds: 240,
      patienceSeconds: 45,
      agents: 90,
      thresholdSeconds: 10,
    },
    { calls: 40, intervalSeconds: 900, ahtSeconds: 600, patienceSeconds: 5, agents: 3, thresholdSeconds: 60 },
    {
      calls: 12,
      intervalSeconds: 1800,
      ahtSeconds: 300,
      patienceSeconds: 3600,
      agents: 3,
      thresholdSeconds: 120,
    },
    {
      calls: 500,
      intervalSeconds: 900,
      ahtSeconds: 120,
      patienceSeconds: 1200,
      agents: 60,
      thresholdSeconds: 20,
    },
  ];
  for (const c of cases) {
    it(`${c.calls} calls / ${c.intervalSeconds} s, AHT ${c.ahtSeconds}, patience ${c.patienceSeconds}, ${c.agents} agents`, () => {
      const r = erlangA(c);
      const chain = birthDeath({
        lambda: c.calls / c.intervalSeconds,
        mu: 1 / c.ahtSeconds,
        theta: 1 / c.patienceSeconds,
        n: c.agents,
        threshold: c.thresholdSeconds,
      });
      expect(r.probabilityOfWaiting).toBeCloseTo(chain.probabilityOfWaiting, 10);
      expect(r.probabilityOfAbandon).toBeCloseTo(chain.probabilityOfAbandon, 10);
      expect(r.serviceLevel).toBeCloseTo(chain.serviceLevel, 9);
      expect(r.occupancy).toBeCloseTo(chain.occupancy, 10);
      expect(r.asaSeconds! / chain.asaSeconds).toBeCloseTo(1, 9);
      expect(r.meanWaitSeconds! / chain.meanWaitSeconds).toBeCloseTo(1, 9);
    });
  }
});

describe('limits', () => {
  it('Erlang A converges to Erlang C as patience grows (error shrinks like 1/patience)', () => {
    const base = { calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 14, thresholdSeconds: 20 };
    const c = erlangC(base);
    let previousError = Number.POSITIVE_INFINITY;
    for (const patience of [1e3, 1e4, 1e5, 1e6, 1e8, 1e10, 1e13]) {
      const a = erlangA({ ...base, patienceSeconds: patience });
      const error = Math.max(
        Math.abs(a.probabilityOfWaiting - c.probabilityOfWaiting),
        Math.abs(a.serviceLevel - c.serviceLevel),
        Math.abs(a.asaSeconds! - c.asaSeconds!) / c.asaSeconds!,
      );
      expect(error).toBeLessThan(previousError);
      expect(error).toBeLessThan(5000 / patience + 1e-12);
      expect(a.probabilityOfAbandon).toBeLessThan(10 / patience);
      previousError = error;
    }
    const infinite = erlangA({ ...base, patienceSeconds: Number.POSITIVE_INFINITY });
    expect(infinite.serviceLevel).toBe(c.serviceLevel);
    expect(infinite.model).toBe('erlang-a');
  });

  it('Erlang A stays finite and converges also for 50,000 Erlangs and years of patience', () => {
    const base = { trafficErlangs: 50_000, ahtSeconds: 300, agents: 50_100, thresholdSeconds: 20 };
    const c = erlangC(base);
    const a = erlangA({ ...base, patienceSeconds: 3e8 });
    expect(a.probabilityOfWaiting).toBeCloseTo(c.probabilityOfWaiting, 5);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 5);
    expect(a.asaSeconds! / c.asaSeconds!).toBeCloseTo(1, 4);
  });

  it('threshold 0 gives the probability of not waiting; hours give P(served) (A) or 1 (C)', () => {
    const base = { calls: 300, intervalSeconds: 900, ahtSeconds: 240, agents: 82 };
    const c0 = erlangC({ ...base, thresholdSeconds: 0 });
    expect(c0.serviceLevel).toBeCloseTo(1 - c0.probabilityOfWaiting, 14);
    const cLong = erlangC({ trafficErlangs: 80, ahtSeconds: 240, agents: 82, thresholdSeconds: 4 * 3600 });
    expect(cLong.serviceLevel).toBeCloseTo(1, 12);
    const a0 = erlangA({ ...base, patienceSeconds: 60, thresholdSeconds: 0 });
    expect(a0.serviceLevel).toBeCloseTo(1 - a0.probabilityOfWaiting, 14);
    const aLong = erlangA({
      ...base,
      intervalSeconds: 86_400,
      patienceSeconds: 60,
      thresholdSeconds: 4 * 3600,
    });
    expect(aLong.serviceLevel).toBeCloseTo(1 - aLong.probabilityOfAbandon, 14);
    expect(aLong.serviceLevels.answered_or_abandoned_within).toBeCloseTo(1, 14);
  });

  it('tiny traffic: Erlang B ≈ a^n/n!, waiting ≈ impossible, yet positive', () => {
    // B(n, a) = (a^n/n!) / Σ_{k≤n} a^k/k! = (a^n/n!)·e^−a·(1 + O(a^{n+1}/(n+1)!)).
    const b = erlangB({ trafficErlangs: 0.01, lines: 20 });
    const leading = (0.01 ** 20 / 2432902008176640000) * Math.exp(-0.01);
    expect(b.blockingProbability / leading).toBeCloseTo(1, 10);
    const c = erlangC({ trafficErlangs: 0.01, ahtSeconds: 300, agents: 30 });
    expect(c.probabilityOfWaiting).toBeGreaterThan(0);
    expect(c.probabilityOfWaiting).toBeLessThan(1e-80);
    const a = erlangA({ trafficErlangs: 0.01, ahtSeconds: 300, agents: 30, patienceSeconds: 1 });
    expect(a.probabilityOfAbandon).toBeGreaterThan(0);
    expect(a.probabilityOfAbandon).toBeLessThan(1e-80);
  });

  it('Erlang B at 100,000 Erlangs agrees with the exact recursion B_k = aB_{k−1}/(k + aB_{k−1})', () => {
    const a = 100_000;
    let recursion = 1;
    for (let k = 1; k <= 100_500; k++) recursion = (a * recursion) / (k + a * recursion);
    expect(erlangB({ trafficErlangs: a, lines: 100_500 }).blockingProbability / recursion).toBeCloseTo(1, 11);
  });

  it('the quadrature route of the kernels agrees with the plain sums they replace', () => {
    // 1/B(m, a) by the integral (m − a large) against the exact recursion
    // 1/B_k = 1 + (k/a)/B_{k−1}, kept in logs because 1/B_4000 overflows.
    let lnR = 0;
    for (let k = 1; k <= 4000; k++) {
      const lnTerm = Math.log(k / 1000) + lnR;
      lnR = lnTerm + Math.log1p(Math.exp(-lnTerm));
    }
    expect(lnInverseErlangB(4000, 1000) / lnR).toBeCloseTo(1, 12);
    // K and h at x = 10^5, y = 0.999·x (too long a series, so integrated): direct sums.
    const x = 1e5;
    const y = 99_900;
    let term = 1 / (x + 1);
    let sumK = 0;
    let sumH = 0;
    for (let j = 0; j < 200_000; j++) {
      sumK += term;
      sumH += (j + 1) * term;
      term *= y / (x + 2 + j);
    }
    const tail = erlangATail(x, y, x - y, false);
    expect(tail.lnK / Math.log(y * sumK)).toBeCloseTo(1, 12);
    expect(Math.exp(tail.lnH) / ((y / x) * sumH)).toBeCloseTo(1, 11);
  });
});

describe('monotone and finite over a grid', () => {
  // 0.01 to 100,000 Erlangs; patience from 1 s to infinity; thresholds from 0 to an hour.
  const loads = [0.01, 0.7, 4, 25, 180, 1500, 12_000, 100_000];
  const patiences = [1, 30, 200, 3600, 1e7, Number.POSITIVE_INFINITY];
  const thresholds = [0, 20, 3600];
  const probabilities = (m: QueueMetrics) => [
    m.probabilityOfWaiting,
    m.probabilityOfAbandon,
    m.occupancy,
    ...Object.values(m.serviceLevels),
  ];

  it('in the number of agents: service level up; waiting, abandonment, ASA and occupancy down', () => {
    for (const a of loads) {
      const window = Math.max(6, Math.ceil(4 * Math.sqrt(a)));
      const agents: number[] = [];
      for (let k = -window; k <= window; k += Math.max(1, Math.floor(window / 6))) {
        const n = Math.round(a) + k;
        if (n >= 1) agents.push(n);
      }
      for (const patience of patiences) {
        for (const threshold of thresholds) {
          let previous: QueueMetrics | null = null;
          for (const n of agents) {
            const m = erlangA({
              trafficErlangs: a,
              ahtSeconds: 180,
              patienceSeconds: patience,
              agents: n,
              thresholdSeconds: threshold,
            });
            for (const p of probabilities(m)) {
              expect(Number.isFinite(p)).toBe(true);
              expect(p).toBeGreaterThanOrEqual(0);
              expect(p).toBeLessThanOrEqual(1);
            }
            if (m.stable) {
              expect(Number.isFinite(m.asaSeconds)).toBe(true);
              expect(Number.isFinite(m.meanWaitSeconds)).toBe(true);
            }
            if (previous) {
              const slack = 1e-12;
              expect(m.serviceLevel).toBeGreaterThanOrEqual(previous.serviceLevel - slack);
              expect(m.probabilityOfWaiting).toBeLessThanOrEqual(previous.probabilityOfWaiting + slack);
              expect(m.probabilityOfAbandon).toBeLessThanOrEqual(previous.probabilityOfAbandon + slack);
              expect(m.occupancy).toBeLessThanOrEqual(previous.occupancy + slack);
              if (m.stable && previous.stable) {
                expect(m.asaSeconds!).toBeLessThanOrEqual(previous.asaSeconds! * (1 + 1e-12));
              }
            }
            previous = m;
          }
        }
      }
    }
  });

  it('in the threshold: service level up; in the patience: abandonment down', () => {
    for (const a of loads) {
      const n = Math.max(1, Math.round(a * 1.02 + Math.sqrt(a)));
      let previousSl = -1;
      for (const threshold of [0, 1, 5, 20, 60, 300, 900, 3600, 14_400]) {
        const m = erlangA({
          trafficErlangs: a,
          ahtSeconds: 300,
          patienceSeconds: 120,
          agents: n,
          thresholdSeconds: threshold,
        });
        expect(m.serviceLevel).toBeGreaterThanOrEqual(previousSl - 1e-14);
        previousSl = m.serviceLevel;
      }
      let previousAbandon = 2;
      for (const patience of [1, 10, 60, 300, 3600, 1e5, 1e9]) {
        const m = erlangA({ trafficErlangs: a, ahtSeconds: 300, patienceSeconds: patience, agents: n });
        expect(m.probabilityOfAbandon).toBeLessThanOrEqual(previousAbandon + 1e-14);
        previousAbandon = m.probabilityOfAbandon;
      }
    }
  });
});

describe('bad input', () => {
  const good = { calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 14, patienceSeconds: 300 };
  const cases: [string, Record<string, unknown>, string][] = [
    ['negative calls', { ...good, calls: -1 }, 'calls'],
    ['NaN handle time', { ...good, ahtSeconds: Number.NaN }, 'ahtSeconds'],
    ['zero agents', { ...good, agents: 0 }, 'agents'],
    ['fractional agents', { ...good, agents: 2.5 }, 'agents'],
    ['zero patience', { ...good, patienceSeconds: 0 }, 'patienceSeconds'],
    ['threshold beyond the interval', { ...good, thresholdSeconds: 3600 }, 'thresholdSeconds'],
    ['negative threshold', { ...good, thresholdSeconds: -5 }, 'thresholdSeconds'],
    [
      'calls without interval',
      { calls: 10, ahtSeconds: 180, agents: 3, patienceSeconds: 60 },
      'intervalSeconds',
    ],
    ['no traffic at all', { ahtSeconds: 180, agents: 3, patienceSeconds: 60 }, 'calls'],
    [
      'infinite traffic',
      { trafficErlangs: Number.POSITIVE_INFINITY, ahtSeconds: 180, agents: 3, patienceSeconds: 60 },
      'trafficErlangs',
    ],
    ['both calls and Erlangs', { ...good, trafficErlangs: 10 }, 'calls'],
  ];
  for (const [name, options, field] of cases) {
    it(`${name}: WFM_INVALID_INPUT naming ${field}`, () => {
      let error: unknown;
      try {
        erlangA(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WfmError);
      expect((error as WfmError).code).toBe('WFM_INVALID_INPUT');
      expect((error as WfmError).issues.map((i) => i.field)).toContain(field);
      expect((error as WfmError).message).toContain(field);
    });
  }

  it('Erlang B needs whole lines and Erlang C reports an unstable queue instead of NaN', () => {
    expect(() => erlangB({ trafficErlangs: 5, lines: 0 })).toThrow(/lines/);
    expect(() => erlangC(null as never)).toThrow(WfmError);
    const unstable = erlangC({ trafficErlangs: 20, ahtSeconds: 300, agents: 20 });
    expect(unstable).toMatchObject({
      stable: false,
      probabilityOfWaiting: 1,
      serviceLevel: 0,
      asaSeconds: null,
    });
    // The same load is stable with abandonment, below the offered load.
    const withAbandon = erlangA({ trafficErlangs: 20, ahtSeconds: 300, agents: 18, patienceSeconds: 60 });
    expect(withAbandon.stable).toBe(true);
    expect(withAbandon.probabilityOfAbandon).toBeGreaterThan(0.1);
  });
});
