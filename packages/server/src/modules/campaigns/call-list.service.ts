// A campaign's call list (campaign_contacts), rebuilt from its eligibility
// filters: one row per eligible supporter with the phone to dial, its status
// and, when it must not be dialed, the readable reason. The dialer takes
// pending rows (dialing.service.ts); this file adds, blocks, unblocks and
// removes them, and lists them for the API.
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { CampaignContactStatus, DialOutcome } from '../../db/schema.ts';
import { readCrmSettings } from '../supporters/crm-settings.service.ts';
import { campaignErrors } from './campaigns.errors.ts';
import type { EligibilityFilter } from './campaigns.service.ts';
import { consentRevokedSql, eligibilitySql, numberBlockReasonSql } from './eligibility-sql.ts';

/**
 * Why a contact is not dialed. List build and dial time: consent_revoked,
 * do_not_call_list, register_check_missing, register_check_stale,
 * registered_in_register, no_valid_phone. Dial time only: phone_invalid (the
 * listed number was marked invalid since), supporter_deceased,
 * supporter_do_not_contact, supporter_merged. After a call: do_not_call (the
 * supporter asked; never dialed again by this campaign).
 */
export type BlockedReason =
  | 'consent_revoked'
  | 'do_not_call_list'
  | 'register_check_missing'
  | 'register_check_stale'
  | 'registered_in_register'
  | 'no_valid_phone'
  | 'phone_invalid'
  | 'supporter_deceased'
  | 'supporter_do_not_contact'
  | 'supporter_merged'
  | 'do_not_call';

/** Set by the supporter's own request during a call: refreshes never reopen it. */
export const STICKY_BLOCKED_REASON: BlockedReason = 'do_not_call';

export type CallListCounts = {
  /** Contacts in the list (removed ones left out). */
  total: number;
  /** Supporters new to the list, or back after a removal. */
  added: number;
  /** Contacts no longer eligible, taken out by this refresh. */
  removed: number;
  blocked: number;
  pending: number;
  /** Eligible supporters without any phone number: not listed. */
  withoutPhone: number;
};

/** Context every list query needs: the organization's local date and zone, the register-check age limit. */
export async function callListContext(tx: Tx, orgId: string, at: Date, campaignMaxAgeDays: number | null) {
  const org = await tx
    .selectFrom('organizations')
    .select('time_zone')
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: org.time_zone }).format(at);
  const maxAgeDays = campaignMaxAgeDays ?? (await readCrmSettings(tx)).registerCheckMaxAgeDays;
  return { timeZone: org.time_zone, today, maxAgeDays };
}

/**
 * Rebuilds the list in one unit of work of the organization (the campaign
 * row is locked, so two refreshes of one campaign run one after the other):
 *
 * - each eligible supporter gets its best phone: a usable number (valid, not
 *   marked invalid since) before an unusable one, then one that passes the
 *   number checks (do-not-call list, register) before one that does not, then
 *   the primary number (the one the supporter or the CRM chose), then a mobile
 *   before a fixed line before other kinds (a mobile reaches the person, not
 *   the household), then the oldest; toll-free numbers are never dialed;
 * - a new supporter is added 'pending', or 'blocked' with its reason
 *   (consent_revoked, no_valid_phone, do_not_call_list, register_check_*,
 *   registered_in_register); a listed 'pending', 'blocked' or 'removed'
 *   contact gets the same answer, so a reason that disappeared makes it
 *   pending again (attempts and next attempt kept) and a pending one whose
 *   consent was revoked becomes blocked;
 * - a 'pending' or 'blocked' contact no longer eligible becomes 'removed',
 *   except an arranged call back (pending after a reached call);
 * - 'in_progress', 'completed', 'exhausted' contacts and those blocked at the
 *   supporter's request (do_not_call) are left as they are.
 *
 * Idempotent: a second refresh with the same data changes nothing.
 */
export async function refreshCallList(
  db: Database,
  o: { orgId: string; campaignId: string; at: Date },
): Promise<CallListCounts> {
  return db.forOrg(o.orgId, (tx) => refreshCallListIn(tx, o));
}

async function refreshCallListIn(
  tx: Tx,
  o: { orgId: string; campaignId: string; at: Date },
): Promise<CallListCounts> {
  const campaign = await tx
    .selectFrom('campaigns')
    .select(['id', 'eligibility', 'register_check_max_age_days'])
    .where('id', '=', o.campaignId)
    .forUpdate()
    .executeTakeFirst();
  if (!campaign) throw campaignErrors.notFound();
  const { today, timeZone, maxAgeDays } = await callListContext(
    tx,
    o.orgId,
    o.at,
    campaign.register_check_max_age_days,
  );
  const eligible = eligibilitySql(campaign.eligibility as EligibilityFilter[], {
    campaignId: o.campaignId,
    at: o.at,
    today,
    timeZone,
  });
  const phoneReason = numberBlockReasonSql(sql`p.number`, today, maxAgeDays);
  const result = await sql<{ added: string; removed: string; without_phone: string }>`
    with eligible as materialized (
      select s.id as supporter_id, ph.number, ph.usable, ph.reason as phone_reason,
             ${consentRevokedSql(sql`s.id`)} as consent_revoked
      from supporters s
      left join lateral (
        select p.number, (p.valid and p.invalid_since is null) as usable, ${phoneReason} as reason
        from supporter_phones p
        where p.supporter_id = s.id and p.kind <> 'toll_free'
        order by (p.valid and p.invalid_since is null) desc, (${phoneReason}) is null desc, p.is_primary desc,
                 case p.kind when 'mobile' then 0 when 'fixed_line' then 1 else 2 end, p.created_at, p.id
        limit 1) ph on true
      where ${eligible}
    ),
    wanted as (
      select supporter_id, number,
             case when consent_revoked then 'consent_revoked'
                  when not usable then 'no_valid_phone'
                  else phone_reason end as reason
      from eligible where number is not null
    ),
    previous as (
      select supporter_id, status from campaign_contacts where campaign_id = ${o.campaignId}
    ),
    upserted as (
      insert into campaign_contacts as cc (org_id, campaign_id, supporter_id, phone, status, blocked_reason)
      select ${o.orgId}, ${o.campaignId}, w.supporter_id, w.number,
             case when w.reason is null then 'pending' else 'blocked' end, w.reason
      from wanted w
      on conflict (campaign_id, supporter_id) do update
        set phone = excluded.phone, status = excluded.status, blocked_reason = excluded.blocked_reason,
            updated_at = ${o.at}
        where cc.status in ('pending', 'blocked', 'removed')
          and cc.blocked_reason is distinct from ${STICKY_BLOCKED_REASON}
          and (cc.phone, cc.status, cc.blocked_reason)
              is distinct from (excluded.phone, excluded.status, excluded.blocked_reason)
      returning cc.supporter_id
    ),
    removed as (
      update campaign_contacts cc set status = 'removed', blocked_reason = null, updated_at = ${o.at}
      where cc.campaign_id = ${o.campaignId} and cc.status in ('pending', 'blocked')
        and cc.blocked_reason is distinct from ${STICKY_BLOCKED_REASON}
        and not (cc.status = 'pending' and cc.last_outcome is not distinct from 'reached')
        and not exists (select 1 from wanted w where w.supporter_id = cc.supporter_id)
      returning cc.id
    )
    select
      (select count(*) from wanted w
        where not exists (select 1 from previous p where p.supporter_id = w.supporter_id and p.status <> 'removed')
      ) as added,
      (select count(*) from removed) as removed,
      (select count(*) from eligible where number is null) as without_phone`.execute(tx);
  await tx.updateTable('campaigns').set({ list_refreshed_at: o.at }).where('id', '=', o.campaignId).execute();
  const counts = await tx
    .selectFrom('campaign_contacts')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('campaign_id', '=', o.campaignId)
    .groupBy('status')
    .execute();
  const by = (status: CampaignContactStatus) => Number(counts.find((c) => c.status === status)?.n ?? 0);
  const row = result.rows[0]!;
  return {
    total: counts.reduce((sum, c) => sum + (c.status === 'removed' ? 0 : Number(c.n)), 0),
    added: Number(row.added),
    removed: Number(row.removed),
    blocked: by('blocked'),
    pending: by('pending'),
    withoutPhone: Number(row.without_phone),
  };
}

/**
 * Refreshes every active campaign, of every organization, whose list was
 * never built or was built `refresh_minutes` or more before `at`. Returns how
 * many were refreshed. One organization's failure does not stop the others'.
 */
export async function refreshDueCallLists(
  db: Database,
  at: Date,
  o: { onRefreshed?: (campaign: { id: string; orgId: string }) => void } = {},
): Promise<number> {
  const due = await db.asCenter((tx) =>
    tx
      .selectFrom('campaigns')
      .select(['id', 'org_id'])
      .where('status', '=', 'active')
      .where((eb) =>
        eb.or([
          eb('list_refreshed_at', 'is', null),
          eb(
            'list_refreshed_at',
            '<=',
            sql<Date>`${at}::timestamptz - make_interval(mins => refresh_minutes)`,
          ),
        ]),
      )
      .orderBy('list_refreshed_at', (ob) => ob.asc().nullsFirst())
      .orderBy('id')
      .execute(),
  );
  let refreshed = 0;
  const failures: unknown[] = [];
  for (const campaign of due) {
    try {
      await refreshCallList(db, { orgId: campaign.org_id, campaignId: campaign.id, at });
      refreshed += 1;
      o.onRefreshed?.({ id: campaign.id, orgId: campaign.org_id });
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} of ${due.length} call-list refreshes failed`);
  }
  return refreshed;
}

export type CallListEntry = {
  id: string;
  supporterId: string;
  firstName: string;
  lastName: string;
  phone: string;
  status: CampaignContactStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastOutcome: DialOutcome | null;
  blockedReason: string | null;
  ownerUserId: string | null;
  updatedAt: string;
};

const CURSOR = /^[A-Za-z0-9_-]+$/;

function encodeCursor(createdAt: string, id: string) {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    if (!CURSOR.test(cursor)) throw new Error();
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === 2 &&
      typeof key[0] === 'string' &&
      !Number.isNaN(Date.parse(key[0])) &&
      typeof key[1] === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key[1])
    )
      return [key[0], key[1]];
  } catch {
    // fall through to the 400
  }
  throw campaignErrors.cursorInvalid();
}

/** The list in the order it was built, `limit` at a time, optionally of one status (removed ones only when asked). */
export async function listCallList(options: {
  db: Database;
  orgId: string;
  campaignId: string;
  status?: CampaignContactStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}): Promise<{ items: CallListEntry[]; nextCursor: string | null }> {
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const rows = await options.db.readForOrg(options.orgId, async (tx) => {
    const campaign = await tx
      .selectFrom('campaigns')
      .select('id')
      .where('id', '=', options.campaignId)
      .executeTakeFirst();
    if (!campaign) throw campaignErrors.notFound();
    let query = tx
      .selectFrom('campaign_contacts as cc')
      .innerJoin('supporters as s', 's.id', 'cc.supporter_id')
      .select([
        'cc.id',
        'cc.supporter_id',
        's.first_name',
        's.last_name',
        'cc.phone',
        'cc.status',
        'cc.attempts',
        'cc.next_attempt_at',
        'cc.last_outcome',
        'cc.blocked_reason',
        'cc.owner_user_id',
        'cc.updated_at',
        sql<string>`to_char(cc.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
          'created_key',
        ),
      ])
      .where('cc.campaign_id', '=', options.campaignId);
    query = options.status
      ? query.where('cc.status', '=', options.status)
      : query.where('cc.status', '<>', 'removed');
    if (after) {
      query = query.where((eb) =>
        eb(
          eb.refTuple('cc.created_at', 'cc.id'),
          '>',
          eb.tuple(sql<Date>`${after[0]}::timestamptz`, sql<string>`${after[1]}::uuid`),
        ),
      );
    }
    return query
      .orderBy('cc.created_at')
      .orderBy('cc.id')
      .limit(options.limit + 1)
      .execute();
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      supporterId: row.supporter_id,
      firstName: row.first_name,
      lastName: row.last_name,
      phone: row.phone,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
      lastOutcome: row.last_outcome,
      blockedReason: row.blocked_reason,
      ownerUserId: row.owner_user_id,
      updatedAt: row.updated_at.toISOString(),
    })),
    nextCursor: rows.length > options.limit && last ? encodeCursor(last.created_key, last.id) : null,
  };
}
