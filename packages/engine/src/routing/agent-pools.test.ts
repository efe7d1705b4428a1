// The idle indexes against a plain sorted reference, over seeded random add /
// remove / re-key sequences: whatever the internal queue, heap or tree does, the
// member chosen must be the one a full scan would choose.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import {
  ArrayIndex,
  HeapIndex,
  type IdleIndex,
  MemberTable,
  type PoolMember,
  RoundRobinIndex,
} from './agent-pools.ts';
import { heapItemBefore, IndexedHeap } from './indexed-heap.ts';

function member(seq: number, agent = { idleMask: 1 }): PoolMember {
  return {
    agent,
    k0: 0,
    k1: 0,
    k2: 0,
    seq,
    heapIndex: -1,
    indexed: false,
    position: 0,
    id: -1,
    marked: false,
  };
}

function best(members: PoolMember[], accept: (m: PoolMember) => boolean = () => true) {
  return members.filter((m) => accept(m)).sort((a, b) => (heapItemBefore(a, b) ? -1 : 1))[0];
}

describe('IndexedHeap', () => {
  it('pops in key order after random pushes, removals and updates', () => {
    const random = createRandom(11);
    const heap = new IndexedHeap<PoolMember>();
    const items = Array.from({ length: 200 }, (_, i) => member(i));
    for (let step = 0; step < 5000; step++) {
      const item = items[Math.floor(random() * items.length)]!;
      if (item.heapIndex < 0) {
        item.k1 = Math.floor(random() * 50);
        heap.push(item);
      } else if (random() < 0.5) {
        heap.remove(item);
      } else {
        item.k1 = Math.floor(random() * 50);
        heap.update(item);
      }
      const expected = items
        .filter((x) => x.heapIndex >= 0)
        .sort((a, b) => (heapItemBefore(a, b) ? -1 : 1))[0];
      expect(heap.peek()).toBe(expected);
    }
  });

  it('find visits best-first and returns the first accepted item', () => {
    const heap = new IndexedHeap<PoolMember>();
    const items = Array.from({ length: 50 }, (_, i) => {
      const m = member(i);
      m.k1 = (i * 37) % 50;
      heap.push(m);
      return m;
    });
    const accept = (m: PoolMember) => m.k1 % 7 === 3;
    const expected = items.filter(accept).sort((a, b) => a.k1 - b.k1)[0];
    expect(heap.find(accept)).toBe(expected);
    expect(heap.find(() => false)).toBeUndefined();
  });
});

describe('HeapIndex (in-order queue + heap, lazy leaving)', () => {
  it('chooses what a full scan would choose, with and without exclusions', () => {
    const random = createRandom(5);
    const channel = 2;
    const table = new MemberTable(5);
    const members = Array.from({ length: 60 }, (_, i) => member(i, { idleMask: 0 }));
    // As the router does: a new stamp for the lane whenever it is added with keys, the bit cleared when busy.
    const idle = (m: PoolMember) => table.isIdle(m.seq, channel);
    const addIdle = (m: PoolMember) => {
      table.renew(m.seq, channel);
      index.add(m);
    };
    const index = new HeapIndex<PoolMember>(table, channel);
    for (const m of members) {
      table.allocate(m, m.seq);
      index.register(m);
    }
    let clock = 0;
    for (let step = 0; step < 6_000; step++) {
      clock += Math.floor(random() * 3);
      const m = members[Math.floor(random() * members.length)]!;
      const r = random();
      if (!idle(m)) {
        // Mostly "freed now" (in order); sometimes back with old keys or a new load.
        if (r < 0.7) m.k2 = clock;
        if (r > 0.9) m.k0 = Math.floor(random() * 3);
        addIdle(m);
      } else if (r < 0.5) {
        // Busy: the router only clears the bit.
        table.suspend(m.seq, channel);
      } else if (r < 0.55) {
        // Leaves the pool and comes back under a new id.
        table.suspend(m.seq, channel);
        table.invalidate(m.seq, channel);
        index.evict(m);
        table.release(m);
        table.allocate(m, m.seq);
        index.register(m);
      } else {
        m.k0 = Math.floor(random() * 3);
        addIdle(m);
      }
      expect(index.choose(null)).toBe(best(members, idle));
      const odd = (x: PoolMember) => x.seq % 2 === 1;
      expect(index.choose(odd)).toBe(best(members, (x) => idle(x) && odd(x)));
    }
    const order: number[] = [];
    index.forEach((m) => {
      order.push(m.seq);
    });
    expect(order).toEqual(
      members
        .filter(idle)
        .sort((a, b) => (heapItemBefore(a, b) ? -1 : 1))
        .map((m) => m.seq),
    );
  });
});

describe('HeapIndex lanes shared between pools', () => {
  it('an agent busy through one pool is passed over in the others without their being told', () => {
    const table = new MemberTable(5);
    const first = new HeapIndex<PoolMember>(table, 0);
    const second = new HeapIndex<PoolMember>(table, 0);
    // Agents 1 and 2 in both pools (one member object per pool), freed in that order.
    const memberships = [1, 2].map((row) => {
      const inFirst = member(row);
      const inSecond = member(row);
      table.allocate(inFirst, row);
      table.allocate(inSecond, row);
      first.register(inFirst);
      second.register(inSecond);
      return { row, inFirst, inSecond };
    });
    memberships.forEach(({ row, inFirst, inSecond }) => {
      inFirst.k2 = row;
      inSecond.k2 = row;
      table.renew(row, 0);
      first.add(inFirst);
      second.add(inSecond);
    });
    expect(first.bestRow()).toBe(1);
    expect(second.bestRow()).toBe(1);
    // Agent 1 is reserved through the first pool: only its lane's bit is cleared.
    table.suspend(1, 0);
    expect(second.bestRow()).toBe(2);
    expect(second.idleCount()).toBe(1);
    expect(first.choose(null)?.seq).toBe(2);
    // Back idle with the same keys (a declined offer): a new stamp, a new entry in each pool.
    const one = memberships[0]!;
    table.renew(1, 0);
    first.add(one.inFirst);
    second.add(one.inSecond);
    expect(first.bestRow()).toBe(1);
    expect(second.bestRow()).toBe(1);
    expect(first.idleCount()).toBe(2);
    // Leaving the pools kills its entries even while idle.
    table.invalidate(1, 0);
    expect(first.bestRow()).toBe(2);
    expect(second.idleCount()).toBe(1);
  });
});

describe('RoundRobinIndex', () => {
  it('cycles through idle members in position order, skipping busy ones', () => {
    const index = new RoundRobinIndex<PoolMember>(0);
    const members = Array.from({ length: 5 }, (_, i) => member(i));
    for (const m of members) {
      index.register(m);
      index.add(m);
    }
    const order: number[] = [];
    for (let i = 0; i < 7; i++) order.push(index.choose(null)!.seq);
    expect(order).toEqual([0, 1, 2, 3, 4, 0, 1]);
    // 2 and 3 go busy: the index only sees their cleared bits.
    members[2]!.agent.idleMask = 0;
    members[3]!.agent.idleMask = 0;
    expect([index.choose(null)!.seq, index.choose(null)!.seq, index.choose(null)!.seq]).toEqual([4, 0, 1]);
    expect(index.choose((m) => m.seq !== 4)!.seq).toBe(0);
    expect(index.idleCount()).toBe(3);
    // 3 is back: it takes its turn after 1 and before 4.
    members[3]!.agent.idleMask = 1;
    index.add(members[3]!);
    expect([index.choose(null)!.seq, index.choose(null)!.seq, index.choose(null)!.seq]).toEqual([1, 3, 4]);
  });

  it('keeps working past its initial tree size', () => {
    const index = new RoundRobinIndex<PoolMember>(0);
    const members = Array.from({ length: 100 }, (_, i) => member(i));
    for (const m of members) index.register(m);
    for (const m of members) if (m.seq % 3 === 0) index.add(m);
    const seen = Array.from({ length: 34 }, () => index.choose(null)!.seq);
    expect(seen).toEqual(members.filter((m) => m.seq % 3 === 0).map((m) => m.seq));
    expect(index.idleCount()).toBe(34);
  });
});

describe('ArrayIndex', () => {
  it('picks uniformly with the injected random and honours exclusions', () => {
    const index: IdleIndex<PoolMember> = new ArrayIndex<PoolMember>(createRandom(3));
    const members = Array.from({ length: 4 }, (_, i) => member(i));
    for (const m of members) index.add(m);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[index.choose(null)!.seq]!++;
    for (const count of counts) expect(count).toBeGreaterThan(850);
    expect(index.choose((m) => m.seq === 2)!.seq).toBe(2);
    index.remove(members[2]!);
    expect(index.choose((m) => m.seq === 2)).toBeUndefined();
  });
});
