// The event list: a binary min-heap on parallel typed arrays (time, item, tag),
// so pushing and popping allocate nothing once the arrays have grown to the
// model's size. `tag` lets a caller recognise stale entries (lazy deletion).

export class TimeHeap {
  size = 0;
  times: Float64Array;
  items: Int32Array;
  tags: Int32Array;

  constructor(capacity = 64) {
    this.times = new Float64Array(capacity);
    this.items = new Int32Array(capacity);
    this.tags = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  /** Time of the earliest entry, +Infinity when empty. */
  topTime(): number {
    return this.size > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  topItem(): number {
    return this.items[0]!;
  }

  topTag(): number {
    return this.tags[0]!;
  }

  push(time: number, item: number, tag: number): void {
    if (this.size === this.times.length) this.grow();
    const times = this.times;
    const items = this.items;
    const tags = this.tags;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt <= time) break;
      times[i] = pt;
      items[i] = items[parent]!;
      tags[i] = tags[parent]!;
      i = parent;
    }
    times[i] = time;
    items[i] = item;
    tags[i] = tag;
  }

  /** Removes the earliest entry (read it first with topTime/topItem/topTag). */
  pop(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(this.times[last]!, this.items[last]!, this.tags[last]!);
  }

  /** Replaces the earliest entry by a new one: one sift instead of a pop and a push. */
  replaceTop(time: number, item: number, tag: number): void {
    this.siftDown(time, item, tag);
  }

  private siftDown(time: number, item: number, tag: number): void {
    const times = this.times;
    const items = this.items;
    const tags = this.tags;
    const size = this.size;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      let ct = times[child]!;
      const right = child + 1;
      if (right < size) {
        const rt = times[right]!;
        if (rt < ct) {
          child = right;
          ct = rt;
        }
      }
      if (ct >= time) break;
      times[i] = ct;
      items[i] = items[child]!;
      tags[i] = tags[child]!;
      i = child;
    }
    times[i] = time;
    items[i] = item;
    tags[i] = tag;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const items = new Int32Array(capacity);
    items.set(this.items);
    const tags = new Int32Array(capacity);
    tags.set(this.tags);
    this.times = times;
    this.items = items;
    this.tags = tags;
  }
}
