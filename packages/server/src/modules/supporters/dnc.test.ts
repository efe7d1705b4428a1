import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestKit, createCrmTestKit } from './crm-test-kit.ts';
import { phoneCompliance } from './dnc.service.ts';

let k: CrmTestKit;
let org: string;

beforeAll(async () => {
  k = await createCrmTestKit();
  org = `/api/organizations/${k.alpha}`;
});
afterAll(() => k.close());

describe("the organization's do-not-call list", () => {
  it('adds a number normalized to E.164, idempotently, and finds it in any format', async () => {
    const added = await k.call(
      {
        method: 'POST',
        url: `${org}/dnc`,
        payload: { number: '347 123 4567', reason: 'asked on the phone' },
      },
      'operator',
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ number: '+393471234567', reason: 'asked on the phone' });
    const again = await k.call({
      method: 'POST',
      url: `${org}/dnc`,
      payload: { number: '+39 347 123 4567' },
    });
    expect(again.status).toBe(200);
    expect(again.body.reason).toBe('asked on the phone');
    const check = await k.call(
      { method: 'GET', url: `${org}/dnc/${encodeURIComponent('+39 3471234567')}` },
      'client_viewer',
    );
    expect(check.status).toBe(200);
    expect(check.body.number).toBe('+393471234567');
    const notListed = await k.call({ method: 'GET', url: `${org}/dnc/%2B393470000000` });
    expect(notListed.status).toBe(404);
    expect(notListed.body.code).toBe('DNC_ENTRY_NOT_FOUND');
  });

  it('refuses a number that is not a phone number, naming the field', async () => {
    const response = await k.call({ method: 'POST', url: `${org}/dnc`, payload: { number: '12' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'PHONE_INVALID', errors: [{ field: 'body.number' }] });
  });

  it('lists by number with a cursor and removes entries', async () => {
    for (const number of ['+390612345678', '+393331112222']) {
      await k.call({ method: 'POST', url: `${org}/dnc`, payload: { number } });
    }
    const first = await k.call({ method: 'GET', url: `${org}/dnc?limit=2` });
    expect(first.body.items.map((e: { number: string }) => e.number)).toEqual([
      '+390612345678',
      '+393331112222',
    ]);
    const second = await k.call({ method: 'GET', url: `${org}/dnc?limit=2&cursor=${first.body.nextCursor}` });
    expect(second.body).toMatchObject({ items: [{ number: '+393471234567' }], nextCursor: null });
    const removed = await k.call({ method: 'DELETE', url: `${org}/dnc/%2B390612345678` });
    expect(removed.status).toBe(204);
    const again = await k.call({ method: 'DELETE', url: `${org}/dnc/%2B390612345678` });
    expect(again.status).toBe(404);
  });
});

describe('register checks and compliance', () => {
  const compliance = async (number: string, on: string) =>
    (
      await k.call(
        { method: 'GET', url: `${org}/phones/${encodeURIComponent(number)}/compliance?on=${on}` },
        'operator',
      )
    ).body;

  it('a number never checked is not callable', async () => {
    expect(await compliance('+393339990000', '2025-06-30')).toEqual({
      number: '+393339990000',
      onOrgList: false,
      lastRegisterCheck: null,
      stale: false,
      maxAgeDays: 30,
      callable: false,
      reasons: ['register_check_missing'],
    });
  });

  it('uses the latest check; it goes stale after register_check_max_age_days', async () => {
    const number = '+393339990001';
    for (const [checkedOn, registered] of [
      ['2025-05-01', true],
      ['2025-06-01', false],
    ] as const) {
      const response = await k.call({
        method: 'POST',
        url: `${org}/register-checks`,
        payload: { number: '333 999 0001', checkedOn, registered },
      });
      expect(response.status).toBe(201);
    }
    // 30 days after the check: still fresh; 31 days: stale (default maximum age 30).
    expect(await compliance(number, '2025-07-01')).toMatchObject({
      lastRegisterCheck: { checkedOn: '2025-06-01', registered: false },
      stale: false,
      callable: true,
      reasons: [],
    });
    expect(await compliance(number, '2025-07-02')).toMatchObject({
      stale: true,
      callable: false,
      reasons: ['register_check_stale'],
    });
    const settings = await k.call({
      method: 'PATCH',
      url: `${org}/crm-settings`,
      payload: { registerCheckMaxAgeDays: 45 },
    });
    expect(settings.status).toBe(200);
    expect(await compliance(number, '2025-07-02')).toMatchObject({
      stale: false,
      callable: true,
      maxAgeDays: 45,
    });
    await k.call({ method: 'PATCH', url: `${org}/crm-settings`, payload: { registerCheckMaxAgeDays: 30 } });
  });

  it('a number in the register or on the own list is not callable, with every reason', async () => {
    const number = '+393339990002';
    await k.call({
      method: 'POST',
      url: `${org}/register-checks`,
      payload: { number, checkedOn: '2025-06-20', registered: true },
    });
    await k.call({ method: 'POST', url: `${org}/dnc`, payload: { number } });
    expect(await compliance(number, '2025-06-25')).toMatchObject({
      onOrgList: true,
      callable: false,
      reasons: ['on_org_list', 'registered_in_register'],
    });
  });

  it('a second check on the same day replaces the first', async () => {
    const number = '+393339990003';
    await k.call({
      method: 'POST',
      url: `${org}/register-checks`,
      payload: { number, checkedOn: '2025-06-20', registered: true },
    });
    await k.call({
      method: 'POST',
      url: `${org}/register-checks`,
      payload: { number, checkedOn: '2025-06-20', registered: false },
    });
    expect((await compliance(number, '2025-06-21')).lastRegisterCheck).toEqual({
      checkedOn: '2025-06-20',
      registered: false,
    });
  });

  it('phoneCompliance() answers the same inside a unit of work, for the dialer', async () => {
    const result = await k.db.readForOrg(k.alpha, (tx) => phoneCompliance(tx, '+393339990001', '2025-06-10'));
    expect(result).toMatchObject({ callable: true, lastRegisterCheck: { checkedOn: '2025-06-01' } });
    const elsewhere = await k.db.readForOrg(k.beta, (tx) =>
      phoneCompliance(tx, '+393339990001', '2025-06-10'),
    );
    expect(elsewhere).toMatchObject({ onOrgList: false, lastRegisterCheck: null, callable: false });
  });

  it('without a date, judges on today in the organization time zone', async () => {
    const body = (await k.call({ method: 'GET', url: `${org}/phones/%2B393339990000/compliance` })).body;
    expect(body.reasons).toEqual(['register_check_missing']);
  });
});

describe('CRM settings', () => {
  it('starts from the defaults and validates the creditor identifier', async () => {
    const fresh = await k.call({ method: 'GET', url: `/api/organizations/${k.beta}/crm-settings` }, 'admin');
    expect(fresh.body).toEqual({
      creditorId: null,
      dedupeRules: ['email', 'phone', 'fiscal_code', 'name_birth_date'],
      registerCheckMaxAgeDays: 30,
      updatedAt: null,
    });
    // Check digits 86 computed with the engine's creditorIdCheckDigits('IT', '0000001234567890').
    const good = await k.call({
      method: 'PATCH',
      url: `${org}/crm-settings`,
      payload: { creditorId: 'it86 zzz 0000001234567890', dedupeRules: ['fiscal_code', 'email'] },
    });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({
      creditorId: 'IT86ZZZ0000001234567890',
      dedupeRules: ['fiscal_code', 'email'],
    });
    const bad = await k.call({
      method: 'PATCH',
      url: `${org}/crm-settings`,
      payload: { creditorId: 'IT00ZZZ0000001234567890' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'CREDITOR_ID_INVALID', errors: [{ field: 'body.creditorId' }] });
    const rule = await k.call({
      method: 'PATCH',
      url: `${org}/crm-settings`,
      payload: { dedupeRules: ['shoe_size'] },
    });
    expect(rule.status).toBe(400);
    const supervisor = await k.call({ method: 'GET', url: `${org}/crm-settings` }, 'supervisor');
    expect(supervisor.body.creditorId).toBe('IT86ZZZ0000001234567890');
  });
});

describe('custom-field definitions', () => {
  it('are created, relabelled, and deleted only when no supporter uses them', async () => {
    const created = await k.call({
      method: 'POST',
      url: `${org}/custom-fields`,
      payload: { key: 'pet', label: 'Pet', type: 'text' },
    });
    expect(created.status).toBe(201);
    const duplicate = await k.call({
      method: 'POST',
      url: `${org}/custom-fields`,
      payload: { key: 'pet', label: 'Pet', type: 'text' },
    });
    expect(duplicate.status).toBe(409);
    const badKey = await k.call({
      method: 'POST',
      url: `${org}/custom-fields`,
      payload: { key: 'Pet Name', label: 'x', type: 'text' },
    });
    expect(badKey.body.errors[0].field).toBe('body.key');
    const relabelled = await k.call({
      method: 'PATCH',
      url: `${org}/custom-fields/pet`,
      payload: { label: 'Pet name' },
    });
    expect(relabelled.body).toMatchObject({ key: 'pet', label: 'Pet name', type: 'text' });
    const supporter = await k.call({
      method: 'POST',
      url: `${org}/supporters`,
      payload: { lastName: 'Pets', customFields: { pet: 'cat' } },
    });
    const inUse = await k.call({ method: 'DELETE', url: `${org}/custom-fields/pet` });
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('CUSTOM_FIELD_IN_USE');
    await k.call({
      method: 'PATCH',
      url: `${org}/supporters/${supporter.body.id}`,
      payload: { version: 1, customFields: { pet: null } },
    });
    expect((await k.call({ method: 'DELETE', url: `${org}/custom-fields/pet` })).status).toBe(204);
    expect((await k.call({ method: 'DELETE', url: `${org}/custom-fields/pet` })).status).toBe(404);
    const list = await k.call({ method: 'GET', url: `${org}/custom-fields` }, 'supervisor');
    expect(list.body.items).toEqual([]);
  });
});
