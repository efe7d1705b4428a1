// The dispatcher against a real HTTP endpoint on 127.0.0.1, with a clock the
// tests move: signatures, retries and their schedule, the 24 h limit,
// redelivery, filtering, tenant isolation and outbox atomicity.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, seedPeople, type TestApp, testSecrets } from '../../../test/test-app.ts';
import { loadReadmeVerifier, type Receiver, startReceiver } from '../../../test/webhook-receiver.ts';
import { type EventType, emitEvent } from './outbox.ts';
import {
  createWebhookDispatcher,
  type DispatcherOptions,
  RETRY_WINDOW_MS,
  retryDelayMs,
} from './webhooks.dispatcher.ts';
import { createWebhook, redeliver, updateWebhook } from './webhooks.service.ts';
import { verifyWebhookSignature } from './webhooks.signature.ts';

let t: TestApp;
let alpha: string;
let beta: string;
let receiver: Receiver;
let clockMs: number;
const now = () => new Date(clockMs);
const advance = (ms: number) => {
  clockMs += ms;
};

beforeAll(async () => {
  t = await createTestApp();
  const people = await seedPeople(t.db);
  alpha = people.alpha.id;
  beta = people.beta.id;
});
afterAll(() => t.close());

beforeEach(async () => {
  receiver = await startReceiver();
  clockMs = Math.floor(Date.now() / 1000) * 1000;
  // Every test starts with no subscriptions and an empty outbox.
  await t.db.asCenter(async (tx) => {
    await tx.deleteFrom('webhook_subscriptions').execute();
    await tx.updateTable('outbox_events').set({ dispatched_at: new Date() }).execute();
  });
});
afterEach(() => receiver.close());

/** The caller of service functions in these tests: alpha's integration key. */
function integration() {
  return {
    kind: 'api_key' as const,
    keyId: '00000000-0000-4000-8000-000000000001',
    keyName: 'test',
    role: 'integration' as const,
    orgId: alpha,
    bankDataAccess: false,
  };
}

function dispatcher(overrides: Partial<DispatcherOptions> = {}) {
  // random() = 0.5 makes the jitter factor exactly 1: the nominal schedule.
  return createWebhookDispatcher({ db: t.db, secrets: testSecrets, now, random: () => 0.5, ...overrides });
}

async function subscribe(orgId: string, events: string[] = ['*'], url = receiver.url) {
  return createWebhook({ db: t.db, secrets: testSecrets, principal: null, orgId, url, events });
}

async function emit(
  orgId: string,
  type: EventType = 'supporter.created',
  data: Record<string, unknown> = {},
) {
  await t.db.forOrg(orgId, (tx) => emitEvent(tx, type, data));
}

async function deliveries(subscriptionId: string) {
  return t.db.asCenter((tx) =>
    tx
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .orderBy('id')
      .execute(),
  );
}

async function onlyDelivery(subscriptionId: string) {
  const rows = await deliveries(subscriptionId);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('delivery', () => {
  it('POSTs the signed envelope; the README verifier and the server helper accept it', async () => {
    const hook = await subscribe(alpha);
    await emit(alpha, 'gift.recorded', { giftId: 'g-1', amountCents: 2500 });
    expect(await dispatcher().runOnce()).toEqual({ events: 1, attempts: 1 });

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const delivery = await onlyDelivery(hook.id);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['centralino-event']).toBe('gift.recorded');
    expect(request!.headers['centralino-delivery']).toBe(String(delivery.id));
    const signature = String(request!.headers['centralino-signature']);
    expect(signature).toMatch(new RegExp(`^t=${clockMs / 1000},v1=[0-9a-f]{64}$`));

    const nowSeconds = clockMs / 1000;
    const readme = await loadReadmeVerifier();
    expect(readme.verifyWebhookSignature(signature, request!.body, hook.secret, 300, nowSeconds)).toBe(true);
    expect(verifyWebhookSignature(signature, request!.body, hook.secret, 300, nowSeconds)).toBe(true);
    expect(verifyWebhookSignature(signature, request!.body, 'whsec_wrong', 300, nowSeconds)).toBe(false);

    const event = await t.db.asCenter((tx) =>
      tx
        .selectFrom('outbox_events')
        .selectAll()
        .where('id', '=', delivery.outbox_event_id)
        .executeTakeFirstOrThrow(),
    );
    expect(JSON.parse(request!.body)).toEqual({
      id: event.event_id,
      type: 'gift.recorded',
      createdAt: event.created_at.toISOString(),
      organizationId: alpha,
      data: { giftId: 'g-1', amountCents: 2500 },
    });
    expect(event.dispatched_at).not.toBeNull();
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      last_error: null,
    });
    expect(delivery.delivered_at?.getTime()).toBe(clockMs);
    expect(delivery.first_attempt_at?.getTime()).toBe(clockMs);
  });

  it('retries after a 500 at the scheduled time, then delivers', async () => {
    const hook = await subscribe(alpha);
    receiver.answer(500);
    await emit(alpha);
    const worker = dispatcher();
    await worker.runOnce();
    expect(await onlyDelivery(hook.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500',
    });
    expect((await onlyDelivery(hook.id)).next_attempt_at.getTime()).toBe(clockMs + 30_000);

    advance(29_000);
    expect((await worker.runOnce()).attempts).toBe(0);
    advance(1_000);
    expect((await worker.runOnce()).attempts).toBe(1);

    expect(receiver.requests).toHaveLength(2);
    const [first, second] = receiver.requests;
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['centralino-delivery']).toBe(first!.headers['centralino-delivery']);
    // A retry is signed anew, with the time of the retry.
    expect(second!.headers['centralino-signature']).toMatch(new RegExp(`^t=${clockMs / 1000},`));
    expect(await onlyDelivery(hook.id)).toMatchObject({
      status: 'delivered',
      attempts: 2,
      last_status_code: 200,
      last_error: null,
    });
  });

  it('backs off 30 s, 1 min, 2 min … doubling, capped at 1 h', async () => {
    // Nominal schedule (jitter factor 1): 30 s × 2^(n−1), at most 3600 s.
    const nominalSeconds = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600];
    expect(nominalSeconds.map((_, i) => retryDelayMs(i + 1, 0.5) / 1000)).toEqual(nominalSeconds);
    // Jitter: ±20 %, never past the cap.
    expect(retryDelayMs(1, 0)).toBe(24_000);
    expect(retryDelayMs(1, 0.999_999)).toBeCloseTo(36_000, -1);
    expect(retryDelayMs(7, 0.999_999)).toBeCloseTo(1920_000 * 1.2, -1);
    expect(retryDelayMs(8, 0.999_999)).toBe(3_600_000);
    expect(retryDelayMs(30, 0.999_999)).toBe(3_600_000);

    // The same schedule, observed through the endpoint.
    const hook = await subscribe(alpha);
    receiver.otherwise(503);
    await emit(alpha);
    const worker = dispatcher();
    const observed: number[] = [];
    await worker.runOnce();
    for (let i = 0; i < 9; i++) {
      const next = (await onlyDelivery(hook.id)).next_attempt_at.getTime();
      observed.push((next - clockMs) / 1000);
      clockMs = next;
      await worker.runOnce();
    }
    expect(observed).toEqual(nominalSeconds.slice(0, 9));
    expect(receiver.requests).toHaveLength(10);
  });

  it('gives up 24 hours after the first attempt: the delivery fails', async () => {
    const hook = await subscribe(alpha);
    receiver.otherwise(500);
    await emit(alpha);
    const worker = dispatcher();
    const firstAttempt = clockMs;
    await worker.runOnce();
    let delivery = await onlyDelivery(hook.id);
    let lastAttempt = firstAttempt;
    for (let i = 0; i < 100 && delivery.status === 'pending'; i++) {
      clockMs = delivery.next_attempt_at.getTime();
      lastAttempt = clockMs;
      await worker.runOnce();
      delivery = await onlyDelivery(hook.id);
    }
    expect(delivery.status).toBe('failed');
    expect(delivery.first_attempt_at?.getTime()).toBe(firstAttempt);
    // The last retry is placed exactly at the end of the window.
    expect(lastAttempt).toBe(firstAttempt + RETRY_WINDOW_MS);
    // 1 + 7 retries up to the 1 h cap (3750 s), 22 hourly ones, one at 24 h.
    expect(delivery.attempts).toBe(31);
    expect(receiver.requests).toHaveLength(31);
    expect(delivery.last_error).toBe('HTTP 500');

    advance(3_600_000);
    expect((await worker.runOnce()).attempts).toBe(0);
  });

  it('a redelivery sends again now, with a new 24 h window', async () => {
    const hook = await subscribe(alpha);
    receiver.otherwise(500);
    await emit(alpha);
    const worker = dispatcher();
    await worker.runOnce();
    advance(RETRY_WINDOW_MS);
    await worker.runOnce();
    const failed = await onlyDelivery(hook.id);
    expect(failed.status).toBe('failed');

    receiver.otherwise(204);
    advance(60_000);
    const reset = await redeliver({
      db: t.db,
      principal: integration(),
      orgId: alpha,
      webhookId: hook.id,
      deliveryId: failed.id,
      now: now(),
    });
    expect(reset).toMatchObject({ status: 'pending', attempts: 0, firstAttemptAt: null });
    await worker.runOnce();
    expect(await onlyDelivery(hook.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      last_status_code: 204,
    });
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests[2]!.body).toBe(receiver.requests[0]!.body);
  });

  it('does not follow redirects, and reports timeouts and refused connections', async () => {
    const redirected = await subscribe(alpha, ['supporter.created']);
    receiver.answer(302);
    await emit(alpha, 'supporter.created');
    await dispatcher().runOnce();
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hook']);
    expect(await onlyDelivery(redirected.id)).toMatchObject({
      status: 'pending',
      last_status_code: 302,
      last_error: 'redirect (HTTP 302) not followed',
    });

    const slow = await subscribe(alpha, ['gift.recorded']);
    receiver.answer('hang');
    await emit(alpha, 'gift.recorded');
    await dispatcher({ timeoutMs: 200 }).runOnce();
    expect(await onlyDelivery(slow.id)).toMatchObject({
      status: 'pending',
      last_status_code: null,
      last_error: 'no answer within 0.2 s',
    });

    const closed = await startReceiver();
    await closed.close();
    const nobody = await subscribe(alpha, ['consent.changed'], closed.url);
    await emit(alpha, 'consent.changed');
    await dispatcher().runOnce();
    expect(await onlyDelivery(nobody.id)).toMatchObject({
      status: 'pending',
      last_status_code: null,
      last_error: 'network error: ECONNREFUSED',
    });
  });
});

describe('who receives what', () => {
  it('nothing for a deactivated subscription or an event type it did not subscribe to', async () => {
    const gifts = await subscribe(alpha, ['gift.recorded']);
    const inactive = await subscribe(alpha, ['*']);
    await updateWebhook({
      db: t.db,
      principal: integration(),
      orgId: alpha,
      webhookId: inactive.id,
      changes: { active: false },
    });
    await emit(alpha, 'supporter.created');
    await emit(alpha, 'gift.recorded');
    expect(await dispatcher().runOnce()).toEqual({ events: 2, attempts: 1 });
    expect(receiver.requests.map((r) => r.headers['centralino-event'])).toEqual(['gift.recorded']);
    expect(await deliveries(gifts.id)).toHaveLength(1);
    expect(await deliveries(inactive.id)).toHaveLength(0);
  });

  it('pending deliveries of a deactivated subscription wait until it is active again', async () => {
    const hook = await subscribe(alpha);
    receiver.answer(500);
    await emit(alpha);
    const worker = dispatcher();
    await worker.runOnce();
    const principal = integration();
    await updateWebhook({
      db: t.db,
      principal,
      orgId: alpha,
      webhookId: hook.id,
      changes: { active: false },
    });
    advance(60_000);
    expect((await worker.runOnce()).attempts).toBe(0);
    await updateWebhook({ db: t.db, principal, orgId: alpha, webhookId: hook.id, changes: { active: true } });
    expect((await worker.runOnce()).attempts).toBe(1);
    expect((await onlyDelivery(hook.id)).status).toBe('delivered');
  });

  it("two organizations' events never reach each other's endpoints", async () => {
    const betaReceiver = await startReceiver();
    try {
      const alphaHook = await subscribe(alpha, ['*']);
      const betaHook = await subscribe(beta, ['*'], betaReceiver.url);
      for (let i = 0; i < 3; i++) await emit(alpha, 'supporter.created', { n: i });
      for (let i = 0; i < 2; i++) await emit(beta, 'supporter.created', { n: i });
      await dispatcher().runOnce();

      const organizations = (r: Receiver) =>
        r.requests.map((request) => JSON.parse(request.body).organizationId);
      expect(organizations(receiver)).toEqual([alpha, alpha, alpha]);
      expect(organizations(betaReceiver)).toEqual([beta, beta]);
      // Each endpoint's requests are signed with its own subscription's secret.
      const nowSeconds = clockMs / 1000;
      for (const request of receiver.requests) {
        const header = String(request.headers['centralino-signature']);
        expect(verifyWebhookSignature(header, request.body, alphaHook.secret, 300, nowSeconds)).toBe(true);
        expect(verifyWebhookSignature(header, request.body, betaHook.secret, 300, nowSeconds)).toBe(false);
      }
      const rows = await t.db.asCenter((tx) =>
        tx
          .selectFrom('webhook_deliveries as d')
          .innerJoin('outbox_events as e', 'e.id', 'd.outbox_event_id')
          .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
          .select(['d.org_id as delivery', 'e.org_id as event', 's.org_id as subscription'])
          .execute(),
      );
      expect(rows).toHaveLength(5);
      for (const row of rows) expect([row.event, row.subscription]).toEqual([row.delivery, row.delivery]);
    } finally {
      await betaReceiver.close();
    }
  });

  it('an event written in a rolled-back transaction is never delivered', async () => {
    await subscribe(alpha);
    await expect(
      t.db.forOrg(alpha, async (tx) => {
        await emitEvent(tx, 'supporter.created', { id: 'rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await emit(alpha, 'supporter.created', { id: 'committed' });
    await dispatcher().runOnce();
    expect(receiver.requests.map((r) => JSON.parse(r.body).data.id)).toEqual(['committed']);
  });

  it('two dispatchers at once send each delivery exactly once', async () => {
    await subscribe(alpha);
    for (let i = 0; i < 30; i++) await emit(alpha, 'supporter.updated', { n: i });
    const one = dispatcher({ batchSize: 7 });
    const two = dispatcher({ batchSize: 5 });
    await Promise.all([one.runOnce(), two.runOnce(), one.runOnce(), two.runOnce()]);
    const sent = receiver.requests.map((r) => JSON.parse(r.body).data.n).sort((a, b) => a - b);
    expect(sent).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});

describe('running in the background', () => {
  it('start() delivers within about a second of the commit; stop() ends the polling', async () => {
    await subscribe(alpha);
    const background = createWebhookDispatcher({ db: t.db, secrets: testSecrets, pollIntervalMs: 100 });
    background.start();
    try {
      await emit(alpha);
      await receiver.waitFor(1, 3000);
    } finally {
      await background.stop();
    }
    await emit(alpha);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.requests).toHaveLength(1);
  });

  it('stop() interrupts an attempt in flight and hands it back, due at once', async () => {
    const hook = await subscribe(alpha);
    receiver.answer('hang');
    const background = createWebhookDispatcher({ db: t.db, secrets: testSecrets, pollIntervalMs: 50 });
    background.start();
    await emit(alpha);
    await receiver.waitFor(1, 3000);
    await background.stop();
    const delivery = await onlyDelivery(hook.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0 });
    expect(delivery.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
