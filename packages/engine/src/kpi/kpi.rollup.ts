// 15-minute rollups: additive counters per (interval start, organization, queue,
// campaign, operator, channel, direction), and their grouping by interval, local
// day or local month (Europe/Rome by default, so a day is 92, 96 or 100 rows of
// one series). Any grouping of rollup rows gives exactly the figures computed
// from the raw records of the same selection.

import {
  agentStateContributions,
  type Contribution,
  interactionContributions,
  type RollupKey,
  shiftContributions,
} from './kpi.contributions.ts';
import { addAllCounters, addCounters, emptyCounters, type KpiCounters } from './kpi.counters.ts';
import { KpiError } from './kpi.errors.ts';
import { figuresFromCounters, type KpiContext, type RecordCounters } from './kpi.figures.ts';
import { deriveContactFlags } from './kpi.flags.ts';
import { normalizeAgentStates, normalizeInteractions, normalizeShifts } from './kpi.records.ts';
import {
  type CountingSettings,
  countingSettingsOf,
  resolveKpiSettings,
  sameCountingSettings,
} from './kpi.settings.ts';
import { INTERVAL_MS, localDateOf, localDayBounds, localMonthBounds, localMonthOf } from './kpi.time.ts';
import type {
  AgentStateInterval,
  InteractionRecord,
  KpiFigures,
  KpiId,
  KpiScheduledShift,
  KpiSettings,
} from './kpi.types.ts';

export type RollupRow = RollupKey & { counters: KpiCounters };

/** Rollup rows with the counting settings they were built with (rows of different settings never add up). */
export type KpiRollup = { settings: CountingSettings; rows: RollupRow[] };

export type RollupDimension = 'orgId' | 'queue' | 'campaign' | 'operator' | 'channel' | 'direction';
export const ROLLUP_DIMENSIONS: readonly RollupDimension[] = [
  'orgId',
  'queue',
  'campaign',
  'operator',
  'channel',
  'direction',
];

/** [fromMs, toMs) on 15-minute boundaries (local midnights are, in every zone with quarter-hour offsets). */
export type KpiPeriod = { fromMs: number; toMs: number };

export type KpiGrouping = {
  /** Time buckets: each interval, each local day, each local month, or the whole selection. */
  time: 'interval' | 'day' | 'month' | 'all';
  /** Dimensions kept apart; the others are summed over. Default none. */
  by?: readonly RollupDimension[];
};

/** Keeps rows whose dimension equals the value (null selects rows without one). */
export type RollupFilter = Partial<Record<RollupDimension, string | null>>;

export type KpiGroup = {
  /** `2026-03-29T00:00:00.000Z` for an interval, `2026-03-29` for a day, `2026-03` for a month, `all`. */
  label: string;
  fromMs: number;
  toMs: number;
  /** Values of the dimensions in `grouping.by`. */
  dimensions: Partial<Record<RollupDimension, string | null>>;
  counters: KpiCounters;
};

export type KpiGroupFigures = Omit<KpiGroup, 'counters'> & { counters: KpiCounters; figures: KpiFigures };

function keyString(key: RollupKey): string {
  return `${key.intervalStartMs}\u0000${key.orgId}\u0000${key.queue}\u0000${key.campaign}\u0000${key.operator}\u0000${key.channel}\u0000${key.direction}`;
}

function checkPeriod(period: KpiPeriod | undefined): void {
  if (!period) return;
  const { fromMs, toMs } = period;
  if (
    !Number.isFinite(fromMs) ||
    !Number.isFinite(toMs) ||
    fromMs % INTERVAL_MS !== 0 ||
    toMs % INTERVAL_MS !== 0
  ) {
    throw new KpiError('KPI_INVALID_INPUT', [
      { field: 'period', message: 'from and to must fall on 15-minute boundaries' },
    ]);
  }
  if (toMs < fromMs)
    throw new KpiError('KPI_INVALID_INPUT', [{ field: 'period.toMs', message: 'is before fromMs' }]);
}

function inPeriod(key: RollupKey, period: KpiPeriod | undefined): boolean {
  return !period || (key.intervalStartMs >= period.fromMs && key.intervalStartMs < period.toMs);
}

function matches(key: RollupKey, filter: RollupFilter | undefined): boolean {
  if (!filter) return true;
  for (const dimension in filter) {
    const wanted = filter[dimension as RollupDimension];
    if (wanted !== undefined && key[dimension as RollupDimension] !== wanted) return false;
  }
  return true;
}

type BuildInput = {
  records?: readonly InteractionRecord[];
  agentStates?: readonly AgentStateInterval[];
  shifts?: readonly KpiScheduledShift[];
  settings?: Partial<KpiSettings>;
  /** Only intervals starting in the period are kept; earlier records still serve as history (FCR, first attempts). */
  period?: KpiPeriod;
};

type Contributed = { contribution: Contribution; recordId: string | null };

function* contributions(input: BuildInput, settings: KpiSettings): Generator<Contributed> {
  const counting = countingSettingsOf(settings);
  const records = normalizeInteractions(input.records ?? []);
  const flags = deriveContactFlags(records, counting);
  for (const record of records) {
    for (const contribution of interactionContributions(record, flags.get(record.id)!, counting)) {
      yield { contribution, recordId: record.id };
    }
  }
  for (const state of normalizeAgentStates(input.agentStates ?? [])) {
    for (const contribution of agentStateContributions(state, counting))
      yield { contribution, recordId: null };
  }
  for (const shift of normalizeShifts(input.shifts ?? [])) {
    for (const contribution of shiftContributions(shift)) yield { contribution, recordId: null };
  }
}

/** Rollup rows from raw records, agent states and shifts: what a rebuild writes. */
export function buildRollup(input: BuildInput): KpiRollup {
  const settings = resolveKpiSettings(input.settings);
  checkPeriod(input.period);
  const rows = new Map<string, RollupRow>();
  for (const { contribution } of contributions(input, settings)) {
    if (!inPeriod(contribution.key, input.period)) continue;
    addContribution(rows, contribution);
  }
  return { settings: countingSettingsOf(settings), rows: sortRows(rows) };
}

function addContribution(rows: Map<string, RollupRow>, contribution: Contribution): void {
  const key = keyString(contribution.key);
  let row = rows.get(key);
  if (!row) {
    row = { ...contribution.key, counters: emptyCounters() };
    rows.set(key, row);
  }
  addCounters(row.counters, contribution.counters);
}

function sortRows(rows: Map<string, RollupRow>): RollupRow[] {
  return [...rows]
    .sort(([ka, a], [kb, b]) => a.intervalStartMs - b.intervalStartMs || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([, row]) => row);
}

/** Adds rollups together (e.g. a rebuilt month and today's increments); their counting settings must match. */
export function mergeRollups(rollups: readonly KpiRollup[]): KpiRollup {
  if (rollups.length === 0)
    throw new KpiError('KPI_INVALID_INPUT', [{ field: 'rollups', message: 'none given' }]);
  const settings = rollups[0]!.settings;
  const rows = new Map<string, RollupRow>();
  for (const rollup of rollups) {
    if (!sameCountingSettings(settings, rollup.settings)) {
      throw new KpiError('KPI_SETTINGS_MISMATCH', [
        { field: 'settings', message: 'rollups were built with different counting settings' },
      ]);
    }
    for (const row of rollup.rows) addContribution(rows, { key: row, counters: row.counters });
  }
  return { settings, rows: sortRows(rows) };
}

const boundsCache = new Map<string, { fromMs: number; toMs: number }>();

function cachedBounds(
  label: string,
  timeZone: string,
  bounds: (label: string, timeZone: string) => { fromMs: number; toMs: number },
): { fromMs: number; toMs: number } {
  const key = `${timeZone}\u0000${label}`;
  let found = boundsCache.get(key);
  if (!found) {
    found = bounds(label, timeZone);
    if (boundsCache.size > 10_000) boundsCache.clear();
    boundsCache.set(key, found);
  }
  return found;
}

function timeBucket(
  intervalStartMs: number,
  time: KpiGrouping['time'],
  timeZone: string,
): { label: string; fromMs: number; toMs: number } {
  switch (time) {
    case 'interval':
      return {
        label: new Date(intervalStartMs).toISOString(),
        fromMs: intervalStartMs,
        toMs: intervalStartMs + INTERVAL_MS,
      };
    case 'day': {
      const label = localDateOf(intervalStartMs, timeZone);
      return { label, ...cachedBounds(label, timeZone, localDayBounds) };
    }
    case 'month': {
      const label = localMonthOf(intervalStartMs, timeZone);
      return { label, ...cachedBounds(label, timeZone, localMonthBounds) };
    }
    case 'all':
      return { label: 'all', fromMs: Number.NaN, toMs: Number.NaN };
  }
}

type TimeBucket = { label: string; fromMs: number; toMs: number };
const bucketCaches = new Map<string, Map<number, TimeBucket>>();

/**
 * The time buckets of interval starts, kept across calls: an SLA evaluation groups the
 * same month by interval, day and month once per metric, and the labels (an ISO string,
 * a local date through Intl) were a good part of its time. Bounded like boundsCache.
 */
function bucketCacheFor(time: KpiGrouping['time'], timeZone: string): Map<number, TimeBucket> {
  const key = `${time}\u0000${timeZone}`;
  let cache = bucketCaches.get(key);
  if (!cache || cache.size > 100_000) {
    cache = new Map();
    bucketCaches.set(key, cache);
  }
  return cache;
}

/** A rollup row, or one record's contribution (partial counters, with its record for drill-down). */
type GroupItem = RollupKey & { counters: Partial<KpiCounters>; recordId?: string | null };

function group(
  items: readonly GroupItem[],
  grouping: KpiGrouping,
  timeZone: string,
  withRecords: boolean,
  /** Items are whole rollup rows (every counter present): summed by the spelled-out fast path. */
  full: boolean,
): (KpiGroup & { records?: Map<string, Partial<KpiCounters>> })[] {
  const by = grouping.by ?? [];
  const bucketCache = bucketCacheFor(grouping.time, timeZone);
  const groups = new Map<string, KpiGroup & { records?: Map<string, Partial<KpiCounters>> }>();
  for (const item of items) {
    const start = item.intervalStartMs;
    let bucket = bucketCache.get(start);
    if (!bucket) {
      bucket = timeBucket(start, grouping.time, timeZone);
      bucketCache.set(start, bucket);
    }
    let id = bucket.label;
    for (const dimension of by) id += `\u0000${item[dimension]}`;
    let g = groups.get(id);
    if (!g) {
      const dimensions: KpiGroup['dimensions'] = {};
      for (const dimension of by) dimensions[dimension] = item[dimension];
      g = { ...bucket, dimensions, counters: emptyCounters() };
      if (grouping.time === 'all') {
        g.fromMs = start;
        g.toMs = start + INTERVAL_MS;
      }
      if (withRecords) g.records = new Map();
      groups.set(id, g);
    }
    if (grouping.time === 'all') {
      g.fromMs = Math.min(g.fromMs, start);
      g.toMs = Math.max(g.toMs, start + INTERVAL_MS);
    }
    if (full) addAllCounters(g.counters, item.counters as KpiCounters);
    else addCounters(g.counters, item.counters);
    if (g.records && item.recordId) {
      g.records.set(item.recordId, addCounters(g.records.get(item.recordId) ?? {}, item.counters));
    }
  }
  if (groups.size === 0 && grouping.time === 'all' && by.length === 0) {
    // Nothing selected is still a period: one group whose ratios are all absent.
    return [
      { label: 'all', fromMs: Number.NaN, toMs: Number.NaN, dimensions: {}, counters: emptyCounters() },
    ];
  }
  // Time first, then the dimensions' values, so both paths list groups in one order.
  return [...groups]
    .sort(([idA, a], [idB, b]) => a.fromMs - b.fromMs || (idA < idB ? -1 : idA > idB ? 1 : 0))
    .map(([, g]) => g);
}

export type KpisFromRollupInput = {
  rollup: KpiRollup;
  /** The organization's settings; their counting part must be those the rollup was built with. */
  settings?: Partial<KpiSettings>;
  grouping: KpiGrouping;
  period?: KpiPeriod;
  filter?: RollupFilter;
  context?: KpiContext;
  only?: readonly KpiId[];
};

/** Figures per group from rollup rows: the report path. */
export function kpisFromRollup(input: KpisFromRollupInput): KpiGroupFigures[] {
  const settings = resolveKpiSettings(input.settings);
  if (!sameCountingSettings(countingSettingsOf(settings), input.rollup.settings)) {
    throw new KpiError('KPI_SETTINGS_MISMATCH', [
      {
        field: 'settings',
        message: 'the rollup was built with other counting settings; rebuild it from the records',
      },
    ]);
  }
  checkPeriod(input.period);
  const selected = input.rollup.rows.filter(
    (row) => inPeriod(row, input.period) && matches(row, input.filter),
  );
  return group(selected, input.grouping, settings.timeZone, false, true).map((g) => ({
    label: g.label,
    fromMs: g.fromMs,
    toMs: g.toMs,
    dimensions: g.dimensions,
    counters: g.counters,
    figures: figuresFromCounters(g.counters, settings, { context: input.context ?? {}, only: input.only }),
  }));
}

export type ComputeKpisInput = BuildInput & {
  grouping?: KpiGrouping;
  filter?: RollupFilter;
  context?: KpiContext;
  only?: readonly KpiId[];
  /** List the interactions behind every figure (default true). */
  drillDown?: boolean;
};

/** Figures per group straight from raw records, with drill-down to the interactions behind each figure. */
export function computeKpis(input: ComputeKpisInput): KpiGroupFigures[] {
  const settings = resolveKpiSettings(input.settings);
  checkPeriod(input.period);
  const withRecords = input.drillDown !== false;
  const selected: GroupItem[] = [];
  for (const { contribution, recordId } of contributions(input, settings)) {
    if (!inPeriod(contribution.key, input.period) || !matches(contribution.key, input.filter)) continue;
    selected.push({ ...contribution.key, counters: contribution.counters, recordId });
  }
  return group(selected, input.grouping ?? { time: 'all' }, settings.timeZone, withRecords, false).map(
    (g) => {
      const records: RecordCounters[] | undefined = g.records
        ? [...g.records].map(([id, counters]) => ({ id, counters }))
        : undefined;
      return {
        label: g.label,
        fromMs: g.fromMs,
        toMs: g.toMs,
        dimensions: g.dimensions,
        counters: g.counters,
        figures: figuresFromCounters(g.counters, settings, {
          context: input.context ?? {},
          records,
          only: input.only,
        }),
      };
    },
  );
}
