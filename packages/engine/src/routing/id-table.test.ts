// The task table against a Map, over seeded random churn: whatever the probing
// and the backward-shift deletions do, every id must be found exactly while it
// is in the table, and never after it left.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { hashId, IdTable } from './id-table.ts';

type Row = { id: string; n: number };

describe('hashId', () => {
  it('is FNV-1a then the MurmurHash3 finalizer, and never 0', () => {
    // FNV-1a 32-bit of "a" is 0xe40c292c (reference value from the FNV page,
    // http://www.isthe.com/chongo/tech/comp/fnv/); fmix32 of it computed by hand
    // with the same three xor-shifts and two multiplications.
    let h = 0xe40c292c | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    expect(hashId('a')).toBe(h);
    expect(hashId('t1')).not.toBe(hashId('t2'));
    for (let i = 0; i < 10_000; i++) expect(hashId(`t${i}`)).not.toBe(0);
  });

  it('spreads sequential ids over the low bits', () => {
    const buckets = new Array(64).fill(0);
    for (let i = 0; i < 64_000; i++) buckets[hashId(`t${i}`) & 63]++;
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });
});

describe('IdTable', () => {
  it('agrees with a Map under random adds and deletes', () => {
    const random = createRandom(17);
    const table = new IdTable<Row>();
    const reference = new Map<string, Row>();
    let next = 0;
    for (let step = 0; step < 40_000; step++) {
      const r = random();
      // Grows to a few thousand, then churns around that size.
      if (r < 0.55 || reference.size < 50) {
        const row = { id: `t${next++}`, n: step };
        expect(table.has(row.id)).toBe(false);
        table.add(row);
        reference.set(row.id, row);
      } else {
        const ids = [...reference.keys()];
        const id = ids[Math.floor(random() * ids.length)]!;
        expect(table.delete(id)).toBe(true);
        reference.delete(id);
        expect(table.get(id)).toBeUndefined();
        expect(table.delete(id)).toBe(false);
      }
      if (step % 97 === 0) {
        for (const [id, row] of reference) expect(table.get(id)).toBe(row);
        expect(table.size).toBe(reference.size);
      }
    }
    expect([...table.values()].sort((a, b) => a.n - b.n)).toEqual(
      [...reference.values()].sort((a, b) => a.n - b.n),
    );
  });

  it('keeps ids reachable across deletions in the middle of a probe run', () => {
    // Ids whose hashes share their low bits land in one run of slots.
    const colliding: string[] = [];
    for (let i = 0; colliding.length < 6; i++) if ((hashId(`x${i}`) & 15) === 3) colliding.push(`x${i}`);
    const table = new IdTable<Row>();
    colliding.forEach((id, n) => {
      table.add({ id, n });
    });
    table.delete(colliding[1]!);
    table.delete(colliding[3]!);
    colliding.forEach((id, n) => {
      expect(table.get(id)?.n).toBe(n === 1 || n === 3 ? undefined : n);
    });
  });
});
