// The requirements file of `centralino schedule --requirements FILE.csv`: a header
// with `interval_start` (ISO 8601 UTC) and `required_agents`, then one row per
// interval, consecutive and evenly spaced (15 or 30 minutes). Takes the text, does
// no I/O, and reports every bad row with its line number.
import { ScheduleError, type ScheduleIssue, type ScheduleRequirements } from './schedule.types.ts';
import { parseUtcInstant } from './schedule.validate.ts';

const MAX_ISSUES = 100;

/** Splits one CSV line, honouring double quotes ("a,b" and "" for a quote). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields.map((value) => value.trim());
}

/**
 * Parses the requirements CSV into scheduleShifts' `requirements`. The interval
 * length is read from the first two rows unless given. Throws
 * SCHEDULE_INVALID_INPUT with one issue per bad line (`field` = `line N`).
 */
export function parseScheduleRequirementsCsv(
  text: string,
  options: { intervalMinutes?: 15 | 30 } = {},
): ScheduleRequirements {
  const issues: ScheduleIssue[] = [];
  const report = (line: number, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ field: `line ${line}`, line, message });
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: { start: number; required: number; line: number } | null = null;
  const rows: { line: number; ms: number | null; required: number | null }[] = [];

  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = index + 1;
    if (raw.trim() === '') continue;
    const fields = splitCsvLine(raw);
    if (!header) {
      const names = fields.map((name) => name.toLowerCase());
      const start = names.indexOf('interval_start');
      const required = names.indexOf('required_agents');
      if (start < 0 || required < 0) {
        report(
          line,
          `the header must name the columns interval_start and required_agents, got "${raw.trim()}"`,
        );
        header = { start: -1, required: -1, line };
      } else header = { start, required, line };
      continue;
    }
    if (header.start < 0) continue;
    const startText = fields[header.start];
    const requiredText = fields[header.required];
    if (startText === undefined || requiredText === undefined) {
      report(
        line,
        `expected at least ${Math.max(header.start, header.required) + 1} columns, got ${fields.length}`,
      );
      rows.push({ line, ms: null, required: null });
      continue;
    }
    const ms = parseUtcInstant(startText);
    if (ms === null) {
      report(
        line,
        `interval_start "${startText}" is not an ISO 8601 UTC instant such as 2025-03-03T08:00:00Z`,
      );
    }
    const required = /^\d+(\.\d+)?$/.test(requiredText) ? Number(requiredText) : null;
    if (required === null) {
      report(line, `required_agents "${requiredText}" is not a non-negative number`);
    }
    rows.push({ line, ms, required });
  }

  if (!header) {
    throw new ScheduleError('SCHEDULE_INVALID_INPUT', [
      {
        field: 'line 1',
        line: 1,
        message: 'the file is empty; expected a header interval_start,required_agents',
      },
    ]);
  }
  if (rows.length === 0 && issues.length === 0) {
    report(header.line, 'no interval rows after the header');
  }

  let intervalMinutes: number | undefined = options.intervalMinutes;
  const first = rows[0];
  const second = rows[1];
  if (intervalMinutes === undefined && first?.ms != null && second?.ms != null) {
    intervalMinutes = (second.ms - first.ms) / 60_000;
    if (intervalMinutes !== 15 && intervalMinutes !== 30) {
      report(
        second.line,
        `rows must be 15 or 30 minutes apart; this one is ${intervalMinutes} minutes after line ${first.line}`,
      );
      intervalMinutes = undefined;
    }
  } else if (intervalMinutes === undefined && rows.length === 1) {
    report(rows[0]!.line, 'one row cannot show the interval length; pass intervalMinutes');
  }
  if (intervalMinutes !== undefined) {
    for (let i = 1; i < rows.length; i++) {
      const previous = rows[i - 1]!;
      const row = rows[i]!;
      if (previous.ms === null || row.ms === null) continue;
      const expected = previous.ms + intervalMinutes * 60_000;
      if (row.ms !== expected) {
        const what =
          row.ms === previous.ms ? 'repeats' : row.ms < previous.ms ? 'goes back from' : 'leaves a gap after';
        report(
          row.line,
          `interval_start ${new Date(row.ms).toISOString()} ${what} line ${previous.line}; expected ${new Date(expected).toISOString()}`,
        );
      }
    }
  }
  if (issues.length > 0) throw new ScheduleError('SCHEDULE_INVALID_INPUT', issues);
  return {
    start: new Date(rows[0]!.ms!).toISOString(),
    intervalMinutes: intervalMinutes as 15 | 30,
    requiredAgents: rows.map((row) => row.required!),
  };
}
