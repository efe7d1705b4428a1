// When the dialer may place a campaign's calls: the campaign's calling window
// (weekly periods on a local clock, holidays, an IANA zone; DOMAIN.md §7 "a
// dialer never dials outside them"), or the default window below when the
// campaign names none. Pure: the dialer and the API call it with the clock's
// time; the time zone is applied by engine/routing's open hours (Intl), so the
// daylight-saving changes of Europe/Rome need no configuration.
import { type CompiledOpenHours, compileOpenHours } from '@centralino/engine';
import type { WeeklyPeriod } from '../../db/schema.ts';

export type CallingWindowHours = { timeZone: string; weekly: WeeklyPeriod[]; holidays: string[] };

/**
 * A campaign without a calling window dials only within these hours: Monday to
 * Friday 09:00–21:00 and Saturday 09:00–13:00 in Europe/Rome, never on Sunday
 * nor on an Italian national public holiday. DOMAIN.md §7 states no hours, so
 * this is a conservative professional default, not a legal rule: an
 * organization that needs others sets a calling window on the campaign.
 */
export const DEFAULT_CALLING_WINDOW: Omit<CallingWindowHours, 'holidays'> = {
  timeZone: 'Europe/Rome',
  weekly: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '21:00' },
    { days: ['sat'], from: '09:00', to: '13:00' },
  ],
};

/** Easter Sunday of `year` (Gregorian; the anonymous "Meeus/Jones/Butcher" computus), as 'YYYY-MM-DD'. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Italian national public holidays of `year` (L. 260/1949 and later changes):
 * New Year, Epiphany, Easter Monday, Liberation Day, Labour Day, Republic Day,
 * Assumption, All Saints, Immaculate Conception, Christmas, St Stephen. Local
 * patron saints' days are the organization's own calling window's business.
 */
export function italianPublicHolidays(year: number): string[] {
  const easter = new Date(`${easterSunday(year)}T00:00:00Z`);
  const easterMonday = new Date(easter.getTime() + 86_400_000).toISOString().slice(0, 10);
  const fixed = ['01-01', '01-06', '04-25', '05-01', '06-02', '08-15', '11-01', '12-08', '12-25', '12-26'];
  return [...fixed.map((day) => `${year}-${day}`), easterMonday].sort();
}

const compiledDefaults = new Map<number, CompiledOpenHours>();

function defaultWindowFor(at: Date): CompiledOpenHours {
  // The local year of `at` is the UTC year or a neighbour: closing the three covers New Year's Eve in any zone.
  const year = at.getUTCFullYear();
  let compiled = compiledDefaults.get(year);
  if (!compiled) {
    compiled = compileOpenHours(
      {
        ...DEFAULT_CALLING_WINDOW,
        closedDates: [year - 1, year, year + 1].flatMap(italianPublicHolidays),
      },
      'defaultCallingWindow',
    );
    compiledDefaults.set(year, compiled);
  }
  return compiled;
}

/**
 * Whether a call may be placed at `at` within `window` (its weekly periods on
 * its own local clock, none of its holidays); `null` is the campaign without
 * a window, which gets DEFAULT_CALLING_WINDOW and the Italian public holidays.
 */
export function isWithinCallingWindow(window: CallingWindowHours | null, at: Date): boolean {
  if (window === null) return defaultWindowFor(at).isOpen(at.getTime());
  return compileOpenHours(
    { timeZone: window.timeZone, weekly: window.weekly, closedDates: window.holidays },
    'callingWindow',
  ).isOpen(at.getTime());
}
