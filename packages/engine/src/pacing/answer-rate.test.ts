import { describe, expect, it } from 'vitest';
import { createAnswerRate } from './answer-rate.ts';

describe('createAnswerRate', () => {
  it('starts from the prior', () => {
    expect(createAnswerRate({ prior: 0.3 }).estimate('list-a', 10)).toBe(0.3);
  });

  it('learns each hour of each list apart', () => {
    const rates = createAnswerRate({ prior: 0.25 });
    for (let i = 0; i < 1000; i++) {
      rates.add('list-a', 10, i % 5 === 0); // 20 %
      rates.add('list-a', 18, i % 5 < 2); // 40 %
    }
    expect(rates.estimate('list-a', 10)).toBeCloseTo(0.2, 1);
    expect(rates.estimate('list-a', 18)).toBeCloseTo(0.4, 1);
    // An hour without outcomes takes the list's rate (30 % overall), another list the prior.
    expect(rates.estimate('list-a', 12)).toBeCloseTo(0.3, 1);
    expect(rates.estimate('list-b', 10)).toBe(0.25);
  });

  it('shrinks a thin hour towards its list', () => {
    const rates = createAnswerRate({ prior: 0.25, priorWeight: 50 });
    rates.add('list-a', 9, true);
    // One live answer out of one dial is not a 100 % hour.
    expect(rates.estimate('list-a', 9)).toBeLessThan(0.3);
  });
});
