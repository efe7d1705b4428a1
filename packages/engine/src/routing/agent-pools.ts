// Indexes of the idle agents of one eligibility group ("pool": the agents of an
// organization with capacity on a channel who satisfy a skill expression), kept in
// the order of one strategy. A routing decision asks a pool for its best member
// instead of scanning agents, so its cost is O(log n) in the pool's size:
//   heap strategies       IndexedHeap keyed per strategy (see router.ts keys)
//   round-robin           a Fenwick tree over fixed member positions: "next idle
//                         member after the last one offered" in O(log n)
//   random, ring-all      an array with O(1) swap-removal: a uniform pick, or all
import { type HeapItem, heapItemBefore, IndexedHeap } from './indexed-heap.ts';

/** One agent's place in one pool. Keys are set by the router before add/rekey. */
export type PoolMember = HeapItem & {
  /** Whether the member is currently in the pool's idle index. */
  indexed: boolean;
  /** Round-robin: fixed 1-based position in the pool. Random: slot in the idle array. */
  position: number;
  slot: number;
  /** Heap strategies: the member has an entry in the in-order queue rather than in the heap. */
  inList: boolean;
  /** Which queue entry is the member's (older entries are dead). */
  ticket: number;
  /** Keys the member had when its queue entry was made. */
  queuedK0: number;
  queuedK1: number;
  queuedK2: number;
};

export type IdleIndex<M extends PoolMember> = {
  readonly size: number;
  add(member: M): void;
  remove(member: M): void;
  /** The member's keys changed while indexed. */
  rekey(member: M): void;
  /** The best idle member that `accept` takes, in the strategy's order; undefined if none. */
  choose(accept: ((member: M) => boolean) | null): M | undefined;
  /** Every idle member, in a deterministic order. */
  forEach(visit: (member: M) => void): void;
  /** Registers a new member (for positional strategies); called once per membership. */
  register(member: M): void;
  /** Forgets a member whose agent left the pool. */
  evict(member: M): void;
};

export class HeapIndex<M extends PoolMember> implements IdleIndex<M> {
  // Most members join at the back of the order (an agent freed now has the newest
  // idle time), so they are appended to a queue kept in order by construction;
  // only members that join out of order (a chat agent with a changed load, a daily
  // counter, best-skill scores) go to the heap. The best member is the better of
  // the queue's first live entry and the heap's top. Leaving the queue is lazy: an
  // entry is dead once its member left or re-joined (`ticket` changed) and is
  // skipped when it reaches the front. Longest-idle pools of voice agents thus
  // join and leave in O(1) without touching other members.
  private readonly heap = new IndexedHeap<M>();
  private queue: M[] = [];
  private tickets: number[] = [];
  private front = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  register(): void {}

  add(member: M): void {
    member.indexed = true;
    this.count++;
    // Back from a declined offer with unchanged keys: its queue entry is still valid.
    if (
      member.inList &&
      member.k0 === member.queuedK0 &&
      member.k1 === member.queuedK1 &&
      member.k2 === member.queuedK2
    ) {
      return;
    }
    member.inList = false;
    const last = this.lastLive();
    if (last === undefined || !heapItemBefore(member, last)) {
      member.ticket++;
      member.inList = true;
      member.queuedK0 = member.k0;
      member.queuedK1 = member.k1;
      member.queuedK2 = member.k2;
      this.queue.push(member);
      this.tickets.push(member.ticket);
    } else {
      this.heap.push(member);
    }
  }

  remove(member: M): void {
    member.indexed = false;
    this.count--;
    if (!member.inList) this.heap.remove(member);
  }

  evict(member: M): void {
    if (member.indexed) this.remove(member);
    member.inList = false;
    member.ticket++;
  }

  rekey(member: M): void {
    this.remove(member);
    this.add(member);
  }

  choose(accept: ((member: M) => boolean) | null): M | undefined {
    const first = this.firstLive();
    if (accept === null) {
      const top = this.heap.peek();
      if (first === undefined) return top;
      return top !== undefined && heapItemBefore(top, first) ? top : first;
    }
    // With exclusions: walk the queue and the heap in order and take the better.
    let fromQueue: M | undefined;
    for (let i = this.front; i < this.queue.length; i++) {
      const member = this.queue[i]!;
      if (this.live(member, i) && accept(member)) {
        fromQueue = member;
        break;
      }
    }
    const fromHeap = this.heap.find(accept);
    if (fromQueue === undefined) return fromHeap;
    return fromHeap !== undefined && heapItemBefore(fromHeap, fromQueue) ? fromHeap : fromQueue;
  }

  forEach(visit: (member: M) => void): void {
    const members: M[] = [...this.heap.items];
    for (let i = this.front; i < this.queue.length; i++) {
      if (this.live(this.queue[i]!, i)) members.push(this.queue[i]!);
    }
    // Sorted, so ring-all offers go out in strategy order.
    members.sort((a, b) => (heapItemBefore(a, b) ? -1 : 1));
    for (const member of members) visit(member);
  }

  private live(member: M, index: number): boolean {
    return member.indexed && member.inList && this.tickets[index] === member.ticket;
  }

  /** The first live queue entry, dropping dead ones from the front. */
  private firstLive(): M | undefined {
    const queue = this.queue;
    while (this.front < queue.length) {
      const member = queue[this.front]!;
      if (this.live(member, this.front)) return member;
      // A member that is merely not idle keeps `inList` only while its entry lives.
      if (member.inList && this.tickets[this.front] === member.ticket) member.inList = false;
      this.front++;
    }
    this.compact();
    return undefined;
  }

  /** The newest queue entry still in place (live or merely not idle): the ordering bound for appends. */
  private lastLive(): M | undefined {
    const queue = this.queue;
    while (queue.length > this.front) {
      const member = queue[queue.length - 1]!;
      if (member.inList && this.tickets[queue.length - 1] === member.ticket) return member;
      queue.pop();
      this.tickets.pop();
    }
    this.compact();
    return undefined;
  }

  private compact(): void {
    if (this.front > 64 && this.front * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.front);
      this.tickets = this.tickets.slice(this.front);
      this.front = 0;
    }
  }
}

export class ArrayIndex<M extends PoolMember> implements IdleIndex<M> {
  private readonly members: M[] = [];
  private readonly random: () => number;

  constructor(random: () => number) {
    this.random = random;
  }

  get size(): number {
    return this.members.length;
  }

  register(): void {}

  add(member: M): void {
    member.indexed = true;
    member.slot = this.members.length;
    this.members.push(member);
  }

  remove(member: M): void {
    member.indexed = false;
    const last = this.members.pop()!;
    if (last !== member) {
      this.members[member.slot] = last;
      last.slot = member.slot;
    }
    member.slot = -1;
  }

  evict(member: M): void {
    if (member.indexed) this.remove(member);
  }

  rekey(): void {}

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
}

export class RoundRobinIndex<M extends PoolMember> implements IdleIndex<M> {
  private tree = new Int32Array(16);
  private byPosition: (M | undefined)[] = [undefined];
  private idle = 0;
  private last = 0;

  get size(): number {
    return this.idle;
  }

  register(member: M): void {
    member.position = this.byPosition.length;
    this.byPosition.push(member);
    if (member.position >= this.tree.length) this.grow();
  }

  add(member: M): void {
    member.indexed = true;
    this.idle++;
    this.bump(member.position, 1);
  }

  remove(member: M): void {
    member.indexed = false;
    this.idle--;
    this.bump(member.position, -1);
  }

  rekey(): void {}

  choose(accept: ((member: M) => boolean) | null): M | undefined {
    if (this.idle === 0) return undefined;
    // The idle members after `last` in position order come first, then wrap around.
    const before = this.prefix(this.last);
    for (let i = 0; i < this.idle; i++) {
      const rank = ((before + i) % this.idle) + 1;
      const member = this.byPosition[this.kth(rank)]!;
      if (accept === null || accept(member)) {
        this.last = member.position;
        return member;
      }
    }
    return undefined;
  }

  forEach(visit: (member: M) => void): void {
    for (const member of this.byPosition) if (member?.indexed) visit(member);
  }

  /** Its position stays empty, so the others keep their turn. */
  evict(member: M): void {
    if (member.indexed) this.remove(member);
    this.byPosition[member.position] = undefined;
  }

  private grow(): void {
    const size = this.tree.length * 2;
    this.tree = new Int32Array(size);
    for (const member of this.byPosition) if (member?.indexed) this.bump(member.position, 1);
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
