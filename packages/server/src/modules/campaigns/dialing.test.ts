// The dialer's side of a call list: calling windows on the Europe/Rome clock
// (a holiday, the change to summer time), two dialers at once, the checks made
// again at dial time, the retry policy per outcome with its maximum attempts,
// personal call backs, do not call, recovery after a stop, and progress.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestKit, createCrmTestKit, type Json } from '../supporters/crm-test-kit.ts';
import { addPhoneConsent, addSupporter } from './call-list.fixtures.ts';
import { listCallList, refreshCallList } from './call-list.service.ts';
import { createCampaign, updateCampaign } from './campaigns.service.ts';
import {
  type DialableContact,
  recordDialOutcome,
  releaseInProgressContacts,
  takeDialableContacts,
} from './dialing.service.ts';
import { campaignProgress } from './progress.service.ts';

let k: CrmTestKit;
const org = () => `/api/organizations/${k.alpha}`;
// Register checks dated 25 March 2026: fresh (30 days, the default) for every moment below.
const checkedBefore = new Date('2026-03-26T00:00:00Z');
const listBuilt = new Date('2026-03-26T10:00:00Z');
const take = (campaignId: string, at: string, limit = 10, forOperatorId?: string) =>
  takeDialableContacts(k.db, { orgId: k.alpha, campaignId, at: new Date(at), limit, forOperatorId });
const outcome = (
  contact: DialableContact,
  result: Parameters<typeof recordDialOutcome>[1]['outcome'],
  at: string,
  extra: { callBackAt?: Date; ownerUserId?: string | null } = {},
) =>
  k.db.forOrg(k.alpha, (tx) =>
    recordDialOutcome(tx, {
      orgId: k.alpha,
      contactId: contact.contactId,
      outcome: result,
      at: new Date(at),
      ...extra,
    }),
  );
const contacts = async (campaignId: string) =>
  Object.fromEntries(
    (await listCallList({ db: k.db, orgId: k.alpha, campaignId, limit: 500 })).items.map((c) => [
      c.lastName,
      c,
    ]),
  );

async function listOf(name: string, tag: string, people: string[], extra: Record<string, unknown> = {}) {
  const supporters: Record<string, string> = {};
  for (const lastName of people)
    supporters[lastName] = (await addSupporter(k.db, k.alpha, lastName, { tags: [tag], checkedBefore })).id;
  const campaign = await createCampaign({
    db: k.db,
    principal: null,
    orgId: k.alpha,
    input: { name, cycleType: 'custom', status: 'active', eligibility: [{ kind: 'tag', tag }], ...extra },
  });
  await refreshCallList(k.db, { orgId: k.alpha, campaignId: campaign.id, at: listBuilt });
  return { campaignId: campaign.id, supporters };
}

beforeAll(async () => {
  k = await createCrmTestKit();
});
afterAll(() => k.close());

describe('takeDialableContacts', () => {
  let windowed = { campaignId: '', supporters: {} as Record<string, string> };

  beforeAll(async () => {
    const window = await k.call({
      method: 'POST',
      url: `${org()}/calling-windows`,
      payload: {
        name: 'Feriali',
        weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '20:00' }],
        holidays: ['2026-04-06'],
      },
    });
    windowed = await listOf('Finestra', 'finestra', ['Uno', 'Due', 'Tre', 'Quattro', 'Cinque', 'Sei'], {
      callingWindowId: window.body.id,
    });
  });

  it('dials only within the calling window, on the Rome clock', async () => {
    const before = await contacts(windowed.campaignId);
    // Friday 27 March 2026, 08:30 in Rome (CET, UTC+1): closed.
    expect(await take(windowed.campaignId, '2026-03-27T07:30:00Z')).toEqual([]);
    // Monday 30 March 2026, 20:30 in Rome (CEST since Sunday): closed, though 19:30 under winter time.
    expect(await take(windowed.campaignId, '2026-03-30T18:30:00Z')).toEqual([]);
    // Easter Monday 6 April 2026, a holiday of the window: closed all day.
    expect(await take(windowed.campaignId, '2026-04-06T10:00:00Z')).toEqual([]);
    expect(await contacts(windowed.campaignId)).toEqual(before);
    // Monday 30 March, 09:30 in Rome (07:30Z, CEST): open.
    const [first] = await take(windowed.campaignId, '2026-03-30T07:30:00Z', 1);
    expect(first).toMatchObject({
      orgId: k.alpha,
      campaignId: windowed.campaignId,
      attempt: 1,
      ownerUserId: null,
    });
    expect(Object.values(windowed.supporters)).toContain(first!.supporterId);
    const taken = Object.values(await contacts(windowed.campaignId)).find((c) => c.id === first!.contactId);
    expect(taken).toMatchObject({ status: 'in_progress', attempts: 1, phone: first!.phone });
    expect(await outcome(first!, 'reached', '2026-03-30T07:35:00Z')).toEqual({
      status: 'completed',
      nextAttemptAt: null,
    });
  });

  it('does not dial a paused campaign', async () => {
    await updateCampaign({
      db: k.db,
      principal: null,
      orgId: k.alpha,
      campaignId: windowed.campaignId,
      changes: { status: 'paused' },
    });
    expect(await take(windowed.campaignId, '2026-03-30T08:00:00Z')).toEqual([]);
    await updateCampaign({
      db: k.db,
      principal: null,
      orgId: k.alpha,
      campaignId: windowed.campaignId,
      changes: { status: 'active' },
    });
  });

  it('never gives the same contact to two dialers asking at once', async () => {
    const [a, b] = await Promise.all([
      take(windowed.campaignId, '2026-03-30T08:00:00Z', 3),
      take(windowed.campaignId, '2026-03-30T08:00:00Z', 3),
    ]);
    const ids = [...a!, ...b!].map((c) => c.contactId);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(await take(windowed.campaignId, '2026-03-30T08:00:00Z', 3)).toEqual([]);
  });

  it('puts contacts left in progress by a stopped process back in the list, the attempt counted', async () => {
    expect(await releaseInProgressContacts(k.db, new Date('2026-03-30T08:05:00Z'))).toBe(5);
    const rows = Object.values(await contacts(windowed.campaignId)).filter((c) => c.status !== 'completed');
    expect(rows.map((c) => [c.status, c.attempts])).toEqual(Array(5).fill(['pending', 1]));
  });

  it('checks again at dial time: consent revoked after the list was built, deceased, number marked invalid', async () => {
    const s = windowed.supporters;
    const before = await contacts(windowed.campaignId);
    const waiting = Object.keys(before).filter((name) => before[name]!.status === 'pending');
    const [revoked, deceased, invalid, ...others] = waiting;
    await addPhoneConsent(k.db, k.alpha, s[revoked!]!, false, new Date('2026-03-28T12:00:00Z'));
    await k.db.forOrg(k.alpha, async (tx) => {
      await tx
        .updateTable('supporters')
        .set({ status: 'deceased' })
        .where('id', '=', s[deceased!]!)
        .execute();
      await tx
        .updateTable('supporter_phones')
        .set({ valid: false, invalid_since: new Date('2026-03-29T10:00:00Z') })
        .where('supporter_id', '=', s[invalid!]!)
        .execute();
    });
    const dialed = await take(windowed.campaignId, '2026-03-30T09:00:00Z');
    expect(dialed.map((c) => c.supporterId).sort()).toEqual(others.map((name) => s[name]).sort());
    expect(dialed.map((c) => c.attempt)).toEqual([2, 2]);
    const page = await k.call(
      { method: 'GET', url: `${org()}/campaigns/${windowed.campaignId}/call-list?status=blocked` },
      'supervisor',
    );
    expect(
      Object.fromEntries(page.body.items.map((c: Json) => [c.lastName, [c.blockedReason, c.lastOutcome]])),
    ).toEqual({
      [revoked!]: ['consent_revoked', 'blocked'],
      [deceased!]: ['supporter_deceased', 'blocked'],
      [invalid!]: ['phone_invalid', 'blocked'],
    });
  });
});

describe('register checks at dial time', () => {
  it('blocks a number whose check aged past the limit since the list was built; a new check reopens it', async () => {
    const list = await listOf('Registro', 'registro', ['Verdi'], { registerCheckMaxAgeDays: 30 });
    const rows = await contacts(list.campaignId);
    expect(rows.Verdi).toMatchObject({ status: 'pending', blockedReason: null });
    // Thursday 30 April 2026: the check of 25 March is 36 days old.
    expect(await take(list.campaignId, '2026-04-30T08:00:00Z')).toEqual([]);
    expect((await contacts(list.campaignId)).Verdi).toMatchObject({
      status: 'blocked',
      blockedReason: 'register_check_stale',
      attempts: 0,
    });
    await k.db.forOrg(k.alpha, (tx) =>
      tx
        .insertInto('register_checks')
        .values({ org_id: k.alpha, number: rows.Verdi!.phone, checked_on: '2026-04-29', registered: false })
        .execute(),
    );
    await refreshCallList(k.db, {
      orgId: k.alpha,
      campaignId: list.campaignId,
      at: new Date('2026-04-30T08:05:00Z'),
    });
    expect((await contacts(list.campaignId)).Verdi).toMatchObject({ status: 'pending', blockedReason: null });
    const [dialed] = await take(list.campaignId, '2026-04-30T08:10:00Z');
    expect(dialed).toMatchObject({ supporterId: list.supporters.Verdi, attempt: 1 });
  });
});

describe('recordDialOutcome', () => {
  let operatorId = '';
  let list = { campaignId: '', supporters: {} as Record<string, string> };
  const byName = (taken: DialableContact[]) =>
    Object.fromEntries(
      taken.map((c) => [Object.entries(list.supporters).find(([, id]) => id === c.supporterId)![0], c]),
    );

  beforeAll(async () => {
    operatorId = (
      await k.db.asCenter((tx) =>
        tx
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'operator@example.test')
          .executeTakeFirstOrThrow(),
      )
    ).id;
    // No calling window: the default (weekdays 9–21 in Rome) is open at every moment below.
    list = await listOf('Richiami', 'richiami', ['Anna', 'Bruno', 'Carla', 'Dario', 'Elena', 'Fabio'], {
      retryPolicy: { noAnswer: { retryAfterMinutes: 60, maxAttempts: 2 }, busy: { retryAfterMinutes: 15 } },
      maxAttempts: 3,
    });
  });

  it('applies the retry policy per outcome, caps attempts, keeps personal call backs and do not call', async () => {
    // Tuesday 31 March 2026, 10:00 in Rome.
    const first = byName(await take(list.campaignId, '2026-03-31T08:00:00Z'));
    expect(Object.keys(first).sort()).toEqual(['Anna', 'Bruno', 'Carla', 'Dario', 'Elena', 'Fabio']);
    const at = '2026-03-31T08:01:00Z';
    expect(await outcome(first.Anna!, 'no_answer', at)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-03-31T09:01:00Z'),
    });
    expect(await outcome(first.Bruno!, 'busy', at)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-03-31T08:16:00Z'),
    });
    // No machine rule: no retry.
    expect(await outcome(first.Carla!, 'machine', at)).toEqual({ status: 'exhausted', nextAttemptAt: null });
    // Reached, call back at 12:00 Rome, reserved for the operator.
    const callBackAt = new Date('2026-03-31T10:00:00Z');
    expect(await outcome(first.Dario!, 'reached', at, { callBackAt, ownerUserId: operatorId })).toEqual({
      status: 'pending',
      nextAttemptAt: callBackAt,
    });
    expect(await outcome(first.Elena!, 'do_not_call', at)).toEqual({
      status: 'blocked',
      nextAttemptAt: null,
    });
    // Dropped: no rule of its own, the no-answer rule.
    expect(await outcome(first.Fabio!, 'dropped', at)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-03-31T09:01:00Z'),
    });

    // 20 minutes later only Bruno is due.
    const second = byName(await take(list.campaignId, '2026-03-31T08:21:00Z'));
    expect(Object.keys(second)).toEqual(['Bruno']);
    expect(second.Bruno!.attempt).toBe(2);
    await outcome(second.Bruno!, 'busy', '2026-03-31T08:22:00Z');

    // After an hour: Bruno (due 08:37) before Anna and Fabio (both due 09:01, then in list order).
    const third = await take(list.campaignId, '2026-03-31T09:02:00Z');
    const order = third.map((c) => Object.keys(byName([c]))[0]);
    expect([order[0], order.slice(1).sort()]).toEqual(['Bruno', ['Anna', 'Fabio']]);
    const t = byName(third);
    expect([t.Bruno!.attempt, t.Anna!.attempt]).toEqual([3, 2]);
    // Anna: the no-answer rule allows 2 attempts; Bruno: the campaign allows 3.
    expect(await outcome(t.Anna!, 'no_answer', '2026-03-31T09:03:00Z')).toMatchObject({
      status: 'exhausted',
    });
    expect(await outcome(t.Bruno!, 'busy', '2026-03-31T09:03:00Z')).toMatchObject({ status: 'exhausted' });
    expect(await outcome(t.Fabio!, 'reached', '2026-03-31T09:03:00Z')).toMatchObject({ status: 'completed' });

    // The call back is due at 10:00Z but belongs to the operator: other dialing does not take it.
    expect(await take(list.campaignId, '2026-03-31T10:01:00Z')).toEqual([]);
    const [callBack] = await take(list.campaignId, '2026-03-31T10:01:00Z', 5, operatorId);
    expect(callBack).toMatchObject({
      supporterId: list.supporters.Dario,
      ownerUserId: operatorId,
      attempt: 2,
    });
    await outcome(callBack!, 'reached', '2026-03-31T10:05:00Z');

    // A refresh neither reopens the do-not-call contact nor touches the finished ones.
    await refreshCallList(k.db, {
      orgId: k.alpha,
      campaignId: list.campaignId,
      at: new Date('2026-03-31T11:00:00Z'),
    });
    const rows = await contacts(list.campaignId);
    expect(
      Object.fromEntries(
        Object.entries(rows).map(([name, c]) => [
          name,
          [c.status, c.attempts, c.lastOutcome, c.blockedReason],
        ]),
      ),
    ).toEqual({
      Anna: ['exhausted', 2, 'no_answer', null],
      Bruno: ['exhausted', 3, 'busy', null],
      Carla: ['exhausted', 1, 'machine', null],
      Dario: ['completed', 2, 'reached', null],
      Elena: ['blocked', 1, 'reached', 'do_not_call'],
      Fabio: ['completed', 2, 'reached', null],
    });

    const progress = await campaignProgress(k.db, { orgId: k.alpha, campaignId: list.campaignId });
    expect(progress).toMatchObject({
      listSize: 6,
      pending: 0,
      inProgress: 0,
      completed: 2,
      exhausted: 3,
      blocked: 1,
      blockedByReason: { do_not_call: 1 },
      attempted: 6,
      reached: 3,
      attempts: 11,
      penetration: 1,
      lastOutcomes: { no_answer: 1, busy: 1, machine: 1, reached: 3 },
    });
    expect(progress.saturation).toBeCloseTo(11 / 6);
  });

  it('finds no contact of another organization', async () => {
    const [contact] = await listCallList({
      db: k.db,
      orgId: k.alpha,
      campaignId: list.campaignId,
      limit: 1,
    }).then((page) => page.items);
    await expect(
      k.db.forOrg(k.beta, (tx) =>
        recordDialOutcome(tx, { orgId: k.beta, contactId: contact!.id, outcome: 'reached', at: new Date() }),
      ),
    ).rejects.toMatchObject({ code: 'CAMPAIGN_CONTACT_NOT_FOUND' });
    await expect(
      takeDialableContacts(k.db, { orgId: k.beta, campaignId: list.campaignId, at: new Date(), limit: 1 }),
    ).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
  });
});

describe('personal call backs', () => {
  it('are taken for their idle owner alone, one each, then for anyone once they waited `ownerWaitMs`', async () => {
    const userIdOf = (email: string) =>
      k.db
        .asCenter((tx) =>
          tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow(),
        )
        .then((row) => row.id);
    const owner = await userIdOf('operator@example.test');
    const colleague = await userIdOf('supervisor@example.test');
    const list = await listOf('Richiami personali', 'personali', ['Gino', 'Ida', 'Luca']);
    const nameOf = (c: DialableContact) =>
      Object.entries(list.supporters).find(([, id]) => id === c.supporterId)![0];
    const takeAt = (at: string, extra: { forOwners?: string[]; limit?: number } = {}) =>
      takeDialableContacts(k.db, {
        orgId: k.alpha,
        campaignId: list.campaignId,
        at: new Date(at),
        limit: extra.limit ?? 5,
        forOwners: extra.forOwners,
        ownerWaitMs: 30 * 60_000,
      });
    const callBack = (contact: DialableContact, at: string, ownerUserId: string | null) =>
      k.db.forOrg(k.alpha, (tx) =>
        recordDialOutcome(tx, {
          orgId: k.alpha,
          contactId: contact.contactId,
          outcome: 'reached',
          at: new Date(at),
          callBackAt: new Date('2026-03-31T10:00:00Z'),
          ownerUserId,
        }),
      );
    // Tuesday 31 March 2026 10:00 in Rome: the three are reached and ask to be called back at 12:00,
    // Gino and Ida by the operator who spoke to them, Luca by anyone.
    const first = await takeAt('2026-03-31T08:00:00Z');
    for (const c of first) await callBack(c, '2026-03-31T08:01:00Z', nameOf(c) === 'Luca' ? null : owner);

    // Due at 10:00Z: only Luca is anyone's; the owner's two wait for the owner.
    expect((await takeAt('2026-03-31T10:01:00Z')).map(nameOf)).toEqual(['Luca']);
    // Not for a colleague; for the owner, one at a time (one call per operator), kept as theirs.
    expect(await takeAt('2026-03-31T10:02:00Z', { forOwners: [colleague] })).toEqual([]);
    const own = await takeAt('2026-03-31T10:02:00Z', { forOwners: [owner, colleague] });
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ ownerUserId: owner, attempt: 2 });
    // Sunday 5 April: outside the calling window for the owner too.
    expect(await takeAt('2026-04-05T10:00:00Z', { forOwners: [owner] })).toEqual([]);

    // The other one waited 29 minutes: still the owner's. At 30 minutes it is anyone's.
    expect(await takeAt('2026-03-31T10:29:00Z')).toEqual([]);
    const late = await takeAt('2026-03-31T10:30:00Z');
    expect(late.map(nameOf)).toEqual(['Gino', 'Ida'].filter((name) => name !== nameOf(own[0]!)));
    expect(late[0]).toMatchObject({ ownerUserId: null, attempt: 2 });
  });
});
