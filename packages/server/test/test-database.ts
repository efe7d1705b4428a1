// Each test file gets its own database: a copy of the migrated PGlite template,
// or, when CENTRALINO_TEST_DATABASE_URL points at a PostgreSQL server (CI), a
// fresh schema there, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../src/db/database.ts';

export const testDatabaseUrl = process.env.CENTRALINO_TEST_DATABASE_URL || undefined;
export const testDatabaseKind = testDatabaseUrl ? 'postgres' : 'pglite';

let template: Blob | undefined;

export async function openTestDatabase(): Promise<Database> {
  if (testDatabaseUrl) {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const db = await openDatabase({ databaseUrl: testDatabaseUrl, schema, poolSize: 4 });
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
