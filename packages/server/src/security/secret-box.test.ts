import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createSecretBox,
  loadSecretBox,
  parseSecretKey,
  SecretDecryptError,
  SecretKeyError,
} from './secret-box.ts';

const box = createSecretBox(Buffer.alloc(32, 1));
const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';

describe('secret box', () => {
  it('round-trips, with a fresh nonce each time', () => {
    const a = box.seal('IT60X0542811101000000123456', ORG_A);
    const b = box.seal('IT60X0542811101000000123456', ORG_A);
    expect(a).not.toBe(b);
    expect(a).not.toContain('0542811101');
    expect(box.open(a, ORG_A)).toBe('IT60X0542811101000000123456');
  });

  it("refuses another organization's context, another key and altered text", () => {
    const sealed = box.seal('IT60X0542811101000000123456', ORG_A);
    expect(() => box.open(sealed, ORG_B)).toThrow(SecretDecryptError);
    expect(() => createSecretBox(Buffer.alloc(32, 2)).open(sealed, ORG_A)).toThrow(SecretDecryptError);
    const [v, nonce, body] = sealed.split('.') as [string, string, string];
    // The second-to-last character carries six bits of the tag (the last may carry padding
    // bits a decoder ignores): changed to another letter, the tag no longer matches.
    const other = body.at(-2) === 'A' ? 'B' : 'A';
    const flipped = `${body.slice(0, -2)}${other}${body.slice(-1)}`;
    expect(() => box.open(`${v}.${nonce}.${flipped}`, ORG_A)).toThrow(SecretDecryptError);
    expect(() => box.open('garbage', ORG_A)).toThrow(SecretDecryptError);
  });

  it('parses hex and base64 keys and rejects other lengths', () => {
    expect(parseSecretKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseSecretKey(Buffer.alloc(32, 3).toString('base64'))).toHaveLength(32);
    expect(() => parseSecretKey('short')).toThrow(SecretKeyError);
  });

  const dir = mkdtempSync(join(tmpdir(), 'centralino-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a generated key in the data folder, readable by the owner only, and reuses it', () => {
    const first = loadSecretBox({ secretKey: undefined, dataDir: dir });
    const sealed = first.seal('secret', ORG_A);
    const key = readFileSync(join(dir, 'secret.key'), 'utf8');
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const second = loadSecretBox({ secretKey: undefined, dataDir: dir });
    expect(second.open(sealed, ORG_A)).toBe('secret');
    expect(readFileSync(join(dir, 'secret.key'), 'utf8')).toBe(key);
  });

  it('prefers the configured key over the data folder', () => {
    const configured = loadSecretBox({ secretKey: 'cd'.repeat(32), dataDir: dir });
    const sealed = configured.seal('x', ORG_A);
    expect(() => loadSecretBox({ secretKey: undefined, dataDir: dir }).open(sealed, ORG_A)).toThrow(
      SecretDecryptError,
    );
  });
});

describe('secret key with a PostgreSQL server', () => {
  it('must be configured: no key file is made up beside a server database', () => {
    expect(() =>
      loadSecretBox({ secretKey: undefined, dataDir: '/nonexistent', databaseUrl: 'postgres://x@h/db' }),
    ).toThrow(/CENTRALINO_SECRET_KEY/);
    expect(() =>
      loadSecretBox({
        secretKey: 'ab'.repeat(32),
        dataDir: '/nonexistent',
        databaseUrl: 'postgres://x@h/db',
      }),
    ).not.toThrow();
  });
});
