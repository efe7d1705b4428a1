import { describe, expect, it } from 'vitest';
import { bandsOf, eurosToCents, statusOf } from './bands.ts';

describe('SLA bands', () => {
  it('puts the target band on top when higher is better, at the bottom when lower is', () => {
    expect(bandsOf(75, 80, 'higher', 100)).toEqual([
      { status: 'below_minimum', y1: 0, y2: 75 },
      { status: 'between', y1: 75, y2: 80 },
      { status: 'at_target', y1: 80, y2: 100 },
    ]);
    expect(bandsOf(30, 20, 'lower', 12)).toEqual([
      { status: 'at_target', y1: 0, y2: 20 },
      { status: 'between', y1: 20, y2: 30 },
      { status: 'below_minimum', y1: 30, y2: 30 },
    ]);
  });

  it('grades a value the way the server does (a value at a level meets it)', () => {
    expect(statusOf(0.8, 0.75, 0.8, 'higher')).toBe('at_target');
    expect(statusOf(0.76, 0.75, 0.8, 'higher')).toBe('between');
    expect(statusOf(0.7, 0.75, 0.8, 'higher')).toBe('below_minimum');
    expect(statusOf(30, 30, 20, 'lower')).toBe('between');
    expect(statusOf(31, 30, 20, 'lower')).toBe('below_minimum');
    expect(statusOf(null, 30, 20, 'lower')).toBe('no_data');
  });

  it('reads an invoice typed in euros, Italian or English style', () => {
    expect(eurosToCents('12.500,50')).toBe(1_250_050);
    expect(eurosToCents('12500.5')).toBe(1_250_050);
    expect(eurosToCents('12 500 €')).toBe(1_250_000);
    expect(eurosToCents('1.000.000')).toBe(100_000_000);
    expect(eurosToCents('')).toBeNull();
    expect(eurosToCents('abc')).toBeNull();
  });
});
