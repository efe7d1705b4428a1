// The operator and supervisor API through inject(), over a live runtime on the
// simulated gateway and a manual clock (PGlite or PostgreSQL): a real user logs
// in, is offered a call with its screen pop (also as a user-addressed hub
// event), accepts, holds, hangs up and records the disposition; supervisors
// see queues and operators and force a state; other roles are refused; an
// operator records "call back at … for me" and keeps wrapping up
// (endWrapUp: false), ends the wrap-up with POST …/end-wrap-up, and the
// callback, written with the contact's close, is then in GET
// /api/operator/callbacks (and on nobody else's list).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signIn } from '../../../test/test-app.ts';
import type { SimulatedGateway } from '../../gateways/simulated/simulated-gateway.ts';
import type { ManualClock } from '../../live/clock.ts';
import { advanceLive, buildCenter, buildLiveApp, type Center } from '../../live/live-test-kit.ts';
import type { LiveRuntime } from '../../live/runtime.ts';
import type { RealtimeEvent } from '../../realtime/hub.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of responses
type Json = any;

let center: Center;
let app: FastifyInstance;
let clock: ManualClock;
let gateway: SimulatedGateway;
let runtime: LiveRuntime;
const events: RealtimeEvent[] = [];
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  center = await buildCenter();
  ({ app, clock, gateway, runtime } = await buildLiveApp(center, { seed: 21, patienceSeconds: 1800 }));
  app.realtime.subscribe((stored) => events.push(stored.event));
  for (const role of ['admin', 'supervisor', 'planner', 'operator', 'client_viewer'])
    headers[role] = asUser(await signIn(app, `${role}@example.test`));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await gateway?.close();
  await center?.k.close();
});

async function call(role: string, method: 'GET' | 'POST', url: string, payload?: object) {
  const response = await app.inject({
    method,
    url,
    headers: headers[role]!,
    ...(payload ? { payload } : {}),
  });
  return { status: response.statusCode, body: response.body ? (response.json() as Json) : null };
}

/** Moves the clock until `done` (at most `limitMs`). */
async function until(done: () => boolean, limitMs: number) {
  await advanceLive(clock, runtime, clock.now() + limitMs, done);
  expect(done()).toBe(true);
}

describe('operator API', () => {
  it('a signed-in operator logs in, is offered a call with its screen pop, accepts, holds, hangs up and records the outcome', async () => {
    const operator = center.skilled;
    let session = await call('operator', 'GET', '/api/operator/session');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({
      userId: operator,
      state: 'offline',
      offer: null,
      interaction: null,
    });

    session = await call('operator', 'POST', '/api/operator/state', { state: 'available' });
    expect([session.status, session.body.state]).toEqual([200, 'available']);

    await until(() => runtime.session(operator).offer !== null, 60 * 60_000);
    session = await call('operator', 'GET', '/api/operator/session');
    const offer = session.body.offer;
    expect(offer).toMatchObject({ orgId: center.k.alpha, queueId: center.queueId, direction: 'inbound' });
    expect(offer.dispositions).toEqual(expect.arrayContaining(['reached', 'do_not_call', 'not_interested']));
    expect(Array.isArray(offer.screenPop)).toBe(true);
    // The same offer reached the operator's stream, addressed to them alone.
    const pushed = events.find((e) => e.type === 'interaction.offered');
    expect(pushed).toMatchObject({ recipientUserId: operator, organizationId: center.k.alpha });
    expect((pushed!.data as Json).offerId).toBe(offer.offerId);

    // Another operator cannot take it; this one can, once.
    const accepted = await call('operator', 'POST', `/api/operator/offers/${offer.offerId}/accept`);
    expect([accepted.status, accepted.body.state]).toEqual([200, 'busy']);
    const again = await call('operator', 'POST', `/api/operator/offers/${offer.offerId}/accept`);
    expect([again.status, again.body.code]).toEqual([409, 'LIVE_OFFER_GONE']);

    await until(() => runtime.session(operator).interaction?.phase === 'connected', 10_000);
    const interactionId = offer.offerId;
    const base = `/api/operator/interactions/${interactionId}`;
    const held = await call('operator', 'POST', `${base}/hold`);
    expect([held.status, held.body.interaction.onHold]).toEqual([200, true]);
    await advanceLive(clock, runtime, clock.now() + 10_000);
    const back = await call('operator', 'POST', `${base}/unhold`);
    expect([back.status, back.body.interaction.onHold]).toEqual([200, false]);

    const hungUp = await call('operator', 'POST', `${base}/hangup`);
    expect(hungUp.status).toBe(200);
    await until(() => runtime.session(operator).interaction?.phase === 'wrap_up', 5_000);

    const unknown = await call('operator', 'POST', `${base}/disposition`, { code: 'welcome_done' });
    expect([unknown.status, unknown.body.code, unknown.body.errors?.[0]?.field]).toEqual([
      400,
      'LIVE_DISPOSITION_UNKNOWN',
      'body.code',
    ]);
    // An inbound caller may upgrade: the disposition is offered, and its details are checked first.
    expect(offer.dispositions).toEqual(expect.arrayContaining(['upgrade_accepted', 'call_back']));
    const incomplete = await call('operator', 'POST', `${base}/disposition`, {
      code: 'upgrade_accepted',
      details: { newAmountCents: 0 },
    });
    expect([incomplete.status, incomplete.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const missing = await call('operator', 'POST', `${base}/disposition`, {
      code: 'upgrade_accepted',
      details: { newAmountCents: 2000 },
    });
    expect([missing.status, missing.body.code]).toEqual([400, 'DISPOSITION_DETAILS_INVALID']);
    expect(missing.body.errors.map((e: Json) => e.field)).toEqual([
      'body.details.commitmentId',
      'body.details.effectiveDate',
    ]);
    const badIban = await call('operator', 'POST', `${base}/disposition`, {
      code: 'conversion_accepted',
      details: {
        amountCents: 1000,
        frequency: 'monthly',
        iban: 'IT61X0542811101000000123456',
        signatureConsent: { recorded: true, evidence: 'rec' },
      },
    });
    expect([badIban.status, badIban.body.code, badIban.body.errors[0].field]).toEqual([
      400,
      'IBAN_INVALID',
      'body.details.iban',
    ]);
    const recorded = await call('operator', 'POST', `${base}/disposition`, {
      code: 'not_interested',
      notes: 'Chiede di essere richiamata a maggio',
    });
    expect(recorded.status).toBe(200);
    // Free for the next caller, who may already be ringing.
    expect(['available', 'reserved']).toContain(recorded.body.state);
    expect(recorded.body.interaction?.interactionId).not.toBe(interactionId);
    // On disk when the operator is told it is recorded (before any drain): a stop now keeps it.
    const atAnswer = await center.k.db.asCenter((tx) =>
      tx
        .selectFrom('interactions')
        .select(['disposition', 'notes'])
        .where('id', '=', interactionId)
        .executeTakeFirstOrThrow(),
    );
    expect(atAnswer).toEqual({
      disposition: 'not_interested',
      notes: 'Chiede di essere richiamata a maggio',
    });
    await runtime.drain();

    const row = await center.k.db.asCenter((tx) =>
      tx.selectFrom('interactions').selectAll().where('id', '=', interactionId).executeTakeFirstOrThrow(),
    );
    expect(row).toMatchObject({
      operator_id: operator,
      disposition: 'not_interested',
      notes: 'Chiede di essere richiamata a maggio',
      outcome: 'answered',
      end_cause: 'completed',
      hold_seconds: 10,
    });
    expect(row.wrap_ended_at!.getTime()).toBeGreaterThanOrEqual(row.ended_at!.getTime());

    // A contact that is not this operator's.
    const other = await call('operator', 'POST', `/api/operator/interactions/${crypto.randomUUID()}/hold`);
    expect([other.status, other.body.code]).toEqual([404, 'LIVE_INTERACTION_NOT_FOUND']);
  }, 180_000);

  it('supervisors see queues and operators and force a state; other roles are refused', async () => {
    const queues = await call('supervisor', 'GET', `/api/organizations/${center.k.alpha}/live/queues`);
    expect(queues.status).toBe(200);
    const care = queues.body.items.find((q: Json) => q.queueId === center.queueId);
    expect(care).toMatchObject({ key: 'donor-care', answeredToday: 1 });
    const viewer = await call('client_viewer', 'GET', `/api/organizations/${center.k.alpha}/live/queues`);
    expect(viewer.status).toBe(200);
    const otherOrg = await call('client_viewer', 'GET', `/api/organizations/${center.k.beta}/live/queues`);
    expect(otherOrg.status).toBe(404);

    const operators = await call('supervisor', 'GET', '/api/live/operators');
    expect(operators.status).toBe(200);
    expect(operators.body.items.find((o: Json) => o.userId === center.skilled)).toMatchObject({
      presence: 'available',
    });
    const forced = await call('supervisor', 'POST', `/api/live/operators/${center.skilled}/state`, {
      state: 'not_ready',
      reason: 'coaching',
    });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ presence: 'not_ready', reason: 'coaching' });
    expect(
      events.some(
        (e) =>
          e.type === 'agent.presence_changed' &&
          e.recipientUserId === center.skilled &&
          (e.data as Json).forced === true,
      ),
    ).toBe(true);
    // Forced out, too: the operator is logged out of the live center.
    const loggedOut = await call('supervisor', 'POST', `/api/live/operators/${center.skilled}/state`, {
      state: 'offline',
    });
    expect(loggedOut.status).toBe(200);
    expect(loggedOut.body).toMatchObject({ presence: 'offline' });
    const afterLogout = await call('supervisor', 'GET', '/api/live/operators');
    expect(afterLogout.body.items.find((o: Json) => o.userId === center.skilled)).toMatchObject({
      presence: 'offline',
    });

    for (const [role, method, url] of [
      ['planner', 'GET', '/api/operator/session'],
      ['admin', 'POST', '/api/operator/state'],
      ['client_viewer', 'GET', '/api/live/operators'],
      ['operator', 'POST', `/api/live/operators/${center.skilled}/state`],
      ['operator', 'GET', `/api/organizations/${center.k.alpha}/live/queues`],
    ] as const) {
      const refused = await call(role, method, url, method === 'POST' ? { state: 'offline' } : undefined);
      expect([role, url, refused.status, refused.body.code]).toEqual([role, url, 403, 'FORBIDDEN']);
    }
  });

  it('an operator promises a callback, keeps wrapping up, ends the wrap-up and finds the callback in their list', async () => {
    const operator = center.skilled;
    expect((await call('operator', 'GET', '/api/operator/callbacks')).body).toEqual({ items: [] });
    await call('operator', 'POST', '/api/operator/state', { state: 'available' });
    await until(() => runtime.session(operator).offer !== null, 60 * 60_000);
    const offerId: string = runtime.session(operator).offer!.offerId;
    expect((await call('operator', 'POST', `/api/operator/offers/${offerId}/accept`)).status).toBe(200);
    await until(() => runtime.session(operator).interaction?.phase === 'connected', 10_000);
    const base = `/api/operator/interactions/${offerId}`;

    // Not in wrap-up yet: nothing to end.
    const early = await call('operator', 'POST', `${base}/end-wrap-up`);
    expect([early.status, early.body.code]).toEqual([409, 'LIVE_INVALID_STATE']);

    expect((await call('operator', 'POST', `${base}/hangup`)).status).toBe(200);
    await until(() => runtime.session(operator).interaction?.phase === 'wrap_up', 5_000);

    const at = new Date(clock.now() + 2 * 60 * 60_000);
    const recorded = await call('operator', 'POST', `${base}/disposition`, {
      code: 'call_back',
      notes: 'Richiamare dopo le 18',
      details: { at: at.toISOString(), owner: 'me', phone: '+393331234567' },
      endWrapUp: false,
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    // Still wrapping up this contact: the operator decides when it ends.
    expect(recorded.body.state).toBe('wrap_up');
    expect(recorded.body.interaction).toMatchObject({ interactionId: offerId, phase: 'wrap_up' });

    // The callback is a CRM effect: it lands with the contact's close, in the same transaction.
    expect((await call('operator', 'GET', '/api/operator/callbacks')).body.items).toEqual([]);

    const ended = await call('operator', 'POST', `${base}/end-wrap-up`);
    expect(ended.status).toBe(200);
    expect(['available', 'reserved']).toContain(ended.body.state);
    expect(ended.body.interaction?.interactionId).not.toBe(offerId);
    const twice = await call('operator', 'POST', `${base}/end-wrap-up`);
    expect([twice.status, twice.body.code]).toEqual([404, 'LIVE_INTERACTION_NOT_FOUND']);

    await runtime.drain();
    const row = await center.k.db.asCenter((tx) =>
      tx
        .selectFrom('interactions')
        .select(['disposition', 'wrap_ended_at', 'ended_at'])
        .where('id', '=', offerId)
        .executeTakeFirstOrThrow(),
    );
    expect(row.disposition).toBe('call_back');
    expect(row.wrap_ended_at!.getTime()).toBeGreaterThanOrEqual(row.ended_at!.getTime());
    const mine = await call('operator', 'GET', '/api/operator/callbacks');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        orgId: center.k.alpha,
        dueAt: at.toISOString(),
        phone: '+393331234567',
        queueId: center.queueId,
        campaignId: null,
        interactionId: offerId,
        notes: 'Richiamare dopo le 18',
      }),
    ]);
    expect(mine.body.items[0].targetName).not.toBe('');
    // Another person's promise is not on the supervisor's list.
    expect((await call('supervisor', 'GET', '/api/operator/callbacks')).body).toEqual({ items: [] });
  }, 180_000);
});
