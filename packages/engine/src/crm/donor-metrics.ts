// Donor metrics of a supporter-care center (DOMAIN.md §5): retention, attrition,
// lifespan and lifetime value, LYBUNT / SYBUNT reports and lapsed segments, from
// a list of gifts. Definitions follow the Fundraising Effectiveness Project
// (AFP / Urban Institute): retention = donors of period P who gave again in P+1
// over donors of P; attrition = 1 − retention; lifespan ≈ 1 / attrition periods;
// lifetime value ≈ average annual gift × lifespan (Sargeant, "Donor lifetime value").

import { CrmError, type CrmIssue } from './crm.errors.ts';
import {
  addDays,
  addMonths,
  compareDates,
  formatIsoDate,
  parseIsoDate,
  wholeMonthsBetween,
} from './dates.ts';

export type Gift = {
  supporterId: string;
  /** `YYYY-MM-DD`, the date the gift was received (or collected). */
  date: string;
  /** Positive; refunds and failed collections are left out by the caller. */
  amountCents: number;
};

/** Inclusive range of `YYYY-MM-DD` dates. */
export type DateRange = { from: string; to: string };

export type RetentionResult = {
  /** Donors with a gift in `previous`. */
  previousDonors: number;
  /** Of those, donors with a gift in `current` too. */
  retainedDonors: number;
  /** retained / previous; null without donors in `previous`. */
  retention: number | null;
  /** 1 − retention. */
  attrition: number | null;
  /** 1 / attrition, in periods of the length of `previous`; null when attrition is 0 or unknown. */
  expectedLifespanPeriods: number | null;
};

export type DonorSummary = {
  supporterId: string;
  firstGiftDate: string;
  lastGiftDate: string;
  giftCount: number;
  totalCents: number;
  /** Given in the last (complete) fiscal year. */
  lastFiscalYearCents: number;
  /** Whole months from the last gift to the reference date. */
  monthsSinceLastGift: number;
};

export type DonorMetrics = {
  referenceDate: string;
  /** The fiscal year containing the reference date; gifts count up to the reference date. */
  thisFiscalYear: DateRange;
  lastFiscalYear: DateRange;
  /** From the fiscal year before last to last fiscal year: the two most recent complete years. */
  retention: RetentionResult & { previous: DateRange; current: DateRange };
  /** Total given in last fiscal year / donors in last fiscal year; null without donors. */
  averageAnnualGiftCents: number | null;
  /** Equal to `retention.expectedLifespanPeriods`: the periods are years. */
  expectedLifespanYears: number | null;
  /** averageAnnualGiftCents × expectedLifespanYears, rounded to the cent. */
  lifetimeValueCents: number | null;
  /** Last Year But Unfortunately Not This year: gave in last fiscal year, not yet in this one. */
  lybunt: DonorSummary[];
  /**
   * Some Year But Unfortunately Not This year: gave in an earlier fiscal year, neither in
   * last nor in this one. Disjoint from `lybunt`, so the two together are everyone who
   * gave before this fiscal year and not in it.
   */
  sybunt: DonorSummary[];
  /** Last gift within the last 12 months (0–11 whole months ago). */
  active: DonorSummary[];
  /** Last gift 13–24 months ago: 12 to 23 whole months before the reference date. */
  lapsed: DonorSummary[];
  /** Last gift 25 or more months ago: 24 or more whole months. */
  deepLapsed: DonorSummary[];
};

type CheckedGift = { supporterId: string; date: string; amountCents: number };

function checkGifts(gifts: unknown, issues: CrmIssue[]): CheckedGift[] {
  if (!Array.isArray(gifts)) {
    issues.push({ field: 'gifts', message: 'must be an array' });
    return [];
  }
  const checked: CheckedGift[] = [];
  gifts.forEach((gift: Partial<Gift> | null, i) => {
    const at = `gifts[${i}]`;
    if (typeof gift !== 'object' || gift === null) {
      issues.push({ field: at, message: 'must be an object' });
      return;
    }
    let ok = true;
    if (typeof gift.supporterId !== 'string' || gift.supporterId === '') {
      issues.push({ field: `${at}.supporterId`, message: 'must be a non-empty string' });
      ok = false;
    }
    if (typeof gift.date !== 'string' || !parseIsoDate(gift.date)) {
      issues.push({
        field: `${at}.date`,
        message: `must be a YYYY-MM-DD date, got ${JSON.stringify(gift.date)}`,
      });
      ok = false;
    }
    if (
      typeof gift.amountCents !== 'number' ||
      !Number.isSafeInteger(gift.amountCents) ||
      gift.amountCents <= 0
    ) {
      issues.push({
        field: `${at}.amountCents`,
        message: `must be a positive whole number of cents (leave out refunds), got ${String(gift.amountCents)}`,
      });
      ok = false;
    }
    if (ok) checked.push(gift as CheckedGift);
  });
  return checked;
}

function checkRange(range: unknown, field: string, issues: CrmIssue[]): DateRange | undefined {
  const r = range as Partial<DateRange> | undefined;
  const from = typeof r?.from === 'string' ? parseIsoDate(r.from) : undefined;
  const to = typeof r?.to === 'string' ? parseIsoDate(r.to) : undefined;
  if (!from || !to || compareDates(from, to) > 0) {
    issues.push({ field, message: 'must be { from, to } with YYYY-MM-DD dates, from ≤ to' });
    return undefined;
  }
  return { from: r!.from!, to: r!.to! };
}

// ISO dates compare as strings.
const within = (date: string, range: DateRange) => date >= range.from && date <= range.to;

function donorsIn(gifts: CheckedGift[], range: DateRange): Set<string> {
  const donors = new Set<string>();
  for (const gift of gifts) if (within(gift.date, range)) donors.add(gift.supporterId);
  return donors;
}

function retentionOf(gifts: CheckedGift[], previous: DateRange, current: DateRange): RetentionResult {
  const before = donorsIn(gifts, previous);
  const after = donorsIn(gifts, current);
  let retained = 0;
  for (const id of before) if (after.has(id)) retained++;
  const retention = before.size === 0 ? null : retained / before.size;
  const attrition = retention === null ? null : 1 - retention;
  return {
    previousDonors: before.size,
    retainedDonors: retained,
    retention,
    attrition,
    expectedLifespanPeriods: attrition === null || attrition === 0 ? null : 1 / attrition,
  };
}

/**
 * Retention of donors from one period to the next (any lengths, e.g. two calendar
 * years or two rolling 12-month windows). Throws `CrmError` (CRM_INVALID_INPUT)
 * naming every malformed gift or range.
 */
export function donorRetention(options: {
  gifts: Gift[];
  previous: DateRange;
  current: DateRange;
}): RetentionResult {
  const issues: CrmIssue[] = [];
  const gifts = checkGifts(options.gifts, issues);
  const previous = checkRange(options.previous, 'previous', issues);
  const current = checkRange(options.current, 'current', issues);
  if (issues.length > 0 || !previous || !current) throw new CrmError('CRM_INVALID_INPUT', issues);
  return retentionOf(gifts, previous, current);
}

/**
 * The fiscal year containing `date`, starting on the first day of `startMonth`
 * (1 = January, the calendar year, the default; 7 = July to June, 4 = April to March).
 */
export function fiscalYearOf(date: string, startMonth = 1): DateRange {
  const d = parseIsoDate(date);
  if (!d) throw new CrmError('CRM_INVALID_INPUT', [{ field: 'date', message: 'must be a YYYY-MM-DD date' }]);
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) {
    throw new CrmError('CRM_INVALID_INPUT', [
      { field: 'startMonth', message: 'must be a whole number 1–12' },
    ]);
  }
  const startYear = d.month >= startMonth ? d.year : d.year - 1;
  const from = { year: startYear, month: startMonth, day: 1 };
  // The day before the next fiscal year starts.
  const to = addDays(addMonths(from, 12), -1);
  return { from: formatIsoDate(from), to: formatIsoDate(to) };
}

/**
 * Donor metrics at `referenceDate` (usually today) for fiscal years starting in
 * `fiscalYearStartMonth` (default 1, calendar years). Gifts after the reference date
 * are ignored, as if the report had been run that day. Throws `CrmError`
 * (CRM_INVALID_INPUT) naming every malformed gift or option.
 */
export function donorMetrics(options: {
  gifts: Gift[];
  referenceDate: string;
  fiscalYearStartMonth?: number;
}): DonorMetrics {
  const issues: CrmIssue[] = [];
  const gifts = checkGifts(options.gifts, issues);
  const reference =
    typeof options.referenceDate === 'string' ? parseIsoDate(options.referenceDate) : undefined;
  if (!reference) issues.push({ field: 'referenceDate', message: 'must be a YYYY-MM-DD date' });
  const startMonth = options.fiscalYearStartMonth ?? 1;
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) {
    issues.push({
      field: 'fiscalYearStartMonth',
      message: `must be a whole number 1–12, got ${String(startMonth)}`,
    });
  }
  if (issues.length > 0 || !reference) throw new CrmError('CRM_INVALID_INPUT', issues);

  const referenceDate = formatIsoDate(reference);
  const thisFiscalYear = fiscalYearOf(referenceDate, startMonth);
  const yearBefore = (range: DateRange) => {
    const from = parseIsoDate(range.from)!;
    return fiscalYearOf(formatIsoDate(addMonths(from, -12)), startMonth);
  };
  const lastFiscalYear = yearBefore(thisFiscalYear);
  const fiscalYearBeforeLast = yearBefore(lastFiscalYear);
  const thisYearToDate = { from: thisFiscalYear.from, to: referenceDate };

  const counted = gifts.filter((g) => g.date <= referenceDate);
  const retention = {
    ...retentionOf(counted, fiscalYearBeforeLast, lastFiscalYear),
    previous: fiscalYearBeforeLast,
    current: lastFiscalYear,
  };

  const summaries = new Map<string, DonorSummary>();
  let lastYearTotal = 0;
  for (const gift of counted) {
    let s = summaries.get(gift.supporterId);
    if (!s) {
      s = {
        supporterId: gift.supporterId,
        firstGiftDate: gift.date,
        lastGiftDate: gift.date,
        giftCount: 0,
        totalCents: 0,
        lastFiscalYearCents: 0,
        monthsSinceLastGift: 0,
      };
      summaries.set(gift.supporterId, s);
    }
    s.giftCount++;
    s.totalCents += gift.amountCents;
    if (gift.date < s.firstGiftDate) s.firstGiftDate = gift.date;
    if (gift.date > s.lastGiftDate) s.lastGiftDate = gift.date;
    if (within(gift.date, lastFiscalYear)) {
      s.lastFiscalYearCents += gift.amountCents;
      lastYearTotal += gift.amountCents;
    }
  }

  const thisYearDonors = donorsIn(counted, thisYearToDate);
  const lastYearDonors = donorsIn(counted, lastFiscalYear);
  const averageAnnualGiftCents = lastYearDonors.size === 0 ? null : lastYearTotal / lastYearDonors.size;
  const expectedLifespanYears = retention.expectedLifespanPeriods;
  const lifetimeValueCents =
    averageAnnualGiftCents === null || expectedLifespanYears === null
      ? null
      : Math.round(averageAnnualGiftCents * expectedLifespanYears);

  const result: DonorMetrics = {
    referenceDate,
    thisFiscalYear,
    lastFiscalYear,
    retention,
    averageAnnualGiftCents,
    expectedLifespanYears,
    lifetimeValueCents,
    lybunt: [],
    sybunt: [],
    active: [],
    lapsed: [],
    deepLapsed: [],
  };
  const ordered = [...summaries.values()].sort((a, b) =>
    a.supporterId < b.supporterId ? -1 : a.supporterId > b.supporterId ? 1 : 0,
  );
  for (const s of ordered) {
    s.monthsSinceLastGift = wholeMonthsBetween(parseIsoDate(s.lastGiftDate)!, reference);
    if (!thisYearDonors.has(s.supporterId)) {
      if (lastYearDonors.has(s.supporterId)) result.lybunt.push(s);
      else if (s.firstGiftDate < lastFiscalYear.from) result.sybunt.push(s);
    }
    if (s.monthsSinceLastGift < 12) result.active.push(s);
    else if (s.monthsSinceLastGift < 24) result.lapsed.push(s);
    else result.deepLapsed.push(s);
  }
  return result;
}
