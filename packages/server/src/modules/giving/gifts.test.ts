import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSupporters, undoMerge } from '../dedupe/merges.service.ts';
import { encodeCursor } from './cursor.ts';
import { createGivingWorld, type GivingWorld, insertSupporter, sepaCommitment } from './giving.fixtures.ts';

let w: GivingWorld;
beforeAll(async () => {
  w = await createGivingWorld();
});
afterAll(() => w.t.close());

const base = () => `/api/organizations/${w.alpha}`;

async function give(body: object, supporter = w.supporter) {
  return w.t.app.inject({
    method: 'POST',
    url: `${base()}/supporters/${supporter}/gifts`,
    headers: w.operator,
    payload: body,
  });
}

async function commitmentOf(supporter: string, overrides: Record<string, unknown> = {}) {
  const response = await w.t.app.inject({
    method: 'POST',
    url: `${base()}/supporters/${supporter}/commitments`,
    headers: w.admin,
    payload: sepaCommitment(overrides),
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

async function mandateOf(commitmentId: string) {
  return w.t.db.forOrg(w.alpha, (tx) =>
    tx
      .selectFrom('mandates')
      .select(['sequence_type', 'last_collection_on'])
      .where('commitment_id', '=', commitmentId)
      .executeTakeFirstOrThrow(),
  );
}

describe('recording gifts', () => {
  it('records a one-off gift with a gift.recorded outbox event', async () => {
    const response = await give({
      giftDate: '2025-05-04',
      amountCents: 5000,
      method: 'card',
      campaignCode: 'EMERGENCY-25',
      externalId: 'PAY-1',
    });
    expect(response.statusCode).toBe(201);
    const gift = response.json();
    expect(gift).toMatchObject({
      supporterId: w.supporter,
      giftDate: '2025-05-04',
      amountCents: 5000,
      currency: 'EUR',
      status: 'collected',
      returnCode: null,
      commitmentId: null,
      campaignCode: 'EMERGENCY-25',
    });
    const events = await w.t.db.forOrg(w.alpha, (tx) =>
      tx.selectFrom('outbox_events').select('payload').where('type', '=', 'gift.recorded').execute(),
    );
    expect(events.map((e) => e.payload)).toContainEqual(
      expect.objectContaining({
        giftId: gift.id,
        supporterId: w.supporter,
        amountCents: 5000,
        externalId: 'PAY-1',
      }),
    );
  });

  it('keeps external ids unique per organization', async () => {
    await give({ giftDate: '2025-05-04', amountCents: 100, method: 'cash', externalId: 'PAY-UNIQUE' });
    const again = await give({
      giftDate: '2025-05-05',
      amountCents: 100,
      method: 'cash',
      externalId: 'PAY-UNIQUE',
    });
    expect([again.statusCode, again.json().code]).toEqual([409, 'GIFT_EXTERNAL_ID_TAKEN']);
    const elsewhere = await w.t.app.inject({
      method: 'POST',
      url: `/api/organizations/${w.beta}/supporters/${w.betaSupporter}/gifts`,
      headers: w.admin,
      payload: { giftDate: '2025-05-05', amountCents: 100, method: 'cash', externalId: 'PAY-UNIQUE' },
    });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('a failed SEPA collection carries a known return reason code', async () => {
    const commitment = await commitmentOf(w.supporter);
    const failed = await give({
      giftDate: '2025-04-01',
      amountCents: 1500,
      method: 'sepa_direct_debit',
      status: 'failed',
      returnCode: 'am04',
      commitmentId: commitment.id,
    });
    expect(failed.json()).toMatchObject({
      status: 'failed',
      returnCode: 'AM04',
      returnReason: 'Insufficient funds',
    });
    // A failed collection does not move the mandate on.
    expect(await mandateOf(commitment.id)).toEqual({ sequence_type: 'FRST', last_collection_on: null });

    const unknown = await give({
      giftDate: '2025-04-01',
      amountCents: 1500,
      method: 'sepa_direct_debit',
      status: 'failed',
      returnCode: 'ZZ99',
    });
    expect([unknown.statusCode, unknown.json().code, unknown.json().errors[0].field]).toEqual([
      400,
      'RETURN_CODE_UNKNOWN',
      'body.returnCode',
    ]);
    const missing = await give({
      giftDate: '2025-04-01',
      amountCents: 1500,
      method: 'sepa_direct_debit',
      status: 'failed',
    });
    expect([missing.statusCode, missing.json().code]).toEqual([400, 'RETURN_CODE_REQUIRED']);
    const collected = await give({
      giftDate: '2025-04-01',
      amountCents: 1500,
      method: 'card',
      returnCode: 'AM04',
    });
    expect([collected.statusCode, collected.json().code]).toEqual([400, 'RETURN_CODE_NOT_ALLOWED']);
    const refunded = await give({
      giftDate: '2025-04-01',
      amountCents: 1500,
      method: 'sepa_direct_debit',
      status: 'refunded',
      returnCode: 'MD06',
    });
    expect(refunded.json()).toMatchObject({ status: 'refunded', returnCode: 'MD06' });
  });

  it('a collected SEPA gift moves the mandate from FRST to RCUR and its last collection forward only', async () => {
    const commitment = await commitmentOf(w.supporter);
    const collect = (giftDate: string) =>
      give({ giftDate, amountCents: 1500, method: 'sepa_direct_debit', commitmentId: commitment.id });
    expect((await collect('2025-04-01')).statusCode).toBe(201);
    expect(await mandateOf(commitment.id)).toEqual({
      sequence_type: 'RCUR',
      last_collection_on: '2025-04-01',
    });
    await collect('2025-06-01');
    // A late-recorded older collection does not move it back.
    await collect('2025-05-01');
    expect(await mandateOf(commitment.id)).toEqual({
      sequence_type: 'RCUR',
      last_collection_on: '2025-06-01',
    });
    const shown = await w.t.app.inject({
      method: 'GET',
      url: `${base()}/commitments/${commitment.id}`,
      headers: w.admin,
    });
    expect(shown.json().mandate).toMatchObject({ lastCollectionOn: '2025-06-01', expiresOn: '2028-06-01' });
  });

  it('links only a commitment of the same supporter', async () => {
    const theirs = await commitmentOf(w.otherSupporter);
    const response = await give({
      giftDate: '2025-04-01',
      amountCents: 1500,
      method: 'card',
      commitmentId: theirs.id,
    });
    expect([response.statusCode, response.json().code, response.json().errors[0].field]).toEqual([
      400,
      'GIFT_COMMITMENT_INVALID',
      'body.commitmentId',
    ]);
    const unknown = await give({
      giftDate: '2025-04-01',
      amountCents: 1500,
      method: 'card',
      commitmentId: randomUUID(),
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('answers 400 naming the field for bad input, 404 for a supporter elsewhere', async () => {
    for (const [body, field] of [
      [{ giftDate: '2025-13-01', amountCents: 100, method: 'card' }, 'body.giftDate'],
      [{ giftDate: '2025-01-01', amountCents: -1, method: 'card' }, 'body.amountCents'],
      [{ giftDate: '2025-01-01', amountCents: 100, method: 'cheque' }, 'body.method'],
      [{ giftDate: '2025-01-01', amountCents: 100, method: 'card', status: 'pending' }, 'body.status'],
    ] as const) {
      const response = await give(body);
      expect([field, response.statusCode]).toEqual([field, 400]);
      expect(response.json().errors[0].field).toBe(field);
    }
    expect(
      (await give({ giftDate: '2025-01-01', amountCents: 100, method: 'card' }, w.betaSupporter)).statusCode,
    ).toBe(404);
    const list = await w.t.app.inject({
      method: 'GET',
      url: `/api/organizations/${w.beta}/supporters/${w.supporter}/gifts`,
      headers: w.admin,
    });
    expect(list.statusCode).toBe(404);
  });

  it('refuses a supporter merged into another with 409 SUPPORTER_MERGED naming the kept one, writing nothing', async () => {
    const kept = await insertSupporter(w.t.db, w.alpha, { lastName: 'Kept' });
    const merged = await insertSupporter(w.t.db, w.alpha, { lastName: 'Merged' });
    const merge = await mergeSupporters({
      db: w.t.db,
      principal: null,
      orgId: w.alpha,
      keptId: kept,
      mergedId: merged,
    });
    const gifts = () =>
      w.t.db.forOrg(w.alpha, (tx) =>
        tx.selectFrom('gifts').select('id').where('supporter_id', 'in', [kept, merged]).execute(),
      );
    const response = await give({ giftDate: '2025-01-01', amountCents: 2500, method: 'card' }, merged);
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      code: 'SUPPORTER_MERGED',
      status: 409,
      errors: [{ field: 'params.supporterId', message: `merged into ${kept}` }],
    });
    expect(response.json().detail).toContain(kept);
    expect(await gifts()).toEqual([]);
    // Undoing the merge makes the record usable again.
    await undoMerge({ db: w.t.db, principal: null, orgId: w.alpha, mergeId: merge.id });
    expect(
      (await give({ giftDate: '2025-01-01', amountCents: 2500, method: 'card' }, merged)).statusCode,
    ).toBe(201);
  });
});

describe('listing gifts', () => {
  let supporter: string;
  const dates = [
    '2024-12-31',
    '2025-01-01',
    '2025-01-01',
    '2025-01-01',
    '2025-02-15',
    '2025-03-01',
    '2025-03-31',
  ];

  beforeAll(async () => {
    supporter = await insertSupporter(w.t.db, w.beta);
    for (const giftDate of dates) {
      const response = await w.t.app.inject({
        method: 'POST',
        url: `/api/organizations/${w.beta}/supporters/${supporter}/gifts`,
        headers: w.admin,
        payload: { giftDate, amountCents: 1000, method: 'bank_transfer' },
      });
      expect(response.statusCode).toBe(201);
    }
  });

  async function pages(url: string, limit: number) {
    const seen: { id: string; giftDate: string; supporterId: string }[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: string = `${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await w.t.app.inject({
        method: 'GET',
        url: page,
        headers: w.admin,
      });
      expect(response.statusCode).toBe(200);
      const body: { items: typeof seen; nextCursor: string | null } = response.json();
      seen.push(...body.items);
      sizes.push(body.items.length);
      cursor = body.nextCursor;
    } while (cursor && sizes.length < 20);
    // Every page but the last is full.
    expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true);
    return { seen, sizes };
  }

  it('pages through every gift once, newest first', async () => {
    const { seen, sizes } = await pages(`/api/organizations/${w.beta}/gifts`, 3);
    const ours = seen.filter((g) => g.supporterId === supporter);
    expect(ours.map((g) => g.giftDate)).toEqual([...dates].reverse());
    expect(new Set(seen.map((g) => g.id)).size).toBe(seen.length);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    const bySupporter = await pages(`/api/organizations/${w.beta}/supporters/${supporter}/gifts`, 2);
    expect(bySupporter.seen.map((g) => g.giftDate)).toEqual([...dates].reverse());
  });

  it('filters by an inclusive date range', async () => {
    const { seen } = await pages(`/api/organizations/${w.beta}/gifts?from=2025-01-01&to=2025-03-01`, 2);
    expect(seen.map((g) => g.giftDate)).toEqual([
      '2025-03-01',
      '2025-02-15',
      '2025-01-01',
      '2025-01-01',
      '2025-01-01',
    ]);
  });

  it('refuses a forged cursor and an inverted range with 400', async () => {
    const url = `/api/organizations/${w.beta}/gifts`;
    for (const query of [
      '?cursor=not-a-cursor',
      `?cursor=${encodeCursor(['2025-01-01'])}`,
      `?cursor=${encodeCursor(['2025-01-01', "x' or 1=1"])}`,
      '?from=2025-02-01&to=2025-01-01',
      '?limit=0',
      '?from=yesterday',
    ]) {
      const response = await w.t.app.inject({ method: 'GET', url: url + query, headers: w.admin });
      expect([query, response.statusCode]).toEqual([query, 400]);
    }
  });

  it("shows one organization's gifts only", async () => {
    const { seen } = await pages(`/api/organizations/${w.alpha}/gifts`, 50);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((g) => g.supporterId !== supporter)).toBe(true);
  });
});
