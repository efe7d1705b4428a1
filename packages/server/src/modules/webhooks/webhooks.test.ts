// The subscriptions API: secrets shown once and stored sealed, validation,
// changes, the delivery log, redelivery, pings, and isolation between tenants.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  asUser,
  createTestApp,
  seedPeople,
  signIn,
  type TestApp,
  testSecrets,
} from '../../../test/test-app.ts';
import { type Receiver, startReceiver } from '../../../test/webhook-receiver.ts';
import { emitEvent } from './outbox.ts';
import { createWebhookDispatcher } from './webhooks.dispatcher.ts';
import { verifyWebhookSignature } from './webhooks.signature.ts';

let t: TestApp;
let alpha: string;
let beta: string;
let admin: Record<string, string>;
let supervisor: Record<string, string>;
let receiver: Receiver;

beforeAll(async () => {
  t = await createTestApp();
  const people = await seedPeople(t.db);
  alpha = people.alpha.id;
  beta = people.beta.id;
  admin = asUser(await signIn(t.app, 'admin@example.test'));
  supervisor = asUser(await signIn(t.app, 'supervisor@example.test'));
});
afterAll(() => t.close());
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(() => receiver.close());

const base = (orgId: string) => `/api/organizations/${orgId}/webhooks`;

async function create(orgId: string, body: object, headers = admin) {
  return t.app.inject({ method: 'POST', url: base(orgId), headers, payload: body });
}

async function createOk(orgId: string, body: object = {}) {
  const response = await create(orgId, { url: receiver.url, events: ['*'], ...body });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; secret: string; url: string; events: string[] };
}

describe('subscriptions', () => {
  it('creates a subscription; the secret is in that answer only and stored sealed', async () => {
    const response = await create(alpha, {
      url: 'https://crm.example.org/hooks/centralino',
      events: ['supporter.created', 'gift.recorded'],
      description: 'CRM sync',
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      url: 'https://crm.example.org/hooks/centralino',
      events: ['supporter.created', 'gift.recorded'],
      description: 'CRM sync',
      active: true,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const one = await t.app.inject({
      method: 'GET',
      url: `${base(alpha)}/${created.id}`,
      headers: supervisor,
    });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ ...created, secret: undefined, createdAt: created.createdAt });
    expect(one.body).not.toContain(created.secret);
    const list = await t.app.inject({ method: 'GET', url: base(alpha), headers: supervisor });
    expect(list.json().items.map((w: { id: string }) => w.id)).toContain(created.id);
    expect(list.body).not.toContain('whsec_');

    const row = await t.db.readForOrg(alpha, (tx) =>
      tx
        .selectFrom('webhook_subscriptions')
        .selectAll()
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow(),
    );
    expect(row.secret_encrypted).not.toContain(created.secret.slice(6));
    expect(testSecrets.open(row.secret_encrypted, alpha)).toBe(created.secret);
    // Sealed with the organization as context: useless under another tenant.
    expect(() => testSecrets.open(row.secret_encrypted, beta)).toThrow();

    const audit = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alpha}/audit-events`,
      headers: admin,
    });
    const entry = audit.json().items.find((e: { action: string }) => e.action === 'webhook.created');
    expect(entry).toMatchObject({ target: created.id });
    expect(audit.body).not.toContain(created.secret);
  });

  it.each([
    ['plain http to a public host', 'http://crm.example.org/hook', 'body.url', 'WEBHOOK_URL_INVALID'],
    ['ftp', 'ftp://crm.example.org/hook', 'body.url', 'WEBHOOK_URL_INVALID'],
    ['not a URL', 'not a url', 'body.url', 'WEBHOOK_URL_INVALID'],
    ['credentials in the URL', 'https://user:pass@crm.example.org/hook', 'body.url', 'WEBHOOK_URL_INVALID'],
    ['over 2000 characters', `https://crm.example.org/${'x'.repeat(2000)}`, 'body.url', 'VALIDATION_FAILED'],
  ])('refuses a URL with %s: 400 on body.url', async (_label, url, field, code) => {
    const response = await create(alpha, { url, events: ['*'] });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe(code);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each([
    'http://localhost:8080/hook',
    'http://127.0.0.1:8080/hook',
    'http://[::1]:8080/hook',
    'https://10.1.2.3/hook',
  ])('accepts %s', async (url) => {
    expect((await create(alpha, { url, events: ['*'] })).statusCode).toBe(201);
  });

  it.each([
    [{ events: ['supporter.deleted'] }, 'body.events.0'],
    [{ events: [] }, 'body.events'],
    [{ events: ['gift.recorded', 'gift.recorded'] }, 'body.events'],
    [{}, 'body.events'],
    [{ events: ['*'], secret: 'mine' }, 'body.secret'],
  ])('refuses the events of %j with a 400 on %s', async (body, field) => {
    const response = await create(alpha, { url: receiver.url, ...body });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('changes the URL, events and active flag; refuses a bad URL; deletes', async () => {
    const hook = await createOk(alpha);
    const url = `${base(alpha)}/${hook.id}`;
    const patched = await t.app.inject({
      method: 'PATCH',
      url,
      headers: admin,
      payload: { url: 'https://example.org/new', events: ['consent.changed'], active: false },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      url: 'https://example.org/new',
      events: ['consent.changed'],
      active: false,
    });
    const bad = await t.app.inject({
      method: 'PATCH',
      url,
      headers: admin,
      payload: { url: 'http://example.org/' },
    });
    expect([bad.statusCode, bad.json().errors[0].field]).toEqual([400, 'body.url']);
    expect((await t.app.inject({ method: 'GET', url, headers: admin })).json().url).toBe(
      'https://example.org/new',
    );

    expect((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url, headers: admin })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(404);
  });

  it('rotating the secret returns a new one, which signs from then on', async () => {
    const hook = await createOk(alpha);
    const rotated = await t.app.inject({
      method: 'POST',
      url: `${base(alpha)}/${hook.id}/rotate-secret`,
      headers: admin,
    });
    expect(rotated.statusCode).toBe(200);
    const { secret } = rotated.json();
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(hook.secret);

    const ping = await t.app.inject({
      method: 'POST',
      url: `${base(alpha)}/${hook.id}/test`,
      headers: admin,
    });
    expect(ping.statusCode).toBe(200);
    const [request] = receiver.requests;
    const header = String(request!.headers['centralino-signature']);
    expect(verifyWebhookSignature(header, request!.body, secret)).toBe(true);
    expect(verifyWebhookSignature(header, request!.body, hook.secret)).toBe(false);
  });

  it('supervisors read but cannot change; operators cannot read', async () => {
    const hook = await createOk(alpha);
    const operator = asUser(await signIn(t.app, 'operator@example.test'));
    expect((await t.app.inject({ method: 'GET', url: base(alpha), headers: operator })).statusCode).toBe(403);
    expect((await create(alpha, { url: receiver.url, events: ['*'] }, supervisor)).statusCode).toBe(403);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `${base(alpha)}/${hook.id}`,
      headers: supervisor,
      payload: { active: false },
    });
    expect(patch.statusCode).toBe(403);
  });
});

describe('tenants', () => {
  it("another organization's subscription answers 404 on every route", async () => {
    const betaHook = await createOk(beta);
    const deliveryRow = await t.db.forOrg(beta, async (tx) => {
      await emitEvent(tx, 'supporter.created', {});
      const event = await tx
        .selectFrom('outbox_events')
        .select('id')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return tx
        .insertInto('webhook_deliveries')
        .values({ org_id: beta, subscription_id: betaHook.id, outbox_event_id: event.id })
        .returning('id')
        .executeTakeFirstOrThrow();
    });
    const wrong = `${base(alpha)}/${betaHook.id}`;
    const calls = [
      { method: 'GET', url: wrong },
      { method: 'PATCH', url: wrong, payload: { active: false } },
      { method: 'POST', url: `${wrong}/rotate-secret` },
      { method: 'POST', url: `${wrong}/test` },
      { method: 'GET', url: `${wrong}/deliveries` },
      { method: 'POST', url: `${wrong}/deliveries/${deliveryRow.id}/redeliver` },
      { method: 'DELETE', url: wrong },
    ] as const;
    for (const call of calls) {
      const response = await t.app.inject({ ...call, headers: admin });
      expect([call.method, call.url, response.statusCode]).toEqual([call.method, call.url, 404]);
    }
    expect(receiver.requests).toHaveLength(0);
    const still = await t.app.inject({ method: 'GET', url: `${base(beta)}/${betaHook.id}`, headers: admin });
    expect(still.json().active).toBe(true);
  });

  it("an organization's API key cannot reach another organization's webhooks", async () => {
    const key = await t.app.inject({
      method: 'POST',
      url: `/api/organizations/${alpha}/api-keys`,
      headers: admin,
      payload: { name: 'crm' },
    });
    const integration = { authorization: `Bearer ${key.json().key}` };
    expect((await create(alpha, { url: receiver.url, events: ['*'] }, integration)).statusCode).toBe(201);
    expect((await create(beta, { url: receiver.url, events: ['*'] }, integration)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: base(beta), headers: integration })).statusCode).toBe(
      404,
    );
  });
});

describe('delivery log, redelivery and ping', () => {
  it('pages the log newest first with a cursor, and filters by status', async () => {
    const hook = await createOk(alpha, { events: ['gift.recorded'] });
    receiver.answer(200, 500, 200, 500, 200);
    for (let i = 0; i < 5; i++) await t.db.forOrg(alpha, (tx) => emitEvent(tx, 'gift.recorded', { n: i }));
    // One at a time, so that the answers above meet the events in order.
    const dispatcher = createWebhookDispatcher({ db: t.db, secrets: testSecrets, batchSize: 1 });
    await dispatcher.runOnce();

    const log = `${base(alpha)}/${hook.id}/deliveries`;
    const first = await t.app.inject({ method: 'GET', url: `${log}?limit=2`, headers: supervisor });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toBe(page1.items[1].id);
    const page2 = (
      await t.app.inject({
        method: 'GET',
        url: `${log}?limit=2&cursor=${page1.nextCursor}`,
        headers: supervisor,
      })
    ).json();
    const page3 = (
      await t.app.inject({
        method: 'GET',
        url: `${log}?limit=2&cursor=${page2.nextCursor}`,
        headers: supervisor,
      })
    ).json();
    expect(page3.nextCursor).toBeNull();
    const all = [...page1.items, ...page2.items, ...page3.items];
    expect(all.map((d: { id: string }) => Number(d.id))).toEqual(
      all.map((d: { id: string }) => Number(d.id)).sort((a, b) => b - a),
    );
    expect(all.map((d: { status: string }) => d.status)).toEqual([
      'delivered',
      'pending',
      'delivered',
      'pending',
      'delivered',
    ]);
    expect(all[1]).toMatchObject({
      eventType: 'gift.recorded',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
    });
    expect(all[1].nextAttemptAt).not.toBeNull();
    expect(all[0]).toMatchObject({ lastStatusCode: 200, lastError: null, nextAttemptAt: null });

    const pending = (
      await t.app.inject({ method: 'GET', url: `${log}?status=pending`, headers: supervisor })
    ).json();
    expect(pending.items.map((d: { id: string }) => d.id)).toEqual([all[1].id, all[3].id]);
    const bad = await t.app.inject({ method: 'GET', url: `${log}?status=lost`, headers: supervisor });
    expect([bad.statusCode, bad.json().errors[0].field]).toEqual([400, 'querystring.status']);
  });

  it('redelivers a delivered event; refuses unknown deliveries and inactive subscriptions', async () => {
    const hook = await createOk(alpha);
    const other = await createOk(alpha, { events: ['consent.changed'] });
    await t.db.forOrg(alpha, (tx) => emitEvent(tx, 'supporter.created', { n: 1 }));
    const dispatcher = createWebhookDispatcher({ db: t.db, secrets: testSecrets });
    await dispatcher.runOnce();
    const log = (
      await t.app.inject({ method: 'GET', url: `${base(alpha)}/${hook.id}/deliveries`, headers: admin })
    ).json();
    const [delivered] = log.items;
    expect(delivered.status).toBe('delivered');

    const again = await t.app.inject({
      method: 'POST',
      url: `${base(alpha)}/${hook.id}/deliveries/${delivered.id}/redeliver`,
      headers: admin,
    });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({
      id: delivered.id,
      status: 'pending',
      attempts: 0,
      deliveredAt: null,
    });
    await dispatcher.runOnce();
    expect(receiver.requests).toHaveLength(2);
    expect(JSON.parse(receiver.requests[1]!.body).id).toBe(delivered.eventId);

    const elsewhere = await t.app.inject({
      method: 'POST',
      url: `${base(alpha)}/${other.id}/deliveries/${delivered.id}/redeliver`,
      headers: admin,
    });
    expect([elsewhere.statusCode, elsewhere.json().code]).toEqual([404, 'WEBHOOK_DELIVERY_NOT_FOUND']);

    await t.app.inject({
      method: 'PATCH',
      url: `${base(alpha)}/${hook.id}`,
      headers: admin,
      payload: { active: false },
    });
    const inactive = await t.app.inject({
      method: 'POST',
      url: `${base(alpha)}/${hook.id}/deliveries/${delivered.id}/redeliver`,
      headers: admin,
    });
    expect([inactive.statusCode, inactive.json().code]).toEqual([409, 'WEBHOOK_INACTIVE']);
  });

  it('a ping goes to that subscription only and answers with the attempt', async () => {
    const hook = await createOk(alpha);
    const bystander = await startReceiver();
    try {
      await createOk(alpha, { url: bystander.url });
      receiver.answer(503);
      const ping = await t.app.inject({
        method: 'POST',
        url: `${base(alpha)}/${hook.id}/test`,
        headers: admin,
      });
      expect(ping.statusCode).toBe(200);
      expect(ping.json()).toMatchObject({
        eventType: 'webhook.ping',
        status: 'pending',
        attempts: 1,
        lastStatusCode: 503,
      });
      const ok = await t.app.inject({
        method: 'POST',
        url: `${base(alpha)}/${hook.id}/test`,
        headers: admin,
      });
      expect(ok.json()).toMatchObject({ status: 'delivered', lastStatusCode: 200 });

      expect(receiver.requests.map((r) => r.headers['centralino-event'])).toEqual([
        'webhook.ping',
        'webhook.ping',
      ]);
      expect(JSON.parse(receiver.requests[1]!.body)).toMatchObject({
        type: 'webhook.ping',
        organizationId: alpha,
        data: { webhookId: hook.id },
      });
      // The dispatcher does not fan pings out to the organization's other subscriptions.
      await createWebhookDispatcher({ db: t.db, secrets: testSecrets }).runOnce();
      expect(bystander.requests).toHaveLength(0);
    } finally {
      await bystander.close();
    }
  });
});
