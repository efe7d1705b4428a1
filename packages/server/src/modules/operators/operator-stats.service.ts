// An operator's own statistics of a day (Europe/Rome), for the operator
// desktop: the engine's KPI formulas (engine/kpi: handled, AHT and its parts,
// occupancy) over the contacts the operator handled and the agent-state log,
// the outcomes recorded, and the time in each state. Nothing is defined here:
// the figures are the KPI API's, with their definitions as data.
//
// Contacts count on the day of their counting instant (DOMAIN.md §3: queued,
// outbound dialed; or the organization's `countBy` variant), closed ones only,
// as in the KPI rollups: a contact enters when it closes after its wrap-up.
// Each organization is read in its own tenant transaction (row-level
// security); the agent-state log is the center's (0007_live_center.sql) and is
// read for this one operator only.
import {
  addCounters,
  computeKpis,
  emptyCounters,
  figuresFromCounters,
  KPI_DEFAULT_TIME_ZONE,
  type KpiCounters,
  type KpiFigure,
  type KpiId,
  type KpiSettings,
  localDayBounds,
  resolveKpiSettings,
} from '@centralino/engine';
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import { countingInstantSql, selectInteractionRecords } from '../kpis/kpi-records.ts';
import { loadKpiSettings } from '../kpis/kpi-settings.service.ts';

export const OPERATOR_STATS_TIME_ZONE = KPI_DEFAULT_TIME_ZONE;

/** The figures of the day, in the order the desktop shows them. */
export const OPERATOR_KPIS = [
  'handled',
  'aht',
  'average_talk',
  'average_hold',
  'average_wrap',
  'occupancy',
] as const satisfies readonly KpiId[];
const HANDLING_KPIS = ['handled', 'aht'] as const satisfies readonly KpiId[];

type OperatorKpi = (typeof OPERATOR_KPIS)[number];

export type OperatorOutcome = {
  code: string;
  labelIt: string;
  labelEn: string;
  /** What the disposition does to the CRM (upgrade_accepted, call_back…); null for a code no longer configured. */
  effect: string | null;
  successful: boolean | null;
  count: number;
};

export type OperatorStateTime = { state: string; reason: string | null; seconds: number };

export type OperatorDayStats = {
  userId: string;
  date: string;
  timeZone: string;
  from: string;
  to: string;
  /** State time is counted up to here: now on the current day, the day's end for a past one. */
  asOf: string;
  organizationIds: string[];
  figures: Record<OperatorKpi, KpiFigure>;
  byDirection: Record<'inbound' | 'outbound', Record<(typeof HANDLING_KPIS)[number], KpiFigure>>;
  outcomes: OperatorOutcome[];
  states: OperatorStateTime[];
  statesDefinition: string;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Counters of the operator's contacts counted in [fromMs, toMs) in one organization. */
async function organizationCounters(
  tx: Tx,
  options: { orgId: string; userId: string; fromMs: number; toMs: number; settings: KpiSettings },
) {
  const instant = countingInstantSql(options.settings.countBy);
  const inDay = sql`${instant} >= ${iso(options.fromMs)}::timestamptz and ${instant} < ${iso(options.toMs)}::timestamptz`;
  const records = await selectInteractionRecords(
    tx,
    options.orgId,
    sql`i.operator_id = ${options.userId}::uuid and i.end_cause is not null and ${inDay}`,
  );
  const period = { fromMs: options.fromMs, toMs: options.toMs };
  const countersOf = (direction?: 'inbound' | 'outbound') =>
    computeKpis({
      records,
      settings: options.settings,
      period,
      ...(direction ? { filter: { direction } } : {}),
      only: HANDLING_KPIS,
      drillDown: false,
    })[0]?.counters ?? emptyCounters();
  const outcomes = await sql<{
    code: string;
    label_it: string | null;
    label_en: string | null;
    effect: string | null;
    successful: boolean | null;
    count: number;
  }>`
    select i.disposition as code, d.label_it, d.label_en, d.effect, d.successful, count(*)::int as count
    from interactions i
    left join dispositions d on d.code = i.disposition and (d.org_id = i.org_id or d.org_id is null)
    where i.org_id = ${options.orgId}::uuid and i.operator_id = ${options.userId}::uuid
      and i.end_cause is not null and i.disposition is not null and ${inDay}
    group by i.disposition, d.label_it, d.label_en, d.effect, d.successful`.execute(tx);
  return {
    all: countersOf(),
    inbound: countersOf('inbound'),
    outbound: countersOf('outbound'),
    outcomes: outcomes.rows,
  };
}

/**
 * The statistics of `date` (local day in Europe/Rome) for `userId`, over the
 * contacts of `orgIds` (the organizations the caller may see) and the
 * operator's agent-state log, whose time is clipped to the day and to `nowMs`.
 */
export async function operatorDayStats(options: {
  db: Database;
  userId: string;
  orgIds: readonly string[];
  date: string;
  nowMs: number;
}): Promise<OperatorDayStats> {
  const { db, userId, date } = options;
  const timeZone = OPERATOR_STATS_TIME_ZONE;
  const { fromMs, toMs } = localDayBounds(date, timeZone);
  const untilMs = Math.min(toMs, Math.max(fromMs, options.nowMs));

  const all = emptyCounters();
  const inbound = emptyCounters();
  const outbound = emptyCounters();
  const outcomes = new Map<string, OperatorOutcome>();
  for (const orgId of options.orgIds) {
    const part = await db.readForOrg(orgId, async (tx) =>
      organizationCounters(tx, { orgId, userId, fromMs, toMs, settings: await loadKpiSettings(tx, orgId) }),
    );
    addCounters(all, part.all);
    addCounters(inbound, part.inbound);
    addCounters(outbound, part.outbound);
    for (const row of part.outcomes) {
      const known = outcomes.get(row.code);
      if (known) known.count += row.count;
      else
        outcomes.set(row.code, {
          code: row.code,
          labelIt: row.label_it ?? row.code,
          labelEn: row.label_en ?? row.code,
          effect: row.effect,
          successful: row.successful,
          count: row.count,
        });
    }
  }

  // The operator's intervals overlapping the day; the open one runs until now.
  const intervals = await db.asCenter((tx) =>
    tx
      .selectFrom('agent_state_intervals')
      .select(['state', 'reason', 'org_id', 'queue_id', 'channel', 'started_at', 'ended_at'])
      .where('user_id', '=', userId)
      .where('started_at', '<', new Date(untilMs))
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', new Date(fromMs))]))
      .execute(),
  );
  const clipped = intervals
    .map((row) => ({
      operator: userId,
      state: row.state,
      reason: row.reason,
      orgId: row.org_id,
      queue: row.queue_id,
      channel: row.channel,
      from: Math.max(fromMs, row.started_at.getTime()),
      to: Math.min(untilMs, row.ended_at?.getTime() ?? untilMs),
    }))
    .filter((interval) => interval.to > interval.from);
  const stateCounters =
    computeKpis({
      records: [],
      agentStates: clipped,
      period: { fromMs, toMs },
      only: ['occupancy'],
      drillDown: false,
    })[0]?.counters ?? emptyCounters();
  addCounters(all, stateCounters);

  const stateTime = new Map<string, OperatorStateTime>();
  for (const interval of clipped) {
    const reason = interval.state === 'not_ready' ? (interval.reason ?? null) : null;
    const key = `${interval.state}\u0000${reason ?? ''}`;
    const entry = stateTime.get(key) ?? { state: interval.state, reason, seconds: 0 };
    entry.seconds += (interval.to - interval.from) / 1000;
    stateTime.set(key, entry);
  }

  // The formulas of these figures use no organization setting (the counting
  // instant was applied per organization above): the defaults serve.
  const settings = resolveKpiSettings({});
  const pick = <K extends KpiId>(counters: KpiCounters, ids: readonly K[]) =>
    figuresFromCounters(counters, settings, { only: ids }) as Record<K, KpiFigure>;
  return {
    userId,
    date,
    timeZone,
    from: iso(fromMs),
    to: iso(toMs),
    asOf: iso(untilMs),
    organizationIds: [...options.orgIds],
    figures: pick(all, OPERATOR_KPIS),
    byDirection: { inbound: pick(inbound, HANDLING_KPIS), outbound: pick(outbound, HANDLING_KPIS) },
    outcomes: [...outcomes.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    states: [...stateTime.values()].sort((a, b) => b.seconds - a.seconds),
    statesDefinition:
      'time in each state of the agent-state log, clipped to the day and to asOf; offline time is not logged',
  };
}
