// Personal call backs of a campaign ("call back: me") in the live dialer on
// PGlite or PostgreSQL under a manual clock: due, the contact is dialed (or, in
// preview, offered) for its owner alone and the person reached is put through to
// them, never to a colleague idle in the same queue; an owner who stays away
// leaves it to anyone after the wait a queue's owned callback has.
import { afterEach, describe, expect, it } from 'vitest';
import { addSupporter } from '../modules/campaigns/call-list.fixtures.ts';
import { refreshCallList } from '../modules/campaigns/call-list.service.ts';
import { interactionsOf, operate, post, type Running, startRuntime } from './live-runtime-test-kit.ts';
import { advanceLive, buildCenter, type Center, MINUTE } from './live-test-kit.ts';
import { OWNED_CALLBACK_WAIT_SECONDS } from './runtime.ts';

// Tuesday 3 March 2026, 10:00 in Rome: inside the default calling window.
const TUESDAY_10 = Date.UTC(2026, 2, 3, 9);
const DUE = TUESDAY_10 + 5 * MINUTE;
const CALLER_NUMBER = '+390212345678';

let running: Running | null = null;
let center: Center | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  await center?.k.close();
  center = null;
});

/**
 * A campaign with one contact, reached before and due again at DUE as the call
 * back of the center's skilled operator (its owner); the unskilled one gets a
 * higher donor_care level and the queue routes by skill, so the campaign's queue
 * would rather give its calls to them.
 */
async function ownedCallBack(mode: 'progressive' | 'preview') {
  center = await buildCenter();
  const c = center;
  const put = await c.k.call({
    method: 'PUT',
    url: `/api/operators/${c.unskilled}/skills`,
    payload: { skills: [{ skillKey: 'donor_care', level: 9 }] },
  });
  expect(put.status).toBe(200);
  const queue = await post(c, `/api/organizations/${c.k.alpha}/queues`, {
    key: 'welcome-calls',
    name: 'Welcome calls',
    direction: 'outbound',
    skillExpression: 'donor_care >= 5',
    strategy: 'best-skill-then-longest-idle',
    wrapUpSeconds: 30,
  });
  await post(c, `/api/organizations/${c.k.alpha}/numbers`, { e164: CALLER_NUMBER, kind: 'geographic' });
  await addSupporter(c.k.db, c.k.alpha, 'Richiamo', {
    tags: ['welcome'],
    checkedBefore: new Date(TUESDAY_10),
    phones: [{ checkedDaysAgo: 1 }],
  });
  const campaign = await post(c, `/api/organizations/${c.k.alpha}/campaigns`, {
    name: 'Benvenuto marzo',
    cycleType: 'welcome',
    status: 'active',
    eligibility: [{ kind: 'tag', tag: 'welcome' }],
    pacing: { mode },
    retryPolicy: { noAnswer: { retryAfterMinutes: 120 } },
    maxAttempts: 3,
    queueId: queue.id,
  });
  await refreshCallList(c.k.db, { orgId: c.k.alpha, campaignId: campaign.id, at: new Date(TUESDAY_10) });
  // What recording "call back: me" at DUE leaves (recordDialOutcome, dialing.test.ts).
  await c.k.db.asCenter((tx) =>
    tx
      .updateTable('campaign_contacts')
      .set({
        status: 'pending',
        attempts: 1,
        last_outcome: 'reached',
        next_attempt_at: new Date(DUE),
        owner_user_id: c.skilled,
      })
      .where('campaign_id', '=', campaign.id)
      .execute(),
  );
  const r = await startRuntime(c, {
    seed: 21,
    at: TUESDAY_10,
    gateway: {
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
        talkTime: { kind: 'fixed', seconds: 60 },
      },
    },
  });
  running = r;
  return { c, r, campaignId: campaign.id as string };
}

const attemptsOf = async (c: Center, campaignId: string) =>
  (await interactionsOf(c)).filter((row) => row.campaign_id === campaignId);

describe("a campaign's personal call back", () => {
  for (const mode of ['progressive', 'preview'] as const)
    it(`${mode}: is dialed for its owner when due and put through to them, not to an idle colleague`, async () => {
      const { c, r, campaignId } = await ownedCallBack(mode);
      await operate(c, r, 21, { operatorIds: [c.skilled, c.unskilled] });
      await advanceLive(r.clock, r.runtime, DUE - MINUTE);
      expect(await attemptsOf(c, campaignId)).toEqual([]);

      await advanceLive(r.clock, r.runtime, DUE + 10 * MINUTE);
      const rows = await attemptsOf(c, campaignId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ outcome: 'reached', answered_by: 'human', operator_id: c.skilled });
      expect(rows[0]!.dialed_at!.getTime()).toBeGreaterThanOrEqual(DUE);
      // Within the dialer's rest between two reads of the owners' call backs.
      expect(rows[0]!.dialed_at!.getTime()).toBeLessThanOrEqual(DUE + 31_000);
      // Offered to the owner alone.
      const offeredTo = r.events
        .filter((e) => e.type === 'interaction.offered')
        .map((e) => e.recipientUserId);
      expect(offeredTo).toEqual([c.skilled]);
    }, 90_000);

  it("is anyone's once its owner has stayed away for the wait of an owned callback", async () => {
    const { c, r, campaignId } = await ownedCallBack('progressive');
    // The owner never logs in; their colleague does.
    await operate(c, r, 22, { operatorIds: [c.unskilled] });
    const wait = OWNED_CALLBACK_WAIT_SECONDS * 1000;
    await advanceLive(r.clock, r.runtime, DUE + wait - MINUTE);
    expect(await attemptsOf(c, campaignId)).toEqual([]);

    await advanceLive(r.clock, r.runtime, DUE + wait + 10 * MINUTE);
    const rows = await attemptsOf(c, campaignId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'reached', operator_id: c.unskilled });
    expect(rows[0]!.dialed_at!.getTime()).toBeGreaterThanOrEqual(DUE + wait);
  }, 90_000);
});
