// From validated options to the integer program of shift scheduling.
//
// Dantzig (1954), "A comment on Edie's traffic delays at toll booths", wrote shift
// scheduling as set covering: choose how many agents x_j start each shift j so that
// for every interval t, Σ_j a_tj x_j ≥ r_t, at minimum Σ_j c_j x_j. With breaks
// whose position is free, the explicit form needs one column per shift start and
// per combination of break positions, which multiplies quickly (three breaks with
// 4, 3 and 4 positions give 48 columns per start). Aykin (1996), "Optimal shift
// scheduling with multiple break windows", Management Science 42(4), keeps one
// variable per shift start and adds, for each break k of that shift, one variable
// per position p with Σ_p b_jkp = x_j; coverage subtracts agents on break. With
// disjoint, ordered break windows every integer solution of the implicit form maps
// back to break assignments of individual agents (each break is placed on its own),
// and the LP relaxations coincide, so both forms have the same optimum.
//
// Here the choice is made per template: explicit when it has no more variables
// (at most one break with several positions), implicit otherwise.
import { ScheduleError, type ScheduleIssue, type ShiftTemplate } from './schedule.types.ts';
import { parseClockTime, type ValidatedScheduleOptions, WEEKDAYS } from './schedule.validate.ts';

const MINUTES_PER_DAY = 1440;
const EPSILON = 1e-9;

/** Fraction of each interval (0..1] during which an agent is present. */
export type SparseCoverage = { intervals: number[]; amounts: number[] };

export type BreakOption = { startMinute: number; coverage: SparseCoverage };

/** One start of one template (with, in the explicit form, one combination of fixed break positions). */
export type ShiftColumn = {
  template: number;
  /** Minutes from the horizon start, in [0, horizon). */
  startMinute: number;
  /** UTC calendar day of the start, counted from the horizon's first date. */
  day: number;
  costCents: number;
  /** Presence net of the fixed breaks. */
  coverage: SparseCoverage;
  fixedBreaks: { breakIndex: number; startMinute: number }[];
  /** Breaks whose position is a variable (Aykin's implicit form). */
  freeBreaks: { breakIndex: number; options: BreakOption[] }[];
};

export type ScheduleModel = {
  startMs: number;
  intervalMinutes: number;
  intervalCount: number;
  horizonMinutes: number;
  cyclic: boolean;
  required: Float64Array;
  templates: ShiftTemplate[];
  columns: ShiftColumn[];
  explicitTemplates: number;
  implicitTemplates: number;
  limits: ValidatedScheduleOptions['limits'];
  underCoveragePenaltyCents: number | null;
};

/** Sparse coverage of the time span [from, to) in minutes from the horizon start. */
export function spanCoverage(
  from: number,
  to: number,
  horizon: { intervalMinutes: number; horizonMinutes: number; cyclic: boolean },
): SparseCoverage {
  const { intervalMinutes, horizonMinutes, cyclic } = horizon;
  const byInterval = new Map<number, number>();
  const add = (a: number, b: number) => {
    let time = a;
    while (time < b) {
      const interval = Math.floor(time / intervalMinutes);
      const end = Math.min(b, (interval + 1) * intervalMinutes);
      byInterval.set(interval, (byInterval.get(interval) ?? 0) + (end - time) / intervalMinutes);
      time = end;
    }
  };
  if (cyclic) {
    // Spans are at most a day and cyclic horizons whole days: at most one wrap.
    const a = ((from % horizonMinutes) + horizonMinutes) % horizonMinutes;
    const b = a + (to - from);
    add(a, Math.min(b, horizonMinutes));
    if (b > horizonMinutes) add(0, b - horizonMinutes);
  } else {
    add(Math.max(0, from), Math.min(to, horizonMinutes));
  }
  const intervals = [...byInterval.keys()].sort((x, y) => x - y);
  return { intervals, amounts: intervals.map((t) => byInterval.get(t)!) };
}

function subtractCoverage(base: SparseCoverage, minus: SparseCoverage): SparseCoverage {
  const byInterval = new Map<number, number>();
  base.intervals.forEach((t, i) => {
    byInterval.set(t, base.amounts[i]!);
  });
  minus.intervals.forEach((t, i) => {
    byInterval.set(t, (byInterval.get(t) ?? 0) - minus.amounts[i]!);
  });
  const intervals = [...byInterval.keys()].filter((t) => byInterval.get(t)! > EPSILON).sort((x, y) => x - y);
  return { intervals, amounts: intervals.map((t) => byInterval.get(t)!) };
}

/** Clock times (minutes after midnight, possibly ≥ 1440 past midnight) at which a template may start. */
function clockStarts(template: ShiftTemplate, intervalMinutes: number): number[] {
  if (template.startTimes) return [...new Set(template.startTimes.map((t) => parseClockTime(t)!))];
  const window = template.startWindow!;
  const earliest = parseClockTime(window.earliest)!;
  let latest = parseClockTime(window.latest)!;
  if (latest < earliest) latest += MINUTES_PER_DAY;
  const step = window.stepMinutes ?? intervalMinutes;
  const starts: number[] = [];
  for (let clock = earliest; clock <= latest; clock += step) starts.push(clock);
  return starts;
}

function breakOffsets(template: ShiftTemplate, intervalMinutes: number): number[][] {
  return (template.breaks ?? []).map((item) => {
    const step = item.stepMinutes ?? intervalMinutes;
    const offsets: number[] = [];
    for (
      let offset = item.window.fromMinutes;
      offset + item.lengthMinutes <= item.window.toMinutes;
      offset += step
    ) {
      offsets.push(offset);
    }
    return offsets;
  });
}

/** All combinations (cartesian product) of one choice per list. */
function combinations(lists: number[][]): number[][] {
  let result: number[][] = [[]];
  for (const list of lists) result = result.flatMap((prefix) => list.map((choice) => [...prefix, choice]));
  return result;
}

/** Expands the templates into shift columns; throws SCHEDULE_INVALID_INPUT for starts off the interval grid. */
export function buildScheduleModel(options: ValidatedScheduleOptions): ScheduleModel {
  const { requirements, startMs, templates, cyclic } = options;
  const intervalMinutes = requirements.intervalMinutes;
  const intervalCount = requirements.requiredAgents.length;
  const horizonMinutes = intervalCount * intervalMinutes;
  const horizon = { intervalMinutes, horizonMinutes, cyclic };
  const startOfDay = Math.floor(startMs / 60_000) % MINUTES_PER_DAY;
  const dayCount = Math.ceil((startOfDay + horizonMinutes) / MINUTES_PER_DAY);
  const firstDate = new Date(startMs - startOfDay * 60_000);
  const issues: ScheduleIssue[] = [];
  const columns: ShiftColumn[] = [];
  let explicitTemplates = 0;
  let implicitTemplates = 0;

  templates.forEach((template, templateIndex) => {
    const field = `templates[${templateIndex}]`;
    const clocks = clockStarts(template, intervalMinutes);
    const offGrid = clocks.findIndex((clock) => (clock - startOfDay) % intervalMinutes !== 0);
    if (offGrid >= 0) {
      const where = template.startTimes ? `${field}.startTimes[${offGrid}]` : `${field}.startWindow`;
      issues.push({
        field: where,
        message: `start ${formatClock(clocks[offGrid]!)} is not on the ${intervalMinutes}-minute interval grid of requirements.start`,
      });
      return;
    }
    const offsets = breakOffsets(template, intervalMinutes);
    const breaks = template.breaks ?? [];
    const several = offsets.filter((list) => list.length > 1);
    const explicitCount = several.reduce((product, list) => product * list.length, 1);
    const implicitCount = 1 + several.reduce((sum, list) => sum + list.length, 0);
    const explicit =
      options.formulation === 'explicit' ||
      (options.formulation === 'auto' && explicitCount <= implicitCount);
    // A template without movable breaks is the same in both forms: count it explicit.
    if (explicit || several.length === 0) explicitTemplates++;
    else implicitTemplates++;
    const allowedDays = template.weekdays ? new Set(template.weekdays) : null;
    const seen = new Set<number>();

    for (let day = -1; day < dayCount; day++) {
      if (allowedDays) {
        const date = new Date(firstDate.getTime() + day * MINUTES_PER_DAY * 60_000);
        if (!allowedDays.has(WEEKDAYS[(date.getUTCDay() + 6) % 7]!)) continue;
      }
      for (const clock of clocks) {
        const startMinute = day * MINUTES_PER_DAY + clock - startOfDay;
        if (startMinute < 0 || startMinute >= horizonMinutes || seen.has(startMinute)) continue;
        seen.add(startMinute);
        const shift = spanCoverage(startMinute, startMinute + template.lengthMinutes, horizon);
        const startDay = Math.floor((startOfDay + startMinute) / MINUTES_PER_DAY);
        const breakOption = (breakIndex: number, offset: number): BreakOption => {
          const from = startMinute + offset;
          return {
            startMinute: from,
            coverage: spanCoverage(from, from + breaks[breakIndex]!.lengthMinutes, horizon),
          };
        };
        // Breaks with one position are fixed in either form; the rest are combined
        // into columns (explicit) or become position variables (implicit).
        const fixedIndexes = offsets.flatMap((list, k) => (list.length === 1 || explicit ? [k] : []));
        const freeIndexes = offsets.flatMap((list, k) => (list.length > 1 && !explicit ? [k] : []));
        const freeBreaks = freeIndexes.map((k) => ({
          breakIndex: k,
          options: offsets[k]!.map((offset) => breakOption(k, offset)),
        }));
        for (const combination of combinations(fixedIndexes.map((k) => offsets[k]!))) {
          let coverage = shift;
          const fixedBreaks = combination.map((offset, i) => {
            const option = breakOption(fixedIndexes[i]!, offset);
            coverage = subtractCoverage(coverage, option.coverage);
            return { breakIndex: fixedIndexes[i]!, startMinute: option.startMinute };
          });
          columns.push({
            template: templateIndex,
            startMinute,
            day: startDay,
            costCents: template.costCents,
            coverage,
            fixedBreaks,
            freeBreaks,
          });
        }
      }
    }
  });
  if (issues.length > 0) throw new ScheduleError('SCHEDULE_INVALID_INPUT', issues);

  return {
    startMs,
    intervalMinutes,
    intervalCount,
    horizonMinutes,
    cyclic,
    required: Float64Array.from(requirements.requiredAgents),
    templates,
    columns,
    explicitTemplates,
    implicitTemplates,
    limits: options.limits,
    underCoveragePenaltyCents: options.underCoveragePenaltyCents,
  };
}

function formatClock(minutes: number): string {
  const m = minutes % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * With coverage hard, an interval that needs agents but lies outside every shift
 * (net of fixed breaks) makes the problem infeasible; name it instead of letting
 * the solver answer a bare "infeasible".
 */
export function findUncoverableIntervals(model: ScheduleModel): ScheduleIssue[] {
  if (model.underCoveragePenaltyCents !== null) return [];
  const coverable = new Uint8Array(model.intervalCount);
  for (const column of model.columns) {
    if (model.templates[column.template]!.maxCount === 0) continue;
    for (const t of column.coverage.intervals) coverable[t] = 1;
  }
  const issues: ScheduleIssue[] = [];
  for (let t = 0; t < model.intervalCount; t++) {
    if (model.required[t]! > 0 && !coverable[t]) {
      issues.push({
        field: `requirements.requiredAgents[${t}]`,
        message: `${new Date(model.startMs + t * model.intervalMinutes * 60_000).toISOString()} needs ${model.required[t]} agents but no shift template can be on duty then`,
      });
    }
  }
  return issues;
}

/** Index of each variable of the integer program. */
export type VariableMap = {
  shift: number[];
  /** breaks[column][free break][option] */
  breaks: number[][][];
  /** Under-coverage slack per interval, or -1. */
  under: number[];
  count: number;
};

export type ProgramData = {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  matrix: {
    format: 'csc';
    numRows: number;
    numCols: number;
    starts: Int32Array;
    indices: Int32Array;
    values: Float64Array;
  };
  /** 1 for the integer variables (shifts and break positions), 0 for slacks. */
  integer: Uint8Array;
  variables: VariableMap;
};

/** The integer program in HiGHS' column-compressed form. */
export function buildProgram(model: ScheduleModel): ProgramData {
  const { columns, required, intervalCount, templates, limits } = model;
  const soft = model.underCoveragePenaltyCents !== null;

  // Rows: coverage of intervals that need agents (others hold trivially, since a
  // break never removes more than its shift adds), then Aykin's link rows, then limits.
  const coverageRow = new Int32Array(intervalCount).fill(-1);
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (let t = 0; t < intervalCount; t++) {
    if (required[t]! > 0) {
      coverageRow[t] = rowLower.length;
      rowLower.push(required[t]!);
      rowUpper.push(Number.POSITIVE_INFINITY);
    }
  }
  const linkRow: number[][] = columns.map((column) =>
    column.freeBreaks.map(() => {
      rowLower.push(0);
      rowUpper.push(0);
      return rowLower.length - 1;
    }),
  );
  const templateRow = templates.map((template) => {
    if (template.minCount === undefined && template.maxCount === undefined) return -1;
    rowLower.push(template.minCount ?? 0);
    rowUpper.push(template.maxCount ?? Number.POSITIVE_INFINITY);
    return rowLower.length - 1;
  });
  const addLimitRow = (limit: number | undefined) => {
    if (limit === undefined) return -1;
    rowLower.push(Number.NEGATIVE_INFINITY);
    rowUpper.push(limit);
    return rowLower.length - 1;
  };
  const shiftsRow = addLimitRow(limits.maxShifts);
  const costRow = addLimitRow(limits.maxCostCents);
  const dayRow = new Map<number, number>();
  if (limits.maxShiftsPerDay !== undefined) {
    for (const day of [...new Set(columns.map((c) => c.day))].sort((a, b) => a - b)) {
      dayRow.set(day, addLimitRow(limits.maxShiftsPerDay));
    }
  }

  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const colCost: number[] = [];
  const colUpper: number[] = [];
  const integer: number[] = [];
  const variables: VariableMap = { shift: [], breaks: [], under: [], count: 0 };
  const addVariable = (cost: number, upper: number, isInteger: boolean, entries: [number, number][]) => {
    for (const [row, value] of entries) {
      indices.push(row);
      values.push(value);
    }
    starts.push(indices.length);
    colCost.push(cost);
    colUpper.push(upper);
    integer.push(isInteger ? 1 : 0);
    return colCost.length - 1;
  };
  const coverageEntries = (coverage: SparseCoverage, sign: number): [number, number][] =>
    coverage.intervals.flatMap((t, i) =>
      coverageRow[t]! >= 0 ? [[coverageRow[t]!, sign * coverage.amounts[i]!]] : [],
    );

  columns.forEach((column, j) => {
    const template = templates[column.template]!;
    const upper = template.maxCount ?? Number.POSITIVE_INFINITY;
    const entries = coverageEntries(column.coverage, 1);
    for (const row of linkRow[j]!) entries.push([row, -1]);
    for (const row of [templateRow[column.template]!, shiftsRow, dayRow.get(column.day) ?? -1]) {
      if (row >= 0) entries.push([row, 1]);
    }
    if (costRow >= 0 && column.costCents !== 0) entries.push([costRow, column.costCents]);
    variables.shift.push(addVariable(column.costCents, upper, true, entries));
    variables.breaks.push(
      column.freeBreaks.map((free, k) =>
        free.options.map((option) =>
          addVariable(0, upper, true, [...coverageEntries(option.coverage, -1), [linkRow[j]![k]!, 1]]),
        ),
      ),
    );
  });
  for (let t = 0; t < intervalCount; t++) {
    const row = coverageRow[t]!;
    variables.under.push(
      soft && row >= 0 ? addVariable(model.underCoveragePenaltyCents!, required[t]!, false, [[row, 1]]) : -1,
    );
  }
  variables.count = colCost.length;

  const numCols = colCost.length;
  const numRows = rowLower.length;
  return {
    numCols,
    numRows,
    colCost: Float64Array.from(colCost),
    colLower: new Float64Array(numCols),
    colUpper: Float64Array.from(colUpper),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csc',
      numRows,
      numCols,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    integer: Uint8Array.from(integer),
    variables,
  };
}

/** An integer schedule: agents per shift column and per position of each free break. */
export type IntegerSchedule = {
  shiftAgents: number[];
  /** breakAgents[column][free break][option]; per break they sum to shiftAgents[column]. */
  breakAgents: number[][][];
};

export function emptySchedule(model: ScheduleModel): IntegerSchedule {
  return {
    shiftAgents: model.columns.map(() => 0),
    breakAgents: model.columns.map((column) => column.freeBreaks.map((free) => free.options.map(() => 0))),
  };
}

/** Agents on duty per interval (fractional where a break covers part of an interval). */
export function scheduledCoverage(model: ScheduleModel, schedule: IntegerSchedule): Float64Array {
  const coverage = new Float64Array(model.intervalCount);
  model.columns.forEach((column, j) => {
    const agents = schedule.shiftAgents[j]!;
    if (agents === 0) return;
    column.coverage.intervals.forEach((t, i) => {
      coverage[t]! += agents * column.coverage.amounts[i]!;
    });
    column.freeBreaks.forEach((free, k) => {
      free.options.forEach((option, p) => {
        const onBreak = schedule.breakAgents[j]![k]![p]!;
        if (onBreak === 0) return;
        option.coverage.intervals.forEach((t, i) => {
          coverage[t]! -= onBreak * option.coverage.amounts[i]!;
        });
      });
    });
  });
  return coverage;
}

export function scheduleFromValues(model: ScheduleModel, variables: VariableMap, values: ArrayLike<number>) {
  const schedule = emptySchedule(model);
  model.columns.forEach((_, j) => {
    schedule.shiftAgents[j] = Math.round(values[variables.shift[j]!]!);
    variables.breaks[j]!.forEach((options, k) => {
      options.forEach((index, p) => {
        schedule.breakAgents[j]![k]![p] = Math.round(values[index]!);
      });
    });
  });
  return schedule;
}

export function scheduleToValues(model: ScheduleModel, program: ProgramData, schedule: IntegerSchedule) {
  const values = new Float64Array(program.numCols);
  const { variables } = program;
  model.columns.forEach((_, j) => {
    values[variables.shift[j]!] = schedule.shiftAgents[j]!;
    variables.breaks[j]!.forEach((options, k) => {
      options.forEach((index, p) => {
        values[index] = schedule.breakAgents[j]![k]![p]!;
      });
    });
  });
  if (model.underCoveragePenaltyCents !== null) {
    const coverage = scheduledCoverage(model, schedule);
    variables.under.forEach((index, t) => {
      if (index >= 0) values[index] = Math.max(0, model.required[t]! - coverage[t]!);
    });
  }
  return values;
}
