// The rejected-rows report: a CSV (UTF-8 with BOM, so Excel opens accents
// right) with line, column, value and reason, written as rows are rejected so
// memory stays flat. Values that a spreadsheet would run as a formula are
// prefixed with an apostrophe (OWASP "CSV injection"), and anything shaped
// like an IBAN is masked: a report may be passed around, bank data may not.

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { RowIssue } from './import.types.ts';

export type ImportReport = {
  write(issue: RowIssue): void;
  close(): Promise<void>;
};

export const REPORT_HEADER = 'line,column,value,reason';

export async function createImportReport(path: string): Promise<ImportReport> {
  const stream: WriteStream = createWriteStream(path, { encoding: 'utf8' });
  await once(stream, 'open');
  stream.write(`\uFEFF${REPORT_HEADER}\r\n`);
  return {
    write(issue) {
      stream.write(`${reportLine(issue)}\r\n`);
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

export function reportLine(issue: RowIssue): string {
  return [String(issue.line), issue.column, maskBankData(issue.value), issue.reason]
    .map((cell) => csvCell(cell))
    .join(',');
}

// Compact (IT60X054…) or in the paper format's groups of four (IT60 X054 2811 …
// 456): a word after the IBAN is not part of it.
const IBAN_LIKE = /\b([A-Z]{2}\d{2})(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)\b/gi;

/** Keeps an IBAN's country, check digits and last four characters. */
export function maskBankData(value: string): string {
  return value.replace(IBAN_LIKE, (match, head: string) => {
    const compact = match.replace(/\s/g, '');
    return `${head}…${compact.slice(-4)}`;
  });
}

/** One CSV cell, formula-safe; quoted when it holds a quote, a line break or the separator. */
export function csvCell(value: string, separator: ',' | ';' = ','): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /["\r\n]/.test(safe) || safe.includes(separator) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
