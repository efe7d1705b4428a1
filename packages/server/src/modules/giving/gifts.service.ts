// Gifts and payments: one row per collection attempt, one-off or under a
// regular gift. A collected SEPA gift keeps its mandate alive (last collection,
// FRST → RCUR); a failed one carries the bank's return reason code.
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { GiftMethod, GiftStatus, GiftsTable } from '../../db/schema.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import { assertSupporterAcceptsGiving, assertSupporterExists } from './commitments.service.ts';
import { sepaReturnReason } from './crm-engine.ts';
import { DATE_PATTERN, decodeCursor, encodeCursor, UUID_PATTERN } from './cursor.ts';
import { givingErrors, isUniqueViolation } from './giving.errors.ts';

export type Gift = {
  id: string;
  supporterId: string;
  commitmentId: string | null;
  externalId: string | null;
  giftDate: string;
  amountCents: number;
  currency: string;
  method: GiftMethod;
  status: GiftStatus;
  returnCode: string | null;
  returnReason: string | null;
  campaignCode: string | null;
  createdAt: string;
};

export type NewGift = {
  orgId: string;
  supporterId: string;
  giftDate: string;
  amountCents: number;
  currency?: string | undefined;
  method: GiftMethod;
  status?: GiftStatus | undefined;
  /** SEPA return reason code (EPC173-14), for a failed or refunded gift. */
  returnCode?: string | null | undefined;
  campaignCode?: string | null | undefined;
  /** A commitment of the same supporter. */
  commitmentId?: string | null | undefined;
  externalId?: string | null | undefined;
};

const GIFT_COLUMNS = [
  'id',
  'supporter_id',
  'commitment_id',
  'external_id',
  'gift_date',
  'amount_cents',
  'currency',
  'method',
  'status',
  'return_code',
  'campaign_code',
  'created_at',
] as const satisfies readonly (keyof GiftsTable)[];

type GiftRow = {
  id: string;
  supporter_id: string;
  commitment_id: string | null;
  external_id: string | null;
  gift_date: string;
  amount_cents: number;
  currency: string;
  method: GiftMethod;
  status: GiftStatus;
  return_code: string | null;
  campaign_code: string | null;
  created_at: Date;
};

function toGift(row: GiftRow): Gift {
  return {
    id: row.id,
    supporterId: row.supporter_id,
    commitmentId: row.commitment_id,
    externalId: row.external_id,
    giftDate: row.gift_date,
    amountCents: row.amount_cents,
    currency: row.currency,
    method: row.method,
    status: row.status,
    returnCode: row.return_code,
    returnReason: row.return_code ? (sepaReturnReason(row.return_code)?.en ?? null) : null,
    campaignCode: row.campaign_code,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Records a gift in the caller's unit of work with its `gift.recorded` outbox event.
 * A collected SEPA direct debit under a commitment moves the mandate's last collection
 * forward and its sequence type from FRST to RCUR (the next collection is recurring).
 */
export async function insertGift(tx: Tx, input: NewGift): Promise<Gift> {
  const status = input.status ?? 'collected';
  let returnCode: string | null = null;
  if (input.returnCode) {
    if (status === 'collected') throw givingErrors.returnCodeNotAllowed();
    const known = sepaReturnReason(input.returnCode);
    if (!known) throw givingErrors.returnCodeUnknown(input.returnCode);
    returnCode = known.code;
  } else if (status === 'failed' && input.method === 'sepa_direct_debit') {
    throw givingErrors.returnCodeRequired();
  }
  await assertSupporterAcceptsGiving(tx, input.orgId, input.supporterId);
  if (input.commitmentId) {
    const commitment = await tx
      .selectFrom('commitments')
      .select('supporter_id')
      .where('id', '=', input.commitmentId)
      .executeTakeFirst();
    if (!commitment || commitment.supporter_id !== input.supporterId)
      throw givingErrors.giftCommitmentInvalid();
  }
  if (input.externalId) {
    const taken = await tx
      .selectFrom('gifts')
      .select('id')
      .where('org_id', '=', input.orgId)
      .where('external_id', '=', input.externalId)
      .executeTakeFirst();
    if (taken) throw givingErrors.giftExternalIdTaken();
  }
  let row: GiftRow;
  try {
    row = await tx
      .insertInto('gifts')
      .values({
        org_id: input.orgId,
        supporter_id: input.supporterId,
        commitment_id: input.commitmentId ?? null,
        external_id: input.externalId ?? null,
        gift_date: input.giftDate,
        amount_cents: input.amountCents,
        currency: input.currency ?? 'EUR',
        method: input.method,
        status,
        return_code: returnCode,
        campaign_code: input.campaignCode ?? null,
      })
      .returning(GIFT_COLUMNS)
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error, 'gifts_external_id')) throw givingErrors.giftExternalIdTaken();
    throw error;
  }
  if (row.commitment_id && row.method === 'sepa_direct_debit' && row.status === 'collected') {
    await tx
      .updateTable('mandates')
      .set({
        last_collection_on: sql<string>`greatest(last_collection_on, ${row.gift_date}::date)`,
        sequence_type: sql<'RCUR'>`case when sequence_type = 'FRST' then 'RCUR' else sequence_type end`,
        updated_at: new Date(),
      })
      .where('commitment_id', '=', row.commitment_id)
      .execute();
  }
  const gift = toGift(row);
  const { createdAt: _createdAt, id, ...data } = gift;
  await emitEvent(tx, 'gift.recorded', { giftId: id, ...data });
  return gift;
}

export async function recordGift(options: { db: Database } & NewGift): Promise<Gift> {
  const { db, ...input } = options;
  return db.forOrg(input.orgId, (tx) => insertGift(tx, input));
}

/**
 * Gifts newest first (gift date, then id), a page at a time: the cursor is the last
 * row's (gift date, id), so pages stay stable while gifts are added.
 */
export async function listGifts(options: {
  db: Database;
  orgId: string;
  supporterId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}): Promise<{ items: Gift[]; nextCursor: string | null }> {
  const { orgId } = options;
  if (options.from && options.to && options.from > options.to) throw givingErrors.dateRangeInvalid();
  const after = options.cursor ? decodeCursor(options.cursor, [DATE_PATTERN, UUID_PATTERN]) : undefined;
  const rows = await options.db.readForOrg(orgId, async (tx) => {
    if (options.supporterId) await assertSupporterExists(tx, orgId, options.supporterId);
    let query = tx
      .selectFrom('gifts')
      .select(GIFT_COLUMNS)
      .where('org_id', '=', orgId)
      .orderBy('gift_date', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit + 1);
    if (options.supporterId) query = query.where('supporter_id', '=', options.supporterId);
    if (options.from) query = query.where('gift_date', '>=', options.from);
    if (options.to) query = query.where('gift_date', '<=', options.to);
    if (after) {
      query = query.where(sql<boolean>`(gift_date, id) < (${after[0]}::date, ${after[1]}::uuid)`);
    }
    return (await query.execute()) as GiftRow[];
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map(toGift),
    nextCursor: rows.length > options.limit && last ? encodeCursor([last.gift_date, last.id]) : null,
  };
}
