// An outbound upgrade campaign end to end (issue 6: "an upgrade call changes
// the commitment"), on PGlite or PostgreSQL under a manual clock. Supporters
// giving 15 € a month are on an active upgrade campaign's call list; the
// simulated gateway's callees all answer in person; the simulated operator
// accepts each upgrade and fills the form from the supporter's active gift
// (simulated-dispositions.ts). The dialer's close must apply the effect: the
// new amount on the commitment, an amount change in its history that names
// the call, the increase on the interaction for the KPIs, and the contact
// completed. disposition-effects.test.ts covers the same effect on an inbound
// call; this is the path a campaign takes (dialer, outbound close).
import { createRandom } from '@centralino/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { testSecrets } from '../../test/test-app.ts';
import { italianIban } from '../demo/crm-demo.ts';
import { createSimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import { createSimulatedOperators } from '../gateways/simulated/simulated-operators.ts';
import { addSupporter } from '../modules/campaigns/call-list.fixtures.ts';
import { refreshCallList } from '../modules/campaigns/call-list.service.ts';
import { commitmentHistory, createCommitment } from '../modules/giving/commitments.service.ts';
import { createManualClock } from './clock.ts';
import { advanceLive, buildCenter, type Center, MINUTE } from './live-test-kit.ts';
import { createLiveRuntime } from './runtime.ts';
import { createSimulatedDispositionFiller, simulatedIban } from './simulated-dispositions.ts';

// Tuesday 3 March 2026, 10:00 in Rome: inside the default calling window.
const TUESDAY_10 = Date.UTC(2026, 2, 3, 9);
const CALLER_NUMBER = '+390212345678';
const MONTHLY_CENTS = 1500;
const PEOPLE = 4;

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

async function upgradeCenter() {
  const center: Center = await buildCenter();
  const { k } = center;
  const post = async (url: string, payload: object) => {
    const response = await k.call({ method: 'POST', url, payload });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  const queue = await post(`/api/organizations/${k.alpha}/queues`, {
    key: 'upgrade-calls',
    name: 'Upgrade calls',
    direction: 'outbound',
    skillExpression: 'donor_care >= 5',
    // Longer than the test's calls: the simulated operator reads the record before
    // submitting, and under the manual clock the queue's own end of wrap-up could
    // close the contact in between (its endWrapUp was then refused, seen on PostgreSQL).
    wrapUpSeconds: 600,
  });
  await post(`/api/organizations/${k.alpha}/numbers`, { e164: CALLER_NUMBER, kind: 'geographic' });
  const commitments = new Map<string, string>();
  for (let i = 0; i < PEOPLE; i++) {
    const supporter = await addSupporter(k.db, k.alpha, `Aumento${i}`, {
      tags: ['upgrade'],
      checkedBefore: new Date(TUESDAY_10),
    });
    // A bank transfer needs no mandate nor creditor identifier; the upgrade only reads amount and status.
    const commitment = await createCommitment({
      db: k.db,
      secrets: testSecrets,
      orgId: k.alpha,
      supporterId: supporter.id,
      amountCents: MONTHLY_CENTS,
      frequency: 'monthly',
      method: 'bank_transfer',
      startDate: '2025-01-01',
      actor: 'system',
    });
    commitments.set(supporter.id, commitment.id);
  }
  const campaign = await post(`/api/organizations/${k.alpha}/campaigns`, {
    name: 'Aumento marzo',
    cycleType: 'upgrade',
    status: 'active',
    eligibility: [{ kind: 'tag', tag: 'upgrade' }],
    pacing: { mode: 'progressive' },
    retryPolicy: { noAnswer: { retryAfterMinutes: 120 }, busy: { retryAfterMinutes: 30 } },
    maxAttempts: 3,
    queueId: queue.id,
  });
  await refreshCallList(k.db, { orgId: k.alpha, campaignId: campaign.id, at: new Date(TUESDAY_10) });
  return { center, campaignId: campaign.id as string, commitments };
}

describe('an outbound upgrade campaign', () => {
  it('each upgrade accepted on a call raises the commitment, with the call in its history, and completes the contact', async () => {
    const { center, campaignId, commitments } = await upgradeCenter();
    const { k } = center;
    const seed = 5;
    const clock = createManualClock({ start: TUESDAY_10 });
    // Every callee is a person who answers after 8 s and talks for 90 s.
    const gateway = createSimulatedGateway({
      clock,
      seed,
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
    });
    const runtime = createLiveRuntime({
      db: k.db,
      clock,
      gateway,
      hub: k.app.realtime,
      logger: k.app.log,
      random: createRandom(seed),
    });
    await runtime.start();
    const operators = createSimulatedOperators({
      clock,
      seed,
      actions: runtime.actions,
      operators: [{ operatorId: center.skilled }],
      profile: {
        acceptDelay: { kind: 'fixed', seconds: 1 },
        missRate: 0,
        holdRate: 0,
        holdAfter: { kind: 'fixed', seconds: 30 },
        holdTime: { kind: 'fixed', seconds: 15 },
        wrapUp: { kind: 'fixed', seconds: 10 },
        // Keyed by the offer's cycle type: an offer that lost its campaign's cycle would draw nothing here.
        outcomes: { upgrade: { upgrade_accepted: 1 } },
        breakEvery: null,
      },
      dispositionDetails: createSimulatedDispositionFiller({ db: k.db, iban: simulatedIban(italianIban) }),
      onRefused: (error, context) => {
        throw new Error(`${context.action} refused: ${(error as Error).message}`);
      },
    });
    for (const seat of operators.seats) runtime.registerSeat(seat);
    await operators.start();
    stop = async () => {
      operators.stop();
      await runtime.stop();
      await gateway.close();
      await k.close();
    };

    // About two minutes a call (8 s ringing, 90 s talk, 10 s wrap-up): 30 minutes reach everyone.
    await advanceLive(clock, runtime, TUESDAY_10 + 30 * MINUTE);

    const rows = await k.db.asCenter((tx) =>
      tx.selectFrom('interactions').selectAll().where('direction', '=', 'outbound').execute(),
    );
    const contacts = await k.db.asCenter((tx) =>
      tx.selectFrom('campaign_contacts').selectAll().where('campaign_id', '=', campaignId).execute(),
    );
    const upgrades = rows.filter((r) => r.disposition === 'upgrade_accepted');
    expect(upgrades.length).toBeGreaterThan(0);
    // Everyone answers and has a gift to raise: one call each, all of them upgrades.
    expect(rows).toHaveLength(PEOPLE);
    expect(upgrades).toHaveLength(PEOPLE);

    for (const row of upgrades) {
      expect(row).toMatchObject({
        campaign_id: campaignId,
        outcome: 'reached',
        successful: true,
        end_cause: 'completed',
        operator_id: center.skilled,
      });
      const commitmentId = commitments.get(row.supporter_id!);
      expect(commitmentId).toBeDefined();
      const commitment = await k.db.forOrg(k.alpha, (tx) =>
        tx.selectFrom('commitments').selectAll().where('id', '=', commitmentId!).executeTakeFirstOrThrow(),
      );
      // The simulated operator raises by 2–10 € (simulated-dispositions.ts).
      const raise = commitment.amount_cents - MONTHLY_CENTS;
      expect(raise).toBeGreaterThanOrEqual(200);
      expect(raise).toBeLessThanOrEqual(1000);
      expect(commitment.status).toBe('active');
      const history = await commitmentHistory({ db: k.db, orgId: k.alpha, commitmentId: commitmentId! });
      expect(history.map((h) => h.kind)).toEqual(['amount_changed', 'created']);
      expect(history[0]).toMatchObject({
        fromAmountCents: MONTHLY_CENTS,
        toAmountCents: commitment.amount_cents,
        reason: 'upgrade',
        // The first of the month after the call, in Rome.
        effectiveDate: '2026-04-01',
        interactionId: row.id,
        actor: `user:${center.skilled}`,
      });
      // The KPIs' average upgrade reads the increase from the interaction.
      expect(row.outcome_amount_cents).toBe(raise);
      const contact = contacts.find((c) => c.id === row.campaign_contact_id);
      expect(contact).toMatchObject({ supporter_id: row.supporter_id, status: 'completed', attempts: 1 });
    }
  }, 60_000);
});
