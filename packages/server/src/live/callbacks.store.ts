// The callbacks of queues as the live runtime reads and writes them: a caller
// who accepted the IVR's callback offer, a voicemail left for an operator, an
// operator's "call back at" on an inbound contact. A callback is a task that
// keeps its place: `queued_since` is when the caller's wait began, and the
// runtime enqueues it with that time (engine/routing `enqueuedAt`). The
// callbacks of campaigns are not read here: the dialer calls those contacts
// from the campaign's call list.
import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import { emitEvent } from '../modules/webhooks/outbox.ts';

export type QueueCallbackRow = {
  id: string;
  orgId: string;
  queueId: string;
  supporterId: string | null;
  phone: string;
  dueAt: number;
  queuedSince: number;
  ownerUserId: string | null;
  notes: string;
  /** Dial attempts already made (interactions that carried this callback). */
  attempts: number;
};

/** Asked on an inbound call (IVR offer or voicemail): waiting from now, its place from `queuedSince`. */
export async function insertQueueCallback(options: {
  db: Database;
  orgId: string;
  id: string;
  queueId: string;
  supporterId: string | null;
  phone: string;
  dueAt: Date;
  queuedSince: Date;
  interactionId: string;
  notes: string;
}): Promise<void> {
  await options.db.forOrg(options.orgId, async (tx) => {
    await tx
      .insertInto('callbacks')
      .values({
        id: options.id,
        org_id: options.orgId,
        supporter_id: options.supporterId,
        phone: options.phone,
        queue_id: options.queueId,
        due_at: options.dueAt,
        queued_since: options.queuedSince,
        interaction_id: options.interactionId,
        notes: options.notes,
      })
      .execute();
    await emitEvent(tx, 'callback.scheduled', {
      callbackId: options.id,
      supporterId: options.supporterId,
      queueId: options.queueId,
      campaignId: null,
      dueAt: options.dueAt.toISOString(),
      ownerUserId: null,
      interactionId: options.interactionId,
    });
  });
}

/** The waiting callbacks of queues due by `until` (every organization), with their attempts so far. */
export async function loadDueQueueCallbacks(options: {
  db: Database;
  until: Date;
}): Promise<QueueCallbackRow[]> {
  const rows = await options.db.asCenter((tx) =>
    tx
      .selectFrom('callbacks as c')
      .select([
        'c.id',
        'c.org_id',
        'c.queue_id',
        'c.supporter_id',
        'c.phone',
        'c.due_at',
        'c.queued_since',
        'c.owner_user_id',
        'c.notes',
        (eb) =>
          eb
            .selectFrom('interactions as i')
            .select(sql<number>`count(*)::int`.as('n'))
            .whereRef('i.org_id', '=', 'c.org_id')
            .whereRef('i.callback_id', '=', 'c.id')
            .as('attempts'),
      ])
      .where('c.status', '=', 'waiting')
      .where('c.queue_id', 'is not', null)
      .where('c.due_at', '<=', options.until)
      .orderBy('c.due_at')
      .execute(),
  );
  return rows.map((row) => ({
    id: row.id,
    orgId: row.org_id,
    queueId: row.queue_id!,
    supporterId: row.supporter_id,
    phone: row.phone,
    dueAt: row.due_at.getTime(),
    queuedSince: row.queued_since.getTime(),
    ownerUserId: row.owner_user_id,
    notes: row.notes,
    attempts: Number(row.attempts ?? 0),
  }));
}

/** What an attempt's close does to its callback: done, waiting again from `dueAt`, or given up. */
export type CallbackOutcome = {
  callbackId: string;
  status: 'waiting' | 'in_progress' | 'completed' | 'cancelled';
  dueAt?: Date;
};

export async function setCallbackStatus(tx: Tx, outcome: CallbackOutcome, at: Date): Promise<void> {
  await tx
    .updateTable('callbacks')
    .set({
      status: outcome.status,
      updated_at: at,
      ...(outcome.dueAt ? { due_at: outcome.dueAt } : {}),
    })
    .where('id', '=', outcome.callbackId)
    .execute();
}

/** At start: callbacks a stopped process was dialing wait again (their attempt's interaction is closed by recovery). */
export async function releaseCallbacksInProgress(options: { db: Database; at: Date }): Promise<number> {
  const rows = await options.db.asCenter((tx) =>
    tx
      .updateTable('callbacks')
      .set({ status: 'waiting', updated_at: options.at })
      .where('status', '=', 'in_progress')
      .where('queue_id', 'is not', null)
      .returning('id')
      .execute(),
  );
  return rows.length;
}
