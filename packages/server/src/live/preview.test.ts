// Preview dialing end to end on PGlite or PostgreSQL under a manual clock: a
// preview campaign's due contacts become `outbound_preview` tasks for the idle
// operators of its queue; the operator is offered the record first (no
// auto-accept), the accept dials, a person is put through to that operator
// (never dropped), and busy, no answer or a machine is the contact's retry
// with the operator free again after a short wrap-up.
import { afterEach, describe, expect, it } from 'vitest';
import { addSupporter } from '../modules/campaigns/call-list.fixtures.ts';
import { refreshCallList } from '../modules/campaigns/call-list.service.ts';
import { operate, post, type Running, startRuntime } from './live-runtime-test-kit.ts';
import { advanceLive, buildCenter, type Center, MINUTE } from './live-test-kit.ts';
import { PREVIEW_WRAP_UP_MS } from './runtime.ts';

// Tuesday 3 March 2026, 10:00 in Rome: inside the default calling window.
const TUESDAY_10 = Date.UTC(2026, 2, 3, 9);
const CALLER_NUMBER = '+390212345678';

let running: Running | null = null;
let center: Center | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  await center?.k.close();
  center = null;
});

describe('preview dialing', () => {
  it('offers each contact with its record before dialing, puts a person through to the operator who accepted, retries the rest', async () => {
    center = await buildCenter();
    const c = center;
    const queue = await post(c, `/api/organizations/${c.k.alpha}/queues`, {
      key: 'welcome-calls',
      name: 'Welcome calls',
      direction: 'outbound',
      skillExpression: 'donor_care >= 5',
      wrapUpSeconds: 30,
    });
    await post(c, `/api/organizations/${c.k.alpha}/numbers`, { e164: CALLER_NUMBER, kind: 'geographic' });
    const supporters = [];
    for (let i = 0; i < 8; i++)
      supporters.push(
        await addSupporter(c.k.db, c.k.alpha, `Anteprima${i}`, {
          tags: ['welcome'],
          checkedBefore: new Date(TUESDAY_10),
          phones: [{ checkedDaysAgo: 1 }],
        }),
      );
    const campaign = await post(c, `/api/organizations/${c.k.alpha}/campaigns`, {
      name: 'Benvenuto in anteprima',
      cycleType: 'welcome',
      status: 'active',
      eligibility: [{ kind: 'tag', tag: 'welcome' }],
      pacing: { mode: 'preview' },
      retryPolicy: { noAnswer: { retryAfterMinutes: 120 }, busy: { retryAfterMinutes: 30 } },
      maxAttempts: 3,
      queueId: queue.id,
    });
    await refreshCallList(c.k.db, { orgId: c.k.alpha, campaignId: campaign.id, at: new Date(TUESDAY_10) });
    const r = await startRuntime(c, {
      seed: 13,
      at: TUESDAY_10,
      gateway: {
        outbound: {
          liveAnswerRate: 0.5,
          machineRate: 0.2,
          busyRate: 0.2,
          failedRate: 0,
          answerDelay: { kind: 'fixed', seconds: 8 },
          machineAnswerDelay: { kind: 'fixed', seconds: 6 },
          amdDetectionTime: { kind: 'fixed', seconds: 1 },
          amdFalsePositiveRate: 0,
          amdFalseNegativeRate: 0,
          talkTime: { kind: 'fixed', seconds: 60 },
        },
      },
    });
    running = r;
    await operate(c, r, 13);
    await advanceLive(r.clock, r.runtime, TUESDAY_10 + 30 * MINUTE);

    const rows = await c.k.db.asCenter((tx) =>
      tx
        .selectFrom('interactions')
        .selectAll()
        .where('campaign_id', '=', campaign.id)
        .orderBy('created_at')
        .execute(),
    );
    const contacts = await c.k.db.asCenter((tx) =>
      tx.selectFrom('campaign_contacts').selectAll().where('campaign_id', '=', campaign.id).execute(),
    );
    expect(contacts.every((contact) => contact.attempts >= 1)).toBe(true);
    expect(rows.length).toBe(contacts.reduce((sum, contact) => sum + contact.attempts, 0));

    // Offered before any dial: no call yet, not auto-accepted, the contact's supporter on screen.
    const offers = r.events
      .filter((e) => e.type === 'interaction.offered')
      .map(
        (e) =>
          e.data as {
            offerId: string;
            callId: string | null;
            autoAccepted?: boolean;
            campaignId: string;
            screenPop: { supporterId: string }[];
          },
      );
    expect(offers.length).toBe(rows.length);
    for (const offer of offers) {
      expect(offer).toMatchObject({ callId: null, campaignId: campaign.id });
      expect(offer.autoAccepted).toBeUndefined();
      const row = rows.find((x) => x.id === offer.offerId)!;
      expect(offer.screenPop.map((m) => m.supporterId)).toContain(row.supporter_id);
    }
    for (const row of rows) {
      // Dialed by the accept of the operator it was offered to, answered or not.
      expect(row.operator_id).toBe(c.skilled);
      expect(row.offered_at!.getTime()).toBeLessThanOrEqual(row.dialed_at!.getTime());
      expect(row.end_cause).not.toBeNull();
    }
    const reached = rows.filter((row) => row.outcome === 'reached');
    expect(reached.length).toBeGreaterThan(0);
    for (const row of reached) {
      expect(row).toMatchObject({ answered_by: 'human', disposition: 'reached', dropped: null });
      expect(row.connected_at!.getTime()).toBeGreaterThanOrEqual(row.callee_answered_at!.getTime());
      expect(contacts.find((x) => x.id === row.campaign_contact_id)!.status).toBe('completed');
    }
    const unreached = rows.filter((row) => row.outcome !== 'reached');
    expect(unreached.map((row) => row.outcome)).toEqual(expect.arrayContaining(['busy', 'machine']));
    for (const row of unreached) {
      expect(['busy', 'no_answer', 'machine']).toContain(row.outcome);
      expect(row.answered_at).toBeNull();
      const contact = contacts.find((x) => x.id === row.campaign_contact_id)!;
      if (contact.status === 'pending' && contact.last_outcome === 'busy')
        expect(contact.next_attempt_at!.getTime() - row.ended_at!.getTime()).toBe(30 * MINUTE);
    }
    expect(rows.some((row) => row.outcome === 'dropped')).toBe(false);
    // Free again after the short wrap-up of an unanswered preview.
    const lastBusy = unreached.at(-1)!;
    const states = await c.k.db.asCenter((tx) =>
      tx
        .selectFrom('agent_state_intervals')
        .selectAll()
        .where('user_id', '=', c.skilled)
        .where('state', '=', 'wrap_up')
        .where('started_at', '=', lastBusy.ended_at!)
        .execute(),
    );
    expect(states).toHaveLength(1);
    expect(states[0]!.ended_at!.getTime() - states[0]!.started_at.getTime()).toBe(PREVIEW_WRAP_UP_MS);
  }, 90_000);
});
