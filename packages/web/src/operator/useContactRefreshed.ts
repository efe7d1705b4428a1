// A read of the operator's own figures (GET path) for a desktop card: at
// mount, every minute, and a little after `refreshKey` changes (the desktop
// passes its current contact: what a closing contact changes is written by the
// runtime's batched writer shortly after the close, hence the delays).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';

const REFRESH_MS = 60_000;
const AFTER_CLOSE_MS = [700, 2500];

export function useContactRefreshed<T>(path: string, refreshKey: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await api<T>('GET', path));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [path]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  // Not on the first render (the load above serves it): on each change after, a contact started or closed.
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a change of refreshKey is the trigger
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timers = AFTER_CLOSE_MS.map((ms) => setTimeout(() => void load(), ms));
    return () => timers.forEach(clearTimeout);
  }, [refreshKey, load]);

  return { data, failed };
}
