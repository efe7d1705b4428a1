// IBAN (ISO 13616): normalization, validation against the SWIFT IBAN Registry
// and the ISO 7064 MOD 97-10 check, masking for display (DOMAIN.md §6).

/**
 * BBAN structure per country, transcribed from the SWIFT IBAN Registry
 * (https://www.swift.com/standards/data-standards/iban-international-bank-account-number,
 * "IBAN Registry", field "BBAN structure"). `n` digits, `a` upper-case letters,
 * `c` letters or digits; every element has a fixed length (`!`). The IBAN length
 * is 4 + the BBAN length (IT: 1!a5!n5!n12!c -> 23 + 4 = 27). French overseas
 * departments and territories, Åland, Jersey, Guernsey and the Isle of Man use
 * the IBAN of France, Finland and the United Kingdom.
 */
const BBAN_STRUCTURES: Record<string, string> = {
  AD: '4!n4!n12!c',
  AE: '3!n16!n',
  AL: '8!n16!c',
  AT: '5!n11!n',
  AZ: '4!a20!c',
  BA: '3!n3!n8!n2!n',
  BE: '3!n7!n2!n',
  BG: '4!a4!n2!n8!c',
  BH: '4!a14!c',
  BI: '5!n5!n11!n2!n',
  BR: '8!n5!n10!n1!a1!c',
  BY: '4!c4!n16!c',
  CH: '5!n12!c',
  CR: '4!n14!n',
  CY: '3!n5!n16!c',
  CZ: '4!n6!n10!n',
  DE: '8!n10!n',
  DJ: '5!n5!n11!n2!n',
  DK: '4!n9!n1!n',
  DO: '4!c20!n',
  EE: '2!n14!n',
  EG: '4!n4!n17!n',
  ES: '4!n4!n1!n1!n10!n',
  FI: '3!n11!n',
  FK: '2!a12!n',
  FO: '4!n9!n1!n',
  FR: '5!n5!n11!c2!n',
  GB: '4!a6!n8!n',
  GE: '2!a16!n',
  GI: '4!a15!c',
  GL: '4!n9!n1!n',
  GR: '3!n4!n16!c',
  GT: '4!c20!c',
  HN: '4!a20!n',
  HR: '7!n10!n',
  HU: '3!n4!n1!n15!n1!n',
  IE: '4!a6!n8!n',
  IL: '3!n3!n13!n',
  IQ: '4!a3!n12!n',
  IS: '4!n2!n6!n10!n',
  IT: '1!a5!n5!n12!c',
  JO: '4!a4!n18!c',
  KW: '4!a22!c',
  KZ: '3!n13!c',
  LB: '4!n20!c',
  LC: '4!a24!c',
  LI: '5!n12!c',
  LT: '5!n11!n',
  LU: '3!n13!c',
  LV: '4!a13!c',
  LY: '3!n3!n15!n',
  MC: '5!n5!n11!c2!n',
  MD: '2!c18!c',
  ME: '3!n13!n2!n',
  MK: '3!n10!c2!n',
  MN: '4!n12!n',
  MR: '5!n5!n11!n2!n',
  MT: '4!a5!n18!c',
  MU: '4!a2!n2!n12!n3!n3!a',
  NI: '4!a20!n',
  NL: '4!a10!n',
  NO: '4!n6!n1!n',
  OM: '3!n16!c',
  PK: '4!a16!c',
  PL: '8!n16!n',
  PS: '4!a21!c',
  PT: '4!n4!n11!n2!n',
  QA: '4!a21!c',
  RO: '4!a16!c',
  RS: '3!n13!n2!n',
  RU: '9!n5!n15!c',
  SA: '2!n18!c',
  SC: '4!a2!n2!n16!n3!a',
  SD: '2!n12!n',
  SE: '3!n16!n1!n',
  SI: '5!n8!n2!n',
  SK: '4!n6!n10!n',
  SM: '1!a5!n5!n12!c',
  SO: '4!n3!n12!n',
  ST: '8!n11!n2!n',
  SV: '4!a20!n',
  TL: '3!n14!n2!n',
  TN: '2!n3!n13!n2!n',
  TR: '5!n1!n16!c',
  UA: '6!n19!c',
  VA: '3!n15!n',
  VG: '4!a16!n',
  XK: '4!n10!n2!n',
  YE: '4!a4!n18!c',
};

type CompiledStructure = { length: number; pattern: RegExp };

function compile(structure: string): CompiledStructure {
  let length = 0;
  let source = '';
  for (const [, count, kind] of structure.matchAll(/(\d+)!([nac])/g)) {
    const n = Number(count);
    length += n;
    source += `${kind === 'n' ? '[0-9]' : kind === 'a' ? '[A-Z]' : '[A-Z0-9]'}{${n}}`;
  }
  return { length: length + 4, pattern: new RegExp(`^${source}$`) };
}

const COMPILED = new Map(Object.entries(BBAN_STRUCTURES).map(([cc, s]) => [cc, compile(s)]));

/** IBAN length per country code from the SWIFT IBAN Registry (IT 27, DE 22, GB 22, NO 15, RU 33). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries([...COMPILED].map(([cc, c]) => [cc, c.length])),
);

export type IbanInvalidReason =
  /** Not two letters, two digits and letters/digits, or the BBAN breaks the country's structure. */
  | 'format'
  /** The country does not use IBANs (not in the SWIFT IBAN Registry). */
  | 'country'
  /** Wrong length for the country. */
  | 'length'
  /** The MOD 97-10 check fails (a typing error or swapped characters). */
  | 'checksum';

export type IbanValidation =
  | { ok: true; iban: string; countryCode: string; checkDigits: string; bban: string }
  | { ok: false; reason: IbanInvalidReason; message: string };

/**
 * Electronic format: no spaces (any Unicode white space), upper case, and without the
 * `IBAN` prefix of the paper format (`IBAN IT60 X054 …`; ECBS EBS204).
 */
export function normalizeIban(raw: string): string {
  const compact = raw.replace(/\s+/g, '').toUpperCase();
  // No country code starts with "IB", so a leading "IBAN" followed by a country code is the prefix.
  const prefixed = /^IBAN:?([A-Z]{2}[0-9]{2})/.exec(compact);
  return prefixed ? compact.slice(prefixed[0].length - 4) : compact;
}

/**
 * ISO 7064 MOD 97-10 of a string of digits and upper-case letters (A = 10 … Z = 35),
 * computed digit by digit so the 60-digit numbers of long IBANs never exceed 2^53.
 */
export function mod97(value: string): number {
  let remainder = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else if (code >= 65 && code <= 90) {
      remainder = (remainder * 100 + (code - 55)) % 97;
    } else {
      throw new RangeError(`mod97: unexpected character ${JSON.stringify(value[i])}`);
    }
  }
  return remainder;
}

/** The two check digits for a country code and BBAN: 98 − (BBAN + CC + "00") mod 97, zero-padded. */
export function ibanCheckDigits(countryCode: string, bban: string): string {
  return String(98 - mod97(`${bban}${countryCode}00`)).padStart(2, '0');
}

export function validateIban(raw: string): IbanValidation {
  const iban = normalizeIban(raw);
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban)) {
    return {
      ok: false,
      reason: 'format',
      message: 'expected 2 letters, 2 check digits, then letters and digits',
    };
  }
  const countryCode = iban.slice(0, 2);
  const structure = COMPILED.get(countryCode);
  if (!structure) {
    return { ok: false, reason: 'country', message: `${countryCode} does not use IBANs` };
  }
  if (iban.length !== structure.length) {
    return {
      ok: false,
      reason: 'length',
      message: `a ${countryCode} IBAN has ${structure.length} characters, got ${iban.length}`,
    };
  }
  const bban = iban.slice(4);
  if (!structure.pattern.test(bban)) {
    return {
      ok: false,
      reason: 'format',
      message: `the account part does not match the ${countryCode} structure ${BBAN_STRUCTURES[countryCode]}`,
    };
  }
  const checkDigits = iban.slice(2, 4);
  // 00, 01 and 99 never result from 98 − remainder, yet 99 ≡ 02 (mod 97) would pass the sum.
  if (
    checkDigits === '00' ||
    checkDigits === '01' ||
    checkDigits === '99' ||
    mod97(bban + iban.slice(0, 4)) !== 1
  ) {
    return { ok: false, reason: 'checksum', message: 'the check digits do not match (typing error?)' };
  }
  return { ok: true, iban, countryCode, checkDigits, bban };
}

/** Paper format: groups of four characters separated by spaces (ECBS EBS204). */
export function formatIban(raw: string): string {
  return normalizeIban(raw).replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * The form shown to operators and written to logs: the country code, an ellipsis and
 * the last four characters, `IT…3456` (DOMAIN.md §6: shown masked, last 4). Check digits
 * and bank codes stay hidden; anything too short to hide at least as much as it shows
 * becomes `…`, so a fragment never leaks whole.
 */
export function maskIban(raw: string): string {
  const iban = normalizeIban(raw);
  if (iban.length < 12) return '…';
  const country = /^[A-Z]{2}/.test(iban) ? iban.slice(0, 2) : '';
  return `${country}…${iban.slice(-4)}`;
}
