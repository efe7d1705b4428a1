// Italian codice fiscale: 16 characters for persons (DM 23 dicembre 1976, with the
// omocodia substitutions of DM 12 marzo 1974 as amended), 11 digits for legal
// entities and partite IVA (DPR 605/1973; the check digit of DM 23 dicembre 1976 art. 6).

import { addMonths, formatIsoDate, isValidDate, parseIsoDate } from './dates.ts';

export type FiscalCodeInvalidReason =
  | 'empty'
  /** Wrong length or characters in the wrong places. */
  | 'format'
  /** The month letter or the day does not make a date (e.g. 31 February). */
  | 'date'
  /** The check character (or digit) does not match: a typing error. */
  | 'check';

export type FiscalCodeValidation =
  | {
      ok: true;
      kind: 'person';
      /** Upper-case, without spaces, as written (omocodia letters kept). */
      code: string;
      sex: 'M' | 'F';
      /** `YYYY-MM-DD`, present when a `referenceDate` lets the century be resolved. */
      birthDate?: string;
      birthYearTwoDigits: number;
      birthMonth: number;
      birthDay: number;
      /** Cadastral code of the municipality (e.g. H501 Roma) or `Z…` for a foreign country, omocodia decoded. */
      birthPlaceCode: string;
      bornAbroad: boolean;
      /** Some digits were replaced by letters to tell apart people with the same data. */
      omocode: boolean;
    }
  | { ok: true; kind: 'entity'; code: string }
  | { ok: false; reason: FiscalCodeInvalidReason; message: string };

const MONTH_LETTERS = 'ABCDEHLMPRST';
// Positions (0-based) of the digits that omocodia may replace, and the letters for 0-9.
const OMOCODIA_POSITIONS = [6, 7, 9, 10, 12, 13, 14];
const OMOCODIA_LETTERS = 'LMNPQRSTUV';
// DM 23/12/1976, art. 7: value of characters in odd positions (1st, 3rd, …); 0-9 as A-J.
const ODD_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

function charIndex(c: string): number {
  const code = c.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65; // '0'-'9' -> 0-9, 'A'-'Z' -> 0-25
}

/** The check character of the first 15 characters of a personal codice fiscale. */
export function fiscalCodeCheckCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const index = charIndex(first15[i]!);
    // 1-based odd positions are 0-based even indices.
    sum += i % 2 === 0 ? ODD_VALUES[index]! : index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** The check digit of the first 10 digits of an 11-digit codice fiscale / partita IVA (a Luhn variant). */
export function partitaIvaCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = first10.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      sum += digit;
    } else {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    }
  }
  return (10 - (sum % 10)) % 10;
}

/** Upper case, without white space. */
export function normalizeFiscalCode(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

const PERSON_PATTERN = /^[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]$/;

/**
 * Validates a codice fiscale: 16 characters for a person, or 11 digits for a legal
 * entity (whose codice fiscale has the form and check digit of a partita IVA).
 * `referenceDate` (`YYYY-MM-DD`, usually today) resolves the century of the birth year:
 * the latest one that makes the person at least `minAgeYears` old on that date (default
 * 0). A code only holds two digits of the year, so `MRTMTT25D09F205Z` is born in 2025
 * by default and in 1925 with `minAgeYears: 1` or more.
 */
export function validateFiscalCode(
  raw: string,
  options: { referenceDate?: string; minAgeYears?: number } = {},
): FiscalCodeValidation {
  const code = normalizeFiscalCode(raw);
  if (code === '') return { ok: false, reason: 'empty', message: 'the codice fiscale is empty' };

  if (/^[0-9]{11}$/.test(code)) {
    if (partitaIvaCheckDigit(code) !== code.charCodeAt(10) - 48) {
      return { ok: false, reason: 'check', message: 'the check digit does not match (typing error?)' };
    }
    return { ok: true, kind: 'entity', code };
  }

  if (code.length !== 16 || !PERSON_PATTERN.test(code)) {
    return {
      ok: false,
      reason: 'format',
      message:
        'expected 16 characters (6 letters, 2 digits, month letter, 2 digits, letter, 3 digits, letter) or 11 digits',
    };
  }

  const chars = [...code];
  let omocode = false;
  for (const position of OMOCODIA_POSITIONS) {
    const letter = OMOCODIA_LETTERS.indexOf(chars[position]!);
    if (letter >= 0) {
      chars[position] = String(letter);
      omocode = true;
    }
  }
  const decoded = chars.join('');
  const birthYearTwoDigits = Number(decoded.slice(6, 8));
  const birthMonth = MONTH_LETTERS.indexOf(decoded[8]!) + 1;
  const dayField = Number(decoded.slice(9, 11));
  const sex = dayField > 40 ? 'F' : 'M';
  const birthDay = dayField > 40 ? dayField - 40 : dayField;
  // Without a century, 29 February is possible in any year divisible by 4 (2000 was leap).
  const probeYear = 2000 + birthYearTwoDigits;
  if (!isValidDate(probeYear, birthMonth, birthDay)) {
    return { ok: false, reason: 'date', message: `day ${dayField} is not a date in month ${decoded[8]}` };
  }

  if (fiscalCodeCheckCharacter(code) !== code[15]) {
    return { ok: false, reason: 'check', message: 'the check character does not match (typing error?)' };
  }

  let birthDate: string | undefined;
  if (options.referenceDate !== undefined) {
    const today = parseIsoDate(options.referenceDate);
    const minAgeYears = options.minAgeYears ?? 0;
    if (today && Number.isInteger(minAgeYears) && minAgeYears >= 0) {
      const reference = addMonths(today, -12 * minAgeYears);
      let year = Math.floor(reference.year / 100) * 100 + birthYearTwoDigits;
      const later =
        year > reference.year ||
        (year === reference.year &&
          (birthMonth > reference.month || (birthMonth === reference.month && birthDay > reference.day)));
      if (later) year -= 100;
      if (!isValidDate(year, birthMonth, birthDay)) {
        return { ok: false, reason: 'date', message: `29 February ${year} did not exist` };
      }
      birthDate = formatIsoDate({ year, month: birthMonth, day: birthDay });
    }
  }

  const birthPlaceCode = decoded.slice(11, 15);
  return {
    ok: true,
    kind: 'person',
    code,
    sex,
    ...(birthDate === undefined ? {} : { birthDate }),
    birthYearTwoDigits,
    birthMonth,
    birthDay,
    birthPlaceCode,
    bornAbroad: birthPlaceCode.startsWith('Z'),
    omocode,
  };
}

function lettersOf(name: string): { consonants: string; vowels: string } {
  const letters = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  return { consonants: letters.replace(/[AEIOU]/g, ''), vowels: letters.replace(/[^AEIOU]/g, '') };
}

/**
 * The six name letters of a personal codice fiscale (DM 23/12/1976): family name
 * consonants then vowels then X, to three; given name likewise, except that with four
 * or more consonants it takes the 1st, 3rd and 4th. Compare with `code.slice(0, 6)`
 * to catch a codice fiscale typed on the wrong supporter.
 */
export function fiscalCodeNameLetters(person: { familyName: string; givenName: string }): string {
  const family = lettersOf(person.familyName);
  const given = lettersOf(person.givenName);
  const familyPart = `${family.consonants}${family.vowels}XXX`.slice(0, 3);
  const givenPart =
    given.consonants.length >= 4
      ? `${given.consonants[0]}${given.consonants[2]}${given.consonants[3]}`
      : `${given.consonants}${given.vowels}XXX`.slice(0, 3);
  return familyPart + givenPart;
}
