// The giving effects of dispositions (issue 6) on PGlite or PostgreSQL, as the
// close's transaction applies them: an upgrade's amount change with its
// history, a conversion's commitment and encrypted mandate, a recapture, a
// callback; and the refusals that leave the CRM as it was.
import { randomUUID } from 'node:crypto';
import { validateMandateReference } from '@centralino/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../../test/test-app.ts';
import {
  commitmentHistory,
  createCommitment,
  listSupporterCommitments,
} from '../giving/commitments.service.ts';
import {
  createGivingWorld,
  creditorId,
  type GivingWorld,
  IBAN_IT,
  setCreditorId,
} from '../giving/giving.fixtures.ts';
import { applyCycleOutcome, type OutcomeContact } from './cycle-outcomes.service.ts';
import { type CycleOutcomeDetails, parseDispositionDetails } from './disposition-details.ts';

let w: GivingWorld;
let queueId: string;
let operatorId: string;
beforeAll(async () => {
  w = await createGivingWorld();
  queueId = await w.t.db.forOrg(w.alpha, async (tx) => {
    const row = await tx
      .insertInto('queues')
      .values({ org_id: w.alpha, key: 'care', name: 'Care' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
  operatorId = (
    await w.t.db.asCenter((tx) =>
      tx
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'operator@example.test')
        .executeTakeFirstOrThrow(),
    )
  ).id;
}, 60_000);
afterAll(() => w.t.close());

const NOW = new Date('2026-03-02T10:00:00Z');

const contact = (overrides: Partial<OutcomeContact> = {}): OutcomeContact => ({
  orgId: w.alpha,
  interactionId: randomUUID(),
  supporterId: w.supporter,
  queueId,
  campaignId: null,
  remoteNumber: '+393471234567',
  operatorId,
  callDate: '2026-03-02',
  ...overrides,
});

const details = (effect: string, raw: Record<string, unknown>) =>
  parseDispositionDetails(effect, raw, NOW) as CycleOutcomeDetails;

const apply = (c: OutcomeContact, d: CycleOutcomeDetails) =>
  w.t.db.forOrg(w.alpha, (tx) => applyCycleOutcome(tx, { contact: c, details: d, secrets: testSecrets }));

async function commitment(overrides: Record<string, unknown> = {}, supporterId = w.supporter) {
  return createCommitment({
    db: w.t.db,
    secrets: testSecrets,
    orgId: w.alpha,
    supporterId,
    amountCents: 1000,
    frequency: 'monthly',
    method: 'sepa_direct_debit',
    startDate: '2025-01-01',
    mandate: { iban: IBAN_IT, signatureDate: '2025-01-01' },
    actor: 'system',
    ...overrides,
  });
}

const outbox = (type: string) =>
  w.t.db.asCenter(async (tx) => {
    const rows = await sql<{ payload: Record<string, unknown> }>`
      select payload from outbox_events where type = ${type} order by id`.execute(tx);
    return rows.rows.map((row) => row.payload);
  });

async function problem(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    const e = error as { code: string; status: number; fields?: { field: string }[] };
    return { code: e.code, status: e.status, field: e.fields?.[0]?.field };
  }
  throw new Error('expected a refusal');
}

describe('upgrade accepted', () => {
  it('changes the amount with a history row that names the interaction, reason upgrade, and one commitment.changed event', async () => {
    const c = await commitment();
    const who = contact();
    const result = await apply(
      who,
      details('upgrade_accepted', { commitmentId: c.id, newAmountCents: 1500, effectiveDate: '2026-04-01' }),
    );
    // The KPIs' average upgrade amount is the increase.
    expect(result).toEqual({ outcomeAmountCents: 500 });
    const history = await commitmentHistory({ db: w.t.db, orgId: w.alpha, commitmentId: c.id });
    expect(history[0]).toMatchObject({
      kind: 'amount_changed',
      fromAmountCents: 1000,
      toAmountCents: 1500,
      effectiveDate: '2026-04-01',
      reason: 'upgrade',
      interactionId: who.interactionId,
      actor: `user:${operatorId}`,
    });
    const events = (await outbox('commitment.changed')).filter((p) => p.commitmentId === c.id);
    expect(events.at(-1)).toMatchObject({ amountCents: 1500, changes: [{ kind: 'amount_changed' }] });
  });

  it('refuses another supporter’s commitment, an inactive one and an amount that is not higher, changing nothing', async () => {
    const theirs = await commitment({}, w.otherSupporter);
    const paused = await commitment();
    await w.t.db.forOrg(w.alpha, (tx) =>
      tx.updateTable('commitments').set({ status: 'paused' }).where('id', '=', paused.id).execute(),
    );
    const active = await commitment();
    const upgrade = (commitmentId: string, newAmountCents = 2000) =>
      apply(
        contact(),
        details('upgrade_accepted', { commitmentId, newAmountCents, effectiveDate: '2026-04-01' }),
      );
    expect(await problem(upgrade(theirs.id))).toEqual({
      code: 'DISPOSITION_COMMITMENT_INVALID',
      status: 422,
      field: 'body.details.commitmentId',
    });
    expect(await problem(upgrade(paused.id))).toMatchObject({
      code: 'DISPOSITION_COMMITMENT_INVALID',
      status: 422,
    });
    expect(await problem(upgrade(active.id, 1000))).toMatchObject({
      code: 'DISPOSITION_AMOUNT_NOT_HIGHER',
      field: 'body.details.newAmountCents',
    });
    expect(await problem(upgrade(randomUUID()))).toMatchObject({ code: 'DISPOSITION_COMMITMENT_INVALID' });
    // An unidentified caller cannot upgrade anyone.
    expect(
      await problem(
        apply(
          contact({ supporterId: null }),
          details('upgrade_accepted', {
            commitmentId: active.id,
            newAmountCents: 2000,
            effectiveDate: '2026-04-01',
          }),
        ),
      ),
    ).toMatchObject({ code: 'DISPOSITION_SUPPORTER_UNKNOWN', status: 422 });
    for (const id of [theirs.id, paused.id, active.id]) {
      const history = await commitmentHistory({ db: w.t.db, orgId: w.alpha, commitmentId: id });
      expect(history.map((h) => h.kind)).toEqual(['created']);
    }
  });
});

describe('conversion accepted', () => {
  it('creates a SEPA commitment and a FRST mandate signed on the call date, the IBAN stored encrypted and shown masked', async () => {
    const who = contact({ supporterId: w.otherSupporter });
    const result = await apply(
      who,
      details('conversion_accepted', {
        amountCents: 1200,
        frequency: 'monthly',
        iban: 'it60 x054 2811 1010 0000 0123 456',
        accountHolder: 'Luca Bianchi',
        signatureConsent: { recorded: true, evidence: `recording of interaction ${who.interactionId}` },
      }),
    );
    expect(result).toEqual({ outcomeAmountCents: 1200 });
    const [created] = await listSupporterCommitments({
      db: w.t.db,
      secrets: testSecrets,
      orgId: w.alpha,
      supporterId: w.otherSupporter,
    }).then((list) => list.filter((c) => c.amountCents === 1200));
    expect(created).toMatchObject({
      method: 'sepa_direct_debit',
      frequency: 'monthly',
      status: 'active',
      startDate: '2026-03-02',
      mandate: {
        signatureDate: '2026-03-02',
        sequenceType: 'FRST',
        ibanMasked: 'IT…3456',
        ibanLast4: '3456',
        creditorId: creditorId(),
        status: 'active',
      },
    });
    expect(created!.mandate).not.toHaveProperty('iban');
    // DOMAIN.md §6: at most 35 characters of the SEPA set.
    expect(validateMandateReference(created!.mandate!.reference).ok).toBe(true);
    const stored = await w.t.db.forOrg(w.alpha, (tx) =>
      tx
        .selectFrom('mandates')
        .selectAll()
        .where('commitment_id', '=', created!.id)
        .executeTakeFirstOrThrow(),
    );
    expect(stored.iban_encrypted).not.toContain(IBAN_IT);
    expect(stored.iban_encrypted).not.toContain('0542811101');
    expect(testSecrets.open(stored.iban_encrypted, w.alpha)).toBe(IBAN_IT);
    const history = await commitmentHistory({ db: w.t.db, orgId: w.alpha, commitmentId: created!.id });
    expect(history).toMatchObject([
      { kind: 'created', reason: 'conversion', interactionId: who.interactionId },
    ]);
    // How it was signed, in the supporter's history.
    const signed = await w.t.db.forOrg(w.alpha, (tx) =>
      tx
        .selectFrom('supporter_events')
        .select(['details', 'actor'])
        .where('supporter_id', '=', w.otherSupporter)
        .where('kind', '=', 'mandate.signed')
        .executeTakeFirstOrThrow(),
    );
    expect(signed.details).toMatchObject({
      commitmentId: created!.id,
      signature: 'recorded_consent',
      accountHolder: 'Luca Bianchi',
      interactionId: who.interactionId,
    });
    // No bank data in any event.
    const events = await outbox('commitment.changed');
    expect(JSON.stringify(events)).not.toContain('0542811101');
  });

  it('without a creditor identifier: refused, and no commitment is left without its mandate', async () => {
    await setCreditorId(w.t.db, w.alpha, null);
    try {
      const before = await listSupporterCommitments({
        db: w.t.db,
        secrets: testSecrets,
        orgId: w.alpha,
        supporterId: w.supporter,
      });
      const refused = await problem(
        apply(
          contact(),
          details('conversion_accepted', {
            amountCents: 900,
            frequency: 'quarterly',
            iban: IBAN_IT,
            signatureConsent: { recorded: true, evidence: 'rec-1' },
          }),
        ),
      );
      expect(refused).toEqual({ code: 'DISPOSITION_CREDITOR_ID_MISSING', status: 422, field: undefined });
      const after = await listSupporterCommitments({
        db: w.t.db,
        secrets: testSecrets,
        orgId: w.alpha,
        supporterId: w.supporter,
      });
      expect(after.length).toBe(before.length);
    } finally {
      await setCreditorId(w.t.db, w.alpha, creditorId());
    }
  });
});

describe('recapture accepted', () => {
  it('reactivates a lapsed commitment with a new amount, both changes in its history with the interaction', async () => {
    const c = await commitment();
    await w.t.db.forOrg(w.alpha, (tx) =>
      tx.updateTable('commitments').set({ status: 'lapsed' }).where('id', '=', c.id).execute(),
    );
    const who = contact();
    const result = await apply(who, details('recapture_accepted', { commitmentId: c.id, amountCents: 800 }));
    expect(result).toEqual({ outcomeAmountCents: 800 });
    const history = await commitmentHistory({ db: w.t.db, orgId: w.alpha, commitmentId: c.id });
    const recent = history.filter((h) => h.interactionId === who.interactionId);
    expect(recent.map((h) => h.kind).sort()).toEqual(['amount_changed', 'status_changed']);
    expect(recent.find((h) => h.kind === 'status_changed')).toMatchObject({
      fromStatus: 'lapsed',
      toStatus: 'active',
      reason: 'recapture',
      effectiveDate: '2026-03-02',
    });
    // An active commitment is not recaptured.
    expect(
      await problem(apply(contact(), details('recapture_accepted', { commitmentId: c.id }))),
    ).toMatchObject({
      code: 'DISPOSITION_COMMITMENT_INVALID',
      status: 422,
    });
  });
});

describe('call back', () => {
  it('schedules a callback in the contact’s queue, owned by the operator or by anyone, with its event', async () => {
    const mine = contact();
    await apply(mine, details('call_back', { at: '2026-03-03T15:30:00+01:00', owner: 'me' }));
    const anyone = contact({ supporterId: null, remoteNumber: null });
    await apply(
      anyone,
      details('call_back', { at: '2026-03-04T09:00:00Z', owner: 'anyone', phone: '347 765 4321' }),
    );
    const rows = await w.t.db.forOrg(w.alpha, (tx) =>
      tx
        .selectFrom('callbacks')
        .selectAll()
        .where('interaction_id', 'in', [mine.interactionId, anyone.interactionId])
        .orderBy('due_at')
        .execute(),
    );
    expect(rows).toMatchObject([
      {
        supporter_id: w.supporter,
        phone: '+393471234567',
        queue_id: queueId,
        campaign_id: null,
        owner_user_id: operatorId,
        status: 'waiting',
        due_at: new Date('2026-03-03T14:30:00Z'),
      },
      {
        supporter_id: null,
        phone: '+393477654321',
        owner_user_id: null,
        due_at: new Date('2026-03-04T09:00:00Z'),
      },
    ]);
    const events = await outbox('callback.scheduled');
    expect(events.find((e) => e.interactionId === mine.interactionId)).toMatchObject({
      callbackId: rows[0]!.id,
      queueId,
      ownerUserId: operatorId,
      dueAt: '2026-03-03T14:30:00.000Z',
    });
    // A withheld number and no other: nobody to call.
    expect(
      await problem(
        apply(
          contact({ remoteNumber: null }),
          details('call_back', { at: '2026-03-04T09:00:00Z', owner: 'me' }),
        ),
      ),
    ).toMatchObject({ code: 'DISPOSITION_CALLBACK_NO_PHONE', status: 422 });
  });
});

describe('disposition details at the edge', () => {
  const refused = (effect: string, raw: Record<string, unknown>) => {
    try {
      parseDispositionDetails(effect, raw, NOW);
    } catch (error) {
      const e = error as { code: string; status: number; fields: { field: string }[] };
      return { code: e.code, status: e.status, fields: e.fields.map((f) => f.field) };
    }
    return null;
  };
  const id = randomUUID();
  it.each([
    ['upgrade_accepted', {}, ['commitmentId', 'newAmountCents', 'effectiveDate']],
    [
      'upgrade_accepted',
      { commitmentId: id, newAmountCents: 0, effectiveDate: '2026-04-01' },
      ['newAmountCents'],
    ],
    [
      'upgrade_accepted',
      { commitmentId: id, newAmountCents: -5, effectiveDate: '2026-02-30' },
      ['newAmountCents', 'effectiveDate'],
    ],
    [
      'upgrade_accepted',
      { commitmentId: 'x', newAmountCents: 12.5, effectiveDate: '2026-04-01' },
      ['commitmentId', 'newAmountCents'],
    ],
    [
      'conversion_accepted',
      { amountCents: 1000, frequency: 'weekly', iban: IBAN_IT },
      ['frequency', 'signatureConsent'],
    ],
    [
      'conversion_accepted',
      {
        amountCents: 1000,
        frequency: 'monthly',
        iban: IBAN_IT,
        signatureConsent: { recorded: false, evidence: '' },
      },
      ['signatureConsent.recorded', 'signatureConsent.evidence'],
    ],
    ['recapture_accepted', { amountCents: 0 }, ['commitmentId', 'amountCents']],
    ['call_back', { at: '2026-03-01T10:00:00Z', owner: 'boss' }, ['at', 'owner']],
    ['call_back', { at: 'tomorrow', owner: 'me', phone: 'abc' }, ['at', 'phone']],
    ['reached', { commitmentId: id }, ['commitmentId']],
  ])('%s %j → 400 naming %j', (effect, raw, fields) => {
    expect(refused(effect, raw)).toEqual({
      code: 'DISPOSITION_DETAILS_INVALID',
      status: 400,
      fields: fields.map((f) => `body.details.${f}`),
    });
  });

  it('an IBAN with a wrong check digit is refused as IBAN_INVALID on body.details.iban', () => {
    expect(
      refused('conversion_accepted', {
        amountCents: 1000,
        frequency: 'monthly',
        iban: 'IT61X0542811101000000123456',
        signatureConsent: { recorded: true, evidence: 'rec' },
      }),
    ).toEqual({ code: 'IBAN_INVALID', status: 400, fields: ['body.details.iban'] });
  });

  it('dispositions without giving effects take no details', () => {
    expect(parseDispositionDetails('reached', undefined, NOW)).toBeNull();
    expect(parseDispositionDetails('do_not_call', {}, NOW)).toBeNull();
  });
});
