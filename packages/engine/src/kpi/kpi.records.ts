// Records checked and their timestamps turned into epoch milliseconds once, at
// the edge; everything after trusts them. Phases that contradict each other
// (answered before queued, ended before answered, more hold than the call) are
// refused with the record and field named, since they would give negative
// durations inside a contract's figures.

import { KpiError, type KpiIssue } from './kpi.errors.ts';
import { toEpochMs } from './kpi.time.ts';
import type { AgentStateInterval, InteractionRecord, KpiScheduledShift, KpiTimestamp } from './kpi.types.ts';

const TIMESTAMP_FIELDS = [
  'createdAt',
  'queuedAt',
  'offeredAt',
  'answeredAt',
  'abandonedAt',
  'endedAt',
  'wrapEndedAt',
  'dialedAt',
  'calleeAnsweredAt',
  'cycleStartedAt',
] as const;

type TimestampField = (typeof TIMESTAMP_FIELDS)[number];

/** An interaction with every timestamp as epoch ms (absent phases undefined). */
export type NormalizedInteraction = Omit<InteractionRecord, TimestampField> & {
  [K in TimestampField]: K extends 'createdAt' ? number : number | undefined;
} & { holdMs: number };

export type NormalizedAgentState = Omit<AgentStateInterval, 'from' | 'to'> & { fromMs: number; toMs: number };
export type NormalizedShift = Omit<KpiScheduledShift, 'from' | 'to'> & { fromMs: number; toMs: number };

const MAX_ISSUES = 100;

function timestamp(
  issues: KpiIssue[],
  field: string,
  value: KpiTimestamp | null | undefined,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = toEpochMs(value);
  if (ms === undefined) {
    issues.push({
      field,
      message: `must be epoch milliseconds or ISO 8601 with an offset, got ${JSON.stringify(value)}`,
    });
  }
  return ms;
}

function order(
  issues: KpiIssue[],
  base: string,
  later: string,
  laterMs?: number,
  earlierName?: string,
  earlierMs?: number,
) {
  if (laterMs !== undefined && earlierMs !== undefined && laterMs < earlierMs) {
    issues.push({ field: `${base}.${later}`, message: `is before ${earlierName}` });
  }
}

function checkInteraction(
  record: InteractionRecord,
  base: string,
  issues: KpiIssue[],
): NormalizedInteraction | undefined {
  const before = issues.length;
  if (typeof record !== 'object' || record === null) {
    issues.push({ field: base, message: 'must be an object' });
    return undefined;
  }
  if (typeof record.id !== 'string' || record.id === '')
    issues.push({ field: `${base}.id`, message: 'is required' });
  if (typeof record.orgId !== 'string' || record.orgId === '') {
    issues.push({ field: `${base}.orgId`, message: 'is required' });
  }
  if (typeof record.channel !== 'string' || record.channel === '') {
    issues.push({ field: `${base}.channel`, message: 'is required' });
  }
  if (record.direction !== 'inbound' && record.direction !== 'outbound') {
    issues.push({
      field: `${base}.direction`,
      message: `must be inbound or outbound, got ${JSON.stringify(record.direction)}`,
    });
  }
  const times = {} as Record<TimestampField, number | undefined>;
  for (const field of TIMESTAMP_FIELDS) times[field] = timestamp(issues, `${base}.${field}`, record[field]);
  if (times.createdAt === undefined && (record.createdAt === null || record.createdAt === undefined)) {
    issues.push({ field: `${base}.createdAt`, message: 'is required' });
  }
  const hold = record.holdSeconds ?? 0;
  if (typeof hold !== 'number' || !Number.isFinite(hold) || hold < 0) {
    issues.push({
      field: `${base}.holdSeconds`,
      message: `must be a number ≥ 0, got ${JSON.stringify(hold)}`,
    });
  }
  if (record.outcomeAmountCents != null && !Number.isInteger(record.outcomeAmountCents)) {
    issues.push({ field: `${base}.outcomeAmountCents`, message: 'must be whole cents' });
  }
  if (times.answeredAt !== undefined && times.abandonedAt !== undefined) {
    issues.push({ field: `${base}.abandonedAt`, message: 'a contact cannot be both answered and abandoned' });
  }
  order(issues, base, 'answeredAt', times.answeredAt, 'queuedAt', times.queuedAt);
  order(issues, base, 'abandonedAt', times.abandonedAt, 'queuedAt', times.queuedAt);
  order(issues, base, 'endedAt', times.endedAt, 'answeredAt', times.answeredAt);
  order(issues, base, 'wrapEndedAt', times.wrapEndedAt, 'endedAt', times.endedAt);
  order(issues, base, 'answeredAt', times.answeredAt, 'calleeAnsweredAt', times.calleeAnsweredAt);
  const holdMs = Math.round((typeof hold === 'number' && Number.isFinite(hold) ? hold : 0) * 1000);
  if (
    times.answeredAt !== undefined &&
    times.endedAt !== undefined &&
    holdMs > times.endedAt - times.answeredAt
  ) {
    issues.push({ field: `${base}.holdSeconds`, message: 'is longer than the call (answeredAt to endedAt)' });
  }
  if (issues.length > before) return undefined;
  return { ...record, ...times, createdAt: times.createdAt!, holdMs } as NormalizedInteraction;
}

function fail(issues: KpiIssue[]): never {
  throw new KpiError('KPI_INVALID_INPUT', issues.slice(0, MAX_ISSUES));
}

/** Checks every record and returns them with epoch-ms timestamps; throws KPI_INVALID_INPUT naming each failure. */
export function normalizeInteractions(
  records: readonly InteractionRecord[],
  field = 'records',
): NormalizedInteraction[] {
  const issues: KpiIssue[] = [];
  const out: NormalizedInteraction[] = [];
  for (let i = 0; i < records.length && issues.length < MAX_ISSUES; i++) {
    const normalized = checkInteraction(records[i]!, `${field}[${i}]`, issues);
    if (normalized) out.push(normalized);
  }
  if (issues.length > 0) fail(issues);
  return out;
}

function checkSpan<T extends { operator: string; from: KpiTimestamp; to: KpiTimestamp }>(
  items: readonly T[],
  field: string,
  extra: (item: T, base: string, issues: KpiIssue[]) => void,
): (Omit<T, 'from' | 'to'> & { fromMs: number; toMs: number })[] {
  const issues: KpiIssue[] = [];
  const out: (Omit<T, 'from' | 'to'> & { fromMs: number; toMs: number })[] = [];
  for (let i = 0; i < items.length && issues.length < MAX_ISSUES; i++) {
    const item = items[i]!;
    const base = `${field}[${i}]`;
    const before = issues.length;
    if (typeof item.operator !== 'string' || item.operator === '') {
      issues.push({ field: `${base}.operator`, message: 'is required' });
    }
    const fromMs = timestamp(issues, `${base}.from`, item.from);
    const toMs = timestamp(issues, `${base}.to`, item.to);
    if (fromMs === undefined || toMs === undefined) {
      if (issues.length === before)
        issues.push({ field: `${base}.from`, message: 'from and to are required' });
    } else if (toMs < fromMs) {
      issues.push({ field: `${base}.to`, message: 'is before from' });
    }
    extra(item, base, issues);
    if (issues.length === before) {
      const { from: _from, to: _to, ...rest } = item;
      out.push({ ...rest, fromMs: fromMs!, toMs: toMs! });
    }
  }
  if (issues.length > 0) fail(issues);
  return out;
}

const AGENT_STATES = new Set(['offline', 'available', 'reserved', 'busy', 'wrap_up', 'not_ready']);

export function normalizeAgentStates(
  states: readonly AgentStateInterval[],
  field = 'agentStates',
): NormalizedAgentState[] {
  return checkSpan(states, field, (item, base, issues) => {
    if (!AGENT_STATES.has(item.state)) {
      issues.push({ field: `${base}.state`, message: `must be one of ${[...AGENT_STATES].join(', ')}` });
    }
  });
}

export function normalizeShifts(shifts: readonly KpiScheduledShift[], field = 'shifts'): NormalizedShift[] {
  return checkSpan(shifts, field, () => {});
}
