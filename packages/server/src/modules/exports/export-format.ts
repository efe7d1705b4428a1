// Writers of an export file, fed a page of rows at a time so memory stays flat:
// - CSV as Italian Excel expects it for `it` (UTF-8 with BOM, `;` separator,
//   decimal comma, dd/mm/yyyy) and plain for `en` (`,`, '.', ISO dates); every
//   cell formula-safe through the import report's csvCell (OWASP "CSV injection");
// - XLSX through exceljs's streaming WorkbookWriter, with real types: dates are
//   dates, amounts numbers in euros with a € format.
// Both wait for the output to drain between pages, so a slow reader slows the
// database reads instead of filling memory.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvCell } from '../imports/import-report.ts';

export type ExportFormat = 'csv' | 'xlsx';
export type ExportLanguage = 'it' | 'en';

/**
 * text: a string; date: 'YYYY-MM-DD'; datetime: a Date (shown in the
 * organization's time zone); amount: integer cents, written in euros.
 */
export type ColumnKind = 'text' | 'date' | 'datetime' | 'amount';
export type Cell = string | number | Date | null;

export type ExportColumn = { key: string; it: string; en: string; kind: ColumnKind };

export type ExportWriter = {
  /** Writes a page of rows (cells in column order) and waits until the output can take more. */
  writePage(rows: readonly Cell[][]): Promise<void>;
  /** Completes the file; the output stream is ended. */
  finish(): Promise<void>;
};

export type WriterOptions = {
  out: Writable;
  columns: readonly ExportColumn[];
  lang: ExportLanguage;
  timeZone: string;
  /** XLSX worksheet name. */
  sheetName: string;
};

export function createExportWriter(format: ExportFormat, options: WriterOptions): ExportWriter {
  return format === 'csv' ? createCsvWriter(options) : createXlsxWriter(options);
}

/** Resolves when `out` takes writes again or is gone (a closed download must not hang the export). */
function settled(out: Writable, event: 'drain' | 'finish'): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      out.off(event, done);
      out.off('close', done);
      out.off('error', failed);
      resolve();
    };
    const failed = (error: Error) => {
      out.off(event, done);
      out.off('close', done);
      reject(error);
    };
    out.once(event, done);
    out.once('close', done);
    out.once('error', failed);
  });
}

async function drained(out: Writable): Promise<void> {
  if (out.writableNeedDrain && !out.destroyed) await settled(out, 'drain');
}

/** 1234 cents → '12.34' (en) or '12,34' (it); amounts are positive integers in the schema. */
export function formatAmount(cents: number, lang: ExportLanguage): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const text = `${sign}${Math.trunc(abs / 100)}${lang === 'it' ? ',' : '.'}${String(abs % 100).padStart(2, '0')}`;
  return text;
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy' for it, unchanged for en. */
export function formatDate(date: string, lang: ExportLanguage): string {
  if (lang === 'en') return date;
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of an instant in a time zone: ['2025-03-01', '14:05:09']. */
export function wallClock(instant: Date, timeZone: string): [date: string, time: string] {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    wallClocks.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}:${parts.second}`];
}

/** it: '01/03/2025 14:05:09' in the organization's time zone; en: ISO 8601 in UTC. */
export function formatDateTime(instant: Date, lang: ExportLanguage, timeZone: string): string {
  if (lang === 'en') return instant.toISOString();
  const [date, time] = wallClock(instant, timeZone);
  return `${formatDate(date, 'it')} ${time}`;
}

function csvText(cell: Cell, kind: ColumnKind, options: WriterOptions): string {
  if (cell === null || cell === '') return '';
  switch (kind) {
    case 'amount':
      return formatAmount(cell as number, options.lang);
    case 'date':
      return formatDate(cell as string, options.lang);
    case 'datetime':
      return formatDateTime(cell as Date, options.lang, options.timeZone);
    default:
      return String(cell);
  }
}

function createCsvWriter(options: WriterOptions): ExportWriter {
  const { out, columns } = options;
  const separator = options.lang === 'it' ? ';' : ',';
  const line = (cells: readonly string[]) =>
    `${cells.map((cell) => csvCell(cell, separator)).join(separator)}\r\n`;
  // The BOM tells Excel the file is UTF-8 (accents); the header is written at once.
  out.write(`\uFEFF${line(columns.map((column) => column[options.lang]))}`);
  return {
    async writePage(rows) {
      if (rows.length === 0) return;
      let chunk = '';
      for (const row of rows) {
        chunk += line(row.map((cell, i) => csvText(cell, (columns[i] as ExportColumn).kind, options)));
      }
      out.write(chunk);
      await drained(out);
    },
    async finish() {
      const finished = settled(out, 'finish');
      out.end();
      await finished;
    },
  };
}

const XLSX_FORMATS: Record<ExportLanguage, Record<Exclude<ColumnKind, 'text'>, string>> = {
  it: { date: 'dd/mm/yyyy', datetime: 'dd/mm/yyyy hh:mm:ss', amount: '#,##0.00 "€"' },
  en: { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm:ss', amount: '"€"#,##0.00' },
};

/** A date as Excel stores it: the calendar day at 00:00 UTC (exceljs converts Dates in UTC). */
function excelDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function xlsxValue(cell: Cell, kind: ColumnKind, timeZone: string): ExcelJS.CellValue {
  if (cell === null || cell === '') return null;
  switch (kind) {
    case 'amount':
      return (cell as number) / 100;
    case 'date':
      return excelDate(cell as string);
    case 'datetime': {
      // Excel has no time zones: the organization's wall clock, as the user reads it.
      const [date, time] = wallClock(cell as Date, timeZone);
      return new Date(`${date}T${time}Z`);
    }
    default:
      return String(cell);
  }
}

function createXlsxWriter(options: WriterOptions): ExportWriter {
  const { out, columns, lang } = options;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(options.sheetName.slice(0, 31));
  sheet.columns = columns.map((column) => ({
    header: column[lang],
    key: column.key,
    width: column.kind === 'text' ? Math.max(12, column[lang].length + 2) : 14,
    ...(column.kind === 'text' ? {} : { style: { numFmt: XLSX_FORMATS[lang][column.kind] } }),
  }));
  sheet.getRow(1).font = { bold: true };
  return {
    async writePage(rows) {
      for (const row of rows) {
        sheet
          .addRow(row.map((cell, i) => xlsxValue(cell, (columns[i] as ExportColumn).kind, options.timeZone)))
          .commit();
      }
      await drained(out);
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
