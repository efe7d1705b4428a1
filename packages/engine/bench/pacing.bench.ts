// Issue 4 dialer-pacing goals, by the seeded dialing simulation shared with the
// tests (packages/engine/src/pacing/dialing-simulation.ts): 50 operators, live-
// answer rate 20–35 % through the day, ring time up to 25 s, talk time lognormal
// with mean 150 s, 20 simulated days of 09:00–21:00. Goals: predictive reaches
// ≥ 1.4× the live connections per operator hour of progressive, with the drop
// rate ≤ 3 % in every 24-hour window. The figures are counts from a seeded run,
// not timings, so they are the same on any machine.

import { type BenchContext, percentile } from '../../../bench/lib.ts';
import { type DialingSimulationResult, runDialingSimulation } from '../src/pacing/index.ts';

export const title = 'Dialer pacing: predictive against progressive, drop rate per 24 h window';

const days = 20;
const seed = 2026;
const parameters = {
  days,
  seed,
  operators: 50,
  callingWindow: '09:00–21:00',
  liveAnswerRate: '20 % at 06:00 to 35 % at 18:00 (22–35 % in the 09:00–21:00 window)',
  ring: 'post-dial delay 2–6 s; person 3–20 s; machine 5–15 s + AMD 2–4 s; no answer 25 s',
  talk: 'lognormal, mean 150 s, sigma 0.7',
  amdFalsePositiveRate: 0.005,
};

export async function run(ctx: BenchContext) {
  const results: Record<string, DialingSimulationResult> = {};
  for (const mode of ['progressive', 'power', 'predictive'] as const) {
    const started = performance.now();
    results[mode] = runDialingSimulation({ pacer: { mode, ceiling: 0.03, ratio: 1.4 }, seed, days });
    ctx.log(`${mode}: ${days} days simulated in ${Math.round(performance.now() - started)} ms`);
  }
  const progressive = results.progressive!;
  const predictive = results.predictive!;

  ctx.record({
    name: 'predictive ÷ progressive, live connections per operator hour',
    value: predictive.connectsPerOperatorHour / progressive.connectsPerOperatorHour,
    unit: '×',
    goal: { op: '>=', value: 1.4 },
    parameters,
  });
  ctx.record({
    name: 'predictive: highest drop rate of any 24 h window',
    value: 100 * Math.max(...predictive.dayWindowDropRates),
    unit: '%',
    goal: { op: '<=', value: 3 },
    parameters: {
      ...parameters,
      windows: `${predictive.dayWindowDropRates.length} windows ending on each hour`,
    },
  });
  for (const p of [50, 95]) {
    ctx.record({
      name: `predictive: p${p} drop rate of the 24 h windows`,
      value: 100 * percentile(predictive.dayWindowDropRates, p),
      unit: '%',
      parameters,
    });
  }
  ctx.record({
    name: 'predictive: drop rate over the 20 days (30-day window)',
    value: (100 * predictive.drops) / predictive.liveAnswers,
    unit: '%',
    goal: { op: '<=', value: 3 },
    parameters,
  });
  ctx.record({
    name: 'predictive: decisions taken in progressive fallback',
    value: (100 * (predictive.decisionsByMode.progressive ?? 0)) / sum(predictive.decisionsByMode),
    unit: '%',
    parameters,
  });
  for (const [mode, result] of Object.entries(results)) {
    ctx.record({
      name: `${mode}: live connections per operator hour`,
      value: result.connectsPerOperatorHour,
      unit: 'per operator hour',
      parameters: mode === 'power' ? { ...parameters, ratio: 1.4 } : parameters,
    });
    ctx.record({ name: `${mode}: operator occupancy`, value: 100 * result.occupancy, unit: '%', parameters });
    if (mode !== 'predictive') {
      ctx.record({
        name: `${mode}: highest drop rate of any 24 h window`,
        value: 100 * Math.max(...result.dayWindowDropRates),
        unit: '%',
        parameters,
      });
    }
  }

  // What 1.4× would cost: the same predictive controller allowed a higher drop
  // rate (above the legal ceiling: a frontier for the record, never a setting).
  for (const ceiling of [0.05, 0.08]) {
    const loose = runDialingSimulation({ pacer: { mode: 'predictive', ceiling }, seed, days });
    const label = `predictive at a ${100 * ceiling} % ceiling (frontier, not allowed)`;
    ctx.record({
      name: `${label}: ÷ progressive, live connections per operator hour`,
      value: loose.connectsPerOperatorHour / progressive.connectsPerOperatorHour,
      unit: '×',
      parameters: { ...parameters, ceiling },
    });
    ctx.record({
      name: `${label}: drop rate over the 20 days`,
      value: (100 * loose.drops) / loose.liveAnswers,
      unit: '%',
      parameters: { ...parameters, ceiling },
    });
  }
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
