// The supporter 360 of the operator's screen pop (issue 6): who the donor is
// and how to reach them, their current consents, their commitments (IBAN
// masked: what an upgrade or recapture disposition names), their last gifts,
// their last contacts and the callbacks still open. Read from the supporters,
// giving and live-center tables through their own services.
import type { Database } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { listSupporterCommitments } from '../giving/commitments.service.ts';
import { listGifts } from '../giving/gifts.service.ts';
import { getSupporter } from './supporters.service.ts';

export type RecentInteraction = {
  id: string;
  direction: string;
  createdAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  queueId: string | null;
  campaignId: string | null;
  operatorId: string | null;
  outcome: string | null;
  disposition: string | null;
  notes: string;
};

export type OpenCallback = {
  id: string;
  dueAt: string;
  phone: string;
  status: string;
  ownerUserId: string | null;
  queueId: string | null;
  campaignId: string | null;
  interactionId: string | null;
  notes: string;
};

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

/** `limit` caps the gifts and the interactions (newest first); every commitment and open callback is listed. */
export async function supporter360(options: {
  db: Database;
  secrets: SecretBox;
  orgId: string;
  supporterId: string;
  limit?: number;
}) {
  const { db, orgId, supporterId } = options;
  const limit = options.limit ?? 10;
  // 404 SUPPORTER_NOT_FOUND first; its record carries the current consents.
  const supporter = await getSupporter({ db, orgId, supporterId });
  const commitments = await listSupporterCommitments({ db, secrets: options.secrets, orgId, supporterId });
  const gifts = await listGifts({ db, orgId, supporterId, limit });
  const { interactions, callbacks } = await db.readForOrg(orgId, async (tx) => ({
    interactions: await tx
      .selectFrom('interactions')
      .select([
        'id',
        'direction',
        'created_at',
        'answered_at',
        'ended_at',
        'queue_id',
        'campaign_id',
        'operator_id',
        'outcome',
        'disposition',
        'notes',
      ])
      .where('supporter_id', '=', supporterId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
    callbacks: await tx
      .selectFrom('callbacks')
      .select([
        'id',
        'due_at',
        'phone',
        'status',
        'owner_user_id',
        'queue_id',
        'campaign_id',
        'interaction_id',
        'notes',
      ])
      .where('supporter_id', '=', supporterId)
      .where('status', 'in', ['waiting', 'in_progress'])
      .orderBy('due_at')
      .execute(),
  }));
  return {
    supporter,
    consents: supporter.consents,
    commitments,
    gifts: gifts.items,
    interactions: interactions.map(
      (row): RecentInteraction => ({
        id: row.id,
        direction: row.direction,
        createdAt: row.created_at.toISOString(),
        answeredAt: iso(row.answered_at),
        endedAt: iso(row.ended_at),
        queueId: row.queue_id,
        campaignId: row.campaign_id,
        operatorId: row.operator_id,
        outcome: row.outcome,
        disposition: row.disposition,
        notes: row.notes,
      }),
    ),
    callbacks: callbacks.map(
      (row): OpenCallback => ({
        id: row.id,
        dueAt: row.due_at.toISOString(),
        phone: row.phone,
        status: row.status,
        ownerUserId: row.owner_user_id,
        queueId: row.queue_id,
        campaignId: row.campaign_id,
        interactionId: row.interaction_id,
        notes: row.notes,
      }),
    ),
  };
}
