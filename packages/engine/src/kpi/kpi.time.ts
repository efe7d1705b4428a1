// Time for KPIs: instants are UTC epoch milliseconds; a time zone (Europe/Rome by
// default) only decides which calendar day and month an interval belongs to.
// 15-minute interval starts are the same instants in UTC and in local time for
// every zone whose offset is a whole number of quarter hours (Europe/Rome: +1/+2 h),
// so an interval is floor(ms / 15 min); a local day is then 92, 96 or 100 of them
// (the last Sunday of March has 23 hours, of October 25). Intl only, no Temporal.

export const INTERVAL_MS = 15 * 60 * 1000;
export const DEFAULT_TIME_ZONE = 'Europe/Rome';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function localParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of local time from UTC at the instant `ms` (Europe/Rome: 3,600,000 in winter, 7,200,000 in summer). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Start of the 15-minute interval holding `ms`. */
export function intervalStartOf(ms: number): number {
  return Math.floor(ms / INTERVAL_MS) * INTERVAL_MS;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

// Interval starts repeat millions of times in a rollup; their day is cached.
const dayCache = new Map<string, Map<number, string>>();
const DAY_CACHE_LIMIT = 500_000;

/** Local calendar day `YYYY-MM-DD` of the instant `ms`. */
export function localDateOf(ms: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  let cache = dayCache.get(timeZone);
  if (!cache) {
    cache = new Map();
    dayCache.set(timeZone, cache);
  }
  const key = intervalStartOf(ms);
  let date = cache.get(key);
  if (date === undefined) {
    // Every instant of one interval has the same local day (offsets are whole quarter hours).
    const p = localParts(key, timeZone);
    date = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
    if (cache.size >= DAY_CACHE_LIMIT) cache.clear();
    cache.set(key, date);
  }
  return date;
}

/** Local month `YYYY-MM` of the instant `ms`. */
export function localMonthOf(ms: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  return localDateOf(ms, timeZone).slice(0, 7);
}

/** The instant of local midnight starting `date` (`YYYY-MM-DD`). */
export function startOfLocalDay(date: string, timeZone: string = DEFAULT_TIME_ZONE): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Local midnight = wall time − offset at that instant; a second pass settles a
  // guess that landed on the other side of a change of offset.
  let guess = wall - zoneOffsetMs(wall, timeZone);
  guess = wall - zoneOffsetMs(guess, timeZone);
  return guess;
}

/** The day after `date`, as `YYYY-MM-DD`. */
export function nextDate(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** [from, to) of a local day: 23, 24 or 25 hours long in Europe/Rome. */
export function localDayBounds(
  date: string,
  timeZone: string = DEFAULT_TIME_ZONE,
): { fromMs: number; toMs: number } {
  return { fromMs: startOfLocalDay(date, timeZone), toMs: startOfLocalDay(nextDate(date), timeZone) };
}

/** [from, to) of a local month `YYYY-MM`. */
export function localMonthBounds(
  month: string,
  timeZone: string = DEFAULT_TIME_ZONE,
): { fromMs: number; toMs: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12)
    throw new RangeError(`not a YYYY-MM month: ${month}`);
  const year = Number(match[1]);
  const m = Number(match[2]);
  const next = m === 12 ? `${pad(year + 1, 4)}-01` : `${pad(year, 4)}-${pad(m + 1)}`;
  return { fromMs: startOfLocalDay(`${month}-01`, timeZone), toMs: startOfLocalDay(`${next}-01`, timeZone) };
}

/** Starts of the 15-minute intervals of a local day: 92, 96 or 100 of them. */
export function intervalsOfLocalDay(date: string, timeZone: string = DEFAULT_TIME_ZONE): number[] {
  const { fromMs, toMs } = localDayBounds(date, timeZone);
  const starts: number[] = [];
  for (let t = fromMs; t < toMs; t += INTERVAL_MS) starts.push(t);
  return starts;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An instant from epoch milliseconds or an ISO 8601 text with its offset
 * (`2026-03-29T01:59:59+01:00`, `…Z`). Text without an offset is refused: in the
 * hour repeated at the end of October it names two instants.
 */
export function toEpochMs(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value.trim())) return undefined;
  const ms = Date.parse(value.trim().replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}
