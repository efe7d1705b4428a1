// How many calls the simulated dialer places for a campaign, asked whenever that
// can change: an operator of the campaign becomes idle, a dial ends, a calling
// window opens, a retry falls due. Predictive pacing is engine/pacing's
// createDialerPacer, fed with the state below.

import { createDialerPacer } from '../pacing/index.ts';
import type { SimulationPacing } from './simulate.types.ts';

/** What a pacer sees. One object per campaign, updated in place (no allocation per decision). */
export type SimulationPacerState = {
  /** Seconds after the scenario start. */
  now: number;
  /** Operators logged in with the campaign's skill and nothing to do. */
  idleOperators: number;
  /** Calls dialled and still ringing. */
  callsInFlight: number;
  /** Since the start of the replication: dials, live answers, connects, drops. */
  dials: number;
  liveAnswers: number;
  connects: number;
  drops: number;
};

export type SimulationPacer = {
  /** Calls to place now, on top of those in flight (0 or more; fractions are rounded down). */
  callsToPlace(state: SimulationPacerState): number;
};

export function createPacerState(): SimulationPacerState {
  return { now: 0, idleOperators: 0, callsInFlight: 0, dials: 0, liveAnswers: 0, connects: 0, drops: 0 };
}

/**
 * Progressive: one call in flight per idle operator, so a live answer finds an
 * operator unless inbound work took them meanwhile. Power: a fixed number of lines
 * per idle operator, more connects per hour and more drops.
 */
export function createPacer(pacing: SimulationPacing): SimulationPacer {
  switch (pacing.kind) {
    case 'power': {
      const lines = pacing.linesPerAgent;
      return { callsToPlace: (s) => Math.floor(s.idleOperators * lines) - s.callsInFlight };
    }
    case 'predictive':
      return createPredictivePacer(pacing.maxDropRate);
    default:
      return { callsToPlace: (s) => s.idleOperators - s.callsInFlight };
  }
}

/**
 * Predictive: engine/pacing's pacer with the drop-rate ceiling `maxDropRate`.
 * The state carries counters, not events, so outcomes reach the pacer as the
 * differences since the last question: live answers, other resolved dials
 * (dials − in flight − live answers) and drops. The state has no ring times,
 * call ages or busy operators' elapsed times, so the pacer assumes its prior
 * ring time, counts calls in flight as just placed and counts only idle
 * operators as free: it dials less than it could with the full snapshot, never more.
 * One pacer per replication (its drop budget and answer rates are state).
 */
export function createPredictivePacer(maxDropRate: number): SimulationPacer {
  const pacer = createDialerPacer({ mode: 'predictive', ceiling: maxDropRate });
  const listId = 'campaign';
  const noBusyOperators: number[] = [];
  let live = 0;
  let other = 0;
  let drops = 0;
  return {
    callsToPlace(s) {
      const nowMs = s.now * 1000;
      // Outcomes carry no ring time here: record the pacer's prior (10 s) so its mean stays put.
      for (; live < s.liveAnswers; live++) pacer.record({ kind: 'live', listId, ringMs: 10_000 }, nowMs);
      const resolvedOther = s.dials - s.callsInFlight - s.liveAnswers;
      for (; other < resolvedOther; other++) pacer.record({ kind: 'no_answer', listId }, nowMs);
      for (; drops < s.drops; drops++) pacer.record({ kind: 'drop', reason: 'not_connected_in_time' }, nowMs);
      return pacer.decide(
        {
          listId,
          availableOperators: s.idleOperators,
          busyOperatorsElapsedMs: noBusyOperators,
          callsInFlight: s.callsInFlight,
        },
        nowMs,
      );
    },
  };
}
