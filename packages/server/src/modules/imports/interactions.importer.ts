// Interaction history import (CDR, issue 7): one contact per row, read by the
// engine's interactionFromCdrRow (which decides what a row means and infers
// missing phases, never flattering a contract figure), stored in interactions
// and counted in the KPI rollups in the same transaction as its batch.
//
// Idempotent on the row's `id` (interactions.external_id, unique per
// organization): a contact already imported is left as it is (unchanged), so
// the same file twice changes nothing. History is not rewritten by an import.
// `supporter_external_id` names the supporter by its id in the file's system
// (supporter_external_ids, like gifts and commitments).
import { CDR_COLUMNS, type InteractionRecord, interactionFromCdrRow } from '@centralino/engine';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { insertInteractionRecords } from '../kpis/kpi-records.ts';
import { lockKpiRollups, refreshKpiRollupsFor } from '../kpis/kpi-rollups.service.ts';
import type { BatchOutcome, ImportContext, Importer, PreparedRow, RowIssue } from './import.types.ts';
import type { ImportField, ResolvedMapping } from './mapping.ts';
import type { TableRow } from './reader/table-reader.ts';
import { resolveSupporters, SUPPORTER_REF_ALIASES, unknownSupporter } from './supporter-refs.ts';

/** Channels interactions.channel accepts (0007_live_center.sql). */
const CHANNELS = new Set(['voice', 'chat', 'email', 'sms', 'social']);
const MAX_INTEGER = 2_147_483_647;

/** Italian spellings seen in switchboard exports, besides the column names themselves. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  id: ['callid', 'idchiamata', 'idcontatto', 'uniqueid', 'cdrid'],
  channel: ['canale'],
  direction: ['direzione', 'verso'],
  queue: ['coda'],
  campaign: ['campagna'],
  operator: ['operatore', 'agent', 'agente'],
  supporter_external_id: SUPPORTER_REF_ALIASES,
  outcome: ['esito', 'disposition'],
};

export const INTERACTION_FIELDS: readonly ImportField[] = CDR_COLUMNS.map((column) => {
  const name = column.replace('*', '');
  return { name, aliases: ALIASES[name] ?? [], ...(column.endsWith('*') ? { required: true } : {}) };
});

export type InteractionImportRecord = {
  record: InteractionRecord;
  /** The cell naming the supporter, resolved at apply time. */
  supporter: { column: string; value: string } | null;
};

export function createInteractionsImporter(): Importer<InteractionImportRecord> {
  // Whether this file's rows are being met already stored (a file imported again, or
  // finished after a crash): its batches then look their ids up before inserting.
  const known = { expected: true };
  return {
    kind: 'interactions',
    fields: INTERACTION_FIELDS,
    // No statistics refresh while importing: every lookup of a batch (the rows it
    // stored, the history and later contacts of their supporters and list
    // records) is served by that key's index whatever the statistics say
    // (kpi-records.ts, `lookup`), the rollups are written by their key, and an
    // ANALYZE of a large interactions table costs seconds each time.
    tables: [],
    prepare: prepareInteraction,
    apply: (tx, rows, context) => applyInteractions(tx, rows, context, known),
    // The next batch's INSERT runs while this one refreshes the rollups: the database
    // then works on two cores; the refreshes follow one another (lockKpiRollups, applyInteractions).
    concurrentBatches: 2,
  };
}

export function prepareInteraction(
  row: TableRow,
  mapping: ResolvedMapping,
  context: ImportContext,
): PreparedRow<InteractionImportRecord> {
  const columnOf = (field: string) => mapping.fields.get(field)?.[0] ?? field;
  const cells: Record<string, string> = {};
  for (const [field, columns] of mapping.fields) cells[field] = row.values[columns[0]!] ?? '';
  const issue = (field: string, reason: string): RowIssue => ({
    line: row.line,
    column: columnOf(field),
    value: cells[field]?.trim() ?? '',
    reason,
  });
  if (row.error)
    return { line: row.line, issues: [{ line: row.line, column: '', value: '', reason: row.error }] };
  const result = interactionFromCdrRow(cells, context.orgId);
  if (!result.ok) return { line: row.line, issues: result.issues.map((i) => issue(i.column, i.message)) };
  const record = result.record;
  // What the engine accepts but the interactions table does not hold.
  const issues: RowIssue[] = [];
  if (!CHANNELS.has(record.channel))
    issues.push(issue('channel', `must be one of ${[...CHANNELS].join(', ')}`));
  for (const [field, max] of [
    ['id', 200],
    ['queue', 100],
    ['campaign', 100],
    ['operator', 100],
    ['outcome', 100],
    ['list_record_id', 200],
  ] as const) {
    if ((cells[field]?.trim().length ?? 0) > max)
      issues.push(issue(field, `is longer than ${max} characters`));
  }
  if (record.attemptNumber === 0)
    issues.push(issue('attempt_number', 'must be 1 or more (1 = first attempt)'));
  if ((record.attemptNumber ?? 0) > MAX_INTEGER) issues.push(issue('attempt_number', 'is too large'));
  if ((record.outcomeAmountCents ?? 0) > MAX_INTEGER)
    issues.push(issue('outcome_amount_cents', 'is too large'));
  if ((record.holdSeconds ?? 0) > MAX_INTEGER) issues.push(issue('hold_seconds', 'is too large'));
  if (issues.length > 0) return { line: row.line, issues };
  const supporterValue = cells.supporter_external_id?.trim();
  return {
    line: row.line,
    record: {
      record,
      supporter: supporterValue ? { column: columnOf('supporter_external_id'), value: supporterValue } : null,
    },
  };
}

const TIMESTAMPS = [
  ['created_at', 'createdAt'],
  ['queued_at', 'queuedAt'],
  ['offered_at', 'offeredAt'],
  ['answered_at', 'answeredAt'],
  ['abandoned_at', 'abandonedAt'],
  ['wrap_ended_at', 'wrapEndedAt'],
  ['dialed_at', 'dialedAt'],
  ['callee_answered_at', 'calleeAnsweredAt'],
  ['cycle_started_at', 'cycleStartedAt'],
] as const;

async function applyInteractions(
  tx: Tx,
  rows: readonly { line: number; record: InteractionImportRecord }[],
  context: ImportContext,
  known: { expected: boolean },
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { created: 0, updated: 0, unchanged: 0, rejected: [] };
  const supporters = await resolveSupporters(
    tx,
    context,
    rows.flatMap((r) => (r.record.supporter ? [r.record.supporter.value] : [])),
  );
  // Ids already stored, looked up only while the file keeps meeting some (the first batch
  // checks): the insert below skips them anyway, but builds and parses all of the row to do so.
  const alreadyStored = known.expected ? await storedIds(tx, context.orgId, rows) : new Set<string>();
  known.expected = alreadyStored.size > 0;
  const stored: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const { line, record: item } of rows) {
    let supporterId: string | null = null;
    if (item.supporter) {
      supporterId = supporters.get(item.supporter.value) ?? null;
      if (!supporterId) {
        outcome.rejected.push(unknownSupporter(line, item.supporter, context));
        continue;
      }
    }
    // Of two rows with one id, the first is stored: a later one is the same contact again.
    if (seen.has(item.record.id) || alreadyStored.has(item.record.id)) {
      outcome.unchanged++;
      continue;
    }
    seen.add(item.record.id);
    stored.push(storedRow(item.record, supporterId));
  }
  if (stored.length === 0) return outcome;
  // One array per column, unnested in one INSERT: a typed array parses much faster
  // than a JSON document per row, and the statement is the same for every batch.
  const column = (name: string) => stored.map((row) => row[name] ?? null);
  // Epoch milliseconds to timestamptz, exactly (integer microseconds, no float rounding).
  const at = (name: string) => sql.raw(`'epoch'::timestamptz + v.${name} * interval '1 millisecond'`);
  const inserted = await insertInteractionRecords(
    tx,
    context.orgId,
    sql`
    insert into interactions (
      org_id, external_id, channel, direction, source_queue, source_campaign, source_operator, supporter_id,
      cycle_type, created_at, queued_at, offered_at, answered_at, abandoned_at, ended_at, ended_at_inferred,
      wrap_ended_at, dialed_at, callee_answered_at, answered_by, amd_false_positive, dropped, hold_seconds,
      transferred, source_outcome, successful, right_party_contact, list_record_id, attempt_number,
      cycle_started_at, outcome_amount_cents, end_cause)
    select ${context.orgId}::uuid, v.external_id, v.channel, v.direction, v.source_queue, v.source_campaign,
           v.source_operator, v.supporter_id, v.cycle_type, ${at('created_at')}, ${at('queued_at')},
           ${at('offered_at')}, ${at('answered_at')}, ${at('abandoned_at')}, ${at('ended_at')},
           v.ended_at_inferred, ${at('wrap_ended_at')}, ${at('dialed_at')}, ${at('callee_answered_at')},
           v.answered_by, v.amd_false_positive, v.dropped, v.hold_seconds, v.transferred, v.source_outcome,
           v.successful, v.right_party_contact, v.list_record_id, v.attempt_number, ${at('cycle_started_at')},
           v.outcome_amount_cents, v.end_cause
    from unnest(
      ${column('external_id')}::text[], ${column('channel')}::text[], ${column('direction')}::text[],
      ${column('source_queue')}::text[], ${column('source_campaign')}::text[], ${column('source_operator')}::text[],
      ${column('supporter_id')}::uuid[], ${column('cycle_type')}::text[], ${column('created_at')}::bigint[],
      ${column('queued_at')}::bigint[], ${column('offered_at')}::bigint[], ${column('answered_at')}::bigint[],
      ${column('abandoned_at')}::bigint[], ${column('ended_at')}::bigint[], ${column('ended_at_inferred')}::boolean[],
      ${column('wrap_ended_at')}::bigint[], ${column('dialed_at')}::bigint[], ${column('callee_answered_at')}::bigint[],
      ${column('answered_by')}::text[], ${column('amd_false_positive')}::boolean[], ${column('dropped')}::boolean[],
      ${column('hold_seconds')}::integer[], ${column('transferred')}::boolean[], ${column('source_outcome')}::text[],
      ${column('successful')}::boolean[], ${column('right_party_contact')}::boolean[],
      ${column('list_record_id')}::text[], ${column('attempt_number')}::integer[],
      ${column('cycle_started_at')}::bigint[], ${column('outcome_amount_cents')}::integer[],
      ${column('end_cause')}::text[]
    ) as v(external_id, channel, direction, source_queue, source_campaign, source_operator, supporter_id,
           cycle_type, created_at, queued_at, offered_at, answered_at, abandoned_at, ended_at, ended_at_inferred,
           wrap_ended_at, dialed_at, callee_answered_at, answered_by, amd_false_positive, dropped, hold_seconds,
           transferred, source_outcome, successful, right_party_contact, list_record_id, attempt_number,
           cycle_started_at, outcome_amount_cents, end_cause)
    on conflict (external_id, org_id) where external_id is not null do nothing
    returning *`,
  );
  outcome.created = inserted.length;
  outcome.unchanged += stored.length - outcome.created;
  // The rows just inserted were never counted (a row already stored is skipped above): their
  // counters are added, unless an interaction stored earlier depends on them — then a rebuild.
  // Two batches are in flight (concurrentBatches): the lock is taken before the refresh reads
  // anything, so the refresh runs after the previous batch committed and sees its rows, as
  // history or as later contacts, whichever they are.
  if (inserted.length === 0) return outcome;
  await lockKpiRollups(tx, context.orgId);
  await refreshKpiRollupsFor(tx, {
    orgId: context.orgId,
    interactionIds: inserted.map((r) => r.id),
    firstClose: true,
    records: inserted,
  });
  return outcome;
}

/** The ids of `rows` the organization already has. */
async function storedIds(
  tx: Tx,
  orgId: string,
  rows: readonly { record: InteractionImportRecord }[],
): Promise<Set<string>> {
  // `(…) is true`: the unique index led by external_id serves the lookup whatever the statistics (kpi-records.ts).
  const found = await sql<{ external_id: string }>`
    select external_id from interactions i
    where i.external_id = any(${rows.map((r) => r.record.record.id)}::text[])
      and (i.org_id = ${orgId}::uuid) is true`.execute(tx);
  return new Set(found.rows.map((r) => r.external_id));
}

/** The interactions row of a CDR record: every phase as given, closed for good. */
function storedRow(record: InteractionRecord, supporterId: string | null): Record<string, unknown> {
  // Whole epoch milliseconds (as the Date of a fractional instant), sent as numbers: no text to format or parse.
  const at = (value: InteractionRecord['createdAt'] | null | undefined) =>
    value == null ? null : typeof value === 'number' ? Math.floor(value) : new Date(value).getTime();
  const row: Record<string, unknown> = {
    external_id: record.id,
    channel: record.channel,
    direction: record.direction,
    source_queue: record.queue ?? null,
    source_campaign: record.campaign ?? null,
    source_operator: record.operator ?? null,
    supporter_id: supporterId,
    cycle_type: record.cycleType ?? null,
    answered_by: record.answeredBy ?? null,
    amd_false_positive: record.amdFalsePositive ?? null,
    dropped: record.dropped ?? null,
    // Whole seconds (the column's unit), rounded down: hold can then never
    // exceed the call, and handle time (talk + hold) is unchanged.
    hold_seconds: Math.floor(record.holdSeconds ?? 0),
    transferred: record.transferred ?? null,
    source_outcome: record.outcome ?? null,
    successful: record.successful ?? null,
    right_party_contact: record.rightPartyContact ?? null,
    list_record_id: record.listRecordId ?? null,
    attempt_number: record.attemptNumber ?? null,
    outcome_amount_cents: record.outcomeAmountCents ?? null,
    end_cause: record.abandonedAt != null ? 'abandoned' : 'completed',
  };
  let last = Number.NEGATIVE_INFINITY;
  for (const [column, field] of TIMESTAMPS) {
    row[column] = at(record[field]);
    // The cycle's start is not a phase of this contact.
    if (record[field] != null && field !== 'cycleStartedAt') last = Math.max(last, record[field] as number);
  }
  // A history row is closed: without its end, it ends at its last known
  // instant (so recovery never reopens it) and ended_at_inferred keeps the
  // KPIs reading no end.
  row.ended_at = at(record.endedAt ?? last);
  row.ended_at_inferred = record.endedAt == null;
  return row;
}
