// How many calls the simulated dialer places for a campaign, asked whenever that
// can change: an operator of the campaign becomes idle, a dial ends, a calling
// window opens, a retry falls due. This is the adapter point for engine/pacing:
// predictive pacing becomes one more SimulationPacer built from the campaign's
// `pacing` settings, fed with the state below.

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
      // simulate() refuses predictive pacing before a run starts while engine/pacing is missing.
      throw new Error('predictive pacing needs engine/pacing');
    default:
      return { callsToPlace: (s) => s.idleOperators - s.callsInFlight };
  }
}
