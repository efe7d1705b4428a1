import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestKit, createCrmTestKit, type Json } from './crm-test-kit.ts';

let k: CrmTestKit;
let supporterId: string;
let base: string;

beforeAll(async () => {
  k = await createCrmTestKit();
  const created = await k.call({
    method: 'POST',
    url: `/api/organizations/${k.alpha}/supporters`,
    payload: { firstName: 'Tina', lastName: 'Timeline' },
  });
  supporterId = created.body.id;
  base = `/api/organizations/${k.alpha}/supporters/${supporterId}`;
  await k.call({
    method: 'PATCH',
    url: base,
    payload: { version: 1, firstName: 'Valentina', status: 'lapsed' },
  });
  await k.call({
    method: 'POST',
    url: `${base}/consents`,
    payload: {
      channel: 'phone',
      purpose: 'marketing',
      granted: false,
      source: 'call',
      recordedAt: '2024-06-01T08:00:00Z',
    },
  });
  // Commitments and gifts belong to another module: written directly here.
  await k.db.forOrg(k.alpha, async (tx) => {
    const commitment = await tx
      .insertInto('commitments')
      .values({
        org_id: k.alpha,
        supporter_id: supporterId,
        amount_cents: 1000,
        frequency: 'monthly',
        method: 'sepa_direct_debit',
        start_date: '2024-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('commitment_events')
      .values({
        org_id: k.alpha,
        commitment_id: commitment.id,
        supporter_id: supporterId,
        at: '2024-01-01T09:00:00Z',
        kind: 'created',
        to_status: 'active',
        to_amount_cents: 1000,
      })
      .execute();
    await tx
      .insertInto('gifts')
      .values([
        {
          org_id: k.alpha,
          supporter_id: supporterId,
          commitment_id: commitment.id,
          gift_date: '2024-02-05',
          amount_cents: 1000,
          method: 'sepa_direct_debit',
        },
        {
          org_id: k.alpha,
          supporter_id: supporterId,
          gift_date: '2024-03-05',
          amount_cents: 2500,
          method: 'card',
          status: 'refunded',
        },
      ])
      .execute();
  });
});
afterAll(() => k.close());

describe('timeline', () => {
  it('lists changes, consents, commitment events and gifts newest first', async () => {
    const response = await k.call({ method: 'GET', url: `${base}/timeline` }, 'quality');
    expect(response.status).toBe(200);
    const items = response.body.items;
    expect(items.map((e: { type: string; kind: string }) => `${e.type}:${e.kind}`)).toEqual([
      'supporter:status_changed',
      'supporter:updated',
      'supporter:created',
      'consent:consent.revoked',
      'gift:gift.refunded',
      'gift:gift.collected',
      'commitment:commitment.created',
    ]);
    expect(items[1].details).toEqual({ changes: { firstName: { from: 'Tina', to: 'Valentina' } } });
    expect(items[1].actor).toMatch(/^user:/);
    expect(items[4]).toMatchObject({
      at: '2024-03-05T00:00:00.000000Z',
      details: { amountCents: 2500, method: 'card' },
    });
    expect(items[6].details).toMatchObject({ toStatus: 'active', toAmountCents: 1000 });
    const ats = items.map((e: { at: string }) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
  });

  it('pages with a cursor without gaps or repeats, even for events of the same instant', async () => {
    const all = (await k.call({ method: 'GET', url: `${base}/timeline?limit=200` })).body.items;
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const response: { body: Json } = await k.call({
        method: 'GET',
        url: `${base}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      paged.push(...response.body.items);
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    // The update's two events share one transaction timestamp: the order between them is still stable.
    expect(all[0].at).toBe(all[1].at);
  });

  it('an unknown supporter is a 404 and a forged cursor a 400', async () => {
    const unknown = await k.call({
      method: 'GET',
      url: `/api/organizations/${k.alpha}/supporters/00000000-0000-4000-8000-000000000000/timeline`,
    });
    expect(unknown.status).toBe(404);
    const forged = await k.call({ method: 'GET', url: `${base}/timeline?cursor=WyJ4IiwiIiwiIl0` });
    expect(forged.status).toBe(400);
  });
});
