import { sql } from 'kysely';
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
    payload: { lastName: 'Consenting' },
  });
  supporterId = created.body.id;
  base = `/api/organizations/${k.alpha}/supporters/${supporterId}/consents`;
});
afterAll(() => k.close());

const record = (payload: object, role: Parameters<CrmTestKit['call']>[1] = 'operator') =>
  k.call({ method: 'POST', url: base, payload: { source: 'phone call', ...payload } }, role);

describe('consents', () => {
  it('records a consent, emits consent.changed and shows it as current on the supporter', async () => {
    const response = await record({
      channel: 'phone',
      purpose: 'marketing',
      granted: true,
      evidence: 'recording 42',
      recordedAt: '2025-01-10T10:00:00Z',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      channel: 'phone',
      purpose: 'marketing',
      granted: true,
      evidence: 'recording 42',
      recordedAt: '2025-01-10T10:00:00.000Z',
      interactionId: null,
    });
    const outbox = await k.db.readForOrg(k.alpha, (tx) =>
      sql<{ type: string; payload: object }>`select type, payload from outbox_events
        where type = 'consent.changed' and payload->>'supporterId' = ${supporterId}`.execute(tx),
    );
    expect(outbox.rows).toEqual([
      {
        type: 'consent.changed',
        payload: {
          supporterId,
          channel: 'phone',
          purpose: 'marketing',
          granted: true,
          source: 'phone call',
          recordedAt: '2025-01-10T10:00:00.000Z',
        },
      },
    ]);
    const supporter = await k.call({
      method: 'GET',
      url: `/api/organizations/${k.alpha}/supporters/${supporterId}`,
    });
    expect(supporter.body.consents).toMatchObject([
      { channel: 'phone', purpose: 'marketing', granted: true },
    ]);
  });

  it('the latest event is current; an older one recorded later does not win; at equal time revocation wins', async () => {
    await record({
      channel: 'email',
      purpose: 'newsletter',
      granted: true,
      recordedAt: '2025-02-01T09:00:00Z',
    });
    await record({
      channel: 'email',
      purpose: 'newsletter',
      granted: false,
      recordedAt: '2025-03-01T09:00:00Z',
    });
    // Entered late, but given before the revocation: the revocation stays current.
    await record({
      channel: 'email',
      purpose: 'newsletter',
      granted: true,
      recordedAt: '2025-02-15T09:00:00Z',
    });
    // Same instant, grant and revocation: revocation wins whatever the order of entry.
    await record({
      channel: 'sms',
      purpose: 'marketing',
      granted: false,
      recordedAt: '2025-04-01T12:00:00Z',
    });
    await record({ channel: 'sms', purpose: 'marketing', granted: true, recordedAt: '2025-04-01T12:00:00Z' });
    const current = await k.call({ method: 'GET', url: base }, 'client_viewer');
    expect(current.status).toBe(200);
    expect(
      current.body.items.map((c: { channel: string; purpose: string; granted: boolean }) => [
        c.channel,
        c.purpose,
        c.granted,
      ]),
    ).toEqual([
      ['email', 'newsletter', false],
      ['phone', 'marketing', true],
      ['sms', 'marketing', false],
    ]);
  });

  it('history lists every event newest first, page by page', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const response: { status: number; body: Json } = await k.call({
        method: 'GET',
        url: `${base}/history?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(response.status).toBe(200);
      all.push(
        ...response.body.items.map(
          (c: { recordedAt: string; granted: boolean }) => `${c.recordedAt} ${c.granted}`,
        ),
      );
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(all).toEqual([
      '2025-04-01T12:00:00.000Z true',
      '2025-04-01T12:00:00.000Z false',
      '2025-03-01T09:00:00.000Z false',
      '2025-02-15T09:00:00.000Z true',
      '2025-02-01T09:00:00.000Z true',
      '2025-01-10T10:00:00.000Z true',
    ]);
  });

  it('refuses a bad channel or purpose with the field, and an unknown supporter with 404', async () => {
    const channel = await record({ channel: 'fax', purpose: 'marketing', granted: true });
    expect(channel.status).toBe(400);
    expect(channel.body.errors[0].field).toBe('body.channel');
    const purpose = await record({ channel: 'phone', purpose: 'Marketing!', granted: true });
    expect(purpose.status).toBe(400);
    expect(purpose.body.errors[0].field).toBe('body.purpose');
    const unknown = await k.call({
      method: 'POST',
      url: `/api/organizations/${k.alpha}/supporters/00000000-0000-4000-8000-000000000000/consents`,
      payload: { channel: 'phone', purpose: 'marketing', granted: true, source: 'x' },
    });
    expect(unknown.status).toBe(404);
  });

  it('client viewers read but cannot record', async () => {
    const response = await record({ channel: 'post', purpose: 'appeals', granted: true }, 'client_viewer');
    expect(response.status).toBe(403);
  });
});
