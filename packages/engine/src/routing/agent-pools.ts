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
// idle (it only clears a bit in `agent.idleMask`), so reserving an agent touches
// none of its pools; members whose agent is busy are dropped when a decision meets
// them. At 10,000 agents every object touched is a likely cache miss, and a busy
// agent may sit in a dozen pools.
import { type HeapItem, heapItemBefore, IndexedHeap } from './indexed-heap.ts';

/** One agent's place in one pool. Keys are set by the router before add. */
export type PoolMember = HeapItem & {
  /** The agent: bit c of idleMask is set while it can take one more task on channel c. */
  agent: { idleMask: number };
  /** Added since the last explicit remove (for lazy indexes, whether idle or not). */
  indexed: boolean;
  /** Round-robin: fixed 1-based position in the pool. Random: slot in the idle array. */
  position: number;
  /** Heap/round-robin: the member has a current entry (queue entry, tree mark). */
  inList: boolean;
  /** Which queue entry is the member's (older entries are dead). */
  ticket: number;
  /** Keys the member had when its queue entry was made. */
  queuedK0: number;
  queuedK1: number;
  queuedK2: number;
};

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
 * first live entry and the heap's top. An entry is live while its member's agent
 * is idle on the channel and the entry is the member's latest (`ticket`); dead
 * entries are dropped when they reach the front or the top, and swept out in
 * place when they pile up.
 */
export class HeapIndex<M extends PoolMember> implements IdleIndex<M> {
  readonly lazy = true;
  private readonly bit: number;
  private readonly heap = new IndexedHeap<M>();
  /** Entries as [member, ticket] pairs flattened, so an entry is one cache line, not two. */
  private queue: (M | number)[] = [];
  private front = 0;
  private readonly idleCount_: () => number;
  private lastK0 = Number.NEGATIVE_INFINITY;
  private lastK1 = Number.NEGATIVE_INFINITY;
  private lastK2 = Number.NEGATIVE_INFINITY;
  private lastSeq = Number.NEGATIVE_INFINITY;

  /** `idle` reports how many members are idle now (the router counts them), to bound dead entries. */
  constructor(channel: number, idle: () => number) {
    this.bit = 1 << channel;
    this.idleCount_ = idle;
  }

  register(_member?: M): void {}

  add(member: M): void {
    member.indexed = true;
    const { k0, k1, k2, seq } = member;
    if (member.inList) {
      // Back with unchanged keys: its queue entry is still valid.
      if (k0 === member.queuedK0 && k1 === member.queuedK1 && k2 === member.queuedK2) return;
      member.inList = false;
    }
    // In order after the last entry made (live or not), so the queue stays sorted
    // without reading the member at its back.
    if (
      k0 > this.lastK0 ||
      (k0 === this.lastK0 &&
        (k1 > this.lastK1 ||
          (k1 === this.lastK1 && (k2 > this.lastK2 || (k2 === this.lastK2 && seq > this.lastSeq)))))
    ) {
      if (member.heapIndex >= 0) this.heap.remove(member);
      member.ticket++;
      member.inList = true;
      member.queuedK0 = k0;
      member.queuedK1 = k1;
      member.queuedK2 = k2;
      this.lastK0 = k0;
      this.lastK1 = k1;
      this.lastK2 = k2;
      this.lastSeq = seq;
      this.queue.push(member, member.ticket);
      if (this.queue.length - this.front > 4 * this.idleCount_() + 128) this.compact();
    } else if (member.heapIndex >= 0) {
      this.heap.update(member);
    } else {
      this.heap.push(member);
    }
  }

  remove(member: M): void {
    member.indexed = false;
    if (member.inList) {
      member.inList = false;
      member.ticket++;
    }
    if (member.heapIndex >= 0) this.heap.remove(member);
  }

  evict(member: M): void {
    this.remove(member);
  }

  choose(accept: ((member: M) => boolean) | null): M | undefined {
    const first = this.firstLive();
    const heap = this.heap;
    let top = heap.peek();
    while (top !== undefined && (top.agent.idleMask & this.bit) === 0) {
      heap.pop();
      top = heap.peek();
    }
    if (accept === null) {
      if (first === undefined) return top;
      return top !== undefined && heapItemBefore(top, first) ? top : first;
    }
    // With exclusions: walk the queue and the heap in order and take the better.
    let fromQueue: M | undefined;
    for (let i = this.front; i < this.queue.length; i += 2) {
      const member = this.queue[i] as M;
      if (this.live(member, i) && accept(member)) {
        fromQueue = member;
        break;
      }
    }
    const fromHeap = heap.find((member) => (member.agent.idleMask & this.bit) !== 0 && accept(member));
    if (fromQueue === undefined) return fromHeap;
    return fromHeap !== undefined && heapItemBefore(fromHeap, fromQueue) ? fromHeap : fromQueue;
  }

  forEach(visit: (member: M) => void): void {
    const members: M[] = this.heap.items.filter((member) => (member.agent.idleMask & this.bit) !== 0);
    for (let i = this.front; i < this.queue.length; i += 2) {
      if (this.live(this.queue[i] as M, i)) members.push(this.queue[i] as M);
    }
    // Sorted, so ring-all offers go out in strategy order.
    members.sort((a, b) => (heapItemBefore(a, b) ? -1 : 1));
    for (const member of members) visit(member);
  }

  idleCount(): number {
    let count = 0;
    this.forEach(() => {
      count++;
    });
    return count;
  }

  private live(member: M, index: number): boolean {
    return (
      member.inList && this.queue[index + 1] === member.ticket && (member.agent.idleMask & this.bit) !== 0
    );
  }

  /** The first live queue entry, dropping dead ones from the front. */
  private firstLive(): M | undefined {
    const queue = this.queue;
    while (this.front < queue.length) {
      const member = queue[this.front] as M;
      if (this.live(member, this.front)) return member;
      // Its latest entry, dropped because its agent is busy: it must append anew.
      if (member.inList && queue[this.front + 1] === member.ticket) member.inList = false;
      this.front += 2;
      if (this.front > 128 && this.front * 2 > queue.length) {
        this.compact();
        return this.firstLive();
      }
    }
    return undefined;
  }

  /**
   * Drops dead entries, in place. Called when the front is mostly dead, and on
   * appends when dead entries outnumber live ones (a pool nobody consults, such as
   * a late overflow step, would otherwise grow with every agent that frees up), so
   * that decisions rarely walk past dead entries.
   */
  private compact(): void {
    const queue = this.queue;
    let kept = 0;
    for (let i = this.front; i < queue.length; i += 2) {
      const member = queue[i] as M;
      if (!member.inList || queue[i + 1] !== member.ticket) continue;
      if ((member.agent.idleMask & this.bit) !== 0) {
        queue[kept] = member;
        queue[kept + 1] = member.ticket;
        kept += 2;
      } else {
        member.inList = false;
      }
    }
    queue.length = kept;
    this.front = 0;
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
    if (member.inList) return;
    member.inList = true;
    this.marked++;
    this.bump(member.position, 1);
  }

  remove(member: M): void {
    member.indexed = false;
    if (!member.inList) return;
    member.inList = false;
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
      if (member?.inList && (member.agent.idleMask & this.bit) !== 0) visit(member);
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
    for (const member of this.byPosition) if (member?.inList) this.bump(member.position, 1);
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
