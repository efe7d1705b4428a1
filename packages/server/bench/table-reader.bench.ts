// Throughput and memory of openTable on a generated 1,000,000-row, 10-column
// CSV (about 100 MB), against csv-parse reading the same file in the same
// process as the baseline. `npm run bench table-reader`; rows from
// CENTRALINO_BENCH_READER_ROWS (default 1,000,000).
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { BenchContext } from '../../../bench/lib.ts';
import { openTable } from '../src/modules/imports/reader/table-reader.ts';

export const title = 'Import reader: CSV rows/s and memory, against csv-parse';

const GOAL_ROWS_PER_SECOND = 300_000;

export async function run(ctx: BenchContext): Promise<void> {
  const rows = Number(process.env.CENTRALINO_BENCH_READER_ROWS ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'centralino-reader-measure-'));
  try {
    const utf8 = join(dir, 'supporters.csv');
    const cp1252 = join(dir, 'supporters-cp1252.csv');
    await writeCsv(utf8, rows, ',', 'utf8');
    await writeCsv(cp1252, rows, ';', 'latin1');
    const parameters = { rows, columns: 10, chunkBytes: 65_536 };

    const baseline = await timeRows(async () => {
      let count = 0;
      for await (const _ of createReadStream(utf8).pipe(parse({ relax_column_count: true }))) count++;
      return count - 1;
    });
    const reader = await timeRows(() => countTableRows(utf8));
    const windows = await timeRows(() => countTableRows(cp1252));
    ctx.record({
      name: 'csv-parse (baseline, no line numbers)',
      value: baseline,
      unit: 'rows/s',
      parameters,
    });
    ctx.record({
      name: 'openTable, UTF-8 with `,`',
      value: reader,
      unit: 'rows/s',
      goal: { op: '>=', value: GOAL_ROWS_PER_SECOND },
      parameters,
    });
    ctx.record({ name: 'openTable, Windows-1252 with `;`', value: windows, unit: 'rows/s', parameters });
    ctx.record({ name: 'openTable vs csv-parse', value: reader / baseline, unit: 'x', parameters });

    // Memory: resident size while streaming, over the size before opening.
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const table = await openTable(utf8);
    let count = 0;
    for await (const _ of table.rows) {
      if (++count % 65_536 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    ctx.record({
      name: 'resident memory growth while streaming',
      value: (peak - before) / 2 ** 20,
      unit: 'MiB',
      parameters,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function countTableRows(path: string): Promise<number> {
  const table = await openTable(path);
  let count = 0;
  for await (const _ of table.rows) count++;
  return count;
}

/** Best of three runs, in rows per second. */
async function timeRows(read: () => Promise<number>): Promise<number> {
  let best = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const count = await read();
    best = Math.max(best, count / ((performance.now() - start) / 1000));
  }
  return best;
}

async function writeCsv(
  path: string,
  rows: number,
  delimiter: string,
  encoding: BufferEncoding,
): Promise<void> {
  const out = createWriteStream(path);
  const d = delimiter;
  let text = ['id', 'nome', 'cognome', 'email', 'telefono', 'citta', 'cap', 'importo', 'data', 'nota'].join(
    d,
  );
  text += '\n';
  for (let i = 1; i <= rows; i++) {
    const amount = delimiter === ';' ? `${i % 1000},50` : `${i % 1000}.50`;
    text +=
      `${i}${d}Niccolò${i % 97}${d}Rossi${i % 89}${d}n.rossi${i}@example.it${d}+39333${String(i).padStart(7, '0')}` +
      `${d}Forlì${d}${20100 + (i % 50)}${d}${amount}${d}2024-03-${String((i % 28) + 1).padStart(2, '0')}${d}nota ${i % 7}\n`;
    if (text.length > 1 << 16) {
      if (!out.write(Buffer.from(text, encoding))) await once(out, 'drain');
      text = '';
    }
  }
  out.end(Buffer.from(text, encoding));
  await finished(out);
}
