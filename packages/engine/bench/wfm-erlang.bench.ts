// Issue 3 §1 goals: required agents at 10,000 Erlangs (< 1 ms), one Erlang A
// evaluation at 800 agents (< 1 ms), a week of 672 15-minute intervals between
// 5 and 2,000 Erlangs staffed with Erlang A (< 50 ms). A textbook Erlang C
// staffing loop (Erlang B recursion from zero, one agent at a time) runs in the
// same process as the baseline, so the ratio survives a noisy machine.
import { type BenchContext, timeSync } from '../../../bench/lib.ts';
import { erlangA } from '../src/wfm/erlang.ts';
import { requiredAgents, staffIntervals } from '../src/wfm/staffing.ts';

export const title = 'Erlang B/C/A: staffing and evaluation';

const INTERVALS_PER_DAY = 96;

/** A week of 15-minute intervals: morning and afternoon peaks, quieter weekend, 5 to 2,000 Erlangs. */
export function weekOfIntervals(ahtSeconds: number): { calls: number; ahtSeconds: number }[] {
  const dayFactor = [1, 0.96, 0.93, 0.95, 0.9, 0.55, 0.35];
  const bump = (hour: number, centre: number, width: number) =>
    Math.exp(-(((hour - centre) / width) ** 2) / 2);
  const shapes: number[] = [];
  for (let i = 0; i < INTERVALS_PER_DAY; i++) {
    const hour = (i + 0.5) / 4;
    shapes.push(bump(hour, 10.5, 1.8) + 0.85 * bump(hour, 15, 2) + 0.3 * bump(hour, 19.5, 1.5));
  }
  const peak = Math.max(...shapes);
  const intervals: { calls: number; ahtSeconds: number }[] = [];
  for (let day = 0; day < 7; day++) {
    for (let i = 0; i < INTERVALS_PER_DAY; i++) {
      const erlangs = 5 + 1995 * (shapes[i]! / peak) * dayFactor[day]!;
      intervals.push({ calls: (erlangs * 900) / ahtSeconds, ahtSeconds });
    }
  }
  return intervals;
}

/** The textbook method: Erlang B by recursion from 0 for every candidate n, n = ⌊a⌋+1, +2, … */
function naiveRequiredAgents(
  a: number,
  ahtSeconds: number,
  thresholdSeconds: number,
  target: number,
): number {
  for (let n = Math.floor(a) + 1; ; n++) {
    let b = 1;
    for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
    const c = (n * b) / (n - a * (1 - b));
    if (1 - c * Math.exp((-(n - a) * thresholdSeconds) / ahtSeconds) >= target) return n;
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  const big = { trafficErlangs: 10_000, ahtSeconds: 300, thresholdSeconds: 20, targetServiceLevel: 0.8 };
  let agents = 0;
  const c = timeSync(() => {
    agents = requiredAgents(big).agents;
  });
  ctx.record({
    name: 'required agents at 10,000 Erlangs (Erlang C, 80/20)',
    value: c.meanMs,
    unit: 'ms',
    goal: { op: '<=', value: 1 },
    parameters: { ...big, agents },
  });
  const naive = timeSync(() => naiveRequiredAgents(10_000, 300, 20, 0.8), { minMs: 300, warmup: 2 });
  ctx.record({
    name: 'speed-up over the textbook recursion at 10,000 Erlangs',
    value: naive.meanMs / c.meanMs,
    unit: 'x',
    parameters: { naiveMs: naive.meanMs, naiveAgents: naiveRequiredAgents(10_000, 300, 20, 0.8) },
  });

  const bigA = { ...big, patienceSeconds: 120 };
  const a = timeSync(() => {
    agents = requiredAgents(bigA).agents;
  });
  ctx.record({
    name: 'required agents at 10,000 Erlangs (Erlang A, patience 120 s)',
    value: a.meanMs,
    unit: 'ms',
    goal: { op: '<=', value: 1 },
    parameters: { ...bigA, agents },
  });

  const single = {
    trafficErlangs: 780,
    ahtSeconds: 300,
    patienceSeconds: 180,
    agents: 800,
    thresholdSeconds: 20,
  };
  let serviceLevel = 0;
  const one = timeSync(() => {
    serviceLevel = erlangA(single).serviceLevel;
  });
  ctx.record({
    name: 'one Erlang A evaluation at 800 agents (all measures)',
    value: one.meanMs,
    unit: 'ms',
    goal: { op: '<=', value: 1 },
    parameters: { ...single, serviceLevel },
  });

  const intervals = weekOfIntervals(300);
  const options = {
    intervalSeconds: 900,
    intervals,
    patienceSeconds: 180,
    targetServiceLevel: 0.8,
    thresholdSeconds: 20,
    shrinkage: 0.3,
  };
  let peakAgents = 0;
  const week = timeSync(
    () => {
      peakAgents = staffIntervals(options).totals.peakAgents;
    },
    { minMs: 2000, warmup: 3 },
  );
  ctx.record({
    name: 'a week of 672 15-minute intervals staffed with Erlang A',
    value: week.meanMs,
    unit: 'ms',
    goal: { op: '<=', value: 50 },
    parameters: {
      intervals: intervals.length,
      erlangsMin: 5,
      erlangsMax: 2000,
      ahtSeconds: 300,
      patienceSeconds: 180,
      target: '80 % answered within 20 s',
      peakAgents,
      runs: week.calls,
    },
  });
}
