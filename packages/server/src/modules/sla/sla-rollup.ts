// The organization's KPI rollups of a period as the engine's KpiRollup, for
// engine/sla. The 15-minute rows (kpis module, 0008_kpi_rollups.sql) are summed
// in SQL over the dimensions no metric of the contract filters on, so a month
// reads at most one row per interval and filtered value, not one per operator;
// from the rows already summed over operators (0013) when no metric names one.
import {
  COUNTER_NAMES,
  countingSettingsOf,
  type KpiCounters,
  type KpiRollup,
  type KpiSettings,
  type RollupDimension,
  type RollupFilter,
  type RollupRow,
} from '@centralino/engine';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { COUNTER_COLUMNS } from '../kpis/kpi-rollups.service.ts';

const COLUMN_DIMENSIONS = ['queue', 'campaign', 'operator', 'channel', 'direction'] as const;

export async function loadSlaRollup(
  tx: Tx,
  options: {
    orgId: string;
    settings: KpiSettings;
    fromMs: number;
    toMs: number;
    /** The metrics' filters: the dimensions they name are kept, the others summed away. */
    filters: readonly RollupFilter[];
  },
): Promise<KpiRollup> {
  const { orgId, settings, fromMs, toMs } = options;
  const kept = COLUMN_DIMENSIONS.filter((d) =>
    options.filters.some((f) => f[d as RollupDimension] !== undefined),
  );
  // Summed as float8, not as the numeric that sum(bigint) gives: numeric additions
  // were most of the query (a month at 10 M interactions: 305 → 131 ms). Exact: the
  // counters are whole counts and milliseconds, and a month's sum of any of them stays
  // far below 2^53.
  const sums = sql.join(
    COUNTER_NAMES.map((name) =>
      name === 'maxQueueWaitMs'
        ? sql`max(${sql.ref(COUNTER_COLUMNS[name])})::float8 as ${sql.ref(name)}`
        : sql`sum(${sql.ref(COUNTER_COLUMNS[name])}::float8) as ${sql.ref(name)}`,
    ),
  );
  // A kept dimension keeps only the values a filter names; every other value is
  // summed into '' (read as null, which no filter matches), so a metric on one
  // queue reads that queue's rows and the rest one row per interval, not one per queue.
  // A filter on "no queue" (null) reads the '' rows themselves: that dimension stays whole.
  const bucket = (d: (typeof COLUMN_DIMENSIONS)[number]) => {
    const values = options.filters.map((f) => f[d as RollupDimension]).filter((v) => v !== undefined);
    if (values.some((v) => v === null || v === '')) return sql.ref(d);
    return sql`case when ${sql.ref(d)} in (${sql.join([...new Set(values)])}) then ${sql.ref(d)} else '' end`;
  };
  const dimensions =
    kept.length > 0 ? sql`, ${sql.join(kept.map((d) => sql`${bucket(d)} as ${sql.ref(d)}`))}` : sql``;
  // By position: the buckets' parameters would make the same expression twice a different one.
  const groupBy = sql.raw(Array.from({ length: 1 + kept.length }, (_, i) => String(i + 1)).join(', '));
  // A month of rollups is tens of thousands of rows to sum: PostgreSQL's JIT compiles the
  // plan for longer than it saves on them (measured at 10 M interactions: 262 → 186 ms). With
  // the default 4 MB of work_mem the planner sorts the rows (50 sums each, spilling to disk)
  // instead of hashing them into their groups: 32 MB for this transaction halves the
  // report by day (measured at 10 M interactions on a loaded 2-core VM: ~210 → ~110 ms).
  await sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`.execute(tx);
  const result = await sql<Record<string, string | number>>`
    select (extract(epoch from interval_start) * 1000)::float8 as start_ms ${dimensions}, ${sums}
    from ${sql.table(kept.includes('operator') ? 'kpi_rollups' : 'kpi_rollups_all_operators')}
    where org_id = ${orgId}::uuid
      and interval_start >= ${new Date(fromMs).toISOString()}::timestamptz
      and interval_start < ${new Date(toMs).toISOString()}::timestamptz
    group by ${groupBy}`.execute(tx);
  const rows: RollupRow[] = result.rows.map((row) => {
    const counters = {} as KpiCounters;
    for (const name of COUNTER_NAMES) counters[name] = Number(row[name]);
    const dimension = (d: (typeof COLUMN_DIMENSIONS)[number]) =>
      kept.includes(d) && row[d] !== '' ? (row[d] as string) : null;
    return {
      intervalStartMs: Number(row.start_ms),
      orgId,
      queue: dimension('queue'),
      campaign: dimension('campaign'),
      operator: dimension('operator'),
      channel: dimension('channel'),
      direction: dimension('direction') as RollupRow['direction'],
      counters,
    };
  });
  return { settings: countingSettingsOf(settings), rows };
}
