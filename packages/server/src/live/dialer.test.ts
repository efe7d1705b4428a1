// The outbound dialer end to end on PGlite or PostgreSQL under a manual clock:
// an active campaign's call list, the simulated gateway's callees (people,
// machines, busy lines, no answers), the runtime routing every person reached
// to a simulated operator of the campaign's outbound queue, and the close
// writing the contact's next state with the interaction. Checked: what the
// KPIs and the call list rely on, the do-not-call disposition that stops
// further dialing, the calling window and the register check that block it,
// and the 2 s connect allowance that drops a person no operator can take.
import { createRandom } from '@centralino/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import { createSimulatedOperators } from '../gateways/simulated/simulated-operators.ts';
import { addSupporter } from '../modules/campaigns/call-list.fixtures.ts';
import { refreshCallList } from '../modules/campaigns/call-list.service.ts';
import { campaignProgress } from '../modules/campaigns/progress.service.ts';
import { createUser } from '../modules/users/users.service.ts';
import type { RealtimeEvent } from '../realtime/hub.ts';
import { visibleTo } from '../realtime/scope.ts';
import { createManualClock, type ManualClock } from './clock.ts';
import { advanceLive, buildCenter, type Center, MINUTE } from './live-test-kit.ts';
import { createLiveRuntime, type LiveRuntime } from './runtime.ts';
import { CAMPAIGN_PROGRESS_INTERVAL_MS } from './runtime-campaign-progress.ts';

// Tuesday 3 March 2026, 10:00 in Rome: inside the default calling window.
const TUESDAY_10 = Date.UTC(2026, 2, 3, 9);
// Sunday 8 March 2026, 11:00 in Rome: outside any window the campaign has.
const SUNDAY_11 = Date.UTC(2026, 2, 8, 10);
const CALLER_NUMBER = '+390212345678';

type Outbound = {
  center: Center;
  campaignId: string;
  queueId: string;
  supporters: { id: string; numbers: string[] }[];
};

async function outboundCenter(options: {
  people: number;
  at: number;
  registerDaysAgo?: number;
  pacing?: { mode: 'progressive' | 'power'; ratio?: number };
}) {
  const center = await buildCenter();
  const { k } = center;
  const post = async (url: string, payload: object) => {
    const response = await k.call({ method: 'POST', url, payload });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  const queue = await post(`/api/organizations/${k.alpha}/queues`, {
    key: 'welcome-calls',
    name: 'Welcome calls',
    direction: 'outbound',
    skillExpression: 'donor_care >= 5',
    wrapUpSeconds: 30,
  });
  await post(`/api/organizations/${k.alpha}/numbers`, { e164: CALLER_NUMBER, kind: 'geographic' });
  const supporters = [];
  for (let i = 0; i < options.people; i++)
    supporters.push(
      await addSupporter(k.db, k.alpha, `Benvenuto${i}`, {
        tags: ['welcome'],
        checkedBefore: new Date(options.at),
        phones: [{ checkedDaysAgo: options.registerDaysAgo ?? 1 }],
      }),
    );
  const campaign = await post(`/api/organizations/${k.alpha}/campaigns`, {
    name: 'Benvenuto marzo',
    cycleType: 'welcome',
    status: 'active',
    eligibility: [{ kind: 'tag', tag: 'welcome' }],
    pacing: options.pacing ?? { mode: 'progressive' },
    retryPolicy: { noAnswer: { retryAfterMinutes: 120 }, busy: { retryAfterMinutes: 30 } },
    maxAttempts: 3,
    queueId: queue.id,
  });
  await refreshCallList(k.db, { orgId: k.alpha, campaignId: campaign.id, at: new Date(options.at) });
  return {
    center,
    campaignId: campaign.id as string,
    queueId: queue.id as string,
    supporters,
  } satisfies Outbound;
}

type Running = { clock: ManualClock; runtime: LiveRuntime; stop: () => Promise<void> };
let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function start(
  o: Outbound,
  options: {
    at: number;
    seed: number;
    outcomes: Record<string, number>;
    acceptDelaySeconds?: number;
    operators?: boolean;
    /** More operators of the outbound queue than the kit's skilled one. */
    moreOperators?: string[];
    liveAnswerRate?: number;
  },
) {
  const clock = createManualClock({ start: options.at });
  const gateway = createSimulatedGateway({
    clock,
    seed: options.seed,
    outbound: {
      liveAnswerRate: options.liveAnswerRate ?? 0.5,
      machineRate: options.liveAnswerRate === 1 ? 0 : 0.2,
      busyRate: options.liveAnswerRate === 1 ? 0 : 0.1,
      failedRate: options.liveAnswerRate === 1 ? 0 : 0.05,
      answerDelay: { kind: 'fixed', seconds: 8 },
      machineAnswerDelay: { kind: 'fixed', seconds: 6 },
      amdDetectionTime: { kind: 'fixed', seconds: 1 },
      amdFalsePositiveRate: 0,
      amdFalseNegativeRate: 0,
      talkTime: { kind: 'fixed', seconds: 90 },
    },
  });
  const runtime = createLiveRuntime({
    db: o.center.k.db,
    clock,
    gateway,
    hub: o.center.k.app.realtime,
    logger: o.center.k.app.log,
    random: createRandom(options.seed),
  });
  await runtime.start();
  const operators = createSimulatedOperators({
    clock,
    seed: options.seed,
    actions: runtime.actions,
    operators:
      options.operators === false
        ? []
        : [o.center.skilled, ...(options.moreOperators ?? [])].map((operatorId) => ({ operatorId })),
    profile: {
      acceptDelay: { kind: 'fixed', seconds: options.acceptDelaySeconds ?? 1 },
      missRate: 0,
      holdRate: 0,
      holdAfter: { kind: 'fixed', seconds: 30 },
      holdTime: { kind: 'fixed', seconds: 15 },
      wrapUp: { kind: 'fixed', seconds: 10 },
      outcomes: { default: options.outcomes },
      breakEvery: null,
    },
    onRefused: (error, context) => {
      throw new Error(`${context.action} refused: ${(error as Error).message}`);
    },
  });
  for (const seat of operators.seats) runtime.registerSeat(seat);
  await operators.start();
  running = {
    clock,
    runtime,
    stop: async () => {
      operators.stop();
      await runtime.stop();
      await gateway.close();
      await o.center.k.close();
    },
  };
  return running;
}

const outboundRows = (o: Outbound) =>
  o.center.k.db.asCenter((tx) =>
    tx
      .selectFrom('interactions')
      .selectAll()
      .where('direction', '=', 'outbound')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  );
const contactRows = (o: Outbound) =>
  o.center.k.db.asCenter((tx) =>
    tx.selectFrom('campaign_contacts').selectAll().where('campaign_id', '=', o.campaignId).execute(),
  );

describe('the outbound dialer', () => {
  it("publishes the campaign's progress to its organization as its calls close, at most every 2 s of live time", async () => {
    const o = await outboundCenter({ people: 10, at: TUESDAY_10 });
    const { k } = o.center;
    const { clock, runtime } = await start(o, { at: TUESDAY_10, seed: 7, outcomes: { reached: 1 } });
    const published: { event: RealtimeEvent; liveAt: number }[] = [];
    const unsubscribe = k.app.realtime.subscribe(({ event }) => {
      if (event.type === 'campaign.progress') published.push({ event, liveAt: clock.now() });
    });
    await advanceLive(clock, runtime, TUESDAY_10 + 40 * MINUTE);
    await runtime.drain();
    unsubscribe();

    const closed = (await outboundRows(o)).filter((row) => row.end_cause !== null);
    expect(closed.length).toBeGreaterThan(3);
    expect(published.length).toBeGreaterThan(1);
    // Coalesced: never two within the interval of the live clock.
    for (let i = 1; i < published.length; i++)
      expect(published[i]!.liveAt - published[i - 1]!.liveAt).toBeGreaterThanOrEqual(
        CAMPAIGN_PROGRESS_INTERVAL_MS,
      );
    // Trailing edge: the last event carries the figures the HTTP route reads now.
    const last = published.at(-1)!.event;
    const http = await k.call({
      method: 'GET',
      url: `/api/organizations/${k.alpha}/campaigns/${o.campaignId}/progress`,
    });
    expect(http.status).toBe(200);
    // `due` is read at the live clock for the event, at the wall clock for the route.
    const { due: _eventDue, ...eventFigures } = last.data as Record<string, unknown>;
    const { due: _routeDue, ...routeFigures } = http.body as Record<string, unknown>;
    expect(eventFigures).toEqual(routeFigures);
    expect(last.data).toMatchObject({ campaignId: o.campaignId, attempted: 10 });
    expect((last.data as { attempts: number }).attempts).toBe(closed.length);
    expect(last.organizationId).toBe(k.alpha);
    // Who receives it: a client viewer of the campaign's organization, not one of another.
    const viewerOf = (orgId: string) => ({
      organizations: new Set([orgId]),
      centerEvents: false,
      userId: '00000000-0000-4000-8000-000000000001',
    });
    expect(published.every(({ event }) => visibleTo(viewerOf(k.alpha), event))).toBe(true);
    expect(published.some(({ event }) => visibleTo(viewerOf(k.beta), event))).toBe(false);
    // The figures of an event are the campaign's as its closes left them (read after they were written).
    const first = published[0]!;
    const atFirst = await campaignProgress(k.db, { orgId: k.alpha, campaignId: o.campaignId });
    expect((first.event.data as { attempts: number }).attempts).toBeLessThanOrEqual(atFirst.attempts);
    expect((first.event.data as { attempts: number }).attempts).toBeGreaterThan(0);
  }, 60_000);

  it('dials the call list, routes each person reached to an operator and records every attempt', async () => {
    const o = await outboundCenter({ people: 10, at: TUESDAY_10 });
    const { clock, runtime } = await start(o, { at: TUESDAY_10, seed: 7, outcomes: { reached: 1 } });
    await advanceLive(clock, runtime, TUESDAY_10 + 40 * MINUTE);

    const rows = await outboundRows(o);
    const contacts = await contactRows(o);
    // Progressive with one operator: every contact was tried at least once in an hour.
    expect(contacts.every((c) => c.attempts >= 1)).toBe(true);
    expect(rows.length).toBe(contacts.reduce((sum, c) => sum + c.attempts, 0));
    // Every attempt is closed, belongs to the campaign and carries its contact and attempt number.
    for (const row of rows) {
      expect(row.end_cause).not.toBeNull();
      expect(row.campaign_id).toBe(o.campaignId);
      expect(row.number).toBe(CALLER_NUMBER);
      expect(row.dialed_at).not.toBeNull();
      expect(contacts.some((c) => c.id === row.campaign_contact_id)).toBe(true);
    }
    const reached = rows.filter((r) => r.outcome === 'reached');
    expect(reached.length).toBeGreaterThan(0);
    for (const row of reached) {
      expect(row.answered_by).toBe('human');
      expect(row.operator_id).toBe(o.center.skilled);
      expect(row.disposition).toBe('reached');
      expect(row.connected_at!.getTime() - row.callee_answered_at!.getTime()).toBeLessThanOrEqual(2000);
      expect(row.wrap_ended_at).not.toBeNull();
    }
    // What did not reach a person is an attempt of its own kind, with no operator.
    for (const row of rows.filter((r) => r.outcome !== 'reached')) {
      expect(['no_answer', 'busy', 'machine', 'failed', 'dropped']).toContain(row.outcome);
      expect(row.operator_id).toBeNull();
    }
    // The contacts reached are completed; the others wait for their retry or are exhausted.
    const reachedContacts = new Set(reached.map((r) => r.campaign_contact_id));
    for (const c of contacts) {
      if (reachedContacts.has(c.id)) expect(c.status).toBe('completed');
      else expect(['pending', 'exhausted']).toContain(c.status);
      if (c.status === 'pending') expect(c.next_attempt_at).not.toBeNull();
    }
  }, 60_000);

  it('a do-not-call disposition revokes the phone consent and the contact is never dialed again', async () => {
    const o = await outboundCenter({ people: 3, at: TUESDAY_10 });
    const { clock, runtime } = await start(o, { at: TUESDAY_10, seed: 11, outcomes: { do_not_call: 1 } });
    await advanceLive(clock, runtime, TUESDAY_10 + 30 * MINUTE);
    const reached = (await outboundRows(o)).filter((r) => r.outcome === 'reached');
    expect(reached.length).toBeGreaterThan(0);
    const blocked = (await contactRows(o)).filter((c) => c.blocked_reason === 'do_not_call');
    expect(blocked.map((c) => c.id).sort()).toEqual(reached.map((r) => r.campaign_contact_id).sort());
    const revoked = await o.center.k.db.forOrg(o.center.k.alpha, (tx) =>
      tx
        .selectFrom('consent_events')
        .select(['supporter_id', 'granted', 'interaction_id'])
        .where('channel', '=', 'phone')
        .execute(),
    );
    for (const row of reached)
      expect(revoked).toContainEqual({
        supporter_id: row.supporter_id,
        granted: false,
        interaction_id: row.id,
      });
    // Hours later, with the list refreshed and due retries: still no second call to them.
    await advanceLive(clock, runtime, TUESDAY_10 + 3 * 60 * MINUTE);
    const again = (await outboundRows(o)).filter((r) =>
      blocked.some((c) => c.id === r.campaign_contact_id && r.created_at > reached.at(-1)!.created_at),
    );
    expect(again).toEqual([]);
  }, 60_000);

  it('dials nobody outside the calling window, nor a number whose register check is too old', async () => {
    const closed = await outboundCenter({ people: 3, at: SUNDAY_11 });
    const sunday = await start(closed, { at: SUNDAY_11, seed: 3, outcomes: { reached: 1 } });
    await advanceLive(sunday.clock, sunday.runtime, SUNDAY_11 + 30 * MINUTE);
    expect(await outboundRows(closed)).toEqual([]);
    expect((await contactRows(closed)).every((c) => c.status === 'pending' && c.attempts === 0)).toBe(true);
    await running!.stop();
    running = null;

    // Checked 40 days ago: past the 30-day default, blocked at list build with its reason.
    const stale = await outboundCenter({ people: 2, at: TUESDAY_10, registerDaysAgo: 40 });
    const tuesday = await start(stale, { at: TUESDAY_10, seed: 3, outcomes: { reached: 1 } });
    await advanceLive(tuesday.clock, tuesday.runtime, TUESDAY_10 + 30 * MINUTE);
    expect(await outboundRows(stale)).toEqual([]);
    expect((await contactRows(stale)).map((c) => c.blocked_reason)).toEqual([
      'register_check_stale',
      'register_check_stale',
    ]);
  }, 60_000);

  it('campaigns sharing a queue share its operators, the higher priority first: nobody reached is dropped for want of one', async () => {
    const o = await outboundCenter({ people: 3, at: TUESDAY_10 });
    const { k } = o.center;
    for (let i = 0; i < 3; i++)
      await addSupporter(k.db, k.alpha, `Secondo${i}`, {
        tags: ['second'],
        checkedBefore: new Date(TUESDAY_10),
        phones: [{ checkedDaysAgo: 1 }],
      });
    const second = await k.call({
      method: 'POST',
      url: `/api/organizations/${k.alpha}/campaigns`,
      payload: {
        name: 'Appello secondario',
        cycleType: 'one_off',
        status: 'active',
        priority: -10,
        eligibility: [{ kind: 'tag', tag: 'second' }],
        pacing: { mode: 'progressive' },
        maxAttempts: 1,
        queueId: o.queueId,
      },
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    await refreshCallList(k.db, { orgId: k.alpha, campaignId: second.body.id, at: new Date(TUESDAY_10) });
    // Everyone answers, in person: two campaigns dialing for the one operator would drop people.
    const { clock, runtime } = await start(o, {
      at: TUESDAY_10,
      seed: 13,
      outcomes: { reached: 1 },
      liveAnswerRate: 1,
    });
    await advanceLive(clock, runtime, TUESDAY_10 + 30 * MINUTE);

    const rows = await outboundRows(o);
    const first = rows.filter((r) => r.campaign_id === o.campaignId);
    const other = rows.filter((r) => r.campaign_id === second.body.id);
    expect(first.length).toBe(3);
    expect(other.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.outcome === 'dropped')).toEqual([]);
    // One call at a time for the one operator, and the higher priority's list first.
    const byDial = [...rows].sort((a, b) => a.dialed_at!.getTime() - b.dialed_at!.getTime());
    for (const [i, row] of byDial.entries())
      if (i > 0) expect(row.dialed_at!.getTime()).toBeGreaterThanOrEqual(byDial[i - 1]!.ended_at!.getTime());
    expect(Math.min(...other.map((r) => r.dialed_at!.getTime()))).toBeGreaterThan(
      Math.max(...first.map((r) => r.dialed_at!.getTime())),
    );
  }, 60_000);

  it('campaigns of equal priority on a queue take turns at its operators: each dials its share, nobody is dropped', async () => {
    // The first campaign (welcome, priority 0) and two more of priority 0 on its queue, 15 people each;
    // each list longer than the 15 minutes' calls, so a campaign served first every time would take them all.
    const o = await outboundCenter({ people: 15, at: TUESDAY_10 });
    const { k } = o.center;
    const equals = [];
    for (const tag of ['second', 'third']) {
      for (let i = 0; i < 15; i++)
        await addSupporter(k.db, k.alpha, `${tag}${i}`, {
          tags: [tag],
          checkedBefore: new Date(TUESDAY_10),
          phones: [{ checkedDaysAgo: 1 }],
        });
      const created = await k.call({
        method: 'POST',
        url: `/api/organizations/${k.alpha}/campaigns`,
        payload: {
          name: `Appello ${tag}`,
          cycleType: 'one_off',
          status: 'active',
          priority: 0,
          eligibility: [{ kind: 'tag', tag }],
          pacing: { mode: 'progressive' },
          maxAttempts: 1,
          queueId: o.queueId,
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await refreshCallList(k.db, { orgId: k.alpha, campaignId: created.body.id, at: new Date(TUESDAY_10) });
      equals.push(created.body.id as string);
    }
    // Three operators of the queue.
    const more: string[] = [];
    for (const n of [2, 3]) {
      const { id } = await createUser({
        db: k.db,
        principal: null,
        email: `outbound${n}@example.test`,
        role: 'operator',
        password: 'correct horse battery',
        organizationIds: [k.alpha],
      });
      const skills = await k.call({
        method: 'PUT',
        url: `/api/operators/${id}/skills`,
        payload: { skills: [{ skillKey: 'donor_care', level: 7 }] },
      });
      expect(skills.status).toBe(200);
      more.push(id);
    }
    // Everyone answers, in person: more calls than idle operators would drop people.
    const { clock, runtime } = await start(o, {
      at: TUESDAY_10,
      seed: 17,
      outcomes: { reached: 1 },
      liveAnswerRate: 1,
      moreOperators: more,
    });
    await advanceLive(clock, runtime, TUESDAY_10 + 15 * MINUTE);

    const rows = await outboundRows(o);
    expect(rows.filter((r) => r.outcome === 'dropped')).toEqual([]);
    // About 110 s a call (8 s ringing, 1 s to accept, 90 s talk, 10 s wrap-up): some 25 calls for 3 operators.
    expect(rows.length).toBeGreaterThan(18);
    expect(rows.length).toBeLessThan(35);
    const shares = [o.campaignId, ...equals].map(
      (id) => rows.filter((r) => r.campaign_id === id).length / rows.length,
    );
    // A third each, give or take a turn (before, the first with contacts due took every operator).
    for (const share of shares) {
      expect(share).toBeGreaterThan(0.26);
      expect(share).toBeLessThan(0.41);
    }
    // Never more calls at once than operators: dialed while three earlier calls were still open is a fourth.
    for (const row of rows) {
      const open = rows.filter(
        (r) => r !== row && r.dialed_at! <= row.dialed_at! && r.ended_at! > row.dialed_at!,
      );
      expect(open.length).toBeLessThan(3);
    }
  }, 60_000);

  it('drops a person no operator takes within 2 s, and counts the attempt for a retry', async () => {
    // Power pacing at 4 lines for one operator: people answering together find one operator.
    const o = await outboundCenter({ people: 8, at: TUESDAY_10, pacing: { mode: 'power', ratio: 4 } });
    const { clock, runtime } = await start(o, { at: TUESDAY_10, seed: 5, outcomes: { reached: 1 } });
    await advanceLive(clock, runtime, TUESDAY_10 + 5 * MINUTE);
    const rows = await outboundRows(o);
    const dropped = rows.filter((r) => r.outcome === 'dropped');
    expect(dropped.length).toBeGreaterThan(0);
    for (const row of dropped) {
      expect(row.dropped).toBe(true);
      expect(row.answered_by).toBe('human');
      expect(row.operator_id).toBeNull();
      expect(row.end_cause).toBe('abandoned');
      expect(row.ended_at!.getTime() - row.callee_answered_at!.getTime()).toBeGreaterThanOrEqual(2000);
    }
    // A dropped contact is due again by the retry policy (no rule for drops: the no-answer one, 120 min).
    const contacts = await contactRows(o);
    for (const row of dropped) {
      const contact = contacts.find((c) => c.id === row.campaign_contact_id)!;
      expect(contact.last_outcome).toBe('dropped');
      expect(contact.next_attempt_at!.getTime() - row.ended_at!.getTime()).toBe(120 * MINUTE);
    }
  }, 60_000);
});
