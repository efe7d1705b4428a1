import { randomUUID } from 'node:crypto';
import { mandateExpiryDate } from '@centralino/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signIn } from '../../../test/test-app.ts';
import { createGivingWorld, type GivingWorld, IBAN_GB, IBAN_IT, sepaCommitment } from './giving.fixtures.ts';
import { expireDormantMandates } from './mandate-lifecycle.service.ts';

let w: GivingWorld;
beforeAll(async () => {
  w = await createGivingWorld();
});
afterAll(() => w.t.close());

const base = () => `/api/organizations/${w.alpha}`;

async function createSepa(overrides: Record<string, unknown> = {}) {
  const response = await w.t.app.inject({
    method: 'POST',
    url: `${base()}/supporters/${w.supporter}/commitments`,
    headers: w.admin,
    payload: sepaCommitment(overrides),
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

async function auditActions(action: string) {
  return w.t.db.forOrg(w.alpha, (tx) =>
    tx
      .selectFrom('audit_events')
      .select(['actor_kind', 'actor_id', 'target', 'details'])
      .where('action', '=', action)
      .execute(),
  );
}

describe('revealing a full IBAN', () => {
  it('is refused without the bank-data permission, even to an admin', async () => {
    const commitment = await createSepa();
    for (const headers of [w.admin, w.operator, w.clientViewer]) {
      const response = await w.t.app.inject({
        method: 'GET',
        url: `${base()}/commitments/${commitment.id}?reveal=iban`,
        headers,
      });
      expect([response.statusCode, response.json().code]).toEqual([403, 'BANK_DATA_ACCESS_REQUIRED']);
      expect(response.body).not.toContain('0542811101');
    }
    expect(await auditActions('mandate.iban_revealed')).toEqual([]);
  });

  it('works for a user an admin granted the permission to, and each reveal is audited', async () => {
    const commitment = await createSepa();
    const users = await w.t.app.inject({ method: 'GET', url: '/api/users', headers: w.admin });
    const supervisor = users
      .json()
      .items.find((u: { email: string }) => u.email === 'supervisor@example.test');
    expect(supervisor.bankDataAccess).toBe(false);
    const supervisorHeaders = asUser(await signIn(w.t.app, 'supervisor@example.test'));
    const url = `${base()}/commitments/${commitment.id}?reveal=iban`;
    expect((await w.t.app.inject({ method: 'GET', url, headers: supervisorHeaders })).statusCode).toBe(403);

    // Only an admin grants it.
    const bySupervisor = await w.t.app.inject({
      method: 'PATCH',
      url: `/api/users/${supervisor.id}`,
      headers: supervisorHeaders,
      payload: { bankDataAccess: true },
    });
    expect(bySupervisor.statusCode).toBe(403);
    const grant = await w.t.app.inject({
      method: 'PATCH',
      url: `/api/users/${supervisor.id}`,
      headers: w.admin,
      payload: { bankDataAccess: true },
    });
    expect(grant.json()).toMatchObject({ id: supervisor.id, bankDataAccess: true });

    // The existing session sees the grant at once (its cached principal was evicted).
    const session = await w.t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: supervisorHeaders,
    });
    expect(session.json().bankDataAccess).toBe(true);
    const revealed = await w.t.app.inject({ method: 'GET', url, headers: supervisorHeaders });
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json().mandate).toMatchObject({ iban: IBAN_IT, ibanMasked: 'IT…3456' });
    // Without asking, still masked.
    const plain = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/commitments/${commitment.id}`,
      headers: supervisorHeaders,
    });
    expect(plain.json().mandate.iban).toBeUndefined();

    const audited = await auditActions('mandate.iban_revealed');
    expect(audited).toEqual([
      {
        actor_kind: 'user',
        actor_id: supervisor.id,
        target: commitment.mandate.id,
        details: { commitmentId: commitment.id },
      },
    ]);

    await w.t.app.inject({
      method: 'PATCH',
      url: `/api/users/${supervisor.id}`,
      headers: w.admin,
      payload: { bankDataAccess: false },
    });
    expect((await w.t.app.inject({ method: 'GET', url, headers: supervisorHeaders })).statusCode).toBe(403);
    const grants = await w.t.db.asCenter((tx) =>
      tx.selectFrom('audit_events').select('details').where('action', '=', 'user.updated').execute(),
    );
    expect(grants.map((g) => g.details)).toEqual([{ bankDataAccess: true }, { bankDataAccess: false }]);
  });

  it('works for an API key created with the permission, not for one without', async () => {
    const commitment = await createSepa({ mandate: { iban: IBAN_GB, signatureDate: '2025-01-15' } });
    const makeKey = async (payload: object) =>
      (await w.t.app.inject({ method: 'POST', url: `${base()}/api-keys`, headers: w.admin, payload })).json();
    const plainKey = await makeKey({ name: 'crm sync' });
    const bankKey = await makeKey({ name: 'bank file export', bankDataAccess: true });
    expect([plainKey.bankDataAccess, bankKey.bankDataAccess]).toEqual([false, true]);
    const url = `${base()}/commitments/${commitment.id}?reveal=iban`;
    const refused = await w.t.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${plainKey.key}` },
    });
    expect(refused.statusCode).toBe(403);
    const allowed = await w.t.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${bankKey.key}` },
    });
    expect(allowed.json().mandate.iban).toBe(IBAN_GB);
    const audited = await auditActions('mandate.iban_revealed');
    expect(audited.at(-1)).toMatchObject({ actor_kind: 'api_key', actor_id: bankKey.id });
  });

  it('a reveal of a commitment without mandate records nothing', async () => {
    const before = (await auditActions('mandate.iban_revealed')).length;
    const card = await w.t.app.inject({
      method: 'POST',
      url: `${base()}/supporters/${w.supporter}/commitments`,
      headers: w.admin,
      payload: sepaCommitment({ method: 'card', mandate: undefined }),
    });
    const users = (await w.t.app.inject({ method: 'GET', url: '/api/users', headers: w.admin })).json().items;
    const operator = users.find((u: { email: string }) => u.email === 'operator@example.test');
    await w.t.app.inject({
      method: 'PATCH',
      url: `/api/users/${operator.id}`,
      headers: w.admin,
      payload: { bankDataAccess: true },
    });
    const response = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/commitments/${card.json().id}?reveal=iban`,
      headers: w.operator,
    });
    expect(response.json().mandate).toBeNull();
    expect((await auditActions('mandate.iban_revealed')).length).toBe(before);
  });

  it('PATCH /api/users/:userId answers 404 for an unknown user and 400 for a bad body', async () => {
    const missing = await w.t.app.inject({
      method: 'PATCH',
      url: `/api/users/${randomUUID()}`,
      headers: w.admin,
      payload: { bankDataAccess: true },
    });
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'USER_NOT_FOUND']);
    const bad = await w.t.app.inject({
      method: 'PATCH',
      url: `/api/users/${randomUUID()}`,
      headers: w.admin,
      payload: { bankDataAccess: 'yes' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('never writes IBAN digits to the logs or the outbox', async () => {
    // Everything above and a few more: a rejected IBAN, a gift on a mandate.
    await w.t.app.inject({
      method: 'POST',
      url: `${base()}/supporters/${w.supporter}/commitments`,
      headers: w.admin,
      payload: sepaCommitment({
        mandate: { iban: 'IT61X0542811101000000123456', signatureDate: '2025-03-01' },
      }),
    });
    const commitment = await createSepa();
    await w.t.app.inject({
      method: 'POST',
      url: `${base()}/supporters/${w.supporter}/gifts`,
      headers: w.admin,
      payload: {
        giftDate: '2025-04-01',
        amountCents: 1500,
        method: 'sepa_direct_debit',
        commitmentId: commitment.id,
      },
    });
    const outbox = await w.t.db.forOrg(w.alpha, (tx) =>
      tx.selectFrom('outbox_events').select('payload').execute(),
    );
    expect(outbox.length).toBeGreaterThan(5);
    const texts = [...w.t.logs, ...outbox.map((row) => JSON.stringify(row.payload))].join('\n');
    expect(w.t.logs.length).toBeGreaterThan(10);
    for (const iban of [IBAN_IT, IBAN_GB, 'IT61X0542811101000000123456']) {
      // The account part without its last four characters (those are shown masked).
      const hidden = iban.slice(4, -4);
      expect(texts).not.toContain(hidden);
      expect(texts).not.toContain(iban);
    }
  });
});

describe('mandate expiry', () => {
  it('marks active mandates unused for 36 months, agreeing with the engine', async () => {
    const cases = [
      // [signature, last collection]: the engine's expiry date decides.
      ['2020-01-31', null],
      ['2020-02-29', null],
      ['2020-03-15', '2021-05-31'],
      ['2021-06-30', '2022-06-30'],
      ['2022-01-01', null],
    ] as const;
    const created: { id: string; mandateId: string; expiresOn: string }[] = [];
    for (const [signatureDate, lastCollection] of cases) {
      const commitment = await createSepa({ mandate: { iban: IBAN_IT, signatureDate } });
      if (lastCollection) {
        await w.t.db.forOrg(w.alpha, (tx) =>
          tx
            .updateTable('mandates')
            .set({ last_collection_on: lastCollection })
            .where('id', '=', commitment.mandate.id)
            .execute(),
        );
      }
      const expiresOn = mandateExpiryDate({
        signedOn: signatureDate,
        ...(lastCollection ? { lastCollectionOn: lastCollection } : {}),
      })!;
      created.push({ id: commitment.id, mandateId: commitment.mandate.id, expiresOn });
    }
    const ours = new Set(created.map((c) => c.mandateId));
    const check = async (today: string) => {
      const expired = (await expireDormantMandates({ db: w.t.db, orgId: w.alpha, today })).filter((id) =>
        ours.has(id),
      );
      const expected = created.filter((c) => c.expiresOn <= today).map((c) => c.mandateId);
      return { expired: expired.sort(), expected: expected.sort() };
    };
    // The day before each expiry, nothing of ours expires; on the day, exactly those.
    const days = [...new Set(created.map((c) => c.expiresOn))].sort();
    expect(days).toEqual(['2023-01-31', '2023-02-28', '2024-05-31', '2025-01-01', '2025-06-30']);
    let already: string[] = [];
    for (const day of days) {
      const previous = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect((await check(previous)).expired).toEqual([]);
      const { expired, expected } = await check(day);
      expect(expired).toEqual(expected.filter((id) => !already.includes(id)));
      already = expected;
    }
    const shown = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/commitments/${created[0]!.id}`,
      headers: w.admin,
    });
    expect(shown.json().mandate).toMatchObject({ status: 'expired', expiresOn: '2023-01-31' });
    // Another organization's mandates are untouched.
    expect(await expireDormantMandates({ db: w.t.db, orgId: w.beta, today: '2099-01-01' })).toEqual([]);
  });
});
