// Webhook signatures, Stripe-style: `Centralino-Signature: t=<unix seconds>,v1=<hex>`
// where v1 = HMAC-SHA256(secret, "<t>.<raw body>"). Signing the timestamp with
// the body lets a receiver refuse replays older than its tolerance.
// verifyWebhookSignature is the function the README shows to integrators;
// webhooks.signature.test.ts runs the README's copy against real deliveries.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Centralino-Signature';
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, shown to the user once. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The header value for one request. The HMAC key is the whole secret string, prefix included. */
export function signWebhook(options: { secret: string; body: string; timestampSeconds: number }): string {
  const digest = createHmac('sha256', options.secret)
    .update(`${options.timestampSeconds}.${options.body}`)
    .digest('hex');
  return `t=${options.timestampSeconds},v1=${digest}`;
}

/**
 * True when `header` signs `body` with `secret` and its timestamp is within
 * `toleranceSeconds` of now. `body` must be the raw request body, unparsed.
 */
export function verifyWebhookSignature(
  header: string,
  body: string,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  return parts.some(([key, value]) => {
    if (key !== 'v1' || !/^[0-9a-f]{64}$/.test(value ?? '')) return false;
    return timingSafeEqual(expected, Buffer.from(value as string, 'hex'));
  });
}
