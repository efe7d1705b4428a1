// Verified credentials are remembered for a short time so an authenticated
// request does not cost a database round trip. Logout and key revocation evict
// at once on this node; on other nodes an entry lives at most `ttlMs`.
export type AuthCache<T> = {
  get(key: string, nowMs: number): T | undefined;
  set(key: string, value: T, nowMs: number, notAfterMs?: number): void;
  delete(key: string): void;
  deleteWhere(predicate: (value: T) => boolean): void;
};

export function createAuthCache<T>(options: { ttlMs: number; maxEntries: number }): AuthCache<T> {
  const entries = new Map<string, { value: T; expiresAtMs: number }>();
  return {
    get(key, nowMs) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAtMs <= nowMs) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, nowMs, notAfterMs = Number.POSITIVE_INFINITY) {
      if (entries.size >= options.maxEntries) {
        // Maps iterate in insertion order: drop the oldest entry.
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(key, { value, expiresAtMs: Math.min(nowMs + options.ttlMs, notAfterMs) });
    },
    delete: (key) => entries.delete(key),
    deleteWhere(predicate) {
      for (const [key, entry] of entries) if (predicate(entry.value)) entries.delete(key);
    },
  };
}
