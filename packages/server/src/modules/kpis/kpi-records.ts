// Stored interactions as the engine's InteractionRecord: one SELECT shared by
// the rollup maintenance, the rebuild and the drill-down, so every path reads
// the same record the same way (what makes a rebuild equal the increments).
//
// Dimensions are text: the queue's key, else the name a history import gave
// (source_queue); the campaign's id, else the imported name; the operator's
// user id, else the imported name. Timestamps are whole epoch milliseconds.
import type { CountBy, InteractionRecord } from '@centralino/engine';
import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../db/database.ts';

/** The record and what the drill-down lists besides it. */
export type StoredInteraction = InteractionRecord & { externalId: string | null };

type Row = {
  id: string;
  external_id: string | null;
  channel: string;
  direction: 'inbound' | 'outbound';
  queue: string | null;
  campaign: string | null;
  operator: string | null;
  supporter_id: string | null;
  cycle_type: string | null;
  created_at: number;
  queued_at: number | null;
  offered_at: number | null;
  answered_at: number | null;
  abandoned_at: number | null;
  ended_at: number | null;
  wrap_ended_at: number | null;
  dialed_at: number | null;
  callee_answered_at: number | null;
  cycle_started_at: number | null;
  answered_by: InteractionRecord['answeredBy'];
  hold_seconds: number;
  transferred: boolean;
  outcome: string | null;
  successful: boolean | null;
  right_party_contact: boolean | null;
  dropped: boolean | null;
  amd_false_positive: boolean | null;
  list_record_id: string | null;
  attempt_number: number | null;
  outcome_amount_cents: number | null;
};

const ms = (column: string) => sql.raw(`floor(extract(epoch from i.${column}) * 1000)::float8`);

/**
 * The instant that places a stored interaction in an interval, in SQL: the
 * engine's countingInstant (kpi.contributions.ts) — outbound at the dial,
 * inbound when queued (or answered/abandoned with countBy 'answered').
 */
export function countingInstantSql(countBy: CountBy): RawBuilder<Date> {
  // 'queued' is the stored column counted_at (0009_kpi_indexes.sql), which its index serves.
  return countBy === 'answered'
    ? sql`(case when i.direction = 'outbound' then coalesce(i.dialed_at, i.created_at)
               else coalesce(i.answered_at, i.abandoned_at, i.queued_at, i.created_at) end)`
    : sql`i.counted_at`;
}

/**
 * Interactions of an organization matching `where` (over alias `i`), as records.
 *
 * `lookup`: `where` names the rows by a key of their own (ids, supporters, list
 * records), so an index led by that key must serve it. The organization is then
 * checked as `(…) is true`, which no index matches: with it as a plain equality
 * the planner may prefer an index led by org_id whenever its statistics believe
 * the organization small (an organization an import is filling, not analysed
 * since), and read every row the organization has for each lookup.
 */
export async function selectInteractionRecords(
  tx: Tx,
  orgId: string,
  where: RawBuilder<unknown>,
  options: { lookup?: boolean } = {},
): Promise<StoredInteraction[]> {
  const ofOrg = options.lookup ? sql`(i.org_id = ${orgId}::uuid) is true` : sql`i.org_id = ${orgId}::uuid`;
  const result = await sql<Row>`
    select ${RECORD_COLUMNS}
    from interactions i
    left join queues q on q.org_id = i.org_id and q.id = i.queue_id
    left join campaigns c on c.org_id = i.org_id and c.id = i.campaign_id
    where ${ofOrg} and (${where})`.execute(tx);
  return result.rows.map((row) => recordOf(row, orgId));
}

/**
 * Runs `insert` (an INSERT into interactions … RETURNING *) and answers the rows
 * it stored as records, read exactly as selectInteractionRecords reads them:
 * an importer gets what it stored without reading it back.
 */
export async function insertInteractionRecords(
  tx: Tx,
  orgId: string,
  insert: RawBuilder<unknown>,
): Promise<StoredInteraction[]> {
  const result = await sql<Row>`
    with stored as (${insert})
    select ${RECORD_COLUMNS}
    from stored i
    left join queues q on q.org_id = i.org_id and q.id = i.queue_id
    left join campaigns c on c.org_id = i.org_id and c.id = i.campaign_id`.execute(tx);
  return result.rows.map((row) => recordOf(row, orgId));
}

/** The record's columns over `i` (interactions), `q` (its queue) and `c` (its campaign). */
const RECORD_COLUMNS = sql`
  i.id, i.external_id, i.channel, i.direction,
  coalesce(q.key, i.source_queue) as queue,
  coalesce(i.campaign_id::text, i.source_campaign) as campaign,
  coalesce(i.operator_id::text, i.source_operator) as operator,
  i.supporter_id,
  coalesce(i.cycle_type, c.cycle_type, case when i.direction = 'inbound' then 'inbound' end) as cycle_type,
  ${ms('created_at')} as created_at, ${ms('queued_at')} as queued_at, ${ms('offered_at')} as offered_at,
  ${ms('answered_at')} as answered_at, ${ms('abandoned_at')} as abandoned_at,
  case when i.ended_at_inferred then null else ${ms('ended_at')} end as ended_at,
  ${ms('wrap_ended_at')} as wrap_ended_at, ${ms('dialed_at')} as dialed_at,
  ${ms('callee_answered_at')} as callee_answered_at, ${ms('cycle_started_at')} as cycle_started_at,
  i.answered_by, i.hold_seconds,
  coalesce(i.transferred, jsonb_array_length(i.transfers) > 0) as transferred,
  coalesce(i.disposition, i.source_outcome, i.outcome) as outcome,
  i.successful, i.right_party_contact, i.dropped, i.amd_false_positive, i.list_record_id,
  i.attempt_number, i.outcome_amount_cents`;

function recordOf(row: Row, orgId: string): StoredInteraction {
  return {
    id: row.id,
    externalId: row.external_id,
    orgId,
    channel: row.channel,
    direction: row.direction,
    queue: row.queue,
    campaign: row.campaign,
    operator: row.operator,
    supporterId: row.supporter_id,
    cycleType: row.cycle_type as InteractionRecord['cycleType'],
    createdAt: row.created_at,
    queuedAt: row.queued_at,
    offeredAt: row.offered_at,
    answeredAt: row.answered_at,
    abandonedAt: row.abandoned_at,
    endedAt: row.ended_at,
    wrapEndedAt: row.wrap_ended_at,
    holdSeconds: row.hold_seconds,
    transferred: row.transferred,
    outcome: row.outcome,
    successful: row.successful,
    dialedAt: row.dialed_at,
    calleeAnsweredAt: row.callee_answered_at,
    answeredBy: row.answered_by,
    rightPartyContact: row.right_party_contact,
    dropped: row.dropped,
    amdFalsePositive: row.amd_false_positive,
    listRecordId: row.list_record_id,
    attemptNumber: row.attempt_number,
    cycleStartedAt: row.cycle_started_at,
    outcomeAmountCents: row.outcome_amount_cents,
  };
}
