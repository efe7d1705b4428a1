// Reading the cells of one row for the importers of commitments, gifts,
// consents, do-not-call lists and register answers: each reader refuses a bad
// cell with the report's line, column, value and reason, and returns what to
// store. Pure (no database); the engine does the actual validation.
import { normalizePhone, parseAmountCents, parseItalianOrIsoDate } from '@centralino/engine';
import { fieldValue, type RowIssue } from './import.types.ts';
import type { ResolvedMapping } from './mapping.ts';
import type { TableRow } from './reader/table-reader.ts';

/** 'Carta di credito', 'NON ISCRITTO', 'Sì' → 'carta_di_credito', 'non_iscritto', 'si'. */
export function enumKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/[\s\-/.]+/g, '_');
}

const MAX_CENTS = 2_147_483_647;

export type Cell = { column: string; value: string };

/** A date with an optional time of day, as written in a file: `2024-03-01`, `01/03/2024 14:30`, ISO with offset. */
export type Moment = {
  date: string;
  /** `YYYY-MM-DDTHH:MM:SS[.fff]` with its offset when the file gave one, else wall-clock time. */
  timestamp: string;
  /** True when the text names its offset (Z, +01:00): otherwise it is the organization's local time. */
  zoned: boolean;
};

const ISO_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const ITALIAN_TIME = /^(\d{1,2}([/.-])\d{1,2}\2\d{4})[\sT,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$/;

export function parseMoment(text: string): { ok: true; moment: Moment } | { ok: false; message: string } {
  const value = text.trim();
  const iso = ISO_TIME.exec(value);
  const italian = iso ? null : ITALIAN_TIME.exec(value);
  const datePart = iso?.[1] ?? italian?.[1] ?? value;
  const parsed = parseItalianOrIsoDate(datePart);
  if (!parsed.ok) {
    return {
      ok: false,
      message:
        iso || italian || parsed.reason !== 'format'
          ? parsed.message
          : `${parsed.message}, optionally followed by a time (hh:mm)`,
    };
  }
  if (!iso && !italian) {
    return { ok: true, moment: { date: parsed.date, timestamp: `${parsed.date}T00:00:00`, zoned: false } };
  }
  const [hour, minute, second] = iso
    ? [iso[2], iso[3], iso[4] ?? '00']
    : [italian![3]!.padStart(2, '0'), italian![4], italian![5] ?? '00'];
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return { ok: false, message: `${value} is not a time of day` };
  }
  const fraction = iso?.[5] ?? '';
  let offset = iso?.[6]?.toUpperCase() ?? '';
  if (offset && offset !== 'Z') {
    const digits = offset.slice(1).replace(':', '').padEnd(4, '0');
    if (Number(digits.slice(0, 2)) > 14 || Number(digits.slice(2)) > 59) {
      return { ok: false, message: `${offset} is not a time-zone offset` };
    }
    offset = `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2)}`;
  }
  return {
    ok: true,
    moment: {
      date: parsed.date,
      timestamp: `${parsed.date}T${hour}:${minute}:${second}${fraction}${offset}`,
      zoned: offset !== '',
    },
  };
}

/** Reads and checks the cells of one row, collecting the reasons it is refused. */
export function rowReader(row: TableRow, mapping: ResolvedMapping) {
  const issues: RowIssue[] = [];
  const line = row.line;
  const refuse = (column: string, value: string, reason: string) => {
    issues.push({ line, column, value, reason });
  };
  if (row.error) refuse('', '', row.error);
  /** The column a field is read from (for a missing value), or the field's name. */
  const columnOf = (field: string) => mapping.fields.get(field)?.[0] ?? field;
  const cell = (field: string): Cell | undefined => fieldValue(row, mapping, field);
  const missing = (field: string, what: string) => {
    refuse(columnOf(field), '', `${what} is missing`);
    return null;
  };

  return {
    line,
    issues,
    refuse,
    cell,
    columnOf,
    /** Text up to `max` characters; null when empty (refused when required). */
    text(field: string, max: number, required?: string): string | null {
      const found = cell(field);
      if (!found) return required ? missing(field, required) : null;
      if (found.value.length > max) {
        refuse(found.column, found.value, `longer than ${max} characters`);
        return null;
      }
      return found.value;
    },
    /** A calendar date; `notAfter` ('YYYY-MM-DD') refuses later dates. */
    date(field: string, options: { required?: string; notAfter?: string; label: string }): string | null {
      const found = cell(field);
      if (!found) return options.required ? missing(field, options.required) : null;
      const parsed = parseItalianOrIsoDate(found.value);
      if (!parsed.ok) {
        refuse(found.column, found.value, `invalid ${options.label}: ${parsed.message}`);
        return null;
      }
      if (parsed.date < '1900-01-01' || parsed.date > '2199-12-31') {
        refuse(found.column, found.value, `${options.label} out of range`);
        return null;
      }
      if (options.notAfter && parsed.date > options.notAfter) {
        refuse(found.column, found.value, `${options.label} is in the future`);
        return null;
      }
      return parsed.date;
    },
    /** A phone number as E.164 ('347 123 4567', '+39 06 …', '0039 …'). */
    phone(field: string, required?: string): string | null {
      const found = cell(field);
      if (!found) return required ? missing(field, required) : null;
      const phone = normalizePhone(found.value);
      if (!phone.ok) {
        refuse(found.column, found.value, `invalid phone number: ${phone.message}`);
        return null;
      }
      return phone.e164;
    },
    /** A positive amount of euros as integer cents ('10,50', '1.234,56', '€ 10'). */
    amount(field: string, required?: string): number | null {
      const found = cell(field);
      if (!found) return required ? missing(field, required) : null;
      const parsed = parseAmountCents(found.value);
      if (!parsed.ok) {
        refuse(found.column, found.value, `invalid amount: ${parsed.message}`);
        return null;
      }
      if (parsed.amountCents <= 0 || parsed.amountCents > MAX_CENTS) {
        refuse(
          found.column,
          found.value,
          parsed.amountCents <= 0 ? 'the amount must be above zero' : 'the amount is too large',
        );
        return null;
      }
      return parsed.amountCents;
    },
    /** One of a table's values, looked up by enumKey; the reason says which values are accepted. */
    choice<T extends string | boolean>(
      field: string,
      table: Readonly<Record<string, T>>,
      options: { label: string; expected: string; required?: string },
    ): T | null {
      const found = cell(field);
      if (!found) return options.required ? missing(field, options.required) : null;
      const key = enumKey(found.value);
      const value = Object.hasOwn(table, key) ? table[key] : undefined;
      if (value === undefined) {
        refuse(found.column, found.value, `unknown ${options.label}; expected ${options.expected}`);
        return null;
      }
      return value;
    },
  };
}
