// HiGHS (Huangfu & Hall 2018, dual revised simplex; branch-and-cut MIP solver)
// compiled to WebAssembly by the `highs` npm package. The WebAssembly module is
// loaded on first use, once per process, so importing the engine does no I/O.
//
// Three runs share the time limit:
//   1. the LP relaxation: the lower bound reported to the planner, and the point
//      the heuristic rounds;
//   2. RENS (Berthold 2014, "RENS: the optimal rounding", Math. Prog. Comp. 6):
//      branch-and-cut on the same program with every variable boxed between the
//      floor and the ceiling of its LP value. With requirements of tens of agents
//      the LP bound is tight and the best rounding is within a fraction of a per
//      cent of it; the boxed program is small enough to solve in seconds where the
//      full one spends minutes separating cuts at the root;
//   3. branch-and-cut on the full program, started from the best schedule so far,
//      only when the gap to the LP bound is still above `mipGap`. Its dual bound is
//      the only bound proved beyond the LP one.
import type { Highs, Model } from 'highs';
import type { ProgramData } from './schedule.model.ts';
import { ScheduleError } from './schedule.types.ts';

let highsPromise: Promise<Highs> | undefined;

/** The HiGHS runtime, loaded lazily and cached; a failed load is retried next time. */
export function loadHighs(): Promise<Highs> {
  highsPromise ??= import('highs')
    .then((module) => {
      // highs ships an ES module whose default export is the loader, but its
      // declarations are typed as CommonJS; accept either shape.
      const exported: unknown = module.default;
      const loader = (
        typeof exported === 'function' ? exported : (exported as { default: unknown }).default
      ) as () => Promise<Highs>;
      return loader();
    })
    .catch((error: unknown) => {
      highsPromise = undefined;
      throw new ScheduleError('SCHEDULE_SOLVER_UNAVAILABLE', [
        {
          field: 'solver',
          message: `HiGHS could not be loaded: ${error instanceof Error ? error.message : error}`,
        },
      ]);
    });
  return highsPromise;
}

export type SolverPhase = {
  phase: 'lp' | 'rens' | 'mip';
  /** HiGHS model status, e.g. `optimal`, `timeLimit`, `interrupted`, `infeasible`. */
  status: string;
  objective: number | null;
};

export type SolverOutcome = {
  /** Optimum of the LP relaxation, when it was solved. */
  lpBound: number | null;
  lpValues: Float64Array | null;
  /** Best bound proved by full branch-and-cut, when it ran. */
  dualBound: number | null;
  /** Full branch-and-cut proved its incumbent within `mipGap`. */
  provedWithinGap: boolean;
  /** The LP relaxation, hence the schedule, is infeasible. */
  infeasible: boolean;
  /** Integer solutions HiGHS found (variable values), best last. */
  solutions: { phase: 'rens' | 'mip'; values: Float64Array }[];
  phases: SolverPhase[];
};

function statusName(highs: Highs, code: number): string {
  for (const [name, value] of Object.entries(highs.constants.modelStatus)) if (value === code) return name;
  return `status ${code}`;
}

function passProgram(model: Model, program: ProgramData, box?: { lower: Float64Array; upper: Float64Array }) {
  model.passModel({
    numCols: program.numCols,
    numRows: program.numRows,
    colCost: program.colCost,
    colLower: box?.lower ?? program.colLower,
    colUpper: box?.upper ?? program.colUpper,
    rowLower: program.rowLower,
    rowUpper: program.rowUpper,
    matrix: program.matrix,
    ...(box ? { integrality: Int32Array.from(program.integer) } : {}),
  });
}

function objectiveOf(program: ProgramData, values: ArrayLike<number>): number {
  let total = 0;
  for (let j = 0; j < program.numCols; j++) total += program.colCost[j]! * values[j]!;
  return total;
}

/**
 * Runs the LP relaxation, then (when `runMip`) RENS and, if still needed, full
 * branch-and-cut. `incumbentFromLp` turns the LP point into a feasible schedule
 * (the heuristic), used to start branch-and-cut.
 */
export async function solveProgram(options: {
  program: ProgramData;
  timeLimitSeconds: number;
  mipGap: number;
  runMip: boolean;
  incumbentFromLp: (lpValues: Float64Array | null) => Float64Array | null;
}): Promise<SolverOutcome> {
  const { program, timeLimitSeconds, mipGap } = options;
  const highs = await loadHighs();
  const model = highs.createModel();
  const outcome: SolverOutcome = {
    lpBound: null,
    lpValues: null,
    dualBound: null,
    provedWithinGap: false,
    infeasible: false,
    solutions: [],
    phases: [],
  };
  let used = 0;
  // HiGHS checks its own time_limit only between root separation rounds; the
  // interrupt callback, called more often, enforces the budget on its clock.
  const run = (budget: number) => {
    model.zeroAllClocks();
    model.options.set({ time_limit: Math.max(budget, 0.01) });
    const status = model.run({
      [highs.constants.callbackType.mipInterrupt](event) {
        if ((event.data.running_time ?? 0) >= budget) event.interrupt();
      },
    }).modelStatus;
    used += model.getRunTime();
    return status;
  };
  const hasSolution = () =>
    Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
  try {
    // random_seed is HiGHS' default, fixed so repeated runs explore the same tree.
    model.options.set({ output_flag: false, random_seed: 0, mip_rel_gap: mipGap });

    passProgram(model, program);
    const lpStatus = run(timeLimitSeconds);
    const lpSolved = lpStatus === highs.constants.modelStatus.optimal;
    if (lpSolved) {
      outcome.lpBound = model.getObjectiveValue();
      outcome.lpValues = model.getSolution().colValue;
    }
    outcome.infeasible = lpStatus === highs.constants.modelStatus.infeasible;
    outcome.phases.push({ phase: 'lp', status: statusName(highs, lpStatus), objective: outcome.lpBound });
    if (outcome.infeasible) return outcome;

    const incumbent = options.incumbentFromLp(outcome.lpValues);
    if (!options.runMip) return outcome;
    let best = incumbent ? objectiveOf(program, incumbent) : Number.POSITIVE_INFINITY;
    let bestValues = incumbent;
    const closeEnough = () =>
      outcome.lpBound !== null && Number.isFinite(best) && best - outcome.lpBound <= mipGap * best + 1e-6;

    // RENS runs even when the heuristic is already close enough: it is quick, and
    // the integer program, not the heuristic, should decide whenever it can.
    if (outcome.lpValues) {
      const lower = new Float64Array(program.numCols);
      const upper = new Float64Array(program.numCols);
      outcome.lpValues.forEach((value, j) => {
        if (program.integer[j]) {
          lower[j] = Math.floor(value + 1e-6);
          upper[j] = Math.ceil(value - 1e-6);
        } else {
          lower[j] = program.colLower[j]!;
          upper[j] = program.colUpper[j]!;
        }
      });
      passProgram(model, program, { lower, upper });
      // Most of what is left, keeping some for full branch-and-cut.
      const status = run(0.6 * (timeLimitSeconds - used));
      const found = hasSolution() ? model.getSolution().colValue : null;
      const objective = found ? model.getObjectiveValue() : null;
      outcome.phases.push({ phase: 'rens', status: statusName(highs, status), objective });
      if (found && objective !== null && objective <= best + 1e-6) {
        best = objective;
        bestValues = found;
        outcome.solutions.push({ phase: 'rens', values: found });
      }
    }

    const remaining = timeLimitSeconds - used;
    if (closeEnough() || remaining <= 0.01) return outcome;
    passProgram(model, program, { lower: program.colLower, upper: program.colUpper });
    if (bestValues) model.setSolution({ colValue: bestValues });
    const status = run(remaining);
    const found = hasSolution() ? model.getSolution().colValue : null;
    const objective = found ? model.getObjectiveValue() : null;
    outcome.phases.push({ phase: 'mip', status: statusName(highs, status), objective });
    const dualBound = Number(model.info.get('mip_dual_bound'));
    outcome.dualBound = Number.isFinite(dualBound) ? dualBound : null;
    outcome.provedWithinGap = status === highs.constants.modelStatus.optimal;
    outcome.infeasible = status === highs.constants.modelStatus.infeasible;
    if (found && objective !== null && objective <= best + 1e-6) {
      outcome.solutions.push({ phase: 'mip', values: found });
    }
    return outcome;
  } finally {
    model.dispose();
  }
}
