// The KPI API takes instants with an offset on 15-minute boundaries; the page
// speaks in local dates of the organization's time zone.

/** The offset of a time zone at an instant, as `+01:00`. */
export function offsetAt(instant: Date, timeZone: string): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return match ? `${match[1]}:${match[2] ?? '00'}` : '+00:00';
}

/** Local midnight of `YYYY-MM-DD` in the zone, e.g. `2026-03-29T00:00:00+01:00`. */
export function dayStart(date: string, timeZone: string): string {
  // Midnight is before any daylight-saving switch (2–3 a.m. in Europe): the offset at noon UTC of the previous day holds.
  const probe = new Date(`${date}T00:00:00Z`);
  probe.setUTCHours(probe.getUTCHours() - 12);
  return `${date}T00:00:00${offsetAt(probe, timeZone)}`;
}

export function nextDay(date: string): string {
  const day = new Date(`${date}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}
