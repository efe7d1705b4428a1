// The callbacks an operator owns: the "call back at … for me" they recorded on
// a contact (a call_back disposition with owner `me`), still waiting. The
// operator desktop lists them so nobody forgets a promise made to a donor; the
// runtime offers each to its owner when due (a queue's callback) or the dialer
// calls it for them (a campaign's). Read per organization, under its row-level
// security, over the organizations the operator serves.
import type { Database } from '../../db/database.ts';

export type OwnedCallback = {
  id: string;
  orgId: string;
  dueAt: string;
  phone: string;
  supporterId: string | null;
  /** "First Last" of the supporter, null when the caller was not identified. */
  supporterName: string | null;
  queueId: string | null;
  campaignId: string | null;
  /** The queue's or the campaign's name. */
  targetName: string;
  interactionId: string | null;
  notes: string;
};

/** Waiting callbacks owned by `userId`, soonest first (at most `limit`). */
export async function ownedCallbacks(options: {
  db: Database;
  userId: string;
  orgIds: readonly string[];
  limit?: number;
}): Promise<OwnedCallback[]> {
  const limit = options.limit ?? 100;
  const found: OwnedCallback[] = [];
  for (const orgId of options.orgIds) {
    const rows = await options.db.readForOrg(orgId, (tx) =>
      tx
        .selectFrom('callbacks as c')
        .leftJoin('supporters as s', 's.id', 'c.supporter_id')
        .leftJoin('queues as q', 'q.id', 'c.queue_id')
        .leftJoin('campaigns as k', 'k.id', 'c.campaign_id')
        .select([
          'c.id',
          'c.due_at',
          'c.phone',
          'c.supporter_id',
          's.first_name',
          's.last_name',
          'c.queue_id',
          'c.campaign_id',
          'q.name as queue_name',
          'k.name as campaign_name',
          'c.interaction_id',
          'c.notes',
        ])
        // The partial index callbacks_owner (owner_user_id, due_at) where status = 'waiting'.
        .where('c.owner_user_id', '=', options.userId)
        .where('c.status', '=', 'waiting')
        .orderBy('c.due_at')
        .orderBy('c.id')
        .limit(limit)
        .execute(),
    );
    for (const row of rows)
      found.push({
        id: row.id,
        orgId,
        dueAt: row.due_at.toISOString(),
        phone: row.phone,
        supporterId: row.supporter_id,
        supporterName: row.first_name === null ? null : `${row.first_name} ${row.last_name ?? ''}`.trim(),
        queueId: row.queue_id,
        campaignId: row.campaign_id,
        targetName: row.queue_name ?? row.campaign_name ?? '',
        interactionId: row.interaction_id,
        notes: row.notes,
      });
  }
  found.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  return found.slice(0, limit);
}
