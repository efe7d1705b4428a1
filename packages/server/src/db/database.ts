// The one way the server reaches PostgreSQL: embedded PGlite in a data folder
// (default) or a PostgreSQL server (DATABASE_URL), behind the same Kysely API.
//
// All tenant work runs in a unit of work that sets its context with
// set_config(..., true), so the settings die with the transaction and PGlite's
// single shared connection never leaks one tenant's context into the next.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataFolder } from './data-lock.ts';
import { type MigrationReport, pendingMigrations, runMigrations } from './migrate.ts';
import { createPipelinedPool, DEFERRED, DEFERRED_END } from './pg-pipelined-pool.ts';
import { createPGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';
export type Scope = 'tenant' | 'center' | 'auth';
export type Tx = Kysely<DB>;

export type Database = {
  kind: DatabaseKind;
  /** Where the data lives, without credentials (for logs and `centralino` output). */
  location: string;
  /** The bare handle: no tenant context. For health checks and migrations only. */
  kysely: Kysely<DB>;
  /** A unit of work for one organization: row-level security sees only its rows. */
  forOrg<T>(orgId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Like forOrg, read-only (PostgreSQL refuses writes in it) and cheaper: use it for every read. */
  readForOrg<T>(orgId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Center-wide administration (all organizations, accounts). Callers must be admins or the system. */
  asCenter<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Credential verification before a tenant is known (sessions, API keys, login). */
  forAuth<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  migrationReport: MigrationReport | null;
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
};

export type OpenDatabaseOptions = {
  /** postgres://… ; when absent, embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; `memory://` for a throwaway in-memory database. */
  dataDir?: string | undefined;
  /** PGlite only: start from a dumped data folder (tests start from a migrated template). */
  loadDataDir?: Blob | undefined;
  /**
   * PGlite only: server settings for this instance (`-c name=value` at start).
   * Tests give their many small databases 16 MB of shared buffers: zeroing the
   * default 128 MB was half the time of opening one.
   */
  pgliteSettings?: Record<string, string> | undefined;
  /** PostgreSQL only: run in this schema (created if missing); tests use one schema each. */
  schema?: string | undefined;
  /** Apply pending migrations while opening (default true). */
  migrate?: boolean | undefined;
  poolSize?: number | undefined;
};

export const APP_ROLE = 'centralino_app';
/** Extensions the migrations create (none today); PGlite must load their WebAssembly before it can. */
export const PGLITE_EXTENSIONS = {};

// Both drivers return SQL `date` as its 'YYYY-MM-DD' text (a calendar date has
// no time zone; a JS Date would shift it) and `bigint` as a decimal string (it
// may exceed 2^53), so results look the same on PGlite and PostgreSQL.
const DATE_OID = 1082;
const INT8_OID = 20;
const asText = (value: string) => value;
const PGLITE_PARSERS = { [DATE_OID]: asText, [INT8_OID]: asText };
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID || oid === INT8_OID
      ? asText
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class DatabaseRoleError extends Error {
  readonly code = 'DATABASE_ROLE_PRIVILEGED';
}

export class InvalidOrganizationIdError extends Error {
  readonly code = 'ORGANIZATION_ID_INVALID';
  constructor() {
    super('Organization id must be a UUID');
  }
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options, options.databaseUrl) : openPGlite(options);
}

async function openPGlite(options: OpenDatabaseOptions): Promise<Database> {
  const dataDir = options.dataDir ?? './data';
  let unlock = () => {};
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataFolder(dataDir);
  }
  let kysely: Kysely<DB> | undefined;
  try {
    const pglite = await PGlite.create(dataDir, {
      extensions: PGLITE_EXTENSIONS,
      parsers: PGLITE_PARSERS,
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      ...(options.pgliteSettings
        ? {
            startParams: [
              ...PGlite.defaultStartParams,
              ...Object.entries(options.pgliteSettings).flatMap(([name, value]) => [
                '-c',
                `${name}=${value}`,
              ]),
            ],
          }
        : {}),
    });
    kysely = new Kysely<DB>({ dialect: createPGliteDialect(pglite) });
    // PGlite opens as its superuser: migrate as the owner, then drop to a
    // role without superuser or BYPASSRLS so that row-level security applies.
    const migrationReport = options.migrate === false ? null : await runMigrations(kysely);
    await sql
      .raw(
        `do $$ begin
           if not exists (select from pg_roles where rolname = '${APP_ROLE}') then
             create role ${APP_ROLE} nologin nosuperuser nobypassrls;
           end if;
         end $$;
         grant usage on schema public to ${APP_ROLE};
         grant select, insert, update, delete on all tables in schema public to ${APP_ROLE};
         revoke insert, update, delete on schema_migrations from ${APP_ROLE};
         grant usage, select on all sequences in schema public to ${APP_ROLE};
         grant maintain on all tables in schema public to ${APP_ROLE};
         set role ${APP_ROLE};`,
      )
      .execute(kysely);
    const database = createDatabase({ kind: 'pglite', location: dataDir, kysely, migrationReport });
    return {
      ...database,
      close: async () => {
        try {
          await database.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    await kysely?.destroy();
    unlock();
    throw error;
  }
}

async function openPostgres(options: OpenDatabaseOptions, databaseUrl: string): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  const pool = createPipelinedPool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    const role = await sql<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>`
      select rolname, rolsuper, rolbypassrls from pg_roles where rolname = current_user`.execute(kysely);
    const me = role.rows[0];
    if (me && (me.rolsuper || me.rolbypassrls)) {
      throw new DatabaseRoleError(
        `The database role "${me.rolname}" is a superuser or bypasses row-level security, so tenant ` +
          'isolation would not be enforced. Connect as a dedicated role, for example: ' +
          "CREATE ROLE centralino LOGIN PASSWORD '…' NOSUPERUSER NOBYPASSRLS; " +
          'CREATE DATABASE centralino OWNER centralino;',
      );
    }
    if (schema) await sql.raw(`create schema if not exists ${schema}`).execute(kysely);
    const migrationReport = options.migrate === false ? null : await runMigrations(kysely);
    return createDatabase({
      kind: 'postgres',
      location: describeUrl(databaseUrl, schema),
      kysely,
      migrationReport,
    });
  } catch (error) {
    await kysely.destroy();
    throw error;
  }
}

function createDatabase(parts: {
  kind: DatabaseKind;
  location: string;
  kysely: Kysely<DB>;
  migrationReport: MigrationReport | null;
}): Database {
  const { kysely } = parts;

  const postgres = parts.kind === 'postgres';

  async function unitOfWork<T>(
    orgId: string,
    scope: Scope,
    readOnly: boolean,
    work: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    // Both values are validated or constants, so they can be inlined: BEGIN
    // and the context then travel as one simple-protocol message, which the
    // PostgreSQL pool sends together with the first statement.
    if (orgId !== '' && !UUID.test(orgId)) throw new InvalidOrganizationIdError();
    const begin =
      `${postgres ? DEFERRED : ''}begin${readOnly ? ' read only' : ''}; ` +
      `select set_config('app.org_id', '${orgId}', true), set_config('app.scope', '${scope}', true)`;
    // Control statements skip Kysely's builder: they run on every request.
    const run = (tx: Tx, text: string) => tx.executeQuery(CompiledQuery.raw(text));
    return kysely.connection().execute(async (tx) => {
      await run(tx, begin);
      let result: T;
      try {
        result = await work(tx);
      } catch (error) {
        // The work's error is the one worth reporting; a failed rollback
        // (connection already gone) must not replace it.
        await run(tx, 'rollback').catch(() => undefined);
        throw error;
      }
      // A read-only transaction has nothing to commit: on PostgreSQL its end
      // needs no answer and rides with the connection's next packet.
      await run(tx, readOnly ? `${postgres ? DEFERRED_END : ''}rollback` : 'commit');
      return result;
    });
  }

  return {
    ...parts,
    forOrg: (orgId, work) => unitOfWork(orgId, 'tenant', false, work),
    readForOrg: (orgId, work) => unitOfWork(orgId, 'tenant', true, work),
    asCenter: (work) => unitOfWork('', 'center', false, work),
    forAuth: (work) => unitOfWork('', 'auth', false, work),
    pendingMigrations: () => pendingMigrations(kysely),
    close: () => kysely.destroy(),
  };
}

function describeUrl(databaseUrl: string, schema: string | undefined): string {
  try {
    const url = new URL(databaseUrl);
    const where = `PostgreSQL ${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
    return schema ? `${where} (schema ${schema})` : where;
  } catch {
    return 'PostgreSQL';
  }
}
