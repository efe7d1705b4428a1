// One row of a CDR history import (issue 7: `centralino import interactions`)
// as an InteractionRecord, checked, with the phases it had to infer listed. The
// server's importer maps column names (aliases, presets) and keeps the per-row
// error report; this decides what a row means, the same way for every caller.
//
// Inference, chosen never to flatter a figure a contract is paid on:
// - created_at missing: the earliest timestamp of the row;
// - queued_at missing on an inbound row with a queue that was answered or
//   abandoned: created_at (the wait then includes any IVR time: longer, never shorter);
// - dialed_at missing on an outbound row: created_at (a CDR row is a placed call);
// - ended_at missing on an answered row: not inferred; the contact is not handled
//   (out of AHT) — its talk time is unknown;
// - wrap_ended_at missing: no wrap time.

import { KpiError } from './kpi.errors.ts';
import { normalizeInteractions } from './kpi.records.ts';
import { toEpochMs } from './kpi.time.ts';
import type { AnsweredBy, InteractionRecord } from './kpi.types.ts';

/** The columns read (snake_case); `*` = required. */
export const CDR_COLUMNS = [
  'id*',
  'channel*',
  'direction*',
  'queue',
  'campaign',
  'operator',
  'supporter_external_id',
  'created_at',
  'queued_at',
  'offered_at',
  'answered_at',
  'abandoned_at',
  'ended_at',
  'wrap_ended_at',
  'hold_seconds',
  'transferred',
  'outcome',
  'successful',
  'dialed_at',
  'callee_answered_at',
  'answered_by',
  'right_party_contact',
  'dropped',
  'amd_false_positive',
  'list_record_id',
  'attempt_number',
  'cycle_type',
  'cycle_started_at',
  'outcome_amount_cents',
] as const;

export type CdrIssue = { column: string; message: string };
export type CdrRowResult =
  | { ok: true; record: InteractionRecord; inferred: string[] }
  | { ok: false; issues: CdrIssue[] };

const TRUE = new Set(['1', 'true', 't', 'yes', 'y', 'si', 'sì', 's', 'vero']);
const FALSE = new Set(['0', 'false', 'f', 'no', 'n', 'falso', '']);
const ANSWERED_BY = new Set(['human', 'machine', 'none', 'busy', 'failed']);
const CYCLES = new Set([
  'welcome',
  'thank_you',
  'loyalty',
  'upgrade',
  'conversion',
  'recapture',
  'one_off',
  'inbound',
]);
const TIME_COLUMNS = [
  'created_at',
  'queued_at',
  'offered_at',
  'answered_at',
  'abandoned_at',
  'ended_at',
  'wrap_ended_at',
  'dialed_at',
  'callee_answered_at',
  'cycle_started_at',
] as const;

/** Maps one CDR row (column → text) of an organization; `row` keys are the snake_case columns. */
export function interactionFromCdrRow(
  row: Readonly<Record<string, string | undefined>>,
  orgId: string,
): CdrRowResult {
  const issues: CdrIssue[] = [];
  const text = (column: string) => {
    const value = row[column]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const flag = (column: string): boolean | undefined => {
    const value = text(column)?.toLowerCase();
    if (value === undefined) return undefined;
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    issues.push({ column, message: `must be yes/no (1/0, true/false, sì/no), got ${JSON.stringify(value)}` });
    return undefined;
  };
  const number = (column: string, integer: boolean): number | undefined => {
    const value = text(column);
    if (value === undefined) return undefined;
    const parsed = Number(value.replace(',', '.'));
    if (!Number.isFinite(parsed) || parsed < 0 || (integer && !Number.isInteger(parsed))) {
      issues.push({
        column,
        message: `must be a ${integer ? 'whole ' : ''}number ≥ 0, got ${JSON.stringify(value)}`,
      });
      return undefined;
    }
    return parsed;
  };

  const id = text('id');
  const channel = text('channel')?.toLowerCase();
  const direction = text('direction')?.toLowerCase();
  if (!id) issues.push({ column: 'id', message: 'is required' });
  if (!channel) issues.push({ column: 'channel', message: 'is required' });
  if (direction !== 'inbound' && direction !== 'outbound') {
    issues.push({
      column: 'direction',
      message: `must be inbound or outbound, got ${JSON.stringify(direction ?? '')}`,
    });
  }
  const times: Partial<Record<(typeof TIME_COLUMNS)[number], number>> = {};
  for (const column of TIME_COLUMNS) {
    const value = text(column);
    if (value === undefined) continue;
    const ms = toEpochMs(value);
    if (ms === undefined)
      issues.push({ column, message: `must be ISO 8601 with an offset, got ${JSON.stringify(value)}` });
    else times[column] = ms;
  }
  const answeredBy = text('answered_by')?.toLowerCase();
  if (answeredBy !== undefined && !ANSWERED_BY.has(answeredBy)) {
    issues.push({ column: 'answered_by', message: `must be one of ${[...ANSWERED_BY].join(', ')}` });
  }
  const cycleType = text('cycle_type')?.toLowerCase();
  if (cycleType !== undefined && !CYCLES.has(cycleType)) {
    issues.push({ column: 'cycle_type', message: `must be one of ${[...CYCLES].join(', ')}` });
  }
  const holdSeconds = number('hold_seconds', false);
  const attemptNumber = number('attempt_number', true);
  const outcomeAmountCents = number('outcome_amount_cents', true);
  const transferred = flag('transferred');
  const successful = flag('successful');
  const rightPartyContact = flag('right_party_contact');
  const dropped = flag('dropped');
  const amdFalsePositive = flag('amd_false_positive');
  if (issues.length > 0) return { ok: false, issues };

  const inferred: string[] = [];
  if (times.created_at === undefined) {
    const present = Object.values(times);
    if (present.length === 0)
      return { ok: false, issues: [{ column: 'created_at', message: 'the row has no timestamp' }] };
    times.created_at = Math.min(...present);
    inferred.push('created_at');
  }
  const queue = text('queue');
  if (
    direction === 'inbound' &&
    queue &&
    times.queued_at === undefined &&
    (times.answered_at !== undefined || times.abandoned_at !== undefined)
  ) {
    times.queued_at = times.created_at;
    inferred.push('queued_at');
  }
  if (direction === 'outbound' && times.dialed_at === undefined) {
    times.dialed_at = times.created_at;
    inferred.push('dialed_at');
  }

  const record: InteractionRecord = {
    id: id!,
    orgId,
    channel: channel!,
    direction: direction as 'inbound' | 'outbound',
    queue: queue ?? null,
    campaign: text('campaign') ?? null,
    operator: text('operator') ?? null,
    supporterId: text('supporter_external_id') ?? null,
    cycleType: (cycleType as InteractionRecord['cycleType']) ?? null,
    createdAt: times.created_at,
    queuedAt: times.queued_at ?? null,
    offeredAt: times.offered_at ?? null,
    answeredAt: times.answered_at ?? null,
    abandonedAt: times.abandoned_at ?? null,
    endedAt: times.ended_at ?? null,
    wrapEndedAt: times.wrap_ended_at ?? null,
    holdSeconds: holdSeconds ?? null,
    transferred: transferred ?? null,
    outcome: text('outcome') ?? null,
    successful: successful ?? null,
    dialedAt: times.dialed_at ?? null,
    calleeAnsweredAt: times.callee_answered_at ?? null,
    answeredBy: (answeredBy as AnsweredBy | undefined) ?? null,
    rightPartyContact: rightPartyContact ?? null,
    dropped: dropped ?? null,
    amdFalsePositive: amdFalsePositive ?? null,
    listRecordId: text('list_record_id') ?? null,
    attemptNumber: attemptNumber ?? null,
    cycleStartedAt: times.cycle_started_at ?? null,
    outcomeAmountCents: outcomeAmountCents ?? null,
  };
  // The same phase checks as every other record (answered before queued, hold longer than the call…).
  try {
    normalizeInteractions([record], 'row');
  } catch (error) {
    if (!(error instanceof KpiError)) throw error;
    return {
      ok: false,
      issues: error.issues.map((issue) => ({
        column: snakeCase(issue.field.replace(/^row\[0\]\./, '')),
        message: issue.message.replace(/\b[a-z]+[A-Z][A-Za-z]*\b/g, snakeCase),
      })),
    };
  }
  return { ok: true, record, inferred };
}

function snakeCase(field: string): string {
  const column = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return column === 'supporter_id' ? 'supporter_external_id' : column;
}
