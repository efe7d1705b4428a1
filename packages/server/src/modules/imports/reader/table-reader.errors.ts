// Errors that stop reading a file. The importer maps them to its own answer
// (a problem+json response or a failed import job); the messages are written
// for the person who uploaded the file.

export type TableReadErrorCode =
  /** The file has no bytes, or no row with any value. */
  | 'FILE_EMPTY'
  /** The content is not text: NUL bytes or many control characters (images, PDFs, .xls). */
  | 'FILE_BINARY'
  /** Text or a ZIP archive, but not a table we can read (HTML, a .docx, a broken workbook). */
  | 'FILE_NOT_TABULAR'
  /** Two header cells have the same name, ignoring case and surrounding spaces. */
  | 'HEADER_DUPLICATE'
  /** A header cell between named columns is empty. */
  | 'HEADER_MISSING'
  /** A row cannot be read: an unclosed quote or a row longer than maxRowBytes. */
  | 'ROW_MALFORMED';

export class TableReadError extends Error {
  readonly code: TableReadErrorCode;
  /** The line (CSV) or sheet row (XLSX) the error is about, when there is one. */
  readonly line: number | undefined;
  constructor(code: TableReadErrorCode, message: string, line?: number) {
    super(message);
    this.name = 'TableReadError';
    this.code = code;
    this.line = line;
  }
}
