import { type SimulationEstimate, type SimulationResult, simulate } from '@centralino/engine';
import { type Command, EXIT, optionalString, requireString, UsageError } from '../command.ts';
import { progressBar, readInputFile, table } from '../output.ts';

export const simulateCommand: Command = {
  path: ['simulate'],
  summary: 'Simulate a day (or more) of the center: KPIs with confidence intervals',
  help: `Usage: centralino simulate --scenario FILE.json [--replications R] [--seed S]
                          [--router longest-idle|routing-engine] [--json]

Runs a discrete-event simulation of queues, operators with skills and shifts,
and outbound campaigns, R times, and prints the KPIs of the live reports with
their confidence intervals. The scenario format is in the README (example:
examples/simulate-scenario.json). Same scenario and seed, same result.

Options:
  --scenario FILE    the scenario (JSON)
  --replications R   independent runs (default 10)
  --seed S           any integer (default 1)
  --router NAME      longest-idle (default) or routing-engine (the live routing engine)
  --json             print the full result, per interval, as JSON`,
  options: {
    scenario: { type: 'string' },
    replications: { type: 'string' },
    seed: { type: 'string' },
    router: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const replications = integerOption(args.values.replications, 'replications', 10, 1);
    const seed = integerOption(args.values.seed, 'seed', 1, Number.MIN_SAFE_INTEGER);
    const router = optionalString(args, 'router') ?? 'longest-idle';
    if (router !== 'longest-idle' && router !== 'routing-engine') {
      throw new UsageError('--router must be longest-idle or routing-engine');
    }
    const scenario = readInputFile(requireString(args, 'scenario'));
    const progress = progressBar('simulating', process.stderr.isTTY === true ? 'bar' : 'none');
    const result = simulate({
      scenario,
      replications,
      seed,
      router,
      onProgress: (fraction) => progress.update(fraction),
    });
    progress.done();
    if (args.values.json === true) io.out(JSON.stringify(result, null, 2));
    else printSimulation(result, io.out);
    return EXIT.ok;
  },
};

function integerOption(raw: unknown, name: string, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`--${name} must be a whole number ≥ ${min}`);
  return value;
}

function pct(estimate: SimulationEstimate): string {
  if (estimate.value === null) return '—';
  const value = `${(estimate.value * 100).toFixed(1)} %`;
  if (estimate.low === null || estimate.high === null) return value;
  return `${value} [${(estimate.low * 100).toFixed(1)}–${(estimate.high * 100).toFixed(1)}]`;
}

function seconds(estimate: SimulationEstimate): string {
  return estimate.value === null ? '—' : `${estimate.value.toFixed(1)} s`;
}

function printSimulation(result: SimulationResult, out: (line: string) => void) {
  out(
    `${result.scenario.name}: ${result.replications} replications, seed ${result.seed}, ` +
      `${Math.round(result.confidenceLevel * 100)} % confidence intervals (${result.engine} loop, ${result.router})`,
  );
  out('');
  out(
    table(
      ['queue', 'offered', 'service level', 'ASA', 'abandon rate'],
      [...result.queues, { ...result.center, id: 'center (all)' }].map((scope) => [
        scope.id,
        scope.totals.offered.value === null
          ? '—'
          : Math.round(scope.totals.offered.value).toLocaleString('en-US'),
        pct(scope.totals.serviceLevel),
        seconds(scope.totals.asaSeconds),
        pct(scope.totals.abandonRate),
      ]),
    ),
  );
  if (result.campaigns.length > 0) {
    out('');
    out(
      table(
        ['campaign', 'dials', 'drop rate', 'contact rate (RPC/dials)'],
        result.campaigns.map((campaign) => [
          campaign.id,
          campaign.totals.dials.value === null
            ? '—'
            : Math.round(campaign.totals.dials.value).toLocaleString('en-US'),
          pct(campaign.totals.dropRate),
          pct(campaign.totals.contactRate),
        ]),
      ),
    );
  }
  out('');
  out(`Operator occupancy: ${pct(result.center.totals.occupancy)}`);
}
