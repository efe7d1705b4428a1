// The single-queue loop: one inbound queue, operators who all serve only it,
// longest-idle routing, no outbound. It replays exactly the draws and decisions of
// the general loop with the longest-idle router (a test holds both to the same
// output) but needs no abandonment events:
//
// Waiting contacts form one FIFO with their deadlines (queued at + patience). When
// an operator frees up at t, contacts at the head whose deadline is ≤ t left at
// their deadline and are counted as abandoned then; the first one still there is
// answered. That is exact under FIFO: the contact served at t is, in both loops,
// the earliest-queued one still waiting at t, and a contact that leaves counts its
// patience as its wait in its queued interval whenever that is noticed. Idle
// operators form a FIFO too (longest idle at the head); one who logs off while idle
// stays in it as a stale entry, recognised by a token and skipped.
//
// Per arrival: two to four uniform draws (patience only for contacts that wait),
// one heap operation, no allocation.
import { createSampler } from './simulate.distributions.ts';
import type { ReplicationRunner } from './simulate.engine.ts';
import { nextArrival } from './simulate.engine.ts';
import { TimeHeap } from './simulate.heap.ts';
import { addOvertime, addSpan, type CompiledModel } from './simulate.model.ts';
import {
  ABANDONED,
  ABANDONED_WITHIN,
  ANSWERED,
  ANSWERED_WITHIN,
  BUSY,
  HANDLE,
  INBOUND_FIELDS,
  OFFERED,
  SHORT,
  SHORT_WITHIN,
  UNRESOLVED,
  WAIT_ABANDONED,
  WAIT_ANSWERED,
} from './simulate.stats.ts';

/** True when the single-queue loop can run the model with the longest-idle router. */
export function fitsSingleQueue(model: CompiledModel): boolean {
  return (
    model.queues.length === 1 &&
    model.campaigns.length === 0 &&
    model.router.groups.every((g) => g.skills.length === 1 && g.skills[0]!.queue === 0)
  );
}

const OFF = 0;
const IDLE = 1;
const BUSY_STATE = 2;

export function createSingleQueueRunner(model: CompiledModel): ReplicationRunner {
  const intervalSeconds = model.intervalSeconds;
  const intervals = model.intervals;
  const lastInterval = intervals - 1;
  const horizon = model.horizonSeconds;
  const groupCount = model.scenario.operators.length;
  const operatorCount = model.operatorCount;
  const operatorGroup = model.router.operatorGroup;
  const queue = model.queues[0]!;
  const rates = queue.rates;
  const threshold = queue.thresholdSeconds;
  const shortSeconds = model.scenario.kpi.shortAbandonSeconds;
  const { shiftFrom, shiftOperator, changeTime, changeShift, changeOn } = model;
  const changeCount = changeTime.length;

  const state = new Uint8Array(operatorCount);
  const onShift = new Uint8Array(operatorCount);
  const shiftCursor = new Int32Array(operatorCount);
  const idleToken = new Int32Array(operatorCount);
  const completions = new TimeHeap(Math.max(1, operatorCount));
  let idleCapacity = 16;
  while (idleCapacity < operatorCount * 2) idleCapacity *= 2;

  // One function with every hot variable local (no closures over mutable state), so
  // the JIT keeps them in registers.
  return (streams, counters, progress) => {
    const inbound = counters.inbound;
    const operators = counters.operators;
    inbound.fill(0);
    operators.set(model.scheduledLoggedIn);
    counters.dials = 0;
    const arrivalRandom = streams.arrival[0]!;
    const service = streams.service[0]!;
    const drawPatience = createSampler(queue.patience, streams.patience[0]!);
    const drawHandle = createSampler(queue.handle, service);
    const drawWrapUp = createSampler(queue.wrapUp, service);

    state.fill(OFF);
    onShift.fill(0);
    idleToken.fill(0);
    for (let o = 0; o < operatorCount; o++) shiftCursor[o] = shiftFrom[o]!;
    completions.clear();

    // Idle operators: ring buffer of (operator, token), longest idle at the head.
    let idleOperator = new Int32Array(idleCapacity);
    let idleTokens = new Int32Array(idleCapacity);
    let idleMask = idleCapacity - 1;
    let idleHead = 0;
    let idleSize = 0;
    let idleCount = 0;
    // Waiting contacts: ring buffer of (queued at, deadline, busy time, interval).
    let waitAt = new Float64Array(1024);
    let waitDeadline = new Float64Array(1024);
    let waitBusy = new Float64Array(1024);
    let waitInterval = new Int32Array(1024);
    let waitMask = 1023;
    let waitHead = 0;
    let waitSize = 0;

    let arrivalsCount = 0;
    let change = 0;
    let next = nextArrival(rates, intervalSeconds, 0, arrivalRandom);
    const progressStep = horizon / 100;
    let nextProgress = progress ? progressStep : Number.POSITIVE_INFINITY;

    for (;;) {
      const tCompletion = completions.size > 0 ? completions.times[0]! : Number.POSITIVE_INFINITY;
      const tChange = change < changeCount ? changeTime[change]! : Number.POSITIVE_INFINITY;
      if (next <= tCompletion && next <= tChange) {
        if (next === Number.POSITIVE_INFINITY) break;
        const t = next;
        if (t >= nextProgress) {
          progress!(t);
          nextProgress = (Math.floor(t / progressStep) + 1) * progressStep;
        }
        const busy = drawHandle() + drawWrapUp();
        next = nextArrival(rates, intervalSeconds, t, arrivalRandom);
        arrivalsCount++;
        // An arrival within rounding of the horizon's end still counts in the last interval.
        const k = Math.min(Math.floor(t / intervalSeconds), lastInterval);
        const at = k * INBOUND_FIELDS;
        inbound[at + OFFERED]!++;
        if (idleCount > 0) {
          // Longest idle first; stale entries (logged off since) are dropped on the way.
          let operator = -1;
          while (operator < 0) {
            const candidate = idleOperator[idleHead]!;
            const token = idleTokens[idleHead]!;
            idleHead = (idleHead + 1) & idleMask;
            idleSize--;
            if (state[candidate] === IDLE && idleToken[candidate] === token) operator = candidate;
          }
          idleCount--;
          inbound[at + ANSWERED]!++;
          inbound[at + ANSWERED_WITHIN]!++;
          inbound[at + HANDLE]! += busy;
          state[operator] = BUSY_STATE;
          const end = t + busy;
          book(
            model,
            operators,
            groupCount,
            operatorGroup[operator]!,
            operator,
            shiftCursor[operator]!,
            t,
            end,
          );
          completions.push(end, operator, 0);
        } else {
          if (waitSize > waitMask) {
            const capacity = waitAt.length * 2;
            const grownAt = new Float64Array(capacity);
            const grownDeadline = new Float64Array(capacity);
            const grownBusy = new Float64Array(capacity);
            const grownInterval = new Int32Array(capacity);
            for (let i = 0; i < waitSize; i++) {
              const from = (waitHead + i) & waitMask;
              grownAt[i] = waitAt[from]!;
              grownDeadline[i] = waitDeadline[from]!;
              grownBusy[i] = waitBusy[from]!;
              grownInterval[i] = waitInterval[from]!;
            }
            waitAt = grownAt;
            waitDeadline = grownDeadline;
            waitBusy = grownBusy;
            waitInterval = grownInterval;
            waitHead = 0;
            waitMask = capacity - 1;
          }
          const slot = (waitHead + waitSize) & waitMask;
          waitAt[slot] = t;
          waitDeadline[slot] = t + drawPatience();
          waitBusy[slot] = busy;
          waitInterval[slot] = k;
          waitSize++;
        }
      } else if (tCompletion <= tChange) {
        // An operator is free (finished wrap-up, or just logged in: see below).
        const t = tCompletion;
        const operator = completions.items[0]!;
        if (onShift[operator] === 0) {
          completions.pop();
          state[operator] = OFF;
          continue;
        }
        let end = Number.POSITIVE_INFINITY;
        while (waitSize > 0) {
          const slot = waitHead;
          waitHead = (waitHead + 1) & waitMask;
          waitSize--;
          if (waitDeadline[slot]! <= t) {
            recordAbandon(
              inbound,
              waitInterval[slot]! * INBOUND_FIELDS,
              waitDeadline[slot]! - waitAt[slot]!,
              threshold,
              shortSeconds,
            );
            continue;
          }
          const wait = t - waitAt[slot]!;
          const busy = waitBusy[slot]!;
          const at = waitInterval[slot]! * INBOUND_FIELDS;
          inbound[at + ANSWERED]!++;
          if (wait <= threshold) inbound[at + ANSWERED_WITHIN]!++;
          inbound[at + WAIT_ANSWERED]! += wait;
          inbound[at + HANDLE]! += busy;
          state[operator] = BUSY_STATE;
          end = t + busy;
          book(
            model,
            operators,
            groupCount,
            operatorGroup[operator]!,
            operator,
            shiftCursor[operator]!,
            t,
            end,
          );
          break;
        }
        if (end < Number.POSITIVE_INFINITY) {
          completions.replaceTop(end, operator, 0);
        } else {
          completions.pop();
          state[operator] = IDLE;
          const token = (idleToken[operator]! + 1) | 0;
          idleToken[operator] = token;
          if (idleSize > idleMask) {
            const capacity = idleOperator.length * 2;
            const grownOperator = new Int32Array(capacity);
            const grownTokens = new Int32Array(capacity);
            for (let i = 0; i < idleSize; i++) {
              grownOperator[i] = idleOperator[(idleHead + i) & idleMask]!;
              grownTokens[i] = idleTokens[(idleHead + i) & idleMask]!;
            }
            idleOperator = grownOperator;
            idleTokens = grownTokens;
            idleHead = 0;
            idleMask = capacity - 1;
          }
          const at = (idleHead + idleSize) & idleMask;
          idleOperator[at] = operator;
          idleTokens[at] = token;
          idleSize++;
          idleCount++;
        }
      } else {
        const shift = changeShift[change]!;
        const on = changeOn[change]!;
        change++;
        const operator = shiftOperator[shift]!;
        if (on === 1) {
          onShift[operator] = 1;
          shiftCursor[operator] = shift;
          // Logging in is becoming free: the completion branch takes it next, before
          // any later event and after nothing earlier, as the general loop does.
          if (state[operator] === OFF) {
            state[operator] = BUSY_STATE;
            completions.push(tChange, operator, 0);
          }
        } else {
          onShift[operator] = 0;
          if (state[operator] === IDLE) {
            state[operator] = OFF;
            idleCount--;
          }
        }
      }
    }

    // Nobody will free up again: whoever still waits leaves at their deadline, or never (infinite patience).
    while (waitSize > 0) {
      const slot = waitHead;
      waitHead = (waitHead + 1) & waitMask;
      waitSize--;
      const at = waitInterval[slot]! * INBOUND_FIELDS;
      if (waitDeadline[slot]! < Number.POSITIVE_INFINITY) {
        recordAbandon(inbound, at, waitDeadline[slot]! - waitAt[slot]!, threshold, shortSeconds);
      } else {
        inbound[at + UNRESOLVED]!++;
      }
    }
    counters.arrivals = arrivalsCount;
    if (progress) progress(horizon);
  };

  /** Busy time from t to end, and logged-in time for the part past the end of the shift (overtime). */
  function book(
    m: CompiledModel,
    operators: Float64Array,
    groups: number,
    group: number,
    operator: number,
    shift: number,
    t: number,
    end: number,
  ): void {
    addSpan(operators, groups, group, BUSY, t, end, intervalSeconds, intervals);
    if (end > m.shiftEnd[shift]!) addOvertime(m, operators, groups, group, operator, shift, end);
  }
}

function recordAbandon(
  inbound: Float64Array,
  at: number,
  wait: number,
  threshold: number,
  shortSeconds: number,
): void {
  inbound[at + ABANDONED]!++;
  inbound[at + WAIT_ABANDONED]! += wait;
  const within = wait <= threshold;
  if (within) inbound[at + ABANDONED_WITHIN]!++;
  if (wait <= shortSeconds) {
    inbound[at + SHORT]!++;
    if (within) inbound[at + SHORT_WITHIN]!++;
  }
}
