// The interactions whose counters fall in a period, with the history their
// flags depend on (engine deriveContactFlags: a repeat contact looks back over
// the FCR window, a first attempt and a first right-party contact over the
// campaign's earlier attempts on the same list record). Only closed
// interactions count: an open one (end_cause NULL) enters when it closes.
//
// Shared by the rollup rebuild and the drill-down, so both see the same flags.
import {
  type ContactFlags,
  deriveContactFlags,
  type KpiSettings,
  type NormalizedInteraction,
  normalizeInteractions,
} from '@centralino/engine';
import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { countingInstantSql, type StoredInteraction, selectInteractionRecords } from './kpi-records.ts';

/** The longest FCR window (7 days) and a day of margin for `same_day` across a change of offset. */
export const HISTORY_LOOKBACK_MS = 8 * 86_400_000;

export type PeriodRecords = {
  /** Interactions with a counter keyed in the period (counted in it, or a welcome cohort starting in it). */
  records: NormalizedInteraction[];
  stored: Map<string, StoredInteraction>;
  flags: Map<string, ContactFlags>;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** What lies in [fromMs, toMs) (toMs null: open-ended), with its flags. */
export async function loadPeriodRecords(
  tx: Tx,
  orgId: string,
  settings: KpiSettings,
  fromMs: number,
  toMs: number | null,
): Promise<PeriodRecords> {
  const instant = countingInstantSql(settings.countBy);
  const inPeriod = (expression: RawBuilder<unknown>) =>
    toMs === null
      ? sql`${expression} >= ${iso(fromMs)}::timestamptz`
      : sql`${expression} >= ${iso(fromMs)}::timestamptz and ${expression} < ${iso(toMs)}::timestamptz`;
  // Two selects, each served by its index (0009_kpi_indexes.sql), rather than one OR.
  const counted = await selectInteractionRecords(
    tx,
    orgId,
    sql`i.end_cause is not null and ${inPeriod(instant)}`,
  );
  const cohorts = await selectInteractionRecords(
    tx,
    orgId,
    sql`i.end_cause is not null and i.direction = 'outbound' and ${inPeriod(sql`i.cycle_started_at`)}`,
  );
  const byId = new Map(counted.map((r) => [r.id, r]));
  for (const r of cohorts) if (r.cycleType === 'welcome' && !byId.has(r.id)) byId.set(r.id, r);
  const stored = [...byId.values()];
  const history = await loadHistory(tx, orgId, settings, stored);
  const all = new Map<string, StoredInteraction>();
  for (const record of [...history, ...stored]) all.set(record.id, record);
  const normalized = normalizeInteractions([...all.values()], 'interactions');
  const flags = deriveContactFlags(normalized, settings);
  const ids = new Set(stored.map((r) => r.id));
  return { records: normalized.filter((r) => ids.has(r.id)), stored: all, flags };
}

/** Earlier interactions the flags of `records` depend on (a superset does no harm: flags look back only). */
export async function loadHistory(
  tx: Tx,
  orgId: string,
  settings: KpiSettings,
  records: readonly StoredInteraction[],
): Promise<StoredInteraction[]> {
  const supporters = new Set<string>();
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  const listKeys = new Set<string>();
  let lastDial = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    if (r.direction === 'inbound' && r.answeredAt != null && r.supporterId) {
      supporters.add(r.supporterId);
      earliest = Math.min(earliest, r.createdAt as number);
      latest = Math.max(latest, r.createdAt as number);
    }
    const listKey = r.direction === 'outbound' ? (r.listRecordId ?? r.supporterId) : null;
    if (listKey) {
      listKeys.add(listKey);
      lastDial = Math.max(lastDial, (r.dialedAt ?? r.createdAt) as number);
    }
  }
  const out: StoredInteraction[] = [];
  if (supporters.size > 0) {
    out.push(
      ...(await selectInteractionRecords(
        tx,
        orgId,
        sql`i.end_cause is not null and i.direction = 'inbound' and i.answered_at is not null
            and i.supporter_id = any(${[...supporters]}::uuid[])
            and i.created_at >= ${iso(earliest - HISTORY_LOOKBACK_MS)}::timestamptz
            and i.created_at <= ${iso(latest)}::timestamptz`,
        { lookup: true },
      )),
    );
  }
  if (listKeys.size > 0) {
    const instant = countingInstantSql(settings.countBy);
    out.push(
      ...(await selectInteractionRecords(
        tx,
        orgId,
        sql`i.end_cause is not null and i.direction = 'outbound'
            and i.list_key = any(${[...listKeys]}::text[])
            and ${instant} <= ${iso(lastDial)}::timestamptz`,
        { lookup: true },
      )),
    );
  }
  return out;
}
