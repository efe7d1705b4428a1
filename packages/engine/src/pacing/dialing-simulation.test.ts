import { describe, expect, it } from 'vitest';
import { runDialingSimulation } from './dialing-simulation.ts';

// Short runs (a few simulated days, well under a second each) of the simulation
// the benchmark runs for 20 days.
describe('runDialingSimulation', () => {
  const days = 2;
  const progressive = runDialingSimulation({ pacer: { mode: 'progressive' }, seed: 11, days });
  const predictive = runDialingSimulation({ pacer: { mode: 'predictive' }, seed: 11, days });

  it('predictive keeps the drop rate at or under 3 % in every 24-hour window', () => {
    expect(predictive.dayWindowDropRates.length).toBeGreaterThan(24);
    expect(Math.max(...predictive.dayWindowDropRates)).toBeLessThanOrEqual(0.03);
  });

  it('predictive connects more calls per operator hour than progressive', () => {
    expect(predictive.connectsPerOperatorHour).toBeGreaterThan(1.2 * progressive.connectsPerOperatorHour);
    expect(predictive.occupancy).toBeGreaterThan(progressive.occupancy);
  });

  it('progressive drops only the people answering-machine detection mistakes for machines', () => {
    // AMD false positives at 0.5 % of people.
    expect(progressive.drops / progressive.liveAnswers).toBeLessThan(0.01);
    const noFalsePositives = runDialingSimulation({
      pacer: { mode: 'progressive' },
      seed: 11,
      days,
      amdFalsePositiveRate: 0,
    });
    expect(noFalsePositives.drops).toBe(0);
  });

  it('falls back to progressive when a strict ceiling is spent, and still keeps to it', () => {
    // At 1 %, AMD false positives alone (0.5 %) use half the budget.
    const strict = runDialingSimulation({ pacer: { mode: 'predictive', ceiling: 0.01 }, seed: 11, days });
    expect(strict.decisionsByMode.progressive).toBeGreaterThan(0);
    expect(strict.decisionsByMode.predictive).toBeGreaterThan(0);
    expect(Math.max(...strict.dayWindowDropRates)).toBeLessThanOrEqual(0.01);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(runDialingSimulation({ pacer: { mode: 'predictive' }, seed: 11, days })).toEqual(predictive);
    expect(runDialingSimulation({ pacer: { mode: 'progressive' }, seed: 12, days }).dials).not.toBe(
      progressive.dials,
    );
  });
});
