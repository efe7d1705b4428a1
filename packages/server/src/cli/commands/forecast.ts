import { writeFileSync } from 'node:fs';
import { type ForecastResult, forecast, parseForecastHistoryCsv } from '@centralino/engine';
import { type Command, EXIT, optionalString, requireString, UsageError } from '../command.ts';
import { readInputFile, table } from '../output.ts';

export const forecastCommand: Command = {
  path: ['forecast'],
  summary: 'Forecast contacts and AHT per interval from history (method chosen by backtest)',
  help: `Usage: centralino forecast --history FILE.csv --horizon-days D [--out FILE.csv] [--holiday YYYY-MM-DD]... [--json]

Compares seasonal naive, weighted average and double-seasonal Holt-Winters on
the last days of the history (WAPE), and forecasts each queue with the best.
Bad rows are reported with their line and left out; the good rows are used.

Options:
  --history FILE    CSV with columns interval_start (ISO UTC), offered, aht_seconds[, queue]
  --horizon-days D  days to forecast after the last interval of the history
  --holiday DATE    a date to leave out of fitting and scoring (repeatable)
  --out FILE        write the forecast as CSV (same columns as the history)
  --json            print the full result as JSON`,
  options: {
    history: { type: 'string' },
    'horizon-days': { type: 'string' },
    holiday: { type: 'string', multiple: true },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const horizonDays = Number(requireString(args, 'horizon-days'));
    if (!Number.isInteger(horizonDays) || horizonDays < 1)
      throw new UsageError('--horizon-days must be a whole number ≥ 1');
    const parsed = parseForecastHistoryCsv(readInputFile(requireString(args, 'history')));
    for (const issue of parsed.issues) {
      io.err(
        `warning: ${issue.line ? `line ${issue.line}: ` : ''}${issue.field}: ${issue.message} (row skipped)`,
      );
    }
    if (parsed.history.length === 0) throw new Error('no usable rows in the history file');
    const holidays = (args.values.holiday as string[] | undefined) ?? [];
    const result = forecast({
      history: parsed.history,
      horizonDays,
      ...(holidays.length ? { holidays } : {}),
    });
    const out = optionalString(args, 'out');
    if (out) {
      const rows = result.queues.flatMap((queue) =>
        queue.intervals.map((interval) => [
          interval.intervalStart,
          interval.offered.toFixed(2),
          interval.ahtSeconds.toFixed(1),
          queue.queue,
        ]),
      );
      writeFileSync(
        out,
        `${['interval_start,offered,aht_seconds,queue', ...rows.map((row) => row.join(','))].join('\n')}\n`,
      );
    }
    if (args.values.json === true) io.out(JSON.stringify(result, null, 2));
    else printForecast(result, io.out, out);
    return EXIT.ok;
  },
};

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

function printForecast(result: ForecastResult, print: (line: string) => void, out: string | undefined) {
  print(
    `Forecast of ${result.horizonDays} day(s) in ${result.intervalMinutes}-minute intervals; backtest on the last ${result.backtestDays} day(s).`,
  );
  print('');
  print(
    table(
      ['queue', 'method', 'WAPE', 'bias', 'contacts forecast', 'other methods (WAPE)'],
      result.queues.map((queue) => [
        queue.queue,
        queue.method,
        percent(queue.wape),
        percent(queue.bias),
        Math.round(queue.intervals.reduce((sum, interval) => sum + interval.offered, 0)).toLocaleString(
          'en-US',
        ),
        queue.backtest
          .filter((score) => score.method !== queue.method)
          .map((score) => `${score.method} ${percent(score.wape)}`)
          .join(', '),
      ]),
    ),
  );
  if (out) print(`\nForecast written to ${out}`);
}
