// The configuration API through inject(), on PGlite or PostgreSQL: what an
// admin configures is what the runtime will read, and what the engine or the
// graph check would refuse is refused at the edge with the failing field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestKit, createCrmTestKit, type Json } from '../supporters/crm-test-kit.ts';

let k: CrmTestKit;
const org = (orgId = k.alpha) => `/api/organizations/${orgId}`;
const post = (url: string, payload: object, role: Parameters<CrmTestKit['call']>[1] = 'admin') =>
  k.call({ method: 'POST', url, payload }, role);
const patch = (url: string, payload: object) => k.call({ method: 'PATCH', url, payload });
const get = (url: string, role: Parameters<CrmTestKit['call']>[1] = 'admin') =>
  k.call({ method: 'GET', url }, role);
const del = (url: string) => k.call({ method: 'DELETE', url });

async function auditActions(orgId: string): Promise<string[]> {
  const response = await get(`${org(orgId)}/audit-events?limit=500`);
  return response.body.items.map((event: Json) => event.action);
}

beforeAll(async () => {
  k = await createCrmTestKit();
});
afterAll(() => k.close());

describe('queues', () => {
  let care: Json;

  it('creates a queue with the engine defaults, audited', async () => {
    const response = await post(`${org()}/queues`, {
      key: 'donor-care',
      name: 'Donor care',
      skillExpression: "donor_care >= 5 && language == 'it'",
      serviceLevelSeconds: 30,
    });
    expect(response.status).toBe(201);
    care = response.body;
    expect(care).toMatchObject({
      key: 'donor-care',
      channel: 'voice',
      direction: 'inbound',
      strategy: 'longest-idle',
      overflow: [],
      hours: null,
      closedBehaviour: 'reject',
      wrapUpSeconds: 0,
      serviceLevelSeconds: 30,
    });
    expect(await auditActions(k.alpha)).toContain('queue.created');
    expect((await get(`${org()}/queues/${care.id}`)).body).toEqual(care);
  });

  it('answers 400 naming the field and the column of a bad skill expression', async () => {
    const response = await post(`${org()}/queues`, {
      key: 'broken',
      name: 'Broken',
      skillExpression: 'donor_care >= 5 & sepa',
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('QUEUE_INVALID');
    expect(response.body.errors).toEqual([
      {
        field: 'body.skillExpression',
        message: expect.stringMatching(/^invalid skill expression at column 17: /),
      },
    ]);
    expect((await get(`${org()}/queues`)).body.items.map((q: Json) => q.key)).toEqual(['donor-care']);
  });

  it('refuses a key the organization already has (409), not one another organization has', async () => {
    const again = await post(`${org()}/queues`, { key: 'donor-care', name: 'Again' });
    expect([again.status, again.body.code]).toEqual([409, 'QUEUE_KEY_TAKEN']);
    const beta = await post(`${org(k.beta)}/queues`, { key: 'donor-care', name: 'Beta care' });
    expect(beta.status).toBe(201);
  });

  it('checks references to other queues with the router, and keeps a referenced queue', async () => {
    const missing = await post(`${org()}/queues`, {
      key: 'overflowing',
      name: 'Overflowing',
      overflow: [{ afterSeconds: 30, addQueues: ['sepa'] }],
    });
    expect([missing.status, missing.body.errors]).toEqual([
      400,
      [{ field: 'body.overflow[0].addQueues', message: "no queue 'sepa'" }],
    ]);
    const sepa = await post(
      `${org()}/queues`,
      { key: 'sepa', name: 'SEPA', skillExpression: 'sepa >= 1' },
      'supervisor',
    );
    expect(sepa.status).toBe(201);
    const changed = await patch(`${org()}/queues/${care.id}`, {
      overflow: [
        { afterSeconds: 30, skills: 'donor_care >= 3' },
        { afterSeconds: 90, addQueues: ['sepa'] },
      ],
      maxWaitSeconds: 600,
      closedBehaviour: 'transfer',
      closedQueueKey: 'sepa',
      hours: {
        weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
        closedDates: ['2025-12-25'],
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ key: 'donor-care', maxWaitSeconds: 600, closedQueueKey: 'sepa' });
    const refused = await del(`${org()}/queues/${sepa.body.id}`);
    expect([refused.status, refused.body.code]).toEqual([409, 'QUEUE_IN_USE']);
    expect(refused.body.detail).toContain('queue "donor-care"');
    // Leaving 'transfer' drops its target; the overflow still needs sepa.
    const reopened = await patch(`${org()}/queues/${care.id}`, { closedBehaviour: 'reject' });
    expect(reopened.body.closedQueueKey).toBeNull();
    const badHours = await patch(`${org()}/queues/${care.id}`, {
      hours: { weekly: [{ days: ['mon'], from: '18:00', to: '09:00' }] },
    });
    expect([badHours.status, badHours.body.errors[0].field]).toEqual([400, 'body.hours.weekly[0]']);
  });

  it('lets operators and client viewers read queues, not change them', async () => {
    expect((await get(`${org()}/queues`, 'operator')).status).toBe(200);
    expect((await get(`${org()}/queues`, 'client_viewer')).body.items).toHaveLength(2);
    const refused = await post(`${org()}/queues`, { key: 'mine', name: 'Mine' }, 'operator');
    expect(refused.status).toBe(403);
  });

  it('deletes a queue nothing refers to, audited', async () => {
    const spare = await post(`${org()}/queues`, { key: 'spare', name: 'Spare' });
    expect((await del(`${org()}/queues/${spare.body.id}`)).status).toBe(204);
    expect((await get(`${org()}/queues/${spare.body.id}`)).status).toBe(404);
    expect(await auditActions(k.alpha)).toContain('queue.deleted');
  });
});

describe('IVR flows and numbers', () => {
  const definition = {
    entry: 'open',
    nodes: {
      open: {
        type: 'hours',
        hours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }] },
        open: 'menu',
        closed: 'closed',
      },
      menu: {
        type: 'menu',
        prompt: 'welcome',
        digits: { '1': 'care', '2': 'sepa' },
        timeoutSeconds: 5,
        retries: 2,
      },
      care: { type: 'queue', queue: 'donor-care' },
      sepa: { type: 'queue', queue: 'sepa' },
      closed: { type: 'message', prompt: 'closed' },
    },
  };
  let flowId = '';

  it('refuses a flow that is not a sound graph, naming each problem', async () => {
    const response = await post(`${org()}/ivr-flows`, {
      name: 'Broken',
      definition: {
        entry: 'menu',
        nodes: {
          menu: {
            type: 'menu',
            prompt: 'hi',
            digits: { '1': 'care', x: 'care' },
            timeoutSeconds: 120,
            retries: 1,
          },
          care: { type: 'queue', queue: 'no-such-queue' },
          lost: { type: 'hangup' },
        },
      },
    });
    expect([response.status, response.body.code]).toEqual([400, 'IVR_FLOW_INVALID']);
    expect(response.body.errors.map((e: Json) => e.field)).toEqual([
      'body.definition.nodes.menu.timeoutSeconds',
      'body.definition.nodes.menu.digits.x',
      'body.definition.nodes.care.queue',
    ]);
  });

  it('stores a valid flow; a queue it routes to cannot be deleted', async () => {
    const response = await post(`${org()}/ivr-flows`, { name: 'Numero verde', definition });
    expect(response.status).toBe(201);
    flowId = response.body.id;
    expect(response.body.definition).toEqual(definition);
    const queues = (await get(`${org()}/queues`)).body.items as Json[];
    // donor-care overflows to sepa; sepa is also in the flow. Free donor-care's overflow first.
    const care = queues.find((q) => q.key === 'donor-care');
    await patch(`${org()}/queues/${care.id}`, { overflow: [] });
    const sepa = queues.find((q) => q.key === 'sepa');
    const refused = await del(`${org()}/queues/${sepa.id}`);
    expect([refused.status, refused.body.detail]).toEqual([
      409,
      expect.stringContaining('IVR flow "Numero verde"'),
    ]);
  });

  it('stores numbers as E.164, unique across the center', async () => {
    const created = await post(`${org()}/numbers`, {
      e164: '800 123 456',
      kind: 'toll_free',
      ivrFlowId: flowId,
    });
    expect([created.status, created.body.e164, created.body.ivrFlowId]).toEqual([
      201,
      '+39800123456',
      flowId,
    ]);
    const again = await post(`${org(k.beta)}/numbers`, { e164: '+39 800 123456', kind: 'toll_free' });
    expect([again.status, again.body.code]).toEqual([409, 'NUMBER_TAKEN']);
    const read = await get(`${org()}/numbers/${encodeURIComponent('+39800123456')}`);
    expect(read.body.kind).toBe('toll_free');
    // Beta sees nothing of it.
    expect((await get(`${org(k.beta)}/numbers/${encodeURIComponent('+39800123456')}`)).status).toBe(404);
  });

  it('refuses a number that is not one, a toll-free kind for a geographic number, and another organization’s flow', async () => {
    const garbage = await post(`${org()}/numbers`, { e164: 'call me', kind: 'drtv' });
    expect([garbage.status, garbage.body.code, garbage.body.errors[0].field]).toEqual([
      400,
      'NUMBER_INVALID',
      'body.e164',
    ]);
    const geographic = await post(`${org()}/numbers`, { e164: '02 1234 5678', kind: 'toll_free' });
    expect([geographic.status, geographic.body.errors[0].field]).toEqual([400, 'body.kind']);
    const betaFlow = await post(`${org(k.beta)}/ivr-flows`, {
      name: 'Beta',
      definition: { entry: 'bye', nodes: { bye: { type: 'hangup' } } },
    });
    const foreign = await post(`${org()}/numbers`, {
      e164: '02 1234 5678',
      kind: 'geographic',
      ivrFlowId: betaFlow.body.id,
    });
    expect([foreign.status, foreign.body.code]).toEqual([400, 'IVR_FLOW_NOT_FOUND']);
  });

  it('keeps a flow that answers a number, and lets it go once the number points elsewhere', async () => {
    const refused = await del(`${org()}/ivr-flows/${flowId}`);
    expect([refused.status, refused.body.code]).toEqual([409, 'IVR_FLOW_IN_USE']);
    const moved = await patch(`${org()}/numbers/${encodeURIComponent('+39800123456')}`, {
      ivrFlowId: null,
      label: 'Spot TV',
    });
    expect([moved.status, moved.body.ivrFlowId, moved.body.label]).toEqual([200, null, 'Spot TV']);
    expect((await del(`${org()}/ivr-flows/${flowId}`)).status).toBe(204);
    expect((await del(`${org()}/numbers/${encodeURIComponent('+39800123456')}`)).status).toBe(204);
    const actions = await auditActions(k.alpha);
    for (const action of [
      'ivr_flow.created',
      'ivr_flow.deleted',
      'number.created',
      'number.updated',
      'number.deleted',
    ])
      expect(actions).toContain(action);
  });
});

describe('calling windows', () => {
  it('validates periods, holidays and the time zone, naming each field', async () => {
    const response = await post(`${org()}/calling-windows`, {
      name: 'Bad',
      timeZone: 'Europe/Milano',
      weekly: [{ days: ['mon'], from: '09:00', to: '25:00' }],
      holidays: ['2025-13-01'],
    });
    expect([response.status, response.body.code]).toEqual([400, 'CALLING_WINDOW_INVALID']);
    expect(response.body.errors.map((e: Json) => e.field)).toEqual([
      'body.timeZone',
      'body.weekly[0].to',
      'body.holidays[0]',
    ]);
  });

  it('stores a window (Europe/Rome by default, holidays sorted) and changes it', async () => {
    const created = await post(`${org()}/calling-windows`, {
      name: 'Giorni feriali',
      weekly: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '13:00' },
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '14:00', to: '20:00' },
        { days: ['sat'], from: '10:00', to: '13:00' },
      ],
      holidays: ['2025-12-25', '2025-08-15'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ timeZone: 'Europe/Rome', holidays: ['2025-08-15', '2025-12-25'] });
    const changed = await patch(`${org()}/calling-windows/${created.body.id}`, { holidays: ['2026-01-06'] });
    expect(changed.body.holidays).toEqual(['2026-01-06']);
    const overlap = await patch(`${org()}/calling-windows/${created.body.id}`, {
      weekly: [
        { days: ['mon'], from: '09:00', to: '13:00' },
        { days: ['mon'], from: '12:00', to: '14:00' },
      ],
    });
    expect([overlap.status, overlap.body.errors[0]]).toEqual([
      400,
      { field: 'body.weekly[1]', message: 'overlaps body.weekly[0] on mon' },
    ]);
    expect((await get(`${org()}/calling-windows`, 'planner')).body.items).toHaveLength(1);
  });
});

describe('dispositions', () => {
  it('lists the built-in ones to every organization, read-only', async () => {
    const list = await get(`${org()}/dispositions`, 'operator');
    const builtIn = list.body.items.filter((d: Json) => d.builtIn);
    expect(builtIn.map((d: Json) => d.code).sort()).toEqual(
      [
        'call_back',
        'conversion_accepted',
        'deceased',
        'do_not_call',
        'not_interested',
        'reached',
        'recapture_accepted',
        'upgrade_accepted',
        'wrong_number',
      ].sort(),
    );
    const upgrade = builtIn.find((d: Json) => d.code === 'upgrade_accepted');
    expect(upgrade).toMatchObject({ labelIt: 'Aumento accettato', cycleType: 'upgrade', successful: true });
    const change = await patch(`${org()}/dispositions/${upgrade.id}`, { labelEn: 'Mine now' });
    expect([change.status, change.body.code]).toEqual([409, 'DISPOSITION_BUILT_IN']);
    expect((await del(`${org()}/dispositions/${upgrade.id}`)).status).toBe(409);
  });

  it('a tenant unit of work cannot change or delete a built-in row even without the API', async () => {
    const [deleted, updated] = await k.db.forOrg(k.alpha, async (tx) => [
      await tx.deleteFrom('dispositions').where('org_id', 'is', null).executeTakeFirst(),
      await tx
        .updateTable('dispositions')
        .set({ label_en: 'x' })
        .where('org_id', 'is', null)
        .executeTakeFirst(),
    ]);
    expect([Number(deleted.numDeletedRows), Number(updated.numUpdatedRows)]).toEqual([0, 0]);
  });

  it('adds custom dispositions per organization, filtered by cycle', async () => {
    const created = await post(`${org()}/dispositions`, {
      code: 'moved_abroad',
      labelIt: 'Trasferito all’estero',
      labelEn: 'Moved abroad',
      effect: 'wrong_number',
      cycleType: 'welcome',
    });
    expect([created.status, created.body.builtIn, created.body.successful]).toEqual([201, false, false]);
    const shadow = await post(`${org()}/dispositions`, {
      code: 'reached',
      labelIt: 'R',
      labelEn: 'R',
      effect: 'none',
    });
    expect([shadow.status, shadow.body.code]).toEqual([409, 'DISPOSITION_CODE_TAKEN']);
    const welcome = (await get(`${org()}/dispositions?cycleType=welcome`)).body.items.map(
      (d: Json) => d.code,
    );
    expect(welcome).toContain('moved_abroad');
    expect(welcome).not.toContain('upgrade_accepted');
    expect(
      (await get(`${org()}/dispositions?cycleType=upgrade`)).body.items.map((d: Json) => d.code),
    ).not.toContain('moved_abroad');
    expect((await get(`${org(k.beta)}/dispositions`)).body.items.map((d: Json) => d.code)).not.toContain(
      'moved_abroad',
    );
    const changed = await patch(`${org()}/dispositions/${created.body.id}`, {
      successful: true,
      cycleType: null,
    });
    expect([changed.body.successful, changed.body.cycleType]).toEqual([true, null]);
    expect((await del(`${org()}/dispositions/${created.body.id}`)).status).toBe(204);
  });
});

describe('skills and operators', () => {
  let operatorId = '';
  beforeAll(async () => {
    const users = await get('/api/users');
    operatorId = users.body.items.find((u: Json) => u.email === 'operator@example.test').id;
  });

  it('keeps skill keys unique across the center; an organization sees its own and the center’s', async () => {
    expect((await post('/api/skills', { key: 'english', label: 'English' })).status).toBe(201);
    expect((await post(`${org()}/skills`, { key: 'donor_care', label: 'Donor care' })).status).toBe(201);
    const taken = await post(`${org(k.beta)}/skills`, { key: 'english', label: 'English' });
    expect([taken.status, taken.body.code]).toEqual([409, 'SKILL_KEY_TAKEN']);
    const alpha = (await get(`${org()}/skills`)).body.items.map((s: Json) => [s.key, s.scope]);
    expect(alpha).toEqual([
      ['donor_care', 'organization'],
      ['english', 'center'],
    ]);
    expect((await get(`${org(k.beta)}/skills`)).body.items.map((s: Json) => s.key)).toEqual(['english']);
    // The center-wide skill is not the organization's to delete.
    expect((await del(`${org()}/skills/english`)).status).toBe(404);
  });

  it('sets an operator’s skills (known keys only) and refuses to delete a skill someone has', async () => {
    const unknown = await k.call({
      method: 'PUT',
      url: `/api/operators/${operatorId}/skills`,
      payload: {
        skills: [
          { skillKey: 'english', level: 7 },
          { skillKey: 'klingon', level: 3 },
        ],
      },
    });
    expect([unknown.status, unknown.body.errors]).toEqual([
      400,
      [{ field: 'body.skills[1].skillKey', message: "no skill 'klingon'" }],
    ]);
    const set = await k.call({
      method: 'PUT',
      url: `/api/operators/${operatorId}/skills`,
      payload: {
        skills: [
          { skillKey: 'english', level: 7 },
          { skillKey: 'donor_care', level: 9 },
        ],
      },
    });
    expect(set.body.items).toEqual([
      { skillKey: 'donor_care', level: 9 },
      { skillKey: 'english', level: 7 },
    ]);
    expect((await get(`/api/operators/${operatorId}/skills`, 'supervisor')).body.items).toHaveLength(2);
    const inUse = await del(`${org()}/skills/donor_care`);
    expect([inUse.status, inUse.body.code]).toEqual([409, 'SKILL_IN_USE']);
    await k.call({ method: 'PUT', url: `/api/operators/${operatorId}/skills`, payload: { skills: [] } });
    expect((await del(`${org()}/skills/donor_care`)).status).toBe(204);
  });

  it('keeps an operator profile: one voice call until set', async () => {
    expect((await get(`/api/operators/${operatorId}/profile`)).body).toMatchObject({
      capacity: { voice: 1 },
      maxTasks: null,
      updatedAt: null,
    });
    const set = await k.call({
      method: 'PUT',
      url: `/api/operators/${operatorId}/profile`,
      payload: { capacity: { voice: 1, chat: 3 }, maxTasks: 3, attributes: { language: ['it', 'en'] } },
    });
    expect(set.body).toMatchObject({
      capacity: { voice: 1, chat: 3 },
      maxTasks: 3,
      attributes: { language: ['it', 'en'] },
    });
    expect((await get(`/api/operators/${operatorId}/profile`)).body.capacity).toEqual({ voice: 1, chat: 3 });
    const viewer = (await get('/api/users')).body.items.find((u: Json) => u.role === 'client_viewer').id;
    expect((await get(`/api/operators/${viewer}/profile`)).status).toBe(404);
  });
});
