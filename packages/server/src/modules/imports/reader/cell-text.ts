// The text of an XLSX cell as exceljs's streaming reader gives it, written the
// way an import expects: numbers in plain decimal with '.', dates in ISO 8601.

/** Cell values exceljs produces (see exceljs `CellValue`), narrowed to what we read. */
type RichText = { richText: { text: string }[] };

/**
 * Numbers are rounded to 15 significant digits, the precision Excel shows
 * (a formula's 0.30000000000000004 is 0.3 on screen), and written without
 * exponent or grouping: 1e21 → '1000000000000000000000', 1e-7 → '0.0000001'.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(Number(value.toPrecision(15)));
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exponentText] = match;
  const digits = `${lead}${fraction}`;
  const exponent = Number(exponentText);
  if (exponent >= 0) {
    const integer = digits.padEnd(exponent + 1, '0');
    const point = exponent + 1;
    return `${sign}${integer.slice(0, point)}${point < integer.length ? `.${integer.slice(point)}` : ''}`;
  }
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}

/**
 * A date as YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS when it has a time of day.
 * exceljs builds the Date from the serial as if it were UTC, so UTC fields
 * are the wall-clock values typed in the sheet; rounding to the second undoes
 * the floating-point error of the serial (14:30 stored as 14:29:59.999).
 */
export function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  const iso = rounded.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** Excel serial day number → Date, as exceljs converts it (1900 or 1904 date system). */
export function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** Same test exceljs applies to decide that a number format is a date format. */
export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  const bare = numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]+/.test(bare);
}

export function cellText(value: unknown, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    // exceljs converts plain date cells itself but leaves formula results as serials.
    return isDateFormat(numFmt) ? dateText(serialToDate(value, date1904)) : numberText(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray((value as RichText).richText)) {
      return (value as RichText).richText.map((run) => run.text ?? '').join('');
    }
    // Formula (also shared formula): its cached result; none if never calculated.
    if ('formula' in value || 'sharedFormula' in value) {
      return cellText((value as { result?: unknown }).result, numFmt, date1904);
    }
    if ('result' in value) return cellText((value as { result?: unknown }).result, numFmt, date1904);
    // Hyperlink: the text shown, which may itself be rich text.
    if ('text' in value) return cellText((value as { text?: unknown }).text, numFmt, date1904);
    // An error value such as #N/A is what the sheet shows.
    if ('error' in value) return String((value as { error: unknown }).error);
  }
  return String(value);
}
