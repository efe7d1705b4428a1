// Planner statistics for embedded PGlite. A PostgreSQL server's autovacuum
// keeps them; PGlite has no autovacuum, and without statistics the planner
// cannot see that `org_id = app_current_org()` (added by row-level security to
// every query) matches most of a table, so it picks organization-wide index
// scans for lookups. So the server analyzes at start and then periodically.
import { sql } from 'kysely';
import type { Database } from './database.ts';

/** ANALYZE the application's tables (those of its schema, not the whole cluster's). */
export async function analyzeDatabase(db: Database): Promise<void> {
  await db.asCenter(async (tx) => {
    const tables = await sql<{ name: string }>`
      select quote_ident(tablename) as name from pg_tables where schemaname = current_schema()`.execute(tx);
    if (tables.rows.length === 0) return;
    await sql.raw(`analyze ${tables.rows.map((t) => t.name).join(', ')}`).execute(tx);
  });
}

/** On PGlite: analyze now and every `intervalMs`; returns the stop function. Nothing on a server. */
export function keepStatistics(
  db: Database,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): () => void {
  if (db.kind !== 'pglite') return () => {};
  const run = () => analyzeDatabase(db).catch((error) => options.onError?.(error));
  void run();
  const timer = setInterval(run, options.intervalMs ?? 15 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
