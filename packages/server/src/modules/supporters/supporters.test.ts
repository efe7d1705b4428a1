import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestKit, createCrmTestKit, type Json } from './crm-test-kit.ts';

// Valid codici fiscali: check characters computed with the engine's fiscalCodeCheckCharacter.
const MARIO_CF = 'RSSMRA80A01H501U';
const GIUSEPPA_CF = 'VRDGPP75C41F205I';

let k: CrmTestKit;
let url: (org?: string) => string;

beforeAll(async () => {
  k = await createCrmTestKit();
  url = (org = k.alpha) => `/api/organizations/${org}/supporters`;
  await k.call({
    method: 'POST',
    url: `/api/organizations/${k.alpha}/custom-fields`,
    payload: { key: 'shirt_size', label: 'Shirt size', type: 'text' },
  });
  await k.call({
    method: 'POST',
    url: `/api/organizations/${k.alpha}/custom-fields`,
    payload: { key: 'first_gift_on', label: 'First gift', type: 'date' },
  });
});
afterAll(() => k.close());

async function create(payload: object, role: Parameters<CrmTestKit['call']>[1] = 'operator') {
  const response = await k.call({ method: 'POST', url: url(), payload }, role);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function eventsOf(supporterId: string) {
  return k.db.readForOrg(k.alpha, (tx) =>
    tx
      .selectFrom('supporter_events')
      .select(['kind', 'details', 'actor'])
      .where('supporter_id', '=', supporterId)
      .orderBy('id')
      .execute(),
  );
}

async function outboxOf(supporterId: string) {
  const result = await k.db.readForOrg(k.alpha, (tx) =>
    sql<{ type: string; payload: Record<string, unknown> }>`
      select type, payload from outbox_events where payload->>'supporterId' = ${supporterId} order by id`.execute(
      tx,
    ),
  );
  return result.rows;
}

describe('create and read', () => {
  it('normalizes phones to E.164 with their kind, validates the rest and reads it all back', async () => {
    const created = await create({
      firstName: ' Mario ',
      lastName: 'Rossi',
      birthDate: '1980-01-01',
      fiscalCode: 'rssmra80a01h501u',
      source: 'face_to_face',
      phones: [{ number: '06 1234 5678' }, { number: '+39 347 123 4567', primary: true }],
      emails: [{ email: 'Mario.Rossi@Example.IT' }],
      externalIds: [{ system: 'crm', externalId: 'A-1' }],
      addresses: [{ line1: 'Via Roma 1', city: 'Roma', postalCode: '00100', country: 'IT' }],
      tags: ['f2f', 'f2f', 'milano'],
      customFields: { shirt_size: 'L', first_gift_on: '2024-05-01' },
    });
    expect(created).toMatchObject({
      firstName: 'Mario',
      fiscalCode: MARIO_CF,
      language: 'it',
      status: 'active',
      version: 1,
      phones: [
        { number: '+393471234567', kind: 'mobile', valid: true, primary: true, invalidSince: null },
        { number: '+390612345678', kind: 'fixed_line', valid: true, primary: false },
      ],
      emails: [{ email: 'Mario.Rossi@example.it', valid: true, primary: true }],
      externalIds: [{ system: 'crm', externalId: 'A-1' }],
      tags: ['f2f', 'milano'],
      customFields: { shirt_size: 'L', first_gift_on: '2024-05-01' },
      consents: [],
      mergedInto: null,
    });
    const read = await k.call({ method: 'GET', url: `${url()}/${created.id}` }, 'client_viewer');
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toEqual(created);
  });

  it.each([
    [{ phones: [{ number: '12' }] }, 'body.phones[0].number', /too few digits/],
    [{ phones: [{ number: '+39 347 12' }] }, 'body.phones[0].number', /too few digits/],
    [{ emails: [{ email: 'mario@' }] }, 'body.emails[0].email', /domain/],
    [{ fiscalCode: 'RSSMRA80A01H501A' }, 'body.fiscalCode', /check character/],
    [{ customFields: { favourite: 'x' } }, 'body.customFields.favourite', /not a custom field/],
    [{ customFields: { first_gift_on: '31/02/2024' } }, 'body.customFields.first_gift_on', /YYYY-MM-DD/],
    [{ customFields: { shirt_size: 3 } }, 'body.customFields.shirt_size', /text/],
  ])('refuses %j with a 400 naming the field and the reason', async (payload, field, reason) => {
    const response = await k.call({ method: 'POST', url: url(), payload: { lastName: 'X', ...payload } });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('SUPPORTER_INVALID');
    expect(response.body.errors).toEqual([{ field, message: expect.stringMatching(reason) }]);
  });

  it('refuses an unknown status or property through the schema', async () => {
    const bad = await k.call({ method: 'POST', url: url(), payload: { status: 'sleeping' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('body.status');
  });

  it('answers 409 when an external id of the system already belongs to another supporter', async () => {
    await create({ lastName: 'Owner', externalIds: [{ system: 'salesforce', externalId: 'SF-9' }] });
    const response = await k.call({
      method: 'POST',
      url: url(),
      payload: { lastName: 'Other', externalIds: [{ system: 'salesforce', externalId: 'SF-9' }] },
    });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({
      code: 'EXTERNAL_ID_TAKEN',
      errors: [{ field: 'body.externalIds[0].externalId' }],
    });
    expect(response.body.detail).toMatch(/salesforce id "SF-9" already belongs to supporter/);
    // The same id in another system is fine.
    await create({ lastName: 'Other', externalIds: [{ system: 'legacy', externalId: 'SF-9' }] });
  });

  it('writes the created event and supporter.created in the same unit of work', async () => {
    const created = await create({
      lastName: 'Evented',
      externalIds: [{ system: 'crm', externalId: 'E-1' }],
    });
    const events = await eventsOf(created.id);
    expect(events).toEqual([
      {
        kind: 'created',
        details: { status: 'active', source: null },
        actor: expect.stringMatching(/^user:/),
      },
    ]);
    expect(await outboxOf(created.id)).toEqual([
      {
        type: 'supporter.created',
        payload: { supporterId: created.id, version: 1, externalIds: [{ system: 'crm', externalId: 'E-1' }] },
      },
    ]);
  });

  it('a failed create leaves nothing behind', async () => {
    const before = await k.db.readForOrg(k.alpha, (tx) =>
      tx
        .selectFrom('outbox_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    await k.call({
      method: 'POST',
      url: url(),
      payload: { lastName: 'Dup', externalIds: [{ system: 'salesforce', externalId: 'SF-9' }] },
    });
    const after = await k.db.readForOrg(k.alpha, (tx) =>
      tx
        .selectFrom('outbox_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    expect(after.n).toBe(before.n);
  });
});

describe('update', () => {
  it('applies changes with the version, records the diff and the status change, emits supporter.updated', async () => {
    const created = await create({
      firstName: 'Anna',
      lastName: 'Bianchi',
      phones: [{ number: '3471111111' }],
      customFields: { shirt_size: 'M' },
    });
    const response = await k.call(
      {
        method: 'PATCH',
        url: `${url()}/${created.id}`,
        payload: {
          version: 1,
          lastName: 'Bianchi Neri',
          status: 'do_not_contact',
          phones: [{ number: '+39 348 222 2222' }],
          customFields: { shirt_size: null },
        },
      },
      'operator',
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.body).toMatchObject({
      lastName: 'Bianchi Neri',
      status: 'do_not_contact',
      version: 2,
      phones: [{ number: '+393482222222', kind: 'mobile' }],
      customFields: {},
    });
    const events = await eventsOf(created.id);
    expect(events.map((e) => e.kind)).toEqual(['created', 'updated', 'status_changed']);
    expect(events[1]?.details).toEqual({
      changes: {
        lastName: { from: 'Bianchi', to: 'Bianchi Neri' },
        phones: { from: ['+393471111111'], to: ['+393482222222'] },
        'customFields.shirt_size': { from: 'M', to: null },
      },
    });
    expect(events[2]?.details).toEqual({ from: 'active', to: 'do_not_contact' });
    const outbox = await outboxOf(created.id);
    expect(outbox.at(-1)).toEqual({
      type: 'supporter.updated',
      payload: {
        supporterId: created.id,
        version: 2,
        changedFields: ['lastName', 'status', 'phones', 'customFields.shirt_size'],
        status: 'do_not_contact',
        externalIds: [],
      },
    });
  });

  it('answers 409 to a stale version (body or If-Match) and 400 without one', async () => {
    const created = await create({ lastName: 'Verdi' });
    const first = await k.call({
      method: 'PATCH',
      url: `${url()}/${created.id}`,
      payload: { firstName: 'Luca' },
      headers: { 'if-match': '"1"' },
    });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    const stale = await k.call({
      method: 'PATCH',
      url: `${url()}/${created.id}`,
      payload: { version: 1, firstName: 'Lucia' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    const staleHeader = await k.call({
      method: 'PATCH',
      url: `${url()}/${created.id}`,
      payload: { firstName: 'Lucia' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(staleHeader.status).toBe(409);
    const missing = await k.call({
      method: 'PATCH',
      url: `${url()}/${created.id}`,
      payload: { firstName: 'Lucia' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'VERSION_REQUIRED', errors: [{ field: 'body.version' }] });
    const read = await k.call({ method: 'GET', url: `${url()}/${created.id}` });
    expect(read.body).toMatchObject({ firstName: 'Luca', version: 2 });
  });

  it('of two writers with the same version exactly one wins', async () => {
    const created = await create({ lastName: 'Race' });
    const results = await Promise.all(
      ['Uno', 'Due'].map((firstName) =>
        k.call({ method: 'PATCH', url: `${url()}/${created.id}`, payload: { version: 1, firstName } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('a change that changes nothing keeps the version and writes no event', async () => {
    const created = await create({ lastName: 'Same', phones: [{ number: '+393470000001' }] });
    const response = await k.call({
      method: 'PATCH',
      url: `${url()}/${created.id}`,
      payload: { version: 1, lastName: 'Same', phones: [{ number: '347 000 0001' }] },
    });
    expect(response.status).toBe(200);
    expect(response.body.version).toBe(1);
    expect((await eventsOf(created.id)).map((e) => e.kind)).toEqual(['created']);
  });

  it('moving an external id to a taken one is a 409; keeping its own is fine', async () => {
    const a = await create({ lastName: 'Ext A', externalIds: [{ system: 'crm', externalId: 'X-1' }] });
    const b = await create({ lastName: 'Ext B', externalIds: [{ system: 'crm', externalId: 'X-2' }] });
    const taken = await k.call({
      method: 'PATCH',
      url: `${url()}/${b.id}`,
      payload: { version: 1, externalIds: [{ system: 'crm', externalId: 'X-1' }] },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toContain(a.id);
    const own = await k.call({
      method: 'PATCH',
      url: `${url()}/${a.id}`,
      payload: {
        version: 1,
        externalIds: [
          { system: 'crm', externalId: 'X-1' },
          { system: 'web', externalId: 'w1' },
        ],
      },
    });
    expect(own.status).toBe(200);
    expect(own.body.externalIds).toEqual([
      { system: 'crm', externalId: 'X-1' },
      { system: 'web', externalId: 'w1' },
    ]);
  });

  it('an unknown supporter is a 404', async () => {
    const response = await k.call({
      method: 'PATCH',
      url: `${url()}/00000000-0000-4000-8000-000000000000`,
      payload: { version: 1, firstName: 'x' },
    });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('SUPPORTER_NOT_FOUND');
  });
});

describe('list and search', () => {
  let org: string;
  const listUrl = (query: string) => `/api/organizations/${org}/supporters?${query}`;

  beforeAll(async () => {
    // A fresh organization of its own, so the assertions see only these rows.
    org = k.beta;
    const people = [
      {
        firstName: 'Mario',
        lastName: 'Rossi',
        fiscalCode: MARIO_CF,
        phones: [{ number: '+39 347 123 4567' }],
        emails: [{ email: 'mario.rossi@example.it' }],
        tags: ['f2f'],
        source: 'face_to_face',
      },
      {
        firstName: 'Giuseppa',
        lastName: 'Verdi',
        fiscalCode: GIUSEPPA_CF,
        phones: [{ number: '06 9876 5432' }],
        source: 'web',
        status: 'lapsed',
      },
      {
        firstName: 'Nicolò',
        lastName: "D'Angelo",
        emails: [{ email: 'nico@example.org' }],
        tags: ['f2f', 'vip'],
        source: 'web',
      },
      { firstName: 'Anna', lastName: 'Rossi', source: 'drtv' },
      { firstName: 'Bruno', lastName: 'Rossi', source: 'drtv' },
      { firstName: 'Carla', lastName: 'Rossi', source: 'event', status: 'deceased' },
      { firstName: 'Dario', lastName: 'Zeta' },
    ];
    for (const person of people) {
      const response = await k.call({
        method: 'POST',
        url: `/api/organizations/${org}/supporters`,
        payload: person,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    }
  });

  async function names(query: string) {
    const response = await k.call({ method: 'GET', url: listUrl(query) });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items.map(
      (s: { firstName: string; lastName: string }) => `${s.lastName} ${s.firstName}`,
    );
  }

  it('pages through everyone in a stable order with an opaque cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: { status: number; body: Json } = await k.call({
        method: 'GET',
        url: listUrl(`limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      });
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(3);
      seen.push(
        ...response.body.items.map(
          (s: { lastName: string; firstName: string }) => `${s.lastName} ${s.firstName}`,
        ),
      );
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(await names('limit=200'));
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen.slice(0, 3)).toEqual(["D'Angelo Nicolò", 'Rossi Anna', 'Rossi Bruno']);
  });

  it('refuses a limit above 200 and a forged cursor', async () => {
    const big = await k.call({ method: 'GET', url: listUrl('limit=201') });
    expect(big.status).toBe(400);
    expect(big.body.errors[0].field).toContain('limit');
    const forged = await k.call({ method: 'GET', url: listUrl('cursor=bm90LWEtY3Vyc29y') });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('CURSOR_INVALID');
  });

  it.each([
    ['q=%2B39%20347%20123%204567', ['Rossi Mario']],
    ['q=3471234567', ['Rossi Mario']],
    ['q=347%201234567', ['Rossi Mario']],
    ['q=0698765432', ['Verdi Giuseppa']],
    ['q=mario%20rossi', ['Rossi Mario']],
    ['q=ROSSI', ['Rossi Anna', 'Rossi Bruno', 'Rossi Carla', 'Rossi Mario']],
    ['q=nicolo', ["D'Angelo Nicolò"]],
    ['q=dangelo', ["D'Angelo Nicolò"]],
    ['q=nico%40example.org', ["D'Angelo Nicolò"]],
    [`q=${GIUSEPPA_CF.toLowerCase()}`, ['Verdi Giuseppa']],
    ['q=vrdgpp', ['Verdi Giuseppa']],
    ['q=nobody', []],
    ['status=lapsed&status=deceased', ['Rossi Carla', 'Verdi Giuseppa']],
    ['source=drtv', ['Rossi Anna', 'Rossi Bruno']],
    ['tag=f2f', ["D'Angelo Nicolò", 'Rossi Mario']],
    ['tag=vip&q=nicolo', ["D'Angelo Nicolò"]],
    ['updatedSince=2999-01-01T00:00:00Z', []],
  ])('%s finds %j', async (query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it('keeps search_text current: after a change the new phone is found and the old one is not', async () => {
    const [mario] = (await k.call({ method: 'GET', url: listUrl('q=3471234567') })).body.items;
    const changed = await k.call({
      method: 'PATCH',
      url: `/api/organizations/${org}/supporters/${mario.id}`,
      payload: { version: mario.version, phones: [{ number: '+39 333 555 6666' }], lastName: 'Rossini' },
    });
    expect(changed.status).toBe(200);
    expect(await names('q=3471234567')).toEqual([]);
    expect(await names('q=333%20555%206666')).toEqual(['Rossini Mario']);
    expect(await names('q=rossini')).toEqual(['Rossini Mario']);
    const since = changed.body.updatedAt;
    expect(await names(`updatedSince=${encodeURIComponent(since)}`)).toEqual(['Rossini Mario']);
  });
});
