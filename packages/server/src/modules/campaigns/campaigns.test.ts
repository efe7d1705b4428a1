// Campaign configuration through the API: declarative eligibility filters and
// pacing are checked by the schema, the queue and calling window against the
// organization's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestKit, createCrmTestKit, type Json } from '../supporters/crm-test-kit.ts';

let k: CrmTestKit;
const org = (orgId = k.alpha) => `/api/organizations/${orgId}`;
let outboundQueue = '';
let inboundQueue = '';
let window = '';

beforeAll(async () => {
  k = await createCrmTestKit();
  const queue = async (key: string, direction: string) =>
    (await k.call({ method: 'POST', url: `${org()}/queues`, payload: { key, name: key, direction } })).body
      .id;
  outboundQueue = await queue('welcome-calls', 'outbound');
  inboundQueue = await queue('care', 'inbound');
  window = (
    await k.call({
      method: 'POST',
      url: `${org()}/calling-windows`,
      payload: {
        name: 'Feriali',
        weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '20:00' }],
      },
    })
  ).body.id;
});
afterAll(() => k.close());

describe('campaigns', () => {
  let welcome: Json;

  it('creates a welcome cycle with its filters, pacing, retries, queue and calling window', async () => {
    const response = await k.call({
      method: 'POST',
      url: `${org()}/campaigns`,
      payload: {
        name: 'Benvenuto',
        cycleType: 'welcome',
        eligibility: [
          { kind: 'commitment_started_within_days', days: 7 },
          { kind: 'no_contact_in_cycle', cycleType: 'welcome' },
        ],
        pacing: { mode: 'progressive' },
        retryPolicy: {
          noAnswer: { retryAfterMinutes: 120, maxAttempts: 3 },
          busy: { retryAfterMinutes: 15 },
        },
        queueId: outboundQueue,
        callingWindowId: window,
        script: 'Buongiorno {{firstName}}, la chiamo da…',
      },
    });
    expect(response.status).toBe(201);
    welcome = response.body;
    expect(welcome).toMatchObject({
      status: 'draft',
      refreshMinutes: 60,
      maxAttempts: 5,
      registerCheckMaxAgeDays: null,
      eligibility: [
        { kind: 'commitment_started_within_days', days: 7 },
        { kind: 'no_contact_in_cycle', cycleType: 'welcome' },
      ],
      retryPolicy: { noAnswer: { retryAfterMinutes: 120, maxAttempts: 3 }, busy: { retryAfterMinutes: 15 } },
    });
    expect(
      (await k.call({ method: 'GET', url: `${org()}/campaigns/${welcome.id}` }, 'client_viewer')).body,
    ).toEqual(welcome);
  });

  it('refuses filters, pacing and retries outside the schema, naming the field', async () => {
    const bad = async (payload: object) =>
      (
        await k.call({
          method: 'POST',
          url: `${org()}/campaigns`,
          payload: { name: 'X', cycleType: 'upgrade', ...payload },
        })
      ).body;
    expect((await bad({ eligibility: [{ kind: 'lives_in', city: 'Roma' }] })).errors[0].field).toMatch(
      /^body\.eligibility\.0/,
    );
    expect((await bad({ eligibility: [{ kind: 'gift_within_days', days: 0 }] })).code).toBe(
      'VALIDATION_FAILED',
    );
    // 3 % is the legal ceiling of the drop rate (DOMAIN.md §4): 5 % is refused.
    expect((await bad({ pacing: { mode: 'predictive', ceiling: 0.05 } })).errors[0].field).toBe(
      'body.pacing.ceiling',
    );
    expect((await bad({ retryPolicy: { engaged: { retryAfterMinutes: 5 } } })).errors[0].field).toBe(
      'body.retryPolicy.engaged',
    );
  });

  it('refuses a script with an unknown merge field or a malformed placeholder, naming each, and writes nothing', async () => {
    const created = await k.call({
      method: 'POST',
      url: `${org()}/campaigns`,
      payload: {
        name: 'Refusi',
        cycleType: 'upgrade',
        script: 'Buongiorno {{nome}}, {{firstName}} {{nome}} da {{operatore}}',
      },
    });
    expect(created.status).toBe(400);
    expect(created.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(created.body.code).toBe('CAMPAIGN_SCRIPT_INVALID');
    expect(created.body.errors.map((e: Json) => e.field)).toEqual(['body.script', 'body.script']);
    expect(created.body.errors[0].message).toMatch(
      /^unknown merge field \{\{nome\}\}; known fields: firstName, /,
    );
    expect(created.body.errors[1].message).toMatch(/^unknown merge field \{\{operatore\}\}/);

    const unclosed = await k.call({
      method: 'PATCH',
      url: `${org()}/campaigns/${welcome.id}`,
      payload: { script: 'Buongiorno {{firstName, la chiamo da…', status: 'active' },
    });
    expect([unclosed.status, unclosed.body.code, unclosed.body.errors]).toEqual([
      400,
      'CAMPAIGN_SCRIPT_INVALID',
      [
        {
          field: 'body.script',
          message: 'malformed placeholder "{{firstName, la chiamo da…" at character 11: has no closing }}',
        },
      ],
    ]);
    const unknown = await k.call({
      method: 'PATCH',
      url: `${org()}/campaigns/${welcome.id}`,
      payload: { script: 'Buongiorno {{supporter.firstName}}' },
    });
    expect([unknown.status, unknown.body.errors[0].message]).toEqual([
      400,
      expect.stringMatching(/^unknown merge field \{\{supporter\.firstName\}\}/),
    ]);
    const stored = (await k.call({ method: 'GET', url: `${org()}/campaigns/${welcome.id}` })).body;
    expect([stored.script, stored.status]).toEqual(['Buongiorno {{firstName}}, la chiamo da…', 'draft']);
    expect((await k.call({ method: 'GET', url: `${org()}/campaigns` })).body.items).toHaveLength(1);
  });

  it('accepts a script with known fields in either spelling, repeated, or none', async () => {
    for (const script of [
      '{{ first_name }} {{lastName}}, {{amount}} {{frequency}}: {{firstName}}',
      'Nessun campo',
      '',
    ]) {
      const changed = await k.call({
        method: 'PATCH',
        url: `${org()}/campaigns/${welcome.id}`,
        payload: { script },
      });
      expect([changed.status, changed.body.script]).toEqual([200, script]);
    }
    const restored = await k.call({
      method: 'PATCH',
      url: `${org()}/campaigns/${welcome.id}`,
      payload: { script: 'Buongiorno {{firstName}}, la chiamo da…' },
    });
    expect(restored.status).toBe(200);
  });

  it('dials through an outbound queue and a calling window of the organization only', async () => {
    const inbound = await k.call({
      method: 'PATCH',
      url: `${org()}/campaigns/${welcome.id}`,
      payload: { queueId: inboundQueue },
    });
    expect([inbound.status, inbound.body.errors[0].field]).toEqual([400, 'body.queueId']);
    const betaWindow = await k.call({
      method: 'POST',
      url: `${org(k.beta)}/calling-windows`,
      payload: { name: 'Beta', weekly: [{ days: ['mon'], from: '09:00', to: '18:00' }] },
    });
    const foreign = await k.call({
      method: 'PATCH',
      url: `${org()}/campaigns/${welcome.id}`,
      payload: { callingWindowId: betaWindow.body.id },
    });
    expect([foreign.status, foreign.body.errors[0].field]).toEqual([400, 'body.callingWindowId']);
    const window409 = await k.call({ method: 'DELETE', url: `${org()}/calling-windows/${window}` });
    expect([window409.status, window409.body.code]).toEqual([409, 'CALLING_WINDOW_IN_USE']);
  });

  it('changes status and pacing; operators read campaigns but cannot change them', async () => {
    const active = await k.call(
      {
        method: 'PATCH',
        url: `${org()}/campaigns/${welcome.id}`,
        payload: { status: 'active', pacing: { mode: 'power', ratio: 1.5 } },
      },
      'supervisor',
    );
    expect([active.status, active.body.status, active.body.pacing]).toEqual([
      200,
      'active',
      { mode: 'power', ratio: 1.5 },
    ]);
    expect((await k.call({ method: 'GET', url: `${org()}/campaigns` }, 'operator')).body.items).toHaveLength(
      1,
    );
    const refused = await k.call(
      { method: 'PATCH', url: `${org()}/campaigns/${welcome.id}`, payload: { status: 'paused' } },
      'operator',
    );
    expect(refused.status).toBe(403);
  });

  it('keeps a campaign with interactions (409) and deletes one without, call list included', async () => {
    const supporter = await k.call({
      method: 'POST',
      url: `${org()}/supporters`,
      payload: { lastName: 'Rossi' },
    });
    await k.db.forOrg(k.alpha, async (tx) => {
      await tx
        .insertInto('campaign_contacts')
        .values({
          org_id: k.alpha,
          campaign_id: welcome.id,
          supporter_id: supporter.body.id,
          phone: '+393471234567',
        })
        .execute();
      await tx
        .insertInto('interactions')
        .values({
          org_id: k.alpha,
          direction: 'outbound',
          campaign_id: welcome.id,
          supporter_id: supporter.body.id,
        })
        .execute();
    });
    const kept = await k.call({ method: 'DELETE', url: `${org()}/campaigns/${welcome.id}` });
    expect([kept.status, kept.body.code]).toEqual([409, 'CAMPAIGN_IN_USE']);
    const spare = await k.call({
      method: 'POST',
      url: `${org()}/campaigns`,
      payload: { name: 'Spare', cycleType: 'one_off' },
    });
    await k.db.forOrg(k.alpha, (tx) =>
      tx
        .insertInto('campaign_contacts')
        .values({
          org_id: k.alpha,
          campaign_id: spare.body.id,
          supporter_id: supporter.body.id,
          phone: '+393471234567',
        })
        .execute(),
    );
    expect((await k.call({ method: 'DELETE', url: `${org()}/campaigns/${spare.body.id}` })).status).toBe(204);
    const left = await k.db.forOrg(k.alpha, (tx) =>
      tx.selectFrom('campaign_contacts').select('campaign_id').execute(),
    );
    expect(left.map((row) => row.campaign_id)).toEqual([welcome.id]);
    const actions = (await k.call({ method: 'GET', url: `${org()}/audit-events?limit=500` })).body.items.map(
      (e: Json) => e.action,
    );
    for (const action of ['campaign.created', 'campaign.updated', 'campaign.deleted'])
      expect(actions).toContain(action);
  });

  it('still changes a campaign whose script was stored before the check, as long as the script is left alone', async () => {
    await k.db.forOrg(k.alpha, (tx) =>
      tx.updateTable('campaigns').set({ script: 'Ciao {{nickname}}' }).where('id', '=', welcome.id).execute(),
    );
    const paused = await k.call({
      method: 'PATCH',
      url: `${org()}/campaigns/${welcome.id}`,
      payload: { status: 'paused' },
    });
    expect([paused.status, paused.body.status, paused.body.script]).toEqual([
      200,
      'paused',
      'Ciao {{nickname}}',
    ]);
  });
});
