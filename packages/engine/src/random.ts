// Seeded pseudo-random numbers for the engine, which never calls Math.random():
// the same seed gives the same sequence, so simulations and tests replay exactly.
// mulberry32 (Tommy Ettinger, public domain): 32 bits of state, one multiply-
// xorshift round per draw, period 2^32 — plenty for simulations, not for secrets.

/** Returns a function drawing uniform numbers in [0, 1) from the seed (any integer). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
