// Dates and amounts as people type them in Italian spreadsheets and forms, read
// strictly: anything that could mean two things is refused with a reason rather
// than guessed, because a wrong guess becomes a wrong gift or a wrong debit date.

import { formatIsoDate, isValidDate } from './dates.ts';

export type DateParseInvalidReason =
  | 'empty'
  /** Not `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` or `yyyy-mm-dd` (two-digit years included). */
  | 'format'
  /** The numbers do not make a calendar date (31/02/2024, 2023-02-29, month 13). */
  | 'date';

export type DateParse =
  | { ok: true; date: string }
  | { ok: false; reason: DateParseInvalidReason; message: string };

/**
 * A calendar date written day first (Italian: `31/12/2024`, `1/2/2024`, `31-12-2024`,
 * `31.12.2024`) or ISO 8601 (`2024-12-31`), as `YYYY-MM-DD`. The year has four digits:
 * `1/2/24` is refused, since a birth year `24` may be 1924.
 */
export function parseItalianOrIsoDate(raw: string): DateParse {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty', message: 'the date is empty' };
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  // The same separator twice: 01/02-2024 is more likely a typing error than a date.
  const italian = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(text);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (italian) {
    [day, month, year] = [Number(italian[1]), Number(italian[3]), Number(italian[4])];
  } else {
    return {
      ok: false,
      reason: 'format',
      message: 'expected dd/mm/yyyy (or with - or .) or yyyy-mm-dd, with a four-digit year',
    };
  }
  if (!isValidDate(year, month, day)) {
    return { ok: false, reason: 'date', message: `${text} is not a date of the calendar` };
  }
  return { ok: true, date: formatIsoDate({ year, month, day }) };
}

export type AmountParseInvalidReason =
  | 'empty'
  /** Not a number, misplaced separators, or thousands groups not of three digits. */
  | 'format'
  /** `1,234` or `1.234`: thousands or decimals? Pass `decimalSeparator` to decide. */
  | 'ambiguous'
  /** More than two decimals (amounts are in cents). */
  | 'precision'
  /** Below zero without `allowNegative`. */
  | 'negative'
  | 'too_large';

export type AmountParse =
  | { ok: true; amountCents: number }
  | { ok: false; reason: AmountParseInvalidReason; message: string };

export type AmountParseOptions = {
  /** The decimal separator when known (a file's locale); resolves `1.234` and `1,234`. */
  decimalSeparator?: ',' | '.';
  allowNegative?: boolean;
};

function amountFail(reason: AmountParseInvalidReason, message: string): AmountParse {
  return { ok: false, reason, message };
}

/** `1`, `12`, `123`, then groups of three: the integer part when `separator` groups thousands. */
function isGrouped(integer: string, separator: string): boolean {
  const groups = integer.split(separator);
  return /^[1-9][0-9]{0,2}$/.test(groups[0]!) && groups.slice(1).every((g) => /^[0-9]{3}$/.test(g));
}

/**
 * An amount of euros as integer cents: `10` → 1000, `10,50` and `10.50` → 1050,
 * `1.234,56` and `1,234.56` → 123456, `€ 10`, `10 €`, `EUR 10,5`, `1 234,56` (space
 * or no-break space grouping). With one separator followed by three digits (`1.234`)
 * the reading is ambiguous and refused unless `decimalSeparator` is given.
 */
export function parseAmountCents(raw: string, options: AmountParseOptions = {}): AmountParse {
  let text = raw.trim();
  if (text === '') return amountFail('empty', 'the amount is empty');

  let negative = false;
  const takeSign = () => {
    const sign = /^([+-])\s*/.exec(text);
    if (sign) {
      negative = sign[1] === '-';
      text = text.slice(sign[0].length);
    }
    return sign !== null;
  };
  const hadSign = takeSign();
  text = text
    .replace(/^(?:€|eur\b)\s*/i, '')
    .replace(/\s*(?:€|eur)$/i, '')
    .trim();
  if (!hadSign) takeSign();
  if (text === '') return amountFail('format', 'no digits in the amount');

  // White space may only group thousands: "1 234,56", not "10 50".
  if (/\s/.test(text)) {
    if (!/^[1-9][0-9]{0,2}(?:\s[0-9]{3})+(?:[.,][0-9]+)?$/.test(text)) {
      return amountFail('format', 'spaces are allowed only between groups of three digits');
    }
    text = text.replace(/\s/g, '');
  }
  if (!/^[0-9][0-9.,]*$/.test(text) || !/[0-9]$/.test(text)) {
    return amountFail('format', `${JSON.stringify(raw.trim())} is not an amount`);
  }

  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let integer = text;
  let decimals = '';
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const grouping = decimal === '.' ? ',' : '.';
    if (options.decimalSeparator !== undefined && options.decimalSeparator !== decimal) {
      return amountFail(
        'format',
        `"${decimal}" cannot be the last separator when "${options.decimalSeparator}" is the decimal one`,
      );
    }
    const at = text.lastIndexOf(decimal);
    integer = text.slice(0, at);
    decimals = text.slice(at + 1);
    if (integer.includes(decimal) || !isGrouped(integer, grouping)) {
      return amountFail('format', 'thousands must be grouped by three digits, before one decimal separator');
    }
    integer = integer.split(grouping).join('');
  } else if (lastDot >= 0 || lastComma >= 0) {
    const separator = lastDot >= 0 ? '.' : ',';
    const parts = text.split(separator);
    const tail = parts[parts.length - 1]!;
    const asDecimal =
      parts.length === 2 &&
      (options.decimalSeparator === undefined
        ? tail.length !== 3 || !isGrouped(text, separator)
        : options.decimalSeparator === separator);
    if (asDecimal) {
      integer = parts[0]!;
      decimals = tail;
    } else {
      if (!isGrouped(text, separator)) {
        return amountFail('format', 'thousands must be grouped by three digits');
      }
      if (parts.length === 2 && options.decimalSeparator === undefined) {
        return amountFail(
          'ambiguous',
          `${text} could be ${parts.join('')} or ${parts[0]} and a fraction; give the decimal separator`,
        );
      }
      integer = parts.join('');
    }
  }

  if (decimals.length > 2) return amountFail('precision', 'at most two decimals (cents)');
  const cents = Number(`${integer}${decimals.padEnd(2, '0')}`);
  if (!Number.isSafeInteger(cents)) return amountFail('too_large', 'the amount is too large');
  if (negative && cents !== 0) {
    if (!options.allowNegative) return amountFail('negative', 'the amount is below zero');
    return { ok: true, amountCents: -cents };
  }
  return { ok: true, amountCents: cents };
}
