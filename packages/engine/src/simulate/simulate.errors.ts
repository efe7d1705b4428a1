// Errors of the simulator. One class with a code and the failing fields, like the
// other engine modules (WfmError, ScheduleError), so the CLI and the HTTP API map
// it once: SIMULATION_INVALID_INPUT -> 400 with `issues`.

export type SimulationErrorCode =
  /** The scenario or an option is missing, of the wrong type or out of range. */
  | 'SIMULATION_INVALID_INPUT'
  /** The scenario asks for a module (routing engine, predictive pacing) that this build lacks. */
  | 'SIMULATION_UNSUPPORTED';

export type SimulationIssue = {
  /** Path of the failing field, e.g. `queues[1].patience.meanSeconds`. */
  field: string;
  message: string;
};

export class SimulationError extends Error {
  readonly code: SimulationErrorCode;
  readonly issues: SimulationIssue[];

  constructor(code: SimulationErrorCode, issues: SimulationIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? `${first.field}: ${first.message}${more}` : code);
    this.name = 'SimulationError';
    this.code = code;
    this.issues = issues;
  }
}
