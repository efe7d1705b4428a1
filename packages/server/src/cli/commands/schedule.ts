import {
  parseScheduleRequirementsCsv,
  type ScheduleResult,
  scheduleShifts,
  validateShiftsFile,
} from '@centralino/engine';
import { type Command, EXIT, optionalString, requireString, UsageError } from '../command.ts';
import { readInputFile, table } from '../output.ts';

export const scheduleCommand: Command = {
  path: ['schedule'],
  summary: 'Shifts covering the required agents per interval at least cost (HiGHS)',
  help: `Usage: centralino schedule --requirements FILE.csv --shifts FILE.json [--time-limit S] [--json]

Chooses how many agents start each shift template, and where their breaks go,
so that every interval is covered at the least paid cost; reports the LP lower
bound and the gap to it. Input formats: see the README (examples/schedule-*).

Options:
  --requirements FILE  CSV with columns interval_start (ISO UTC), required_agents
  --shifts FILE        JSON with templates (starts, length, breaks, cost) and limits
  --time-limit S       solver time budget in seconds (default 10)
  --json               print the full result as JSON`,
  options: {
    requirements: { type: 'string' },
    shifts: { type: 'string' },
    'time-limit': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const requirementsText = readInputFile(requireString(args, 'requirements'));
    const shiftsText = readInputFile(requireString(args, 'shifts'));
    let shiftsJson: unknown;
    try {
      shiftsJson = JSON.parse(shiftsText);
    } catch (error) {
      throw new Error(`--shifts is not valid JSON: ${(error as Error).message}`);
    }
    const limitText = optionalString(args, 'time-limit');
    const timeLimitSeconds = limitText === undefined ? undefined : Number(limitText);
    if (timeLimitSeconds !== undefined && !(timeLimitSeconds > 0)) {
      throw new UsageError('--time-limit must be a positive number of seconds');
    }
    const result = await scheduleShifts({
      requirements: parseScheduleRequirementsCsv(requirementsText),
      ...validateShiftsFile(shiftsJson),
      ...(timeLimitSeconds ? { timeLimitSeconds } : {}),
    });
    if (args.values.json === true) io.out(JSON.stringify(result, null, 2));
    else printSchedule(result, io.out);
    return EXIT.ok;
  },
};

function euros(cents: number | null): string {
  return cents === null
    ? '—'
    : `€ ${(cents / 100).toLocaleString('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function printSchedule(result: ScheduleResult, out: (line: string) => void) {
  out(`Status: ${result.status} (solver ${result.solver})`);
  out(
    `Cost: ${euros(result.objectiveCents)}   LP bound: ${euros(result.lpBoundCents)}   gap: ${result.gapPercent?.toFixed(2) ?? '—'} %`,
  );
  out(
    `Shifts: ${result.totals.shifts}   agent-intervals required ${result.totals.requiredAgentIntervals}, ` +
      `scheduled ${result.totals.scheduledAgentIntervals}, over ${result.totals.overAgentIntervals}, ` +
      `under ${result.totals.underAgentIntervals}`,
  );
  out('');
  out(
    table(
      ['template', 'start (UTC)', 'end (UTC)', 'agents', 'cost'],
      result.shifts.map((shift) => [
        shift.templateId,
        shift.start.replace('T', ' ').slice(0, 16),
        shift.end.replace('T', ' ').slice(0, 16),
        String(shift.agents),
        euros(shift.costCents),
      ]),
    ),
  );
  for (const warning of result.warnings) out(`warning: ${warning}`);
}
