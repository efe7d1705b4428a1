// Shift scheduling (issue 3, section 3): how many agents start each shift, and
// where their breaks go, so that every interval is covered at least cost. See
// schedule.README.md for the formulation; schedule.model.ts builds the integer
// program, schedule.solver.ts runs HiGHS, schedule.heuristic.ts is the fallback.
import { type HeuristicOutcome, heuristicSchedule, type LpPoint } from './schedule.heuristic.ts';
import {
  buildProgram,
  buildScheduleModel,
  findUncoverableIntervals,
  type IntegerSchedule,
  type ProgramData,
  type ScheduleModel,
  scheduledCoverage,
  scheduleFromValues,
  scheduleToValues,
} from './schedule.model.ts';
import { type SolverOutcome, solveProgram } from './schedule.solver.ts';
import {
  type IntervalCoverage,
  type ScheduledBreak,
  type ScheduledShift,
  ScheduleError,
  type ScheduleOptions,
  type ScheduleResult,
} from './schedule.types.ts';
import { validateScheduleOptions } from './schedule.validate.ts';

export { parseScheduleRequirementsCsv } from './schedule.csv.ts';
export * from './schedule.types.ts';
export { type ShiftsFile, validateShiftsFile } from './schedule.validate.ts';

const MINUTE_MS = 60_000;

/**
 * Schedules shifts to cover `requirements` at minimum cost with HiGHS (falling back
 * to an LP-rounding heuristic), and reports the LP lower bound and the gap.
 * Throws ScheduleError: SCHEDULE_INVALID_INPUT (naming each failing field),
 * SCHEDULE_INFEASIBLE, SCHEDULE_NO_SOLUTION or SCHEDULE_SOLVER_UNAVAILABLE.
 */
export async function scheduleShifts(options: ScheduleOptions): Promise<ScheduleResult> {
  const validated = validateScheduleOptions(options);
  const model = buildScheduleModel(validated);
  const uncoverable = findUncoverableIntervals(model);
  if (uncoverable.length > 0) throw new ScheduleError('SCHEDULE_INFEASIBLE', uncoverable);
  const program = buildProgram(model);
  const { solver } = validated;
  const warnings: string[] = [];
  const runMip = solver === 'highs' || (solver === 'auto' && program.numCols <= validated.maxMipVariables);
  if (solver === 'auto' && !runMip) {
    warnings.push(
      `the model has ${program.numCols} variables, more than maxMipVariables (${validated.maxMipVariables}): ` +
        'branch-and-cut skipped, LP rounding heuristic used',
    );
  }

  let heuristic: HeuristicOutcome | null = null;
  let outcome: SolverOutcome | null = null;
  try {
    outcome = await solveProgram({
      program,
      timeLimitSeconds: validated.timeLimitSeconds,
      mipGap: validated.mipGap,
      runMip,
      incumbentFromLp: (lpValues) => {
        heuristic = heuristicSchedule({ model, lp: lpValues ? lpPoint(program, lpValues) : null });
        return heuristic.feasible ? scheduleToValues(model, program, heuristic.schedule) : null;
      },
    });
  } catch (error) {
    if (solver === 'highs' || !(error instanceof ScheduleError)) throw error;
    warnings.push(error.message);
  }
  if (outcome?.infeasible) {
    const limited = Object.keys(validated.limits).length > 0;
    throw new ScheduleError('SCHEDULE_INFEASIBLE', [
      {
        field: limited ? 'limits' : 'templates',
        message:
          'no schedule covers every interval within the template counts and limits; ' +
          'relax a limit, add templates, or set underCoveragePenaltyCents to allow shortage',
      },
    ]);
  }
  if (outcome && outcome.lpBound === null) {
    warnings.push(`LP relaxation not solved (${outcome.phases[0]?.status ?? 'not run'})`);
  }
  const fallback: HeuristicOutcome = heuristic ?? heuristicSchedule({ model, lp: null });

  const candidates: { schedule: IntegerSchedule; solver: 'highs' | 'heuristic' }[] = [];
  for (const solution of outcome?.solutions ?? []) {
    candidates.push({
      schedule: scheduleFromValues(model, program.variables, solution.values),
      solver: 'highs',
    });
  }
  if (fallback.feasible) candidates.push({ schedule: fallback.schedule, solver: 'heuristic' });
  // Keep the cheapest; HiGHS wins ties (its schedules come first). Coverage is
  // re-checked here rather than trusted to the solver's feasibility tolerance.
  const scored = candidates
    .map((candidate) => ({ ...candidate, ...evaluate(model, candidate.schedule) }))
    .filter(
      (candidate) => model.underCoveragePenaltyCents !== null || candidate.totals.underAgentIntervals <= 1e-6,
    );
  if (scored.length === 0) {
    const last = outcome?.phases.at(-1);
    throw new ScheduleError('SCHEDULE_NO_SOLUTION', [
      {
        field: 'timeLimitSeconds',
        message:
          `no schedule meeting every constraint was found within ${validated.timeLimitSeconds} s ` +
          `(${last ? `${last.phase}: ${last.status}` : 'solver unavailable'}); ` +
          'raise the time limit, relax the limits, or set underCoveragePenaltyCents',
      },
    ]);
  }
  const best = scored.reduce((a, b) => (b.objective < a.objective - 1e-6 ? b : a));

  const lpBound = outcome?.lpBound ?? null;
  const dualBound = outcome?.dualBound ?? null;
  const bound = Math.max(lpBound ?? Number.NEGATIVE_INFINITY, dualBound ?? Number.NEGATIVE_INFINITY);
  // With hard coverage the objective is whole cents, so nothing below the
  // bound's ceiling exists.
  const floorOfBest = model.underCoveragePenaltyCents === null ? Math.ceil(bound - 1e-6) : bound;
  let status: ScheduleResult['status'] = 'feasible';
  if (Number.isFinite(bound) && best.objective <= floorOfBest + 1e-6) status = 'optimal';
  else if (
    outcome?.provedWithinGap === true ||
    (Number.isFinite(bound) && best.objective - bound <= validated.mipGap * best.objective + 1e-6)
  ) {
    status = 'within_gap';
  }
  let gapPercent: number | null = null;
  if (lpBound !== null) {
    if (lpBound > 1e-9) gapPercent = round(((best.objective - lpBound) / lpBound) * 100, 4);
    else if (best.objective <= 1e-9) gapPercent = 0;
  }

  return {
    status,
    solver: best.solver,
    solverPhases: (outcome?.phases ?? []).map(({ phase, status, objective }) => ({
      phase,
      status,
      objectiveCents: objective === null ? null : round(objective, 6),
    })),
    formulation: { explicitTemplates: model.explicitTemplates, implicitTemplates: model.implicitTemplates },
    modelSize: {
      variables: program.numCols,
      constraints: program.numRows,
      nonzeros: program.matrix.values.length,
    },
    intervalMinutes: model.intervalMinutes,
    start: new Date(validated.startMs).toISOString(),
    objectiveCents: round(best.objective, 6),
    shiftCostCents: best.shiftCost,
    underCoveragePenaltyCents: round(best.objective - best.shiftCost, 6),
    lpBoundCents: lpBound === null ? null : round(lpBound, 6),
    mipDualBoundCents: dualBound === null ? null : round(dualBound, 6),
    gapPercent,
    totals: best.totals,
    shifts: describeShifts(model, best.schedule),
    coverage: best.coverage,
    warnings,
  };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function lpPoint(program: ProgramData, values: Float64Array): LpPoint {
  const { variables } = program;
  return {
    shift: variables.shift.map((index) => values[index]!),
    breaks: variables.breaks.map((perBreak) =>
      perBreak.map((options) => options.map((index) => values[index]!)),
    ),
  };
}

function evaluate(model: ScheduleModel, schedule: IntegerSchedule) {
  const scheduled = scheduledCoverage(model, schedule);
  let shiftCost = 0;
  let shifts = 0;
  model.columns.forEach((column, j) => {
    shiftCost += column.costCents * schedule.shiftAgents[j]!;
    shifts += schedule.shiftAgents[j]!;
  });
  const totals = {
    shifts,
    requiredAgentIntervals: 0,
    scheduledAgentIntervals: 0,
    overAgentIntervals: 0,
    underAgentIntervals: 0,
  };
  const coverage: IntervalCoverage[] = [];
  for (let t = 0; t < model.intervalCount; t++) {
    const required = model.required[t]!;
    const onDuty = round(scheduled[t]!, 6);
    const over = round(Math.max(0, onDuty - required), 6);
    const under = round(Math.max(0, required - onDuty), 6);
    coverage.push({
      start: instant(model, t * model.intervalMinutes),
      required,
      scheduled: onDuty,
      over,
      under,
    });
    totals.requiredAgentIntervals += required;
    totals.scheduledAgentIntervals += onDuty;
    totals.overAgentIntervals += over;
    totals.underAgentIntervals += under;
  }
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] = round(totals[key], 6);
  const objective = shiftCost + (model.underCoveragePenaltyCents ?? 0) * totals.underAgentIntervals;
  return { objective, shiftCost, totals, coverage };
}

function instant(model: ScheduleModel, minute: number): string {
  return new Date(model.startMs + minute * MINUTE_MS).toISOString();
}

/** Groups columns by (template, start) and their break placements by position. */
function describeShifts(model: ScheduleModel, schedule: IntegerSchedule): ScheduledShift[] {
  const groups = new Map<
    string,
    {
      template: number;
      startMinute: number;
      agents: number;
      breaks: Map<string, ScheduledBreak & { order: number }>;
    }
  >();
  model.columns.forEach((column, j) => {
    const agents = schedule.shiftAgents[j]!;
    if (agents === 0) return;
    const key = `${column.startMinute}:${column.template}`;
    let group = groups.get(key);
    if (!group) {
      group = { template: column.template, startMinute: column.startMinute, agents: 0, breaks: new Map() };
      groups.set(key, group);
    }
    group.agents += agents;
    const template = model.templates[column.template]!;
    const addBreak = (breakIndex: number, startMinute: number, count: number) => {
      if (count === 0) return;
      const definition = template.breaks![breakIndex]!;
      const breakKey = `${breakIndex}:${startMinute}`;
      const existing = group.breaks.get(breakKey);
      if (existing) existing.agents += count;
      else {
        group.breaks.set(breakKey, {
          order: breakIndex * 1e7 + startMinute,
          breakIndex,
          name: definition.name ?? `break ${breakIndex + 1}`,
          start: instant(model, startMinute),
          end: instant(model, startMinute + definition.lengthMinutes),
          agents: count,
        });
      }
    };
    for (const fixed of column.fixedBreaks) addBreak(fixed.breakIndex, fixed.startMinute, agents);
    column.freeBreaks.forEach((free, k) => {
      free.options.forEach((option, p) => {
        addBreak(free.breakIndex, option.startMinute, schedule.breakAgents[j]![k]![p]!);
      });
    });
  });
  return [...groups.values()]
    .sort((a, b) => a.startMinute - b.startMinute || a.template - b.template)
    .map((group) => {
      const template = model.templates[group.template]!;
      return {
        templateId: template.id,
        start: instant(model, group.startMinute),
        end: instant(model, group.startMinute + template.lengthMinutes),
        agents: group.agents,
        costCents: group.agents * template.costCents,
        breaks: [...group.breaks.values()]
          .sort((a, b) => a.order - b.order)
          .map(({ order: _order, ...rest }) => rest),
      };
    });
}
