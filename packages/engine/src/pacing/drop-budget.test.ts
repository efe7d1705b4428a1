import { describe, expect, it } from 'vitest';
import { createDropBudget } from './drop-budget.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('createDropBudget', () => {
  it('keeps drops and live answers 24 hours in the day window and 30 days in the month window', () => {
    const budget = createDropBudget();
    for (let i = 0; i < 100; i++) budget.addLiveAnswer(10 * HOUR);
    budget.addDrop(10 * HOUR);
    expect(budget.day(10 * HOUR + DAY - 60_000)).toEqual({ liveAnswers: 100, drops: 1 });
    expect(budget.day(10 * HOUR + DAY)).toEqual({ liveAnswers: 0, drops: 0 });
    expect(budget.month(10 * HOUR + DAY)).toEqual({ liveAnswers: 100, drops: 1 });
    expect(budget.month(10 * HOUR + 30 * DAY - 60_000)).toEqual({ liveAnswers: 100, drops: 1 });
    expect(budget.month(10 * HOUR + 30 * DAY)).toEqual({ liveAnswers: 0, drops: 0 });
  });

  it('adds across days and expires each day on its own', () => {
    const budget = createDropBudget();
    budget.addLiveAnswer(0);
    budget.addLiveAnswer(DAY);
    budget.addDrop(DAY + HOUR);
    expect(budget.day(DAY + 2 * HOUR)).toEqual({ liveAnswers: 1, drops: 1 });
    expect(budget.month(DAY + 2 * HOUR)).toEqual({ liveAnswers: 2, drops: 1 });
  });

  it('forgets everything after a gap of more than a month', () => {
    const budget = createDropBudget();
    budget.addLiveAnswer(0);
    budget.addDrop(0);
    budget.addLiveAnswer(40 * DAY);
    expect(budget.month(40 * DAY)).toEqual({ liveAnswers: 1, drops: 0 });
    expect(budget.day(40 * DAY)).toEqual({ liveAnswers: 1, drops: 0 });
  });
});
