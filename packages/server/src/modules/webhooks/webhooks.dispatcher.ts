// The durable webhook dispatcher. It runs in the server process (main.ts starts
// and stops it) and keeps all of its state in the database, so a restart, or a
// second server process on the same PostgreSQL, picks up where it left off:
//
//  1. fan-out: outbox events not yet dispatched become one webhook_deliveries
//     row per matching active subscription of the same organization, and the
//     events are marked dispatched — one statement, so one transaction;
//  2. claim: due pending deliveries are leased (next_attempt_at pushed past
//     the lease) under FOR UPDATE SKIP LOCKED, so two processes never send the
//     same attempt; a process that dies mid-send leaves a lease that expires;
//  3. send: signed POST, 10 s timeout, redirects not followed; 2xx delivers,
//     anything else is retried with exponential backoff and jitter until 24 h
//     after the first attempt, then the delivery fails.
//
// Both units of work run in the 'center' scope, which the outbox and webhook
// tables (and only they) allow; every join keeps the organization equal, and
// a secret is opened with its own organization as context.
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { SIGNATURE_HEADER, signWebhook } from './webhooks.signature.ts';

export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const FIRST_RETRY_DELAY_MS = 30_000;
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
export const SEND_TIMEOUT_MS = 10_000;
/** A claimed attempt that has not reported back by then is retried (its process died). */
export const LEASE_MS = 5 * 60 * 1000;
const ERROR_MAX_LENGTH = 300;

export type DispatcherLogger = {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
  debug(details: object, message: string): void;
};

export type DeliveryOptions = {
  db: Database;
  secrets: SecretBox;
  logger?: DispatcherLogger;
  /** The clock for schedules and signatures (tests move it). */
  now?: () => Date;
  /** In [0, 1): the jitter of retry delays. */
  random?: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  userAgent?: string;
};

/**
 * Delay before the retry that follows failed attempt number `attempt` (1-based):
 * 30 s, 1 min, 2 min, 4 min … doubling, times a jitter factor in [0.8, 1.2)
 * so that endpoints recovering from an outage are not hit in lockstep, and
 * never more than 1 h.
 */
export function retryDelayMs(attempt: number, random: number): number {
  const nominal = Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
  return Math.min(Math.round(nominal * (0.8 + 0.4 * random)), MAX_RETRY_DELAY_MS);
}

type ClaimedDelivery = {
  id: string;
  org_id: string;
  attempts: number;
  first_attempt_at: Date | null;
  url: string;
  secret_encrypted: string;
  event_id: string;
  type: string;
  payload: Record<string, unknown>;
  event_created_at: Date;
  lease_until: Date;
};

type SendOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'failed'; statusCode: number | null; error: string }
  | { kind: 'interrupted' };

/** The envelope every endpoint receives. */
export function webhookBody(delivery: {
  eventId: string;
  type: string;
  createdAt: Date;
  orgId: string;
  data: Record<string, unknown>;
}): string {
  return JSON.stringify({
    id: delivery.eventId,
    type: delivery.type,
    createdAt: delivery.createdAt.toISOString(),
    organizationId: delivery.orgId,
    data: delivery.data,
  });
}

/** The steps of delivery, shared by the dispatcher and the "send a ping now" route. */
export function createDeliveryWorker(options: DeliveryOptions) {
  const { db, secrets } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const userAgent = options.userAgent ?? 'Centralino-Webhooks/1';

  /** Moves up to `limit` outbox events to deliveries; returns how many events it took. */
  async function fanOut(limit: number): Promise<number> {
    const at = now();
    const result = await db.asCenter((tx) =>
      sql<{ events: number }>`
        with picked as (
          select id, org_id, type from outbox_events
          where dispatched_at is null
          order by id
          limit ${limit}
          for update skip locked
        ), fanned as (
          insert into webhook_deliveries (org_id, subscription_id, outbox_event_id, next_attempt_at)
          select picked.org_id, s.id, picked.id, ${at}::timestamptz
          from picked
          join webhook_subscriptions s
            on s.org_id = picked.org_id and s.active
           and (picked.type = any(s.events) or '*' = any(s.events))
          on conflict (subscription_id, outbox_event_id) do nothing
          returning 1
        ), marked as (
          update outbox_events set dispatched_at = ${at}::timestamptz
          from picked where outbox_events.id = picked.id
          returning 1
        )
        select (select count(*) from marked)::int as events, (select count(*) from fanned)::int as deliveries`.execute(
        tx,
      ),
    );
    return result.rows[0]?.events ?? 0;
  }

  /** Leases due deliveries of active subscriptions (or the given ones, due or not). */
  async function claim(
    selection: { limit: number } | { ids: readonly string[] },
  ): Promise<ClaimedDelivery[]> {
    const at = now();
    const leaseUntil = new Date(at.getTime() + LEASE_MS);
    const which =
      'ids' in selection
        ? sql`d.id = any(${selection.ids.map(String)}::bigint[])`
        : sql`s.active and d.next_attempt_at <= ${at}::timestamptz`;
    const limit = 'ids' in selection ? selection.ids.length : selection.limit;
    const result = await db.asCenter((tx) =>
      sql<ClaimedDelivery>`
        with due as (
          select d.id from webhook_deliveries d
          join webhook_subscriptions s on s.id = d.subscription_id and s.org_id = d.org_id
          where d.status = 'pending' and ${which}
          order by d.next_attempt_at, d.id
          limit ${limit}
          for update of d skip locked
        )
        update webhook_deliveries d set next_attempt_at = ${leaseUntil}::timestamptz
        from due, webhook_subscriptions s, outbox_events e
        where d.id = due.id
          and s.id = d.subscription_id and s.org_id = d.org_id
          and e.id = d.outbox_event_id and e.org_id = d.org_id
        returning d.id, d.org_id, d.attempts, d.first_attempt_at, s.url, s.secret_encrypted,
                  e.event_id, e.type, e.payload, e.created_at as event_created_at,
                  d.next_attempt_at as lease_until`.execute(tx),
    );
    return result.rows;
  }

  async function send(delivery: ClaimedDelivery, stopSignal?: AbortSignal): Promise<SendOutcome> {
    let secret: string;
    try {
      secret = secrets.open(delivery.secret_encrypted, delivery.org_id);
    } catch {
      return { kind: 'failed', statusCode: null, error: 'the signing secret could not be decrypted' };
    }
    const body = webhookBody({
      eventId: delivery.event_id,
      type: delivery.type,
      createdAt: delivery.event_created_at,
      orgId: delivery.org_id,
      data: delivery.payload,
    });
    const timestampSeconds = Math.floor(now().getTime() / 1000);
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetchImpl(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: stopSignal ? AbortSignal.any([timeout, stopSignal]) : timeout,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': userAgent,
          'Centralino-Event': delivery.type,
          'Centralino-Delivery': delivery.id,
          [SIGNATURE_HEADER]: signWebhook({ secret, body, timestampSeconds }),
        },
        body,
      });
      // The answer's body is never read or stored: only its status matters.
      await response.body?.cancel().catch(() => {});
      const statusCode = response.status;
      if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode };
      const error =
        statusCode >= 300 && statusCode < 400
          ? `redirect (HTTP ${statusCode}) not followed`
          : `HTTP ${statusCode}`;
      return { kind: 'failed', statusCode, error };
    } catch (error) {
      if (stopSignal?.aborted) return { kind: 'interrupted' };
      if (timeout.aborted)
        return { kind: 'failed', statusCode: null, error: `no answer within ${timeoutMs / 1000} s` };
      return { kind: 'failed', statusCode: null, error: describeNetworkError(error) };
    }
  }

  /** Writes an attempt's outcome, unless the delivery was reset (redelivered) meanwhile. */
  async function record(delivery: ClaimedDelivery, outcome: SendOutcome, attemptAt: Date) {
    await db.asCenter(async (tx) => {
      // The lease is the claim's token: a redelivery meanwhile replaced it.
      const base = tx
        .updateTable('webhook_deliveries')
        .where('id', '=', delivery.id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', delivery.lease_until);
      if (outcome.kind === 'interrupted') {
        // Shutting down: hand the attempt back at once instead of waiting for the lease.
        await base.set({ next_attempt_at: now() }).execute();
        return;
      }
      const firstAttemptAt = delivery.first_attempt_at ?? attemptAt;
      const attempts = delivery.attempts + 1;
      if (outcome.kind === 'delivered') {
        await base
          .set({
            status: 'delivered',
            attempts,
            first_attempt_at: firstAttemptAt,
            last_status_code: outcome.statusCode,
            last_error: null,
            delivered_at: now(),
          })
          .execute();
        return;
      }
      const finishedAt = now();
      const deadline = firstAttemptAt.getTime() + RETRY_WINDOW_MS;
      const giveUp = finishedAt.getTime() >= deadline;
      const nextAttemptAt = new Date(
        Math.min(finishedAt.getTime() + retryDelayMs(attempts, random()), deadline),
      );
      await base
        .set({
          status: giveUp ? 'failed' : 'pending',
          attempts,
          first_attempt_at: firstAttemptAt,
          last_status_code: outcome.statusCode,
          last_error: outcome.error.slice(0, ERROR_MAX_LENGTH),
          next_attempt_at: giveUp ? finishedAt : nextAttemptAt,
        })
        .execute();
    });
  }

  /** Sends one claimed delivery and records the outcome. */
  async function attempt(delivery: ClaimedDelivery, stopSignal?: AbortSignal): Promise<SendOutcome> {
    const attemptAt = now();
    const outcome = await send(delivery, stopSignal);
    await record(delivery, outcome, attemptAt);
    if (outcome.kind === 'failed') {
      options.logger?.warn(
        {
          deliveryId: delivery.id,
          orgId: delivery.org_id,
          statusCode: outcome.statusCode,
          error: outcome.error,
        },
        'webhook delivery attempt failed',
      );
    }
    return outcome;
  }

  return { fanOut, claim, attempt };
}

function describeNetworkError(error: unknown): string {
  // fetch wraps the socket error: its code (ECONNREFUSED, ENOTFOUND…) says more.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `network error: ${cause.code}`;
  if (cause?.message) return `network error: ${cause.message}`;
  return `network error: ${error instanceof Error ? error.message : String(error)}`;
}

export type WebhookDispatcher = {
  /** Polls in the background until stop(). */
  start(): void;
  /** Stops polling, interrupts attempts in flight (they are retried later) and waits for them. */
  stop(): Promise<void>;
  /** One full pass in the foreground: fan out everything, send everything due. For tests and tools. */
  runOnce(): Promise<{ events: number; attempts: number }>;
};

export type DispatcherOptions = DeliveryOptions & {
  /** Pause between polls when idle (default 1 s). */
  pollIntervalMs?: number;
  /** Events fanned out and deliveries claimed per statement (default 100). */
  batchSize?: number;
  /** Attempts in flight at once (default 16): a slow endpoint does not hold up others. */
  maxInFlight?: number;
};

export function createWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const worker = createDeliveryWorker(options);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  const maxInFlight = options.maxInFlight ?? 16;
  const inFlight = new Set<Promise<unknown>>();
  let stopController = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let cycle: Promise<void> | undefined;
  let running = false;

  function track(work: Promise<unknown>) {
    const tracked = work.catch((error) => {
      options.logger?.error({ err: error }, 'webhook delivery could not be recorded');
    });
    inFlight.add(tracked);
    void tracked.finally(() => {
      inFlight.delete(tracked);
      // A freed slot may let a waiting delivery go now rather than at the next poll.
      if (running && !cycle) schedule(0);
    });
  }

  function schedule(delayMs: number) {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      cycle = runCycle().finally(() => {
        cycle = undefined;
      });
    }, delayMs);
  }

  async function runCycle() {
    let more = false;
    try {
      const events = await worker.fanOut(batchSize);
      const free = maxInFlight - inFlight.size;
      if (free > 0) {
        const claimed = await worker.claim({ limit: Math.min(free, batchSize) });
        for (const delivery of claimed) track(worker.attempt(delivery, stopController.signal));
        more = claimed.length === Math.min(free, batchSize);
      }
      more ||= events === batchSize;
    } catch (error) {
      options.logger?.error({ err: error }, 'webhook dispatcher pass failed');
    }
    schedule(more && inFlight.size < maxInFlight ? 0 : pollIntervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopController = new AbortController();
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      stopController.abort();
      await cycle;
      await Promise.all(inFlight);
    },
    async runOnce() {
      let events = 0;
      let attempts = 0;
      for (;;) {
        const taken = await worker.fanOut(batchSize);
        events += taken;
        if (taken < batchSize) break;
      }
      for (;;) {
        const claimed = await worker.claim({ limit: batchSize });
        await Promise.all(claimed.map((delivery) => worker.attempt(delivery)));
        attempts += claimed.length;
        if (claimed.length < batchSize) break;
      }
      return { events, attempts };
    },
  };
}
