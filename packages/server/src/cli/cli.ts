// `centralino`: finds the sub-command, parses its options strictly, runs it,
// and turns errors into messages and exit codes (0 ok, 1 failure, 2 usage).
import { parseArgs } from 'node:util';
import { type CliIo, type Command, EXIT, UsageError } from './command.ts';
import { apiKeyCreateCommand } from './commands/apikey.ts';
import { dimensionCommand } from './commands/dimension.ts';
import { erlangCommands } from './commands/erlang.ts';
import { exportCommand } from './commands/export.ts';
import { forecastCommand } from './commands/forecast.ts';
import { importCommand } from './commands/import.ts';
import { migrateCommand } from './commands/migrate.ts';
import { orgCreateCommand } from './commands/org.ts';
import { reportKpiCommand } from './commands/report-kpi.ts';
import { reportSlaCommand } from './commands/report-sla.ts';
import { scheduleCommand } from './commands/schedule.ts';
import { simulateCommand } from './commands/simulate.ts';
import { startCommand } from './commands/start.ts';
import { userCreateCommand } from './commands/user.ts';

export const COMMANDS: Command[] = [
  startCommand,
  migrateCommand,
  orgCreateCommand,
  userCreateCommand,
  apiKeyCreateCommand,
  importCommand,
  exportCommand,
  reportKpiCommand,
  reportSlaCommand,
  ...erlangCommands,
  forecastCommand,
  scheduleCommand,
  dimensionCommand,
  simulateCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  return [
    'Usage: centralino <command> [options]',
    '',
    'Centralino, the contact-center platform. Commands:',
    ...COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    "Run 'centralino <command> --help' for a command's options.",
    'Environment: DATABASE_URL (PostgreSQL server) or CENTRALINO_DATA (embedded data folder); see the README.',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  // Longest match first: `org create` before a hypothetical `org`.
  const sorted = [...COMMANDS].sort((a, b) => b.path.length - a.path.length);
  for (const command of sorted) {
    if (command.path.every((word, i) => argv[i] === word))
      return { command, rest: argv.slice(command.path.length) };
  }
  return undefined;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`centralino: unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}"\n`);
    io.err(overview());
    return EXIT.usage;
  }
  const { command, rest } = found;
  const name = command.path.join(' ');
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return EXIT.ok;
  }
  try {
    const parsed = parseArgs({
      args: rest,
      options: command.options,
      strict: true,
      allowPositionals: command.positionals === true,
    });
    return await command.run(parsed as never, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`centralino ${name}: ${(error as Error).message}`);
      io.err(`Run 'centralino ${name} --help' for usage.`);
      return EXIT.usage;
    }
    io.err(`centralino ${name}: error: ${error instanceof Error ? error.message : String(error)}`);
    if (io.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack) io.err(error.stack);
    return EXIT.failure;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
