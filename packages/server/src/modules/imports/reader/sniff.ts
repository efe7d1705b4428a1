// Decisions taken from the first bytes of a file (SAMPLE_BYTES): is it a
// workbook or text, is the text binary garbage, which encoding, which delimiter.
import { createCsvSplitter } from './csv-splitter.ts';
import { TableReadError } from './table-reader.errors.ts';

export const SAMPLE_BYTES = 64 * 1024;

export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le';
export type Delimiter = ',' | ';' | '\t';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
// Compound File Binary: the legacy .xls (and .doc) container.
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];

function startsWith(sample: Uint8Array, magic: number[]): boolean {
  return sample.length >= magic.length && magic.every((byte, i) => sample[i] === byte);
}

export function isZip(sample: Uint8Array): boolean {
  return startsWith(sample, ZIP_MAGIC);
}

/**
 * Throws FILE_BINARY unless the sample looks like text. Text never holds NUL
 * bytes (UTF-16 is recognised by its BOM before this check), and a CSV holds
 * at most a stray control character; 2% leaves room for those while random
 * bytes (about 10% control characters) and images are refused.
 */
export function assertText(sample: Uint8Array): void {
  if (startsWith(sample, CFB_MAGIC)) {
    throw new TableReadError(
      'FILE_BINARY',
      'This is a legacy Excel .xls file (or another Office 97-2003 document). Save it as .xlsx or CSV and upload it again.',
    );
  }
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) {
      throw new TableReadError(
        'FILE_BINARY',
        'The file is not text: it contains NUL bytes. Upload a CSV or an .xlsx file.',
      );
    }
    // Tab, line feed, vertical tab, form feed and carriage return are text.
    if ((byte < 0x20 && (byte < 0x09 || byte > 0x0d)) || byte === 0x7f) controls++;
  }
  if (controls > sample.length * 0.02) {
    throw new TableReadError(
      'FILE_BINARY',
      'The file is not text: it is full of control characters. Upload a CSV or an .xlsx file.',
    );
  }
}

/**
 * UTF-8 when the sample decodes strictly as UTF-8 (stream mode, so a character
 * cut by the end of the sample is not an error); otherwise Windows-1252, what
 * Excel writes for "CSV (delimitato dal separatore di elenco)" on Italian
 * Windows. Every byte sequence is valid Windows-1252, so it is the fallback.
 */
export function detectEncoding(
  sample: Uint8Array,
  wholeFile: boolean,
): { encoding: TextEncoding; bom: boolean } {
  if (startsWith(sample, UTF8_BOM)) return { encoding: 'utf-8', bom: true };
  if (startsWith(sample, UTF16LE_BOM)) return { encoding: 'utf-16le', bom: true };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !wholeFile });
    return { encoding: 'utf-8', bom: false };
  } catch {
    return { encoding: 'windows-1252', bom: false };
  }
}

/** Refuses text that is a markup document: Excel's "web page" .xls and XML spreadsheets are HTML/XML. */
export function assertNotMarkup(text: string): void {
  const start = text.trimStart().slice(0, 100).toLowerCase();
  if (start.startsWith('<?xml') || start.startsWith('<!doctype') || start.startsWith('<html')) {
    throw new TableReadError(
      'FILE_NOT_TABULAR',
      'The file is an HTML or XML document, not a table. Open it in Excel and save it as .xlsx or CSV.',
    );
  }
}

const CANDIDATES: Delimiter[] = [',', ';', '\t'];
const SAMPLE_RECORDS = 50;

/**
 * Picks the delimiter from the header and the next records of the sample,
 * counting only delimiters outside quotes (the candidates split the sample the
 * way the reader will). Ranking, best first:
 * 1. the header contains the candidate (a header names every column);
 * 2. the share of later records with as many fields as the header: Italian
 *    exports use `;` and decimal commas, so `Nome;Importo` + `Rossi;10,50`
 *    gives `;` 2 fields on both lines and `,` 1 then 2;
 * 3. more fields in the header;
 * 4. the order `,` `;` tab.
 * A sample without any candidate is one column, read with `,` (or the first
 * candidate absent from its records, so `10,50` stays one value).
 */
export function detectDelimiter(text: string, wholeFile: boolean): Delimiter {
  let best: { delimiter: Delimiter; score: number[] } | undefined;
  for (const delimiter of CANDIDATES) {
    const records = sampleRecords(text, delimiter, wholeFile);
    const header = records[0];
    // Only delimiters and spaces (`;;` rows left by Excel): this delimiter reads the file as empty.
    if (!header) return delimiter;
    const rest = records.slice(1);
    const consistent =
      rest.length === 0 ? 1 : rest.filter((r) => r.length === header.length).length / rest.length;
    const score = [header.length > 1 ? 1 : 0, consistent, header.length];
    if (!best || isBetter(score, best.score)) best = { delimiter, score };
  }
  return best?.delimiter ?? ',';
}

function isBetter(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  }
  return false;
}

function sampleRecords(text: string, delimiter: Delimiter, wholeFile: boolean): string[][] {
  const splitter = createCsvSplitter({ delimiter, maxRecordChars: Number.POSITIVE_INFINITY });
  // A record cut by the end of the sample is left out.
  const records = splitter.push(text);
  if (wholeFile) {
    try {
      records.push(...splitter.end());
    } catch {
      // An unclosed quote: reading the file reports it with its line.
    }
  }
  return records
    .map((record) => record.fields)
    .filter((fields) => fields.some((field) => field.trim() !== ''))
    .slice(0, SAMPLE_RECORDS);
}
