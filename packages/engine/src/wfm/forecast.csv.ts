// Reads a contact-history CSV (the text, not a file: the CLI does the I/O).
//
// Columns, by header name in any order (further columns are ignored):
//   interval_start  ISO 8601 UTC start of the interval, e.g. 2025-03-03T08:15:00Z
//   offered         contacts offered in the interval, a number ≥ 0
//   aht_seconds     average handle time, > 0; may be empty when offered is 0
//   queue           optional queue name; rows without one form the queue "default"
// Separator: comma or semicolon (detected from the header); fields may be quoted
// with double quotes. Blank lines are skipped.
import { parseUtcInstant } from './forecast.ts';
import type { ForecastObservation } from './forecast.types.ts';
import type { WfmIssue } from './wfm.errors.ts';

export type ForecastCsvResult = {
  /** The rows that passed every check, in file order. */
  history: ForecastObservation[];
  /** One issue per rejected row or header problem, with its 1-based line (header = 1). */
  issues: WfmIssue[];
  /** Data lines read (blank lines excluded). */
  rows: number;
};

const REQUIRED = ['interval_start', 'offered', 'aht_seconds'] as const;

export function parseForecastHistoryCsv(text: string): ForecastCsvResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const issues: WfmIssue[] = [];
  const history: ForecastObservation[] = [];
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) {
    return { history, issues: [{ field: 'header', message: 'the file is empty', line: 1 }], rows: 0 };
  }
  const headerLine = lines[headerIndex]!;
  const separator = headerLine.split(';').length > headerLine.split(',').length ? ';' : ',';
  const header = splitCsvLine(headerLine, separator).map((h) => h.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const missing = REQUIRED.filter((name) => column(name) < 0);
  if (missing.length > 0) {
    issues.push({
      field: 'header',
      message: `missing column(s) ${missing.join(', ')}; expected interval_start, offered, aht_seconds and optionally queue`,
      line: headerIndex + 1,
    });
    return { history, issues, rows: 0 };
  }
  const startColumn = column('interval_start');
  const offeredColumn = column('offered');
  const ahtColumn = column('aht_seconds');
  const queueColumn = column('queue');
  const seen = new Map<string, number>();
  let rows = 0;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    rows++;
    const line = i + 1;
    const fields = splitCsvLine(text, separator);
    const reject = (field: string, message: string) => issues.push({ field, message, line });
    if (fields.length < header.length) {
      reject('row', `has ${fields.length} field(s), the header has ${header.length}`);
      continue;
    }
    const start = fields[startColumn]!.trim();
    const t = parseUtcInstant(start);
    if (Number.isNaN(t)) {
      reject('interval_start', `"${start}" is not an ISO 8601 UTC instant (e.g. 2025-03-03T08:15:00Z)`);
      continue;
    }
    const offeredText = fields[offeredColumn]!.trim();
    const offered = Number(offeredText);
    if (offeredText === '' || !Number.isFinite(offered) || offered < 0) {
      reject('offered', `"${offeredText}" is not a number ≥ 0`);
      continue;
    }
    const ahtText = fields[ahtColumn]!.trim();
    let aht: number | null = null;
    if (ahtText === '') {
      if (offered > 0) {
        reject('aht_seconds', 'is empty although contacts were offered');
        continue;
      }
    } else {
      aht = Number(ahtText);
      if (!Number.isFinite(aht) || aht <= 0) {
        reject('aht_seconds', `"${ahtText}" is not a number > 0`);
        continue;
      }
    }
    const queue = queueColumn >= 0 ? fields[queueColumn]!.trim() : '';
    const key = `${queue}\u0000${t}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      reject(
        'interval_start',
        `repeats ${start}${queue ? ` for queue ${queue}` : ''} (first on line ${earlier})`,
      );
      continue;
    }
    seen.set(key, line);
    history.push({
      intervalStart: new Date(t).toISOString(),
      offered,
      ahtSeconds: aht,
      ...(queue ? { queue } : {}),
    });
  }
  return { history, issues, rows };
}

/** Splits one CSV line; double quotes enclose fields and `""` is a literal quote. */
function splitCsvLine(line: string, separator: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        current += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === separator) {
      fields.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  fields.push(current);
  return fields;
}

/** Writes history as CSV in the format parseForecastHistoryCsv reads (for examples and exports). */
export function formatForecastHistoryCsv(history: ForecastObservation[]): string {
  const withQueue = history.some((h) => h.queue !== undefined);
  const header = withQueue
    ? 'interval_start,offered,aht_seconds,queue'
    : 'interval_start,offered,aht_seconds';
  const lines = history.map((h) => {
    const base = `${h.intervalStart.replace('.000Z', 'Z')},${h.offered},${h.ahtSeconds ?? ''}`;
    return withQueue ? `${base},${csvField(h.queue ?? '')}` : base;
  });
  return `${header}\n${lines.join('\n')}\n`;
}

function csvField(value: string): string {
  return /[",;\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
