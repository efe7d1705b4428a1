// Supporter import at scale (issue 5): a generated CSV of realistic Italian
// supporters (valid fiscal codes, mobiles, e-mails, dd/mm/yyyy dates, `;`),
// imported through the same pipeline as `centralino import` — full validation,
// matching on external id and the dedupe rules, upserts, timeline events —
// into an empty organization, then imported again (all rows unchanged). The
// baseline is a raw COPY of the same file into a table of text columns, in the
// same run: what the database alone can take.
//
// PostgreSQL needs CENTRALINO_BENCH_DATABASE_URL (a fresh schema per run).
// Rows: CENTRALINO_BENCH_IMPORT_ROWS (default 200,000 on PostgreSQL) and
// CENTRALINO_BENCH_IMPORT_ROWS_PGLITE (default 50,000: PGlite is one
// WebAssembly thread). The 1,000,000 rows: set the variable; at the
// rates measured on the 2-core VM that run takes about ten minutes.
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createRandom } from '@centralino/engine';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BenchContext } from '../../../bench/lib.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import {
  FEMALE_NAMES,
  MALE_NAMES,
  PLACES,
  personalFiscalCode,
  SURNAMES,
} from '../src/demo/italian-people.ts';
import { runImport } from '../src/modules/imports/import.service.ts';
import { createOrganization } from '../src/modules/organizations/organizations.service.ts';
import { createSecretBox } from '../src/security/secret-box.ts';

export const title = 'Supporter import: rows/s with validation and matching, against raw COPY';

const GOAL_ROWS_PER_SECOND = 50_000;
const GOAL_COPY_SHARE = 0.4;
const GOAL_MEMORY_MB = 300;
const HEADER = 'Codice;Nome;Cognome;Data di nascita;Codice fiscale;E-mail;Cellulare;CAP;Città';

export async function run(ctx: BenchContext) {
  const dir = mkdtempSync(join(tmpdir(), 'centralino-import-bench-'));
  try {
    const pgUrl = process.env.CENTRALINO_BENCH_DATABASE_URL;
    if (pgUrl) {
      const rows = Number(process.env.CENTRALINO_BENCH_IMPORT_ROWS ?? 200_000);
      const file = await writeSupportersCsv(join(dir, 'pg.csv'), rows);
      const schema = `bench_${randomBytes(4).toString('hex')}`;
      const db = await openDatabase({ databaseUrl: pgUrl, schema, poolSize: 4 });
      try {
        const copy = await rawCopyPostgres(pgUrl, schema, file);
        await measure(ctx, db, 'PostgreSQL', file, rows, copy);
      } finally {
        await sql.raw(`drop schema ${schema} cascade`).execute(db.kysely);
        await db.close();
      }
    } else {
      ctx.log('CENTRALINO_BENCH_DATABASE_URL not set: PostgreSQL skipped');
    }
    const rows = Number(process.env.CENTRALINO_BENCH_IMPORT_ROWS_PGLITE ?? 50_000);
    const file = await writeSupportersCsv(join(dir, 'pglite.csv'), rows);
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      const copy = await rawCopyPGlite(file);
      await measure(ctx, db, 'PGlite', file, rows, copy);
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(
  ctx: BenchContext,
  db: Database,
  label: string,
  file: string,
  rows: number,
  copy: { rowsPerSecond: number; seconds: number },
) {
  const org = await createOrganization({
    db,
    principal: null,
    slug: `bench-${randomBytes(3).toString('hex')}`,
    name: 'Bench',
  });
  const secrets = createSecretBox(randomBytes(32));
  const parameters = { rows, fileMB: Math.round(statSync(file).size / 1e6), database: label };
  const first = await sampled(() =>
    runImport({ db, secrets, orgId: org.id, kind: 'supporters', path: file, actor: 'bench' }),
  );
  if (first.result.created !== rows)
    throw new Error(`expected ${rows} created, got ${JSON.stringify(first.result)}`);
  const again = await sampled(() =>
    runImport({ db, secrets, orgId: org.id, kind: 'supporters', path: file, actor: 'bench' }),
  );
  if (again.result.unchanged !== rows)
    throw new Error(`expected ${rows} unchanged, got ${JSON.stringify(again.result)}`);
  const rate = rows / first.seconds;
  ctx.record({
    name: `${label}: import into an empty organization`,
    value: rate,
    unit: 'rows/s',
    ...(label === 'PostgreSQL' ? { goal: { op: '>=', value: GOAL_ROWS_PER_SECOND } } : {}),
    parameters: { ...parameters, seconds: round(first.seconds) },
  });
  ctx.record({
    name: `${label}: raw COPY of the same file`,
    value: copy.rowsPerSecond,
    unit: 'rows/s',
    parameters: { ...parameters, seconds: round(copy.seconds) },
  });
  ctx.record({
    name: `${label}: import ÷ raw COPY`,
    value: rate / copy.rowsPerSecond,
    unit: '×',
    ...(label === 'PostgreSQL' ? { goal: { op: '>=', value: GOAL_COPY_SHARE } } : {}),
    parameters,
  });
  ctx.record({
    name: `${label}: the same file again (every row unchanged)`,
    value: rows / again.seconds,
    unit: 'rows/s',
    parameters: { ...parameters, seconds: round(again.seconds) },
  });
  ctx.record({
    name: `${label}: peak memory growth during the import (RSS)`,
    value: Math.max(first.peakGrowthMB, again.peakGrowthMB),
    unit: 'MB',
    ...(label === 'PostgreSQL' ? { goal: { op: '<=', value: GOAL_MEMORY_MB } } : {}),
    parameters: { ...parameters, baselineRssMB: first.baselineMB },
  });
}

/** Runs work while sampling the process's resident memory every 50 ms. */
async function sampled<T>(work: () => Promise<T>) {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const start = performance.now();
  try {
    const result = await work();
    return {
      result,
      seconds: (performance.now() - start) / 1000,
      peakGrowthMB: Math.round((peak - baseline) / 1e6),
      baselineMB: Math.round(baseline / 1e6),
    };
  } finally {
    clearInterval(timer);
  }
}

/** Writes the CSV in chunks (the generator's memory stays small too). */
async function writeSupportersCsv(path: string, rows: number): Promise<string> {
  const random = createRandom(20261201);
  const file = await open(path, 'w');
  try {
    await file.write(`\uFEFF${HEADER}\r\n`);
    let chunk: string[] = [];
    for (let i = 0; i < rows; i++) {
      const female = random() < 0.55;
      const names = female ? FEMALE_NAMES : MALE_NAMES;
      const first = names[Math.floor(random() * names.length)]!;
      const last = SURNAMES[Math.floor(random() * SURNAMES.length)]!;
      const { code, city, cap } = PLACES[Math.floor(random() * PLACES.length)]!;
      const year = 1940 + Math.floor(random() * 62);
      const month = Math.floor(random() * 12);
      const day = 1 + Math.floor(random() * 28);
      const birth = new Date(Date.UTC(year, month, day));
      const fiscal = personalFiscalCode({ firstName: first, lastName: last, birth, female, placeCode: code });
      const mobile = `3${String(20 + Math.floor(random() * 73))} ${String(i % 10_000_000).padStart(7, '0')}`;
      const email = `${first}.${last.replace(/\W/g, '')}.${i}@example.org`.toLowerCase();
      chunk.push(
        `D${i};${first};${last};${String(day).padStart(2, '0')}/${String(month + 1).padStart(2, '0')}/${year};${fiscal};${email};${mobile};${cap};${city}`,
      );
      if (chunk.length === 10_000) {
        await file.write(`${chunk.join('\r\n')}\r\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) await file.write(`${chunk.join('\r\n')}\r\n`);
  } finally {
    await file.close();
  }
  return path;
}

const RAW_TABLE = `create table bench_raw (codice text, nome text, cognome text, nascita text, cf text,
                                           email text, cellulare text, cap text, citta text)`;

async function rawCopyPostgres(url: string, schema: string, file: string) {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query(RAW_TABLE);
    const start = performance.now();
    const stream = client.query(
      copyFrom(`copy bench_raw from stdin with (format csv, delimiter ';', header true, encoding 'UTF8')`),
    );
    await pipeline(createReadStream(file, { start: 3 }), stream); // after the BOM
    const seconds = (performance.now() - start) / 1000;
    const count = await client.query('select count(*)::int as n from bench_raw');
    await client.query('drop table bench_raw');
    return { seconds, rowsPerSecond: count.rows[0].n / seconds };
  } finally {
    await client.end();
  }
}

/** The same COPY on a PGlite of its own (same engine, same process): the app's handle has no COPY path. */
async function rawCopyPGlite(file: string) {
  const pglite = await PGlite.create('memory://');
  try {
    await pglite.exec(RAW_TABLE);
    const blob = new Blob([(await readFile(file)).subarray(3)]); // after the BOM
    const start = performance.now();
    await pglite.query(`copy bench_raw from '/dev/blob' with (format csv, delimiter ';', header true)`, [], {
      blob,
    });
    const seconds = (performance.now() - start) / 1000;
    const count = await pglite.query<{ n: number }>('select count(*)::int as n from bench_raw');
    return { seconds, rowsPerSecond: count.rows[0]!.n / seconds };
  } finally {
    await pglite.close();
  }
}

const round = (value: number) => Math.round(value * 100) / 100;
