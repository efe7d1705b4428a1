// Public entry points of dialer pacing (see README.md).

export type { PacingAnswerRateOptions } from './answer-rate.ts';
export {
  createDialerPacer,
  type DialerOutcome,
  type DialerPacer,
  type DialerPacerOptions,
  type DialerPacerStatus,
  type DialerPacingMode,
  type DialerSnapshot,
} from './dialer-pacer.ts';
export {
  type DialingSimulationOptions,
  type DialingSimulationResult,
  defaultLiveRate as dialingDefaultLiveRate,
  runDialingSimulation,
} from './dialing-simulation.ts';
export type { PacingDropWindow } from './drop-budget.ts';
export type { PacingHandleTime } from './handle-time.ts';
