import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadReadmeVerifier } from '../../../test/webhook-receiver.ts';
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from './webhooks.signature.ts';

const secret = 'whsec_test-secret';
const body = '{"id":"e1","type":"supporter.created","data":{"x":1}}';
const t = 1_740_000_000;
const header = signWebhook({ secret, body, timestampSeconds: t });
const readme = await loadReadmeVerifier();

// Each case: header, body, secret, now → expected answer.
const CASES: { name: string; args: [string, string, string, number, number]; valid: boolean }[] = [
  { name: 'a genuine request', args: [header, body, secret, 300, t], valid: true },
  { name: 'within the tolerance (4:59 later)', args: [header, body, secret, 300, t + 299], valid: true },
  { name: 'older than 5 minutes (replay)', args: [header, body, secret, 300, t + 301], valid: false },
  { name: 'more than 5 minutes in the future', args: [header, body, secret, 300, t - 301], valid: false },
  { name: 'body altered', args: [header, body.replace('1', '2'), secret, 300, t], valid: false },
  {
    name: 'body re-serialized (spaces)',
    args: [header, JSON.stringify(JSON.parse(body), null, 1), secret, 300, t],
    valid: false,
  },
  { name: 'wrong secret', args: [header, body, 'whsec_other', 300, t], valid: false },
  {
    name: 'timestamp changed',
    args: [header.replace(`t=${t}`, `t=${t + 1}`), body, secret, 300, t],
    valid: false,
  },
  { name: 'no v1', args: [`t=${t}`, body, secret, 300, t], valid: false },
  { name: 'no timestamp', args: [header.replace(`t=${t},`, ''), body, secret, 300, t], valid: false },
  { name: 'empty header', args: ['', body, secret, 300, t], valid: false },
  { name: 'truncated digest', args: [header.slice(0, -2), body, secret, 300, t], valid: false },
  {
    name: 'several v1 (one valid): accepted, for secret rotation on the receiver side',
    args: [`t=${t},v1=${'0'.repeat(64)},${header.split(',')[1]}`, body, secret, 300, t],
    valid: true,
  },
];

describe('verifyWebhookSignature', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.valid ? 'valid' : 'refused'} (server helper and README snippet agree)`, () => {
      expect(verifyWebhookSignature(...c.args)).toBe(c.valid);
      expect(readme.verifyWebhookSignature(...c.args)).toBe(c.valid);
    });
  }

  it('defaults to the current time and a 5-minute tolerance', () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = signWebhook({ secret, body, timestampSeconds: now });
    const stale = signWebhook({ secret, body, timestampSeconds: now - 360 });
    expect([
      verifyWebhookSignature(fresh, body, secret),
      verifyWebhookSignature(stale, body, secret),
    ]).toEqual([true, false]);
    expect([
      readme.verifyWebhookSignature(fresh, body, secret),
      readme.verifyWebhookSignature(stale, body, secret),
    ]).toEqual([true, false]);
  });

  it('the README block is the module function with its types removed', () => {
    const moduleSource = readFileSync(new URL('./webhooks.signature.ts', import.meta.url), 'utf8');
    const start = moduleSource.indexOf('export function verifyWebhookSignature(');
    const end = moduleSource.indexOf('\n}\n', start) + 2;
    const normalize = (code: string) => code.replace(/\s+/g, '').replace(/,\)/g, ')');
    const readmeFunction = readme.source.slice(
      readme.source.indexOf('export function verifyWebhookSignature('),
    );
    expect(normalize(readmeFunction)).toBe(normalize(stripTypeScriptTypes(moduleSource.slice(start, end))));
  });

  it('secrets are whsec_ and 32 random bytes', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(6), 'base64url')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
