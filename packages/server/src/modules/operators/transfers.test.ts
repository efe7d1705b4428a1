// Transfers through the operator API, over a live runtime on the simulated
// gateway and a manual clock (PGlite or PostgreSQL): a signed-in operator on a
// call transfers it blind to another queue (a simulated colleague there takes
// it and records the outcome) or to one colleague, who must be available; the
// first operator wraps up and the interaction keeps the transfer chain.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signIn } from '../../../test/test-app.ts';
import type { SimulatedGateway } from '../../gateways/simulated/simulated-gateway.ts';
import { createSimulatedOperators } from '../../gateways/simulated/simulated-operators.ts';
import type { ManualClock } from '../../live/clock.ts';
import { advanceLive, buildCenter, buildLiveApp, type Center } from '../../live/live-test-kit.ts';
import type { LiveRuntime } from '../../live/runtime.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of responses
type Json = any;

let center: Center;
let app: FastifyInstance;
let clock: ManualClock;
let gateway: SimulatedGateway;
let runtime: LiveRuntime;
let billingQueueId: string;
let stopColleague: () => void = () => {};
const headers: Record<string, string> = {};

beforeAll(async () => {
  center = await buildCenter();
  const billing = await center.k.call({
    method: 'POST',
    url: `/api/organizations/${center.k.alpha}/queues`,
    payload: { key: 'billing', name: 'Billing', wrapUpSeconds: 30 },
  });
  expect(billing.status).toBe(201);
  billingQueueId = billing.body.id;
  ({ app, clock, gateway, runtime } = await buildLiveApp(center, { seed: 31, patienceSeconds: 1800 }));
  Object.assign(headers, asUser(await signIn(app, 'operator@example.test')));
  // The colleague (no donor_care skill: never offered the IVR's callers) is simulated.
  const colleague = createSimulatedOperators({
    clock,
    seed: 31,
    actions: runtime.actions,
    operators: [{ operatorId: center.unskilled }],
    profile: {
      acceptDelay: { kind: 'fixed', seconds: 2 },
      missRate: 0,
      holdRate: 0,
      holdAfter: { kind: 'fixed', seconds: 30 },
      holdTime: { kind: 'fixed', seconds: 15 },
      wrapUp: { kind: 'fixed', seconds: 10 },
      outcomes: { default: { not_interested: 1 } },
      breakEvery: null,
    },
    onRefused: (error, context) => {
      throw new Error(`${context.action} refused: ${(error as Error).message}`);
    },
  });
  for (const seat of colleague.seats) runtime.registerSeat(seat);
  await colleague.start();
  stopColleague = () => colleague.stop();
}, 120_000);

afterAll(async () => {
  stopColleague();
  await app?.close();
  await gateway?.close();
  await center?.k.close();
});

async function call(method: 'GET' | 'POST', url: string, payload?: object) {
  const response = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: response.body ? (response.json() as Json) : null };
}

async function until(done: () => boolean, limitMs: number) {
  await advanceLive(clock, runtime, clock.now() + limitMs, done);
  expect(done()).toBe(true);
}

/** The signed-in operator takes the next call and is connected; its session's interaction. */
async function connectedCall() {
  const operator = center.skilled;
  await call('POST', '/api/operator/state', { state: 'available' });
  await until(() => runtime.session(operator).offer !== null, 60 * 60_000);
  const offer = runtime.session(operator).offer!;
  expect((await call('POST', `/api/operator/offers/${offer.offerId}/accept`)).status).toBe(200);
  await until(() => runtime.session(operator).interaction?.phase === 'connected', 10_000);
  return runtime.session(operator).interaction!;
}

const rowOf = (id: string) =>
  center.k.db.asCenter((tx) =>
    tx.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );

describe('transfers through the operator API', () => {
  it('blind to a queue: the call is routed again there, the first operator wraps up, the chain is kept', async () => {
    const current = await connectedCall();
    const url = `/api/operator/calls/${encodeURIComponent(current.callId)}/transfer`;
    // Refused: a queue of another organization, a malformed body, a call that is not yours.
    const beta = await center.k.call({ method: 'GET', url: `/api/organizations/${center.k.beta}/queues` });
    const betaQueue = beta.body.items[0].id;
    expect((await call('POST', url, { to: { queueId: betaQueue } })).body.code).toBe(
      'LIVE_TRANSFER_TARGET_UNKNOWN',
    );
    expect((await call('POST', url, { to: { queue: billingQueueId } })).status).toBe(400);
    expect(
      (await call('POST', '/api/operator/calls/sim-in-999/transfer', { to: { queueId: billingQueueId } }))
        .status,
    ).toBe(404);

    const transferredAt = clock.now();
    const done = await call('POST', url, { to: { queueId: billingQueueId } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ state: 'wrap_up', interaction: null });
    // The outcome is the next operator's.
    const refused = await call('POST', `/api/operator/interactions/${current.interactionId}/disposition`, {
      code: 'reached',
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'LIVE_INVALID_STATE']);

    await until(() => runtime.session(center.unskilled).interaction?.phase === 'connected', 30_000);
    expect(runtime.session(center.unskilled).interaction).toMatchObject({
      interactionId: current.interactionId,
      queueId: billingQueueId,
    });
    // The billing queue's wrap-up does not apply to the first operator: donor care's 60 s does.
    await advanceLive(clock, runtime, transferredAt + 61_000);
    expect(runtime.session(center.skilled).state).not.toBe('wrap_up');
    await call('POST', '/api/operator/state', { state: 'offline' });
    await until(() => runtime.session(center.unskilled).interaction === null, 30 * 60_000);
    await runtime.drain();

    const row = await rowOf(current.interactionId);
    expect(row).toMatchObject({
      operator_id: center.unskilled,
      queue_id: billingQueueId,
      disposition: 'not_interested',
      outcome: 'answered',
      end_cause: 'completed',
    });
    expect(row.transfers).toEqual([
      {
        at: new Date(transferredAt).toISOString(),
        fromOperatorId: center.skilled,
        toQueueId: billingQueueId,
      },
    ]);
    // Answered once, by the first operator.
    expect(row.answered_at!.getTime()).toBe(Date.parse(current.answeredAt!));
  }, 90_000);

  it('to a colleague: refused unless they are available, then offered to them only', async () => {
    const current = await connectedCall();
    const url = `/api/operator/calls/${encodeURIComponent(current.callId)}/transfer`;
    // A colleague of another organization is no target.
    expect((await call('POST', url, { to: { operatorId: center.otherOrg } })).body.code).toBe(
      'LIVE_TRANSFER_TARGET_UNKNOWN',
    );
    await runtime.forcePresence({ userId: center.unskilled, presence: 'not_ready', reason: 'break' });
    const busy = await call('POST', url, { to: { operatorId: center.unskilled } });
    expect([busy.status, busy.body.code]).toEqual([409, 'LIVE_OPERATOR_UNAVAILABLE']);
    await runtime.forcePresence({ userId: center.unskilled, presence: 'available' });

    const transferredAt = clock.now();
    const done = await call('POST', url, { to: { operatorId: center.unskilled } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await until(() => runtime.session(center.unskilled).interaction?.phase === 'connected', 30_000);
    await call('POST', '/api/operator/state', { state: 'offline' });
    await until(() => runtime.session(center.unskilled).interaction === null, 30 * 60_000);
    await runtime.drain();
    const row = await rowOf(current.interactionId);
    expect(row).toMatchObject({
      operator_id: center.unskilled,
      // Still the queue it came in on.
      queue_id: center.queueId,
      disposition: 'not_interested',
      end_cause: 'completed',
    });
    expect(row.transfers).toEqual([
      {
        at: new Date(transferredAt).toISOString(),
        fromOperatorId: center.skilled,
        toOperatorId: center.unskilled,
      },
    ]);
  }, 90_000);
});
