// The interactions behind a figure (issue 7: "explainable down to the single
// interaction"): the period's interactions with their flags (kpi-history.ts),
// each one's own counters within the period and filter, and the engine's
// drill-down (figuresFromCounters with records) naming which are behind the
// numerator and the denominator. Listed by counting instant, keyset-paginated.
import {
  addCounters,
  countingInstant,
  emptyCounters,
  figuresFromCounters,
  interactionContributions,
  KPI_IDS,
  type KpiCounters,
  type KpiFigure,
  type KpiId,
  type RecordCounters,
} from '@centralino/engine';
import type { Database } from '../../db/database.ts';
import { loadPeriodRecords } from './kpi-history.ts';
import type { KpiFilter } from './kpi-report.service.ts';
import { loadKpiSettings } from './kpi-settings.service.ts';
import { kpisErrors } from './kpis.errors.ts';

export type KpiInteractionItem = {
  id: string;
  externalId: string | null;
  channel: string;
  direction: 'inbound' | 'outbound';
  queue: string | null;
  campaign: string | null;
  operator: string | null;
  supporterId: string | null;
  /** The instant that places it in an interval (queued, or dialed for outbound). */
  countedAt: string;
  createdAt: string;
  queuedAt: string | null;
  answeredAt: string | null;
  abandonedAt: string | null;
  endedAt: string | null;
  /** Queue wait in seconds (answered or abandoned − queued), when it waited. */
  waitSeconds: number | null;
  inNumerator: boolean;
  inDenominator: boolean;
};

const NO_FLAGS = { repeatContact: false, firstAttempt: false, firstRightPartyContact: false };
const isoOrNull = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function isKpiId(value: string): value is KpiId {
  return (KPI_IDS as readonly string[]).includes(value);
}

export async function listKpiInteractions(options: {
  db: Database;
  orgId: string;
  kpi: string;
  fromMs: number;
  toMs: number;
  filter: KpiFilter;
  limit: number;
  cursor?: string | undefined;
}): Promise<{ figure: KpiFigure; items: KpiInteractionItem[]; nextCursor: string | null }> {
  const { db, orgId, kpi, fromMs, toMs, filter } = options;
  if (!isKpiId(kpi)) throw kpisErrors.unknownKpi(kpi);
  const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
  return db.readForOrg(orgId, async (tx) => {
    const settings = await loadKpiSettings(tx, orgId);
    const { records, stored, flags } = await loadPeriodRecords(tx, orgId, settings, fromMs, toMs);
    const perRecord: RecordCounters[] = [];
    const total: KpiCounters = emptyCounters();
    for (const record of records) {
      const counters: Partial<KpiCounters> = {};
      let counted = false;
      for (const { key, counters: part } of interactionContributions(
        record,
        flags.get(record.id) ?? NO_FLAGS,
        settings,
      )) {
        if (key.intervalStartMs < fromMs || key.intervalStartMs >= toMs) continue;
        if (!matches(key, filter)) continue;
        addCounters(counters, part);
        counted = true;
      }
      if (!counted) continue;
      perRecord.push({ id: record.id, counters });
      addCounters(total, counters);
    }
    const figure = figuresFromCounters(total, settings, { records: perRecord, only: [kpi] })[kpi];
    const numerator = new Set(figure.drillDown?.numerator ?? []);
    const denominator = new Set(figure.drillDown?.denominator ?? []);
    const byId = new Map(records.map((r) => [r.id, r]));
    const listed = [...new Set([...denominator, ...numerator])]
      .map((id) => ({ id, at: countingInstant(byId.get(id)!, settings) }))
      .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .filter(
        (entry) => after === null || entry.at > after.at || (entry.at === after.at && entry.id > after.id),
      );
    const page = listed.slice(0, options.limit);
    const items = page.map(({ id, at }): KpiInteractionItem => {
      const r = byId.get(id)!;
      const waitEnd = r.answeredAt ?? r.abandonedAt;
      return {
        id,
        externalId: stored.get(id)?.externalId ?? null,
        channel: r.channel,
        direction: r.direction,
        queue: r.queue ?? null,
        campaign: r.campaign ?? null,
        operator: r.operator ?? null,
        supporterId: r.supporterId ?? null,
        countedAt: new Date(at).toISOString(),
        createdAt: new Date(r.createdAt).toISOString(),
        queuedAt: isoOrNull(r.queuedAt),
        answeredAt: isoOrNull(r.answeredAt),
        abandonedAt: isoOrNull(r.abandonedAt),
        endedAt: isoOrNull(r.endedAt),
        waitSeconds: r.queuedAt !== undefined && waitEnd !== undefined ? (waitEnd - r.queuedAt) / 1000 : null,
        inNumerator: numerator.has(id),
        inDenominator: denominator.has(id),
      };
    });
    const last = page.at(-1);
    const { drillDown: _drillDown, ...bare } = figure;
    return {
      figure: bare,
      items,
      nextCursor: listed.length > page.length && last ? encodeCursor(last) : null,
    };
  });
}

function matches(
  key: {
    queue: string | null;
    campaign: string | null;
    operator: string | null;
    channel: string | null;
    direction: string | null;
  },
  filter: KpiFilter,
): boolean {
  return (
    (filter.queue === undefined || key.queue === filter.queue) &&
    (filter.campaign === undefined || key.campaign === filter.campaign) &&
    (filter.operator === undefined || key.operator === filter.operator) &&
    (filter.channel === undefined || key.channel === filter.channel) &&
    (filter.direction === undefined || key.direction === filter.direction)
  );
}

function encodeCursor(entry: { at: number; id: string }): string {
  return Buffer.from(JSON.stringify([entry.at, entry.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: number; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      value[1].length <= 100
    ) {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw kpisErrors.cursorInvalid();
}
