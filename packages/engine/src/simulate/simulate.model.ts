// A validated scenario compiled for the event loops: rates per second per interval,
// distributions compiled, operators expanded one by one with their shifts, and the
// shift changes of the whole horizon sorted once (they do not depend on chance).
import { type CompiledDistribution, compileDistribution } from './simulate.distributions.ts';
import type { SimulationRouterModel } from './simulate.router.ts';
import { LOGGED_IN, OPERATOR_FIELDS } from './simulate.stats.ts';
import type { SimulationCampaign, SimulationScenario } from './simulate.types.ts';

export type CompiledQueue = {
  /** Arrival rate per second in each interval. */
  rates: Float64Array;
  handle: CompiledDistribution;
  wrapUp: CompiledDistribution;
  patience: CompiledDistribution;
  thresholdSeconds: number;
};

export type CompiledCampaign = {
  spec: SimulationCampaign;
  answerDelay: CompiledDistribution;
  handle: CompiledDistribution;
  wrapUp: CompiledDistribution;
  /** Calling windows in seconds, clipped to the horizon, sorted. */
  windowStarts: Float64Array;
  windowEnds: Float64Array;
};

export type CompiledModel = {
  scenario: SimulationScenario;
  intervalSeconds: number;
  intervals: number;
  horizonSeconds: number;
  queues: CompiledQueue[];
  campaigns: CompiledCampaign[];
  router: SimulationRouterModel;
  operatorCount: number;
  /** Shifts of all operators (CSR by operator): shiftFrom[o] … shiftFrom[o+1] − 1. */
  shiftFrom: Int32Array;
  shiftStart: Float64Array;
  /** +Infinity for a shift still running at the end of the horizon: its operators stay to clear the queues. */
  shiftEnd: Float64Array;
  shiftOperator: Int32Array;
  /** Shift changes in time order: time, shift index, 1 = log in / 0 = log off. */
  changeTime: Float64Array;
  changeShift: Int32Array;
  changeOn: Uint8Array;
  /** Scheduled logged-in seconds per (interval, group), before overtime. */
  scheduledLoggedIn: Float64Array;
  /** Contacts expected over the horizon (for the progress estimate and warnings). */
  expectedArrivals: number;
};

export function compileModel(scenario: SimulationScenario): CompiledModel {
  const intervalSeconds = scenario.intervalMinutes * 60;
  const intervals = scenario.intervals;
  const horizonSeconds = intervalSeconds * intervals;
  let expectedArrivals = 0;
  const queues: CompiledQueue[] = scenario.queues.map((q) => {
    const rates = new Float64Array(intervals);
    for (let k = 0; k < intervals; k++) {
      rates[k] = q.callsPerInterval[k]! / intervalSeconds;
      expectedArrivals += q.callsPerInterval[k]!;
    }
    return {
      rates,
      handle: compileDistribution(q.handleTime),
      wrapUp: compileDistribution(q.wrapUp),
      patience: compileDistribution(q.patience),
      thresholdSeconds: q.thresholdSeconds,
    };
  });
  const campaigns: CompiledCampaign[] = scenario.campaigns.map((c) => {
    const windows = c.windows
      .map((w) => [w.startMinutes * 60, Math.min(w.endMinutes * 60, horizonSeconds)] as const)
      .filter(([s, e]) => e > s);
    return {
      spec: c,
      answerDelay: compileDistribution(c.answerDelay),
      handle: compileDistribution(c.handleTime),
      wrapUp: compileDistribution(c.wrapUp),
      windowStarts: Float64Array.from(windows.map((w) => w[0])),
      windowEnds: Float64Array.from(windows.map((w) => w[1])),
    };
  });

  const queueIndex = new Map(scenario.queues.map((q, i) => [q.id, i]));
  const campaignIndex = new Map(scenario.campaigns.map((c, i) => [c.id, scenario.queues.length + i]));
  const groups = scenario.operators.map((g) => ({
    id: g.id,
    skills: g.skills.map((s) => ({
      queue: 'queue' in s ? queueIndex.get(s.queue)! : campaignIndex.get(s.campaign)!,
      priority: s.priority,
    })),
  }));

  // Operators one by one with their shifts (seconds). A group with countPerInterval
  // becomes operators 0 … max−1 where operator j is logged in while j < count.
  const operatorGroup: number[] = [];
  const shiftFrom: number[] = [0];
  const shiftStart: number[] = [];
  const shiftEnd: number[] = [];
  const shiftOperator: number[] = [];
  const pushShift = (start: number, end: number) => {
    const s = Math.max(0, start);
    if (s >= horizonSeconds || end <= s) return;
    // A shift still on at the end of the horizon lasts until the queues are empty.
    const e = end >= horizonSeconds ? Number.POSITIVE_INFINITY : end;
    const last = shiftStart.length - 1;
    // Back-to-back shifts of one operator are one stretch at work.
    if (shiftStart.length > shiftFrom[shiftFrom.length - 1]! && shiftEnd[last] === s) {
      shiftEnd[last] = e;
      return;
    }
    shiftStart.push(s);
    shiftEnd.push(e);
    shiftOperator.push(operatorGroup.length - 1);
  };
  scenario.operators.forEach((g, groupIndex) => {
    if (g.countPerInterval) {
      const counts = g.countPerInterval;
      for (let j = 0; j < g.count; j++) {
        operatorGroup.push(groupIndex);
        for (let k = 0; k < intervals; k++) {
          if (j < counts[k]!) pushShift(k * intervalSeconds, (k + 1) * intervalSeconds);
        }
        shiftFrom.push(shiftStart.length);
      }
    } else {
      for (let j = 0; j < g.count; j++) {
        operatorGroup.push(groupIndex);
        for (const s of g.shifts) pushShift(s.startMinutes * 60, s.endMinutes * 60);
        shiftFrom.push(shiftStart.length);
      }
    }
  });

  const groupCount = scenario.operators.length;
  const scheduledLoggedIn = new Float64Array(intervals * groupCount * OPERATOR_FIELDS);
  const changes: [number, number, number][] = [];
  for (let i = 0; i < shiftStart.length; i++) {
    const s = shiftStart[i]!;
    const e = shiftEnd[i]!;
    changes.push([s, i, 1]);
    if (e !== Number.POSITIVE_INFINITY) changes.push([e, i, 0]);
    const group = operatorGroup[shiftOperator[i]!]!;
    addSpan(scheduledLoggedIn, groupCount, group, LOGGED_IN, s, e, intervalSeconds, intervals);
  }
  // Log-offs before log-ins at the same instant; then by shift, so the order is fixed.
  changes.sort((a, b) => a[0] - b[0] || a[2] - b[2] || a[1] - b[1]);

  return {
    scenario,
    intervalSeconds,
    intervals,
    horizonSeconds,
    queues,
    campaigns,
    router: {
      queueIds: [...scenario.queues.map((q) => q.id), ...scenario.campaigns.map((c) => c.id)],
      inboundQueueCount: scenario.queues.length,
      queueOrganizations: [
        ...scenario.queues.map((q) => q.organization),
        ...scenario.campaigns.map((c) => c.organization),
      ],
      groups,
      operatorGroup: Int32Array.from(operatorGroup),
    },
    operatorCount: operatorGroup.length,
    shiftFrom: Int32Array.from(shiftFrom),
    shiftStart: Float64Array.from(shiftStart),
    shiftEnd: Float64Array.from(shiftEnd),
    shiftOperator: Int32Array.from(shiftOperator),
    changeTime: Float64Array.from(changes.map((c) => c[0])),
    changeShift: Int32Array.from(changes.map((c) => c[1])),
    changeOn: Uint8Array.from(changes.map((c) => c[2])),
    scheduledLoggedIn,
    expectedArrivals,
  };
}

/**
 * Adds the part of [start, end) inside the horizon to `field` of `group` in each
 * interval it overlaps (operator counters are time-based, unlike contact counters).
 */
export function addSpan(
  counters: Float64Array,
  groupCount: number,
  group: number,
  field: number,
  start: number,
  end: number,
  intervalSeconds: number,
  intervals: number,
): void {
  let t = start;
  let k = Math.floor(t / intervalSeconds);
  while (t < end && k < intervals) {
    const boundary = (k + 1) * intervalSeconds;
    const stop = end < boundary ? end : boundary;
    const at = (k * groupCount + group) * OPERATOR_FIELDS + field;
    counters[at] = counters[at]! + (stop - t);
    t = stop;
    k++;
  }
}

/**
 * Work running past the end of the operator's shift `shift` until `end` is logged-in
 * time too (overtime), up to the start of their next shift, and so on if the work
 * outlasts that one as well.
 */
export function addOvertime(
  model: CompiledModel,
  operators: Float64Array,
  groupCount: number,
  group: number,
  operator: number,
  shift: number,
  end: number,
): void {
  const { shiftFrom, shiftStart, shiftEnd, intervalSeconds, intervals } = model;
  let j = shift;
  let stop = shiftEnd[j]!;
  while (end > stop) {
    const nextStart = j + 1 < shiftFrom[operator + 1]! ? shiftStart[j + 1]! : Number.POSITIVE_INFINITY;
    addSpan(
      operators,
      groupCount,
      group,
      LOGGED_IN,
      stop,
      end < nextStart ? end : nextStart,
      intervalSeconds,
      intervals,
    );
    if (end <= nextStart) break;
    j++;
    stop = shiftEnd[j]!;
  }
}
