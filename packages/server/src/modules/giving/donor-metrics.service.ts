// Donor metrics of an organization (DOMAIN.md §5), computed in SQL so that an
// organization with a million supporters and millions of gifts is one pass over
// its collected gifts, never a transfer of them. The definitions are the
// engine's (`donorMetrics`, `donorRetention` in @centralino/engine) and a test
// checks both give the same figures on the same gifts:
// - donors of a period: supporters with a collected gift in it (failed and
//   refunded gifts do not count); gifts after the reference date are ignored;
// - retention = donors of last year who gave again this year (to the reference
//   date) / donors of last year; attrition = 1 − retention; lifespan ≈ 1 / attrition
//   years; lifetime value ≈ average annual gift (this year's total / this year's
//   donors) × lifespan;
// - LYBUNT gave last year, not this year; SYBUNT gave in an earlier year, neither
//   last nor this year; lapsed: last gift 12–23 whole months before the reference
//   date ("13–24 months ago"); deep lapsed: 24 or more whole months.
// Whole months are counted like the engine's wholeMonthsBetween: `last + n months
// ≤ reference` (PostgreSQL clamps `date + interval` to the end of a shorter month,
// as the engine's addMonths does).
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { decodeCursor, encodeCursor, UUID_PATTERN } from './cursor.ts';
import { givingErrors } from './giving.errors.ts';

export const SEGMENTS = ['lybunt', 'sybunt', 'lapsed', 'deep_lapsed'] as const;
export type Segment = (typeof SEGMENTS)[number];

export type DonorMetricsReport = {
  year: number;
  /** The last day of the year, or today for the current year. */
  referenceDate: string;
  /** Supporters with a collected gift this year (to the reference date). */
  donors: number;
  previousDonors: number;
  retainedDonors: number;
  retention: number | null;
  attrition: number | null;
  expectedLifespanYears: number | null;
  averageAnnualGiftCents: number | null;
  lifetimeValueCents: number | null;
  segments: { lybunt: number; sybunt: number; lapsed: number; deepLapsed: number };
};

type Period = { yearStart: string; previousStart: string; previousEnd: string; referenceDate: string };

/** The report's dates: year `year` up to `today` at the latest. */
export function periodOf(year: number, today: string): Period {
  const yearEnd = `${year}-12-31`;
  const currentYear = Number(today.slice(0, 4));
  if (year > currentYear) throw givingErrors.yearInFuture(year);
  return {
    yearStart: `${year}-01-01`,
    previousStart: `${year - 1}-01-01`,
    previousEnd: `${year - 1}-12-31`,
    referenceDate: today < yearEnd ? today : yearEnd,
  };
}

/** One row per donor up to the reference date: the facts every figure derives from. */
function donorFacts(orgId: string, p: Period) {
  return sql`
    select supporter_id,
           max(gift_date) as last_gift,
           bool_or(gift_date >= ${p.yearStart}::date) as gave_this_year,
           bool_or(gift_date between ${p.previousStart}::date and ${p.previousEnd}::date) as gave_last_year,
           coalesce(sum(amount_cents) filter (where gift_date >= ${p.yearStart}::date), 0) as this_year_cents
    from gifts
    where org_id = ${orgId} and status = 'collected' and gift_date <= ${p.referenceDate}::date`;
}

const months = (n: 12 | 24, reference: string) =>
  sql`(last_gift + interval '${sql.raw(String(n))} months')::date <= ${reference}::date`;

function segmentCondition(segment: Segment, reference: string): Expression<SqlBool> {
  switch (segment) {
    case 'lybunt':
      return sql<SqlBool>`gave_last_year and not gave_this_year`;
    case 'sybunt':
      // Every counted gift is on or before the reference date, so a donor with neither
      // this year's nor last year's gift gave in an earlier year.
      return sql<SqlBool>`not gave_last_year and not gave_this_year`;
    case 'lapsed':
      return sql<SqlBool>`${months(12, reference)} and not ${months(24, reference)}`;
    case 'deep_lapsed':
      return sql<SqlBool>`${months(24, reference)}`;
  }
}

export async function donorMetricsReport(options: {
  db: Database;
  orgId: string;
  year: number;
  today: string;
}): Promise<DonorMetricsReport> {
  const p = periodOf(options.year, options.today);
  const row = await options.db.readForOrg(options.orgId, async (tx) => {
    const result = await sql<{
      donors: string;
      previous_donors: string;
      retained: string;
      this_year_cents: string;
      lybunt: string;
      sybunt: string;
      lapsed: string;
      deep_lapsed: string;
    }>`
      with donor as (${donorFacts(options.orgId, p)} group by supporter_id)
      select count(*) filter (where gave_this_year) as donors,
             count(*) filter (where gave_last_year) as previous_donors,
             count(*) filter (where gave_last_year and gave_this_year) as retained,
             coalesce(sum(this_year_cents), 0) as this_year_cents,
             count(*) filter (where ${segmentCondition('lybunt', p.referenceDate)}) as lybunt,
             count(*) filter (where ${segmentCondition('sybunt', p.referenceDate)}) as sybunt,
             count(*) filter (where ${segmentCondition('lapsed', p.referenceDate)}) as lapsed,
             count(*) filter (where ${segmentCondition('deep_lapsed', p.referenceDate)}) as deep_lapsed
      from donor`.execute(tx);
    return result.rows[0]!;
  });
  const donors = Number(row.donors);
  const previousDonors = Number(row.previous_donors);
  const retainedDonors = Number(row.retained);
  const retention = previousDonors === 0 ? null : retainedDonors / previousDonors;
  const attrition = retention === null ? null : 1 - retention;
  const expectedLifespanYears = attrition === null || attrition === 0 ? null : 1 / attrition;
  const averageAnnualGiftCents = donors === 0 ? null : Number(row.this_year_cents) / donors;
  return {
    year: options.year,
    referenceDate: p.referenceDate,
    donors,
    previousDonors,
    retainedDonors,
    retention,
    attrition,
    expectedLifespanYears,
    averageAnnualGiftCents,
    lifetimeValueCents:
      averageAnnualGiftCents === null || expectedLifespanYears === null
        ? null
        : Math.round(averageAnnualGiftCents * expectedLifespanYears),
    segments: {
      lybunt: Number(row.lybunt),
      sybunt: Number(row.sybunt),
      lapsed: Number(row.lapsed),
      deepLapsed: Number(row.deep_lapsed),
    },
  };
}

export type SegmentMember = {
  supporterId: string;
  firstName: string;
  lastName: string;
  lastGiftDate: string;
};

/**
 * The supporters of a segment in supporter id order, a page at a time. Gifts are
 * grouped in supporter order (index gifts_supporter), so a page stops reading as soon
 * as it is full instead of grouping the whole organization.
 */
export async function listSegment(options: {
  db: Database;
  orgId: string;
  segment: Segment;
  year: number;
  today: string;
  limit: number;
  cursor?: string | undefined;
}): Promise<{ items: SegmentMember[]; nextCursor: string | null }> {
  const p = periodOf(options.year, options.today);
  const after = options.cursor ? decodeCursor(options.cursor, [UUID_PATTERN])[0] : undefined;
  const rows = await options.db.readForOrg(options.orgId, async (tx) => {
    const result = await sql<{
      supporter_id: string;
      first_name: string;
      last_name: string;
      last_gift: string;
    }>`
      select donor.supporter_id, s.first_name, s.last_name, donor.last_gift
      from (
        ${donorFacts(options.orgId, p)}
          ${after ? sql`and supporter_id > ${after}::uuid` : sql``}
        group by supporter_id
      ) donor
      join supporters s on s.id = donor.supporter_id
      where ${segmentCondition(options.segment, p.referenceDate)}
      order by donor.supporter_id
      limit ${options.limit + 1}`.execute(tx);
    return result.rows;
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      supporterId: row.supporter_id,
      firstName: row.first_name,
      lastName: row.last_name,
      lastGiftDate: row.last_gift,
    })),
    nextCursor: rows.length > options.limit && last ? encodeCursor([last.supporter_id]) : null,
  };
}
