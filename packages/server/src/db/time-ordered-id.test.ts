import { describe, expect, it, vi } from 'vitest';

/**
 * A fresh copy of the module: it remembers the last id it made (ids never go
 * backwards), and test files share modules, so another file's ids made at a
 * later simulated time would otherwise carry over into these.
 */
async function freshTimeOrderedId() {
  vi.resetModules();
  return (await import('./time-ordered-id.ts')).timeOrderedId;
}

describe('timeOrderedId', () => {
  it('is a version 7, variant 10 UUID carrying the time in its first 48 bits', async () => {
    const timeOrderedId = await freshTimeOrderedId();
    const at = Date.UTC(2026, 11, 1, 9, 30);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // RFC 9562 §5.7: unix_ts_ms is the first 48 bits, big-endian.
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('keeps strictly increasing order within one millisecond and across many ids', async () => {
    const timeOrderedId = await freshTimeOrderedId();
    const at = Date.UTC(2030, 0, 1);
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId(at));
    const sorted = [...ids].sort();
    expect(ids).toEqual(sorted);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never goes backwards when the clock does', async () => {
    const timeOrderedId = await freshTimeOrderedId();
    const a = timeOrderedId(Date.UTC(2031, 0, 1, 0, 0, 1));
    const b = timeOrderedId(Date.UTC(2031, 0, 1, 0, 0, 0));
    expect(b > a).toBe(true);
  });
});
