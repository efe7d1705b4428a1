// IBAN checked in the browser as it is typed (ISO 13616: the country's length
// and the mod-97 check digits), so a mistyped digit is caught during the call,
// before the server checks it again. The check never leaves the browser.

/** IBAN lengths of the SEPA countries (SWIFT IBAN registry). */
const LENGTHS: Record<string, number> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  VA: 22,
};

export type IbanCheck = 'empty' | 'valid' | 'country' | 'length' | 'characters' | 'checksum';

export function normalizeIban(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

/** The remainder of the number the IBAN spells (country and check moved to the end, letters as 10–35) mod 97. */
export function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return remainder;
}

export function checkIban(raw: string): IbanCheck {
  const iban = normalizeIban(raw);
  if (iban === '') return 'empty';
  if (!/^[A-Z0-9]+$/.test(iban)) return 'characters';
  const length = LENGTHS[iban.slice(0, 2)];
  if (length === undefined || !/^[A-Z]{2}[0-9]{2}/.test(iban)) return 'country';
  if (iban.length !== length) return 'length';
  return ibanMod97(iban) === 1 ? 'valid' : 'checksum';
}

/** Groups of four, as printed on a bank statement. */
export function formatIban(raw: string): string {
  return normalizeIban(raw).replace(/(.{4})(?=.)/g, '$1 ');
}
