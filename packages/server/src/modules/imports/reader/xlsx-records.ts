// Rows of the first worksheet of an .xlsx file, streamed with exceljs's
// WorkbookReader: the sheet XML is parsed as it is unzipped, so memory holds
// the shared strings and styles, not the rows. (exceljs parks a worksheet in a
// temporary file when the zip stores it before the shared strings.)
import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { cellText } from './cell-text.ts';
import type { RawRecord } from './table-columns.ts';
import { TableReadError } from './table-reader.errors.ts';

type SheetModel = { id: number; name: string; state?: string };
// What the streaming reader knows once workbook.xml is parsed; not in exceljs's types.
type ReaderState = { model?: { sheets?: SheetModel[] }; properties?: { model?: { date1904?: boolean } } };
type SheetReader = { id: number | string; name?: string } & AsyncIterable<ExcelJS.Row>;

export type WorkbookRecords = {
  /** Batches of rows of the first visible worksheet, blank rows included. */
  batches: AsyncGenerator<RawRecord[]>;
  /** The worksheet's name, known once the first batch is read. */
  sheetName: () => string;
};

export function readWorkbook(path: string): WorkbookRecords {
  let sheetName = '';
  async function* batches(): AsyncGenerator<RawRecord[]> {
    const input = createReadStream(path);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      // Styles carry the number formats that tell dates from numbers.
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    const state = reader as unknown as ReaderState;
    let found = false;
    try {
      for await (const worksheet of reader as unknown as AsyncIterable<SheetReader>) {
        // The zip may store sheets in any order; "first" is the first visible tab.
        const sheets = state.model?.sheets ?? [];
        const first =
          sheets.find((sheet) => sheet.state !== 'hidden' && sheet.state !== 'veryHidden') ?? sheets[0];
        const known = sheets.some((sheet) => String(sheet.id) === String(worksheet.id));
        if (first && known && String(first.id) !== String(worksheet.id)) continue;
        found = true;
        sheetName = worksheet.name ?? first?.name ?? `Sheet${worksheet.id}`;
        const date1904 = state.properties?.model?.date1904 === true;
        for await (const row of worksheet) {
          const fields: string[] = [];
          row.eachCell({ includeEmpty: false }, (cell, column) => {
            fields[column - 1] = cellText(cell.value, cell.numFmt, date1904);
          });
          for (let i = 0; i < fields.length; i++) fields[i] ??= '';
          yield [{ line: row.number, fields }];
        }
        break;
      }
    } catch (error) {
      if (error instanceof TableReadError) throw error;
      throw new TableReadError(
        'FILE_NOT_TABULAR',
        `The file looks like an Excel workbook but cannot be read (${(error as Error).message}). ` +
          'Open it in Excel, save it again as .xlsx, and upload it again.',
      );
    } finally {
      input.destroy();
    }
    if (!found) {
      throw new TableReadError(
        'FILE_NOT_TABULAR',
        'The file is a ZIP archive but not an Excel workbook (.xlsx): it has no worksheet. ' +
          'Upload a CSV or an .xlsx file.',
      );
    }
  }
  return { batches: batches(), sheetName: () => sheetName };
}

/** A, B, …, Z, AA, … for messages about XLSX columns (index from 0). */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}
