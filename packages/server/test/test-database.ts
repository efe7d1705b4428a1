// Each test file gets its own database: a copy of the migrated PGlite template,
// or, when CENTRALINO_TEST_DATABASE_URL points at a PostgreSQL server (CI), a
// fresh schema there, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../src/db/database.ts';

export const testDatabaseUrl = process.env.CENTRALINO_TEST_DATABASE_URL || undefined;
export const testDatabaseKind = testDatabaseUrl ? 'postgres' : 'pglite';

let templateBytes: Buffer | undefined;

/**
 * The migrated template as PGlite reads it (`type` and `arrayBuffer()` are all
 * it uses). Not a real Blob: Node reads a 44 MB Blob back in small chunks and
 * joins them, about 0.2 s per database opened; this hands PGlite a copy of the
 * bytes read once per worker.
 */
function template(): Blob {
  templateBytes ??= readFileSync(inject('pgliteTemplate'));
  const bytes = templateBytes;
  return {
    type: 'application/x-tar',
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  } as Blob;
}

/** Small shared buffers: a test database holds little, and zeroing 128 MB was half of opening one. */
const TEST_PGLITE_SETTINGS = { shared_buffers: '16MB' };

export async function openTestDatabase(options: { poolSize?: number } = {}): Promise<Database> {
  if (testDatabaseUrl) {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const db = await openDatabase({ databaseUrl: testDatabaseUrl, schema, poolSize: options.poolSize ?? 4 });
    const close = db.close;
    return {
      ...db,
      close: async () => {
        await sql.raw(`drop schema ${schema} cascade`).execute(db.kysely);
        await close();
      },
    };
  }
  return openDatabase({
    dataDir: 'memory://',
    loadDataDir: template(),
    pgliteSettings: TEST_PGLITE_SETTINGS,
  });
}

/**
 * Environment for running the CLI against a database of its own: a PGlite
 * folder (migrated, or `empty`), or a fresh schema on the test PostgreSQL
 * server (selected through the connection string's `options`; its first
 * command migrates it).
 */
export async function createCliDatabaseEnv(options: { empty?: boolean } = {}): Promise<{
  env: NodeJS.ProcessEnv;
  cleanup: () => Promise<void>;
}> {
  if (testDatabaseUrl) {
    const schema = `cli_${randomBytes(6).toString('hex')}`;
    const url = new URL(testDatabaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const admin = await openDatabase({ databaseUrl: testDatabaseUrl, schema, migrate: false, poolSize: 1 });
    return {
      // A server needs its secret key configured (the data folder is not where its data lives).
      env: { DATABASE_URL: url.toString(), CENTRALINO_SECRET_KEY: 'cd'.repeat(32) },
      cleanup: async () => {
        await sql.raw(`drop schema ${schema} cascade`).execute(admin.kysely);
        await admin.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'centralino-cli-'));
  // Unless asked empty, the folder starts as a copy of the migrated template:
  // a command on an empty folder first creates the database (initdb, ~7 s in
  // WebAssembly), which cli.test.ts covers once.
  if (!options.empty) {
    const seeded = await openDatabase({ dataDir: dir, loadDataDir: template() });
    await seeded.close();
  }
  return {
    env: { CENTRALINO_DATA: dir },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
