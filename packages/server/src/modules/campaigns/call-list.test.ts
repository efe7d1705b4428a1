// Call lists built from eligibility filters over hand-made CRM data, the
// consent / do-not-call / register checks at list build with their reasons
// (through the API too), removal, idempotence, the scheduled refresh, and
// tenant isolation. The clock is fixed: Tuesday 10 March 2026, 11:00 in Rome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../db/database.ts';
import { type CrmTestKit, createCrmTestKit, type Json } from '../supporters/crm-test-kit.ts';
import { addPhoneConsent, addRegisterCheck, addSupporter, daysBefore } from './call-list.fixtures.ts';
import { listCallList, refreshCallList, refreshDueCallLists } from './call-list.service.ts';
import { type CampaignInput, createCampaign, type EligibilityFilter } from './campaigns.service.ts';

let k: CrmTestKit;
const at = new Date('2026-03-10T10:00:00Z');
const org = (orgId = k.alpha) => `/api/organizations/${orgId}`;
const work = <T>(fn: (tx: Tx) => Promise<T>, orgId = k.alpha) => k.db.forOrg(orgId, fn);

const supporter = (
  lastName: string,
  options: Omit<Parameters<typeof addSupporter>[3], 'checkedBefore'> & { orgId?: string } = {},
) => addSupporter(k.db, options.orgId ?? k.alpha, lastName, { ...options, checkedBefore: at });

const registerCheck = (tx: Tx, orgId: string, number: string, daysAgo: number) =>
  addRegisterCheck(tx, orgId, number, daysBefore(at, daysAgo));

const day = (daysAgo: number) => new Date(at.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);

async function commitment(
  supporterId: string,
  options: { startDaysAgo: number; status?: 'active' | 'cancelled' | 'lapsed'; endedDaysAgo?: number },
) {
  await work(async (tx) => {
    const row = await tx
      .insertInto('commitments')
      .values({
        org_id: k.alpha,
        supporter_id: supporterId,
        amount_cents: 1500,
        frequency: 'monthly',
        method: 'card',
        start_date: day(options.startDaysAgo),
        status: options.status ?? 'active',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (options.endedDaysAgo !== undefined) {
      await tx
        .insertInto('commitment_events')
        .values({
          org_id: k.alpha,
          commitment_id: row.id,
          supporter_id: supporterId,
          at: new Date(at.getTime() - options.endedDaysAgo * 86_400_000),
          kind: 'status_changed',
          from_status: 'active',
          to_status: options.status ?? 'active',
        })
        .execute();
    }
  });
}

async function gift(supporterId: string, daysAgo: number, cents: number, status = 'collected' as const) {
  await work((tx) =>
    tx
      .insertInto('gifts')
      .values({
        org_id: k.alpha,
        supporter_id: supporterId,
        gift_date: day(daysAgo),
        amount_cents: cents,
        method: 'card',
        status,
      })
      .execute(),
  );
}

const phoneConsent = (orgId: string, supporterId: string, granted: boolean, recordedAt: Date) =>
  addPhoneConsent(k.db, orgId, supporterId, granted, recordedAt);

async function campaign(
  name: string,
  eligibility: EligibilityFilter[],
  extra: Partial<CampaignInput> = {},
  orgId = k.alpha,
) {
  return createCampaign({
    db: k.db,
    principal: null,
    orgId,
    input: { name, cycleType: 'custom', eligibility, ...extra },
  });
}

async function listed(orgId: string, campaignId: string) {
  const page = await listCallList({ db: k.db, orgId, campaignId, limit: 500 });
  return page.items;
}
const names = async (campaignId: string) => (await listed(k.alpha, campaignId)).map((c) => c.lastName).sort();

beforeAll(async () => {
  k = await createCrmTestKit();
});
afterAll(() => k.close());

describe('eligibility filters', () => {
  it('each filter kind selects the right supporters', async () => {
    const anna = await supporter('Anna'); // regular gift started 5 days ago
    await commitment(anna.id, { startDaysAgo: 5 });
    const bruno = await supporter('Bruno'); // started 9 days ago
    await commitment(bruno.id, { startDaysAgo: 9 });
    const carla = await supporter('Carla'); // started 4 days ago, already reached by another welcome campaign
    await commitment(carla.id, { startDaysAgo: 4 });
    const rita = await supporter('Rita', { status: 'deceased' }); // started 2 days ago, deceased
    await commitment(rita.id, { startDaysAgo: 2 });
    const dario = await supporter('Dario'); // lapsed 59 days ago
    await commitment(dario.id, { startDaysAgo: 400, status: 'lapsed', endedDaysAgo: 59 });
    const elena = await supporter('Elena'); // cancelled 160 days ago
    await commitment(elena.id, { startDaysAgo: 800, status: 'cancelled', endedDaysAgo: 160 });
    const franco = await supporter('Franco'); // lapsed 30 days ago but gives again
    await commitment(franco.id, { startDaysAgo: 400, status: 'lapsed', endedDaysAgo: 30 });
    await commitment(franco.id, { startDaysAgo: 20 });
    const marco = await supporter('Marco'); // active for 15 months
    await commitment(marco.id, { startDaysAgo: 460 });
    const gina = await supporter('Gina'); // 150 € 9 days ago
    await gift(gina.id, 9, 15_000);
    const ugo = await supporter('Ugo'); // 50 € 5 days ago
    await gift(ugo.id, 5, 5_000);
    const ivo = await supporter('Ivo'); // 200 € 18 days ago
    await gift(ivo.id, 18, 20_000);
    const lia = await supporter('Lia'); // 120 € 2 days ago, refunded
    await gift(lia.id, 2, 12_000, 'refunded' as 'collected');
    await supporter('Nico', { status: 'lapsed' });
    await supporter('Olga', { tags: ['vip'] });
    await supporter('Pia', { source: 'drtv' });

    const oldWelcome = await campaign('Benvenuto 2025', [], { cycleType: 'welcome' });
    await work((tx) =>
      tx
        .insertInto('interactions')
        .values({
          org_id: k.alpha,
          direction: 'outbound',
          campaign_id: oldWelcome.id,
          supporter_id: carla.id,
          outcome: 'reached',
        })
        .execute(),
    );

    const cases: [EligibilityFilter[], string[]][] = [
      [[{ kind: 'commitment_started_within_days', days: 7 }], ['Anna', 'Carla']],
      [
        [
          { kind: 'commitment_started_within_days', days: 7 },
          { kind: 'no_contact_in_cycle', cycleType: 'welcome' },
        ],
        ['Anna'],
      ],
      [[{ kind: 'commitment_ended_within_days', days: 90 }], ['Dario']],
      [[{ kind: 'commitment_active_for_months', months: 12 }], ['Marco']],
      [[{ kind: 'gift_within_days', days: 14, minAmountCents: 10_000 }], ['Gina']],
      [
        [{ kind: 'no_active_commitment' }, { kind: 'gift_within_days', days: 30 }],
        ['Gina', 'Ivo', 'Ugo'],
      ],
      [[{ kind: 'supporter_status', statuses: ['lapsed'] }], ['Nico']],
      [[{ kind: 'tag', tag: 'vip' }], ['Olga']],
      [[{ kind: 'source', sources: ['drtv'] }], ['Pia']],
    ];
    for (const [i, [filters, expected]] of cases.entries()) {
      const c = await campaign(`Filtri ${i}`, filters, { cycleType: 'welcome' });
      const counts = await refreshCallList(k.db, { orgId: k.alpha, campaignId: c.id, at });
      expect({ filters, names: await names(c.id) }).toEqual({ filters, names: expected });
      expect(counts).toMatchObject({
        total: expected.length,
        added: expected.length,
        pending: expected.length,
      });
    }
    // The welcome window passes: 3 days later Anna (started 8 days before) leaves the list.
    const welcome = await campaign('Benvenuto', [{ kind: 'commitment_started_within_days', days: 7 }]);
    await refreshCallList(k.db, { orgId: k.alpha, campaignId: welcome.id, at });
    const later = new Date(at.getTime() + 3 * 86_400_000);
    const counts = await refreshCallList(k.db, { orgId: k.alpha, campaignId: welcome.id, at: later });
    expect(counts).toMatchObject({ total: 1, added: 0, removed: 1 });
    expect(await names(welcome.id)).toEqual(['Carla']);
    const removed = await listCallList({
      db: k.db,
      orgId: k.alpha,
      campaignId: welcome.id,
      status: 'removed',
      limit: 10,
    });
    expect(removed.items.map((c) => c.lastName)).toEqual(['Anna']);
  });
});

describe('checks at list build', () => {
  let checks = '';
  const people: Record<string, { id: string; numbers: string[] }> = {};

  it('blocks with a readable reason, chooses the callable phone, lists no supporter without a number', async () => {
    const tags = ['controlli'];
    people.revoked = await supporter('Revocato', { tags });
    await phoneConsent(k.alpha, people.revoked.id, true, new Date('2025-01-01T00:00:00Z'));
    await phoneConsent(k.alpha, people.revoked.id, false, new Date('2025-06-01T00:00:00Z'));
    people.regranted = await supporter('Riconcesso', { tags });
    await phoneConsent(k.alpha, people.regranted.id, false, new Date('2025-01-01T00:00:00Z'));
    await phoneConsent(k.alpha, people.regranted.id, true, new Date('2025-06-01T00:00:00Z'));
    people.listed = await supporter('Elenco', { tags });
    await k.call({ method: 'POST', url: `${org()}/dnc`, payload: { number: people.listed.numbers[0] } });
    people.unchecked = await supporter('Senzaverifica', { tags, phones: [{ checkedDaysAgo: null }] });
    // 20 days: stale for this campaign (10 days), fresh for the organization (30 days).
    people.stale = await supporter('Scaduta', { tags, phones: [{ checkedDaysAgo: 20 }] });
    people.registered = await supporter('Iscritto', { tags, phones: [{ registered: true }] });
    people.invalid = await supporter('Invalido', { tags, phones: [{ number: '0612', valid: false }] });
    people.nophone = await supporter('Senzatelefono', { tags, phones: [] });
    people.tollfree = await supporter('Verde', {
      tags,
      phones: [{ number: '+39800123456', kind: 'toll_free' }],
    });
    // The primary landline is on the do-not-call list: the mobile is dialed.
    people.twoNumbers = await supporter('Duenumeri', {
      tags,
      phones: [{ kind: 'fixed_line', primary: true }, { kind: 'mobile' }],
    });
    await k.call({ method: 'POST', url: `${org()}/dnc`, payload: { number: people.twoNumbers.numbers[0] } });
    people.primary = await supporter('Primario', {
      tags,
      phones: [{ kind: 'mobile' }, { kind: 'fixed_line', primary: true }],
    });
    people.mobile = await supporter('Cellulare', {
      tags,
      phones: [{ kind: 'fixed_line' }, { kind: 'mobile' }],
    });

    checks = (
      await campaign('Controlli', [{ kind: 'tag', tag: 'controlli' }], { registerCheckMaxAgeDays: 10 })
    ).id;
    const counts = await refreshCallList(k.db, { orgId: k.alpha, campaignId: checks, at });
    expect(counts).toEqual({ total: 10, added: 10, removed: 0, blocked: 6, pending: 4, withoutPhone: 2 });

    const page = await k.call(
      { method: 'GET', url: `${org()}/campaigns/${checks}/call-list?limit=100` },
      'supervisor',
    );
    expect(page.status).toBe(200);
    const byName = Object.fromEntries(page.body.items.map((c: Json) => [c.lastName, c]));
    expect(
      Object.fromEntries(page.body.items.map((c: Json) => [c.lastName, c.blockedReason ?? c.status])),
    ).toEqual({
      Revocato: 'consent_revoked',
      Riconcesso: 'pending',
      Elenco: 'do_not_call_list',
      Senzaverifica: 'register_check_missing',
      Scaduta: 'register_check_stale',
      Iscritto: 'registered_in_register',
      Invalido: 'no_valid_phone',
      Duenumeri: 'pending',
      Primario: 'pending',
      Cellulare: 'pending',
    });
    expect(byName.Revocato).toMatchObject({ status: 'blocked', attempts: 0, nextAttemptAt: null });
    expect(byName.Duenumeri.phone).toBe(people.twoNumbers.numbers[1]);
    expect(byName.Primario.phone).toBe(people.primary.numbers[1]);
    expect(byName.Cellulare.phone).toBe(people.mobile.numbers[1]);
    // A toll-free number is never dialed; that supporter counts as without a phone, so Verde is not listed.
    expect(byName.Verde).toBeUndefined();
  });

  it('reads the blocked contacts by status, page by page', async () => {
    const first = await k.call({
      method: 'GET',
      url: `${org()}/campaigns/${checks}/call-list?status=blocked&limit=4`,
    });
    expect(first.body.items).toHaveLength(4);
    const second = await k.call({
      method: 'GET',
      url: `${org()}/campaigns/${checks}/call-list?status=blocked&limit=4&cursor=${first.body.nextCursor}`,
    });
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const reasons = [...first.body.items, ...second.body.items].map((c: Json) => c.blockedReason).sort();
    expect(reasons).toEqual([
      'consent_revoked',
      'do_not_call_list',
      'no_valid_phone',
      'register_check_missing',
      'register_check_stale',
      'registered_in_register',
    ]);
    const bad = await k.call({ method: 'GET', url: `${org()}/campaigns/${checks}/call-list?cursor=nope` });
    expect([bad.status, bad.body.code]).toEqual([400, 'CURSOR_INVALID']);
  });

  it('is idempotent, unblocks a contact whose reason went away, removes and re-adds', async () => {
    const before = await listed(k.alpha, checks);
    const again = await refreshCallList(k.db, { orgId: k.alpha, campaignId: checks, at });
    expect(again).toEqual({ total: 10, added: 0, removed: 0, blocked: 6, pending: 4, withoutPhone: 2 });
    expect(await listed(k.alpha, checks)).toEqual(before);

    await work((tx) => registerCheck(tx, k.alpha, people.unchecked!.numbers[0]!, 0));
    await k.call({ method: 'DELETE', url: `${org()}/dnc/${encodeURIComponent(people.listed!.numbers[0]!)}` });
    await phoneConsent(k.alpha, people.revoked!.id, true, new Date('2026-03-01T00:00:00Z'));
    const unblocked = await refreshCallList(k.db, { orgId: k.alpha, campaignId: checks, at });
    expect(unblocked).toMatchObject({ added: 0, blocked: 3, pending: 7 });

    await work((tx) =>
      tx.updateTable('supporters').set({ tags: [] }).where('id', '=', people.regranted!.id).execute(),
    );
    expect(await refreshCallList(k.db, { orgId: k.alpha, campaignId: checks, at })).toMatchObject({
      total: 9,
      removed: 1,
      added: 0,
    });
    await work((tx) =>
      tx
        .updateTable('supporters')
        .set({ tags: ['controlli'] })
        .where('id', '=', people.regranted!.id)
        .execute(),
    );
    expect(await refreshCallList(k.db, { orgId: k.alpha, campaignId: checks, at })).toMatchObject({
      total: 10,
      removed: 0,
      added: 1,
    });
  });

  it('keeps the list to its organization', async () => {
    const betaCampaign = await campaign('Beta', [], {}, k.beta);
    const foreign = await k.call(
      { method: 'GET', url: `${org(k.beta)}/campaigns/${betaCampaign.id}/call-list` },
      'supervisor',
    );
    // Another organization's list does not exist for this supervisor (404, not 403: nothing to learn).
    expect([foreign.status, foreign.body.code]).toEqual([404, 'ORGANIZATION_NOT_FOUND']);
    const crossed = await k.call({ method: 'GET', url: `${org()}/campaigns/${betaCampaign.id}/call-list` });
    expect([crossed.status, crossed.body.code]).toEqual([404, 'CAMPAIGN_NOT_FOUND']);
    await expect(refreshCallList(k.db, { orgId: k.beta, campaignId: checks, at })).rejects.toMatchObject({
      code: 'CAMPAIGN_NOT_FOUND',
    });
    // Beta's own (empty-filter) list holds none of alpha's supporters.
    await supporter('Betina', { orgId: k.beta });
    await refreshCallList(k.db, { orgId: k.beta, campaignId: betaCampaign.id, at });
    expect((await listed(k.beta, betaCampaign.id)).map((c) => c.lastName)).toEqual(['Betina']);
    // A client viewer reads progress, not the names and numbers of the list.
    expect(
      (await k.call({ method: 'GET', url: `${org()}/campaigns/${checks}/call-list` }, 'client_viewer'))
        .status,
    ).toBe(403);
    const progress = await k.call(
      { method: 'GET', url: `${org()}/campaigns/${checks}/progress` },
      'client_viewer',
    );
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ listSize: 10, blocked: 3, pending: 7 });
  });

  it('refreshes through the API (writers only)', async () => {
    const refused = await k.call(
      { method: 'POST', url: `${org()}/campaigns/${checks}/call-list/refresh` },
      'operator',
    );
    expect(refused.status).toBe(403);
    const done = await k.call(
      { method: 'POST', url: `${org()}/campaigns/${checks}/call-list/refresh` },
      'supervisor',
    );
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ total: 10, added: 0, removed: 0 });
  });
});

describe('scheduled refresh', () => {
  it('refreshes active campaigns whose refresh interval has passed, of every organization', async () => {
    const t0 = new Date('2026-03-11T08:00:00Z');
    const activeAlpha = await campaign('Attiva', [{ kind: 'tag', tag: 'vip' }], {
      status: 'active',
      refreshMinutes: 60,
    });
    const activeBeta = await campaign('Attiva beta', [], { status: 'active', refreshMinutes: 30 }, k.beta);
    await campaign('In pausa', [], { status: 'paused' });
    const activeCount = Number(
      (
        await k.db.asCenter((tx) =>
          tx
            .selectFrom('campaigns')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('status', '=', 'active')
            .executeTakeFirstOrThrow(),
        )
      ).n,
    );
    expect(await refreshDueCallLists(k.db, t0)).toBe(activeCount);
    expect(await names(activeAlpha.id)).toEqual(['Olga']);
    expect(await refreshDueCallLists(k.db, new Date(t0.getTime() + 10 * 60_000))).toBe(0);
    // 30 minutes: beta's campaign only.
    expect(await refreshDueCallLists(k.db, new Date(t0.getTime() + 30 * 60_000))).toBe(1);
    const refreshedAt = await k.db.forOrg(k.beta, (tx) =>
      tx
        .selectFrom('campaigns')
        .select('list_refreshed_at')
        .where('id', '=', activeBeta.id)
        .executeTakeFirstOrThrow(),
    );
    expect(refreshedAt.list_refreshed_at?.toISOString()).toBe('2026-03-11T08:30:00.000Z');
  });
});
