// Rolling drop-rate windows of one campaign (DOMAIN.md §4): drops / live answers
// over the last 24 hours (UK practice) and the last 30 days (US rule). Counts sit
// in one-minute buckets, so memory is fixed (43,200 buckets) and the window edge
// is exact to the minute.

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const MONTH_MINUTES = 30 * DAY_MINUTES;

export type PacingDropWindow = { liveAnswers: number; drops: number };

export type PacingDropBudget = {
  addLiveAnswer(nowMs: number): void;
  addDrop(nowMs: number): void;
  /** Counts in the windows ending at nowMs. */
  day(nowMs: number): PacingDropWindow;
  month(nowMs: number): PacingDropWindow;
};

export function createDropBudget(): PacingDropBudget {
  const lives = new Int32Array(MONTH_MINUTES);
  const drops = new Int32Array(MONTH_MINUTES);
  let currentMinute = Number.NaN;
  const dayWindow = { liveAnswers: 0, drops: 0 };
  const monthWindow = { liveAnswers: 0, drops: 0 };

  // Moves the windows forward to the minute of nowMs, expiring what falls out.
  // Clock values only move forward; an earlier value is treated as the current minute.
  function advance(nowMs: number) {
    const minute = Math.floor(nowMs / MINUTE_MS);
    if (Number.isNaN(currentMinute)) {
      currentMinute = minute;
      return;
    }
    if (minute <= currentMinute) return;
    if (minute - currentMinute > MONTH_MINUTES - DAY_MINUTES) {
      // A gap of a month or nearly: every bucket the windows could still hold has expired.
      lives.fill(0);
      drops.fill(0);
      dayWindow.liveAnswers = dayWindow.drops = monthWindow.liveAnswers = monthWindow.drops = 0;
      currentMinute = minute;
      return;
    }
    const steps = minute - currentMinute;
    for (let i = 1; i <= steps; i++) {
      const m = currentMinute + i;
      // The bucket leaving the 24 h window, still inside the 30-day one.
      const leavingDay = (((m - DAY_MINUTES) % MONTH_MINUTES) + MONTH_MINUTES) % MONTH_MINUTES;
      dayWindow.liveAnswers -= lives[leavingDay]!;
      dayWindow.drops -= drops[leavingDay]!;
      const slot = ((m % MONTH_MINUTES) + MONTH_MINUTES) % MONTH_MINUTES;
      monthWindow.liveAnswers -= lives[slot]!;
      monthWindow.drops -= drops[slot]!;
      lives[slot] = 0;
      drops[slot] = 0;
    }
    currentMinute = minute;
  }

  function add(counts: Int32Array, field: 'liveAnswers' | 'drops', nowMs: number) {
    advance(nowMs);
    const slot = ((currentMinute % MONTH_MINUTES) + MONTH_MINUTES) % MONTH_MINUTES;
    counts[slot]! += 1;
    dayWindow[field] += 1;
    monthWindow[field] += 1;
  }

  return {
    addLiveAnswer: (nowMs) => add(lives, 'liveAnswers', nowMs),
    addDrop: (nowMs) => add(drops, 'drops', nowMs),
    day(nowMs) {
      advance(nowMs);
      return { ...dayWindow };
    },
    month(nowMs) {
      advance(nowMs);
      return { ...monthWindow };
    },
  };
}
