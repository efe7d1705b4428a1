// The dialer's side of a call list: which contacts to dial now (with every
// check made again at dial time, DOMAIN.md §7), what an attempt's outcome
// does to the contact (retry-policy.ts), and the recovery of contacts a
// stopped process left in progress.
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { WeeklyPeriod } from '../../db/schema.ts';
import { type BlockedReason, callListContext, STICKY_BLOCKED_REASON } from './call-list.service.ts';
import { isWithinCallingWindow } from './calling-window.ts';
import { campaignErrors } from './campaigns.errors.ts';
import type { RetryPolicy } from './campaigns.service.ts';
import { consentRevokedSql, numberBlockReasonSql } from './eligibility-sql.ts';
import { decideRetry, type RetryOutcome } from './retry-policy.ts';

export type DialableContact = {
  contactId: string;
  orgId: string;
  campaignId: string;
  supporterId: string;
  phone: string;
  /** This attempt's number, 1 for the first call. */
  attempt: number;
  /** Set when the contact is a personal call back of this operator. */
  ownerUserId: string | null;
};

export type DialOutcomeInput = 'reached' | RetryOutcome | 'do_not_call';

/**
 * Up to `limit` contacts of an active campaign to dial at `at`, each
 * atomically set 'in_progress' with attempts + 1 (FOR UPDATE SKIP LOCKED: two
 * dialers asking at once never get the same contact). Candidates are the due
 * pending contacts without an owner (plus, with `forOperatorId`, that
 * operator's own call backs; plus, with `ownerWaitMs`, the call backs of any
 * operator due for at least that long, returned without their owner: they are
 * anyone's now), owned ones first, then by next attempt (never tried first),
 * then by when they were listed. With `forOwners`, the candidates are only
 * those operators' own due call backs, at most one each (the live dialer asks
 * for its idle owners so). Each candidate is checked again: supporter status
 * (deceased, do not contact, merged), the listed number still valid, phone
 * consent, the do-not-call list, the register check's age and result; a
 * failing one is set 'blocked' with its reason (last outcome 'blocked') and
 * skipped. Outside the campaign's calling window, or when the campaign is not
 * active, the answer is [] and nothing changes.
 */
export async function takeDialableContacts(
  db: Database,
  o: {
    orgId: string;
    campaignId: string;
    at: Date;
    limit: number;
    forOperatorId?: string | undefined;
    forOwners?: readonly string[] | undefined;
    ownerWaitMs?: number | undefined;
  },
): Promise<DialableContact[]> {
  if (o.limit <= 0 || o.forOwners?.length === 0) return [];
  return db.forOrg(o.orgId, async (tx) => {
    const campaign = await tx
      .selectFrom('campaigns as c')
      .leftJoin('calling_windows as w', 'w.id', 'c.calling_window_id')
      .select([
        'c.status',
        'c.register_check_max_age_days',
        'c.calling_window_id',
        'w.time_zone',
        'w.weekly',
        'w.holidays',
      ])
      .where('c.id', '=', o.campaignId)
      .executeTakeFirst();
    if (!campaign) throw campaignErrors.notFound();
    if (campaign.status !== 'active') return [];
    const window =
      campaign.calling_window_id === null
        ? null
        : {
            timeZone: campaign.time_zone as string,
            weekly: campaign.weekly as WeeklyPeriod[],
            holidays: campaign.holidays as string[],
          };
    if (!isWithinCallingWindow(window, o.at)) return [];
    const { today, maxAgeDays } = await callListContext(
      tx,
      o.orgId,
      o.at,
      campaign.register_check_max_age_days,
    );

    // A call back its owner has not taken within `ownerWaitMs` of its time is
    // anyone's (as a queue's "call back: me" leaves its owner's queue after a
    // while): the supporter asked to be called then, not to wait for one operator.
    const overdueSince = o.ownerWaitMs === undefined ? null : new Date(o.at.getTime() - o.ownerWaitMs);
    const overdueSql =
      overdueSince === null ? sql<boolean>`false` : sql<boolean>`cc.next_attempt_at <= ${overdueSince}`;
    const anyoneSql = o.forOperatorId
      ? sql`(cc.owner_user_id is null or cc.owner_user_id = ${o.forOperatorId} or ${overdueSql})`
      : sql`(cc.owner_user_id is null or ${overdueSql})`;
    const taken: DialableContact[] = [];
    // Blocked candidates leave room for more: ask again until the limit is met or none are due.
    for (let round = 0; round < 20 && taken.length < o.limit; round += 1) {
      const servedOwners = new Set(taken.map((c) => c.ownerUserId));
      const owners = o.forOwners?.filter((id) => !servedOwners.has(id));
      if (owners?.length === 0) break;
      const want = o.limit - taken.length;
      const candidates = await sql<{
        id: string;
        supporter_id: string;
        phone: string;
        owner_user_id: string | null;
        reason: BlockedReason | null;
      }>`
        select cc.id, cc.supporter_id, cc.phone, cc.owner_user_id,
          case when s.merged_into is not null then 'supporter_merged'
               when s.status = 'deceased' then 'supporter_deceased'
               when s.status = 'do_not_contact' then 'supporter_do_not_contact'
               when ${consentRevokedSql(sql`cc.supporter_id`)} then 'consent_revoked'
               when not exists (select 1 from supporter_phones p
                                where p.supporter_id = cc.supporter_id and p.number = cc.phone
                                  and p.valid and p.invalid_since is null) then 'phone_invalid'
               else ${numberBlockReasonSql(sql`cc.phone`, today, maxAgeDays)} end as reason
        from campaign_contacts cc
        join supporters s on s.id = cc.supporter_id
        where cc.campaign_id = ${o.campaignId} and cc.status = 'pending'
          and (cc.next_attempt_at is null or cc.next_attempt_at <= ${o.at})
          and ${owners ? ownDueCallBacksSql(o.campaignId, owners, o.at) : anyoneSql}
        order by (cc.owner_user_id is null), cc.next_attempt_at asc nulls first, cc.created_at, cc.id
        limit ${want}
        for update of cc skip locked`.execute(tx);
      const rows = candidates.rows;
      const blocked = rows.filter((row) => row.reason !== null);
      const dialable = rows.filter((row) => row.reason === null);
      for (const reason of new Set(blocked.map((row) => row.reason as string))) {
        await tx
          .updateTable('campaign_contacts')
          .set({ status: 'blocked', blocked_reason: reason, last_outcome: 'blocked', updated_at: o.at })
          .where(
            'id',
            'in',
            blocked.filter((row) => row.reason === reason).map((row) => row.id),
          )
          .execute();
      }
      if (dialable.length > 0) {
        const updated = await tx
          .updateTable('campaign_contacts')
          .set((eb) => ({ status: 'in_progress', attempts: eb('attempts', '+', 1), updated_at: o.at }))
          .where(
            'id',
            'in',
            dialable.map((row) => row.id),
          )
          .returning(['id', 'attempts'])
          .execute();
        const attempts = new Map(updated.map((row) => [row.id, row.attempts]));
        for (const row of dialable) {
          taken.push({
            contactId: row.id,
            orgId: o.orgId,
            campaignId: o.campaignId,
            supporterId: row.supporter_id,
            phone: row.phone,
            attempt: attempts.get(row.id) as number,
            // Taken for its owner (their own dial or preview), or an overdue one taken for anyone.
            ownerUserId:
              row.owner_user_id !== null &&
              (o.forOwners?.includes(row.owner_user_id) || row.owner_user_id === o.forOperatorId)
                ? row.owner_user_id
                : null,
          });
        }
      }
      if (rows.length < want) break;
    }
    return taken;
  });
}

/**
 * The earliest due call back of each of `owners` (DISTINCT ON cannot take FOR
 * UPDATE: it picks the ids, the outer query locks them).
 */
const ownDueCallBacksSql = (campaignId: string, owners: readonly string[], at: Date) => sql`cc.id in (
  select distinct on (x.owner_user_id) x.id from campaign_contacts x
  where x.campaign_id = ${campaignId} and x.status = 'pending'
    and x.owner_user_id in (${sql.join(owners)}) and x.next_attempt_at <= ${at}
  order by x.owner_user_id, x.next_attempt_at, x.created_at, x.id)`;

/**
 * Applies an attempt's outcome to its contact inside the caller's unit of
 * work `tx` (the runtime closes the interaction in the same transaction):
 * - reached: completed; with `callBackAt`, pending again at that time,
 *   reserved for `ownerUserId` (or anyone when null/absent);
 * - no_answer, busy, machine, failed, dropped: the campaign's retry policy
 *   (retry-policy.ts) → pending with the next attempt's time, or exhausted;
 * - do_not_call: blocked with reason do_not_call, never dialed again (list
 *   refreshes leave it blocked).
 */
export async function recordDialOutcome(
  tx: Tx,
  o: {
    orgId: string;
    contactId: string;
    outcome: DialOutcomeInput;
    at: Date;
    callBackAt?: Date | undefined;
    ownerUserId?: string | null | undefined;
  },
): Promise<{ status: string; nextAttemptAt: Date | null }> {
  const contact = await tx
    .selectFrom('campaign_contacts as cc')
    .innerJoin('campaigns as c', 'c.id', 'cc.campaign_id')
    .select(['cc.id', 'cc.attempts', 'c.retry_policy', 'c.max_attempts'])
    .where('cc.id', '=', o.contactId)
    .where('cc.org_id', '=', o.orgId)
    .forUpdate('cc')
    .executeTakeFirst();
  if (!contact) throw campaignErrors.contactNotFound();
  const update = (values: {
    status: 'pending' | 'completed' | 'exhausted' | 'blocked';
    next_attempt_at: Date | null;
    last_outcome: 'reached' | RetryOutcome;
    blocked_reason?: string | null;
    owner_user_id?: string | null;
  }) =>
    tx
      .updateTable('campaign_contacts')
      .set({ blocked_reason: null, ...values, updated_at: o.at })
      .where('id', '=', o.contactId)
      .execute();

  if (o.outcome === 'reached') {
    if (o.callBackAt) {
      await update({
        status: 'pending',
        next_attempt_at: o.callBackAt,
        last_outcome: 'reached',
        owner_user_id: o.ownerUserId ?? null,
      });
      return { status: 'pending', nextAttemptAt: o.callBackAt };
    }
    await update({
      status: 'completed',
      next_attempt_at: null,
      last_outcome: 'reached',
      owner_user_id: null,
    });
    return { status: 'completed', nextAttemptAt: null };
  }
  if (o.outcome === 'do_not_call') {
    // The supporter was reached and asked not to be called again.
    await update({
      status: 'blocked',
      next_attempt_at: null,
      last_outcome: 'reached',
      blocked_reason: STICKY_BLOCKED_REASON,
      owner_user_id: null,
    });
    return { status: 'blocked', nextAttemptAt: null };
  }
  const decision = decideRetry({
    policy: contact.retry_policy as RetryPolicy,
    campaignMaxAttempts: contact.max_attempts,
    attempts: contact.attempts,
    outcome: o.outcome,
    at: o.at,
  });
  await update({ status: decision.status, next_attempt_at: decision.nextAttemptAt, last_outcome: o.outcome });
  return { status: decision.status, nextAttemptAt: decision.nextAttemptAt };
}

/**
 * Recovery at start: contacts a stopped process left 'in_progress' become
 * 'pending' again, due at once; the attempt stays counted (the call may have
 * rung). Every organization's, in the center scope. Returns how many.
 */
export async function releaseInProgressContacts(db: Database, at: Date): Promise<number> {
  const released = await db.asCenter((tx) =>
    tx
      .updateTable('campaign_contacts')
      .set({ status: 'pending', updated_at: at })
      .where('status', '=', 'in_progress')
      .returning('id')
      .execute(),
  );
  return released.length;
}
