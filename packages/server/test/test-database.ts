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

let template: Blob | undefined;

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
  template ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
  return openDatabase({ dataDir: 'memory://', loadDataDir: template });
}

/**
 * Environment for running the CLI against a database of its own: a fresh
 * PGlite folder, or a fresh schema on the test PostgreSQL server (selected
 * through the connection string's `options`).
 */
export async function createCliDatabaseEnv(): Promise<{
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
  return {
    env: { CENTRALINO_DATA: dir },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
