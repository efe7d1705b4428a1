// Configuration changes reach the running live center without a restart: a
// queue, IVR flow and number an admin creates take calls at once; a skill given
// to an operator brings them that queue's offers; a new user is routed; a
// disabled operator or one moved to another organization is offered no more.
// Through the HTTP API over a live runtime on the simulated gateway and a manual
// clock (PGlite or PostgreSQL).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signIn } from '../../test/test-app.ts';
import type { SimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import type { ManualClock } from './clock.ts';
import { advanceLive, buildCenter, buildLiveApp, type Center, MINUTE } from './live-test-kit.ts';
import type { LiveRuntime } from './runtime.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of responses
type Json = any;

/** A toll-free number no organization has when the center starts: callers dial it all the same. */
const LEGACY_NUMBER = '+39800555111';

let center: Center;
let app: FastifyInstance;
let clock: ManualClock;
let gateway: SimulatedGateway;
let runtime: LiveRuntime;
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  center = await buildCenter();
  ({ app, clock, gateway, runtime } = await buildLiveApp(center, {
    seed: 34,
    patienceSeconds: 3600,
    lines: [
      {
        number: LEGACY_NUMBER,
        callsPerHour: Array(24).fill(30),
        patience: { kind: 'fixed', seconds: 3600 },
        talkTime: { kind: 'fixed', seconds: 90 },
      },
    ],
  }));
  headers.admin = asUser(await signIn(app, 'admin@example.test'));
  headers.operator = asUser(await signIn(app, 'operator@example.test'));
  headers.unskilled = asUser(await signIn(app, 'unskilled@example.test'));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await gateway?.close();
  await center?.k.close();
});

async function call(
  who: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: object,
): Promise<{ status: number; body: Json }> {
  const response = await app.inject({ method, url, headers: headers[who]!, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: response.body ? (response.json() as Json) : null };
}

async function ok(promise: Promise<{ status: number; body: Json }>, status = 201): Promise<Json> {
  const response = await promise;
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

const waitingIn = (queueId: string) =>
  runtime.queues(center.k.alpha).find((q) => q.queueId === queueId)?.waiting ?? 0;

let legacyQueueId = '';

describe('configuration changes in the running live center', () => {
  it('a queue, IVR flow and number created while running take calls; a skill given brings that queue’s offers', async () => {
    const org = `/api/organizations/${center.k.alpha}`;
    // Before the number exists its callers are turned away.
    await advanceLive(clock, runtime, clock.now() + 10 * MINUTE);
    expect(gateway.stats().inbound.offered).toBeGreaterThan(0);

    await ok(call('admin', 'POST', '/api/skills', { key: 'legacy', label: 'Legacy gifts' }));
    const queue = await ok(
      call('admin', 'POST', `${org}/queues`, {
        key: 'legacy',
        name: 'Legacy gifts',
        skillExpression: 'legacy >= 3',
      }),
    );
    legacyQueueId = queue.id;
    const flow = await ok(
      call('admin', 'POST', `${org}/ivr-flows`, {
        name: 'Legacy line',
        definition: { entry: 'legacy', nodes: { legacy: { type: 'queue', queue: 'legacy' } } },
      }),
    );
    await ok(
      call('admin', 'POST', `${org}/numbers`, { e164: LEGACY_NUMBER, kind: 'toll_free', ivrFlowId: flow.id }),
    );
    expect(runtime.queues(center.k.alpha).map((q) => q.key)).toContain('legacy');

    // The unskilled operator (alpha, no skills) is available: the legacy callers wait for someone with the skill.
    expect((await call('unskilled', 'POST', '/api/operator/state', { state: 'available' })).status).toBe(200);
    await advanceLive(clock, runtime, clock.now() + 20 * MINUTE, () => waitingIn(legacyQueueId) >= 2);
    expect(waitingIn(legacyQueueId)).toBeGreaterThanOrEqual(2);
    expect(runtime.session(center.unskilled).offer).toBeNull();

    await ok(
      call('admin', 'PUT', `/api/operators/${center.unskilled}/skills`, {
        skills: [{ skillKey: 'legacy', level: 4 }],
      }),
      200,
    );
    // The change took effect within the request: the longest-waiting legacy caller rings at once.
    const offer = runtime.session(center.unskilled).offer;
    expect(offer).toMatchObject({ queueId: legacyQueueId, orgId: center.k.alpha });
    const rows = await center.k.db.asCenter((tx) =>
      tx
        .selectFrom('interactions')
        .select(['number', 'queue_id'])
        .where('number', '=', LEGACY_NUMBER)
        .execute(),
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('a disabled operator finishes the call in progress, then is offered nothing and leaves the live center', async () => {
    const operator = center.unskilled;
    const offer = runtime.session(operator).offer!;
    await ok(call('unskilled', 'POST', `/api/operator/offers/${offer.offerId}/accept`), 200);
    const connected = () => runtime.session(operator).interaction?.phase === 'connected';
    await advanceLive(clock, runtime, clock.now() + 10_000, connected);
    expect(connected()).toBe(true);

    await ok(call('admin', 'PATCH', `/api/users/${operator}`, { disabled: true }), 200);
    // Still on the call: it ends normally.
    expect(runtime.operators().find((op) => op.userId === operator)?.state).toBe('busy');
    // The caller hangs up after 90 s; the queue has no wrap-up time: offline, out of the live center.
    const gone = () => !runtime.isOperator(operator);
    await advanceLive(clock, runtime, clock.now() + 5 * MINUTE, gone);
    expect(gone()).toBe(true);
    expect(runtime.operators().map((op) => op.userId)).not.toContain(operator);
    await runtime.actions.submitDisposition({
      operatorId: operator,
      offerId: offer.offerId,
      code: 'reached',
    });
    await runtime.drain();
    const row = await center.k.db.asCenter((tx) =>
      tx
        .selectFrom('interactions')
        .select(['disposition', 'operator_id', 'wrap_ended_at'])
        .where('id', '=', offer.offerId)
        .executeTakeFirstOrThrow(),
    );
    expect(row).toMatchObject({ disposition: 'reached', operator_id: operator });
    expect(row.wrap_ended_at).not.toBeNull();

    // Legacy callers keep arriving and wait: nobody routed has the skill now.
    const before = waitingIn(legacyQueueId);
    await advanceLive(clock, runtime, clock.now() + 15 * MINUTE);
    expect(waitingIn(legacyQueueId)).toBeGreaterThan(before);
    // The disabled account's last interval is closed: offline.
    const open = await center.k.db.asCenter((tx) =>
      tx
        .selectFrom('agent_state_intervals')
        .select(['state'])
        .where('user_id', '=', operator)
        .where('ended_at', 'is', null)
        .execute(),
    );
    expect(open).toEqual([]);
  }, 180_000);

  it('a new operator is routed at once; one moved to another organization is offered that organization’s calls no more', async () => {
    const created = await ok(
      call('admin', 'POST', '/api/users', {
        email: 'legacy-desk@example.test',
        role: 'operator',
        password: 'correct horse battery',
        organizationIds: [center.k.alpha],
      }),
    );
    expect(runtime.isOperator(created.id)).toBe(true);
    expect(runtime.operators().find((op) => op.userId === created.id)?.state).toBe('offline');
    await ok(
      call('admin', 'PUT', `/api/operators/${created.id}/skills`, {
        skills: [{ skillKey: 'legacy', level: 3 }],
      }),
      200,
    );
    headers.desk = asUser(await signIn(app, 'legacy-desk@example.test'));
    await ok(call('desk', 'POST', '/api/operator/state', { state: 'available' }), 200);
    expect(runtime.session(created.id).offer).toMatchObject({ queueId: legacyQueueId });

    // The donor-care operator of alpha: an offer, declined; then moved to beta.
    const skilled = center.skilled;
    await ok(call('operator', 'POST', '/api/operator/state', { state: 'available' }), 200);
    await advanceLive(
      clock,
      runtime,
      clock.now() + 30 * MINUTE,
      () => runtime.session(skilled).offer !== null,
    );
    const first = runtime.session(skilled).offer!;
    expect(first.orgId).toBe(center.k.alpha);
    await ok(call('operator', 'POST', `/api/operator/offers/${first.offerId}/reject`), 200);
    await ok(call('admin', 'PATCH', `/api/users/${skilled}`, { organizationIds: [center.k.beta] }), 200);
    // Another alpha caller may already ring (offered before the change): declined, nothing follows it.
    const ringing = runtime.session(skilled).offer;
    if (ringing) await ok(call('operator', 'POST', `/api/operator/offers/${ringing.offerId}/reject`), 200);
    expect(runtime.session(skilled).offer).toBeNull();
    await advanceLive(
      clock,
      runtime,
      clock.now() + 20 * MINUTE,
      () => runtime.session(skilled).offer !== null,
    );
    expect(runtime.session(skilled).offer).toBeNull();
    expect(waitingIn(center.queueId)).toBeGreaterThan(0);
    // Still an operator of the center, available for beta's work.
    expect(runtime.operators().find((op) => op.userId === skilled)?.state).toBe('available');
  }, 180_000);
});
