import { describe, expect, it } from 'vitest';
import { createFinishProbability, normalCdf } from './handle-time.ts';

describe('normalCdf', () => {
  it.each([
    // Standard normal table values.
    [0, 0.5],
    [1.96, 0.975],
    [-1, 0.158655],
    [0.35, 0.636831],
  ])('Φ(%d) = %d', (z, expected) => {
    expect(normalCdf(z)).toBeCloseTo(expected, 5);
  });
});

describe('createFinishProbability', () => {
  it('lognormal from zero elapsed is the CDF at the horizon', () => {
    // Mean 150 s, sigma 0.7: mu = ln 150 − 0.245, so P(T ≤ 150 s) = Φ(0.245 / 0.7) = Φ(0.35) = 0.636831.
    const finish = createFinishProbability({ kind: 'lognormal', meanMs: 150_000, sigma: 0.7 });
    expect(finish(0, 150_000)).toBeCloseTo(0.636831, 5);
  });

  it('lognormal conditions on the time already spent', () => {
    const finish = createFinishProbability({ kind: 'lognormal', meanMs: 150_000, sigma: 0.7 });
    // A contact at 140 s is far likelier to end in the next 15 s than one just begun.
    expect(finish(140_000, 15_000)).toBeGreaterThan(3 * finish(0, 15_000));
    expect(finish(140_000, 0)).toBe(0);
    expect(finish(140_000, 10_000_000)).toBeCloseTo(1, 6);
  });

  it('empirical counts the recorded contacts that ended in the horizon among those still running', () => {
    const finish = createFinishProbability({
      kind: 'empirical',
      samplesMs: [40_000, 10_000, 30_000, 20_000],
    });
    // Longer than 15 s: 20, 30, 40 s; of those, ended by 25 s: 20 s → 1/3.
    expect(finish(15_000, 10_000)).toBeCloseTo(1 / 3, 10);
    // Longer than every sample: no evidence it ends soon.
    expect(finish(50_000, 10_000)).toBe(0);
  });
});
