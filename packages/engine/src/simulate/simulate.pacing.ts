// How many calls the simulated dialer places for a campaign, asked whenever that
// can change: an operator of the campaign becomes idle, a dial ends, a calling
// window opens, a retry falls due. Predictive pacing is engine/pacing's
// createDialerPacer, fed with the state below.

import { createDialerPacer } from '../pacing/index.ts';
import { createRandom } from '../random.ts';
import { type CompiledDistribution, sample } from './simulate.distributions.ts';
import type { CompiledCampaign } from './simulate.model.ts';

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
  /**
   * Seconds each operator busy on one of the campaign's calls has spent on it
   * (talk and wrap-up so far); filled only for a pacer that reads it (`readsBusyOperators`).
   */
  busyElapsedSeconds: number[];
};

export type SimulationPacer = {
  /** Calls to place now, on top of those in flight (0 or more; fractions are rounded down). */
  callsToPlace(state: SimulationPacerState): number;
  /** The engine fills `busyElapsedSeconds` only for such a pacer (it costs a pass over the operators). */
  readsBusyOperators?: boolean;
};

export function createPacerState(): SimulationPacerState {
  return {
    now: 0,
    idleOperators: 0,
    callsInFlight: 0,
    dials: 0,
    liveAnswers: 0,
    connects: 0,
    drops: 0,
    busyElapsedSeconds: [],
  };
}

/**
 * Progressive: one call in flight per idle operator, so a live answer finds an
 * operator unless inbound work took them meanwhile. Power: a fixed number of lines
 * per idle operator, more connects per hour and more drops.
 */
export function createPacer(campaign: CompiledCampaign): SimulationPacer {
  const pacing = campaign.spec.pacing;
  switch (pacing.kind) {
    case 'power': {
      const lines = pacing.linesPerAgent;
      return { callsToPlace: (s) => Math.floor(s.idleOperators * lines) - s.callsInFlight };
    }
    case 'predictive':
      return createPredictivePacer(campaign, pacing.maxDropRate);
    default:
      return { callsToPlace: (s) => s.idleOperators - s.callsInFlight };
  }
}

/**
 * Predictive: engine/pacing's pacer with the drop-rate ceiling `maxDropRate`.
 * The state carries counters, not events, so outcomes reach the pacer as the
 * differences since the last question: live answers, other resolved dials
 * (dials − in flight − live answers) and drops. The pacer knows the campaign's
 * handle time (talk + wrap-up, as a fixed seeded sample of 2,000 draws) and
 * mean answer delay, and sees the elapsed time of the operators busy on the
 * campaign; not the ages of the calls in flight, which it counts as just placed
 * (it dials less than it could with them, never more).
 * One pacer per replication (its drop budget and answer rates are state).
 */
export function createPredictivePacer(campaign: CompiledCampaign, maxDropRate: number): SimulationPacer {
  const draw = createRandom(0x5eed);
  const handleSamplesMs = Array.from(
    { length: 2000 },
    () => 1000 * (sample(campaign.handle, draw) + sample(campaign.wrapUp, draw)),
  );
  const ringMs = 1000 * meanOf(campaign.answerDelay);
  const pacer = createDialerPacer({
    mode: 'predictive',
    ceiling: maxDropRate,
    handleTime: { kind: 'empirical', samplesMs: handleSamplesMs },
    ringMsPrior: ringMs,
  });
  const listId = 'campaign';
  const busyElapsedMs: number[] = [];
  let live = 0;
  let other = 0;
  let drops = 0;
  return {
    readsBusyOperators: true,
    callsToPlace(s) {
      const nowMs = s.now * 1000;
      // Live answers carry no ring time here: record the campaign's mean answer delay.
      for (; live < s.liveAnswers; live++) pacer.record({ kind: 'live', listId, ringMs }, nowMs);
      const resolvedOther = s.dials - s.callsInFlight - s.liveAnswers;
      for (; other < resolvedOther; other++) pacer.record({ kind: 'no_answer', listId }, nowMs);
      for (; drops < s.drops; drops++) pacer.record({ kind: 'drop', reason: 'not_connected_in_time' }, nowMs);
      busyElapsedMs.length = 0;
      for (const seconds of s.busyElapsedSeconds) busyElapsedMs.push(seconds * 1000);
      return pacer.decide(
        {
          listId,
          availableOperators: s.idleOperators,
          busyOperatorsElapsedMs: busyElapsedMs,
          callsInFlight: s.callsInFlight,
        },
        nowMs,
      );
    },
  };
}

function meanOf(d: CompiledDistribution): number {
  return Number.isFinite(d.mean) ? d.mean : 10;
}
