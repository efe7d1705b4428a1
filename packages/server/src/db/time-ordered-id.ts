// Time-ordered UUIDs (version 7, RFC 9562 §5.7) for rows created in bulk.
//
// A random (v4) primary key sends every insert to a random page of the
// primary-key index and of every index that leads with the id (a supporter's
// phones, e-mails, external ids, search terms and events all do): once those
// indexes outgrow the buffer cache, each row of an import costs several page
// reads. A v7 id starts with the creation time in milliseconds, so the rows of
// an import land at the right edge of those indexes, in pages already in
// memory. The ids stay unguessable enough for our use: 74 random bits.
import { randomFillSync } from 'node:crypto';

const POOL_IDS = 512;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolIndex = POOL_IDS;
let lastMs = -1;
let sequence = 0;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A version 7 UUID; ids made by one process are strictly increasing. */
export function timeOrderedId(now: number = Date.now()): string {
  if (poolIndex === POOL_IDS) {
    randomFillSync(pool);
    poolIndex = 0;
  }
  const offset = 16 * poolIndex++;
  const bytes = pool.subarray(offset, offset + 16);
  // Within one millisecond the 12 bits after the version count up (method 1
  // of RFC 9562 §6.2), so ids made in a burst keep their order; when they run
  // out, the clock is borrowed from the next millisecond.
  if (now > lastMs) {
    lastMs = now;
    sequence = bytes[6]! & 0x07; // start low so a burst of thousands fits
  } else if (++sequence > 0xfff) {
    lastMs++;
    sequence = 0;
  }
  let ms = lastMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  let text = '';
  for (let i = 0; i < 16; i++) {
    text += HEX[bytes[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) text += '-';
  }
  return text;
}
