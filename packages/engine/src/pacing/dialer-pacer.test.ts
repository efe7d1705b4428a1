import { describe, expect, it } from 'vitest';
import { createDialerPacer, type DialerPacer, type DialerSnapshot } from './dialer-pacer.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const idle = (availableOperators: number, callsInFlight = 0): DialerSnapshot => ({
  listId: 'list-a',
  availableOperators,
  busyOperatorsElapsedMs: [],
  callsInFlight,
});

/** Records `dials` resolved dials, `lives` of them answered by a person, and `drops` drops, at nowMs. */
function history(pacer: DialerPacer, nowMs: number, dials: number, lives: number, drops: number) {
  for (let i = 0; i < dials; i++) {
    pacer.record({ kind: 'dial', listId: 'list-a' }, nowMs);
    // Lives spread evenly among the dials (the estimate forgets old outcomes).
    if (Math.floor(((i + 1) * lives) / dials) > Math.floor((i * lives) / dials))
      pacer.record({ kind: 'live', listId: 'list-a', ringMs: 12_000 }, nowMs);
    else pacer.record({ kind: 'no_answer', listId: 'list-a', afterMs: 25_000 }, nowMs);
  }
  for (let i = 0; i < drops; i++) pacer.record({ kind: 'drop', reason: 'not_connected_in_time' }, nowMs);
}

describe('preview, progressive and power', () => {
  it('preview never dials: the operator does', () => {
    expect(createDialerPacer({ mode: 'preview' }).decide(idle(10), 0)).toBe(0);
  });

  it.each([
    // [available, in flight, waiting, expected]: one call per available operator, less those already placed.
    [5, 0, 0, 5],
    [5, 2, 0, 3],
    [5, 2, 1, 2],
    [2, 4, 0, 0],
  ])(
    'progressive with %d available, %d in flight, %d waiting places %d',
    (available, inFlight, waiting, expected) => {
      const pacer = createDialerPacer({ mode: 'progressive' });
      expect(pacer.decide({ ...idle(available, inFlight), callsWaiting: waiting }, 0)).toBe(expected);
    },
  );

  it.each([
    // floor(ratio × available) − in flight.
    [2, 4, 0, 8],
    [2.5, 3, 2, 5],
    [3, 1, 5, 0],
  ])(
    'power at ratio %d with %d available and %d in flight places %d',
    (ratio, available, inFlight, expected) => {
      expect(createDialerPacer({ mode: 'power', ratio }).decide(idle(available, inFlight), 0)).toBe(expected);
    },
  );
});

describe('predictive', () => {
  it('dials like progressive until the campaign has live answers to spend a budget on', () => {
    const pacer = createDialerPacer({ mode: 'predictive' });
    expect(pacer.decide(idle(10), 0)).toBe(10);
    expect(pacer.status(0).effectiveMode).toBe('progressive');
  });

  it('with budget, places more calls than operators, fewer than operators ÷ answer rate', () => {
    const pacer = createDialerPacer({ mode: 'predictive' });
    history(pacer, HOUR, 4000, 1000, 0); // 25 % live, no drops
    const calls = pacer.decide(idle(10), HOUR);
    expect(pacer.status(HOUR).effectiveMode).toBe('predictive');
    expect(calls).toBeGreaterThan(10);
    // 10 operators at 25 %: 40 calls would give 10 live answers on average, half of them too many.
    expect(calls).toBeLessThan(40);
  });

  it('counts busy operators about to finish, not those just begun', () => {
    const pacer = createDialerPacer({ mode: 'predictive' });
    history(pacer, HOUR, 4000, 1000, 0);
    const busy = (elapsedMs: number): DialerSnapshot => ({
      ...idle(2),
      busyOperatorsElapsedMs: Array.from({ length: 20 }, () => elapsedMs),
    });
    const justBegun = pacer.decide(busy(1_000), HOUR);
    const nearTheEnd = pacer.decide(busy(200_000), HOUR);
    expect(nearTheEnd).toBeGreaterThan(justBegun);
  });

  it('weighs operators by when they will be free against when live answers will come', () => {
    // Same answer rate; people answer after 6 s on one list, after 20 s on the other.
    const ringing = (ringMs: number) => {
      const pacer = createDialerPacer({ mode: 'predictive' });
      for (let i = 0; i < 4000; i++) {
        pacer.record({ kind: 'dial', listId: 'list-a' }, HOUR);
        if (i % 4 === 0) pacer.record({ kind: 'live', listId: 'list-a', ringMs }, HOUR);
        else pacer.record({ kind: 'no_answer', listId: 'list-a', afterMs: 25_000 }, HOUR);
      }
      // Nobody idle; 30 operators 3 minutes into their contacts, some finishing each second.
      return pacer.decide(
        { ...idle(0), busyOperatorsElapsedMs: Array.from({ length: 30 }, () => 180_000) },
        HOUR,
      );
    };
    expect(ringing(20_000)).toBeGreaterThan(ringing(6_000));
  });

  it('counts calls ringing for long as unlikely to be answered by a person', () => {
    const pacer = createDialerPacer({ mode: 'predictive' });
    history(pacer, HOUR, 4000, 1000, 0); // people answer at 12 s, no-answers end at 25 s
    const ringing = (ageMs: number): DialerSnapshot => ({
      ...idle(10, 10),
      callsInFlightElapsedMs: Array.from({ length: 10 }, () => ageMs),
    });
    expect(pacer.decide(ringing(20_000), HOUR)).toBeGreaterThan(pacer.decide(ringing(1_000), HOUR));
  });

  it('falls back to progressive when the 24-hour budget is spent', () => {
    const pacer = createDialerPacer({ mode: 'predictive' });
    history(pacer, HOUR, 4000, 1000, 30); // 3.0 %: the ceiling reached
    expect(pacer.decide(idle(10, 3), HOUR)).toBe(7);
    expect(pacer.status(HOUR).effectiveMode).toBe('progressive');
  });

  it('falls back to progressive when the 30-day budget is spent, even on a clean day', () => {
    const pacer = createDialerPacer({ mode: 'predictive' });
    history(pacer, HOUR, 4000, 1000, 50); // 5 % on day 0
    history(pacer, 3 * DAY, 4000, 1000, 10); // 1 % on day 3: 24 h fine, 30 days 3 %
    const status = () => pacer.status(3 * DAY);
    expect(status().day).toEqual({ liveAnswers: 1000, drops: 10 });
    expect(pacer.decide(idle(10), 3 * DAY)).toBe(10);
    expect(status().effectiveMode).toBe('progressive');
    // Once day 0 leaves the 30-day window the budget is back.
    history(pacer, 31 * DAY, 4000, 1000, 0);
    pacer.decide(idle(10), 31 * DAY);
    expect(pacer.status(31 * DAY).effectiveMode).toBe('predictive');
  });

  it('steers the drop rate to its set point: dials less after drops above it, more after drops below', () => {
    // Ceiling 10 % (set point 8.5 %) so neither history spends the budget.
    const steered = (dropsPer100: number) => {
      const pacer = createDialerPacer({ mode: 'predictive', ceiling: 0.1 });
      history(pacer, HOUR, 400, 100, 0);
      pacer.decide(idle(10), HOUR); // steering starts once it paces predictively
      for (let minute = 1; minute <= 30; minute++)
        history(pacer, HOUR + minute * 60_000, 400, 100, dropsPer100);
      return pacer.decide(idle(10), HOUR + 31 * 60_000);
    };
    expect(steered(1)).toBeGreaterThan(steered(9));
  });

  it('steers slowly: 500 drop-free live answers raise the drop-chance threshold by e^(0.001 × 500), not 20-fold', () => {
    const pacer = createDialerPacer({ mode: 'predictive' }); // ceiling 3 %, set point 0.85 × 3 % = 2.55 %
    history(pacer, HOUR, 4000, 1000, 0);
    pacer.decide(idle(10), HOUR); // steering acts only while it paces predictively
    // Starting multiplier 0.8; no drops in the window, so no cut: 0.8 × 2.55 % = 2.04 %.
    const before = pacer.status(HOUR).dropChanceThreshold;
    expect(before).toBeCloseTo(0.0204, 10);
    // With no drops the recent rate is 0, the error (set point − 0) / set point = 1, and
    // each live answer multiplies the threshold by e^0.001: e^0.5 = 1.6487 after 500
    // (the earlier gain, 0.006, gave e^3 ≈ 20, capped at 5).
    history(pacer, HOUR + 60_000, 2000, 500, 0);
    pacer.decide(idle(10), HOUR + 60_000);
    expect(pacer.status(HOUR + 60_000).dropChanceThreshold / before).toBeCloseTo(Math.exp(0.5), 6);
  });

  it('respects a lower ceiling', () => {
    const strict = createDialerPacer({ mode: 'predictive', ceiling: 0.01 });
    const loose = createDialerPacer({ mode: 'predictive', ceiling: 0.05 });
    for (const pacer of [strict, loose]) history(pacer, HOUR, 4000, 1000, 0);
    expect(strict.decide(idle(20), HOUR)).toBeLessThan(loose.decide(idle(20), HOUR));
  });

  it('is deterministic: the same records and snapshots give the same decisions', () => {
    const run = () => {
      const pacer = createDialerPacer({ mode: 'predictive' });
      const decisions: number[] = [];
      for (let minute = 0; minute < 200; minute++) {
        const nowMs = 9 * HOUR + minute * 60_000;
        history(pacer, nowMs, 40, 10 + (minute % 3), minute % 7 === 0 ? 1 : 0);
        decisions.push(pacer.decide({ ...idle(minute % 6), busyOperatorsElapsedMs: [minute * 1000] }, nowMs));
      }
      return decisions;
    };
    expect(run()).toEqual(run());
  });
});
