// Secrets handed to clients (session tokens, API keys) are random, shown once,
// and stored only as SHA-256: they carry 256 bits of entropy, so a fast hash
// is enough (unlike passwords).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The CSRF token of a session: derived from the cookie secret, which a cross-site page cannot read. */
export function csrfTokenFor(sessionToken: string): string {
  return sha256(`csrf:${sessionToken}`);
}

const KEY_PATTERN = /^cntr_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new API key `cntr_<prefix>_<secret>`; the prefix is stored in clear to find the key and to show it. */
export function newApiKey(): { key: string; prefix: string } {
  const bytes = randomBytes(10);
  const prefix = Array.from(bytes, (b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join('');
  return { key: `cntr_${prefix}_${randomToken(32)}`, prefix };
}

export function parseApiKey(key: string): { prefix: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1]! } : undefined;
}
