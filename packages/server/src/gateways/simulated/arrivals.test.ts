import { createRandom } from '@centralino/engine';
import { describe, expect, it } from 'vitest';
import { expectedArrivals, nextArrivalAt } from './arrivals.ts';
import { createHourOfDay } from './hour-of-day.ts';

const HOUR = 3_600_000;
const rome = createHourOfDay('Europe/Rome');
// Rates 1, 2, …, 24 calls per hour for local hours 0–23: Σ = 300 a normal day.
const rising = Array.from({ length: 24 }, (_, h) => h + 1);

describe('hour of day and expected arrivals in Europe/Rome', () => {
  it('reads the local hour across the changes of time', () => {
    // 2026-03-29: at 02:00 CET clocks jump to 03:00 CEST (UTC+2 from 01:00 UTC).
    expect(rome(Date.UTC(2026, 2, 29, 0, 59))).toBe(1);
    expect(rome(Date.UTC(2026, 2, 29, 1, 0))).toBe(3);
    // 2026-10-25: at 03:00 CEST clocks go back to 02:00 CET: 02:xx happens twice.
    expect(rome(Date.UTC(2026, 9, 25, 0, 30))).toBe(2);
    expect(rome(Date.UTC(2026, 9, 25, 1, 30))).toBe(2);
  });

  it('integrates the profile over a normal, a short and a long day', () => {
    const day = (y: number, m: number, d: number, offsetHours: number) =>
      Date.UTC(y, m, d) - offsetHours * HOUR;
    // A normal day: Σ rates = 300.
    expect(
      expectedArrivals({
        from: day(2026, 2, 2, 1),
        to: day(2026, 2, 3, 1),
        callsPerHour: rising,
        hourOf: rome,
      }),
    ).toBeCloseTo(300, 9);
    // 29 March has no 02:00 hour (rate 3): 297.
    expect(
      expectedArrivals({
        from: day(2026, 2, 29, 1),
        to: day(2026, 2, 30, 2),
        callsPerHour: rising,
        hourOf: rome,
      }),
    ).toBeCloseTo(297, 9);
    // 25 October has 02:00 twice: 303.
    expect(
      expectedArrivals({
        from: day(2026, 9, 25, 2),
        to: day(2026, 9, 26, 1),
        callsPerHour: rising,
        hourOf: rome,
      }),
    ).toBeCloseTo(303, 9);
    // Half an hour at 10:00–10:30 (rate 11): 5.5.
    const ten = day(2026, 2, 2, 1) + 10 * HOUR;
    expect(
      expectedArrivals({ from: ten, to: ten + HOUR / 2, callsPerHour: rising, hourOf: rome }),
    ).toBeCloseTo(5.5, 9);
  });

  it('never places an arrival in an hour whose rate is 0, and has none when all are 0', () => {
    const nights = Array.from({ length: 24 }, (_, h) => (h >= 9 && h < 18 ? 50 : 0));
    const random = createRandom(4);
    let t = Date.UTC(2026, 2, 1, 23);
    for (let i = 0; i < 2_000; i++) {
      t = nextArrivalAt({ from: t, callsPerHour: nights, hourOf: rome, random })!;
      const hour = rome(t);
      expect(hour >= 9 && hour < 18, `arrival at local hour ${hour}`).toBe(true);
    }
    expect(nextArrivalAt({ from: 0, callsPerHour: Array(24).fill(0), hourOf: rome, random })).toBeNull();
  });
});
