// Public types of shift scheduling (issue 3, section 3). Plain JSON-able data in
// and out, so the CLI and the HTTP API can pass files and bodies straight through.

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Required agents per interval, e.g. from staffing (Erlang) or the requirements CSV. */
export type ScheduleRequirements = {
  /** ISO 8601 UTC instant at which the first interval starts, e.g. `2025-03-03T00:00:00Z`. */
  start: string;
  intervalMinutes: 15 | 30;
  /** One non-negative number per interval, in time order. */
  requiredAgents: number[];
};

/**
 * A break inside a shift. It lies entirely inside its window, measured in minutes
 * from the shift start: "a 15-minute break within hours 2-3" is
 * `{ lengthMinutes: 15, window: { fromMinutes: 120, toMinutes: 180 } }`.
 */
export type ShiftBreak = {
  name?: string;
  lengthMinutes: number;
  window: { fromMinutes: number; toMinutes: number };
  /** Spacing of the allowed break starts inside the window; default the interval length. */
  stepMinutes?: number;
};

/**
 * A kind of shift. Starts are clock times (`HH:MM`, on the requirements' UTC clock)
 * repeated on every day of the horizon, optionally only on some weekdays.
 */
export type ShiftTemplate = {
  id: string;
  /** Paid length from start to end, breaks included. */
  lengthMinutes: number;
  /** Explicit list of allowed starts, e.g. `["08:00", "08:30"]`. */
  startTimes?: string[];
  /**
   * A range of allowed starts from `earliest` to `latest` inclusive every `stepMinutes`
   * (default the interval length). `latest` before `earliest` runs past midnight.
   */
  startWindow?: { earliest: string; latest: string; stepMinutes?: number };
  /** Weekdays (UTC date of the start) on which the template may start; default all. */
  weekdays?: Weekday[];
  /** Breaks in time order; their windows must not overlap. */
  breaks?: ShiftBreak[];
  /** Cost of one shift of this template, integer cents. */
  costCents: number;
  /** Bounds on the number of shifts of this template over the whole horizon. */
  minCount?: number;
  maxCount?: number;
};

export type ScheduleLimits = {
  /** Most shifts over the whole horizon (headcount-shifts). */
  maxShifts?: number;
  /** Most shifts starting on any one UTC calendar day. */
  maxShiftsPerDay?: number;
  /** Budget: most total shift cost, integer cents. */
  maxCostCents?: number;
};

/**
 * `auto`: HiGHS (LP relaxation, RENS, branch-and-cut) with the LP-rounding
 * heuristic as start and fallback; branch-and-cut is skipped above
 * `maxMipVariables`. `highs`: the same, whatever the size. `heuristic`: the LP
 * relaxation (HiGHS, for the bound) rounded by the heuristic only.
 */
export type ScheduleSolverChoice = 'auto' | 'highs' | 'heuristic';

/**
 * How break placements enter the integer program. `explicit`: one variable per
 * shift start and combination of break placements (Dantzig 1954). `implicit`: one
 * variable per shift start plus one per break placement, linked by equalities
 * (Aykin 1996). `auto` chooses per template whichever has fewer variables.
 */
export type ScheduleFormulation = 'auto' | 'explicit' | 'implicit';

export type ScheduleOptions = {
  requirements: ScheduleRequirements;
  templates: ShiftTemplate[];
  limits?: ScheduleLimits;
  /**
   * The horizon repeats (a typical week): shifts running past its end cover its
   * first intervals. Requires a whole number of days. Default false: what runs
   * past the end is paid but covers nothing.
   */
  cyclic?: boolean;
  /**
   * Makes coverage soft: each agent-interval short costs this much instead of
   * being forbidden. Default: every interval must be covered.
   */
  underCoveragePenaltyCents?: number;
  /** Time budget of the solver runs (LP relaxation + branch-and-cut); default 10. */
  timeLimitSeconds?: number;
  /** Relative gap to the bound at which solving may stop, e.g. 0.01 for 1 %; default 0.01. */
  mipGap?: number;
  solver?: ScheduleSolverChoice;
  formulation?: ScheduleFormulation;
  /** Models with more variables than this skip branch-and-cut in `auto` mode; default 400,000. */
  maxMipVariables?: number;
};

export type ScheduledBreak = {
  /** Position of the break in its template's `breaks`. */
  breakIndex: number;
  name: string;
  start: string;
  end: string;
  agents: number;
};

export type ScheduledShift = {
  templateId: string;
  start: string;
  end: string;
  agents: number;
  costCents: number;
  /** How many of the agents take each break where; per break the agents sum to `agents`. */
  breaks: ScheduledBreak[];
};

export type IntervalCoverage = {
  start: string;
  required: number;
  scheduled: number;
  over: number;
  under: number;
};

/**
 * `optimal`: no schedule is cheaper (the objective meets the best bound).
 * `within_gap`: at most `mipGap` above the best bound (LP or branch-and-cut).
 * `feasible`: meets every constraint, further from the bound (time limit, heuristic).
 */
export type ScheduleStatus = 'optimal' | 'within_gap' | 'feasible';

/** One run of HiGHS: the LP relaxation, RENS (LP-boxed branch-and-cut) or full branch-and-cut. */
export type SolverPhase = {
  phase: 'lp' | 'rens' | 'mip';
  /** HiGHS model status, e.g. `optimal`, `timeLimit`, `interrupted`, `infeasible`. */
  status: string;
  objectiveCents: number | null;
};

export type ScheduleResult = {
  status: ScheduleStatus;
  /** Which method produced the reported schedule. */
  solver: 'highs' | 'heuristic';
  /** The HiGHS runs, in order (empty when HiGHS was unavailable). */
  solverPhases: SolverPhase[];
  formulation: { explicitTemplates: number; implicitTemplates: number };
  modelSize: { variables: number; constraints: number; nonzeros: number };
  intervalMinutes: number;
  start: string;
  /** Shift cost plus under-coverage penalties: what was minimised. */
  objectiveCents: number;
  shiftCostCents: number;
  underCoveragePenaltyCents: number;
  /** Optimum of the LP relaxation: no schedule can cost less. Null when unavailable. */
  lpBoundCents: number | null;
  /** Best bound proved by branch-and-cut (at least the LP bound). */
  mipDualBoundCents: number | null;
  /** (objective − LP bound) / LP bound × 100; 0 when both are 0; null without a bound. */
  gapPercent: number | null;
  totals: {
    shifts: number;
    requiredAgentIntervals: number;
    scheduledAgentIntervals: number;
    overAgentIntervals: number;
    underAgentIntervals: number;
  };
  shifts: ScheduledShift[];
  coverage: IntervalCoverage[];
  warnings: string[];
};

export type ScheduleErrorCode =
  | 'SCHEDULE_INVALID_INPUT'
  | 'SCHEDULE_INFEASIBLE'
  | 'SCHEDULE_NO_SOLUTION'
  | 'SCHEDULE_SOLVER_UNAVAILABLE';

export type ScheduleIssue = {
  /** Path of the failing field, e.g. `templates[2].breaks[0].window`. */
  field: string;
  message: string;
  /** Line of a CSV file, when the issue comes from one (1-based, header = 1). */
  line?: number;
};

export class ScheduleError extends Error {
  readonly code: ScheduleErrorCode;
  readonly issues: ScheduleIssue[];

  constructor(code: ScheduleErrorCode, issues: ScheduleIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? `${first.field}: ${first.message}${more}` : code);
    this.name = 'ScheduleError';
    this.code = code;
    this.issues = issues;
  }
}
