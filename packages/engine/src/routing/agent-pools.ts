// Indexes of the idle agents of one eligibility group ("pool": the agents of an
// organization with capacity on a channel who satisfy a skill expression), kept in
// the order of one strategy. A routing decision asks a pool for its best member
// instead of scanning agents:
//   longest-idle, best-skill,  HeapIndex: an in-order queue plus a heap, O(1) for
//   least-occupied,            members joining in order, O(log n) otherwise
//   fewest-contacts
//   round-robin                RoundRobinIndex: a Fenwick tree over fixed member
//                              positions, "next idle member after the last one
//                              offered" in O(log n)
//   random, ring-all           ArrayIndex: an array with O(1) swap-removal
//
// The first two are lazy: the router does not tell them when an agent stops being
// idle (it only clears a bit: `agent.idleMask`, and the lane's stamp in the
// MemberTable), so reserving an agent touches none of its pools; members whose
// agent is busy are dropped when a decision meets them. At 10,000 agents every
// object touched is a likely cache miss, and a busy agent may sit in a dozen pools.
import type { HeapItem } from './indexed-heap.ts';

/** One agent's place in one pool. Keys are set by the router before add. */
export type PoolMember = HeapItem & {
  /** The agent: bit c of idleMask is set while it can take one more task on channel c. */
  agent: { idleMask: number };
  /** Slot in the MemberTable. */
  id: number;
  /** Added since the last explicit remove (for lazy indexes, whether idle or not). */
  indexed: boolean;
  /** Round-robin: fixed 1-based position in the pool. Random: slot in the idle array. */
  position: number;
  /** Round-robin: the member's position is marked in the tree. */
  marked: boolean;
};

/**
 * What a decision reads to tell whether an index entry is live, in one typed
 * array rather than in member or agent objects: at 10,000 agents, the difference
 * between a cache hit and a miss on every entry passed over.
 *
 * Each agent lane (agent row × channel) has a stamp: a version times two, plus
 * one while the agent can take one more task there. A HeapIndex entry carries
 * the stamp of the moment it was made and is live while the lane's stamp is the
 * same: the agent going busy clears the bit (every entry of the lane, in every
 * pool, dies at once without being touched), and the agent coming back idle, or
 * idle with new keys, gets a new version and new entries in its pools.
 */
export class MemberTable {
  readonly channels: number;
  /** By agent row × channels + channel. */
  stamps = new Int32Array(1024);
  /**
   * By agent row × 2: the agent's handle time and contacts today, the keys of the
   * daily strategies. An entry of a pool ordered by one of them is live only while
   * its key is still the agent's, so that a contact accepted re-keys only those
   * pools, not every pool of the agent's idle lanes.
   */
  daily = new Float64Array(2048);
  /** By member id: the agent's row. */
  rows = new Int32Array(1024);
  /** By member id. */
  members: (PoolMember | undefined)[] = [];
  private readonly free: number[] = [];

  constructor(channels: number) {
    this.channels = channels;
  }

  /** Gives the member an id; its agent's row is `row`. */
  allocate(member: PoolMember, row: number): void {
    const id = this.free.pop() ?? this.members.length;
    if (id >= this.rows.length) {
      const rows = new Int32Array(grownSize(this.rows.length, id + 1));
      rows.set(this.rows);
      this.rows = rows;
    }
    this.ensureRow(row);
    member.id = id;
    this.members[id] = member;
    this.rows[id] = row;
  }

  /** Makes room for the lanes of agent row `row` (stamps start at version 0, not idle). */
  ensureRow(row: number): void {
    const end = (row + 1) * this.channels;
    if (end > this.stamps.length) {
      const stamps = new Int32Array(grownSize(this.stamps.length, end));
      stamps.set(this.stamps);
      this.stamps = stamps;
    }
    if (2 * (row + 1) > this.daily.length) {
      const daily = new Float64Array(grownSize(this.daily.length, 2 * (row + 1)));
      daily.set(this.daily);
      this.daily = daily;
    }
  }

  setDaily(row: number, handleMs: number, contacts: number): void {
    this.daily[2 * row + DAILY_HANDLE_MS] = handleMs;
    this.daily[2 * row + DAILY_CONTACTS] = contacts;
  }

  release(member: PoolMember): void {
    this.members[member.id] = undefined;
    this.free.push(member.id);
  }

  /** The lane is idle from now, with keys its pools must hear anew: earlier entries die. */
  renew(row: number, channel: number): void {
    const slot = row * this.channels + channel;
    this.stamps[slot] = ((((this.stamps[slot]! >> 1) + 1) & 0x3fffffff) << 1) | 1;
  }

  /** The lane can take no more tasks: its entries are dead until it is renewed. */
  suspend(row: number, channel: number): void {
    this.stamps[row * this.channels + channel]! &= ~1;
  }

  /** The agent left its pools: entries of the lane die, idle or not. */
  invalidate(row: number, channel: number): void {
    const slot = row * this.channels + channel;
    const stamp = this.stamps[slot]!;
    this.stamps[slot] = ((((stamp >> 1) + 1) & 0x3fffffff) << 1) | (stamp & 1);
  }

  isIdle(row: number, channel: number): boolean {
    return (this.stamps[row * this.channels + channel]! & 1) === 1;
  }
}

/** Which daily key a HeapIndex orders by (its k1), or none. */
export const DAILY_NONE = -1;
export const DAILY_HANDLE_MS = 0;
export const DAILY_CONTACTS = 1;

function grownSize(length: number, needed: number): number {
  let size = length * 2;
  while (size < needed) size *= 2;
  return size;
}

export type IdleIndex<M extends PoolMember> = {
  /** Whether members of busy agents may stay in (the router then need not remove them). */
  readonly lazy: boolean;
  /** Registers a new member; called once per membership, before any add. */
  register(member: M): void;
  /** The member's agent is idle with these keys (new, changed, or back from a declined offer). */
  add(member: M): void;
  /** Takes the member out now. Lazy indexes need this only when the member leaves the pool. */
  remove(member: M): void;
  /** Forgets a member whose agent left the pool. */
  evict(member: M): void;
  /** The best idle member that `accept` takes, in the strategy's order; undefined if none. */
  choose(accept: ((member: M) => boolean) | null): M | undefined;
  /** Every idle member, in a deterministic order. */
  forEach(visit: (member: M) => void): void;
  /** Idle members now; O(1) for ArrayIndex, a scan for the lazy ones (statistics only). */
  idleCount(): number;
};

/**
 * Members ordered by (taken slots, strategy key, idle order, agent order).
 *
 * Most members join at the back of the order (an agent freed now is the newest
 * idle), so they are appended to a queue kept in order by construction; members
 * that join out of order (back from a declined offer, a chat slot taken, a score,
 * a daily counter) go to a heap. The best member is the better of the queue's
 * first live entry and the heap's top.
 *
 * Both hold entries, not members: (k0, k1, k2, agent row, member id, stamp) in a
 * Float64Array, six numbers in a row. An entry is live while its agent lane's
 * stamp in the MemberTable equals the entry's (see MemberTable): one read of a
 * compact array, and nothing else, tells a live entry from a dead one. What a
 * decision compares is in the entries, so choosing reads no member or agent
 * object but the one it picks: at 10,000 agents a member object is a cache miss,
 * and the heap used to read two of them at every level of a sift. Dead entries
 * are dropped when they reach the front or the top (the heap never removes from
 * the middle, so it needs no positions), and swept out in place when they pile up.
 *
 * The router adds a member only with a freshly renewed stamp (or when it joins),
 * so a member has at most one live entry.
 */
export class HeapIndex<M extends PoolMember> implements IdleIndex<M> {
  readonly lazy = true;
  private readonly table: MemberTable;
  private readonly channel: number;
  private readonly dailyKey: number;
  /** Queue entries [front, back), in order. */
  private queue = new Float64Array(ENTRY * 16);
  private front = 0;
  private back = 0;
  /** Heap entries [0, heapSize), a binary min-heap by key. */
  private heap = new Float64Array(ENTRY * 16);
  private heapSize = 0;
  private members = 0;
  private lastK0 = Number.NEGATIVE_INFINITY;
  private lastK1 = Number.NEGATIVE_INFINITY;
  private lastK2 = Number.NEGATIVE_INFINITY;
  private lastRow = Number.NEGATIVE_INFINITY;

  /** `dailyKey`: DAILY_HANDLE_MS or DAILY_CONTACTS when k1 is that key of the agent's (see MemberTable.daily). */
  constructor(table: MemberTable, channel: number, dailyKey = DAILY_NONE) {
    this.table = table;
    this.channel = channel;
    this.dailyKey = dailyKey;
  }

  register(_member?: M): void {
    this.members++;
  }

  add(member: M): void {
    member.indexed = true;
    const { k0, k1, k2, id } = member;
    const row = this.table.rows[id]!;
    const stamp = this.table.stamps[row * this.table.channels + this.channel]!;
    if ((stamp & 1) === 0) return;
    // In order after the last entry appended (live or not), so the queue stays
    // sorted without reading the entry at its back.
    if (
      k0 > this.lastK0 ||
      (k0 === this.lastK0 &&
        (k1 > this.lastK1 ||
          (k1 === this.lastK1 && (k2 > this.lastK2 || (k2 === this.lastK2 && row > this.lastRow)))))
    ) {
      this.lastK0 = k0;
      this.lastK1 = k1;
      this.lastK2 = k2;
      this.lastRow = row;
      if ((this.back + 1) * ENTRY > this.queue.length) this.makeRoomInQueue();
      writeEntry(this.queue, this.back * ENTRY, k0, k1, k2, row, id, stamp);
      this.back++;
      return;
    }
    if (this.heapSize > 2 * this.members + 64) this.compactHeap();
    if ((this.heapSize + 1) * ENTRY > this.heap.length) this.heap = grown(this.heap, this.heapSize + 1);
    writeEntry(this.heap, this.heapSize * ENTRY, k0, k1, k2, row, id, stamp);
    this.heapSize++;
    siftUp(this.heap, this.heapSize - 1);
  }

  /** Entries die with their lane's stamp: the router invalidates it when the agent leaves its pools. */
  remove(member: M): void {
    member.indexed = false;
  }

  evict(member: M): void {
    this.remove(member);
    this.members--;
  }

  /**
   * The best idle member's agent row, or -1: choose(null) without reading any
   * member object, so that a decision touches only the agent it picks.
   */
  bestRow(): number {
    const front = this.firstLiveInQueue();
    const top = this.liveTop();
    if (top < 0) return front < 0 ? -1 : this.queue[front + ROW]!;
    if (front < 0) return this.heap[ROW]!;
    return entryBefore(this.heap, 0, this.queue, front) ? this.heap[ROW]! : this.queue[front + ROW]!;
  }

  choose(accept: ((member: M) => boolean) | null): M | undefined {
    const members = this.table.members;
    const front = this.firstLiveInQueue();
    const top = this.liveTop();
    if (accept === null) {
      if (top < 0) return front < 0 ? undefined : (members[this.queue[front + ID]!] as M);
      if (front < 0 || entryBefore(this.heap, 0, this.queue, front)) return members[this.heap[ID]!] as M;
      return members[this.queue[front + ID]!] as M;
    }
    // With exclusions: walk the queue and the heap in order and take the better.
    let fromQueue = -1;
    for (let e = this.front * ENTRY; e < this.back * ENTRY; e += ENTRY) {
      if (this.live(this.queue, e) && accept(members[this.queue[e + ID]!] as M)) {
        fromQueue = e;
        break;
      }
    }
    const fromHeap = this.findInHeap(accept);
    if (fromHeap < 0) return fromQueue < 0 ? undefined : (members[this.queue[fromQueue + ID]!] as M);
    if (fromQueue < 0 || entryBefore(this.heap, fromHeap, this.queue, fromQueue)) {
      return members[this.heap[fromHeap + ID]!] as M;
    }
    return members[this.queue[fromQueue + ID]!] as M;
  }

  forEach(visit: (member: M) => void): void {
    // Live entries of both, sorted, so ring-all offers go out in strategy order.
    const live: { buffer: Float64Array; at: number }[] = [];
    for (let e = 0; e < this.heapSize * ENTRY; e += ENTRY)
      if (this.live(this.heap, e)) live.push({ buffer: this.heap, at: e });
    for (let e = this.front * ENTRY; e < this.back * ENTRY; e += ENTRY)
      if (this.live(this.queue, e)) live.push({ buffer: this.queue, at: e });
    live.sort((a, b) => (entryBefore(a.buffer, a.at, b.buffer, b.at) ? -1 : 1));
    for (const { buffer, at } of live) visit(this.table.members[buffer[at + ID]!] as M);
  }

  idleCount(): number {
    let count = 0;
    for (let e = 0; e < this.heapSize * ENTRY; e += ENTRY) if (this.live(this.heap, e)) count++;
    for (let e = this.front * ENTRY; e < this.back * ENTRY; e += ENTRY) if (this.live(this.queue, e)) count++;
    return count;
  }

  private live(buffer: Float64Array, at: number): boolean {
    const table = this.table;
    const row = buffer[at + ROW]!;
    if (table.stamps[row * table.channels + this.channel] !== buffer[at + STAMP]) return false;
    return this.dailyKey < 0 || table.daily[2 * row + this.dailyKey] === buffer[at + K1];
  }

  /** Offset of the first live queue entry, dropping dead ones from the front; -1 if none. */
  private firstLiveInQueue(): number {
    const queue = this.queue;
    while (this.front < this.back) {
      const at = this.front * ENTRY;
      if (this.live(queue, at)) return at;
      this.front++;
    }
    return -1;
  }

  /** 0 if the heap's top is live after dropping dead tops; -1 if the heap is empty. */
  private liveTop(): number {
    const heap = this.heap;
    while (this.heapSize > 0) {
      if (this.live(heap, 0)) return 0;
      this.heapSize--;
      if (this.heapSize > 0) {
        heap.copyWithin(0, this.heapSize * ENTRY, (this.heapSize + 1) * ENTRY);
        siftDown(heap, this.heapSize, 0);
      }
    }
    return -1;
  }

  /** Offset of the first heap entry in key order that is live and accepted, visiting best-first; -1 if none. */
  private findInHeap(accept: (member: M) => boolean): number {
    if (this.heapSize === 0) return -1;
    const heap = this.heap;
    const size = this.heapSize;
    // Frontier of heap positions still to visit, itself a small heap by key.
    const frontier: number[] = [0];
    const before = (a: number, b: number) => entryBefore(heap, a * ENTRY, heap, b * ENTRY);
    while (frontier.length > 0) {
      const best = frontier[0]!;
      const last = frontier.pop()!;
      if (frontier.length > 0) {
        frontier[0] = last;
        for (let i = 0; ; ) {
          const left = 2 * i + 1;
          let smallest = i;
          if (left < frontier.length && before(frontier[left]!, frontier[smallest]!)) smallest = left;
          if (left + 1 < frontier.length && before(frontier[left + 1]!, frontier[smallest]!))
            smallest = left + 1;
          if (smallest === i) break;
          [frontier[i], frontier[smallest]] = [frontier[smallest]!, frontier[i]!];
          i = smallest;
        }
      }
      const at = best * ENTRY;
      if (this.live(heap, at) && accept(this.table.members[heap[at + ID]!] as M)) return at;
      for (let child = 2 * best + 1; child <= 2 * best + 2 && child < size; child++) {
        frontier.push(child);
        for (let i = frontier.length - 1; i > 0; ) {
          const parent = (i - 1) >> 1;
          if (!before(frontier[i]!, frontier[parent]!)) break;
          [frontier[i], frontier[parent]] = [frontier[parent]!, frontier[i]!];
          i = parent;
        }
      }
    }
    return -1;
  }

  /**
   * Before appending at a full buffer: drops dead entries, in place, when the
   * queue holds more than its members several times over (a pool nobody
   * consults, such as a late overflow step, would otherwise grow with every
   * agent that frees up) or when the front is mostly consumed; grows otherwise.
   */
  private makeRoomInQueue(): void {
    const count = this.back - this.front;
    if (count > 4 * this.members + 128 || this.front * 2 > this.back) {
      const queue = this.queue;
      let kept = 0;
      for (let e = this.front * ENTRY; e < this.back * ENTRY; e += ENTRY) {
        if (this.live(queue, e)) {
          queue.copyWithin(kept * ENTRY, e, e + ENTRY);
          kept++;
        }
      }
      this.front = 0;
      this.back = kept;
    }
    if ((this.back + 1) * ENTRY > this.queue.length) this.queue = grown(this.queue, this.back + 1);
  }

  /** Drops the heap's dead entries and rebuilds it from the live ones (O(n)). */
  private compactHeap(): void {
    const heap = this.heap;
    let kept = 0;
    for (let e = 0; e < this.heapSize * ENTRY; e += ENTRY) {
      if (this.live(heap, e)) {
        heap.copyWithin(kept * ENTRY, e, e + ENTRY);
        kept++;
      }
    }
    this.heapSize = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) siftDown(heap, kept, i);
  }
}

// An index entry: six numbers in a Float64Array.
const ENTRY = 6;
const K1 = 1;
const K2 = 2;
const ROW = 3;
const ID = 4;
const STAMP = 5;

function writeEntry(
  buffer: Float64Array,
  at: number,
  k0: number,
  k1: number,
  k2: number,
  row: number,
  id: number,
  stamp: number,
): void {
  buffer[at] = k0;
  buffer[at + K1] = k1;
  buffer[at + K2] = k2;
  buffer[at + ROW] = row;
  buffer[at + ID] = id;
  buffer[at + STAMP] = stamp;
}

/** Entry order: (k0, k1, k2, agent row), as heapItemBefore orders members (their seq is the row). */
function entryBefore(a: Float64Array, i: number, b: Float64Array, j: number): boolean {
  if (a[i] !== b[j]) return a[i]! < b[j]!;
  if (a[i + K1] !== b[j + K1]) return a[i + K1]! < b[j + K1]!;
  if (a[i + K2] !== b[j + K2]) return a[i + K2]! < b[j + K2]!;
  return a[i + ROW]! < b[j + ROW]!;
}

function grown(buffer: Float64Array, entries: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(grownSize(buffer.length, entries * ENTRY));
  next.set(buffer);
  return next;
}

function swapEntries(heap: Float64Array, i: number, j: number): void {
  for (let k = 0; k < ENTRY; k++) {
    const t = heap[i + k]!;
    heap[i + k] = heap[j + k]!;
    heap[j + k] = t;
  }
}

function siftUp(heap: Float64Array, start: number): void {
  let index = start;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!entryBefore(heap, index * ENTRY, heap, parent * ENTRY)) return;
    swapEntries(heap, index * ENTRY, parent * ENTRY);
    index = parent;
  }
}

function siftDown(heap: Float64Array, size: number, start: number): void {
  let index = start;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= size) return;
    let child = left;
    if (left + 1 < size && entryBefore(heap, (left + 1) * ENTRY, heap, left * ENTRY)) child = left + 1;
    if (!entryBefore(heap, child * ENTRY, heap, index * ENTRY)) return;
    swapEntries(heap, index * ENTRY, child * ENTRY);
    index = child;
  }
}

/** Random and ring-all: an array of the idle members, kept exactly (eager). */
export class ArrayIndex<M extends PoolMember> implements IdleIndex<M> {
  readonly lazy = false;
  private readonly members: M[] = [];
  private readonly random: () => number;

  constructor(random: () => number) {
    this.random = random;
  }

  register(_member?: M): void {}

  add(member: M): void {
    if (member.indexed) return;
    member.indexed = true;
    member.position = this.members.length;
    this.members.push(member);
  }

  remove(member: M): void {
    if (!member.indexed) return;
    member.indexed = false;
    const last = this.members.pop()!;
    if (last !== member) {
      this.members[member.position] = last;
      last.position = member.position;
    }
    member.position = -1;
  }

  evict(member: M): void {
    this.remove(member);
  }

  choose(accept: ((member: M) => boolean) | null): M | undefined {
    const count = this.members.length;
    if (count === 0) return undefined;
    const start = Math.min(count - 1, Math.floor(this.random() * count));
    for (let i = 0; i < count; i++) {
      const member = this.members[(start + i) % count]!;
      if (accept === null || accept(member)) return member;
    }
    return undefined;
  }

  forEach(visit: (member: M) => void): void {
    // By agent order rather than slot order, so ring-all does not depend on history.
    for (const member of [...this.members].sort((a, b) => a.seq - b.seq)) visit(member);
  }

  idleCount(): number {
    return this.members.length;
  }
}

/**
 * Round-robin: members keep a fixed position; a Fenwick tree marks the positions
 * of members that may be idle, and a decision takes the first idle one after the
 * last position offered, wrapping around. Marks of busy agents are cleared when a
 * decision meets them.
 */
export class RoundRobinIndex<M extends PoolMember> implements IdleIndex<M> {
  readonly lazy = true;
  private readonly bit: number;
  private tree = new Int32Array(16);
  private byPosition: (M | undefined)[] = [undefined];
  private marked = 0;
  private last = 0;

  constructor(channel: number) {
    this.bit = 1 << channel;
  }

  register(member: M): void {
    member.position = this.byPosition.length;
    this.byPosition.push(member);
    if (member.position >= this.tree.length) this.grow();
  }

  add(member: M): void {
    member.indexed = true;
    if (member.marked) return;
    member.marked = true;
    this.marked++;
    this.bump(member.position, 1);
  }

  remove(member: M): void {
    member.indexed = false;
    if (!member.marked) return;
    member.marked = false;
    this.marked--;
    this.bump(member.position, -1);
  }

  /** Its position stays empty, so the others keep their turn. */
  evict(member: M): void {
    this.remove(member);
    this.byPosition[member.position] = undefined;
  }

  choose(accept: ((member: M) => boolean) | null): M | undefined {
    let cursor = this.last;
    for (let visited = 0; this.marked > 0 && visited <= this.marked; visited++) {
      // The first marked position after the cursor, wrapping around.
      const rank = (this.prefix(cursor) % this.marked) + 1;
      const position = this.kth(rank);
      const member = this.byPosition[position]!;
      if ((member.agent.idleMask & this.bit) === 0) {
        this.remove(member);
        member.indexed = true;
        visited--;
        continue;
      }
      if (accept === null || accept(member)) {
        this.last = position;
        return member;
      }
      cursor = position;
    }
    return undefined;
  }

  forEach(visit: (member: M) => void): void {
    for (const member of this.byPosition) {
      if (member?.marked && (member.agent.idleMask & this.bit) !== 0) visit(member);
    }
  }

  idleCount(): number {
    let count = 0;
    this.forEach(() => {
      count++;
    });
    return count;
  }

  private grow(): void {
    const size = this.tree.length * 2;
    this.tree = new Int32Array(size);
    for (const member of this.byPosition) if (member?.marked) this.bump(member.position, 1);
  }

  private bump(position: number, delta: number): void {
    for (let i = position; i < this.tree.length; i += i & -i) this.tree[i]! += delta;
  }

  private prefix(position: number): number {
    let sum = 0;
    for (let i = Math.min(position, this.tree.length - 1); i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  /** Smallest position whose prefix count reaches k (binary lifting over the tree). */
  private kth(k: number): number {
    let position = 0;
    let remaining = k;
    for (let step = this.tree.length >> 1; step > 0; step >>= 1) {
      const next = position + step;
      if (next < this.tree.length && this.tree[next]! < remaining) {
        position = next;
        remaining -= this.tree[next]!;
      }
    }
    return position + 1;
  }
}
