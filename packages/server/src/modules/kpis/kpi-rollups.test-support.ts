// What the rollup tests compare: both tables of rollups (0008 per operator,
// 0013 summed over operators), and whether the second is the first summed over
// operator — computed here in SQL, independently of kpi-rollups.service.ts.
import { COUNTER_NAMES } from '@centralino/engine';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { COUNTER_COLUMNS } from './kpi-rollups.service.ts';

/** Every row of both rollup tables of the organization, in key order, comparable across organizations. */
export function rollupTables(db: Database, orgId: string) {
  return db.readForOrg(orgId, async (tx) => {
    const rows = async (table: 'kpi_rollups' | 'kpi_rollups_all_operators') => {
      const result = await sql<Record<string, unknown>>`
        select * from ${sql.table(table)} where org_id = ${orgId}::uuid
        order by interval_start, queue, campaign, ${sql.raw(table === 'kpi_rollups' ? 'operator, ' : '')}channel, direction`.execute(
        tx,
      );
      return result.rows.map(
        ({ org_id: _org, ...row }): Record<string, unknown> => ({
          ...row,
          interval_start: new Date(row.interval_start as string).toISOString(),
        }),
      );
    };
    return { perOperator: await rows('kpi_rollups'), allOperators: await rows('kpi_rollups_all_operators') };
  });
}

/**
 * Keys where kpi_rollups_all_operators differs from kpi_rollups summed over
 * operator (sums, the maximum wait by max), either way: empty when it holds.
 */
export function allOperatorsMismatches(db: Database, orgId: string) {
  return db.readForOrg(orgId, async (tx) => {
    const columns = COUNTER_NAMES.map((name) => sql.raw(COUNTER_COLUMNS[name]));
    const summed = sql.join(
      COUNTER_NAMES.map((name) =>
        name === 'maxQueueWaitMs'
          ? sql`max(${sql.raw(COUNTER_COLUMNS[name])}) as ${sql.raw(COUNTER_COLUMNS[name])}`
          : sql`sum(${sql.raw(COUNTER_COLUMNS[name])})::bigint as ${sql.raw(COUNTER_COLUMNS[name])}`,
      ),
    );
    const row = (alias: string) => sql.join(columns.map((c) => sql`${sql.raw(alias)}.${c}`));
    const result = await sql<{ interval_start: string; queue: string; campaign: string }>`
      with s as (
        select interval_start, queue, campaign, channel, direction, ${summed}
        from kpi_rollups where org_id = ${orgId}::uuid
        group by interval_start, queue, campaign, channel, direction
      ), a as (select * from kpi_rollups_all_operators where org_id = ${orgId}::uuid)
      select coalesce(s.interval_start, a.interval_start) as interval_start,
             coalesce(s.queue, a.queue) as queue, coalesce(s.campaign, a.campaign) as campaign
      from s full join a using (interval_start, queue, campaign, channel, direction)
      where s.interval_start is null or a.interval_start is null
         or (${row('s')}) is distinct from (${row('a')})`.execute(tx);
    return result.rows;
  });
}
