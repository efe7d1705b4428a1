// IBAN checked in the browser as it is typed, with the engine's own validation
// (SWIFT IBAN Registry length and BBAN structure, ISO 7064 MOD 97-10), so a
// mistyped digit is caught during the call by exactly the rule the server
// applies when the disposition is submitted. The check never leaves the browser.
import {
  formatIban as engineFormatIban,
  normalizeIban as engineNormalizeIban,
  validateIban,
} from '@centralino/engine/crm/iban';

/** Electronic format; hyphens too are dropped, as some donors write an IBAN with them. */
export function normalizeIban(raw: string): string {
  return engineNormalizeIban(raw.replace(/-/g, ''));
}

/** Groups of four, as printed on a bank statement. */
export function formatIban(raw: string): string {
  return engineFormatIban(normalizeIban(raw));
}

/** Why the typed IBAN is not (yet) acceptable, in the operator's terms. */
export type IbanCheck = 'empty' | 'valid' | 'country' | 'length' | 'characters' | 'structure' | 'checksum';

export function checkIban(raw: string): IbanCheck {
  const iban = normalizeIban(raw);
  if (iban === '') return 'empty';
  if (!/^[A-Z0-9]+$/.test(iban)) return 'characters';
  if (!/^[A-Z]{2}[0-9]{2}/.test(iban)) return 'country';
  const checked = validateIban(iban);
  if (checked.ok) return 'valid';
  // The engine's 'format' after a good prefix means the account part breaks the country's structure.
  return checked.reason === 'format' ? 'structure' : checked.reason;
}
