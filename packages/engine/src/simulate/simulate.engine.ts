// The general event loop: several queues and organizations, multi-skill operators
// with shifts, outbound campaigns, and every routing decision delegated to a
// SimulationRouter. Memory is the model, the contacts alive at one instant and the
// per-interval counters: no event is kept once processed.
//
// Events live in four heaps (arrivals: one entry per queue; abandonments; operators
// finishing wrap-up; dial outcomes and campaign wake-ups) plus the precomputed list
// of shift changes; the next event is the earliest of their tops. Contacts and calls
// are slots in typed arrays recycled through a free list; an abandonment entry whose
// contact was answered meanwhile is recognised by the slot's generation and skipped.
//
// Random draws come from separate streams (per queue: arrivals; talk and wrap-up,
// drawn at arrival; patience, drawn only for contacts that have to wait; per
// campaign: everything about its dials), so changing staffing or routing leaves the
// same callers arriving with the same talk times (common random numbers), and the
// single-queue loop of simulate.fast.ts replays the same draws as this one.
import { createSampler, sample } from './simulate.distributions.ts';
import { TimeHeap } from './simulate.heap.ts';
import { addOvertime, addSpan, type CompiledModel } from './simulate.model.ts';
import { createPacer, createPacerState } from './simulate.pacing.ts';
import type { SimulationRouter, SimulationRouterFactory } from './simulate.router.ts';
import {
  ABANDONED,
  ABANDONED_WITHIN,
  ANSWERED,
  ANSWERED_WITHIN,
  BUSY,
  CONNECTS,
  DIALS,
  DROPS,
  FIRST_ATTEMPTS,
  HANDLE,
  INBOUND_FIELDS,
  LIVE,
  MACHINES,
  OFFERED,
  OPERATOR_FIELDS,
  OUT_HANDLE,
  OUTBOUND_FIELDS,
  RPC,
  SHORT,
  SHORT_WITHIN,
  SUCCESSES,
  UNRESOLVED,
  WAIT_ABANDONED,
  WAIT_ANSWERED,
} from './simulate.stats.ts';

/** Counters of one replication, zeroed by the engine at its start. */
export type ReplicationCounters = {
  /** (interval, queue, field), see INBOUND_FIELDS. */
  inbound: Float64Array;
  /** (interval, group, field), see OPERATOR_FIELDS. */
  operators: Float64Array;
  /** (interval, campaign, field), see OUTBOUND_FIELDS. */
  outbound: Float64Array;
  arrivals: number;
  dials: number;
};

/** Independent uniform streams: per queue (arrivals, talk and wrap-up, patience) and per campaign. */
export type ReplicationStreams = {
  arrival: (() => number)[];
  service: (() => number)[];
  patience: (() => number)[];
  dialing: (() => number)[];
};

export type ReplicationRunner = (
  streams: ReplicationStreams,
  counters: ReplicationCounters,
  /** Called with the simulated time as the run advances (about every 1 % of the horizon). */
  progress: ((seconds: number) => void) | null,
) => void;

export function createCounters(model: CompiledModel): ReplicationCounters {
  return {
    inbound: new Float64Array(model.intervals * model.queues.length * INBOUND_FIELDS),
    operators: new Float64Array(model.intervals * model.scenario.operators.length * OPERATOR_FIELDS),
    outbound: new Float64Array(model.intervals * model.campaigns.length * OUTBOUND_FIELDS),
    arrivals: 0,
    dials: 0,
  };
}

/**
 * Next arrival of a Poisson process whose rate is constant within each interval,
 * after `from`: one unit-exponential E is spent across intervals as Σ rate·time
 * (inversion of the integrated rate, exact; no thinning). +Infinity past the horizon.
 * The common case, an arrival in the same interval, stays small enough to inline.
 */
export function nextArrival(
  rates: Float64Array,
  intervalSeconds: number,
  from: number,
  random: () => number,
): number {
  const budget = -Math.log(1 - random());
  const k = Math.floor(from / intervalSeconds);
  if (k < rates.length) {
    const next = from + budget / rates[k]!;
    if (next < (k + 1) * intervalSeconds) return next;
  }
  return arrivalAcrossIntervals(rates, intervalSeconds, from, budget);
}

function arrivalAcrossIntervals(
  rates: Float64Array,
  intervalSeconds: number,
  from: number,
  budget: number,
): number {
  let rest = budget;
  let t = from;
  let k = Math.floor(t / intervalSeconds);
  const intervals = rates.length;
  while (k < intervals) {
    const rate = rates[k]!;
    const boundary = (k + 1) * intervalSeconds;
    const capacity = rate * (boundary - t);
    if (capacity >= rest) {
      const next = t + rest / rate;
      // Rounding can land exactly on the boundary; keep the arrival inside its interval.
      return next < boundary ? next : boundary - (boundary - t) * 1e-12;
    }
    rest -= capacity;
    t = boundary;
    k++;
  }
  return Number.POSITIVE_INFINITY;
}

const FREE = 0;
const WAITING = 1;
const RINGING = 2;

const INBOUND = 0;
const LIVE_CALL = 1;
const MACHINE_CALL = 2;
const NO_ANSWER = 3;

const OFF = 0;
const IDLE = 1;
const BUSY_STATE = 2;

export function createGeneralRunner(
  model: CompiledModel,
  routerFactory: SimulationRouterFactory,
): ReplicationRunner {
  const intervalSeconds = model.intervalSeconds;
  const intervals = model.intervals;
  const lastInterval = intervals - 1;
  const horizon = model.horizonSeconds;
  const queueCount = model.queues.length;
  const campaignCount = model.campaigns.length;
  const routerQueueCount = queueCount + campaignCount;
  const groupCount = model.scenario.operators.length;
  const operatorCount = model.operatorCount;
  const operatorGroup = model.router.operatorGroup;
  const kpi = model.scenario.kpi;
  const shortSeconds = kpi.shortAbandonSeconds;
  const hasCampaigns = campaignCount > 0;

  const thresholds = Float64Array.from(model.queues.map((q) => q.thresholdSeconds));
  const queueRates = model.queues.map((q) => q.rates);

  // Skills of each group as router-queue lists, for the idle counts the dialer reads.
  const groupSkills = model.router.groups.map((g) => Int32Array.from(g.skills.map((s) => s.queue)));

  // Operators.
  const state = new Uint8Array(operatorCount);
  const onShift = new Uint8Array(operatorCount);
  const shiftCursor = new Int32Array(operatorCount);
  const { shiftFrom, shiftEnd, shiftOperator, changeTime, changeShift, changeOn } = model;
  const changeCount = changeTime.length;

  // Contact and call slots.
  let capacity = 1024;
  let slotQueue = new Int32Array(capacity);
  let slotInterval = new Int32Array(capacity);
  let slotAt = new Float64Array(capacity);
  let slotBusy = new Float64Array(capacity);
  let slotKind = new Uint8Array(capacity);
  let slotState = new Uint8Array(capacity);
  let slotGeneration = new Int32Array(capacity);
  let slotAttempt = new Int32Array(capacity);
  let freeSlots = new Int32Array(capacity);
  let freeCount = 0;
  let used = 0;

  function growSlots(): void {
    const next = capacity * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(next);
      b.set(a);
      return b;
    };
    slotQueue = grow(slotQueue, (n) => new Int32Array(n));
    slotInterval = grow(slotInterval, (n) => new Int32Array(n));
    slotAt = grow(slotAt, (n) => new Float64Array(n));
    slotBusy = grow(slotBusy, (n) => new Float64Array(n));
    slotKind = grow(slotKind, (n) => new Uint8Array(n));
    slotState = grow(slotState, (n) => new Uint8Array(n));
    slotGeneration = grow(slotGeneration, (n) => new Int32Array(n));
    slotAttempt = grow(slotAttempt, (n) => new Int32Array(n));
    freeSlots = grow(freeSlots, (n) => new Int32Array(n));
    capacity = next;
  }

  function allocate(): number {
    if (freeCount > 0) return freeSlots[--freeCount]!;
    if (used === capacity) growSlots();
    return used++;
  }

  function release(slot: number): void {
    slotState[slot] = FREE;
    slotGeneration[slot] = (slotGeneration[slot]! + 1) | 0;
    freeSlots[freeCount++] = slot;
  }

  const arrivals = new TimeHeap(Math.max(1, queueCount));
  const abandons = new TimeHeap(1024);
  const completions = new TimeHeap(Math.max(1, operatorCount));
  const dialEvents = new TimeHeap(64);

  // Outbound state per campaign.
  const idleCount = new Int32Array(routerQueueCount);
  const inFlight = new Int32Array(campaignCount);
  const freshRecords = new Float64Array(campaignCount);
  const windowCursor = new Int32Array(campaignCount);
  const wakeAt = new Float64Array(campaignCount);
  const dirty = new Uint8Array(campaignCount);
  let anyDirty = false;
  const retries = model.campaigns.map(() => new RetryQueue());
  // Rebuilt per replication: a predictive pacer keeps a drop budget and answer rates.
  const pacers = model.campaigns.map((c) => createPacer(c));
  // Which campaign's call each operator is busy on (−1: none) and since when, for pacers that read it.
  const busyCampaign = new Int32Array(operatorCount);
  const busySince = new Float64Array(operatorCount);
  const pacerStates = model.campaigns.map(() => createPacerState());

  return (streams, counters, progress) => {
    const inbound = counters.inbound;
    const operators = counters.operators;
    const outbound = counters.outbound;
    inbound.fill(0);
    outbound.fill(0);
    operators.set(model.scheduledLoggedIn);
    counters.arrivals = 0;
    counters.dials = 0;
    const router: SimulationRouter = routerFactory(model.router);
    const drawPatience = model.queues.map((q, i) => createSampler(q.patience, streams.patience[i]!));
    const drawHandle = model.queues.map((q, i) => createSampler(q.handle, streams.service[i]!));
    const drawWrapUp = model.queues.map((q, i) => createSampler(q.wrapUp, streams.service[i]!));

    state.fill(OFF);
    busyCampaign.fill(-1);
    onShift.fill(0);
    for (let o = 0; o < operatorCount; o++) shiftCursor[o] = shiftFrom[o]!;
    slotGeneration.fill(0);
    slotState.fill(FREE);
    freeCount = 0;
    used = 0;
    arrivals.clear();
    abandons.clear();
    completions.clear();
    dialEvents.clear();
    idleCount.fill(0);
    inFlight.fill(0);
    windowCursor.fill(0);
    wakeAt.fill(Number.POSITIVE_INFINITY);
    dirty.fill(0);
    anyDirty = false;
    for (let c = 0; c < campaignCount; c++) {
      const campaign = model.campaigns[c]!;
      freshRecords[c] = campaign.spec.records ?? Number.POSITIVE_INFINITY;
      Object.assign(pacerStates[c]!, createPacerState());
      pacers[c] = createPacer(campaign);
      retries[c]!.clear();
      if (campaign.windowStarts.length > 0) wake(c, campaign.windowStarts[0]!);
    }
    for (let q = 0; q < queueCount; q++) {
      const first = nextArrival(queueRates[q]!, intervalSeconds, 0, streams.arrival[q]!);
      if (first < Number.POSITIVE_INFINITY) arrivals.push(first, q, 0);
    }
    let change = 0;
    const progressStep = horizon / 100;
    let nextProgress = progress ? progressStep : Number.POSITIVE_INFINITY;

    // --- helpers over the replication's state ---------------------------------

    function wake(c: number, at: number): void {
      if (at < wakeAt[c]!) {
        wakeAt[c] = at;
        dialEvents.push(at, -1 - c, 0);
      }
    }

    function setIdle(operator: number, delta: number): void {
      const skills = groupSkills[operatorGroup[operator]!]!;
      for (let i = 0; i < skills.length; i++) {
        const q = skills[i]!;
        idleCount[q] = idleCount[q]! + delta;
        if (delta > 0 && q >= queueCount) {
          dirty[q - queueCount] = 1;
          anyDirty = true;
        }
      }
    }

    /** Connects `slot` to `operator` at `t`: counts the answer, books the operator. Returns when they are free. */
    function connect(operator: number, slot: number, t: number): number {
      const busy = slotBusy[slot]!;
      const end = t + busy;
      const q = slotQueue[slot]!;
      const kind = slotKind[slot]!;
      if (kind === INBOUND) {
        const wait = t - slotAt[slot]!;
        const at = (slotInterval[slot]! * queueCount + q) * INBOUND_FIELDS;
        inbound[at + ANSWERED]!++;
        if (wait <= thresholds[q]!) inbound[at + ANSWERED_WITHIN]!++;
        inbound[at + WAIT_ANSWERED]! += wait;
        inbound[at + HANDLE]! += busy;
      } else if (kind === LIVE_CALL) {
        const c = q - queueCount;
        const spec = model.campaigns[c]!.spec;
        const random = streams.dialing[c]!;
        const at = (slotInterval[slot]! * campaignCount + c) * OUTBOUND_FIELDS;
        outbound[at + CONNECTS]!++;
        pacerStates[c]!.connects++;
        outbound[at + OUT_HANDLE]! += busy;
        if (random() < spec.rightPartyRate) {
          outbound[at + RPC]!++;
          if (random() < spec.successRate) outbound[at + SUCCESSES]!++;
        }
      } else {
        // An answering machine put through without detection: the operator's time is lost, the record retried.
        retry(q - queueCount, slotAttempt[slot]!, t);
      }
      release(slot);
      busyCampaign[operator] = kind === INBOUND ? -1 : q - queueCount;
      busySince[operator] = t;
      state[operator] = BUSY_STATE;
      const group = operatorGroup[operator]!;
      addSpan(operators, groupCount, group, BUSY, t, end, intervalSeconds, intervals);
      if (end > shiftEnd[shiftCursor[operator]!]!) {
        addOvertime(model, operators, groupCount, group, operator, shiftCursor[operator]!, end);
      }
      return end;
    }

    function becomeAvailable(operator: number, t: number): number {
      const slot = router.operatorAvailable(operator, t);
      if (slot >= 0) return connect(operator, slot, t);
      state[operator] = IDLE;
      if (hasCampaigns) setIdle(operator, 1);
      return Number.POSITIVE_INFINITY;
    }

    /** Queues a contact; one who has to wait gets a deadline (NaN: draw the queue's patience). */
    function queueContact(slot: number, q: number, t: number, deadline: number): void {
      slotState[slot] = WAITING;
      const operator = router.contactQueued(slot, q, t);
      if (operator >= 0) {
        if (hasCampaigns) setIdle(operator, -1);
        completions.push(connect(operator, slot, t), operator, 0);
        return;
      }
      const until = Number.isNaN(deadline) ? t + drawPatience[q]!() : deadline;
      if (until < Number.POSITIVE_INFINITY) abandons.push(until, slot, slotGeneration[slot]!);
    }

    function retry(c: number, attempt: number, t: number): void {
      const spec = model.campaigns[c]!.spec;
      if (attempt < spec.maxAttempts) retries[c]!.push(t + spec.retryMinutes * 60, attempt);
    }

    function inWindow(c: number, t: number): boolean {
      const campaign = model.campaigns[c]!;
      let w = windowCursor[c]!;
      while (w < campaign.windowEnds.length && campaign.windowEnds[w]! <= t) w++;
      windowCursor[c] = w;
      if (w >= campaign.windowEnds.length) return false;
      if (t < campaign.windowStarts[w]!) {
        wake(c, campaign.windowStarts[w]!);
        return false;
      }
      return true;
    }

    /** Asks the campaign's pacer (simulate.pacing.ts) how many calls to place now, and places them. */
    function pace(c: number, t: number): void {
      if (!inWindow(c, t)) return;
      const state = pacerStates[c]!;
      state.now = t;
      state.idleOperators = idleCount[queueCount + c]!;
      state.callsInFlight = inFlight[c]!;
      if (pacers[c]!.readsBusyOperators) {
        state.busyElapsedSeconds.length = 0;
        for (let o = 0; o < operatorCount; o++) {
          if (busyCampaign[o] === c) state.busyElapsedSeconds.push(t - busySince[o]!);
        }
      }
      let toDial = Math.floor(pacers[c]!.callsToPlace(state));
      while (toDial-- > 0 && dial(c, t)) {
        // each dial is booked inside dial()
      }
    }

    function dial(c: number, t: number): boolean {
      const retryQueue = retries[c]!;
      let attempt: number;
      if (retryQueue.size > 0 && retryQueue.headDue() <= t) {
        attempt = retryQueue.shift() + 1;
      } else if (freshRecords[c]! > 0) {
        freshRecords[c] = freshRecords[c]! - 1;
        attempt = 1;
      } else {
        if (retryQueue.size > 0) wake(c, retryQueue.headDue());
        return false;
      }
      const campaign = model.campaigns[c]!;
      const spec = campaign.spec;
      const random = streams.dialing[c]!;
      const k = Math.min(Math.floor(t / intervalSeconds), lastInterval);
      const at = (k * campaignCount + c) * OUTBOUND_FIELDS;
      outbound[at + DIALS]!++;
      pacerStates[c]!.dials++;
      if (attempt === 1) outbound[at + FIRST_ATTEMPTS]!++;
      counters.dials++;
      const u = random();
      const kind =
        u < spec.answerRate ? LIVE_CALL : u < spec.answerRate + spec.machineRate ? MACHINE_CALL : NO_ANSWER;
      const ring = kind === NO_ANSWER ? spec.noAnswerSeconds : sample(campaign.answerDelay, random);
      const slot = allocate();
      slotQueue[slot] = queueCount + c;
      slotInterval[slot] = k;
      slotKind[slot] = kind;
      slotAttempt[slot] = attempt;
      slotState[slot] = RINGING;
      inFlight[c]!++;
      dialEvents.push(t + ring, slot, slotGeneration[slot]!);
      return true;
    }

    function dialOutcome(slot: number, t: number): void {
      const c = slotQueue[slot]! - queueCount;
      inFlight[c]!--;
      const campaign = model.campaigns[c]!;
      const spec = campaign.spec;
      const random = streams.dialing[c]!;
      const at = (slotInterval[slot]! * campaignCount + c) * OUTBOUND_FIELDS;
      const kind = slotKind[slot]!;
      const attempt = slotAttempt[slot]!;
      if (kind === NO_ANSWER) {
        retry(c, attempt, t);
        release(slot);
      } else if (kind === MACHINE_CALL) {
        outbound[at + MACHINES]!++;
        if (spec.amd) {
          retry(c, attempt, t);
          release(slot);
        } else {
          slotAt[slot] = t;
          slotBusy[slot] = spec.machineHandleSeconds;
          queueContact(slot, queueCount + c, t, t + spec.dropAfterSeconds);
        }
      } else {
        outbound[at + LIVE]!++;
        pacerStates[c]!.liveAnswers++;
        if (spec.amd && random() < spec.amd.falsePositiveRate) {
          // Detection took a person for a machine and hung up: a drop (DOMAIN.md §4).
          outbound[at + DROPS]!++;
          pacerStates[c]!.drops++;
          retry(c, attempt, t);
          release(slot);
        } else {
          slotAt[slot] = t;
          slotBusy[slot] = sample(campaign.handle, random) + sample(campaign.wrapUp, random);
          queueContact(slot, queueCount + c, t, t + spec.dropAfterSeconds);
        }
      }
      dirty[c] = 1;
      anyDirty = true;
    }

    // --- the event loop -----------------------------------------------------

    for (;;) {
      let t = arrivals.topTime();
      let kind = 0;
      const tAbandon = abandons.topTime();
      if (tAbandon < t) {
        t = tAbandon;
        kind = 1;
      }
      const tCompletion = completions.topTime();
      if (tCompletion < t) {
        t = tCompletion;
        kind = 2;
      }
      const tDial = dialEvents.topTime();
      if (tDial < t) {
        t = tDial;
        kind = 3;
      }
      if (change < changeCount && changeTime[change]! < t) {
        t = changeTime[change]!;
        kind = 4;
      }
      if (t === Number.POSITIVE_INFINITY) break;
      if (t >= nextProgress) {
        progress!(Math.min(t, horizon));
        nextProgress = (Math.floor(t / progressStep) + 1) * progressStep;
      }

      if (kind === 0) {
        // An inbound contact arrives: its talk and wrap-up first, then the next arrival.
        const q = arrivals.topItem();
        const busy = drawHandle[q]!() + drawWrapUp[q]!();
        const next = nextArrival(queueRates[q]!, intervalSeconds, t, streams.arrival[q]!);
        if (next < Number.POSITIVE_INFINITY) arrivals.replaceTop(next, q, 0);
        else arrivals.pop();
        counters.arrivals++;
        // An arrival within rounding of the horizon's end still counts in the last interval.
        const k = Math.min(Math.floor(t / intervalSeconds), lastInterval);
        inbound[(k * queueCount + q) * INBOUND_FIELDS + OFFERED]!++;
        const slot = allocate();
        slotQueue[slot] = q;
        slotInterval[slot] = k;
        slotAt[slot] = t;
        slotBusy[slot] = busy;
        slotKind[slot] = INBOUND;
        queueContact(slot, q, t, Number.NaN);
      } else if (kind === 1) {
        const slot = abandons.topItem();
        const generation = abandons.topTag();
        abandons.pop();
        if (slotGeneration[slot] !== generation || slotState[slot] !== WAITING) continue;
        const q = slotQueue[slot]!;
        router.contactAbandoned(slot, q, t);
        const kindOfContact = slotKind[slot]!;
        if (kindOfContact === INBOUND) {
          const wait = t - slotAt[slot]!;
          const at = (slotInterval[slot]! * queueCount + q) * INBOUND_FIELDS;
          inbound[at + ABANDONED]!++;
          inbound[at + WAIT_ABANDONED]! += wait;
          const within = wait <= thresholds[q]!;
          if (within) inbound[at + ABANDONED_WITHIN]!++;
          if (wait <= shortSeconds) {
            inbound[at + SHORT]!++;
            if (within) inbound[at + SHORT_WITHIN]!++;
          }
        } else {
          const c = q - queueCount;
          // Nobody free within dropAfterSeconds of the greeting: the dialer drops the call.
          if (kindOfContact === LIVE_CALL) {
            outbound[(slotInterval[slot]! * campaignCount + c) * OUTBOUND_FIELDS + DROPS]!++;
            pacerStates[c]!.drops++;
          }
          retry(c, slotAttempt[slot]!, t);
        }
        release(slot);
      } else if (kind === 2) {
        const operator = completions.topItem();
        busyCampaign[operator] = -1;
        if (onShift[operator] === 0) {
          completions.pop();
          state[operator] = OFF;
          router.operatorLoggedOff(operator, t);
          continue;
        }
        const slot = router.operatorAvailable(operator, t);
        if (slot >= 0) {
          completions.replaceTop(connect(operator, slot, t), operator, 0);
        } else {
          completions.pop();
          state[operator] = IDLE;
          if (hasCampaigns) setIdle(operator, 1);
        }
      } else if (kind === 3) {
        const item = dialEvents.topItem();
        const generation = dialEvents.topTag();
        dialEvents.pop();
        if (item < 0) {
          const c = -1 - item;
          if (wakeAt[c] === t) wakeAt[c] = Number.POSITIVE_INFINITY;
          dirty[c] = 1;
          anyDirty = true;
        } else if (slotGeneration[item] === generation && slotState[item] === RINGING) {
          dialOutcome(item, t);
        }
      } else {
        const shift = changeShift[change]!;
        const on = changeOn[change]!;
        change++;
        const operator = shiftOperator[shift]!;
        if (on === 1) {
          onShift[operator] = 1;
          shiftCursor[operator] = shift;
          if (state[operator] === OFF) {
            const end = becomeAvailable(operator, t);
            if (end < Number.POSITIVE_INFINITY) completions.push(end, operator, 0);
          }
        } else {
          onShift[operator] = 0;
          if (state[operator] === IDLE) {
            router.operatorLoggedOff(operator, t);
            state[operator] = OFF;
            if (hasCampaigns) setIdle(operator, -1);
          }
        }
      }

      if (anyDirty) {
        anyDirty = false;
        for (let c = 0; c < campaignCount; c++) {
          if (dirty[c] === 1) {
            dirty[c] = 0;
            pace(c, t);
          }
        }
      }
    }

    // Contacts still waiting: infinite patience and nobody left who could take them.
    for (let slot = 0; slot < used; slot++) {
      if (slotState[slot] === WAITING && slotKind[slot] === INBOUND) {
        inbound[(slotInterval[slot]! * queueCount + slotQueue[slot]!) * INBOUND_FIELDS + UNRESOLVED]!++;
      }
    }
    if (progress) progress(horizon);
  };
}

/** Records waiting for another attempt, in due order (one retry delay per campaign keeps it FIFO). */
class RetryQueue {
  size = 0;
  private head = 0;
  private due = new Float64Array(64);
  private attempts = new Int32Array(64);

  clear(): void {
    this.size = 0;
    this.head = 0;
  }

  headDue(): number {
    return this.due[this.head]!;
  }

  push(due: number, attempt: number): void {
    const capacity = this.due.length;
    if (this.size === capacity) {
      const dueGrown = new Float64Array(capacity * 2);
      const attemptsGrown = new Int32Array(capacity * 2);
      for (let i = 0; i < this.size; i++) {
        dueGrown[i] = this.due[(this.head + i) % capacity]!;
        attemptsGrown[i] = this.attempts[(this.head + i) % capacity]!;
      }
      this.due = dueGrown;
      this.attempts = attemptsGrown;
      this.head = 0;
    }
    const at = (this.head + this.size) % this.due.length;
    this.due[at] = due;
    this.attempts[at] = attempt;
    this.size++;
  }

  /** Removes the head; returns its attempts so far. */
  shift(): number {
    const attempt = this.attempts[this.head]!;
    this.head = (this.head + 1) % this.due.length;
    this.size--;
    return attempt;
  }
}
