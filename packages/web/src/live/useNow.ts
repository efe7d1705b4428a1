import { useEffect, useState } from 'react';

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
