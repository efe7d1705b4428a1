import { describe, expect, it } from 'vitest';
import { checkIban, formatIban, normalizeIban } from './iban.ts';

describe('IBAN check in the browser', () => {
  it('accepts the published example IBANs and refuses one wrong digit', () => {
    // SWIFT IBAN Registry examples (IT, DE, GB).
    expect(checkIban('IT60 X054 2811 1010 0000 0123 456')).toBe('valid');
    expect(checkIban('DE89 3704 0044 0532 0130 00')).toBe('valid');
    expect(checkIban('gb82-west-1234-5698-7654-32')).toBe('valid');
    expect(checkIban('IBAN IT60 X054 2811 1010 0000 0123 456')).toBe('valid');
    expect(checkIban('IT60 X054 2811 1010 0000 0123 457')).toBe('checksum');
  });

  it('tells why an IBAN is not valid', () => {
    expect(checkIban('')).toBe('empty');
    expect(checkIban('IT60 X054')).toBe('length');
    expect(checkIban('XX60X0542811101000000123456')).toBe('country');
    expect(checkIban('6060X0542811101000000123456')).toBe('country');
    expect(checkIban('IT60X05428111010000001234$6')).toBe('characters');
  });

  it('applies the country’s BBAN structure, as the server does', () => {
    // Italy: 1!a5!n5!n12!c — the CIN must be a letter; a digit there is refused
    // even before the check digits are looked at.
    expect(checkIban('IT60 0054 2811 1010 0000 0123 456')).toBe('structure');
  });

  it('prints in groups of four', () => {
    expect(formatIban('it60x0542811101000000123456')).toBe('IT60 X054 2811 1010 0000 0123 456');
    expect(normalizeIban('it60-x054 2811')).toBe('IT60X0542811');
  });
});
