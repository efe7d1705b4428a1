// Per-queue log-in of an operator through the API (GET/PUT /api/operator/queues),
// over a live runtime on the simulated gateway and a manual clock: logged out of
// one of two queues they are eligible for, the operator is offered none of its
// calls but those of the other; logged back in they are offered its calls again;
// going offline logs them back in everywhere.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signIn } from '../../../test/test-app.ts';
import type { SimulatedGateway } from '../../gateways/simulated/simulated-gateway.ts';
import type { ManualClock } from '../../live/clock.ts';
import { advanceLive, buildCenter, buildLiveApp, type Center, MINUTE } from '../../live/live-test-kit.ts';
import type { LiveRuntime } from '../../live/runtime.ts';
import type { RealtimeEvent } from '../../realtime/hub.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of responses
type Json = any;

const SECOND_NUMBER = '+39800999888';

let center: Center;
let app: FastifyInstance;
let clock: ManualClock;
let gateway: SimulatedGateway;
let runtime: LiveRuntime;
let secondQueueId: string;
let betaQueueId: string;
/** Active campaigns: one on a queue of its own, two sharing another. */
const campaigns: Record<'own' | 'shared', string> = { own: '', shared: '' };
let ownQueueId: string;
const events: RealtimeEvent[] = [];
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  center = await buildCenter();
  // A second queue the skilled operator is eligible for; its number is added later (see below).
  const second = await center.k.call({
    method: 'POST',
    url: `/api/organizations/${center.k.alpha}/queues`,
    payload: { key: 'second', name: 'Second line', skillExpression: 'donor_care >= 5', wrapUpSeconds: 60 },
  });
  expect(second.status).toBe(201);
  secondQueueId = second.body.id;
  const beta = await center.k.call({ method: 'GET', url: `/api/organizations/${center.k.beta}/queues` });
  betaQueueId = beta.body.items[0].id;
  const create = async (url: string, payload: object) => {
    const response = await center.k.call({ method: 'POST', url, payload });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.id as string;
  };
  const queues = `/api/organizations/${center.k.alpha}/queues`;
  const outbound = { direction: 'outbound', skillExpression: 'donor_care >= 5', wrapUpSeconds: 30 };
  ownQueueId = await create(queues, { key: 'welcome', name: 'Welcome calls', ...outbound });
  const sharedQueueId = await create(queues, { key: 'thanks', name: 'Thank-you calls', ...outbound });
  const campaign = (name: string, queueId: string) =>
    create(`/api/organizations/${center.k.alpha}/campaigns`, {
      name,
      cycleType: 'welcome',
      status: 'active',
      // Nobody has the tag: the dialer dials no one.
      eligibility: [{ kind: 'tag', tag: 'nobody-has-it' }],
      pacing: { mode: 'progressive' },
      queueId,
    });
  campaigns.own = await campaign('Benvenuto', ownQueueId);
  campaigns.shared = await campaign('Grazie marzo', sharedQueueId);
  await campaign('Grazie aprile', sharedQueueId);
  ({ app, clock, gateway, runtime } = await buildLiveApp(center, {
    seed: 33,
    patienceSeconds: 3600,
    lines: [
      {
        number: SECOND_NUMBER,
        callsPerHour: Array(24).fill(30),
        patience: { kind: 'fixed', seconds: 3600 },
        talkTime: { kind: 'fixed', seconds: 120 },
      },
    ],
  }));
  app.realtime.subscribe((stored) => events.push(stored.event));
  for (const role of ['admin', 'planner', 'operator', 'client_viewer'])
    headers[role] = asUser(await signIn(app, `${role}@example.test`));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await gateway?.close();
  await center?.k.close();
});

async function call(role: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const response = await app.inject({
    method,
    url,
    headers: headers[role]!,
    ...(payload ? { payload } : {}),
  });
  return { status: response.statusCode, body: response.body ? (response.json() as Json) : null };
}

async function until(done: () => boolean, limitMs: number) {
  await advanceLive(clock, runtime, clock.now() + limitMs, done);
  expect(done()).toBe(true);
}

const stats = (queueId: string) => runtime.queues(center.k.alpha).find((q) => q.queueId === queueId)!;
const loggedIn = async () => {
  const list = await call('operator', 'GET', '/api/operator/queues');
  expect(list.status).toBe(200);
  return Object.fromEntries(list.body.items.map((q: Json) => [q.key, q.loggedIn]));
};

describe('operator queue log-in', () => {
  it('an operator logged out of one queue is offered only the other’s calls, again both once logged back in, and all after going offline', async () => {
    const operator = center.skilled;
    // The queues of the operator's organization only (not the other organization's).
    const list = await call('operator', 'GET', '/api/operator/queues');
    expect(list.body.items.map((q: Json) => [q.key, q.orgId, q.direction, q.loggedIn]).sort()).toEqual([
      ['donor-care', center.k.alpha, 'inbound', true],
      ['second', center.k.alpha, 'inbound', true],
      ['thanks', center.k.alpha, 'outbound', true],
      ['welcome', center.k.alpha, 'outbound', true],
    ]);

    const out = await call('operator', 'PUT', `/api/operator/queues/${center.queueId}`, { loggedIn: false });
    expect([out.status, out.body.queueId, out.body.loggedIn]).toEqual([200, center.queueId, false]);
    expect(await loggedIn()).toEqual({ 'donor-care': false, second: true, thanks: true, welcome: true });
    expect(events.find((e) => e.type === 'agent.queues_changed')).toMatchObject({
      recipientUserId: operator,
      data: { userId: operator, loggedOutQueueIds: [center.queueId] },
    });
    // Another organization's queue, or none at all: not found.
    for (const queueId of [betaQueueId, '00000000-0000-4000-8000-000000000000']) {
      const foreign = await call('operator', 'PUT', `/api/operator/queues/${queueId}`, { loggedIn: false });
      expect([foreign.status, foreign.body.code]).toEqual([404, 'LIVE_QUEUE_NOT_FOUND']);
    }

    // Available, logged out of donor-care: its calls wait, the operator counts as idle only for the other queue.
    await call('operator', 'POST', '/api/operator/state', { state: 'available' });
    expect([stats(center.queueId).idleOperators, stats(secondQueueId).idleOperators]).toEqual([0, 1]);
    await until(() => stats(center.queueId).waiting >= 1, 60 * MINUTE);
    expect(runtime.session(operator).offer).toBeNull();

    // A call to the second queue (its number added now) is offered to them.
    const number = await center.k.call({
      method: 'POST',
      url: `/api/organizations/${center.k.alpha}/numbers`,
      payload: {
        e164: SECOND_NUMBER,
        kind: 'toll_free',
        ivrFlowId: (
          await center.k.call({
            method: 'POST',
            url: `/api/organizations/${center.k.alpha}/ivr-flows`,
            payload: {
              name: 'Second',
              definition: { entry: 'q', nodes: { q: { type: 'queue', queue: 'second' } } },
            },
          })
        ).body.id,
      },
    });
    expect(number.status).toBe(201);
    await runtime.reloadConfiguration();
    await until(() => runtime.session(operator).offer !== null, 60 * MINUTE);
    const first = runtime.session(operator).offer!;
    expect(first.queueId).toBe(secondQueueId);
    expect(stats(center.queueId).waiting).toBeGreaterThanOrEqual(1);

    // Back in donor-care and out of the second queue: the next offer is donor-care's call that waited.
    expect(
      (await call('operator', 'PUT', `/api/operator/queues/${secondQueueId}`, { loggedIn: false })).status,
    ).toBe(200);
    const back = await call('operator', 'PUT', `/api/operator/queues/${center.queueId}`, { loggedIn: true });
    expect([back.status, back.body.loggedIn]).toEqual([200, true]);
    expect(await loggedIn()).toEqual({ 'donor-care': true, second: false, thanks: true, welcome: true });
    expect((await call('operator', 'POST', `/api/operator/offers/${first.offerId}/reject`)).status).toBe(200);
    await call('operator', 'POST', '/api/operator/state', { state: 'available' });
    await until(() => runtime.session(operator).offer !== null, 10 * MINUTE);
    expect(runtime.session(operator).offer!.queueId).toBe(center.queueId);

    // Going offline logs them back in to every queue.
    const next = runtime.session(operator).offer!;
    expect((await call('operator', 'POST', `/api/operator/offers/${next.offerId}/reject`)).status).toBe(200);
    const offline = await call('operator', 'POST', '/api/operator/state', { state: 'offline' });
    expect([offline.status, offline.body.state]).toEqual([200, 'offline']);
    expect(await loggedIn()).toEqual({ 'donor-care': true, second: true, thanks: true, welcome: true });
  });

  it('is the operator’s own: other roles are refused', async () => {
    for (const role of ['admin', 'planner', 'client_viewer']) {
      for (const [method, url, payload] of [
        ['GET', '/api/operator/queues', undefined],
        ['PUT', `/api/operator/queues/${center.queueId}`, { loggedIn: false }],
        ['PUT', '/api/operator/campaigns/00000000-0000-4000-8000-000000000000', { loggedIn: false }],
      ] as const) {
        const refused = await call(role, method, url, payload);
        expect([role, url, refused.status, refused.body.code]).toEqual([role, url, 403, 'FORBIDDEN']);
      }
    }
    const unknown = await call(
      'operator',
      'PUT',
      '/api/operator/campaigns/00000000-0000-4000-8000-000000000000',
      {
        loggedIn: false,
      },
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, 'LIVE_CAMPAIGN_NOT_FOUND']);
  });

  it("logs in to or out of a campaign's own queue; a queue shared with another campaign is refused", async () => {
    const out = await call('operator', 'PUT', `/api/operator/campaigns/${campaigns.own}`, {
      loggedIn: false,
    });
    expect([out.status, out.body.queueId, out.body.loggedIn]).toEqual([200, ownQueueId, false]);
    expect((await loggedIn()).welcome).toBe(false);
    const back = await call('operator', 'PUT', `/api/operator/campaigns/${campaigns.own}`, {
      loggedIn: true,
    });
    expect([back.status, back.body.loggedIn]).toEqual([200, true]);
    const shared = await call('operator', 'PUT', `/api/operator/campaigns/${campaigns.shared}`, {
      loggedIn: false,
    });
    expect([shared.status, shared.body.code]).toEqual([409, 'LIVE_CAMPAIGN_QUEUE_SHARED']);
    expect((await loggedIn()).thanks).toBe(true);
  });
});
