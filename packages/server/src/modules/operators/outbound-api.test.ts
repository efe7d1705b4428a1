// Outbound campaigns end to end through the HTTP API (issue 6, acceptance), on
// PGlite or PostgreSQL, over a live runtime on the simulated gateway and a
// manual clock: an admin configures the campaign, its supporters, their gifts
// and register checks through the API; a real operator signs in, goes
// available, learns the offer from its stream and answers through
// /api/operator/…; the outcome is read back through the CRM and campaign
// routes. live/upgrade-campaign.test.ts and live/dialer.test.ts drive the
// runtime's actions directly; this is the path the web app takes.
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signIn } from '../../../test/test-app.ts';
import { createSimulatedGateway, type SimulatedGateway } from '../../gateways/simulated/simulated-gateway.ts';
import type { ManualClock } from '../../live/clock.ts';
import { advanceLive, buildCenter, buildLiveApp, type Center, MINUTE } from '../../live/live-test-kit.ts';
import type { LiveRuntime } from '../../live/runtime.ts';
import type { RealtimeEvent } from '../../realtime/hub.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of responses
type Json = any;

// Tuesday 3 March 2026, 10:00 in Rome (UTC+1): inside the default calling window.
const TUESDAY_10 = Date.UTC(2026, 2, 3, 9);
// Wednesday 4 March 2026, 08:50 in Rome: ten minutes before the calling window below opens.
const WEDNESDAY_0850 = Date.UTC(2026, 2, 4, 7, 50);
const WEDNESDAY_09 = Date.UTC(2026, 2, 4, 8);
const CALLER_NUMBER = '+390212345678';

type Live = {
  center: Center;
  app: FastifyInstance;
  clock: ManualClock;
  gateway: SimulatedGateway;
  runtime: LiveRuntime;
  events: RealtimeEvent[];
  call: (
    role: 'admin' | 'operator',
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
  ) => Promise<{ status: number; body: Json }>;
  org: string;
};

// One center for the file (building one is most of a test's time); each test
// runs its own app and live runtime on its own clock, with its own campaigns,
// completed after it so that the next test's dialer leaves them alone.
let center: Center;
let queueId: string;
let live: Live | null = null;
const campaigns: string[] = [];

beforeAll(async () => {
  center = await buildCenter();
  const post = async (url: string, payload: object) => {
    const response = await center.k.call({ method: 'POST', url, payload });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  const queue = await post(`/api/organizations/${center.k.alpha}/queues`, {
    key: 'outbound-calls',
    name: 'Outbound calls',
    direction: 'outbound',
    skillExpression: 'donor_care >= 5',
    // Longer than any call here: under the manual clock the queue's own end of wrap-up
    // must not close the contact before the operator's disposition (upgrade-campaign.test.ts).
    wrapUpSeconds: 600,
  });
  queueId = queue.id;
  await post(`/api/organizations/${center.k.alpha}/numbers`, { e164: CALLER_NUMBER, kind: 'geographic' });
}, 120_000);

afterEach(async () => {
  for (const id of campaigns.splice(0))
    await center.k.call({
      method: 'PATCH',
      url: `/api/organizations/${center.k.alpha}/campaigns/${id}`,
      payload: { status: 'completed' },
    });
  await live?.app.close();
  await live?.gateway.close();
  live = null;
});

afterAll(async () => {
  await center?.k.close();
});

/** An app with a live runtime at `at` over the file's center, every callee a person who talks 90 s. */
async function start(at: number): Promise<Live> {
  const built = await buildLiveApp(center, {
    at,
    gateway: (clock) =>
      createSimulatedGateway({
        clock,
        seed: 3,
        outbound: {
          liveAnswerRate: 1,
          machineRate: 0,
          busyRate: 0,
          failedRate: 0,
          answerDelay: { kind: 'fixed', seconds: 8 },
          machineAnswerDelay: { kind: 'fixed', seconds: 6 },
          amdDetectionTime: { kind: 'fixed', seconds: 1 },
          amdFalsePositiveRate: 0,
          amdFalseNegativeRate: 0,
          talkTime: { kind: 'fixed', seconds: 90 },
        },
      }),
  });
  const events: RealtimeEvent[] = [];
  built.app.realtime.subscribe((stored) => events.push(stored.event));
  const headers = {
    admin: asUser(await signIn(built.app, 'admin@example.test')),
    operator: asUser(await signIn(built.app, 'operator@example.test')),
  };
  const call: Live['call'] = async (role, method, url, payload) => {
    const response = await built.app.inject({
      method,
      url,
      headers: headers[role],
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.body ? (response.json() as Json) : null };
  };
  live = { center, ...built, events, call, org: `/api/organizations/${center.k.alpha}` };
  return live;
}

/** An admin's write that must succeed; its body. */
async function ok(l: Live, method: 'POST' | 'PATCH', url: string, payload: object, status = 201) {
  const response = await l.call('admin', method, url, payload);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

/** An active campaign of the shared queue, completed after the test. */
async function campaign(l: Live, body: object) {
  const created = await ok(l, 'POST', `${l.org}/campaigns`, { status: 'active', queueId, ...body });
  campaigns.push(created.id);
  return created.id as string;
}

/** A supporter with one mobile number and, unless null, a register check of that date (not registered). */
async function supporter(l: Live, lastName: string, phone: string, checkedOn: string | null, tag: string) {
  const created = await ok(l, 'POST', `${l.org}/supporters`, {
    firstName: 'Test',
    lastName,
    tags: [tag],
    phones: [{ number: phone }],
  });
  if (checkedOn !== null)
    await ok(l, 'POST', `${l.org}/register-checks`, { number: phone, checkedOn, registered: false });
  return created.id as string;
}

/** Moves the clock until `done` (at most `limitMs`). */
async function until(l: Live, done: () => boolean, limitMs: number) {
  await advanceLive(l.clock, l.runtime, l.clock.now() + limitMs, done);
  expect(done()).toBe(true);
}

/** Offers the operator's stream carried (user-addressed `interaction.offered` events). */
const offersTo = (l: Live) =>
  l.events
    .filter((e) => e.type === 'interaction.offered' && e.recipientUserId === l.center.skilled)
    .map((e) => e.data as Json);

const interactionsOf = (l: Live, supporterId: string) =>
  l.center.k.db.asCenter((tx) =>
    tx.selectFrom('interactions').selectAll().where('supporter_id', '=', supporterId).execute(),
  );

async function callList(l: Live, campaignId: string) {
  const list = await l.call('admin', 'GET', `${l.org}/campaigns/${campaignId}/call-list`);
  expect(list.status).toBe(200);
  return list.body.items as Json[];
}

/**
 * The operator takes the offer the stream brought: accepts it unless the
 * dialer put it through already, talks until connected, hangs up; wrap-up.
 * Returns the contact as the operator's session showed it connected.
 */
async function takeCall(l: Live, offer: Json) {
  const operator = l.center.skilled;
  if (!offer.autoAccepted) {
    const accepted = await l.call('operator', 'POST', `/api/operator/offers/${offer.offerId}/accept`);
    expect([accepted.status, accepted.body.state]).toEqual([200, 'busy']);
  }
  await until(l, () => l.runtime.session(operator).interaction?.phase === 'connected', 60_000);
  const session = await l.call('operator', 'GET', '/api/operator/session');
  const interaction = session.body.interaction;
  expect(interaction).toMatchObject({ interactionId: offer.offerId, phase: 'connected' });
  await advanceLive(l.clock, l.runtime, l.clock.now() + 30_000);
  const hungUp = await l.call('operator', 'POST', `/api/operator/interactions/${offer.offerId}/hangup`);
  expect(hungUp.status).toBe(200);
  await until(l, () => l.runtime.session(operator).interaction?.phase === 'wrap_up', 5_000);
  return interaction;
}

describe('outbound campaigns through the API', () => {
  it('an upgrade accepted by the operator over HTTP raises the commitment, with the call in its history', async () => {
    const l = await start(TUESDAY_10);
    const supporterId = await supporter(l, 'Aumento', '+393470000001', '2026-03-01', 'upgrade');
    const commitment = await ok(l, 'POST', `${l.org}/supporters/${supporterId}/commitments`, {
      amountCents: 1500,
      frequency: 'monthly',
      method: 'bank_transfer',
      startDate: '2025-01-01',
    });
    // Preview: the operator sees the record first and the accept places the call.
    const campaignId = await campaign(l, {
      name: 'Aumento marzo',
      cycleType: 'upgrade',
      eligibility: [{ kind: 'tag', tag: 'upgrade' }],
      pacing: { mode: 'preview' },
      retryPolicy: { noAnswer: { retryAfterMinutes: 120 }, busy: { retryAfterMinutes: 30 } },
      maxAttempts: 3,
    });
    const counts = await ok(l, 'POST', `${l.org}/campaigns/${campaignId}/call-list/refresh`, {}, 200);
    expect(counts).toMatchObject({ total: 1, pending: 1, blocked: 0 });

    const state = await l.call('operator', 'POST', '/api/operator/state', { state: 'available' });
    expect([state.status, state.body.state]).toEqual([200, 'available']);
    await until(l, () => offersTo(l).length > 0, 5 * MINUTE);
    const session = await l.call('operator', 'GET', '/api/operator/session');
    const offer = session.body.offer;
    expect(offer).toMatchObject({
      offerId: offersTo(l)[0].offerId,
      direction: 'outbound',
      campaignId,
      cycleType: 'upgrade',
      callId: null,
    });
    expect(offer.autoAccepted).toBeUndefined();
    expect(offer.dispositions).toContain('upgrade_accepted');
    expect(offer.screenPop.map((m: Json) => m.supporterId)).toEqual([supporterId]);

    await takeCall(l, offer);
    const base = `/api/operator/interactions/${offer.offerId}`;
    // The screen pop: the supporter's record with the gift to raise.
    const record = await l.call('operator', 'GET', `${base}/supporter`);
    expect(record.status).toBe(200);
    const gift = record.body.commitments.find((c: Json) => c.id === commitment.id);
    expect(gift).toMatchObject({ amountCents: 1500, status: 'active' });

    const recorded = await l.call('operator', 'POST', `${base}/disposition`, {
      code: 'upgrade_accepted',
      notes: 'Aumenta a 20 € da aprile',
      details: { commitmentId: gift.id, newAmountCents: 2000, effectiveDate: '2026-04-01' },
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    await l.runtime.drain();

    const gifts = await l.call('admin', 'GET', `${l.org}/supporters/${supporterId}/commitments`);
    expect(gifts.body.items).toEqual([expect.objectContaining({ id: commitment.id, amountCents: 2000 })]);
    const history = await l.call('admin', 'GET', `${l.org}/commitments/${commitment.id}/history`);
    expect(history.body.items.map((h: Json) => h.kind)).toEqual(['amount_changed', 'created']);
    expect(history.body.items[0]).toMatchObject({
      fromAmountCents: 1500,
      toAmountCents: 2000,
      reason: 'upgrade',
      effectiveDate: '2026-04-01',
      interactionId: offer.offerId,
      actor: `user:${l.center.skilled}`,
    });
    expect(await callList(l, campaignId)).toEqual([
      expect.objectContaining({ supporterId, status: 'completed', attempts: 1, lastOutcome: 'reached' }),
    ]);
    const [row] = await interactionsOf(l, supporterId);
    expect(row).toMatchObject({
      id: offer.offerId,
      campaign_id: campaignId,
      operator_id: l.center.skilled,
      disposition: 'upgrade_accepted',
      outcome_amount_cents: 500,
      end_cause: 'completed',
    });
  }, 60_000);

  it('a do-not-call recorded over HTTP revokes the phone consent and the supporter is never dialed again', async () => {
    const l = await start(TUESDAY_10);
    const supporterId = await supporter(l, 'Nonchiamare', '+393470000002', '2026-03-01', 'dnc');
    // Progressive: the dialer calls and puts the person through at once (the offer is auto-accepted).
    const campaignId = await campaign(l, {
      name: 'Benvenuto marzo',
      cycleType: 'welcome',
      eligibility: [{ kind: 'tag', tag: 'dnc' }],
      pacing: { mode: 'progressive' },
      retryPolicy: { noAnswer: { retryAfterMinutes: 10 }, busy: { retryAfterMinutes: 10 } },
      refreshMinutes: 5,
      maxAttempts: 3,
    });
    const counts = await ok(l, 'POST', `${l.org}/campaigns/${campaignId}/call-list/refresh`, {}, 200);
    expect(counts).toMatchObject({ total: 1, pending: 1 });

    await l.call('operator', 'POST', '/api/operator/state', { state: 'available' });
    await until(l, () => offersTo(l).length > 0, 5 * MINUTE);
    const offer = offersTo(l)[0];
    expect(offer).toMatchObject({ direction: 'outbound', campaignId, autoAccepted: true });
    expect(offer.dispositions).toContain('do_not_call');
    // Looked up while the call is put through: on the contact, not yet on the offer.
    const connected = await takeCall(l, offer);
    expect(connected.screenPop.map((m: Json) => m.supporterId)).toEqual([supporterId]);
    const recorded = await l.call(
      'operator',
      'POST',
      `/api/operator/interactions/${offer.offerId}/disposition`,
      {
        code: 'do_not_call',
        notes: 'Non vuole più essere chiamata',
      },
    );
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    await l.runtime.drain();

    const consents = await l.call('admin', 'GET', `${l.org}/supporters/${supporterId}/consents`);
    expect(consents.body.items).toEqual([
      expect.objectContaining({
        channel: 'phone',
        purpose: 'marketing',
        granted: false,
        source: 'operator',
        interactionId: offer.offerId,
      }),
    ]);
    // A refresh of the list does not reopen the contact the supporter closed.
    await ok(l, 'POST', `${l.org}/campaigns/${campaignId}/call-list/refresh`, {}, 200);
    const closed = { supporterId, status: 'blocked', blockedReason: 'do_not_call', attempts: 1 };
    expect(await callList(l, campaignId)).toEqual([expect.objectContaining(closed)]);
    // Another campaign that selects the supporter lists them blocked, for the revoked consent.
    const otherId = await campaign(l, {
      name: 'Fedeltà marzo',
      cycleType: 'loyalty',
      eligibility: [{ kind: 'tag', tag: 'dnc' }],
      pacing: { mode: 'progressive' },
      refreshMinutes: 5,
    });
    await ok(l, 'POST', `${l.org}/campaigns/${otherId}/call-list/refresh`, {}, 200);
    expect(await callList(l, otherId)).toEqual([
      expect.objectContaining({
        supporterId,
        status: 'blocked',
        blockedReason: 'consent_revoked',
        attempts: 0,
      }),
    ]);

    // Past the retry times and the dialer's own refreshes (every 5 minutes), the operator idle all along.
    await advanceLive(l.clock, l.runtime, l.clock.now() + 20 * MINUTE);
    expect(l.runtime.session(l.center.skilled).state).toBe('available');
    expect(offersTo(l)).toHaveLength(1);
    expect(await interactionsOf(l, supporterId)).toEqual([
      expect.objectContaining({ id: offer.offerId, disposition: 'do_not_call', campaign_id: campaignId }),
    ]);
    expect(await callList(l, campaignId)).toEqual([expect.objectContaining(closed)]);
    const progress = await l.call('admin', 'GET', `${l.org}/campaigns/${campaignId}/progress`);
    expect(progress.body).toMatchObject({
      blocked: 1,
      blockedByReason: { do_not_call: 1 },
      attempts: 1,
      reached: 1,
    });
    const other = await l.call('admin', 'GET', `${l.org}/campaigns/${otherId}/progress`);
    expect(other.body).toMatchObject({ blocked: 1, blockedByReason: { consent_revoked: 1 }, attempts: 0 });
  }, 60_000);

  it('dials nothing before the calling window opens nor anyone without a recent register check; dials the rest once it opens', async () => {
    const l = await start(WEDNESDAY_0850);
    const fresh = await supporter(l, 'Verificato', '+393470000003', '2026-03-02', 'window');
    // 43 days before the call: older than the campaign's 30.
    const stale = await supporter(l, 'Scaduto', '+393470000004', '2026-01-20', 'window');
    const unchecked = await supporter(l, 'Mai verificato', '+393470000005', null, 'window');
    const window = await ok(l, 'POST', `${l.org}/calling-windows`, {
      name: 'Feriali 9-20',
      timeZone: 'Europe/Rome',
      weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '20:00' }],
    });
    const campaignId = await campaign(l, {
      name: 'Fedeltà in orario',
      cycleType: 'loyalty',
      eligibility: [{ kind: 'tag', tag: 'window' }],
      pacing: { mode: 'progressive' },
      registerCheckMaxAgeDays: 30,
      callingWindowId: window.id,
    });
    const counts = await ok(l, 'POST', `${l.org}/campaigns/${campaignId}/call-list/refresh`, {}, 200);
    expect(counts).toMatchObject({ total: 3, pending: 1, blocked: 2 });
    const listed = await callList(l, campaignId);
    const entry = (id: string) => listed.find((c) => c.supporterId === id);
    expect(entry(fresh)).toMatchObject({ status: 'pending', blockedReason: null });
    expect(entry(stale)).toMatchObject({ status: 'blocked', blockedReason: 'register_check_stale' });
    expect(entry(unchecked)).toMatchObject({ status: 'blocked', blockedReason: 'register_check_missing' });
    const progress = await l.call('admin', 'GET', `${l.org}/campaigns/${campaignId}/progress`);
    expect(progress.body).toMatchObject({
      pending: 1,
      due: 1,
      blockedByReason: { register_check_stale: 1, register_check_missing: 1 },
    });

    // The operator is idle from 08:50: up to the opening, nothing is dialed.
    await l.call('operator', 'POST', '/api/operator/state', { state: 'available' });
    await advanceLive(l.clock, l.runtime, WEDNESDAY_09 - 1000);
    expect(offersTo(l)).toHaveLength(0);
    expect(await interactionsOf(l, fresh)).toHaveLength(0);
    expect((await callList(l, campaignId)).find((c) => c.supporterId === fresh)).toMatchObject({
      status: 'pending',
      attempts: 0,
    });

    // Once it opens, the checked supporter is called (the dialer rests at most 30 s between looks).
    await until(l, () => offersTo(l).length > 0, MINUTE);
    const offer = offersTo(l)[0];
    const connected = await takeCall(l, offer);
    expect(connected.screenPop.map((m: Json) => m.supporterId)).toEqual([fresh]);
    const recorded = await l.call(
      'operator',
      'POST',
      `/api/operator/interactions/${offer.offerId}/disposition`,
      {
        code: 'reached',
      },
    );
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    await l.runtime.drain();
    const [row] = await interactionsOf(l, fresh);
    expect(row!.dialed_at!.getTime()).toBeGreaterThanOrEqual(WEDNESDAY_09);

    // The others stay blocked with their reasons while the operator waits.
    await advanceLive(l.clock, l.runtime, l.clock.now() + 5 * MINUTE);
    expect(offersTo(l)).toHaveLength(1);
    expect(await interactionsOf(l, stale)).toHaveLength(0);
    expect(await interactionsOf(l, unchecked)).toHaveLength(0);
    const after = await callList(l, campaignId);
    expect(after.map((c) => [c.supporterId, c.status, c.blockedReason, c.attempts])).toEqual(
      expect.arrayContaining([
        [fresh, 'completed', null, 1],
        [stale, 'blocked', 'register_check_stale', 0],
        [unchecked, 'blocked', 'register_check_missing', 0],
      ]),
    );
  }, 60_000);
});
