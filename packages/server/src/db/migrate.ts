// Plain SQL migrations in ./migrations, applied in file-name order, each in its
// own transaction, recorded in schema_migrations with a checksum. Running them
// twice is a no-op; an applied migration whose file changed is an error (a
// released migration is never edited: add a new one).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

export type Migration = { version: string; name: string; sql: string; checksum: string };
export type MigrationReport = { applied: string[]; alreadyApplied: number };

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new Error(`Migration file name must look like 0001_name.sql: ${file}`);
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: match[1]!,
        name: match[2]!,
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

export class MigrationChecksumError extends Error {
  readonly code = 'MIGRATION_CHANGED';
  constructor(version: string) {
    super(
      `Migration ${version} was changed after it was applied to this database; add a new migration instead`,
    );
  }
}

async function ensureTable(db: Kysely<DB>) {
  // Checked first: CREATE ... IF NOT EXISTS still needs the CREATE privilege,
  // which the embedded application role does not have.
  const exists = await sql<{
    table: string | null;
  }>`select to_regclass('schema_migrations')::text as table`.execute(db);
  if (exists.rows[0]?.table) return;
  await sql`create table if not exists schema_migrations (
    version text primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(db);
}

export async function appliedMigrations(db: Kysely<DB>) {
  return db.selectFrom('schema_migrations').select(['version', 'checksum']).orderBy('version').execute();
}

export async function runMigrations(db: Kysely<DB>, migrations = loadMigrations()): Promise<MigrationReport> {
  await ensureTable(db);
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  for (const migration of migrations) {
    await db.transaction().execute(async (trx) => {
      // Serialises concurrent starters (several nodes on one PostgreSQL).
      await sql`select pg_advisory_xact_lock(7355608)`.execute(trx);
      const existing = await trx
        .selectFrom('schema_migrations')
        .select('checksum')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (existing) {
        if (existing.checksum !== migration.checksum) throw new MigrationChecksumError(migration.version);
        report.alreadyApplied++;
        return;
      }
      // Migrations may seed rows into tables under row-level security.
      await sql`select set_config('app.scope', 'center', true)`.execute(trx);
      await sql.raw(migration.sql).execute(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, checksum: migration.checksum })
        .execute();
      report.applied.push(`${migration.version}_${migration.name}`);
    });
  }
  return report;
}

/** Versions known to this build but not yet applied (empty = current). */
export async function pendingMigrations(db: Kysely<DB>, migrations = loadMigrations()): Promise<string[]> {
  const applied = new Set((await appliedMigrations(db)).map((row) => row.version));
  return migrations.filter((m) => !applied.has(m.version)).map((m) => `${m.version}_${m.name}`);
}
