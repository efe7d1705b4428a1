// Opaque cursors for keyset pagination: the sort key of the last row of a
// page, as base64url JSON. A client cannot forge a meaningful one, and a
// malformed one is a 400, never a database error.
import { givingErrors } from './giving.errors.ts';

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key of a cursor, each part checked against its pattern. */
export function decodeCursor(cursor: string, patterns: readonly RegExp[]): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw givingErrors.cursorInvalid();
  }
  if (
    !Array.isArray(key) ||
    key.length !== patterns.length ||
    !key.every((part, i) => typeof part === 'string' && patterns[i]!.test(part))
  ) {
    throw givingErrors.cursorInvalid();
  }
  return key as string[];
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
