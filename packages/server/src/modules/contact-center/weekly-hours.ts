// Weekly opening periods on a local clock, with closed dates, in an IANA time
// zone: the shape shared by calling windows, queue hours and the IVR's `hours`
// node (the same as engine/routing's OpenHours). Pure validation for the API's
// edge: every problem comes back with the field it belongs to.
import { parseIsoDate } from '@centralino/engine';
import type { Weekday, WeeklyPeriod } from '../../db/schema.ts';
import type { ProblemField } from '../../http/errors.ts';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;
// Area/Location names (Europe/Rome, America/Argentina/Buenos_Aires) and UTC.
// Intl alone would also take offsets such as "+01:00", which have no
// daylight-saving rules: a calling window in one would be wrong half the year.
const IANA_ZONE = /^(?:UTC|[A-Z][A-Za-z_]+(?:\/[A-Z][A-Za-z0-9_+-]+){1,2})$/;

/** Minutes after midnight of `HH:MM` (24:00 allowed), or undefined. */
export function clockMinutes(text: string): number | undefined {
  const match = CLOCK.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

export function isIanaTimeZone(zone: string): boolean {
  if (!IANA_ZONE.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Problems of weekly periods: known, distinct weekdays; `from` and `to` as
 * HH:MM with `to` after `from` (24:00 ends a day); no two periods of the same
 * day overlapping (a typo such as 09:00–18:00 and 13:00–14:00 would otherwise
 * hide the second one's intent).
 */
export function weeklyProblems(weekly: readonly WeeklyPeriod[], field: string): ProblemField[] {
  const problems: ProblemField[] = [];
  const taken = new Map<Weekday, { from: number; to: number; index: number }[]>();
  weekly.forEach((period, i) => {
    const at = `${field}[${i}]`;
    if (period.days.length === 0)
      problems.push({ field: `${at}.days`, message: 'must name at least one day' });
    const unknown = period.days.filter((day) => !WEEKDAYS.includes(day));
    if (unknown.length > 0)
      problems.push({
        field: `${at}.days`,
        message: `unknown weekday ${unknown.map((d) => `'${d}'`).join(', ')}`,
      });
    if (new Set(period.days).size !== period.days.length)
      problems.push({ field: `${at}.days`, message: 'names a day twice' });
    const from = clockMinutes(period.from);
    const to = clockMinutes(period.to);
    if (from === undefined || from === 24 * 60)
      problems.push({ field: `${at}.from`, message: `expected a clock time HH:MM, got '${period.from}'` });
    if (to === undefined)
      problems.push({
        field: `${at}.to`,
        message: `expected a clock time HH:MM (24:00 allowed), got '${period.to}'`,
      });
    if (from === undefined || to === undefined || from === 24 * 60) return;
    if (to <= from) {
      problems.push({ field: `${at}.to`, message: `must be after 'from' (${period.from})` });
      return;
    }
    for (const day of new Set(period.days)) {
      if (!WEEKDAYS.includes(day)) continue;
      const others = taken.get(day) ?? [];
      const clash = others.find((other) => other.from < to && from < other.to);
      if (clash) {
        problems.push({ field: at, message: `overlaps ${field}[${clash.index}] on ${day}` });
        return;
      }
      taken.set(day, [...others, { from, to, index: i }]);
    }
  });
  return problems;
}

/** Problems of local dates (holidays, closed dates): real calendar dates, each once. */
export function dateListProblems(dates: readonly string[], field: string): ProblemField[] {
  const problems: ProblemField[] = [];
  const seen = new Set<string>();
  dates.forEach((date, i) => {
    if (parseIsoDate(date) === undefined)
      problems.push({ field: `${field}[${i}]`, message: `expected a date YYYY-MM-DD, got '${date}'` });
    else if (seen.has(date)) problems.push({ field: `${field}[${i}]`, message: `${date} is listed twice` });
    seen.add(date);
  });
  return problems;
}

export function timeZoneProblems(zone: string, field: string): ProblemField[] {
  return isIanaTimeZone(zone)
    ? []
    : [{ field, message: `'${zone}' is not an IANA time zone (for example Europe/Rome)` }];
}
