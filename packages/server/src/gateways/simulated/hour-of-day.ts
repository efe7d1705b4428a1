// Hour of the day (0–23) of an instant in a time zone, for per-hour profiles
// (arrival rates, live-answer rates) that are written in local time. Intl is
// slow per call, so the answer is cached per 15-minute block: every time zone
// offset in use is a multiple of 15 minutes, so a block never straddles a
// local hour boundary.

const BLOCK_MS = 15 * 60_000;

export function createHourOfDay(timeZone: string): (at: number) => number {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' });
  let cachedBlock = Number.NaN;
  let cachedHour = 0;
  return (at) => {
    const block = Math.floor(at / BLOCK_MS);
    if (block !== cachedBlock) {
      cachedBlock = block;
      cachedHour = Number(format.formatToParts(block * BLOCK_MS).find((p) => p.type === 'hour')!.value);
    }
    return cachedHour;
  };
}
