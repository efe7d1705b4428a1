import { describe, expect, it } from 'vitest';
import {
  formatIban,
  IBAN_LENGTHS,
  ibanCheckDigits,
  maskIban,
  mod97,
  normalizeIban,
  validateIban,
} from './iban.ts';

// Example IBANs of the SWIFT IBAN Registry ("IBAN electronic format example" of each
// country, https://www.swift.com/standards/data-standards/iban-international-bank-account-number),
// plus GB82WEST12345698765432, the worked example of ISO 13616 / Wikipedia "International
// Bank Account Number". All of the EEA, Switzerland, the UK and the SEPA micro-states.
const REGISTRY_EXAMPLES = [
  'AD1200012030200359100100',
  'AT611904300234573201',
  'BE68539007547034',
  'BG80BNBG96611020345678',
  'CH9300762011623852957',
  'CY17002001280000001200527600',
  'CZ6508000000192000145399',
  'DE89370400440532013000',
  'DK5000400440116243',
  'EE382200221020145685',
  'ES9121000418450200051332',
  'FI2112345600000785',
  'FR1420041010050500013M02606',
  'GB29NWBK60161331926819',
  'GB82WEST12345698765432',
  'GR1601101250000000012300695',
  'HR1210010051863000160',
  'HU42117730161111101800000000',
  'IE29AIBK93115212345678',
  'IS140159260076545510730339',
  'IT60X0542811101000000123456',
  'LI21088100002324013AA',
  'LT121000011101001000',
  'LU280019400644750000',
  'LV80BANK0000435195001',
  'MC5811222000010123456789030',
  'MT84MALT011000012345MTLCAST001S',
  'NL91ABNA0417164300',
  'NO9386011117947',
  'PL61109010140000071219812874',
  'PT50000201231234567890154',
  'RO49AAAA1B31007593840000',
  'SE4550000000058398257466',
  'SI56263300012039086',
  'SK3112000000198742637541',
  'SM86U0322509800000000270100',
  'VA59001123000012345678',
  // The longest: Saint Lucia (32) and Russia (33).
  'LC55HEMM000100010012001200023015',
  'RU0304452522540817810538091310419',
];

describe('validateIban', () => {
  it.each(REGISTRY_EXAMPLES)('accepts the registry example %s', (iban) => {
    const result = validateIban(iban);
    expect(result).toEqual({
      ok: true,
      iban,
      countryCode: iban.slice(0, 2),
      checkDigits: iban.slice(2, 4),
      bban: iban.slice(4),
    });
  });

  it('has the registry length of every SEPA country (IT 27, DE 22, GB 22, NO 15, MT 31)', () => {
    // SWIFT IBAN Registry, "IBAN length".
    const expected: Record<string, number> = {
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
    for (const [country, length] of Object.entries(expected))
      expect(IBAN_LENGTHS[country], country).toBe(length);
    for (const iban of REGISTRY_EXAMPLES) expect(iban.length).toBe(IBAN_LENGTHS[iban.slice(0, 2)]);
  });

  it('accepts the paper format, lower case and stray white space', () => {
    for (const raw of [
      'IT60 X054 2811 1010 0000 0123 456',
      'it60x0542811101000000123456',
      ' IBAN IT60 X054 2811 1010 0000 0123 456 ',
      'IBAN:IT60X0542811101000000123456',
      'IT60\u00a0X054\u00a02811\t1010 0000 0123 456',
    ]) {
      const result = validateIban(raw);
      expect(result.ok, raw).toBe(true);
      if (result.ok) expect(result.iban).toBe('IT60X0542811101000000123456');
    }
  });

  it('says why an IBAN is wrong', () => {
    const cases: [string, string][] = [
      ['', 'format'],
      ['IT60-X054-2811', 'format'],
      ['6060X0542811101000000123456', 'format'],
      ['ITXXX0542811101000000123456', 'format'],
      ['US64SVBKUS6S3300958879', 'country'], // the US does not use IBANs
      ['IT60X054281110100000012345', 'length'], // one character short
      ['IT60X05428111010000001234567', 'length'],
      ['DE8937040044053201300', 'length'],
      // Italian BBAN is 1!a5!n5!n12!c: the CIN must be a letter, ABI and CAB digits.
      ['IT6010542811101000000123456', 'format'],
      ['IT60X05428A1101000000123456', 'format'],
      ['IT61X0542811101000000123456', 'checksum'], // wrong check digits
      ['IT60X0542811101000000123465', 'checksum'], // last two digits swapped
      ['DE89370400440532013001', 'checksum'], // one digit changed
      ['GB82WEST12345698765423', 'checksum'],
    ];
    for (const [raw, reason] of cases) {
      const result = validateIban(raw);
      expect(result.ok, raw).toBe(false);
      if (!result.ok) {
        expect(result.reason, raw).toBe(reason);
        expect(result.message.length).toBeGreaterThan(0);
      }
    }
  });

  it('rejects the check digits 00, 01 and 99 even when the sum would pass', () => {
    // ISO 13616: check digits are 98 − remainder, so 02…98. 99 ≡ 02 (mod 97).
    const bban = 'X0542811101000000123456';
    const withDigits = (d: string) => `IT${d}${bban}`;
    const correct = ibanCheckDigits('IT', bban);
    expect(correct).toBe('60');
    // Find a BBAN whose correct check digits are 02, so 99 also satisfies mod 97.
    let low = '';
    for (let n = 0; n < 100_000 && !low; n++) {
      const candidate = `X05428111010000${String(n).padStart(8, '0')}`;
      if (ibanCheckDigits('IT', candidate) === '02') low = candidate;
    }
    expect(low).not.toBe('');
    expect(validateIban(`IT02${low}`).ok).toBe(true);
    expect(mod97(`${low}IT99`)).toBe(1);
    expect(validateIban(`IT99${low}`)).toMatchObject({ ok: false, reason: 'checksum' });
    expect(validateIban(withDigits('00'))).toMatchObject({ ok: false, reason: 'checksum' });
  });

  it('catches every single-digit substitution in the Italian example', () => {
    // ISO 7064 MOD 97-10 detects all single substitution errors.
    const iban = 'IT60X0542811101000000123456';
    // Every digit position, check digits included (position 4 is the CIN letter).
    for (let i = 2; i < iban.length; i++) {
      if (i === 4) continue;
      for (const d of '0123456789') {
        if (d === iban[i]) continue;
        const changed = iban.slice(0, i) + d + iban.slice(i + 1);
        expect(validateIban(changed).ok, changed).toBe(false);
      }
    }
  });
});

describe('mod97 and ibanCheckDigits', () => {
  it('computes the check digits of the registry examples', () => {
    for (const iban of REGISTRY_EXAMPLES) {
      expect(ibanCheckDigits(iban.slice(0, 2), iban.slice(4))).toBe(iban.slice(2, 4));
    }
  });

  it('matches plain arithmetic on numbers small enough to compute directly', () => {
    for (const n of [0, 1, 96, 97, 98, 123456789, 9007199254740991]) {
      expect(mod97(String(n))).toBe(n % 97);
    }
    // Letters count as two digits: A = 10, Z = 35.
    expect(mod97('A')).toBe(10);
    expect(mod97('Z')).toBe(35);
    expect(mod97('1Z')).toBe(135 % 97);
  });

  it('refuses characters outside 0-9 A-Z', () => {
    expect(() => mod97('12a')).toThrow(RangeError);
  });
});

describe('normalizeIban, formatIban, maskIban', () => {
  it('normalizes and formats', () => {
    expect(normalizeIban(' it60 x054 2811 1010 0000 0123 456 ')).toBe('IT60X0542811101000000123456');
    expect(formatIban('IT60X0542811101000000123456')).toBe('IT60 X054 2811 1010 0000 0123 456');
    expect(formatIban('DE89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
  });

  it('shows the country and the last four characters only', () => {
    expect(maskIban('IT60X0542811101000000123456')).toBe('IT…3456');
    expect(maskIban('IT60 X054 2811 1010 0000 0123 456')).toBe('IT…3456');
    expect(maskIban('DE89370400440532013000')).toBe('DE…3000');
    expect(maskIban('NO9386011117947')).toBe('NO…7947');
    const masked = maskIban('GB82WEST12345698765432');
    expect(masked).toBe('GB…5432');
    expect(masked).not.toContain('WEST');
  });

  it('never shows a short fragment whole', () => {
    expect(maskIban('')).toBe('…');
    expect(maskIban('1234')).toBe('…');
    expect(maskIban('IT60X05428')).toBe('…');
  });
});
