import { describe, expect, it } from 'vitest';
import { createAcceleratedClock, createManualClock, createRealClock } from './clock.ts';

describe('manual clock', () => {
  it('runs due timers in time order, ties in the order they were set', () => {
    const clock = createManualClock({ start: 1_000 });
    const log: string[] = [];
    clock.setTimer(3_000, () => log.push('c'));
    clock.setTimer(2_000, () => log.push('a1'));
    clock.setTimer(2_000, () => log.push('a2'));
    clock.setTimer(2_500, () => log.push('b'));
    clock.setTimer(9_000, () => log.push('late'));
    expect(clock.advanceTo(3_000)).toBe(4);
    expect(log).toEqual(['a1', 'a2', 'b', 'c']);
    expect(clock.now()).toBe(3_000);
    expect(clock.nextTimerAt()).toBe(9_000);
  });

  it('shows each callback its own due time as now, and runs timers set by callbacks when due', () => {
    const clock = createManualClock({ start: 0 });
    const seen: [number, number][] = [];
    clock.setTimer(100, (at) => {
      seen.push([at, clock.now()]);
      clock.setTimer(clock.now(), (at2) => seen.push([at2, clock.now()]));
      clock.setTimer(150, (at3) => seen.push([at3, clock.now()]));
      clock.setTimer(500, (at4) => seen.push([at4, clock.now()]));
    });
    clock.advanceTo(200);
    expect(seen).toEqual([
      [100, 100],
      [100, 100],
      [150, 150],
    ]);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('cancels timers, refuses to go back and to advance from inside a callback', () => {
    const clock = createManualClock({ start: 0 });
    let fired = 0;
    const id = clock.setTimer(10, () => fired++);
    clock.clearTimer(id);
    clock.advanceTo(20);
    expect(fired).toBe(0);
    expect(() => clock.advanceTo(10)).toThrow(/cannot go back/);
    clock.setTimer(30, () => clock.advanceTo(40));
    expect(() => clock.advanceTo(50)).toThrow(/inside a timer callback/);
  });

  it('a timer set in the past runs at the next advance without moving time back', () => {
    const clock = createManualClock({ start: 1_000 });
    const seen: number[] = [];
    clock.setTimer(500, () => seen.push(clock.now()));
    clock.advanceTo(1_000);
    expect(seen).toEqual([1_000]);
  });

  it('advanceToAsync lets awaited reactions happen at the instant of their timer', async () => {
    const clock = createManualClock({ start: 0 });
    const seen: number[] = [];
    clock.setTimer(100, () => {
      void (async () => {
        await Promise.resolve();
        seen.push(clock.now());
      })();
    });
    clock.setTimer(200, () => seen.push(clock.now()));
    await clock.advanceToAsync(300);
    expect(seen).toEqual([100, 200]);
  });
});

describe('paced clocks', () => {
  it('accelerated: factor 10 makes a simulated minute last 6 real seconds', () => {
    let real = 50_000;
    const clock = createAcceleratedClock({ factor: 10, start: 1_000_000, realNow: () => real });
    expect(clock.now()).toBe(1_000_000);
    real += 6_000;
    expect(clock.now()).toBe(1_060_000);
    clock.stop();
  });

  it('accelerated timers fire in order at the accelerated pace', async () => {
    const clock = createAcceleratedClock({ factor: 100 });
    const start = clock.now();
    const order: string[] = [];
    const realStart = Date.now();
    await new Promise<void>((resolve) => {
      clock.setTimer(start + 3_000, () => order.push('b'));
      clock.setTimer(start + 2_000, () => order.push('a'));
      clock.setTimer(start + 3_000, () => {
        order.push('c');
        resolve();
      });
    });
    // 3 simulated seconds at ×100 take 30 real ms (timers may be late, never early).
    const realElapsed = Date.now() - realStart;
    expect(order).toEqual(['a', 'b', 'c']);
    expect(realElapsed).toBeGreaterThanOrEqual(25);
    expect(realElapsed).toBeLessThan(2_000);
    expect(clock.now()).toBeGreaterThanOrEqual(start + 3_000);
    clock.stop();
  });

  it('real clock follows Date.now and a stopped clock fires nothing', async () => {
    const clock = createRealClock();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
    let fired = false;
    clock.setTimer(clock.now() + 5, () => {
      fired = true;
    });
    clock.stop();
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toBe(false);
  });
});

describe('timer queue under heavy cancelling', () => {
  it('keeps order and runs only live timers after many cancellations (heap rebuilt)', () => {
    const clock = createManualClock({ start: 0 });
    const fired: number[] = [];
    const ids: number[] = [];
    // 5,000 timers at pseudo-random times; cancel four in five.
    for (let i = 0; i < 5_000; i++) {
      const at = (i * 7_919) % 10_007;
      ids.push(clock.setTimer(at, () => fired.push(i)));
    }
    for (let i = 0; i < 5_000; i++) if (i % 5 !== 0) clock.clearTimer(ids[i]!);
    expect(clock.pendingTimers()).toBe(1_000);
    clock.advanceTo(20_000);
    const expected = Array.from({ length: 1_000 }, (_, k) => k * 5).sort(
      (a, b) => ((a * 7_919) % 10_007) - ((b * 7_919) % 10_007) || a - b,
    );
    expect(fired).toEqual(expected);
  });
});
