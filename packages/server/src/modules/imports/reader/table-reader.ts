// Reads an uploaded supporter file (CSV or XLSX) as a stream of rows keyed by
// header name, for the importer (issue 5).
//
// Design choices:
// - Streaming with back-pressure: the file is read in chunks (64 KiB) only
//   when the consumer asks for the next row, so memory stays flat however big
//   the file is; the rows of one chunk are the most held at once. Leaving the
//   loop early, or calling close(), releases the file.
// - Everything about the format is decided from the first 64 KiB, read
//   separately before streaming starts: ZIP magic means XLSX, otherwise text;
//   NUL bytes or many control characters mean binary; the encoding is UTF-8
//   (with or without BOM) when the sample is valid UTF-8, else Windows-1252,
//   what Italian Excel writes; UTF-16LE with a BOM ("Testo Unicode" exports) is
//   read too. The delimiter is chosen among , ; and tab by field counts outside
//   quotes (sniff.ts explains the ranking; `Rossi;10,50` picks `;`).
// - Text is decoded by TextDecoder in stream mode, so a character split by a
//   chunk boundary is decoded once both halves arrived; the BOM is dropped.
// - CSV is split by our own splitter rather than csv-parse: on a 10-column
//   file csv-parse gave 130,000-250,000 rows/s here (150,000 with `info: true`
//   for line numbers) and this reader 860,000 in the same process; see
//   `npm run bench table-reader` (packages/server/bench/table-reader.bench.ts).
// - Row numbers are what the user sees: the physical line where a CSV row
//   starts (a quoted field may span lines), the sheet row for XLSX. Empty
//   lines and rows with only blank cells are skipped, keeping later numbers.
// - A row with values beyond the named columns is yielded with `error` set and
//   reading goes on, so the importer can report it with the others; problems
//   that make the rest unreadable (an unclosed quote) throw TableReadError.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createCsvSplitter } from './csv-splitter.ts';
import {
  assertNotMarkup,
  assertText,
  type Delimiter,
  detectDelimiter,
  detectEncoding,
  isZip,
  SAMPLE_BYTES,
  type TextEncoding,
} from './sniff.ts';
import {
  isBlank,
  type RawRecord,
  readHeader,
  type TableColumns,
  type TableRow,
  toRow,
} from './table-columns.ts';
import { TableReadError } from './table-reader.errors.ts';
import { columnLetter, readWorkbook } from './xlsx-records.ts';

export type { TableRow } from './table-columns.ts';
export { TableReadError, type TableReadErrorCode } from './table-reader.errors.ts';

export type TableFormat =
  | { kind: 'csv'; encoding: TextEncoding; bom: boolean; delimiter: Delimiter }
  | { kind: 'xlsx'; sheet: string };

export type OpenedTable = {
  format: TableFormat;
  /** Header names, trimmed, in column order. */
  headers: string[];
  /** The data rows, once: a second loop gets nothing. */
  rows: AsyncIterable<TableRow>;
  /** Releases the file when the rows will not be read to the end. */
  close: () => Promise<void>;
  /** Bytes of the file read so far (CSV), for a progress bar; undefined for XLSX. */
  bytesRead: () => number | undefined;
};

export type OpenTableOptions = {
  /** Read as this format instead of deciding from the content. */
  format?: 'csv' | 'xlsx';
  /** Longest CSV row accepted, counted in decoded characters (1 MiB by default); guards against an unclosed quote. */
  maxRowBytes?: number;
  /** Size of the chunks read from disk (64 KiB by default). */
  chunkBytes?: number;
};

const DEFAULT_MAX_ROW_BYTES = 1024 * 1024;
const DEFAULT_CHUNK_BYTES = 64 * 1024;

export async function openTable(path: string, options: OpenTableOptions = {}): Promise<OpenedTable> {
  const { sample, wholeFile } = await readSample(path);
  if (sample.length === 0) throw new TableReadError('FILE_EMPTY', 'The file is empty (0 bytes).');
  const kind = options.format ?? (isZip(sample) ? 'xlsx' : 'csv');

  let batches: AsyncGenerator<RawRecord[]>;
  let format: () => TableFormat;
  const read = { bytes: 0 };
  let labels: Pick<TableColumns, 'columnLabel' | 'lineLabel'>;
  if (kind === 'xlsx') {
    const workbook = readWorkbook(path);
    batches = workbook.batches;
    format = () => ({ kind: 'xlsx', sheet: workbook.sheetName() });
    labels = { columnLabel: (index) => `column ${columnLetter(index)}`, lineLabel: (line) => `row ${line}` };
  } else {
    const { encoding, bom } = detectEncoding(sample, wholeFile);
    if (encoding !== 'utf-16le') assertText(sample);
    const text = new TextDecoder(encoding).decode(sample, { stream: !wholeFile });
    assertNotMarkup(text);
    const delimiter = detectDelimiter(text, wholeFile);
    batches = csvBatches({
      path,
      encoding,
      delimiter,
      maxRecordChars: options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES,
      chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
      read,
    });
    format = () => ({ kind: 'csv', encoding, bom, delimiter });
    labels = { columnLabel: (index) => `column ${index + 1}`, lineLabel: (line) => `line ${line}` };
  }

  let columns: TableColumns | undefined;
  let afterHeader: RawRecord[] = [];
  try {
    while (!columns) {
      const next = await batches.next();
      if (next.done) {
        throw new TableReadError(
          'FILE_EMPTY',
          'The file has no rows: there is no header row with column names.',
        );
      }
      const records = next.value;
      const index = records.findIndex((record) => !isBlank(record.fields));
      if (index === -1) continue;
      const header = records[index]!;
      columns = readHeader(header.fields, header.line, labels);
      afterHeader = records.slice(index + 1);
    }
  } catch (error) {
    await batches.return(undefined);
    throw error;
  }
  const rows = dataRows(columns, afterHeader, batches);
  return {
    format: format(),
    headers: columns.headers,
    rows,
    close: async () => {
      await rows.return(undefined);
      await batches.return(undefined);
    },
    bytesRead: () => (kind === 'xlsx' ? undefined : read.bytes),
  };
}

async function* dataRows(
  columns: TableColumns,
  afterHeader: RawRecord[],
  batches: AsyncGenerator<RawRecord[]>,
): AsyncGenerator<TableRow> {
  try {
    for (const record of afterHeader) {
      if (!isBlank(record.fields)) yield toRow(columns, record.fields, record.line);
    }
    for await (const records of batches) {
      for (const record of records) {
        if (!isBlank(record.fields)) yield toRow(columns, record.fields, record.line);
      }
    }
  } finally {
    await batches.return(undefined);
  }
}

async function* csvBatches(options: {
  path: string;
  encoding: TextEncoding;
  delimiter: Delimiter;
  maxRecordChars: number;
  chunkBytes: number;
  read: { bytes: number };
}): AsyncGenerator<RawRecord[]> {
  // Not fatal: bytes that are invalid in the detected encoding become U+FFFD
  // rather than failing a whole import for one damaged character.
  const decoder = new TextDecoder(options.encoding);
  const splitter = createCsvSplitter({
    delimiter: options.delimiter,
    maxRecordChars: options.maxRecordChars,
  });
  const input = createReadStream(options.path, { highWaterMark: options.chunkBytes });
  try {
    for await (const chunk of input) {
      options.read.bytes += (chunk as Buffer).length;
      const records = splitter.push(decoder.decode(chunk as Buffer, { stream: true }));
      if (records.length > 0) yield records;
    }
    const records = splitter.push(decoder.decode());
    records.push(...splitter.end());
    if (records.length > 0) yield records;
  } finally {
    input.destroy();
  }
}

async function readSample(path: string): Promise<{ sample: Uint8Array; wholeFile: boolean }> {
  const file = await open(path, 'r');
  try {
    const buffer = new Uint8Array(SAMPLE_BYTES + 1);
    let length = 0;
    // read() may return fewer bytes than asked before the end of the file.
    for (;;) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0 || length + bytesRead === buffer.length) {
        length += bytesRead;
        break;
      }
      length += bytesRead;
    }
    // One byte past the sample tells whether the sample is the whole file.
    return { sample: buffer.subarray(0, Math.min(length, SAMPLE_BYTES)), wholeFile: length <= SAMPLE_BYTES };
  } finally {
    await file.close();
  }
}
