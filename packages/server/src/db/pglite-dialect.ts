// A Kysely dialect over embedded PGlite. PGlite has a single connection, so
// the driver hands it out to one unit of work at a time: every Kysely
// `connection()` / `transaction()` (and each standalone query) waits its turn
// in one FIFO queue. That is what lets tenant settings made with
// set_config(..., true) stay private to the transaction that made them.
import type { PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

export function createPGliteDialect(pg: PGlite): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => createDriver(pg),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

type QueuedConnection = DatabaseConnection & { release: () => void };

function createDriver(pg: PGlite): Driver {
  let tail: Promise<void> = Promise.resolve();

  const connection = (release: () => void): QueuedConnection => ({
    release,
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      // Like node-postgres, a statement without parameters goes through the
      // simple query protocol, which accepts several statements (migrations,
      // `begin; select set_config(...)`); the last statement's rows are returned.
      const result =
        query.parameters.length === 0
          ? ((await pg.exec(query.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
          : await pg.query<R>(query.sql, query.parameters as unknown[]);
      return {
        rows: result.rows as R[],
        numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
      };
    },
    streamQuery(): AsyncIterableIterator<QueryResult<never>> {
      throw new Error('Streaming queries are not supported on embedded PGlite');
    },
  });

  const run = async (conn: DatabaseConnection, sql: string) => {
    await (conn as QueuedConnection).executeQuery({ sql, parameters: [] } as unknown as CompiledQuery);
  };

  return {
    async init() {},
    async acquireConnection() {
      let release!: () => void;
      const turn = new Promise<void>((resolve) => {
        release = resolve;
      });
      const previous = tail;
      tail = previous.then(() => turn);
      await previous;
      return connection(release);
    },
    async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) {
      const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
      await run(conn, `begin${level}`);
    },
    async commitTransaction(conn: DatabaseConnection) {
      await run(conn, 'commit');
    },
    async rollbackTransaction(conn: DatabaseConnection) {
      await run(conn, 'rollback');
    },
    async releaseConnection(conn: DatabaseConnection) {
      (conn as QueuedConnection).release();
    },
    async destroy() {
      await tail;
      await pg.close();
    },
  };
}
