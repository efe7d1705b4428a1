// Encryption of secrets at rest (IBANs, webhook signing secrets): AES-256-GCM
// with a random 96-bit nonce per value, and the owning organization's id as
// additional authenticated data, so a ciphertext copied to another
// organization's row does not decrypt. Format: `v1.<nonce>.<ciphertext+tag>`
// (base64url); the version prefix leaves room for key rotation.
//
// The key comes from CENTRALINO_SECRET_KEY (32 bytes, base64 or hex). Without
// it, a key is generated once and kept in the data folder (`secret.key`,
// mode 0600) — the embedded default. Losing that key loses the IBANs, so
// servers should set the variable and back it up apart from the database.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type SecretBox = {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
};

export class SecretKeyError extends Error {
  readonly code = 'SECRET_KEY_INVALID';
}

export class SecretDecryptError extends Error {
  readonly code = 'SECRET_UNREADABLE';
  constructor() {
    super('A stored secret could not be decrypted: wrong key, or the value was altered');
  }
}

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretKeyError('The secret key must be 32 bytes');
  return {
    seal(plaintext, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, nonceText, bodyText] = sealed.split('.');
      if (version !== VERSION || !nonceText || !bodyText) throw new SecretDecryptError();
      const nonce = Buffer.from(nonceText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw new SecretDecryptError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretDecryptError();
      }
    },
  };
}

/** Parses CENTRALINO_SECRET_KEY: 32 bytes as 64 hex digits or base64. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new SecretKeyError(
      'CENTRALINO_SECRET_KEY must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)',
    );
  }
  return key;
}

/**
 * The configured key, or the data folder's (created on first use). With a
 * PostgreSQL server the key must be configured: the data folder is not where
 * a server's data lives, and a key kept beside nothing is a key lost.
 */
export function loadSecretBox(options: {
  secretKey: string | undefined;
  dataDir: string;
  databaseUrl?: string | undefined;
}): SecretBox {
  if (options.secretKey) return createSecretBox(parseSecretKey(options.secretKey));
  if (options.databaseUrl) {
    throw new SecretKeyError(
      'Set CENTRALINO_SECRET_KEY (32 bytes, e.g. `openssl rand -base64 32`) when using a PostgreSQL server; ' +
        'keep it backed up apart from the database: IBANs cannot be read without it',
    );
  }
  const path = join(options.dataDir, 'secret.key');
  if (!existsSync(path)) {
    mkdirSync(options.dataDir, { recursive: true });
    // 'wx': never overwrite a key another process has just written.
    try {
      writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return createSecretBox(parseSecretKey(readFileSync(path, 'utf8')));
}
