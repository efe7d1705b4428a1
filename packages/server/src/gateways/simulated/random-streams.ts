// Independent random streams from one seed. Each inbound line's arrivals and
// each call draw from a stream of their own, derived from (seed, kind, index):
// an extra outbound call then does not shift the arrival times of inbound
// callers, and a call's behaviour does not depend on how other calls'
// events interleave with it. Same seed and same commands → same events.
import { createRandom } from '@centralino/engine';

export const STREAM_ARRIVALS = 1;
export const STREAM_INBOUND_CALL = 2;
export const STREAM_OUTBOUND_CALL = 3;
export const STREAM_OPERATOR = 4;

/**
 * A 32-bit seed from the run seed, a stream kind and an index: murmur3's fmix32
 * finaliser over a combination of the three, so neighbouring indices give
 * unrelated mulberry32 states (consecutive raw seeds would give correlated
 * first draws).
 */
export function deriveSeed(seed: number, kind: number, index: number): number {
  let h = (seed >>> 0) ^ Math.imul(kind + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function createStream(seed: number, kind: number, index: number): () => number {
  return createRandom(deriveSeed(seed, kind, index));
}
