import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/test-database.ts';
import type { Database } from './database.ts';
import { loadMigrations, MigrationChecksumError, runMigrations } from './migrate.ts';

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('migrations', () => {
  it('are recorded and a second run applies nothing', async () => {
    const migrations = loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(await db.pendingMigrations()).toEqual([]);
    const applied = await db.kysely.selectFrom('schema_migrations').select('version').execute();
    expect(applied.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
  });

  it('refuse to run when an applied migration file was edited', async () => {
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(runMigrations(db.kysely, edited)).rejects.toBeInstanceOf(MigrationChecksumError);
  });

  it('apply a new migration exactly once', async () => {
    if (db.kind === 'pglite') {
      // The embedded app role may not create tables: migrate as the owner, as openDatabase does.
      await sql.raw('reset role').execute(db.kysely);
    }
    const extra = {
      version: '9999',
      name: 'probe',
      sql: 'create table probe (id int);',
      checksum: 'probe-1',
    };
    const first = await runMigrations(db.kysely, [...loadMigrations(), extra]);
    expect(first.applied).toEqual(['9999_probe']);
    const second = await runMigrations(db.kysely, [...loadMigrations(), extra]);
    expect(second).toEqual({ applied: [], alreadyApplied: loadMigrations().length + 1 });
  });
});
