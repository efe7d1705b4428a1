// A campaign's eligibility filters (campaigns.schemas.ts EligibilityFilter,
// validated at the API's edge) compiled to SQL conditions on the supporter
// row `s`, and the number-level and supporter-level checks shared by list
// building and dial time. Dates are the organization's local dates: "in the
// last 7 days" means the 7 calendar days before today in Europe/Rome, today
// included, whatever the server's zone.
import { type RawBuilder, sql } from 'kysely';
import type { EligibilityFilter } from './campaigns.service.ts';

export type EligibilityContext = {
  campaignId: string;
  /** The moment the list is built (UTC). */
  at: Date;
  /** The organization's local date of `at`, 'YYYY-MM-DD'. */
  today: string;
  /** The organization's IANA time zone. */
  timeZone: string;
};

/** Supporters are never eligible once deceased, do-not-contact or merged into another record. */
export const ALWAYS = sql<boolean>`s.merged_into is null and s.status in ('active', 'lapsed')`;

const daysAgo = (c: EligibilityContext, days: number) => sql`(${c.today}::date - ${days}::integer)`;
const activeCommitment = sql`exists (select 1 from commitments ac where ac.supporter_id = s.id and ac.status = 'active')`;

/** One filter as a boolean SQL condition on `s` (supporters). */
export function filterSql(filter: EligibilityFilter, c: EligibilityContext): RawBuilder<boolean> {
  const f = filter as Record<string, unknown>;
  switch (filter.kind) {
    case 'commitment_started_within_days':
      // An active regular gift whose start date falls in the last N days (today included).
      return sql<boolean>`exists (select 1 from commitments c where c.supporter_id = s.id and c.status = 'active'
        and c.start_date between ${daysAgo(c, f.days as number)} and ${c.today}::date)`;
    case 'commitment_active_for_months':
      return sql<boolean>`exists (select 1 from commitments c where c.supporter_id = s.id and c.status = 'active'
        and c.start_date <= (${c.today}::date - make_interval(months => ${f.months as number}::integer))::date)`;
    case 'commitment_ended_within_days':
      // Ended = the status change to cancelled/lapsed recorded in its history,
      // else its end date, else its last change (imported without history).
      return sql<boolean>`not ${activeCommitment} and exists (
        select 1 from commitments c where c.supporter_id = s.id and c.status in ('cancelled', 'lapsed')
          and coalesce(
                (select max(e.at) from commitment_events e
                  where e.commitment_id = c.id and e.kind = 'status_changed' and e.to_status = c.status)
                  at time zone ${c.timeZone},
                c.end_date,
                c.updated_at at time zone ${c.timeZone})::date
              between ${daysAgo(c, f.days as number)} and ${c.today}::date)`;
    case 'no_active_commitment':
      return sql<boolean>`not ${activeCommitment}`;
    case 'gift_within_days': {
      const min = f.minAmountCents as number | undefined;
      return sql<boolean>`exists (select 1 from gifts g where g.supporter_id = s.id and g.status = 'collected'
        and g.gift_date between ${daysAgo(c, f.days as number)} and ${c.today}::date
        ${min === undefined ? sql`` : sql`and g.amount_cents >= ${min}::integer`})`;
    }
    case 'no_contact_in_cycle': {
      // Reached in another campaign of the cycle: an interaction with a
      // right-party outcome, or a contact whose last outcome was "reached".
      // This campaign's own contacts keep their state in its list instead.
      const within = f.withinDays as number | undefined;
      const since = within === undefined ? null : new Date(c.at.getTime() - within * 86_400_000);
      return sql<boolean>`not exists (
          select 1 from interactions i join campaigns k on k.id = i.campaign_id
          where i.supporter_id = s.id and k.cycle_type = ${f.cycleType as string} and k.id <> ${c.campaignId}
            and (i.outcome = 'reached' or i.right_party_contact)
            ${since === null ? sql`` : sql`and i.created_at >= ${since}`})
        and not exists (
          select 1 from campaign_contacts o join campaigns k on k.id = o.campaign_id
          where o.supporter_id = s.id and k.cycle_type = ${f.cycleType as string} and k.id <> ${c.campaignId}
            and o.last_outcome = 'reached'
            ${since === null ? sql`` : sql`and o.updated_at >= ${since}`})`;
    }
    case 'supporter_status':
      return sql<boolean>`s.status in (${sql.join(f.statuses as string[])})`;
    case 'tag':
      return sql<boolean>`${f.tag as string} = any(s.tags)`;
    case 'source':
      return sql<boolean>`s.source in (${sql.join(f.sources as string[])})`;
    default:
      throw new Error(`Unknown eligibility filter kind '${filter.kind}'`);
  }
}

/** All filters (and the ALWAYS rule) as one condition on `s`. */
export function eligibilitySql(
  filters: readonly EligibilityFilter[],
  c: EligibilityContext,
): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join([ALWAYS, ...filters.map((f) => filterSql(f, c))], sql` and `)})`;
}

/**
 * The supporter's phone consent is revoked: for some purpose, the latest
 * phone consent event is a revocation (at equal time a revocation wins,
 * DOMAIN.md §7; the same order as supporters.repository currentConsentsQuery).
 * No phone consent event at all is not a revocation.
 */
export function consentRevokedSql(supporterId: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`exists (
    select 1 from (
      select distinct on (ce.purpose) ce.granted from consent_events ce
      where ce.supporter_id = ${supporterId} and ce.channel = 'phone'
      order by ce.purpose, ce.recorded_at desc, ce.granted asc, ce.id desc) latest
    where not latest.granted)`;
}

/**
 * Why a number may not be dialed today (NULL: it may), checked in this order:
 * on the organization's do-not-call list; no register check; the latest
 * register check older than `maxAgeDays` before `today`; the latest (fresh)
 * check found the number in the register (Registro Pubblico delle
 * Opposizioni, DOMAIN.md §7; the same rules as supporters/dnc.service
 * phoneCompliance).
 */
export function numberBlockReasonSql(number: RawBuilder<unknown>, today: string, maxAgeDays: number) {
  return sql<string | null>`case
    when exists (select 1 from dnc_entries d where d.number = ${number}) then 'do_not_call_list'
    else nullif(coalesce(
      (select case when r.checked_on < (${today}::date - ${maxAgeDays}::integer) then 'register_check_stale'
                   when r.registered then 'registered_in_register'
                   else '' end
         from register_checks r where r.number = ${number}
         order by r.checked_on desc limit 1),
      'register_check_missing'), '')
  end`;
}
