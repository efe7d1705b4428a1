// Recovery applies a disposition's CRM effect that a stop left unapplied
// (issue 6: "no interaction or disposition is lost"). The operator records
// the outcome while the donor is still on the line; the process stops (as
// after SIGKILL: the runtime's memory is gone, nothing more is written) before
// the wrap-up ends and the close would have applied it. The next start closes
// the contact with its effect, once: an upgrade changes the amount, a
// conversion creates the commitment and its mandate from the sealed IBAN, a
// do-not-call revokes the phone consent. PGlite or PostgreSQL.
import { createRandom } from '@centralino/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../test/test-app.ts';
import { createSimulatedGateway, type SimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import { addSupporter } from '../modules/campaigns/call-list.fixtures.ts';
import { refreshCallList } from '../modules/campaigns/call-list.service.ts';
import { createCommitment } from '../modules/giving/commitments.service.ts';
import { creditorId, IBAN_IT, setCreditorId } from '../modules/giving/giving.fixtures.ts';
import { createManualClock, type ManualClock } from './clock.ts';
import { post, startRuntime } from './live-runtime-test-kit.ts';
import {
  advanceLive,
  buildCenter,
  type Center,
  KNOWN_CALLER,
  MINUTE,
  NUMBER,
  START,
} from './live-test-kit.ts';
import { createLiveRuntime, type LiveRuntime } from './runtime.ts';

let center: Center;
let op: string;
let clock: ManualClock;
let gateway: SimulatedGateway | null = null;
let runtime: LiveRuntime | null = null;

/** A runtime on the same database, as a fresh process: recovery runs at its start. */
async function startProcess(seed: number) {
  gateway = createSimulatedGateway({
    clock,
    seed,
    inbound: [
      {
        number: NUMBER,
        callsPerHour: Array(24).fill(20),
        patience: { kind: 'fixed', seconds: 3600 },
        talkTime: { kind: 'fixed', seconds: 3600 },
        callerIds: { known: [KNOWN_CALLER], knownShare: 1 },
      },
    ],
    ivr: { menus: { 'ivr/aurora-main': { choices: { '1': 1 } } } },
  });
  runtime = createLiveRuntime({
    db: center.k.db,
    clock,
    gateway,
    hub: center.k.app.realtime,
    logger: center.k.app.log,
    random: createRandom(seed),
    secrets: testSecrets,
  });
  const report = await runtime.start();
  await runtime.actions.setPresence({ operatorId: op, presence: 'available' });
  return { runtime, report };
}

/** The process is gone between two writes: no close, no wrap-up end, the memory lost. */
async function kill() {
  await runtime?.stop();
  await gateway?.close();
  runtime = null;
  gateway = null;
}

/** The next caller, answered: the interaction id, the call still on. */
async function answerNextCall(r: LiveRuntime): Promise<string> {
  await advanceLive(clock, r, clock.now() + 60 * MINUTE, () => r.session(op).offer !== null);
  const offer = r.session(op).offer!;
  await r.actions.accept({ operatorId: op, offerId: offer.offerId });
  await advanceLive(clock, r, clock.now() + MINUTE, () => r.session(op).interaction?.phase === 'connected');
  return offer.offerId;
}

const row = (id: string) =>
  center.k.db.asCenter((tx) =>
    tx
      .selectFrom('interactions')
      .select(['end_cause', 'disposition', 'pending_effect', 'outcome_amount_cents'])
      .select(sql<string | null>`pending_effect::text`.as('pending_text'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
  );

const completedEvents = (id: string) =>
  center.k.db.asCenter(async (tx) => {
    const rows = await sql<{ payload: Record<string, unknown> }>`
      select payload from outbox_events where type = 'interaction.completed'
        and payload->>'interactionId' = ${id}`.execute(tx);
    return rows.rows.map((r) => r.payload);
  });

beforeAll(async () => {
  center = await buildCenter();
  op = center.skilled;
  await setCreditorId(center.k.db, center.k.alpha, creditorId());
  clock = createManualClock({ start: START });
}, 120_000);

afterAll(async () => {
  await kill();
  await center?.k.close();
});

describe('recovery applies the effect of a disposition recorded before a stop', () => {
  it('an upgrade, a conversion and a do-not-call recorded before three stops take effect at the next start, once', async () => {
    const commitment = await createCommitment({
      db: center.k.db,
      secrets: testSecrets,
      orgId: center.k.alpha,
      supporterId: center.supporterId,
      amountCents: 1000,
      frequency: 'monthly',
      method: 'sepa_direct_debit',
      startDate: '2025-01-01',
      mandate: { iban: IBAN_IT, signatureDate: '2025-01-01' },
      actor: 'system',
    });

    // 1. Upgrade to 15 €, then the process dies during the call.
    let { runtime: r } = await startProcess(11);
    const upgrade = await answerNextCall(r);
    await r.actions.submitDisposition({
      operatorId: op,
      offerId: upgrade,
      code: 'upgrade_accepted',
      details: { commitmentId: commitment.id, newAmountCents: 1500, effectiveDate: '2026-04-01' },
    });
    expect(await row(upgrade)).toMatchObject({
      end_cause: null,
      disposition: 'upgrade_accepted',
      pending_effect: expect.objectContaining({
        operatorId: op,
        details: expect.objectContaining({ effect: 'upgrade_accepted', newAmountCents: 1500 }),
      }),
    });
    await kill();

    // 2. The next start applies it, and the recovered center takes the next call: a conversion.
    ({ runtime: r } = await startProcess(12));
    expect(await row(upgrade)).toMatchObject({
      end_cause: 'system_restart',
      disposition: 'upgrade_accepted',
      pending_effect: null,
      outcome_amount_cents: 500,
    });
    const amount = await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx
        .selectFrom('commitments')
        .select('amount_cents')
        .where('id', '=', commitment.id)
        .executeTakeFirstOrThrow(),
    );
    expect(amount.amount_cents).toBe(1500);
    expect(await completedEvents(upgrade)).toHaveLength(1);

    const conversion = await answerNextCall(r);
    await r.actions.submitDisposition({
      operatorId: op,
      offerId: conversion,
      code: 'conversion_accepted',
      details: {
        amountCents: 1200,
        frequency: 'monthly',
        iban: IBAN_IT,
        signatureConsent: { recorded: true, evidence: `call ${conversion}` },
      },
    });
    // Kept for recovery, the IBAN sealed: neither it nor its account digits in clear.
    const pending = await row(conversion);
    expect(pending.pending_text).toContain('ibanSealed');
    expect(pending.pending_text).not.toContain(IBAN_IT);
    expect(pending.pending_text).not.toContain('0542811101');
    await kill();

    // 3. The conversion's commitment and mandate exist after the next start.
    ({ runtime: r } = await startProcess(13));
    expect(await row(conversion)).toMatchObject({ end_cause: 'system_restart', pending_effect: null });
    const created = await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx
        .selectFrom('commitment_events as e')
        .innerJoin('mandates as m', 'm.commitment_id', 'e.commitment_id')
        .select(['e.reason', 'm.iban_encrypted'])
        .where('e.interaction_id', '=', conversion)
        .execute(),
    );
    expect(created).toHaveLength(1);
    expect(created[0]!.reason).toBe('conversion');
    expect(testSecrets.open(created[0]!.iban_encrypted, center.k.alpha)).toBe(IBAN_IT);

    const doNotCall = await answerNextCall(r);
    await r.actions.submitDisposition({ operatorId: op, offerId: doNotCall, code: 'do_not_call' });
    await kill();

    // 4. The phone consent is revoked by the next start, with the interaction it came from.
    ({ runtime: r } = await startProcess(14));
    const consents = await center.k.db.readForOrg(center.k.alpha, (tx) =>
      tx
        .selectFrom('consent_events')
        .select(['channel', 'granted', 'supporter_id'])
        .where('interaction_id', '=', doNotCall)
        .execute(),
    );
    expect(consents).toEqual([{ channel: 'phone', granted: false, supporter_id: center.supporterId }]);
    await kill();

    // Once: another start changes nothing more.
    const again = await startProcess(15);
    expect(again.report.interactionsClosed).toBe(0);
    for (const id of [upgrade, conversion, doNotCall]) expect(await completedEvents(id)).toHaveLength(1);
    const changes = await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx
        .selectFrom('commitment_events')
        .select('id')
        .where('interaction_id', 'in', [upgrade, conversion])
        .execute(),
    );
    expect(changes).toHaveLength(2);
  }, 240_000);

  it('an outbound contact reached before a stop is not dialed again: recovery completes it in the call list', async () => {
    const c = await buildCenter();
    // Tuesday 3 March 2026, 10:00 in Rome: inside the default calling window.
    const at = Date.UTC(2026, 2, 3, 9);
    try {
      const queue = await post(c, `/api/organizations/${c.k.alpha}/queues`, {
        key: 'welcome-calls',
        name: 'Welcome calls',
        direction: 'outbound',
        skillExpression: 'donor_care >= 5',
        wrapUpSeconds: 30,
      });
      await post(c, `/api/organizations/${c.k.alpha}/numbers`, { e164: '+390212345678', kind: 'geographic' });
      await addSupporter(c.k.db, c.k.alpha, 'Ripresa', {
        tags: ['welcome'],
        checkedBefore: new Date(at),
        phones: [{ checkedDaysAgo: 1 }],
      });
      const campaign = await post(c, `/api/organizations/${c.k.alpha}/campaigns`, {
        name: 'Benvenuto',
        cycleType: 'welcome',
        status: 'active',
        eligibility: [{ kind: 'tag', tag: 'welcome' }],
        pacing: { mode: 'preview' },
        maxAttempts: 3,
        queueId: queue.id,
      });
      await refreshCallList(c.k.db, { orgId: c.k.alpha, campaignId: campaign.id, at: new Date(at) });
      const outbound = {
        outbound: {
          liveAnswerRate: 1,
          machineRate: 0,
          busyRate: 0,
          failedRate: 0,
          answerDelay: { kind: 'fixed' as const, seconds: 5 },
          talkTime: { kind: 'fixed' as const, seconds: 600 },
        },
      };
      const first = await startRuntime(c, { seed: 21, at, gateway: outbound });
      const r = first.runtime;
      await r.actions.setPresence({ operatorId: c.skilled, presence: 'available' });
      await advanceLive(first.clock, r, at + 5 * MINUTE, () => r.session(c.skilled).offer !== null);
      const offer = r.session(c.skilled).offer!;
      await r.actions.accept({ operatorId: c.skilled, offerId: offer.offerId });
      await advanceLive(
        first.clock,
        r,
        at + 10 * MINUTE,
        () => r.session(c.skilled).interaction?.phase === 'connected',
      );
      await r.actions.submitDisposition({
        operatorId: c.skilled,
        offerId: offer.offerId,
        code: 'not_interested',
      });
      await first.stop();

      const second = await startRuntime(c, { seed: 22, at: first.clock.now() + MINUTE, gateway: outbound });
      await second.stop();
      const contacts = await c.k.db.forOrg(c.k.alpha, (tx) =>
        tx
          .selectFrom('campaign_contacts')
          .select(['status', 'last_outcome', 'attempts'])
          .where('campaign_id', '=', campaign.id)
          .execute(),
      );
      // Without it the contact would be released as pending and dialed again.
      expect(contacts).toEqual([{ status: 'completed', last_outcome: 'reached', attempts: 1 }]);
    } finally {
      await c.k.close();
    }
  }, 240_000);
});
