// Dispositions with giving effects end to end through the live runtime, on the
// simulated gateway and a manual clock (PGlite or PostgreSQL): a known donor
// calls the toll-free line, the operator answers and records an upgrade with
// its details; bad details are refused before anything changes; an effect the
// CRM no longer accepts at the close (the commitment deleted, the creditor
// identifier broken meanwhile) leaves nothing of itself behind while the
// interaction still closes with its disposition.
import { createRandom } from '@centralino/engine';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signIn, testSecrets } from '../../test/test-app.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createSimulatedGateway, type SimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import { createLogger } from '../http/logger.ts';
import { commitmentHistory, createCommitment } from '../modules/giving/commitments.service.ts';
import { creditorId, IBAN_IT, setCreditorId } from '../modules/giving/giving.fixtures.ts';
import type { RealtimeEvent } from '../realtime/hub.ts';
import { createManualClock, type ManualClock } from './clock.ts';
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
let clock: ManualClock;
let gateway: SimulatedGateway;
let runtime: LiveRuntime;
let op: string;
let app: FastifyInstance;
let operatorHeaders: Record<string, string>;
const events: RealtimeEvent[] = [];

beforeAll(async () => {
  center = await buildCenter();
  op = center.skilled;
  await setCreditorId(center.k.db, center.k.alpha, creditorId());
  clock = createManualClock({ start: START });
  // Every caller is the known donor, and talks until the operator hangs up.
  gateway = createSimulatedGateway({
    clock,
    seed: 4,
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
  // The app builds the runtime with its hub and its secret box, as `npm start` does.
  app = await buildApp({
    db: center.k.db,
    config: { ...loadConfig({}), loginRateLimitPerMinute: 10_000 },
    logger: createLogger({ level: 'silent' }),
    secrets: testSecrets,
    liveRuntime: ({ hub, secrets }) => {
      runtime = createLiveRuntime({
        db: center.k.db,
        clock,
        gateway,
        hub,
        logger: center.k.app.log,
        random: createRandom(4),
        secrets,
      });
      return runtime;
    },
  });
  await app.ready();
  app.realtime.subscribe((stored) => events.push(stored.event));
  operatorHeaders = asUser(await signIn(app, 'operator@example.test'));
  await runtime.actions.setPresence({ operatorId: op, presence: 'available' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await gateway?.close();
  await center?.k.close();
});

/** The next caller, answered by the operator: the interaction id. */
async function answerNextCall(matches = 1): Promise<string> {
  await advanceLive(clock, runtime, clock.now() + 60 * MINUTE, () => runtime.session(op).offer !== null);
  const offer = runtime.session(op).offer!;
  expect(offer.dispositions).toEqual(
    expect.arrayContaining(['upgrade_accepted', 'conversion_accepted', 'recapture_accepted', 'call_back']),
  );
  await runtime.actions.accept({ operatorId: op, offerId: offer.offerId });
  await advanceLive(
    clock,
    runtime,
    clock.now() + MINUTE,
    () => runtime.session(op).interaction?.phase === 'connected',
  );
  if (matches > 0) expect(runtime.session(op).interaction?.screenPop).toHaveLength(matches);
  return offer.offerId;
}

/** The operator hangs up and ends the wrap-up: the interaction closes. */
async function hangUpAndClose(interactionId: string) {
  const callId = runtime.session(op).interaction!.callId;
  await runtime.actions.hangUp({ operatorId: op, callId });
  await advanceLive(
    clock,
    runtime,
    clock.now() + MINUTE,
    () => runtime.session(op).interaction?.phase === 'wrap_up',
  );
  await runtime.actions.endWrapUp({ operatorId: op, offerId: interactionId });
  await runtime.drain();
}

const commitmentFor = (amountCents: number, supporterId = center.supporterId) =>
  createCommitment({
    db: center.k.db,
    secrets: testSecrets,
    orgId: center.k.alpha,
    supporterId,
    amountCents,
    frequency: 'monthly',
    method: 'sepa_direct_debit',
    startDate: '2025-01-01',
    mandate: { iban: IBAN_IT, signatureDate: '2025-01-01' },
    actor: 'system',
  });

const interaction = (id: string) =>
  center.k.db.asCenter((tx) =>
    tx.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );

const completed = (id: string) =>
  center.k.db.asCenter(async (tx) => {
    const rows = await sql<{ payload: Record<string, unknown> }>`
      select payload from outbox_events where type = 'interaction.completed'
        and payload->>'interactionId' = ${id}`.execute(tx);
    return rows.rows.map((row) => row.payload);
  });

async function http(method: 'GET' | 'POST', url: string, payload?: object) {
  const response = await app.inject({
    method,
    url,
    headers: operatorHeaders,
    ...(payload ? { payload } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of an answer; each test asserts its shape
  const body: any = response.json();
  return { status: response.statusCode, body, type: response.headers['content-type'] };
}

async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    const e = error as { code: string; status?: number };
    return { code: e.code, status: e.status };
  }
  throw new Error('expected a refusal');
}

describe('dispositions with giving effects, through the live runtime', () => {
  it('an inbound donor upgrades: bad details are refused first, then the close changes the amount with the interaction in its history', async () => {
    const commitment = await commitmentFor(1000);
    const id = await answerNextCall();
    const submit = (details: Record<string, unknown>) =>
      runtime.actions.submitDisposition({ operatorId: op, offerId: id, code: 'upgrade_accepted', details });

    // Refused while the call is still on, nothing recorded.
    expect(await refusal(submit({ commitmentId: commitment.id, newAmountCents: 0 }))).toEqual({
      code: 'DISPOSITION_DETAILS_INVALID',
      status: 400,
    });
    // The screen pop's supporter 360 gives the form what it needs: the commitments, IBAN masked.
    const pop = await http('GET', `/api/operator/interactions/${id}/supporter`);
    expect(pop.status).toBe(200);
    expect(pop.body.supporter).toMatchObject({
      id: center.supporterId,
      firstName: 'Maria',
      lastName: 'Rossi',
    });
    expect(pop.body.supporter.phones).toEqual([expect.objectContaining({ number: KNOWN_CALLER })]);
    expect(pop.body.commitments).toEqual([
      expect.objectContaining({
        id: commitment.id,
        amountCents: 1000,
        status: 'active',
        mandate: expect.objectContaining({ ibanMasked: 'IT…3456', sequenceType: 'FRST' }),
      }),
    ]);
    expect(pop.body.commitments[0].mandate).not.toHaveProperty('iban');
    expect(JSON.stringify(pop.body)).not.toContain('0542811101');
    expect(pop.body).toMatchObject({ gifts: [], callbacks: [] });
    expect(pop.body.interactions[0]).toMatchObject({ id, direction: 'inbound' });
    const notMine = await http('GET', `/api/operator/interactions/${crypto.randomUUID()}/supporter`);
    expect([notMine.status, notMine.body.code]).toEqual([404, 'LIVE_INTERACTION_NOT_FOUND']);

    // Over HTTP, a problem the operator can act on.
    const lower = await http('POST', `/api/operator/interactions/${id}/disposition`, {
      code: 'upgrade_accepted',
      details: { commitmentId: commitment.id, newAmountCents: 900, effectiveDate: '2026-04-01' },
    });
    expect(lower).toMatchObject({
      status: 422,
      type: 'application/problem+json; charset=utf-8',
      body: {
        code: 'DISPOSITION_AMOUNT_NOT_HIGHER',
        title: 'Unprocessable Content',
        errors: [{ field: 'body.details.newAmountCents', message: 'must be more than 1000' }],
      },
    });
    const stranger = await createCommitment({
      db: center.k.db,
      secrets: testSecrets,
      orgId: center.k.alpha,
      supporterId: (
        await center.k.call({
          method: 'POST',
          url: `/api/organizations/${center.k.alpha}/supporters`,
          payload: { firstName: 'Anna', lastName: 'Verdi' },
        })
      ).body.id,
      amountCents: 1000,
      frequency: 'monthly',
      method: 'bank_transfer',
      startDate: '2025-01-01',
      actor: 'system',
    });
    expect(
      await refusal(submit({ commitmentId: stranger.id, newAmountCents: 2000, effectiveDate: '2026-04-01' })),
    ).toEqual({ code: 'DISPOSITION_COMMITMENT_INVALID', status: 422 });
    const strangerPop = await http(
      'GET',
      `/api/operator/interactions/${id}/supporter?supporterId=${stranger.supporterId}`,
    );
    expect([strangerPop.status, strangerPop.body.code]).toEqual([
      404,
      'OPERATOR_SUPPORTER_NOT_ON_SCREEN_POP',
    ]);
    expect(runtime.session(op).interaction?.disposition).toBeNull();

    await submit({ commitmentId: commitment.id, newAmountCents: 1500, effectiveDate: '2026-04-01' });
    // The session shows the disposition, never its details.
    expect(runtime.session(op).interaction?.disposition).toEqual({
      code: 'upgrade_accepted',
      notes: '',
      successful: true,
      effect: 'upgrade_accepted',
    });
    // Nothing changes before the close.
    expect(
      (await commitmentHistory({ db: center.k.db, orgId: center.k.alpha, commitmentId: commitment.id }))
        .length,
    ).toBe(1);
    await hangUpAndClose(id);

    const history = await commitmentHistory({
      db: center.k.db,
      orgId: center.k.alpha,
      commitmentId: commitment.id,
    });
    expect(history[0]).toMatchObject({
      kind: 'amount_changed',
      fromAmountCents: 1000,
      toAmountCents: 1500,
      reason: 'upgrade',
      effectiveDate: '2026-04-01',
      interactionId: id,
      actor: `user:${op}`,
    });
    const row = await interaction(id);
    expect(row).toMatchObject({
      disposition: 'upgrade_accepted',
      successful: true,
      supporter_id: center.supporterId,
      outcome_amount_cents: 500,
      end_cause: 'completed',
    });
    const [event] = await completed(id);
    expect(event).toMatchObject({ disposition: 'upgrade_accepted', endCause: 'completed' });
    expect(event).not.toHaveProperty('effectError');
    // Unchanged stranger.
    const theirs = await commitmentHistory({
      db: center.k.db,
      orgId: center.k.alpha,
      commitmentId: stranger.id,
    });
    expect(theirs.map((h) => h.kind)).toEqual(['created']);
  }, 120_000);

  it('a commitment deleted between the submit and the close: the effect leaves nothing, the contact still closes once with its disposition and the failure recorded', async () => {
    const commitment = await commitmentFor(2000);
    const id = await answerNextCall();
    await runtime.actions.submitDisposition({
      operatorId: op,
      offerId: id,
      code: 'upgrade_accepted',
      notes: 'Aumenta a 25 €',
      details: { commitmentId: commitment.id, newAmountCents: 2500, effectiveDate: '2026-04-01' },
    });
    await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx.deleteFrom('commitments').where('id', '=', commitment.id).execute(),
    );
    await hangUpAndClose(id);

    const row = await interaction(id);
    expect(row).toMatchObject({
      disposition: 'upgrade_accepted',
      notes: 'Aumenta a 25 €',
      end_cause: 'completed',
      outcome_amount_cents: null,
    });
    const closes = await completed(id);
    expect(closes).toHaveLength(1);
    expect(closes[0]!.effectError).toMatchObject({ code: 'DISPOSITION_COMMITMENT_INVALID' });
    const amountChanges = await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx.selectFrom('commitment_events').select('id').where('interaction_id', '=', id).execute(),
    );
    expect(amountChanges).toHaveLength(0);
    const failure = await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx
        .selectFrom('supporter_events')
        .select('details')
        .where('supporter_id', '=', center.supporterId)
        .where('kind', '=', 'disposition.effect_failed')
        .execute(),
    );
    expect(failure.map((f) => f.details)).toEqual([
      expect.objectContaining({
        interactionId: id,
        effect: 'upgrade_accepted',
        code: 'DISPOSITION_COMMITMENT_INVALID',
      }),
    ]);
    // The operator is told.
    expect(
      events.some(
        (e) =>
          e.type === 'interaction.effect_failed' &&
          e.recipientUserId === op &&
          (e.data as { interactionId: string }).interactionId === id,
      ),
    ).toBe(true);
  }, 120_000);

  it('a conversion whose mandate fails at the close (creditor identifier broken meanwhile) leaves no commitment without its mandate', async () => {
    const id = await answerNextCall();
    await runtime.actions.submitDisposition({
      operatorId: op,
      offerId: id,
      code: 'conversion_accepted',
      details: {
        amountCents: 1200,
        frequency: 'monthly',
        iban: IBAN_IT,
        signatureConsent: { recorded: true, evidence: `call ${id}` },
      },
    });
    const before = await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx.selectFrom('commitments').select('id').where('supporter_id', '=', center.supporterId).execute(),
    );
    // The check digits no longer match: the commitment row is written, then the mandate is refused.
    await setCreditorId(center.k.db, center.k.alpha, 'IT00ZZZ01234567890');
    try {
      await hangUpAndClose(id);
    } finally {
      await setCreditorId(center.k.db, center.k.alpha, creditorId());
    }
    const after = await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx.selectFrom('commitments').select('id').where('supporter_id', '=', center.supporterId).execute(),
    );
    expect(after.length).toBe(before.length);
    const [event] = await completed(id);
    expect(event!.effectError).toMatchObject({ code: 'CREDITOR_ID_INVALID' });
    expect(await interaction(id)).toMatchObject({
      disposition: 'conversion_accepted',
      end_cause: 'completed',
    });
  }, 120_000);

  it('a conversion on the call creates the commitment and its FRST mandate in the close; a call back schedules a callback', async () => {
    const id = await answerNextCall();
    await runtime.actions.submitDisposition({
      operatorId: op,
      offerId: id,
      code: 'conversion_accepted',
      details: {
        amountCents: 1200,
        frequency: 'monthly',
        iban: IBAN_IT,
        signatureConsent: { recorded: true, evidence: `call ${id}` },
      },
    });
    await hangUpAndClose(id);
    const created = await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx
        .selectFrom('commitment_events as e')
        .innerJoin('mandates as m', 'm.commitment_id', 'e.commitment_id')
        .select(['m.sequence_type', 'm.signature_date', 'm.iban_encrypted', 'e.reason'])
        .where('e.interaction_id', '=', id)
        .execute(),
    );
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      sequence_type: 'FRST',
      signature_date: '2026-03-02',
      reason: 'conversion',
    });
    expect(created[0]!.iban_encrypted).not.toContain(IBAN_IT);
    expect((await interaction(id)).outcome_amount_cents).toBe(1200);

    const next = await answerNextCall();
    const at = new Date(clock.now() + 24 * 60 * MINUTE).toISOString();
    await runtime.actions.submitDisposition({
      operatorId: op,
      offerId: next,
      code: 'call_back',
      details: { at, owner: 'me' },
    });
    await hangUpAndClose(next);
    const callbacks = await center.k.db.forOrg(center.k.alpha, (tx) =>
      tx.selectFrom('callbacks').selectAll().where('interaction_id', '=', next).execute(),
    );
    expect(callbacks).toMatchObject([
      {
        supporter_id: center.supporterId,
        phone: KNOWN_CALLER,
        queue_id: center.queueId,
        owner_user_id: op,
        due_at: new Date(at),
        status: 'waiting',
      },
    ]);
  }, 120_000);

  it('two supporters share the caller’s number: the operator says which one, and the interaction records it', async () => {
    const giulia = (
      await center.k.call({
        method: 'POST',
        url: `/api/organizations/${center.k.alpha}/supporters`,
        payload: { firstName: 'Giulia', lastName: 'Rossi', phones: [{ number: KNOWN_CALLER }] },
      })
    ).body.id as string;
    const commitment = await commitmentFor(1000, giulia);
    // Callers already waiting were identified before Giulia's record existed.
    let id = await answerNextCall(0);
    while (runtime.session(op).interaction!.screenPop.length !== 2) {
      await runtime.actions.submitDisposition({ operatorId: op, offerId: id, code: 'reached' });
      await hangUpAndClose(id);
      id = await answerNextCall(0);
    }
    const ambiguous = await http('GET', `/api/operator/interactions/${id}/supporter`);
    expect([ambiguous.status, ambiguous.body.code]).toEqual([409, 'OPERATOR_SUPPORTER_AMBIGUOUS']);
    const chosen = await http('GET', `/api/operator/interactions/${id}/supporter?supporterId=${giulia}`);
    expect([chosen.status, chosen.body.commitments.map((c: { id: string }) => c.id)]).toEqual([
      200,
      [commitment.id],
    ]);

    const upgrade = { commitmentId: commitment.id, newAmountCents: 1300, effectiveDate: '2026-04-01' };
    const submit = (details: Record<string, unknown>) =>
      runtime.actions.submitDisposition({ operatorId: op, offerId: id, code: 'upgrade_accepted', details });
    expect(await refusal(submit(upgrade))).toEqual({ code: 'DISPOSITION_SUPPORTER_UNKNOWN', status: 422 });
    const stranger = crypto.randomUUID();
    expect(await refusal(submit({ ...upgrade, supporterId: stranger }))).toEqual({
      code: 'DISPOSITION_SUPPORTER_NOT_ON_SCREEN_POP',
      status: 422,
    });
    // Maria's commitment is not Giulia's.
    const maria = await commitmentFor(1000);
    expect(await refusal(submit({ ...upgrade, commitmentId: maria.id, supporterId: giulia }))).toEqual({
      code: 'DISPOSITION_COMMITMENT_INVALID',
      status: 422,
    });
    await submit({ ...upgrade, supporterId: giulia });
    await hangUpAndClose(id);

    expect(await interaction(id)).toMatchObject({ supporter_id: giulia, disposition: 'upgrade_accepted' });
    const history = await commitmentHistory({
      db: center.k.db,
      orgId: center.k.alpha,
      commitmentId: commitment.id,
    });
    expect(history[0]).toMatchObject({ kind: 'amount_changed', toAmountCents: 1300, interactionId: id });
  }, 120_000);
});
