// The 15-minute KPI rollups of an organization (kpi_rollups, 0008_kpi_rollups.sql):
// one row per interval start and dimensions with the engine's additive counters.
//
// Every write goes through one operation, rebuilding a range of intervals from
// the raw interactions (rebuildKpiRollups). Maintenance after an import or a
// close finds the intervals the change touches — those of the new interactions
// and of the later ones whose flags they may turn (a later contact of the same
// supporter becomes a repeat; a later attempt on the same list record stops
// being the first) — and rebuilds just those. So the increments are a rebuild
// by construction, and a rebuild of any period gives identical numbers.
//
// The live close has a fast path: an interaction closed for the first time,
// on which no later closed interaction's flags depend (the usual case: calls
// close in about the order they came), has its own counters added to the rows
// it counts in — the same numbers its intervals' rebuild would give (tested
// against a rebuild), at the cost of one interaction instead of every
// interaction of those intervals.
import {
  addCounters,
  COUNTER_NAMES,
  type CounterName,
  countingInstant,
  countingSettingsOf,
  deriveContactFlags,
  emptyCounters,
  interactionContributions,
  intervalStartOf,
  KPI_INTERVAL_MS,
  type KpiCounters,
  type KpiSettings,
  normalizeInteractions,
  type RollupKey,
} from '@centralino/engine';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { checkSlaAlertsAfterClose } from '../sla/sla-alerts.service.ts';
import { HISTORY_LOOKBACK_MS, loadHistory, loadPeriodRecords } from './kpi-history.ts';
import { countingInstantSql, type StoredInteraction, selectInteractionRecords } from './kpi-records.ts';
import { loadKpiSettings } from './kpi-settings.service.ts';

/** The snake_case column of each counter. */
export const COUNTER_COLUMNS: Readonly<Record<CounterName, string>> = Object.fromEntries(
  COUNTER_NAMES.map((name) => [name, name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
) as Record<CounterName, string>;

/** The longest range rebuilt in one read; a day keeps memory to one day's interactions. */
const REBUILD_CHUNK_MS = 86_400_000;
/** Counters kept as a maximum, not a sum (engine/kpi addCounters). */
const MAX_COUNTER_NAMES: ReadonlySet<CounterName> = new Set(['maxQueueWaitMs']);
const NO_FLAGS = { repeatContact: false, firstAttempt: false, firstRightPartyContact: false };
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The organization's rollup lock, held to the end of the transaction: rollups
 * are written under it, and a writer that takes it first also sees every
 * interaction committed by the writer before it (read committed).
 */
export async function lockKpiRollups(tx: Tx, orgId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`kpi_rollups:${orgId}`}))`.execute(tx);
}

/**
 * Recomputes the rollup rows of [fromMs, toMs) (toMs null: to the end) from the
 * stored interactions. `fromMs` and `toMs` are taken down to interval starts.
 */
export async function rebuildKpiRollups(
  tx: Tx,
  options: { orgId: string; fromMs: number; toMs: number | null; settings?: KpiSettings },
): Promise<{ rows: number; interactions: number }> {
  const { orgId } = options;
  // One rebuild of an organization's rollups at a time: two transactions
  // rebuilding the same interval (an import batch and a closing call) would
  // both delete and insert its rows, and the second insert would fail on the
  // key. Held to the end of the transaction; each statement after it sees the
  // other's committed interactions (read committed).
  await lockKpiRollups(tx, orgId);
  const settings = options.settings ?? (await loadKpiSettings(tx, orgId));
  const fromMs = intervalStartOf(options.fromMs);
  const toMs = options.toMs === null ? null : intervalStartOf(options.toMs + KPI_INTERVAL_MS - 1);
  if (toMs !== null && toMs - fromMs <= REBUILD_CHUNK_MS)
    return rebuildRange(tx, orgId, settings, fromMs, toMs);
  // A long range (a month, or everything after a settings change) goes a day
  // at a time, so memory holds one day's interactions, not the whole history.
  await deleteRange(tx, orgId, fromMs, toMs);
  const instant = countingInstantSql(settings.countBy);
  const bounds = await sql<{ first: number | null; last: number | null }>`
    select floor(extract(epoch from least(min(${instant}), min(i.cycle_started_at))) * 1000)::float8 as first,
           floor(extract(epoch from greatest(max(${instant}), max(i.cycle_started_at))) * 1000)::float8 as last
    from interactions i where i.org_id = ${orgId}::uuid and i.end_cause is not null`.execute(tx);
  const { first, last } = bounds.rows[0] ?? { first: null, last: null };
  const total = { rows: 0, interactions: 0 };
  if (first === null || last === null) return total;
  const end = Math.min(toMs ?? Number.POSITIVE_INFINITY, intervalStartOf(last) + KPI_INTERVAL_MS);
  for (let start = Math.max(fromMs, intervalStartOf(first)); start < end; start += REBUILD_CHUNK_MS) {
    const done = await rebuildRange(tx, orgId, settings, start, Math.min(start + REBUILD_CHUNK_MS, end));
    total.rows += done.rows;
    total.interactions += done.interactions;
  }
  return total;
}

/** Rebuilds [fromMs, toMs) (interval starts) in one go. */
async function rebuildRange(
  tx: Tx,
  orgId: string,
  settings: KpiSettings,
  fromMs: number,
  toMs: number | null,
): Promise<{ rows: number; interactions: number }> {
  const { records, flags } = await loadPeriodRecords(tx, orgId, settings, fromMs, toMs);
  const counting = countingSettingsOf(settings);
  const rows = new Map<string, { key: RollupKey; counters: KpiCounters }>();
  for (const record of records) {
    for (const { key, counters } of interactionContributions(
      record,
      flags.get(record.id) ?? NO_FLAGS,
      counting,
    )) {
      if (key.intervalStartMs < fromMs || (toMs !== null && key.intervalStartMs >= toMs)) continue;
      const id = [
        key.intervalStartMs,
        key.queue,
        key.campaign,
        key.operator,
        key.channel,
        key.direction,
      ].join('\u0000');
      let row = rows.get(id);
      if (!row) {
        row = { key, counters: emptyCounters() };
        rows.set(id, row);
      }
      addCounters(row.counters, counters);
    }
  }
  await deleteRange(tx, orgId, fromMs, toMs);
  await insertRows(tx, orgId, [...rows.values()]);
  return { rows: rows.size, interactions: records.length };
}

/** Both tables of rollups (0013): per operator, and summed over operators. */
const ROLLUP_TABLES = ['kpi_rollups', 'kpi_rollups_all_operators'] as const;

async function deleteRange(tx: Tx, orgId: string, fromMs: number, toMs: number | null): Promise<void> {
  for (const table of ROLLUP_TABLES) {
    await sql`
      delete from ${sql.table(table)} where org_id = ${orgId}::uuid and interval_start >= ${iso(fromMs)}::timestamptz
        ${toMs === null ? sql`` : sql`and interval_start < ${iso(toMs)}::timestamptz`}`.execute(tx);
  }
}

/**
 * Writes rows to kpi_rollups and, summed over operators, to
 * kpi_rollups_all_operators: both tables change in the same transaction, by the
 * same counters. `add`: rows that exist get the counters added (the maximum of
 * a maximum), as addCounters does.
 */
async function insertRows(
  tx: Tx,
  orgId: string,
  rows: { key: RollupKey; counters: KpiCounters }[],
  mode: 'insert' | 'add' = 'insert',
) {
  await writeRows(tx, orgId, 'kpi_rollups', rows, mode);
  await writeRows(tx, orgId, 'kpi_rollups_all_operators', summedOverOperators(rows), mode);
}

/** The rows with the operator summed away (addCounters: sums, the maximum wait by max). */
function summedOverOperators(
  rows: readonly { key: RollupKey; counters: KpiCounters }[],
): { key: RollupKey; counters: KpiCounters }[] {
  const summed = new Map<string, { key: RollupKey; counters: KpiCounters }>();
  for (const { key, counters } of rows) {
    const id = [key.intervalStartMs, key.queue, key.campaign, key.channel, key.direction].join('\u0000');
    let row = summed.get(id);
    if (!row) {
      row = { key: { ...key, operator: null }, counters: emptyCounters() };
      summed.set(id, row);
    }
    addCounters(row.counters, counters);
  }
  return [...summed.values()];
}

async function writeRows(
  tx: Tx,
  orgId: string,
  table: (typeof ROLLUP_TABLES)[number],
  rows: { key: RollupKey; counters: KpiCounters }[],
  mode: 'insert' | 'add',
) {
  const perOperator = table === 'kpi_rollups';
  const keyColumns = sql.raw(
    perOperator
      ? 'org_id, interval_start, queue, campaign, operator, channel, direction'
      : 'org_id, interval_start, queue, campaign, channel, direction',
  );
  const onConflict =
    mode === 'insert'
      ? sql``
      : sql`on conflict (${keyColumns}) do update set ${sql.join(
          COUNTER_NAMES.map((name) => {
            const column = sql.raw(COUNTER_COLUMNS[name]);
            return MAX_COUNTER_NAMES.has(name)
              ? sql`${column} = greatest(${sql.table(table)}.${column}, excluded.${column})`
              : sql`${column} = ${sql.table(table)}.${column} + excluded.${column}`;
          }),
        )}`;
  const CHUNK = 5000;
  for (let at = 0; at < rows.length; at += CHUNK) {
    const chunk = rows.slice(at, at + CHUNK);
    const keyText = (pick: (k: RollupKey) => string | null) =>
      sql`${chunk.map((r) => pick(r.key) ?? '')}::text[]`;
    const counterArrays = COUNTER_NAMES.map((name) => sql`${chunk.map((r) => r.counters[name])}::bigint[]`);
    const columns = sql.raw(COUNTER_NAMES.map((name) => COUNTER_COLUMNS[name]).join(', '));
    const keyArrays = [
      sql`${chunk.map((r) => iso(r.key.intervalStartMs))}::timestamptz[]`,
      keyText((k) => k.queue),
      keyText((k) => k.campaign),
      ...(perOperator ? [keyText((k) => k.operator)] : []),
      keyText((k) => k.channel),
      keyText((k) => k.direction),
    ];
    await sql`
      insert into ${sql.table(table)} (${keyColumns}, ${columns})
      select ${orgId}::uuid, v.*
      from unnest(${sql.join(keyArrays)}, ${sql.join(counterArrays)}) as v
      ${onConflict}`.execute(tx);
  }
}

/**
 * Brings the rollups up to date after `interactionIds` were stored or closed:
 * rebuilds the intervals they count in and those of the later interactions
 * whose flags they may change.
 */
export async function refreshKpiRollupsFor(
  tx: Tx,
  options: {
    orgId: string;
    interactionIds: readonly string[];
    settings?: KpiSettings;
    /**
     * The interactions were closed (or stored closed, by an import) in this
     * transaction, each for the first time, so no rollup counts them yet:
     * their counters are added to the rows, unless a later closed
     * interaction's flags depend on them — then the rebuild.
     */
    firstClose?: boolean;
    /** The (closed) interactions as stored, when the caller has them (an import's INSERT): not read again. */
    records?: readonly StoredInteraction[];
  },
): Promise<void> {
  const { orgId, interactionIds } = options;
  if (interactionIds.length === 0) return;
  const settings = options.settings ?? (await loadKpiSettings(tx, orgId));
  const changed = options.records
    ? [...options.records]
    : await selectInteractionRecords(
        tx,
        orgId,
        sql`i.end_cause is not null and i.id = any(${[...interactionIds]}::uuid[])`,
        { lookup: true },
      );
  if (changed.length === 0) return;
  const changedIds = new Set(changed.map((r) => r.id));
  const later = (await laterRelated(tx, orgId, settings, changed)).filter((r) => !changedIds.has(r.id));
  if (options.firstClose && later.length === 0) return addToRollups(tx, orgId, settings, changed);
  const affected = [...changed, ...later];
  const starts = new Set<number>();
  for (const record of normalizeInteractions(affected, 'interactions')) {
    starts.add(intervalStartOf(countingInstant(record, settings)));
    if (
      record.direction === 'outbound' &&
      record.cycleType === 'welcome' &&
      record.cycleStartedAt !== undefined
    ) {
      starts.add(intervalStartOf(record.cycleStartedAt));
    }
  }
  // Nearby intervals are rebuilt as one range: fewer queries, same result.
  const sorted = [...starts].sort((a, b) => a - b);
  let runStart = sorted[0]!;
  let runEnd = runStart;
  for (const start of [...sorted.slice(1), Number.POSITIVE_INFINITY]) {
    if (start - runEnd <= 4 * 3_600_000) {
      runEnd = start;
      continue;
    }
    await rebuildKpiRollups(tx, { orgId, fromMs: runStart, toMs: runEnd + KPI_INTERVAL_MS, settings });
    runStart = runEnd = start;
  }
}

/**
 * Adds the counters of interactions closed for the first time to the rollup
 * rows (an upsert per row they count in), with the flags their history gives
 * them: what a rebuild of their intervals would write, at the cost of their
 * own rows instead of every interaction of those intervals. Only valid when
 * no later closed interaction's flags depend on them (the caller checks), and
 * once per interaction (the close's `end_cause is null` guard).
 */
async function addToRollups(tx: Tx, orgId: string, settings: KpiSettings, changed: StoredInteraction[]) {
  // The same lock as a rebuild: an upsert must not meet a rebuild's delete and insert half-way.
  await lockKpiRollups(tx, orgId);
  const ids = new Set(changed.map((r) => r.id));
  const all = new Map<string, StoredInteraction>();
  for (const record of [...(await loadHistory(tx, orgId, settings, changed)), ...changed])
    all.set(record.id, record);
  const normalized = normalizeInteractions([...all.values()], 'interactions');
  const flags = deriveContactFlags(normalized, settings);
  const counting = countingSettingsOf(settings);
  const rows = new Map<string, { key: RollupKey; counters: KpiCounters }>();
  for (const record of normalized) {
    if (!ids.has(record.id)) continue;
    for (const { key, counters } of interactionContributions(
      record,
      flags.get(record.id) ?? NO_FLAGS,
      counting,
    )) {
      const id = [
        key.intervalStartMs,
        key.queue,
        key.campaign,
        key.operator,
        key.channel,
        key.direction,
      ].join('\u0000');
      let row = rows.get(id);
      if (!row) {
        row = { key, counters: emptyCounters() };
        rows.set(id, row);
      }
      addCounters(row.counters, counters);
    }
  }
  await insertRows(tx, orgId, [...rows.values()], 'add');
}

/** Later closed interactions whose flags depend on `records` (the inverse of kpi-history's look-back). */
async function laterRelated(
  tx: Tx,
  orgId: string,
  settings: KpiSettings,
  records: readonly {
    direction: string;
    answeredAt?: unknown;
    supporterId?: string | null;
    listRecordId?: string | null;
    createdAt: unknown;
    dialedAt?: unknown;
  }[],
) {
  const supporters = new Set<string>();
  const listKeys = new Set<string>();
  let earliestContact = Number.POSITIVE_INFINITY;
  let latestContact = Number.NEGATIVE_INFINITY;
  let earliestDial = Number.POSITIVE_INFINITY;
  for (const r of records) {
    if (r.direction === 'inbound' && r.answeredAt != null && r.supporterId) {
      supporters.add(r.supporterId);
      earliestContact = Math.min(earliestContact, r.createdAt as number);
      latestContact = Math.max(latestContact, r.createdAt as number);
    }
    const listKey = r.direction === 'outbound' ? (r.listRecordId ?? r.supporterId) : null;
    if (listKey) {
      listKeys.add(listKey);
      earliestDial = Math.min(earliestDial, (r.dialedAt ?? r.createdAt) as number);
    }
  }
  const out = [];
  if (supporters.size > 0) {
    out.push(
      ...(await selectInteractionRecords(
        tx,
        orgId,
        sql`i.end_cause is not null and i.direction = 'inbound' and i.answered_at is not null
            and i.supporter_id = any(${[...supporters]}::uuid[])
            and i.created_at >= ${iso(earliestContact)}::timestamptz
            and i.created_at <= ${iso(latestContact + HISTORY_LOOKBACK_MS)}::timestamptz`,
        { lookup: true },
      )),
    );
  }
  if (listKeys.size > 0) {
    out.push(
      ...(await selectInteractionRecords(
        tx,
        orgId,
        sql`i.end_cause is not null and i.direction = 'outbound'
            and i.list_key = any(${[...listKeys]}::text[])
            and ${countingInstantSql(settings.countBy)} >= ${iso(earliestDial)}::timestamptz`,
        { lookup: true },
      )),
    );
  }
  return out;
}

/**
 * For the live runtime: call in the transaction that closes an interaction
 * (end_cause set), so the rollups and the close commit together. The SLA
 * contract's live alerts are checked on the new rollups in the same
 * transaction (modules/sla/sla-alerts.service.ts; debounced per organization).
 */
export async function recordInteractionClosed(
  tx: Tx,
  options: { orgId: string; interactionId: string },
): Promise<void> {
  const settings = await loadKpiSettings(tx, options.orgId);
  await refreshKpiRollupsFor(tx, {
    orgId: options.orgId,
    interactionIds: [options.interactionId],
    settings,
    firstClose: true,
  });
  await checkSlaAlertsAfterClose(tx, { ...options, settings });
}

/**
 * recordInteractionClosed for several closes committed together (a runtime
 * that batches its closes, or a catch-up): one refresh of the intervals they
 * touch and one SLA check at the latest closing time, instead of one each —
 * the same rollups, as the refresh rebuilds whatever the closes touch.
 */
export async function recordInteractionsClosed(
  tx: Tx,
  options: { orgId: string; interactionIds: readonly string[] },
): Promise<void> {
  const { orgId, interactionIds } = options;
  if (interactionIds.length === 0) return;
  const settings = await loadKpiSettings(tx, orgId);
  await refreshKpiRollupsFor(tx, { orgId, interactionIds, settings, firstClose: true });
  const latest = await sql<{ id: string }>`
    select id from interactions
    where id = any(${[...interactionIds]}::uuid[]) and end_cause is not null
    order by coalesce(wrap_ended_at, ended_at, abandoned_at, created_at) desc limit 1`.execute(tx);
  const last = latest.rows[0];
  if (last) await checkSlaAlertsAfterClose(tx, { orgId, interactionId: last.id, settings });
}
