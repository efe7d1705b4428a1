// The live center's clock. Everything that happens "later" in the live center
// (a caller's patience running out, a wrap-up ending, a dialer tick) is a timer
// on this clock, never a bare setTimeout: the same code then runs at real time
// in production, accelerated in the demo (a working day in minutes) and under a
// manual clock in tests, where time only moves when the test says so.
//
// All three share one timer queue ordered by (due time, creation order), so
// timers due at the same instant fire in the order they were set on every
// clock: the tie-break that makes simulated runs replay exactly.

export type TimerId = number;

/** Called with the instant the timer was due (epoch ms), which a late real timer may have passed. */
export type TimerCallback = (dueAt: number) => void;

export type LiveClock = {
  readonly kind: 'real' | 'accelerated' | 'manual';
  /** Simulated milliseconds per real millisecond: 1 at real time, the factor when accelerated, null when manual. */
  readonly speed: number | null;
  /** Current time, epoch milliseconds. */
  now(): number;
  /** Runs `fn` once at `at` (epoch ms); a time already past runs at the next opportunity. */
  setTimer(at: number, fn: TimerCallback): TimerId;
  /** Cancels a timer; unknown or already fired ids are ignored. */
  clearTimer(id: TimerId): void;
  /** Cancels every timer and releases the process timer, so a stopped clock keeps no process alive. */
  stop(): void;
};

export type ManualClock = LiveClock & {
  readonly kind: 'manual';
  /**
   * Moves time to `t`, running every timer due at or before it in time order (ties
   * in the order they were set), including timers those callbacks set. Time never
   * goes back: a `t` before now throws. Returns the number of timers run.
   */
  advanceTo(t: number): number;
  advanceBy(ms: number): number;
  /**
   * Like `advanceTo`, but after each timer lets the event loop turn once
   * (setImmediate), so reactions written with `await` happen at the simulated
   * instant of the timer that caused them rather than after the whole advance.
   */
  advanceToAsync(t: number): Promise<number>;
  /** Due time of the earliest pending timer, or null. */
  nextTimerAt(): number | null;
  pendingTimers(): number;
};

type Entry = { at: number; seq: number; id: TimerId; fn: TimerCallback };

/** Binary min-heap on (at, seq); cancelled timers are dropped lazily when they reach the top. */
class TimerQueue {
  private heap: Entry[] = [];
  private live = new Map<TimerId, Entry>();
  private nextSeq = 0;

  add(at: number, fn: TimerCallback): TimerId {
    if (!Number.isFinite(at)) throw new RangeError(`timer time must be a finite epoch ms, got ${at}`);
    const seq = this.nextSeq++;
    const entry: Entry = { at, seq, id: seq + 1, fn };
    this.live.set(entry.id, entry);
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
    return entry.id;
  }

  remove(id: TimerId): void {
    const entry = this.live.get(id);
    if (entry === undefined) return;
    this.live.delete(id);
    // The entry stays in the heap until it surfaces: drop its callback now so what
    // it closes over (a whole call, in the simulated gateway) can be collected, and
    // rebuild the heap when cancelled entries outnumber live ones (patience timers
    // are mostly cancelled long before they fall due).
    entry.fn = NOOP;
    if (this.heap.length > 1024 && this.heap.length > 2 * this.live.size) this.compact();
  }

  clear(): void {
    this.heap = [];
    this.live.clear();
  }

  private compact(): void {
    const heap = [...this.live.values()].sort((a, b) => (before(a, b) ? -1 : 1));
    // A sorted array is a valid binary min-heap.
    this.heap = heap;
  }

  size(): number {
    return this.live.size;
  }

  /** The earliest live entry, dropping cancelled ones on the way. */
  peek(): Entry | null {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.live.get(top.id) === top) return top;
      this.pop();
    }
    return null;
  }

  /** Removes and returns the earliest live entry if it is due at or before `t`. */
  takeDue(t: number): Entry | null {
    const top = this.peek();
    if (top === null || top.at > t) return null;
    this.pop();
    this.live.delete(top.id);
    return top;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
}

const NOOP: TimerCallback = () => {};

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Manual clock for tests and batch runs: time moves only through `advanceTo`/`advanceBy`. */
export function createManualClock(options: { start: number }): ManualClock {
  const queue = new TimerQueue();
  let now = options.start;
  let advancing = false;

  const check = (t: number) => {
    if (!Number.isFinite(t)) throw new RangeError(`advanceTo needs a finite epoch ms, got ${t}`);
    if (t < now) throw new RangeError(`the manual clock cannot go back from ${now} to ${t}`);
    // A timer callback advancing the clock would run later timers inside an earlier one.
    if (advancing) throw new Error('advanceTo called from inside a timer callback');
  };

  const clock: ManualClock = {
    kind: 'manual',
    speed: null,
    now: () => now,
    setTimer: (at, fn) => queue.add(at, fn),
    clearTimer: (id) => queue.remove(id),
    stop: () => queue.clear(),
    advanceTo(t) {
      check(t);
      advancing = true;
      let ran = 0;
      try {
        for (let e = queue.takeDue(t); e !== null; e = queue.takeDue(t)) {
          // A past-due timer (set for a time before now) runs at now: time never goes back.
          if (e.at > now) now = e.at;
          ran++;
          e.fn(e.at);
        }
      } finally {
        advancing = false;
      }
      now = t;
      return ran;
    },
    advanceBy(ms) {
      return clock.advanceTo(now + ms);
    },
    async advanceToAsync(t) {
      check(t);
      let ran = 0;
      for (let e = queue.takeDue(t); e !== null; e = queue.takeDue(t)) {
        if (e.at > now) now = e.at;
        ran++;
        advancing = true;
        try {
          e.fn(e.at);
        } finally {
          advancing = false;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      now = t;
      return ran;
    },
    nextTimerAt: () => queue.peek()?.at ?? null,
    pendingTimers: () => queue.size(),
  };
  return clock;
}

/**
 * Real time (`factor` 1) or accelerated: simulated time runs `factor` times faster
 * than the wall clock from `start` (default: now). Factor 10 makes a simulated
 * minute last 6 real seconds. One process timer is armed for the earliest entry.
 */
function createPacedClock(options: {
  kind: 'real' | 'accelerated';
  factor: number;
  start?: number;
  realNow?: () => number;
}): LiveClock {
  const { factor } = options;
  if (!(factor > 0) || !Number.isFinite(factor))
    throw new RangeError(`clock factor must be > 0, got ${factor}`);
  const realNow = options.realNow ?? Date.now;
  const realStart = realNow();
  const simStart = options.start ?? realStart;
  const queue = new TimerQueue();
  let handle: ReturnType<typeof setTimeout> | null = null;
  let armedFor = Number.POSITIVE_INFINITY;

  const now = () => simStart + (realNow() - realStart) * factor;

  const arm = () => {
    const next = queue.peek();
    if (next === null) {
      if (handle !== null) clearTimeout(handle);
      handle = null;
      armedFor = Number.POSITIVE_INFINITY;
      return;
    }
    if (handle !== null && armedFor <= next.at) return;
    if (handle !== null) clearTimeout(handle);
    // setTimeout takes at most 2^31−1 ms; a later timer re-arms when that one fires.
    const realDelay = Math.min(Math.max(0, (next.at - now()) / factor), 2_147_483_647);
    armedFor = next.at;
    handle = setTimeout(fire, Math.ceil(realDelay));
  };

  const fire = () => {
    handle = null;
    armedFor = Number.POSITIVE_INFINITY;
    const t = now();
    try {
      for (let e = queue.takeDue(t); e !== null; e = queue.takeDue(t)) e.fn(e.at);
    } finally {
      // Re-armed even when a callback throws, so one failing timer does not stop the others.
      arm();
    }
  };

  return {
    kind: options.kind,
    speed: factor,
    now,
    setTimer(at, fn) {
      const id = queue.add(at, fn);
      arm();
      return id;
    },
    clearTimer(id) {
      queue.remove(id);
    },
    stop() {
      queue.clear();
      arm();
    },
  };
}

export function createRealClock(options: { realNow?: () => number } = {}): LiveClock {
  return createPacedClock({ kind: 'real', factor: 1, realNow: options.realNow });
}

/** `factor` simulated ms per real ms; `start` is the simulated epoch ms at creation (default now). */
export function createAcceleratedClock(options: {
  factor: number;
  start?: number;
  realNow?: () => number;
}): LiveClock {
  return createPacedClock({ kind: 'accelerated', ...options });
}
