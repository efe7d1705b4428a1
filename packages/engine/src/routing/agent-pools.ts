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
  /** Slot in the MemberTable. */
  id: number;
  /** Added since the last explicit remove (for lazy indexes, whether idle or not). */
  indexed: boolean;
  /** Round-robin: fixed 1-based position in the pool. Random: slot in the idle array. */
  position: number;
  /** Round-robin: the member's position is marked in the tree. */
  marked: boolean;
  /** Heap index: the ticket of the member's latest queue entry (valid while it equals the table's). */
  queuedTicket: number;
  /** Keys the member had when its queue entry was made. */
  queuedK0: number;
  queuedK1: number;
  queuedK2: number;
};

/**
 * What a decision reads about members and agents, in typed arrays rather than in
 * the member objects: checking whether a queue entry is still live then touches
 * a few compact arrays instead of two cold objects — at 10,000 agents, the
 * difference between a cache hit and a miss on every entry passed over.
 */
export class MemberTable {
  readonly channels: number;
  /** By member id: the ticket a queue entry must carry to be live. */
  tickets = new Int32Array(1024);
  /** By member id: the agent's row. */
  rows = new Int32Array(1024);
  /** By agent row × channels + channel: 1 while the agent can take one more task there. */
  idle = new Uint8Array(1024);
  /** By member id. */
  members: (PoolMember | undefined)[] = [];
  private readonly free: number[] = [];

  constructor(channels: number) {
    this.channels = channels;
  }

  /** Gives the member an id; its agent's row is `row`. */
  allocate(member: PoolMember, row: number): void {
    const id = this.free.pop() ?? this.members.length;
    if (id >= this.tickets.length) {
      const size = grownSize(this.tickets.length, id + 1);
      const tickets = new Int32Array(size);
      tickets.set(this.tickets);
      this.tickets = tickets;
      const rows = new Int32Array(size);
      rows.set(this.rows);
      this.rows = rows;
    }
    const slot = (row + 1) * this.channels;
    if (slot > this.idle.length) {
      const idle = new Uint8Array(grownSize(this.idle.length, slot));
      idle.set(this.idle);
      this.idle = idle;
    }
    member.id = id;
    this.members[id] = member;
    this.rows[id] = row;
    // A fresh ticket, so that no old entry of a previous holder of the id is live.
    this.tickets[id]! += 1;
  }

  release(member: PoolMember): void {
    this.tickets[member.id]! += 1;
    this.members[member.id] = undefined;
    this.free.push(member.id);
  }

  isIdle(id: number, channel: number): boolean {
    return this.idle[this.rows[id]! * this.channels + channel] === 1;
  }
}

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
 * first live entry and the heap's top. An entry is live while its member's agent
 * is idle on the channel and the entry is the member's latest (`ticket`); dead
 * entries are dropped when they reach the front or the top, and swept out in
 * place when they pile up.
 */
export class HeapIndex<M extends PoolMember> implements IdleIndex<M> {
  readonly lazy = true;
  private readonly table: MemberTable;
  private readonly channel: number;
  private readonly heap = new IndexedHeap<M>();
  /** Entries as [member id, ticket] pairs, flattened: plain small integers, no objects. */
  private queue: number[] = [];
  private front = 0;
  private members = 0;
  private lastK0 = Number.NEGATIVE_INFINITY;
  private lastK1 = Number.NEGATIVE_INFINITY;
  private lastK2 = Number.NEGATIVE_INFINITY;
  private lastSeq = Number.NEGATIVE_INFINITY;

  constructor(table: MemberTable, channel: number) {
    this.table = table;
    this.channel = channel;
  }

  register(_member?: M): void {
    this.members++;
  }

  add(member: M): void {
    member.indexed = true;
    const tickets = this.table.tickets;
    const { k0, k1, k2, seq, id } = member;
    const entryLive = member.queuedTicket === tickets[id];
    // Back with unchanged keys: its queue entry is still valid.
    if (entryLive && k0 === member.queuedK0 && k1 === member.queuedK1 && k2 === member.queuedK2) return;
    // In order after the last entry made (live or not), so the queue stays sorted
    // without reading the entry at its back.
    if (
      k0 > this.lastK0 ||
      (k0 === this.lastK0 &&
        (k1 > this.lastK1 ||
          (k1 === this.lastK1 && (k2 > this.lastK2 || (k2 === this.lastK2 && seq > this.lastSeq)))))
    ) {
      if (member.heapIndex >= 0) this.heap.remove(member);
      const ticket = tickets[id]! + 1;
      tickets[id] = ticket;
      member.queuedTicket = ticket;
      member.queuedK0 = k0;
      member.queuedK1 = k1;
      member.queuedK2 = k2;
      this.lastK0 = k0;
      this.lastK1 = k1;
      this.lastK2 = k2;
      this.lastSeq = seq;
      this.queue.push(id, ticket);
      if (this.queue.length - this.front > 4 * this.members + 128) this.compact();
      return;
    }
    if (entryLive) tickets[id]! += 1;
    if (member.heapIndex >= 0) this.heap.update(member);
    else this.heap.push(member);
  }

  remove(member: M): void {
    member.indexed = false;
    this.table.tickets[member.id]! += 1;
    if (member.heapIndex >= 0) this.heap.remove(member);
  }

  evict(member: M): void {
    this.remove(member);
    this.members--;
  }

  /**
   * The best idle member's id, or -1: choose(null) without reading the member
   * object when the heap is empty (the usual case for longest-idle), so that a
   * decision touches only the agent it picks.
   */
  bestId(): number {
    const frontId = this.firstLiveId();
    const heap = this.heap;
    let top = heap.peek();
    while (top !== undefined && !this.table.isIdle(top.id, this.channel)) {
      heap.pop();
      top = heap.peek();
    }
    if (top === undefined) return frontId;
    if (frontId < 0) return top.id;
    return heapItemBefore(top, this.table.members[frontId] as M) ? top.id : frontId;
  }

  choose(accept: ((member: M) => boolean) | null): M | undefined {
    const table = this.table;
    const first = this.firstLive();
    const heap = this.heap;
    let top = heap.peek();
    while (top !== undefined && !table.isIdle(top.id, this.channel)) {
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
      if (!this.live(i)) continue;
      const member = table.members[this.queue[i]!] as M;
      if (accept(member)) {
        fromQueue = member;
        break;
      }
    }
    const fromHeap = heap.find((member) => table.isIdle(member.id, this.channel) && accept(member));
    if (fromQueue === undefined) return fromHeap;
    return fromHeap !== undefined && heapItemBefore(fromHeap, fromQueue) ? fromHeap : fromQueue;
  }

  forEach(visit: (member: M) => void): void {
    const table = this.table;
    const members: M[] = this.heap.items.filter((member) => table.isIdle(member.id, this.channel));
    for (let i = this.front; i < this.queue.length; i += 2) {
      if (this.live(i)) members.push(table.members[this.queue[i]!] as M);
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

  private live(index: number): boolean {
    const id = this.queue[index]!;
    return this.table.tickets[id] === this.queue[index + 1] && this.table.isIdle(id, this.channel);
  }

  private firstLive(): M | undefined {
    const id = this.firstLiveId();
    return id < 0 ? undefined : (this.table.members[id] as M);
  }

  /** Id of the first live queue entry, dropping dead ones from the front; -1 if none. */
  private firstLiveId(): number {
    const queue = this.queue;
    const tickets = this.table.tickets;
    while (this.front < queue.length) {
      if (this.live(this.front)) return queue[this.front]!;
      // The member's latest entry, dropped while its agent is busy: it must append anew.
      const id = queue[this.front]!;
      if (tickets[id] === queue[this.front + 1]) tickets[id]! += 1;
      this.front += 2;
      if (this.front > 128 && this.front * 2 > queue.length) {
        this.compact();
        return this.firstLiveId();
      }
    }
    return -1;
  }

  /**
   * Drops dead entries, in place: when the front is mostly dead, and on appends
   * when the queue outgrows its members several times over (a pool nobody
   * consults, such as a late overflow step, would otherwise grow with every agent
   * that frees up).
   */
  private compact(): void {
    const queue = this.queue;
    const tickets = this.table.tickets;
    let kept = 0;
    for (let i = this.front; i < queue.length; i += 2) {
      const id = queue[i]!;
      if (tickets[id] !== queue[i + 1]) continue;
      if (this.table.isIdle(id, this.channel)) {
        queue[kept] = id;
        queue[kept + 1] = queue[i + 1]!;
        kept += 2;
      } else {
        tickets[id]! += 1;
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
