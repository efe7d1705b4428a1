// Opening hours of a queue on its organization's local clock. The engine works
// in UTC milliseconds; the time zone is applied here (with the Intl time-zone
// database, which does no I/O), so daylight-saving changes need no configuration.
import { RoutingError } from './routing.errors.ts';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export type OpenHours = {
  /** IANA zone; default Europe/Rome. */
  timeZone?: string;
  /** Open periods; `to` after `from` on the same day (`24:00` allowed). */
  weekly: { days: Weekday[]; from: string; to: string }[];
  /** Local dates (`YYYY-MM-DD`) on which the queue stays closed all day, e.g. holidays. */
  closedDates?: string[];
};

export type CompiledOpenHours = {
  /** Whether the queue is open at `at` (UTC ms); stable within a minute. */
  isOpen: (at: number) => boolean;
};

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SHORT_WEEKDAY: Record<string, Weekday> = {
  Sun: 'sun',
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
};

function clockMinutes(text: string, field: string, allow24: boolean): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  if (!match || minutes > 24 * 60 || (!allow24 && minutes === 24 * 60)) {
    throw new RoutingError('ROUTING_INVALID_CONFIG', `${field}: expected a clock time HH:MM, got '${text}'`, {
      field,
    });
  }
  return minutes;
}

/** Validates the hours (RoutingError naming `field`) and returns a fast open/closed test. */
export function compileOpenHours(hours: OpenHours, field: string): CompiledOpenHours {
  const timeZone = hours.timeZone ?? 'Europe/Rome';
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
  } catch {
    throw new RoutingError('ROUTING_INVALID_CONFIG', `${field}.timeZone: unknown time zone '${timeZone}'`, {
      field: `${field}.timeZone`,
    });
  }
  const periods: { days: Set<Weekday>; from: number; to: number }[] = hours.weekly.map((period, i) => {
    const at = `${field}.weekly[${i}]`;
    for (const day of period.days) {
      if (!WEEKDAYS.includes(day)) {
        throw new RoutingError('ROUTING_INVALID_CONFIG', `${at}.days: unknown weekday '${day}'`, {
          field: at,
        });
      }
    }
    const from = clockMinutes(period.from, `${at}.from`, false);
    const to = clockMinutes(period.to, `${at}.to`, true);
    if (to <= from) {
      throw new RoutingError(
        'ROUTING_INVALID_CONFIG',
        `${at}: 'to' (${period.to}) must be after 'from' (${period.from})`,
        {
          field: at,
        },
      );
    }
    return { days: new Set(period.days), from, to };
  });
  const closedDates = new Set(hours.closedDates ?? []);
  for (const date of closedDates) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      throw new RoutingError(
        'ROUTING_INVALID_CONFIG',
        `${field}.closedDates: expected YYYY-MM-DD, got '${date}'`,
        {
          field: `${field}.closedDates`,
        },
      );
    }
  }

  // Formatting a date costs microseconds; the answer cannot change within a minute.
  let cachedMinute = Number.NaN;
  let cachedOpen = false;
  return {
    isOpen(at: number): boolean {
      const minute = Math.floor(at / 60_000);
      if (minute === cachedMinute) return cachedOpen;
      const parts: Record<string, string> = {};
      for (const part of format.formatToParts(at)) parts[part.type] = part.value;
      const weekday = SHORT_WEEKDAY[parts.weekday!]!;
      const date = `${parts.year}-${parts.month}-${parts.day}`;
      const minutes = Number(parts.hour) * 60 + Number(parts.minute);
      cachedMinute = minute;
      cachedOpen =
        !closedDates.has(date) &&
        periods.some((p) => p.days.has(weekday) && minutes >= p.from && minutes < p.to);
      return cachedOpen;
    },
  };
}
