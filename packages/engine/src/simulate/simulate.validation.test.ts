// The simulator against queueing formulas (issue 3 §5): on single-queue models with
// Poisson arrivals and exponential handle times, the simulated service level,
// abandonment and ASA must match Erlang C (M/M/n) and Erlang A (M/M/n+M) of
// engine/wfm within ±0.005. Service level and abandonment are probabilities, so the
// tolerance is absolute; ASA is a time, so it is compared in units of the mean
// handle time (|ASA_sim − ASA| ≤ 0.005 × AHT, i.e. ±0.6 s at AHT 120 s).
//
// "Enough arrivals to make that meaningful": every comparison also requires the
// simulator's own 95 % confidence interval (8 or 12 replications) to be narrower than the
// tolerance, so a model error of 0.005 could not hide inside the noise. Seeds are
// fixed, so the test is deterministic. The steady state is reached after a first
// hour left out as warm-up (relaxation times here are minutes).
import { describe, expect, it } from 'vitest';
import { erlangA, erlangC } from '../wfm/index.ts';
import { simulate } from './simulate.ts';
import type { SimulationEstimate } from './simulate.types.ts';

const TOLERANCE = 0.005;

type Model = { agents: number; erlangs: number; ahtSeconds: number; patienceSeconds: number; hours: number };

function singleQueue(m: Model, kpi: Record<string, unknown> = {}) {
  return {
    name: 'validation',
    intervalMinutes: 60,
    intervals: m.hours,
    warmupIntervals: 1,
    kpi: { thresholdSeconds: 20, ...kpi },
    organizations: [{ id: 'org' }],
    queues: [
      {
        id: 'queue',
        organization: 'org',
        callsPerInterval: (m.erlangs * 3600) / m.ahtSeconds,
        handleTime: { kind: 'exponential', meanSeconds: m.ahtSeconds },
        patience:
          m.patienceSeconds === Number.POSITIVE_INFINITY
            ? { kind: 'infinite' }
            : { kind: 'exponential', meanSeconds: m.patienceSeconds },
      },
    ],
    operators: [{ id: 'team', count: m.agents, skills: ['queue'] }],
  };
}

function expectMatch(estimate: SimulationEstimate, exact: number, scale = 1) {
  const halfWidth = (estimate.high! - estimate.low!) / 2 / scale;
  expect(halfWidth).toBeLessThan(TOLERANCE);
  expect(Math.abs(estimate.value! - exact) / scale).toBeLessThanOrEqual(TOLERANCE);
}

describe('simulator vs Erlang C (M/M/n, no abandonment)', () => {
  // 40 agents, 32 Erlangs (occupancy 0.8), AHT 120 s: about 2.2 million arrivals.
  const m: Model = {
    agents: 40,
    erlangs: 32,
    ahtSeconds: 120,
    patienceSeconds: Number.POSITIVE_INFINITY,
    hours: 290,
  };
  const result = simulate({ scenario: singleQueue(m), replications: 8, seed: 2025, detail: 'totals' });
  const exact = erlangC({
    trafficErlangs: m.erlangs,
    ahtSeconds: m.ahtSeconds,
    agents: m.agents,
    thresholdSeconds: 20,
  });
  const totals = result.queues[0]!.totals;

  it('runs on the single-queue loop with enough arrivals', () => {
    expect(result.engine).toBe('single-queue');
    expect(result.events.arrivals).toBeGreaterThan(1_100_000);
  });

  it('service level within T = 20 s', () => {
    expectMatch(totals.serviceLevel, exact.serviceLevel);
  });

  it('ASA', () => {
    expectMatch(totals.asaSeconds, exact.asaSeconds!, m.ahtSeconds);
  });

  it('occupancy and nobody abandons', () => {
    expectMatch(result.center.totals.occupancy, exact.occupancy);
    expect(totals.abandoned.value).toBe(0);
  });
});

describe('simulator vs Erlang A (M/M/n+M, exponential patience)', () => {
  // 40 agents facing 40 Erlangs (as many as the load: only abandonment keeps the
  // queue stable), AHT 120 s, mean patience 60 s: about 1.15 million arrivals.
  const m: Model = { agents: 40, erlangs: 40, ahtSeconds: 120, patienceSeconds: 60, hours: 80 };
  // Short abandons counted in the abandon rate, so that it is Ab / (A + Ab) = P(abandon).
  const result = simulate({
    scenario: singleQueue(m, { abandonRateIncludesShort: true }),
    replications: 12,
    seed: 7,
    detail: 'totals',
  });
  const exact = erlangA({
    trafficErlangs: m.erlangs,
    ahtSeconds: m.ahtSeconds,
    agents: m.agents,
    patienceSeconds: m.patienceSeconds,
    thresholdSeconds: 20,
  });
  const totals = result.queues[0]!.totals;

  it('has enough arrivals', () => {
    expect(result.events.arrivals).toBeGreaterThan(1_100_000);
  });

  it('service level, default definition (A≤T + Ab≤T) / (A + Ab)', () => {
    expectMatch(totals.serviceLevel, exact.serviceLevels.answered_or_abandoned_within);
  });

  it('probability of abandoning', () => {
    expectMatch(totals.abandonRate, exact.probabilityOfAbandon);
  });

  it('ASA of answered contacts', () => {
    expectMatch(totals.asaSeconds, exact.asaSeconds!, m.ahtSeconds);
  });

  it('occupancy', () => {
    expectMatch(result.center.totals.occupancy, exact.occupancy);
  });
});

describe('simulator vs Erlang A through the general loop and the router', () => {
  // Two organizations' queues in one scenario, each with its own team: the general
  // loop, routing through the longest-idle router, must reproduce each queue's
  // Erlang A. About 1.1 million and 430 thousand arrivals; service level A≤T / (A + Ab).
  const a: Model = { agents: 30, erlangs: 30, ahtSeconds: 120, patienceSeconds: 60, hours: 100 };
  const b: Model = { agents: 20, erlangs: 18, ahtSeconds: 180, patienceSeconds: 120, hours: 100 };
  const queueOf = (id: string, m: Model) => ({
    ...singleQueue(m).queues[0]!,
    id,
    organization: id === 'aurora' ? 'fondazione-aurora' : 'lega-verde',
  });
  const result = simulate({
    scenario: {
      intervalMinutes: 60,
      intervals: 100,
      warmupIntervals: 1,
      kpi: { serviceLevelDefinition: 'answered_within', abandonRateIncludesShort: true },
      organizations: [{ id: 'fondazione-aurora' }, { id: 'lega-verde' }],
      queues: [queueOf('aurora', a), queueOf('verde', b)],
      operators: [
        { id: 'aurora-team', count: a.agents, skills: ['aurora'] },
        { id: 'verde-team', count: b.agents, skills: ['verde'] },
      ],
    },
    replications: 12,
    seed: 11,
    detail: 'totals',
  });

  it('uses the general loop', () => {
    expect(result.engine).toBe('general');
    expect(result.router).toBe('longest-idle');
  });

  for (const [index, m] of [a, b].entries()) {
    it(`queue ${index + 1}: service level, abandonment, ASA`, () => {
      const exact = erlangA({
        trafficErlangs: m.erlangs,
        ahtSeconds: m.ahtSeconds,
        agents: m.agents,
        patienceSeconds: m.patienceSeconds,
        thresholdSeconds: 20,
      });
      const totals = result.queues[index]!.totals;
      expectMatch(totals.serviceLevel, exact.serviceLevels.answered_within);
      expectMatch(totals.abandonRate, exact.probabilityOfAbandon);
      expectMatch(totals.asaSeconds, exact.asaSeconds!, m.ahtSeconds);
      expectMatch(result.operatorGroups[index]!.totals.occupancy, exact.occupancy);
    });
  }
});
