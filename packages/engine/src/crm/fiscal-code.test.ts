import { describe, expect, it } from 'vitest';
import {
  fiscalCodeCheckCharacter,
  fiscalCodeNameLetters,
  normalizeFiscalCode,
  partitaIvaCheckDigit,
  validateFiscalCode,
} from './fiscal-code.ts';

describe('validateFiscalCode: persons', () => {
  it('reads the published examples', () => {
    // "Mario Rossi", the usual example of the Agenzia delle Entrate forms and of
    // Wikipedia it "Codice fiscale": born 10 December 1985, cadastral code A562.
    expect(validateFiscalCode('RSSMRA85T10A562S', { referenceDate: '2025-06-01' })).toEqual({
      ok: true,
      kind: 'person',
      code: 'RSSMRA85T10A562S',
      sex: 'M',
      birthDate: '1985-12-10',
      birthYearTwoDigits: 85,
      birthMonth: 12,
      birthDay: 10,
      birthPlaceCode: 'A562',
      bornAbroad: false,
      omocode: false,
    });
    // Wikipedia en "Italian fiscal code": Matteo Moretti, male, born in Milan (F205) on 9 April 1925.
    expect(
      validateFiscalCode('MRTMTT25D09F205Z', { referenceDate: '2025-06-01', minAgeYears: 18 }),
    ).toMatchObject({
      ok: true,
      sex: 'M',
      birthDate: '1925-04-09',
      birthPlaceCode: 'F205',
    });
    // Same page: Samantha Miller, female (day 25 + 40 = 65), born in the USA (Z404) on 25 September 1982.
    expect(validateFiscalCode('MLLSNT82P65Z404U', { referenceDate: '2025-06-01' })).toMatchObject({
      ok: true,
      sex: 'F',
      birthDate: '1982-09-25',
      birthDay: 25,
      birthPlaceCode: 'Z404',
      bornAbroad: true,
    });
  });

  it('resolves the century against the reference date and minimum age', () => {
    const code = 'MRTMTT25D09F205Z'; // 09 April (19|20)25
    const on = (referenceDate: string, minAgeYears?: number) => {
      const r = validateFiscalCode(
        code,
        minAgeYears === undefined ? { referenceDate } : { referenceDate, minAgeYears },
      );
      return r.ok && r.kind === 'person' ? r.birthDate : r;
    };
    expect(on('2025-04-09')).toBe('2025-04-09'); // born today
    expect(on('2025-04-08')).toBe('1925-04-09'); // not born yet in 2025: previous century
    expect(on('2043-04-09', 18)).toBe('2025-04-09'); // exactly 18
    expect(on('2043-04-08', 18)).toBe('1925-04-09');
    // Without a reference date there is no birthDate, only its parts.
    const plain = validateFiscalCode(code);
    expect(plain).toMatchObject({ ok: true, birthYearTwoDigits: 25, birthMonth: 4, birthDay: 9 });
    expect(plain).not.toHaveProperty('birthDate');
  });

  it('decodes omocodia substitutions and checks the code as written', () => {
    // Last digit of the place code 2 -> N (L=0 … V=9). Check character by hand, DM 23/12/1976:
    // odd R8 S12 R8 8→19 T14 0→1 5→13 N20 = 95, even S18 M12 A0 5 1 A0 6 = 42; 137 mod 26 = 7 -> H.
    expect(fiscalCodeCheckCharacter('RSSMRA85T10A56N')).toBe('H');
    expect(validateFiscalCode('RSSMRA85T10A56NH')).toMatchObject({
      ok: true,
      omocode: true,
      birthPlaceCode: 'A562',
      birthDay: 10,
    });
    // Every substitutable digit replaced: year 85 -> UR, day 10 -> ML, place 562 -> RSN.
    const all = 'RSSMRAURTMLARSN';
    const full = `${all}${fiscalCodeCheckCharacter(all)}`;
    expect(validateFiscalCode(full, { referenceDate: '2025-06-01' })).toMatchObject({
      ok: true,
      omocode: true,
      birthDate: '1985-12-10',
      birthPlaceCode: 'A562',
    });
    // The original check character no longer fits the substituted code.
    expect(validateFiscalCode('RSSMRA85T10A56NS')).toMatchObject({ ok: false, reason: 'check' });
  });

  it('accepts lower case and spaces', () => {
    expect(normalizeFiscalCode(' rssmra 85t10 a562s ')).toBe('RSSMRA85T10A562S');
    expect(validateFiscalCode('rss mra 85t10 a562s')).toMatchObject({ ok: true, code: 'RSSMRA85T10A562S' });
  });

  it('says why a code is refused', () => {
    const cases: [string, string][] = [
      ['', 'empty'],
      ['RSSMRA85T10A562', 'format'], // 15 characters
      ['RSSMRA85T10A562SX', 'format'],
      ['RSSMRA85F10A562S', 'format'], // F is not a month letter
      ['RSSMR485T10A562S', 'format'], // digit in the name letters
      ['RSSMRA85T10A5A2S', 'format'], // A is not an omocodia letter
      ['RSSMRA85T10A562T', 'check'],
      ['RSSMAR85T10A562S', 'check'], // two letters swapped
      ['RSSMRA85T10A526S', 'check'],
    ];
    for (const [code, reason] of cases)
      expect(validateFiscalCode(code), code).toMatchObject({ ok: false, reason });
  });

  it('refuses impossible dates before looking at the check character', () => {
    const withCheck = (first15: string) => `${first15}${fiscalCodeCheckCharacter(first15)}`;
    // 31 February (B = February), 31 April (D), day 00, day 32, female day 72 (= 32).
    for (const first15 of [
      'RSSMRA85B31A562',
      'RSSMRA85D31A562',
      'RSSMRA85T00A562',
      'RSSMRA85T32A562',
      'RSSMRA85T72A562',
    ]) {
      expect(validateFiscalCode(withCheck(first15)), first15).toMatchObject({ ok: false, reason: 'date' });
    }
    // 29 February: possible in 84, impossible in 85; 1900 was not a leap year, 2000 was.
    expect(validateFiscalCode(withCheck('RSSMRA84B29A562')).ok).toBe(true);
    expect(validateFiscalCode(withCheck('RSSMRA85B29A562'))).toMatchObject({ ok: false, reason: 'date' });
    expect(validateFiscalCode(withCheck('RSSMRA00B69A562'), { referenceDate: '2025-01-01' })).toMatchObject({
      ok: true,
      sex: 'F',
      birthDate: '2000-02-29',
    });
    expect(validateFiscalCode(withCheck('RSSMRA00B69A562'), { referenceDate: '1999-01-01' })).toMatchObject({
      ok: false,
      reason: 'date',
    });
  });
});

describe('validateFiscalCode: legal entities (11 digits)', () => {
  it('accepts published company numbers', () => {
    // Eni S.p.A. (eni.com, legal notes): codice fiscale 00484960588, partita IVA 00905811006.
    // TIM S.p.A. (gruppotim.it, company data): partita IVA 00488410010.
    for (const code of ['00484960588', '00905811006', '00488410010']) {
      expect(validateFiscalCode(code)).toEqual({ ok: true, kind: 'entity', code });
    }
  });

  it('computes the check digit by hand', () => {
    // 0090581100|6: odd positions 0+9+5+1+0 = 15; even 0,0,8,1,0 doubled 0,0,16->7,2,0 = 9;
    // 24 mod 10 = 4, (10 − 4) mod 10 = 6.
    expect(partitaIvaCheckDigit('0090581100')).toBe(6);
    expect(partitaIvaCheckDigit('0000000000')).toBe(0);
  });

  it('catches a changed digit and adjacent swaps', () => {
    expect(validateFiscalCode('00905811007')).toMatchObject({ ok: false, reason: 'check' });
    expect(validateFiscalCode('00905811060')).toMatchObject({ ok: false, reason: 'check' });
    expect(validateFiscalCode('0090581100')).toMatchObject({ ok: false, reason: 'format' });
    expect(validateFiscalCode('009058110066')).toMatchObject({ ok: false, reason: 'format' });
  });
});

describe('fiscalCodeNameLetters', () => {
  it('builds the name letters of the published examples', () => {
    expect(fiscalCodeNameLetters({ familyName: 'Rossi', givenName: 'Mario' })).toBe('RSSMRA');
    expect(fiscalCodeNameLetters({ familyName: 'Moretti', givenName: 'Matteo' })).toBe('MRTMTT');
    // Four or more consonants in the given name: 1st, 3rd, 4th (S, N, T of S-M-N-T-H).
    expect(fiscalCodeNameLetters({ familyName: 'Miller', givenName: 'Samantha' })).toBe('MLLSNT');
  });

  it('pads short names with X and ignores accents, apostrophes and spaces', () => {
    // DM 23/12/1976: vowels after consonants, X when fewer than three letters.
    expect(fiscalCodeNameLetters({ familyName: 'Fo', givenName: 'Dario' })).toBe('FOXDRA');
    expect(fiscalCodeNameLetters({ familyName: "D'Alò", givenName: 'Niccolò' })).toBe('DLANCL');
    expect(fiscalCodeNameLetters({ familyName: 'De Luca', givenName: 'Ugo' })).toBe('DLCGUO');
  });
});
