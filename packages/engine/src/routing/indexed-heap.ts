// A binary min-heap whose items remember their own position, so that removing or
// re-keying an item is O(log n) without searching. Both idle agents (per pool) and
// waiting tasks (per queue stage) live in these heaps: every routing decision is a
// peek at the top, and every state change an O(log n) sift.
//
// Items are ordered by (k0, k1, k2, seq): the caller packs its ordering into three
// numbers, and `seq` (unique per item) makes ties deterministic.

export type HeapItem = {
  k0: number;
  k1: number;
  k2: number;
  seq: number;
  /** Position in the heap holding the item, -1 when in none. An item is in at most one heap. */
  heapIndex: number;
};

export function heapItemBefore(a: HeapItem, b: HeapItem): boolean {
  if (a.k0 !== b.k0) return a.k0 < b.k0;
  if (a.k1 !== b.k1) return a.k1 < b.k1;
  if (a.k2 !== b.k2) return a.k2 < b.k2;
  return a.seq < b.seq;
}

export class IndexedHeap<T extends HeapItem> {
  readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(item: T): boolean {
    return item.heapIndex >= 0 && this.items[item.heapIndex] === item;
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.siftUp(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(item: T): void {
    const index = item.heapIndex;
    const last = this.items.pop()!;
    item.heapIndex = -1;
    if (last === item) return;
    this.items[index] = last;
    last.heapIndex = index;
    this.update(last);
  }

  /** Restores the order after the item's keys changed. */
  update(item: T): void {
    const index = item.heapIndex;
    if (index > 0 && heapItemBefore(item, this.items[(index - 1) >> 1]!)) this.siftUp(index);
    else this.siftDown(index);
  }

  /**
   * The first item in heap order that `accept` takes, visiting items best-first and
   * stopping at the first accepted: O(k log k) for k rejected items, so a few
   * excluded agents (declined the task, withheld for inbound) cost a few steps.
   */
  find(accept: (item: T) => boolean): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    if (accept(items[0]!)) return items[0];
    // Frontier of heap positions still to visit, itself kept as a small heap.
    const frontier: number[] = [];
    const pushChildren = (index: number) => {
      for (let child = 2 * index + 1; child <= 2 * index + 2 && child < items.length; child++) {
        frontier.push(child);
        let i = frontier.length - 1;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (!heapItemBefore(items[frontier[i]!]!, items[frontier[parent]!]!)) break;
          [frontier[i], frontier[parent]] = [frontier[parent]!, frontier[i]!];
          i = parent;
        }
      }
    };
    pushChildren(0);
    while (frontier.length > 0) {
      const best = frontier[0]!;
      const last = frontier.pop()!;
      if (frontier.length > 0) {
        frontier[0] = last;
        let i = 0;
        for (;;) {
          const left = 2 * i + 1;
          const right = left + 1;
          let smallest = i;
          if (
            left < frontier.length &&
            heapItemBefore(items[frontier[left]!]!, items[frontier[smallest]!]!)
          ) {
            smallest = left;
          }
          if (
            right < frontier.length &&
            heapItemBefore(items[frontier[right]!]!, items[frontier[smallest]!]!)
          ) {
            smallest = right;
          }
          if (smallest === i) break;
          [frontier[i], frontier[smallest]] = [frontier[smallest]!, frontier[i]!];
          i = smallest;
        }
      }
      const item = items[best]!;
      if (accept(item)) return item;
      pushChildren(best);
    }
    return undefined;
  }

  private siftUp(start: number): void {
    const items = this.items;
    const item = items[start]!;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex]!;
      if (!heapItemBefore(item, parent)) break;
      items[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    items[index] = item;
    item.heapIndex = index;
  }

  private siftDown(start: number): void {
    const items = this.items;
    const length = items.length;
    const item = items[start]!;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && heapItemBefore(items[right]!, items[left]!)) child = right;
      const candidate = items[child]!;
      if (!heapItemBefore(candidate, item)) break;
      items[index] = candidate;
      candidate.heapIndex = index;
      index = child;
    }
    items[index] = item;
    item.heapIndex = index;
  }
}
