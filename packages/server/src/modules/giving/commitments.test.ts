import { randomUUID } from 'node:crypto';
import { validateMandateReference } from '@centralino/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../../test/test-app.ts';
import type { CommitmentStatus } from '../../db/schema.ts';
import { mergeSupporters } from '../dedupe/merges.service.ts';
import {
  changeCommitmentAmount,
  createCommitmentWithMandate,
  STATUS_TRANSITIONS,
  setCommitmentStatus,
} from './commitments.service.ts';
import {
  createGivingWorld,
  creditorId,
  type GivingWorld,
  IBAN_DE,
  IBAN_IT,
  insertSupporter,
  sepaCommitment,
  setCreditorId,
} from './giving.fixtures.ts';
import { insertMandate } from './mandates.service.ts';

let w: GivingWorld;
beforeAll(async () => {
  w = await createGivingWorld();
});
afterAll(() => w.t.close());

const base = () => `/api/organizations/${w.alpha}`;

async function create(body: object, supporter = w.supporter, headers = w.admin) {
  return w.t.app.inject({
    method: 'POST',
    url: `${base()}/supporters/${supporter}/commitments`,
    headers,
    payload: body,
  });
}

async function patch(id: string, body: object, headers = w.admin) {
  return w.t.app.inject({ method: 'PATCH', url: `${base()}/commitments/${id}`, headers, payload: body });
}

async function outbox(type: string) {
  return w.t.db.forOrg(w.alpha, (tx) =>
    tx.selectFrom('outbox_events').select(['payload']).where('type', '=', type).orderBy('id').execute(),
  );
}

describe('creating a regular gift', () => {
  it('stores a SEPA commitment with its mandate: IBAN sealed, masked in the answer, reference generated', async () => {
    const response = await create(sepaCommitment({ campaignCode: 'F2F-2025', interactionId: randomUUID() }));
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      supporterId: w.supporter,
      amountCents: 1500,
      currency: 'EUR',
      status: 'active',
      version: 1,
      campaignCode: 'F2F-2025',
      mandate: {
        creditorId: creditorId(),
        signatureDate: '2025-03-01',
        ibanMasked: 'IT…3456',
        ibanCountry: 'IT',
        ibanLast4: '3456',
        sequenceType: 'FRST',
        status: 'active',
        lastCollectionOn: null,
        expiresOn: '2028-03-01',
      },
    });
    expect(body.mandate.iban).toBeUndefined();
    // <ORGPREFIX>-<yyyymmdd>-<first 8 hex digits of the commitment id>
    const shortId = body.id.replaceAll('-', '').slice(0, 8).toUpperCase();
    expect(body.mandate.reference).toBe(`ALPHA-20250301-${shortId}`);
    expect(validateMandateReference(body.mandate.reference).ok).toBe(true);

    const stored = await w.t.db.forOrg(w.alpha, (tx) =>
      tx.selectFrom('mandates').selectAll().where('commitment_id', '=', body.id).executeTakeFirstOrThrow(),
    );
    expect(stored.iban_encrypted).not.toContain(IBAN_IT);
    expect(testSecrets.open(stored.iban_encrypted, w.alpha)).toBe(IBAN_IT);
    expect(() => testSecrets.open(stored.iban_encrypted, w.beta)).toThrow();
    expect([stored.iban_country, stored.iban_last4]).toEqual(['IT', '3456']);
  });

  it('normalizes an IBAN typed in groups and in lower case', async () => {
    const response = await create(
      sepaCommitment({ mandate: { iban: 'de89 3704 0044 0532 0130 00', signatureDate: '2025-02-10' } }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().mandate).toMatchObject({ ibanMasked: 'DE…3000', ibanCountry: 'DE' });
  });

  it.each([
    ['checksum', 'IT61X0542811101000000123456'],
    ['length', 'IT60X054281110100000012345'],
    ['country', 'XX60X0542811101000000123456'],
  ])('refuses an IBAN failing its %s with a 400 naming the reason', async (reason, iban) => {
    const response = await create(sepaCommitment({ mandate: { iban, signatureDate: '2025-03-01' } }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'IBAN_INVALID' });
    expect(response.json().errors).toEqual([
      { field: 'body.mandate.iban', message: expect.stringMatching(new RegExp(`^${reason}: `)) },
    ]);
    expect(response.body).not.toContain(iban.slice(4));
  });

  it('refuses a reference outside the SEPA character set or longer than 35', async () => {
    for (const reference of ['MANDATO#1', 'À-1', 'X'.repeat(36), '/LEADING']) {
      const response = await create(
        sepaCommitment({ mandate: { iban: IBAN_IT, signatureDate: '2025-03-01', reference } }),
      );
      expect([reference, response.statusCode, response.json().code]).toEqual([
        reference,
        400,
        'MANDATE_REFERENCE_INVALID',
      ]);
      expect(response.json().errors[0].field).toBe('body.mandate.reference');
    }
  });

  it('keeps a reference unique per creditor: 409 for the same creditor, fine for another', async () => {
    const mandate = {
      iban: IBAN_IT,
      signatureDate: '2025-03-01',
      reference: "ALPHA/2025-0001 (f2f) ok.'+?:,",
    };
    expect((await create(sepaCommitment({ mandate }))).statusCode).toBe(201);
    const again = await create(sepaCommitment({ mandate }));
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('MANDATE_REFERENCE_TAKEN');
    const otherCreditor = await create(
      sepaCommitment({ mandate: { ...mandate, creditorId: creditorId('98765432109') } }),
    );
    expect(otherCreditor.statusCode).toBe(201);
    expect(otherCreditor.json().mandate.creditorId).toBe(creditorId('98765432109'));
  });

  it('needs a creditor id from the settings or the body, and checks it', async () => {
    const supporter = await insertSupporter(w.t.db, w.beta);
    const url = `/api/organizations/${w.beta}/supporters/${supporter}/commitments`;
    const post = (body: object) => w.t.app.inject({ method: 'POST', url, headers: w.admin, payload: body });
    const missing = await post(sepaCommitment());
    expect([missing.statusCode, missing.json().code]).toEqual([400, 'CREDITOR_ID_MISSING']);
    const bad = await post(
      sepaCommitment({
        mandate: { iban: IBAN_IT, signatureDate: '2025-03-01', creditorId: 'IT00ZZZ01234567890' },
      }),
    );
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'CREDITOR_ID_INVALID']);
    const given = await post(
      sepaCommitment({ mandate: { iban: IBAN_IT, signatureDate: '2025-03-01', creditorId: creditorId() } }),
    );
    expect(given.statusCode).toBe(201);
    expect(given.json().mandate.reference).toMatch(/^BETA-20250301-[0-9A-F]{8}$/);
    await setCreditorId(w.t.db, w.beta, null);
  });

  it('lengthens a generated reference that is already taken', async () => {
    const created = (await create(sepaCommitment())).json();
    const shortId = (created.mandate.reference as string).split('-')[2]!.toLowerCase();
    // A second commitment whose id starts with the same 8 hex digits, signed the same day.
    const clashingId = `${shortId}-0000-4000-8000-000000000001`;
    const mandate = await w.t.db.forOrg(w.alpha, async (tx) => {
      await tx
        .insertInto('commitments')
        .values({
          id: clashingId,
          org_id: w.alpha,
          supporter_id: w.supporter,
          amount_cents: 100,
          frequency: 'monthly',
          method: 'sepa_direct_debit',
          start_date: '2025-03-01',
        } as never)
        .execute();
      return insertMandate(tx, testSecrets, {
        orgId: w.alpha,
        commitmentId: clashingId,
        mandate: { iban: IBAN_IT, signatureDate: '2025-03-01' },
      });
    });
    expect(mandate.reference).toBe(
      `ALPHA-20250301-${clashingId.replaceAll('-', '').slice(0, 16).toUpperCase()}`,
    );
    expect(mandate.reference.length).toBeLessThanOrEqual(35);
  });

  it('asks a mandate of SEPA direct debit only', async () => {
    const noMandate = await create(sepaCommitment({ mandate: undefined }));
    expect([noMandate.statusCode, noMandate.json().code]).toEqual([400, 'MANDATE_REQUIRED']);
    const cardWithMandate = await create(sepaCommitment({ method: 'card' }));
    expect([cardWithMandate.statusCode, cardWithMandate.json().code]).toEqual([400, 'MANDATE_NOT_ALLOWED']);
    const card = await create(sepaCommitment({ method: 'card', mandate: undefined }));
    expect(card.statusCode).toBe(201);
    expect(card.json().mandate).toBeNull();
  });

  it('answers 400 naming the field for bad input', async () => {
    const cases: [object, string][] = [
      [sepaCommitment({ amountCents: 0 }), 'body.amountCents'],
      [sepaCommitment({ amountCents: 10.5 }), 'body.amountCents'],
      [sepaCommitment({ frequency: 'weekly' }), 'body.frequency'],
      [sepaCommitment({ startDate: '2025-02-30' }), 'body.startDate'],
      [sepaCommitment({ endDate: '2025-01-01' }), 'body.endDate'],
      [sepaCommitment({ currency: 'eur' }), 'body.currency'],
      [sepaCommitment({ mandate: { iban: IBAN_IT } }), 'body.mandate.signatureDate'],
      [
        sepaCommitment({ mandate: { iban: IBAN_IT, signatureDate: '2025-03-01', sequenceType: 'LAST' } }),
        'body.mandate.sequenceType',
      ],
    ];
    for (const [body, field] of cases) {
      const response = await create(body);
      expect([field, response.statusCode]).toEqual([field, 400]);
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('keeps external ids unique per organization', async () => {
    const first = await create(sepaCommitment({ method: 'card', mandate: undefined, externalId: 'RID-1' }));
    expect(first.statusCode).toBe(201);
    const second = await create(sepaCommitment({ method: 'card', mandate: undefined, externalId: 'RID-1' }));
    expect([second.statusCode, second.json().code]).toEqual([409, 'COMMITMENT_EXTERNAL_ID_TAKEN']);
    const other = await w.t.app.inject({
      method: 'POST',
      url: `/api/organizations/${w.beta}/supporters/${w.betaSupporter}/commitments`,
      headers: w.admin,
      payload: sepaCommitment({ method: 'card', mandate: undefined, externalId: 'RID-1' }),
    });
    expect(other.statusCode).toBe(201);
  });

  it('answers 404 for a supporter not in the organization', async () => {
    expect((await create(sepaCommitment(), randomUUID())).statusCode).toBe(404);
    const elsewhere = await create(sepaCommitment(), w.betaSupporter);
    expect([elsewhere.statusCode, elsewhere.json().code]).toEqual([404, 'SUPPORTER_NOT_FOUND']);
    const list = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/supporters/${w.betaSupporter}/commitments`,
      headers: w.admin,
    });
    expect(list.statusCode).toBe(404);
  });

  it('refuses a supporter merged into another with 409 SUPPORTER_MERGED naming the kept one, writing nothing', async () => {
    const kept = await insertSupporter(w.t.db, w.alpha, { lastName: 'Kept' });
    const merged = await insertSupporter(w.t.db, w.alpha, { lastName: 'Merged' });
    await mergeSupporters({ db: w.t.db, principal: null, orgId: w.alpha, keptId: kept, mergedId: merged });
    const count = () =>
      w.t.db.forOrg(w.alpha, async (tx) => ({
        commitments: (await tx.selectFrom('commitments').select('id').execute()).length,
        outbox: (await tx.selectFrom('outbox_events').select('id').execute()).length,
      }));
    const before = await count();
    for (const body of [
      sepaCommitment(),
      { amountCents: 1000, frequency: 'monthly', method: 'card', startDate: '2025-01-01' },
    ]) {
      const response = await create(body, merged, w.operator);
      expect(response.statusCode).toBe(409);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({
        code: 'SUPPORTER_MERGED',
        status: 409,
        errors: [{ field: 'params.supporterId', message: `merged into ${kept}` }],
      });
      expect(response.json().detail).toContain(kept);
    }
    expect(await count()).toEqual(before);
    // The kept record takes it.
    expect((await create(sepaCommitment(), kept, w.operator)).statusCode).toBe(201);
  });

  it('writes the created event and a commitment.changed outbox event', async () => {
    const interactionId = randomUUID();
    const created = (await create(sepaCommitment({ reason: 'street fundraising', interactionId }))).json();
    const history = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/commitments/${created.id}/history`,
      headers: w.clientViewer,
    });
    expect(history.json().items).toEqual([
      expect.objectContaining({
        kind: 'created',
        toStatus: 'active',
        toAmountCents: 1500,
        effectiveDate: '2025-03-01',
        reason: 'street fundraising',
        interactionId,
        actor: expect.stringMatching(/^user:/),
      }),
    ]);
    const events = await outbox('commitment.changed');
    expect(events.at(-1)!.payload).toMatchObject({
      commitmentId: created.id,
      status: 'active',
      amountCents: 1500,
      changes: [{ kind: 'created', interactionId }],
    });
  });

  it("lists a supporter's commitments newest first, masked", async () => {
    const supporter = await insertSupporter(w.t.db, w.alpha);
    const first = (await create(sepaCommitment(), supporter)).json();
    const second = (await create(sepaCommitment({ method: 'postal', mandate: undefined }), supporter)).json();
    const list = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/supporters/${supporter}/commitments`,
      headers: w.operator,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);
    expect(list.json().items[1].mandate.ibanMasked).toBe('IT…3456');
    expect(list.body).not.toContain('0542811101');
  });
});

describe('changing a regular gift', () => {
  const ALL: CommitmentStatus[] = ['active', 'paused', 'cancelled', 'lapsed'];

  it('allows exactly the documented status transitions', async () => {
    const allowed = new Set([
      'active>paused',
      'active>cancelled',
      'active>lapsed',
      'paused>active',
      'paused>cancelled',
      'cancelled>active',
      'lapsed>active',
    ]);
    const seen: string[] = [];
    for (const from of ALL) {
      for (const to of ALL.filter((s) => s !== from)) {
        const created = (
          await create(sepaCommitment({ method: 'card', mandate: undefined, status: from }))
        ).json();
        expect(created.status).toBe(from);
        const response = await patch(created.id, { version: 1, status: to, reason: 'test' });
        if (response.statusCode === 200) seen.push(`${from}>${to}`);
        else
          expect([from, to, response.json().code]).toEqual([
            from,
            to,
            'COMMITMENT_STATUS_TRANSITION_INVALID',
          ]);
      }
    }
    expect(new Set(seen)).toEqual(allowed);
    expect(
      new Set(Object.entries(STATUS_TRANSITIONS).flatMap(([f, ts]) => ts.map((t) => `${f}>${t}`))),
    ).toEqual(allowed);
  });

  it('records a status change with reason, effective date, interaction and actor, with one outbox event', async () => {
    const created = (await create(sepaCommitment())).json();
    const before = (await outbox('commitment.changed')).length;
    const interactionId = randomUUID();
    const response = await patch(
      created.id,
      { version: 1, status: 'paused', reason: 'job loss', effectiveDate: '2025-06-01', interactionId },
      w.operator,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'paused', version: 2 });
    expect(response.json().mandate.ibanMasked).toBe('IT…3456');
    const history = (
      await w.t.app.inject({
        method: 'GET',
        url: `${base()}/commitments/${created.id}/history`,
        headers: w.admin,
      })
    ).json().items;
    expect(history[0]).toMatchObject({
      kind: 'status_changed',
      fromStatus: 'active',
      toStatus: 'paused',
      effectiveDate: '2025-06-01',
      reason: 'job loss',
      interactionId,
      actor: expect.stringMatching(/^user:[0-9a-f-]{36}$/),
    });
    const events = await outbox('commitment.changed');
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)!.payload).toMatchObject({
      commitmentId: created.id,
      status: 'paused',
      version: 2,
      changes: [
        {
          kind: 'status_changed',
          fromStatus: 'active',
          toStatus: 'paused',
          reason: 'job loss',
          interactionId,
        },
      ],
    });
  });

  it('records an amount change and a status change made together, one version step', async () => {
    const created = (await create(sepaCommitment({ status: 'lapsed' }))).json();
    const response = await patch(created.id, {
      version: 1,
      status: 'active',
      amountCents: 2000,
      reason: 'recapture call',
    });
    expect(response.json()).toMatchObject({ status: 'active', amountCents: 2000, version: 2 });
    const history = (
      await w.t.app.inject({
        method: 'GET',
        url: `${base()}/commitments/${created.id}/history`,
        headers: w.admin,
      })
    ).json().items;
    expect(history.map((e: { kind: string }) => e.kind)).toEqual([
      'amount_changed',
      'status_changed',
      'created',
    ]);
    expect(history[0]).toMatchObject({
      fromAmountCents: 1500,
      toAmountCents: 2000,
      reason: 'recapture call',
    });
    expect(history[1]).toMatchObject({ fromStatus: 'lapsed', toStatus: 'active' });
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const created = (await create(sepaCommitment())).json();
    expect((await patch(created.id, { version: 1, amountCents: 1800, reason: 'upgrade' })).statusCode).toBe(
      200,
    );
    const before = (await outbox('commitment.changed')).length;
    const stale = await patch(created.id, { version: 1, amountCents: 2500, reason: 'upgrade' });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'COMMITMENT_VERSION_CONFLICT']);
    const current = (
      await w.t.app.inject({ method: 'GET', url: `${base()}/commitments/${created.id}`, headers: w.admin })
    ).json();
    expect(current).toMatchObject({ amountCents: 1800, version: 2 });
    expect((await outbox('commitment.changed')).length).toBe(before);
  });

  it('needs a reason for a status or amount change, not for other fields', async () => {
    const created = (await create(sepaCommitment())).json();
    const noReason = await patch(created.id, { version: 1, amountCents: 2000 });
    expect([noReason.statusCode, noReason.json().errors[0].field]).toEqual([400, 'body.reason']);
    const blank = await patch(created.id, { version: 1, status: 'paused', reason: '   ' });
    expect(blank.statusCode).toBe(400);
    const campaign = await patch(created.id, { version: 1, campaignCode: 'UPG-25', endDate: '2026-12-31' });
    expect(campaign.json()).toMatchObject({ campaignCode: 'UPG-25', endDate: '2026-12-31', version: 2 });
    const early = await patch(created.id, { version: 2, endDate: '2020-01-01' });
    expect([early.statusCode, early.json().code]).toEqual([400, 'COMMITMENT_DATES_INVALID']);
  });

  it('treats a change to the current value as no change', async () => {
    const created = (await create(sepaCommitment())).json();
    const same = await patch(created.id, { version: 1, status: 'active', amountCents: 1500 });
    expect(same.json()).toMatchObject({ version: 1 });
    const history = (
      await w.t.app.inject({
        method: 'GET',
        url: `${base()}/commitments/${created.id}/history`,
        headers: w.admin,
      })
    ).json().items;
    expect(history).toHaveLength(1);
  });

  it('answers 404 across organizations on every commitment route', async () => {
    const created = (await create(sepaCommitment())).json();
    const other = `/api/organizations/${w.beta}/commitments/${created.id}`;
    for (const [method, url, payload] of [
      ['GET', other, undefined],
      ['GET', `${other}/history`, undefined],
      ['PATCH', other, { version: 1, status: 'paused', reason: 'x' }],
    ] as const) {
      const response = await w.t.app.inject({
        method,
        url,
        headers: w.admin,
        ...(payload ? { payload } : {}),
      });
      expect([method, url, response.statusCode]).toEqual([method, url, 404]);
    }
    const missing = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/commitments/${randomUUID()}`,
      headers: w.admin,
    });
    expect(missing.json().code).toBe('COMMITMENT_NOT_FOUND');
  });
});

describe('service functions for call dispositions', () => {
  it('change amount and status inside the caller transaction, and roll back with it', async () => {
    const created = (await create(sepaCommitment())).json();
    const interactionId = randomUUID();
    await expect(
      w.t.db.forOrg(w.alpha, async (tx) => {
        const amount = await changeCommitmentAmount(tx, {
          commitmentId: created.id,
          amountCents: 3000,
          effectiveDate: '2025-07-01',
          reason: 'upgrade call',
          interactionId,
          actor: 'user:caller',
        });
        expect(amount).toEqual({ commitmentId: created.id, amountCents: 3000, version: 2, changed: true });
        throw new Error('the call disposition failed');
      }),
    ).rejects.toThrow('the call disposition failed');
    const unchanged = (
      await w.t.app.inject({ method: 'GET', url: `${base()}/commitments/${created.id}`, headers: w.admin })
    ).json();
    expect(unchanged).toMatchObject({ amountCents: 1500, version: 1 });

    await w.t.db.forOrg(w.alpha, async (tx) => {
      await changeCommitmentAmount(tx, {
        commitmentId: created.id,
        amountCents: 3000,
        effectiveDate: '2025-07-01',
        reason: 'upgrade call',
        interactionId,
        actor: 'user:caller',
      });
      const status = await setCommitmentStatus(tx, {
        commitmentId: created.id,
        status: 'cancelled',
        effectiveDate: '2025-08-01',
        reason: 'supporter asked',
        interactionId,
        actor: 'user:caller',
      });
      expect(status).toMatchObject({ status: 'cancelled', version: 3 });
    });
    const history = await w.t.db.forOrg(w.alpha, (tx) =>
      tx
        .selectFrom('commitment_events')
        .select(['kind', 'interaction_id', 'actor', 'effective_date'])
        .where('commitment_id', '=', created.id)
        .orderBy('id')
        .execute(),
    );
    expect(history).toEqual([
      expect.objectContaining({ kind: 'created' }),
      {
        kind: 'amount_changed',
        interaction_id: interactionId,
        actor: 'user:caller',
        effective_date: '2025-07-01',
      },
      {
        kind: 'status_changed',
        interaction_id: interactionId,
        actor: 'user:caller',
        effective_date: '2025-08-01',
      },
    ]);
  });

  it('createCommitmentWithMandate creates both in the caller transaction', async () => {
    const commitment = await w.t.db.forOrg(w.alpha, (tx) =>
      createCommitmentWithMandate(tx, testSecrets, {
        orgId: w.alpha,
        supporterId: w.supporter,
        amountCents: 1000,
        frequency: 'quarterly',
        method: 'sepa_direct_debit',
        startDate: '2025-04-01',
        mandate: { iban: IBAN_DE, signatureDate: '2025-03-28', reference: 'CALL-2025-0042' },
        actor: 'user:caller',
      }),
    );
    expect(commitment.mandate).toMatchObject({ reference: 'CALL-2025-0042', ibanMasked: 'DE…3000' });
    const written = await w.t.db.forOrg(w.alpha, async (tx) => ({
      events: await tx
        .selectFrom('commitment_events')
        .select(['kind', 'actor'])
        .where('commitment_id', '=', commitment.id)
        .execute(),
      outbox: await tx
        .selectFrom('outbox_events')
        .select('id')
        .where(sql<boolean>`payload->>'commitmentId' = ${commitment.id}`)
        .execute(),
    }));
    expect(written.events).toEqual([{ kind: 'created', actor: 'user:caller' }]);
    expect(written.outbox).toHaveLength(1);
  });
});
