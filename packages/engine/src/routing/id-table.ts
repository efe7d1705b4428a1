// Records by string id in an open-addressing hash table whose probe sequence
// reads only a typed array of 32-bit hashes. Why not a Map: with 10,000 agents
// about 9,000 tasks are in progress, and every decision first asks whether the
// new task's id is taken. A Map answers that by following a bucket chain and
// comparing the id with each key there (each key a string elsewhere in memory):
// three to five cache misses on every enqueue, the largest single cost of a
// decision at that size. Here a miss reads one slot of `hashes` (4 bytes per
// slot, 128 KB at 16,384 tasks: it stays in cache) and never a stored key, and
// a hit reads the record it returns anyway.
//
// Linear probing with backward-shift deletion (no tombstones, so the table
// never degrades under steady insert/delete churn), load factor at most 1/2.

export type Identified = { id: string };

/**
 * 32-bit FNV-1a over the UTF-16 code units, then the MurmurHash3 finalizer so
 * sequential ids ("t1", "t2", …) spread over the low bits used as the slot.
 * FNV: http://www.isthe.com/chongo/tech/comp/fnv/ ; fmix32: Appleby, MurmurHash3.
 * Never 0: 0 marks an empty slot.
 */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

export class IdTable<T extends Identified> {
  private hashes = new Int32Array(16);
  private records: (T | undefined)[] = new Array(16).fill(undefined);
  private mask = 15;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: string): T | undefined {
    const slot = this.find(id, hashId(id));
    return slot < 0 ? undefined : this.records[slot];
  }

  has(id: string): boolean {
    return this.find(id, hashId(id)) >= 0;
  }

  /** Adds a record whose id is not in the table (check with `has` first). */
  add(record: T): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    this.place(record, hashId(record.id));
    this.count++;
  }

  delete(id: string): boolean {
    const hashes = this.hashes;
    const records = this.records;
    const mask = this.mask;
    let slot = this.find(id, hashId(id));
    if (slot < 0) return false;
    // Backward-shift: pull later entries of the probe run into the hole, so that
    // every entry stays reachable from its home slot without tombstones.
    let next = (slot + 1) & mask;
    while (hashes[next] !== 0) {
      const home = hashes[next]! & mask;
      // The entry at `next` may move to `slot` only if its home is not in (slot, next].
      if ((next > slot && (home <= slot || home > next)) || (next < slot && home <= slot && home > next)) {
        hashes[slot] = hashes[next]!;
        records[slot] = records[next];
        slot = next;
      }
      next = (next + 1) & mask;
    }
    hashes[slot] = 0;
    records[slot] = undefined;
    this.count--;
    return true;
  }

  /** Every record, in slot order (deterministic for the same sequence of calls). */
  *values(): IterableIterator<T> {
    for (let slot = 0; slot <= this.mask; slot++) if (this.hashes[slot] !== 0) yield this.records[slot]!;
  }

  private find(id: string, hash: number): number {
    const hashes = this.hashes;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const h = hashes[slot]!;
      if (h === 0) return -1;
      if (h === hash && this.records[slot]!.id === id) return slot;
    }
  }

  private place(record: T, hash: number): void {
    const hashes = this.hashes;
    const mask = this.mask;
    let slot = hash & mask;
    while (hashes[slot] !== 0) slot = (slot + 1) & mask;
    hashes[slot] = hash;
    this.records[slot] = record;
  }

  private grow(): void {
    const oldHashes = this.hashes;
    const oldRecords = this.records;
    const size = (this.mask + 1) * 2;
    this.hashes = new Int32Array(size);
    this.records = new Array(size).fill(undefined);
    this.mask = size - 1;
    for (let slot = 0; slot < oldHashes.length; slot++) {
      if (oldHashes[slot] !== 0) this.place(oldRecords[slot]!, oldHashes[slot]!);
    }
  }
}
