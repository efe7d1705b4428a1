// The CRM's validators live in @centralino/engine (pure); this file only maps
// their answers to what the supporters module stores (phone kinds of the
// schema, upper-case fiscal codes) so the rest of the module has one place to
// call them.
import {
  normalizePhone,
  type PhoneType,
  validateCreditorId,
  validateEmail,
  validateFiscalCode,
} from '@centralino/engine';
import type { PhoneKind } from '../../db/schema.ts';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const PHONE_KINDS: Partial<Record<PhoneType, PhoneKind>> = {
  mobile: 'mobile',
  fixed_line: 'fixed_line',
  voip: 'voip',
  toll_free: 'toll_free',
  unknown: 'unknown',
};

export type CheckedPhone = { number: string; kind: PhoneKind; valid: boolean };

/**
 * A phone number in E.164 with its kind. `valid: false` means the text could
 * not be normalized or is not in an assigned range: the API refuses it, an
 * import keeps it (raw text when it could not be normalized) so nothing is lost.
 */
export function checkPhone(raw: string): CheckedPhone & { message?: string } {
  const result = normalizePhone(raw, 'IT');
  if (!result.ok)
    return { number: raw.trim().slice(0, 40), kind: 'unknown', valid: false, message: result.message };
  const kind = PHONE_KINDS[result.type] ?? 'other';
  if (!result.valid) {
    return {
      number: result.e164,
      kind,
      valid: false,
      message: `not an assigned number range${result.country ? ` in ${result.country}` : ''}`,
    };
  }
  return { number: result.e164, kind, valid: true };
}

export function checkEmail(raw: string): Checked<string> {
  const result = validateEmail(raw);
  return result.ok ? { ok: true, value: result.email } : { ok: false, message: result.message };
}

export function checkFiscalCode(raw: string): Checked<string> {
  const result = validateFiscalCode(raw);
  return result.ok ? { ok: true, value: result.code } : { ok: false, message: result.message };
}

export function checkCreditorId(raw: string): Checked<string> {
  const result = validateCreditorId(raw);
  return result.ok ? { ok: true, value: result.creditorId } : { ok: false, message: result.message };
}
