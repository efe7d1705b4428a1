// A small seeded dialing simulation for tests and the pacing benchmark (issue 4):
// one campaign, N operators, one-second ticks through a daily calling window.
// Each dialled call's fate is drawn when it is placed: after the network sets it
// up (post-dial delay, 2–6 s, typical of Italian mobile networks) it rings, and a
// person answers (after 3–20 s, with the hour's live-answer rate), a machine
// answers (5–15 s, then AMD listens 2–4 s before hanging up), or nobody does
// (the dialer gives up after 25 s of ringing). Answering-machine
// detection mistakes a share of people for machines: those calls are hung up
// and count as drops (DOMAIN.md §4). A live answer waits at most 2 s for an
// operator, then it is dropped. Talk time is lognormal.

import { createRandom } from '../random.ts';
import { createDialerPacer, type DialerPacerOptions } from './dialer-pacer.ts';

export type DialingSimulationOptions = {
  pacer: DialerPacerOptions;
  seed: number;
  days: number;
  /** Default 50. */
  operators?: number;
  /** Calling window in hours of the (UTC) day; default 9–21. */
  windowStartHour?: number;
  windowEndHour?: number;
  /** Live-answer rate at an hour of day (fractional hours); default 20 % at 06:00 rising to 35 % at 18:00. */
  liveRate?: (hourOfDay: number) => number;
  /** Share of non-live calls a machine answers (default 0.3). */
  machineShare?: number;
  /** Share of people AMD takes for machines (default 0.005). */
  amdFalsePositiveRate?: number;
  /** Post-dial delay before ringing, uniform in whole seconds (default 2–6). */
  postDialDelaySeconds?: [number, number];
  /** Talk time, lognormal (defaults: mean 150 s, sigma 0.7). */
  talkMeanSeconds?: number;
  talkSigma?: number;
};

export type DialingSimulationResult = {
  dials: number;
  liveAnswers: number;
  connects: number;
  drops: number;
  operatorHours: number;
  /** Σ talk seconds / Σ logged-in seconds in the calling windows. */
  occupancy: number;
  connectsPerOperatorHour: number;
  /** Drop rate of each 24 h window ending on the hour (from the end of the first day on). */
  dayWindowDropRates: number[];
  /** Decisions taken in each effective mode. */
  decisionsByMode: Record<string, number>;
};

const DAY_SECONDS = 86_400;
const RING_TIMEOUT_SECONDS = 25;
const CONNECT_ALLOWANCE_SECONDS = 2;

type Fate = 0 | 1 | 2 | 3; // live, machine, no answer, AMD false positive

export function defaultLiveRate(hourOfDay: number): number {
  return 0.275 - 0.075 * Math.cos((2 * Math.PI * (hourOfDay - 6)) / 24);
}

export function runDialingSimulation(options: DialingSimulationOptions): DialingSimulationResult {
  const random = createRandom(options.seed);
  const operators = options.operators ?? 50;
  const startHour = options.windowStartHour ?? 9;
  const endHour = options.windowEndHour ?? 21;
  const liveRate = options.liveRate ?? defaultLiveRate;
  const machineShare = options.machineShare ?? 0.3;
  const amdFalsePositive = options.amdFalsePositiveRate ?? 0.005;
  const [setupMin, setupMax] = options.postDialDelaySeconds ?? [2, 6];
  const talkMean = options.talkMeanSeconds ?? 150;
  const talkSigma = options.talkSigma ?? 0.7;
  const talkMu = Math.log(talkMean) - (talkSigma * talkSigma) / 2;
  const pacer = createDialerPacer({
    ...options.pacer,
    handleTime: options.pacer.handleTime ?? { kind: 'lognormal', meanMs: talkMean * 1000, sigma: talkSigma },
  });
  const listId = 'list-1';

  // Calls resolve within setup + 25 s of dialling: a calendar of one-second slots.
  const slots = 64;
  if (setupMax + RING_TIMEOUT_SECONDS >= slots)
    throw new RangeError('post-dial delay too long for the calendar');
  const calendar: { fate: Fate; dialedAt: number; ringMs: number }[][] = Array.from(
    { length: slots },
    () => [],
  );
  let inFlight = 0;
  const busyUntil = new Float64Array(operators); // seconds; ≤ now means free
  const busySince = new Float64Array(operators);
  const waiting: number[] = []; // answer times of live calls waiting for an operator
  // Per hour since the start: live answers and drops, for the 24 h windows.
  const hourlyLive = new Int32Array(options.days * 24);
  const hourlyDrops = new Int32Array(options.days * 24);
  const totals = { dials: 0, liveAnswers: 0, connects: 0, drops: 0, talkSeconds: 0, loggedSeconds: 0 };
  const decisionsByMode: Record<string, number> = {};
  const busyElapsedMs: number[] = [];
  const flightAges: number[] = [];
  const inFlightElapsedMs = (t: number) => {
    flightAges.length = 0;
    for (const slot of calendar) for (const call of slot) flightAges.push((t - call.dialedAt) * 1000);
    return flightAges;
  };

  const normal = () => {
    // Box–Muller; 1 − u keeps the logarithm finite.
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const uniformInt = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

  const drop = (t: number, reason: 'not_connected_in_time' | 'amd_false_positive') => {
    pacer.record({ kind: 'drop', reason }, t * 1000);
    totals.drops++;
    hourlyDrops[Math.floor(t / 3600)]!++;
  };

  for (let day = 0; day < options.days; day++) {
    const open = day * DAY_SECONDS + startHour * 3600;
    const close = day * DAY_SECONDS + endHour * 3600;
    busyUntil.fill(0);
    for (let t = open; t < close; t++) {
      const nowMs = t * 1000;
      // Calls due now.
      const slot = calendar[t % slots]!;
      for (const call of slot) {
        inFlight--;
        const ringMs = call.ringMs;
        if (call.fate === 0) {
          pacer.record({ kind: 'live', listId, ringMs }, nowMs);
          totals.liveAnswers++;
          hourlyLive[Math.floor(t / 3600)]!++;
          waiting.push(t);
        } else if (call.fate === 3) {
          pacer.record({ kind: 'live', listId, ringMs }, nowMs);
          totals.liveAnswers++;
          hourlyLive[Math.floor(t / 3600)]!++;
          drop(t, 'amd_false_positive');
        } else {
          pacer.record(
            { kind: call.fate === 1 ? 'machine' : 'no_answer', listId, afterMs: (t - call.dialedAt) * 1000 },
            nowMs,
          );
        }
      }
      slot.length = 0;
      // Connect waiting live answers to free operators, first answered first.
      let available = 0;
      busyElapsedMs.length = 0;
      for (let i = 0; i < operators; i++) {
        if (busyUntil[i]! <= t) {
          while (waiting.length > 0 && waiting[0]! + CONNECT_ALLOWANCE_SECONDS < t) {
            waiting.shift();
            drop(t, 'not_connected_in_time');
          }
          const answeredAt = waiting.shift();
          if (answeredAt === undefined) {
            available++;
            continue;
          }
          pacer.record({ kind: 'connect' }, nowMs);
          totals.connects++;
          const talk = Math.max(1, Math.round(Math.exp(talkMu + talkSigma * normal())));
          // Talk time beyond the window still counts as talk: the operator finishes the call.
          totals.talkSeconds += talk;
          busySince[i] = t;
          busyUntil[i] = t + talk;
        } else {
          busyElapsedMs.push((t - busySince[i]!) * 1000);
        }
      }
      while (waiting.length > 0 && waiting[0]! + CONNECT_ALLOWANCE_SECONDS <= t) {
        waiting.shift();
        drop(t, 'not_connected_in_time');
      }
      totals.loggedSeconds += operators;
      // Near closing, stop dialling so no call is answered after the window.
      if (t + setupMax + RING_TIMEOUT_SECONDS >= close) continue;
      const calls = pacer.decide(
        {
          listId,
          availableOperators: available,
          busyOperatorsElapsedMs: busyElapsedMs,
          callsInFlight: inFlight,
          callsInFlightElapsedMs: inFlightElapsedMs(t),
          callsWaiting: waiting.length,
        },
        nowMs,
      );
      const mode = pacer.status(nowMs).effectiveMode;
      decisionsByMode[mode] = (decisionsByMode[mode] ?? 0) + 1;
      const pLive = liveRate((t % DAY_SECONDS) / 3600);
      for (let c = 0; c < calls; c++) {
        pacer.record({ kind: 'dial', listId }, nowMs);
        totals.dials++;
        inFlight++;
        const r = random();
        let fate: Fate;
        let ring: number;
        let after = 0; // seconds from the answer to the outcome
        if (r < pLive) {
          fate = random() < amdFalsePositive ? 3 : 0;
          ring = uniformInt(3, 20);
        } else if (random() < machineShare) {
          fate = 1;
          ring = uniformInt(5, 15);
          after = uniformInt(2, 4);
        } else {
          fate = 2;
          ring = RING_TIMEOUT_SECONDS;
        }
        const setup = uniformInt(setupMin, setupMax);
        calendar[(t + setup + ring + after) % slots]!.push({
          fate,
          dialedAt: t,
          ringMs: (setup + ring) * 1000,
        });
      }
    }
    // The window closed: calls still waiting were never connected.
    while (waiting.length > 0) drop(close, 'not_connected_in_time');
  }

  // 24 h windows ending on each hour from the end of day 1 (hour buckets are exact:
  // a window of 24 whole hours is a 24 h window).
  const dayWindowDropRates: number[] = [];
  let live = 0;
  let drops = 0;
  for (let h = 0; h < hourlyLive.length; h++) {
    live += hourlyLive[h]!;
    drops += hourlyDrops[h]!;
    if (h >= 24) {
      live -= hourlyLive[h - 24]!;
      drops -= hourlyDrops[h - 24]!;
    }
    if (h >= 23) dayWindowDropRates.push(live > 0 ? drops / live : 0);
  }
  const operatorHours = options.days * (endHour - startHour) * operators;
  return {
    dials: totals.dials,
    liveAnswers: totals.liveAnswers,
    connects: totals.connects,
    drops: totals.drops,
    operatorHours,
    occupancy: totals.talkSeconds / totals.loggedSeconds,
    connectsPerOperatorHour: totals.connects / operatorHours,
    dayWindowDropRates,
    decisionsByMode,
  };
}
