// `centralino erlang b|c|a`: queueing measures for a given number of agents, or
// the agents needed for targets. The same engine functions as POST /api/wfm/erlang.
import { type ErlangModel, type ErlangRequest, evaluateErlang } from '../../modules/wfm/erlang.service.ts';
import { type Command, EXIT, type ParsedArgs, UsageError } from '../command.ts';
import { table } from '../output.ts';

const TRAFFIC_HELP = `  --calls N               contacts offered in the interval (with --interval-seconds)
  --interval-seconds S    interval length, e.g. 900 or 1800
  --traffic-erlangs E     offered load directly, instead of --calls and --interval-seconds
  --aht-seconds S         average handle time (talk + hold + wrap)`;

const QUEUE_HELP = `  --agents N              evaluate this many agents; or, to find the agents needed:
  --target-sl X           service level to reach, e.g. 0.8
  --threshold-seconds T   service-level threshold (default 20)
  --target-asa S          maximum average speed of answer, seconds
  --max-occupancy X       maximum occupancy, e.g. 0.85
  --shrinkage X           share of paid time not on the phones: prints scheduled agents
  --json                  print the result as JSON`;

const NUMBER_OPTIONS = [
  'calls',
  'interval-seconds',
  'traffic-erlangs',
  'aht-seconds',
  'patience-seconds',
  'agents',
  'lines',
  'target-sl',
  'threshold-seconds',
  'target-asa',
  'max-occupancy',
  'max-abandon',
  'max-blocking',
  'shrinkage',
] as const;

function numbers(args: ParsedArgs): Partial<Record<(typeof NUMBER_OPTIONS)[number], number>> {
  const values: Partial<Record<(typeof NUMBER_OPTIONS)[number], number>> = {};
  for (const name of NUMBER_OPTIONS) {
    const raw = args.values[name];
    if (raw === undefined) continue;
    const value = raw === 'inf' || raw === 'Infinity' ? Number.POSITIVE_INFINITY : Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || Number.isNaN(value)) {
      throw new UsageError(`--${name} must be a number (got "${String(raw)}")`);
    }
    values[name] = value;
  }
  return values;
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(6);
  return String(value);
}

function flatten(value: Record<string, unknown>, prefix = ''): string[][] {
  return Object.entries(value).flatMap(([key, inner]) =>
    inner && typeof inner === 'object'
      ? flatten(inner as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, formatValue(inner)]],
  );
}

/** Flags as the API's request: --target-sl is targetServiceLevel, and so on. */
function toRequest(model: ErlangModel, n: ReturnType<typeof numbers>): ErlangRequest {
  const names: Record<(typeof NUMBER_OPTIONS)[number], keyof ErlangRequest> = {
    calls: 'calls',
    'interval-seconds': 'intervalSeconds',
    'traffic-erlangs': 'trafficErlangs',
    'aht-seconds': 'ahtSeconds',
    'patience-seconds': 'patienceSeconds',
    agents: 'agents',
    lines: 'lines',
    'target-sl': 'targetServiceLevel',
    'threshold-seconds': 'thresholdSeconds',
    'target-asa': 'targetAsaSeconds',
    'max-occupancy': 'maxOccupancy',
    'max-abandon': 'maxAbandonRate',
    'max-blocking': 'maxBlocking',
    shrinkage: 'shrinkage',
  };
  const request: Record<string, unknown> = { model };
  for (const [flag, value] of Object.entries(n))
    request[names[flag as (typeof NUMBER_OPTIONS)[number]]] = value;
  return request as ErlangRequest;
}

const OPTIONS = Object.fromEntries([
  ...NUMBER_OPTIONS.map((name) => [name, { type: 'string' as const }]),
  ['json', { type: 'boolean' as const }],
]);

function erlangCommand(model: ErlangModel, summary: string, help: string): Command {
  return {
    path: ['erlang', model],
    summary,
    help,
    options: OPTIONS,
    async run(args, io) {
      const result = evaluateErlang(toRequest(model, numbers(args)));
      if (args.values.json === true) io.out(JSON.stringify(result, null, 2));
      else io.out(table(['measure', 'value'], flatten(result)));
      return EXIT.ok;
    },
  };
}

export const erlangCommands: Command[] = [
  erlangCommand(
    'b',
    'Erlang B: blocking on N lines, or the lines for a blocking target',
    `Usage: centralino erlang b (--calls N --interval-seconds S | --traffic-erlangs E) [--aht-seconds S]
                           (--lines N | --max-blocking X) [--json]

Options:
${TRAFFIC_HELP}
  --lines N               lines (trunks, ports) to evaluate
  --max-blocking X        find the fewest lines with blocking at most X, e.g. 0.01
  --json                  print the result as JSON`,
  ),
  erlangCommand(
    'c',
    'Erlang C: service level, ASA, occupancy; or the agents for targets',
    `Usage: centralino erlang c --calls N --interval-seconds S --aht-seconds S
                           (--agents N | --target-sl X [--threshold-seconds T] [--target-asa S] [--max-occupancy X])
                           [--shrinkage X] [--json]

Example: centralino erlang c --calls 100 --interval-seconds 1800 --aht-seconds 180 --target-sl 0.8 --shrinkage 0.3

Options:
${TRAFFIC_HELP}
${QUEUE_HELP}`,
  ),
  erlangCommand(
    'a',
    'Erlang A (with abandonment): the same measures plus abandon rate',
    `Usage: centralino erlang a --calls N --interval-seconds S --aht-seconds S --patience-seconds S
                           (--agents N | --target-sl X [--threshold-seconds T] [--target-asa S]
                            [--max-occupancy X] [--max-abandon X]) [--shrinkage X] [--json]

Options:
${TRAFFIC_HELP}
  --patience-seconds S    mean time callers wait before hanging up (exponential); inf = Erlang C
  --max-abandon X         maximum share of callers abandoning, e.g. 0.05
${QUEUE_HELP}`,
  ),
];
