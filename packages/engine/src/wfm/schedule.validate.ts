// Validation at the edge of shift scheduling: every field of the options (which may
// come straight from a JSON file or an HTTP body) is checked, all problems are
// collected, and one ScheduleError names each failing field.
import {
  ScheduleError,
  type ScheduleFormulation,
  type ScheduleIssue,
  type ScheduleLimits,
  type ScheduleOptions,
  type ScheduleRequirements,
  type ScheduleSolverChoice,
  type ShiftBreak,
  type ShiftTemplate,
  type Weekday,
} from './schedule.types.ts';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const INTERVAL_MINUTES = [15, 30] as const;
const MINUTES_PER_DAY = 1440;

/** The shifts file of `centralino schedule --shifts FILE.json`. */
export type ShiftsFile = {
  templates: ShiftTemplate[];
  limits?: ScheduleLimits;
  cyclic?: boolean;
  underCoveragePenaltyCents?: number;
};

/** Options after validation, with every default filled in. */
export type ValidatedScheduleOptions = {
  requirements: ScheduleRequirements;
  startMs: number;
  templates: ShiftTemplate[];
  limits: ScheduleLimits;
  cyclic: boolean;
  underCoveragePenaltyCents: number | null;
  timeLimitSeconds: number;
  mipGap: number;
  solver: ScheduleSolverChoice;
  formulation: ScheduleFormulation;
  maxMipVariables: number;
};

type Issues = ScheduleIssue[];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  field: string,
  issues: Issues,
) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      issues.push({ field: `${field}.${key}`, message: `unknown field (allowed: ${allowed.join(', ')})` });
    }
  }
}

function checkNumber(
  value: unknown,
  field: string,
  issues: Issues,
  rule: { integer?: boolean; min?: number; max?: number; exclusiveMin?: number; optional?: boolean },
): value is number {
  if (value === undefined && rule.optional) return false;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push({ field, message: `must be a finite number, got ${describe(value)}` });
    return false;
  }
  if (rule.integer && !Number.isInteger(value)) {
    issues.push({ field, message: `must be a whole number, got ${value}` });
    return false;
  }
  if (rule.min !== undefined && value < rule.min) {
    issues.push({ field, message: `must be at least ${rule.min}, got ${value}` });
    return false;
  }
  if (rule.exclusiveMin !== undefined && value <= rule.exclusiveMin) {
    issues.push({ field, message: `must be greater than ${rule.exclusiveMin}, got ${value}` });
    return false;
  }
  if (rule.max !== undefined && value > rule.max) {
    issues.push({ field, message: `must be at most ${rule.max}, got ${value}` });
    return false;
  }
  return true;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Minutes after midnight of an `HH:MM` clock time, or null when malformed. */
export function parseClockTime(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

/** Milliseconds of an ISO 8601 UTC instant on a whole minute, or null. */
export function parseUtcInstant(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]00:?00)$/.test(text)) return null;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || ms % 60_000 !== 0) return null;
  return ms;
}

function validateRequirements(value: unknown, issues: Issues): { startMs: number } | null {
  const field = 'requirements';
  if (!isRecord(value)) {
    issues.push({ field, message: `must be an object with start, intervalMinutes and requiredAgents` });
    return null;
  }
  checkKeys(value, ['start', 'intervalMinutes', 'requiredAgents'], field, issues);
  const startMs = parseUtcInstant(value.start);
  if (startMs === null) {
    issues.push({
      field: `${field}.start`,
      message: `must be an ISO 8601 UTC instant on a whole minute such as 2025-03-03T00:00:00Z, got ${describe(value.start)}`,
    });
  }
  if (!INTERVAL_MINUTES.includes(value.intervalMinutes as 15 | 30)) {
    issues.push({
      field: `${field}.intervalMinutes`,
      message: `must be 15 or 30, got ${describe(value.intervalMinutes)}`,
    });
  }
  const required = value.requiredAgents;
  if (!Array.isArray(required) || required.length === 0) {
    issues.push({ field: `${field}.requiredAgents`, message: 'must be a non-empty array of numbers' });
  } else {
    let reported = 0;
    for (let i = 0; i < required.length && reported < 10; i++) {
      const before = issues.length;
      checkNumber(required[i], `${field}.requiredAgents[${i}]`, issues, { min: 0 });
      if (issues.length > before) reported++;
    }
  }
  return startMs === null ? null : { startMs };
}

function validateBreak(
  value: unknown,
  field: string,
  shiftLength: number | null,
  issues: Issues,
): ShiftBreak | null {
  if (!isRecord(value)) {
    issues.push({ field, message: 'must be an object with lengthMinutes and window' });
    return null;
  }
  checkKeys(value, ['name', 'lengthMinutes', 'window', 'stepMinutes'], field, issues);
  if (value.name !== undefined && typeof value.name !== 'string') {
    issues.push({ field: `${field}.name`, message: 'must be a string' });
  }
  const lengthOk = checkNumber(value.lengthMinutes, `${field}.lengthMinutes`, issues, {
    integer: true,
    min: 1,
  });
  checkNumber(value.stepMinutes, `${field}.stepMinutes`, issues, { integer: true, min: 1, optional: true });
  const window = value.window;
  if (!isRecord(window)) {
    issues.push({ field: `${field}.window`, message: 'must be an object { fromMinutes, toMinutes }' });
    return null;
  }
  checkKeys(window, ['fromMinutes', 'toMinutes'], `${field}.window`, issues);
  const fromOk = checkNumber(window.fromMinutes, `${field}.window.fromMinutes`, issues, {
    integer: true,
    min: 0,
  });
  const toOk = checkNumber(window.toMinutes, `${field}.window.toMinutes`, issues, { integer: true, min: 0 });
  if (!lengthOk || !fromOk || !toOk) return null;
  const length = value.lengthMinutes as number;
  const from = window.fromMinutes as number;
  const to = window.toMinutes as number;
  if (to - from < length) {
    issues.push({
      field: `${field}.window`,
      message: `is ${to - from} minutes long, too short for a ${length}-minute break`,
    });
    return null;
  }
  if (shiftLength !== null && to > shiftLength) {
    issues.push({
      field: `${field}.window.toMinutes`,
      message: `${to} is after the end of the ${shiftLength}-minute shift`,
    });
    return null;
  }
  return value as ShiftBreak;
}

function validateTemplate(value: unknown, field: string, issues: Issues): ShiftTemplate | null {
  if (!isRecord(value)) {
    issues.push({ field, message: 'must be an object' });
    return null;
  }
  const before = issues.length;
  checkKeys(
    value,
    [
      'id',
      'lengthMinutes',
      'startTimes',
      'startWindow',
      'weekdays',
      'breaks',
      'costCents',
      'minCount',
      'maxCount',
    ],
    field,
    issues,
  );
  if (typeof value.id !== 'string' || value.id.trim() === '') {
    issues.push({ field: `${field}.id`, message: 'must be a non-empty string' });
  }
  const lengthOk = checkNumber(value.lengthMinutes, `${field}.lengthMinutes`, issues, {
    integer: true,
    min: 1,
    max: MINUTES_PER_DAY,
  });
  checkNumber(value.costCents, `${field}.costCents`, issues, { integer: true, min: 0 });
  const minOk = checkNumber(value.minCount, `${field}.minCount`, issues, {
    integer: true,
    min: 0,
    optional: true,
  });
  const maxOk = checkNumber(value.maxCount, `${field}.maxCount`, issues, {
    integer: true,
    min: 0,
    optional: true,
  });
  if (minOk && maxOk && (value.minCount as number) > (value.maxCount as number)) {
    issues.push({
      field: `${field}.minCount`,
      message: `${value.minCount} exceeds maxCount ${value.maxCount}`,
    });
  }

  const hasTimes = value.startTimes !== undefined;
  const hasWindow = value.startWindow !== undefined;
  if (hasTimes === hasWindow) {
    issues.push({ field: `${field}.startTimes`, message: 'give exactly one of startTimes or startWindow' });
  }
  if (hasTimes) {
    const times = value.startTimes;
    if (!Array.isArray(times) || times.length === 0) {
      issues.push({ field: `${field}.startTimes`, message: 'must be a non-empty array of "HH:MM" times' });
    } else {
      times.forEach((time, i) => {
        if (parseClockTime(time) === null) {
          issues.push({
            field: `${field}.startTimes[${i}]`,
            message: `must be "HH:MM", got ${describe(time)}`,
          });
        }
      });
    }
  }
  if (hasWindow) {
    const window = value.startWindow;
    if (!isRecord(window)) {
      issues.push({
        field: `${field}.startWindow`,
        message: 'must be an object { earliest, latest, stepMinutes? }',
      });
    } else {
      checkKeys(window, ['earliest', 'latest', 'stepMinutes'], `${field}.startWindow`, issues);
      for (const key of ['earliest', 'latest'] as const) {
        if (parseClockTime(window[key]) === null) {
          issues.push({
            field: `${field}.startWindow.${key}`,
            message: `must be "HH:MM", got ${describe(window[key])}`,
          });
        }
      }
      checkNumber(window.stepMinutes, `${field}.startWindow.stepMinutes`, issues, {
        integer: true,
        min: 1,
        optional: true,
      });
    }
  }
  if (value.weekdays !== undefined) {
    if (!Array.isArray(value.weekdays) || value.weekdays.length === 0) {
      issues.push({
        field: `${field}.weekdays`,
        message: `must be a non-empty array of ${WEEKDAYS.join(', ')}`,
      });
    } else {
      value.weekdays.forEach((day, i) => {
        if (!WEEKDAYS.includes(day as Weekday)) {
          issues.push({
            field: `${field}.weekdays[${i}]`,
            message: `must be one of ${WEEKDAYS.join(', ')}, got ${describe(day)}`,
          });
        }
      });
    }
  }
  if (value.breaks !== undefined) {
    if (!Array.isArray(value.breaks)) {
      issues.push({ field: `${field}.breaks`, message: 'must be an array' });
    } else {
      const shiftLength = lengthOk ? (value.lengthMinutes as number) : null;
      const breaks = value.breaks.map((item, i) =>
        validateBreak(item, `${field}.breaks[${i}]`, shiftLength, issues),
      );
      // Aykin's implicit formulation places each break independently inside its
      // window; that is exact only when the windows are disjoint and ordered.
      for (let i = 1; i < breaks.length; i++) {
        const previous = breaks[i - 1];
        const current = breaks[i];
        if (previous && current && current.window.fromMinutes < previous.window.toMinutes) {
          issues.push({
            field: `${field}.breaks[${i}].window`,
            message: `overlaps the window of breaks[${i - 1}]; break windows must be in time order and disjoint`,
          });
        }
      }
    }
  }
  return issues.length === before ? (value as ShiftTemplate) : null;
}

function validateTemplates(value: unknown, issues: Issues): ShiftTemplate[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push({ field: 'templates', message: 'must be a non-empty array of shift templates' });
    return [];
  }
  const templates: ShiftTemplate[] = [];
  const seen = new Map<string, number>();
  value.forEach((item, i) => {
    const template = validateTemplate(item, `templates[${i}]`, issues);
    if (!template) return;
    const first = seen.get(template.id);
    if (first !== undefined) {
      issues.push({
        field: `templates[${i}].id`,
        message: `"${template.id}" is also the id of templates[${first}]`,
      });
    } else {
      seen.set(template.id, i);
    }
    templates.push(template);
  });
  return templates;
}

function validateLimits(value: unknown, issues: Issues): ScheduleLimits {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    issues.push({ field: 'limits', message: 'must be an object' });
    return {};
  }
  checkKeys(value, ['maxShifts', 'maxShiftsPerDay', 'maxCostCents'], 'limits', issues);
  for (const key of ['maxShifts', 'maxShiftsPerDay', 'maxCostCents'] as const) {
    checkNumber(value[key], `limits.${key}`, issues, { integer: true, min: 0, optional: true });
  }
  return value as ScheduleLimits;
}

function validateCommon(value: Record<string, unknown>, issues: Issues) {
  if (value.cyclic !== undefined && typeof value.cyclic !== 'boolean') {
    issues.push({ field: 'cyclic', message: `must be true or false, got ${describe(value.cyclic)}` });
  }
  checkNumber(value.underCoveragePenaltyCents, 'underCoveragePenaltyCents', issues, {
    min: 0,
    optional: true,
  });
}

/** Checks a parsed shifts file (`--shifts FILE.json`); throws SCHEDULE_INVALID_INPUT naming each bad field. */
export function validateShiftsFile(value: unknown): ShiftsFile {
  const issues: Issues = [];
  if (!isRecord(value)) {
    throw new ScheduleError('SCHEDULE_INVALID_INPUT', [
      { field: '(root)', message: 'the shifts file must be a JSON object with a "templates" array' },
    ]);
  }
  checkKeys(value, ['templates', 'limits', 'cyclic', 'underCoveragePenaltyCents'], '(root)', issues);
  const templates = validateTemplates(value.templates, issues);
  const limits = validateLimits(value.limits, issues);
  validateCommon(value, issues);
  if (issues.length > 0) throw new ScheduleError('SCHEDULE_INVALID_INPUT', issues);
  const file: ShiftsFile = { templates };
  if (value.limits !== undefined) file.limits = limits;
  if (value.cyclic !== undefined) file.cyclic = value.cyclic as boolean;
  if (value.underCoveragePenaltyCents !== undefined) {
    file.underCoveragePenaltyCents = value.underCoveragePenaltyCents as number;
  }
  return file;
}

/** Checks scheduleShifts' options; throws SCHEDULE_INVALID_INPUT listing every failing field. */
export function validateScheduleOptions(options: ScheduleOptions): ValidatedScheduleOptions {
  const issues: Issues = [];
  const value: unknown = options;
  if (!isRecord(value)) {
    throw new ScheduleError('SCHEDULE_INVALID_INPUT', [{ field: '(options)', message: 'must be an object' }]);
  }
  const requirements = validateRequirements(value.requirements, issues);
  const templates = validateTemplates(value.templates, issues);
  const limits = validateLimits(value.limits, issues);
  validateCommon(value, issues);
  checkNumber(value.timeLimitSeconds, 'timeLimitSeconds', issues, { exclusiveMin: 0, optional: true });
  checkNumber(value.mipGap, 'mipGap', issues, { min: 0, max: 0.99, optional: true });
  checkNumber(value.maxMipVariables, 'maxMipVariables', issues, { integer: true, min: 0, optional: true });
  if (value.solver !== undefined && !['auto', 'highs', 'heuristic'].includes(value.solver as string)) {
    issues.push({
      field: 'solver',
      message: `must be auto, highs or heuristic, got ${describe(value.solver)}`,
    });
  }
  if (
    value.formulation !== undefined &&
    !['auto', 'explicit', 'implicit'].includes(value.formulation as string)
  ) {
    issues.push({
      field: 'formulation',
      message: `must be auto, explicit or implicit, got ${describe(value.formulation)}`,
    });
  }
  if (
    value.cyclic === true &&
    isRecord(value.requirements) &&
    Array.isArray(value.requirements.requiredAgents)
  ) {
    const minutes = value.requirements.requiredAgents.length * Number(value.requirements.intervalMinutes);
    if (minutes % MINUTES_PER_DAY !== 0) {
      issues.push({ field: 'cyclic', message: `needs a horizon of whole days, got ${minutes / 60} hours` });
    }
  }
  if (issues.length > 0 || requirements === null) throw new ScheduleError('SCHEDULE_INVALID_INPUT', issues);
  return {
    requirements: options.requirements,
    startMs: requirements.startMs,
    templates,
    limits,
    cyclic: options.cyclic ?? false,
    underCoveragePenaltyCents: options.underCoveragePenaltyCents ?? null,
    timeLimitSeconds: options.timeLimitSeconds ?? 10,
    mipGap: options.mipGap ?? 0.01,
    solver: options.solver ?? 'auto',
    formulation: options.formulation ?? 'auto',
    maxMipVariables: options.maxMipVariables ?? 400_000,
  };
}
