import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGivingWorld,
  type GivingWorld,
  IBAN_IT,
  insertSupporter,
  sepaCommitment,
} from './giving.fixtures.ts';
import { expireDormantMandates } from './mandate-lifecycle.service.ts';

let w: GivingWorld;
beforeAll(async () => {
  w = await createGivingWorld();
});
afterAll(() => w.t.close());

const base = () => `/api/organizations/${w.alpha}`;

/** A new supporter with one SEPA commitment, optionally moved to another status. */
async function sepaDonor(options: { status?: 'paused' | 'cancelled'; signatureDate?: string } = {}) {
  const supporter = await insertSupporter(w.t.db, w.alpha, { lastName: `Donor ${randomUUID().slice(0, 6)}` });
  const signatureDate = options.signatureDate ?? '2025-03-01';
  const created = await w.t.app.inject({
    method: 'POST',
    url: `${base()}/supporters/${supporter}/commitments`,
    headers: w.admin,
    payload: sepaCommitment({ startDate: signatureDate, mandate: { iban: IBAN_IT, signatureDate } }),
  });
  expect(created.statusCode).toBe(201);
  let commitment = created.json();
  if (options.status) {
    const changed = await w.t.app.inject({
      method: 'PATCH',
      url: `${base()}/commitments/${commitment.id}`,
      headers: w.admin,
      payload: { version: commitment.version, status: options.status, reason: 'donor asked' },
    });
    expect(changed.statusCode).toBe(200);
    commitment = changed.json();
  }
  return { supporter, commitment };
}

function revoke(mandateId: string, body: object, headers = w.operator) {
  return w.t.app.inject({
    method: 'POST',
    url: `${base()}/mandates/${mandateId}/revoke`,
    headers,
    payload: body,
  });
}

/** Everything an end of mandate writes, for one commitment and its supporter. */
async function written(commitmentId: string, supporterId: string) {
  return w.t.db.forOrg(w.alpha, async (tx) => ({
    outbox: (
      await sql<{ type: string; payload: Record<string, unknown> }>`
        select type, payload from outbox_events where payload->>'commitmentId' = ${commitmentId} order by id`.execute(
        tx,
      )
    ).rows,
    commitmentEvents: await tx
      .selectFrom('commitment_events')
      .select(['kind', 'from_status', 'to_status', 'reason', 'effective_date', 'actor'])
      .where('commitment_id', '=', commitmentId)
      .orderBy('id')
      .execute(),
    supporterEvents: await tx
      .selectFrom('supporter_events')
      .select(['kind', 'details', 'actor'])
      .where('supporter_id', '=', supporterId)
      .orderBy('id')
      .execute(),
    audit: await tx
      .selectFrom('audit_events')
      .select(['action', 'actor_kind', 'target', 'details'])
      .where(sql<boolean>`details->>'commitmentId' = ${commitmentId}`)
      .orderBy('id')
      .execute(),
  }));
}

async function history(commitmentId: string) {
  const response = await w.t.app.inject({
    method: 'GET',
    url: `${base()}/commitments/${commitmentId}/history`,
    headers: w.clientViewer,
  });
  expect(response.statusCode).toBe(200);
  return response.json().items as Record<string, unknown>[];
}

describe('revoking a mandate', () => {
  it('marks it revoked and pauses the active commitment, with history, timeline, audit and one event', async () => {
    const { supporter, commitment } = await sepaDonor();
    const interactionId = randomUUID();
    const response = await revoke(commitment.mandate.id, {
      reason: 'changed bank',
      revokedOn: '2025-05-10',
      interactionId,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: commitment.id,
      status: 'paused',
      version: commitment.version + 1,
      mandate: { id: commitment.mandate.id, status: 'revoked', ibanMasked: 'IT…3456' },
    });

    const items = await history(commitment.id);
    expect(items.map((item) => [item.kind, item.reason, item.effectiveDate])).toEqual([
      ['status_changed', 'mandate revoked', '2025-05-10'],
      ['mandate_revoked', 'changed bank', '2025-05-10'],
      ['created', '', '2025-03-01'],
    ]);
    expect(items[0]).toMatchObject({ fromStatus: 'active', toStatus: 'paused', interactionId });

    const timeline = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/supporters/${supporter}/timeline`,
      headers: w.clientViewer,
    });
    expect(timeline.json().items.map((item: { kind: string }) => item.kind)).toEqual(
      expect.arrayContaining(['mandate.revoked', 'commitment.status_changed']),
    );
    const entry = timeline.json().items.find((item: { kind: string }) => item.kind === 'mandate.revoked');
    expect(entry.details).toMatchObject({
      mandateId: commitment.mandate.id,
      commitmentId: commitment.id,
      reference: commitment.mandate.reference,
      effectiveDate: '2025-05-10',
      reason: 'changed bank',
      commitmentStatus: 'paused',
    });

    const rows = await written(commitment.id, supporter);
    expect(rows.audit).toEqual([
      {
        action: 'mandate.revoked',
        actor_kind: 'user',
        target: commitment.mandate.id,
        details: expect.objectContaining({
          reason: 'changed bank',
          commitmentStatus: { from: 'active', to: 'paused' },
        }),
      },
    ]);
    // Creation, then one event for the revocation carrying both changes.
    expect(rows.outbox.map((row) => row.type)).toEqual(['commitment.changed', 'commitment.changed']);
    const event = rows.outbox[1]!.payload;
    expect(event).toMatchObject({ status: 'paused', version: commitment.version + 1 });
    expect((event.changes as { kind: string }[]).map((change) => change.kind)).toEqual([
      'mandate_revoked',
      'status_changed',
    ]);
    expect(JSON.stringify(event)).not.toContain(IBAN_IT.slice(4, -4));
  });

  it('is a no-op the second time: same answer, nothing more written', async () => {
    const { supporter, commitment } = await sepaDonor();
    const first = await revoke(commitment.mandate.id, { reason: 'phone call' });
    expect(first.statusCode).toBe(200);
    const before = await written(commitment.id, supporter);
    const again = await revoke(commitment.mandate.id, { reason: 'retried request', revokedOn: '2025-04-01' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await written(commitment.id, supporter)).toEqual(before);
  });

  it('leaves a paused or cancelled commitment as it is, and still records and announces the revocation', async () => {
    for (const status of ['paused', 'cancelled'] as const) {
      const { supporter, commitment } = await sepaDonor({ status });
      const response = await revoke(commitment.mandate.id, { reason: 'letter', revokedOn: '2025-06-01' });
      expect(response.json()).toMatchObject({
        status,
        version: commitment.version,
        mandate: { status: 'revoked' },
      });
      expect((await history(commitment.id)).map((item) => item.kind)).toEqual([
        'mandate_revoked',
        'status_changed',
        'created',
      ]);
      const rows = await written(commitment.id, supporter);
      const last = rows.outbox.at(-1)!.payload;
      expect([status, last.status, (last.changes as { kind: string }[]).map((c) => c.kind)]).toEqual([
        status,
        status,
        ['mandate_revoked'],
      ]);
      expect(rows.audit.map((row) => row.action)).toEqual(['mandate.revoked']);
    }
  });

  it('refuses an unknown mandate, an expired one, a date in the future or before the signature, a blank reason', async () => {
    const { commitment } = await sepaDonor();
    const cases: [string, object, number, string][] = [
      [randomUUID(), { reason: 'x' }, 404, 'MANDATE_NOT_FOUND'],
      [
        commitment.mandate.id,
        { reason: 'x', revokedOn: '2999-01-01' },
        400,
        'MANDATE_REVOCATION_DATE_INVALID',
      ],
      [
        commitment.mandate.id,
        { reason: 'x', revokedOn: '2025-02-28' },
        400,
        'MANDATE_REVOCATION_DATE_INVALID',
      ],
      [commitment.mandate.id, { reason: '   ' }, 400, 'MANDATE_REVOCATION_REASON_REQUIRED'],
      [commitment.mandate.id, {}, 400, 'VALIDATION_FAILED'],
    ];
    for (const [id, body, status, code] of cases) {
      const response = await revoke(id, body);
      expect([body, response.statusCode, response.json().code]).toEqual([body, status, code]);
    }
    const old = await sepaDonor({ signatureDate: '2020-01-15' });
    await expireDormantMandates({ db: w.t.db, orgId: w.alpha, today: '2023-01-15' });
    const expired = await revoke(old.commitment.mandate.id, { reason: 'x' });
    expect([expired.statusCode, expired.json().code]).toEqual([409, 'MANDATE_EXPIRED']);
    expect(expired.json().detail).toContain('2023-01-15');
    // Nothing of the refusals changed the first one.
    const shown = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/commitments/${commitment.id}`,
      headers: w.admin,
    });
    expect(shown.json()).toMatchObject({ status: 'active', mandate: { status: 'active' } });
  });
});

describe('a mandate expiring', () => {
  it('pauses its active commitment as the system, with history, timeline, audit and one event', async () => {
    const { supporter, commitment } = await sepaDonor({ signatureDate: '2021-04-30' });
    const cancelled = await sepaDonor({ signatureDate: '2021-04-30', status: 'cancelled' });
    const ids = await expireDormantMandates({ db: w.t.db, orgId: w.alpha, today: '2024-04-30' });
    expect(ids).toEqual(expect.arrayContaining([commitment.mandate.id, cancelled.commitment.mandate.id]));

    const items = await history(commitment.id);
    expect(items.slice(0, 2)).toMatchObject([
      {
        kind: 'status_changed',
        toStatus: 'paused',
        reason: 'mandate expired',
        effectiveDate: '2024-04-30',
        actor: 'system',
      },
      { kind: 'mandate_expired', effectiveDate: '2024-04-30', actor: 'system' },
    ]);
    expect(items[1]!.reason).toContain('signature 2021-04-30');
    const rows = await written(commitment.id, supporter);
    expect(rows.supporterEvents.map((row) => [row.kind, row.actor])).toEqual([['mandate.expired', 'system']]);
    expect(rows.audit).toMatchObject([
      { action: 'mandate.expired', actor_kind: 'system', target: commitment.mandate.id },
    ]);
    expect((rows.outbox.at(-1)!.payload.changes as { kind: string }[]).map((c) => c.kind)).toEqual([
      'mandate_expired',
      'status_changed',
    ]);

    // The cancelled one stays cancelled; its history and the event still say why its mandate ended.
    const other = await written(cancelled.commitment.id, cancelled.supporter);
    expect(other.outbox.at(-1)!.payload).toMatchObject({
      status: 'cancelled',
      changes: [{ kind: 'mandate_expired' }],
    });
    expect((await history(cancelled.commitment.id))[0]).toMatchObject({ kind: 'mandate_expired' });

    // Already expired: a second pass finds nothing.
    expect(await expireDormantMandates({ db: w.t.db, orgId: w.alpha, today: '2024-04-30' })).toEqual([]);
  });

  it('works through more mandates than one batch holds', async () => {
    const donors = [];
    for (let i = 0; i < 5; i++) donors.push(await sepaDonor({ signatureDate: '2019-01-10' }));
    const ids = await expireDormantMandates({
      db: w.t.db,
      orgId: w.alpha,
      today: '2022-01-10',
      batchSize: 2,
    });
    expect(ids).toEqual(expect.arrayContaining(donors.map((d) => d.commitment.mandate.id)));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
