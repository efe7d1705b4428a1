// Opaque page cursors: the sort key of the last row, as base64url JSON. Clients
// must not build them; a cursor that does not decode to the expected shape is a 400.
import { supporterErrors } from './supporters.errors.ts';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw supporterErrors.cursorInvalid();
  }
  if (!Array.isArray(key) || key.length !== length || !key.every((part) => typeof part === 'string')) {
    throw supporterErrors.cursorInvalid();
  }
  return key as string[];
}
