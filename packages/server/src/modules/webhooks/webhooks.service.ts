// Webhook subscriptions of an organization and their delivery log. The signing
// secret is generated here, returned once (creation, rotation) and stored
// sealed with the organization's id as context: it must be readable to sign,
// so it cannot be hashed.
import type { Database, Tx } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { createDeliveryWorker, type DeliveryOptions } from './webhooks.dispatcher.ts';
import { webhookErrors } from './webhooks.errors.ts';
import { newWebhookSecret } from './webhooks.signature.ts';

export const PING_EVENT = 'webhook.ping';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export type WebhookInfo = {
  id: string;
  url: string;
  events: string[];
  description: string;
  active: boolean;
  createdAt: string;
};

export type DeliveryInfo = {
  id: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  firstAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * https only; plain http is accepted for loopback hosts alone (a receiver on
 * the developer's machine or next to the server). No credentials in the URL:
 * it is shown in the API and in logs.
 */
export function validateWebhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw webhookErrors.urlInvalid('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw webhookErrors.urlInvalid('must use https');
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw webhookErrors.urlInvalid('must use https (plain http only for localhost, 127.0.0.1 or [::1])');
  }
  if (url.username || url.password) throw webhookErrors.urlInvalid('must not contain credentials');
  return url.toString();
}

type SubscriptionRow = {
  id: string;
  url: string;
  events: string[];
  description: string;
  active: boolean;
  created_at: Date;
};

function toWebhook(row: SubscriptionRow): WebhookInfo {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}

const SUBSCRIPTION_COLUMNS = ['id', 'url', 'events', 'description', 'active', 'created_at'] as const;

function uniqueEvents(events: readonly string[]): string[] {
  return events.includes('*') ? ['*'] : [...new Set(events)];
}

export async function createWebhook(options: {
  db: Database;
  secrets: SecretBox;
  principal: Principal | null;
  orgId: string;
  url: string;
  events: readonly string[];
  description?: string;
  active?: boolean;
}): Promise<WebhookInfo & { secret: string }> {
  const url = validateWebhookUrl(options.url);
  const events = uniqueEvents(options.events);
  const secret = newWebhookSecret();
  const row = await options.db.forOrg(options.orgId, async (tx) => {
    const created = await tx
      .insertInto('webhook_subscriptions')
      .values({
        org_id: options.orgId,
        url,
        events,
        secret_encrypted: options.secrets.seal(secret, options.orgId),
        description: options.description ?? '',
        active: options.active ?? true,
      })
      .returning(SUBSCRIPTION_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'webhook.created',
      target: created.id,
      details: { url, events },
    });
    return created;
  });
  return { ...toWebhook(row), secret };
}

export async function listWebhooks(options: { db: Database; orgId: string }): Promise<WebhookInfo[]> {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx
      .selectFrom('webhook_subscriptions')
      .select(SUBSCRIPTION_COLUMNS)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  );
  return rows.map(toWebhook);
}

export async function getWebhook(options: { db: Database; orgId: string; webhookId: string }) {
  const row = await options.db.readForOrg(options.orgId, (tx) => findSubscription(tx, options.webhookId));
  return toWebhook(row);
}

async function findSubscription(tx: Tx, webhookId: string): Promise<SubscriptionRow> {
  // Row-level security confines the lookup to the unit's organization.
  const row = await tx
    .selectFrom('webhook_subscriptions')
    .select(SUBSCRIPTION_COLUMNS)
    .where('id', '=', webhookId)
    .executeTakeFirst();
  if (!row) throw webhookErrors.notFound();
  return row;
}

export async function updateWebhook(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  webhookId: string;
  changes: { url?: string; events?: readonly string[]; description?: string; active?: boolean };
}): Promise<WebhookInfo> {
  const { changes } = options;
  const set = {
    ...(changes.url !== undefined ? { url: validateWebhookUrl(changes.url) } : {}),
    ...(changes.events !== undefined ? { events: uniqueEvents(changes.events) } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.active !== undefined ? { active: changes.active } : {}),
  };
  const row = await options.db.forOrg(options.orgId, async (tx) => {
    if (Object.keys(set).length === 0) return findSubscription(tx, options.webhookId);
    const updated = await tx
      .updateTable('webhook_subscriptions')
      .set(set)
      .where('id', '=', options.webhookId)
      .returning(SUBSCRIPTION_COLUMNS)
      .executeTakeFirst();
    if (!updated) throw webhookErrors.notFound();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'webhook.updated',
      target: updated.id,
      details: set,
    });
    return updated;
  });
  return toWebhook(row);
}

export async function deleteWebhook(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  webhookId: string;
}): Promise<void> {
  await options.db.forOrg(options.orgId, async (tx) => {
    const deleted = await tx
      .deleteFrom('webhook_subscriptions')
      .where('id', '=', options.webhookId)
      .returning(['id', 'url'])
      .executeTakeFirst();
    if (!deleted) throw webhookErrors.notFound();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'webhook.deleted',
      target: deleted.id,
      details: { url: deleted.url },
    });
  });
}

/** A new secret replaces the old one at once: attempts from now on are signed with it. */
export async function rotateWebhookSecret(options: {
  db: Database;
  secrets: SecretBox;
  principal: Principal;
  orgId: string;
  webhookId: string;
}): Promise<WebhookInfo & { secret: string }> {
  const secret = newWebhookSecret();
  const row = await options.db.forOrg(options.orgId, async (tx) => {
    const updated = await tx
      .updateTable('webhook_subscriptions')
      .set({ secret_encrypted: options.secrets.seal(secret, options.orgId) })
      .where('id', '=', options.webhookId)
      .returning(SUBSCRIPTION_COLUMNS)
      .executeTakeFirst();
    if (!updated) throw webhookErrors.notFound();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'webhook.secret_rotated',
      target: updated.id,
    });
    return updated;
  });
  return { ...toWebhook(row), secret };
}

function deliveriesQuery(tx: Tx) {
  return tx
    .selectFrom('webhook_deliveries as d')
    .innerJoin('outbox_events as e', 'e.id', 'd.outbox_event_id')
    .select([
      'd.id',
      'e.event_id',
      'e.type',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.first_attempt_at',
      'd.last_status_code',
      'd.last_error',
      'd.delivered_at',
      'd.created_at',
    ]);
}

type DeliveryRow = Awaited<ReturnType<ReturnType<typeof deliveriesQuery>['executeTakeFirstOrThrow']>>;

function toDelivery(row: DeliveryRow): DeliveryInfo {
  return {
    id: String(row.id),
    eventId: row.event_id,
    eventType: row.type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    firstAttemptAt: row.first_attempt_at?.toISOString() ?? null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Newest first; `cursor` is the nextCursor of the previous page. */
export async function listDeliveries(options: {
  db: Database;
  orgId: string;
  webhookId: string;
  limit: number;
  cursor?: string;
  status?: DeliveryStatus;
}): Promise<{ items: DeliveryInfo[]; nextCursor: string | null }> {
  const rows = await options.db.readForOrg(options.orgId, async (tx) => {
    await findSubscription(tx, options.webhookId);
    let query = deliveriesQuery(tx)
      .where('d.subscription_id', '=', options.webhookId)
      .orderBy('d.id', 'desc')
      .limit(options.limit + 1);
    if (options.cursor) query = query.where('d.id', '<', options.cursor);
    if (options.status) query = query.where('d.status', '=', options.status);
    return query.execute();
  });
  const page = rows.slice(0, options.limit);
  return {
    items: page.map(toDelivery),
    nextCursor: rows.length > options.limit ? String(page[page.length - 1]?.id) : null,
  };
}

/** Puts a delivery back in the queue, due now, with a fresh 24 h retry window. */
export async function redeliver(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  webhookId: string;
  deliveryId: string;
  now?: Date;
}): Promise<DeliveryInfo> {
  return options.db.forOrg(options.orgId, async (tx) => {
    const subscription = await findSubscription(tx, options.webhookId);
    if (!subscription.active) throw webhookErrors.inactive();
    const updated = await tx
      .updateTable('webhook_deliveries')
      .set({
        status: 'pending',
        next_attempt_at: options.now ?? new Date(),
        attempts: 0,
        first_attempt_at: null,
        delivered_at: null,
      })
      .where('id', '=', options.deliveryId)
      .where('subscription_id', '=', options.webhookId)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw webhookErrors.deliveryNotFound();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'webhook.redelivered',
      target: options.webhookId,
      details: { deliveryId: String(updated.id) },
    });
    return toDelivery(await deliveriesQuery(tx).where('d.id', '=', updated.id).executeTakeFirstOrThrow());
  });
}

/**
 * Sends a `webhook.ping` event to one subscription now (active or not) and
 * answers with the delivery after that first attempt. The ping is only this
 * subscription's: its outbox row is born dispatched, so fan-out skips it. A
 * failed ping is retried like any delivery while the subscription is active.
 */
export async function sendPing(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  webhookId: string;
  delivery: Omit<DeliveryOptions, 'db'>;
}): Promise<DeliveryInfo> {
  const worker = createDeliveryWorker({ ...options.delivery, db: options.db });
  const deliveryId = await options.db.forOrg(options.orgId, async (tx) => {
    const subscription = await findSubscription(tx, options.webhookId);
    const event = await tx
      .insertInto('outbox_events')
      .values({
        org_id: options.orgId,
        type: PING_EVENT,
        payload: JSON.stringify({ webhookId: subscription.id, url: subscription.url }),
        dispatched_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const delivery = await tx
      .insertInto('webhook_deliveries')
      .values({ org_id: options.orgId, subscription_id: subscription.id, outbox_event_id: event.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'webhook.pinged',
      target: subscription.id,
      details: { deliveryId: String(delivery.id) },
    });
    return delivery.id;
  });
  const [claimed] = await worker.claim({ ids: [deliveryId] });
  if (claimed) await worker.attempt(claimed);
  return options.db.readForOrg(options.orgId, async (tx) =>
    toDelivery(await deliveriesQuery(tx).where('d.id', '=', deliveryId).executeTakeFirstOrThrow()),
  );
}
