import { useEffect, useState, useSyncExternalStore } from 'react';

/** The current time, re-rendering every `ms` (timers, countdowns, time in state). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * When a state began, for a timer on this screen. The server's instant is used
 * when it is in the past; a simulated center's accelerated clock runs ahead of
 * the wall clock, and then the moment this screen first saw the state counts.
 */
export function sinceMs(iso: string, observed: Map<string, number>, key = ''): number {
  const id = `${key}@${iso}`;
  let seen = observed.get(id);
  if (seen === undefined) {
    seen = Date.now();
    if (observed.size > 5000) observed.clear();
    observed.set(id, seen);
  }
  const server = Date.parse(iso);
  return Number.isNaN(server) ? seen : Math.min(server, seen);
}

// One timer for a whole screen: every component that shows a running time
// subscribes to the same once-a-second tick (useSecondTick), instead of each
// owning an interval or a parent re-rendering every row.
const tickListeners = new Set<() => void>();
let tickNow = 0;
let tickTimer: ReturnType<typeof setInterval> | null = null;

function subscribeTick(listener: () => void): () => void {
  tickListeners.add(listener);
  if (tickTimer === null) {
    tickNow = Date.now();
    tickTimer = setInterval(() => {
      tickNow = Date.now();
      for (const notify of tickListeners) notify();
    }, 1000);
  }
  return () => {
    tickListeners.delete(listener);
    if (tickListeners.size === 0 && tickTimer !== null) {
      clearInterval(tickTimer);
      tickTimer = null;
      tickNow = 0;
    }
  };
}

function tickSnapshot(): number {
  // Before the first subscriber the time is read once (not on every call: the snapshot must be stable).
  if (tickTimer === null && tickNow === 0) tickNow = Date.now();
  return tickNow;
}

/**
 * The current time, updated by one shared once-a-second timer. With `active`
 * false the component does not re-render on the ticks (the value is 0).
 */
export function useSecondTick(active = true): number {
  return useSyncExternalStore(subscribeTick, () => (active ? tickSnapshot() : 0));
}
