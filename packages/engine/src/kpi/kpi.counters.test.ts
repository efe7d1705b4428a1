// The spelled-out sum must cover every counter: a counter added to COUNTER_NAMES
// and forgotten in addAllCounters would silently vanish from every grouping.

import { describe, expect, it } from 'vitest';
import { addAllCounters, addCounters, COUNTER_NAMES, emptyCounters } from './kpi.counters.ts';

describe('counters', () => {
  it('addAllCounters adds every counter (maxima by max), like the generic addCounters', () => {
    const a = emptyCounters();
    const b = emptyCounters();
    COUNTER_NAMES.forEach((name, i) => {
      a[name] = i + 1;
      b[name] = 100 * (i + 1);
    });
    const fast = addAllCounters({ ...a }, b);
    const generic = addCounters({ ...a }, b);
    expect(fast).toEqual(generic);
    for (const [i, name] of COUNTER_NAMES.entries()) {
      expect(fast[name]).toBe(name === 'maxQueueWaitMs' ? 100 * (i + 1) : 101 * (i + 1));
    }
  });
});
