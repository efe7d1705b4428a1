// Header validation and row mapping shared by the CSV and XLSX readers.
import { TableReadError } from './table-reader.errors.ts';

export type TableRow = {
  /** CSV: the physical line where the row starts (header = 1). XLSX: the sheet row number. */
  line: number;
  /** Cell text by header name; a missing cell is ''. */
  values: Record<string, string>;
  /** Set when the row is malformed (more values than named columns); reading goes on. */
  error?: string;
};

/** A row as the CSV splitter or the sheet reader gives it, before the header is applied. */
export type RawRecord = { line: number; fields: string[] };

export type TableColumns = {
  headers: string[];
  /** Index in the raw cells of the first named column: empty leading header cells are skipped. */
  offset: number;
  columnLabel: (index: number) => string;
  /** How messages name a row: 'line 7' in a CSV, 'row 7' in a sheet. */
  lineLabel: (line: number) => string;
};

export function isBlank(cells: string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/**
 * Header names are the cells trimmed. Empty cells before the first and after
 * the last name are dropped (Excel exports often carry `;;;` from formatted
 * but empty columns); an empty cell between names is HEADER_MISSING. Names are
 * unique ignoring case, because the importer maps them case-insensitively.
 */
export function readHeader(
  cells: string[],
  line: number,
  labels: Pick<TableColumns, 'columnLabel' | 'lineLabel'>,
): TableColumns {
  const { columnLabel, lineLabel } = labels;
  const names = cells.map((cell) => cell.trim());
  const first = names.findIndex((name) => name !== '');
  const last = names.findLastIndex((name) => name !== '');
  const headers = names.slice(first, last + 1);
  const seen = new Map<string, number>();
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i]!;
    if (name === '') {
      throw new TableReadError(
        'HEADER_MISSING',
        `The header row (${lineLabel(line)}) has no name in ${columnLabel(first + i)}; every column needs a name.`,
        line,
      );
    }
    const key = name.toLowerCase();
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new TableReadError(
        'HEADER_DUPLICATE',
        `The header row (${lineLabel(line)}) names two columns "${name}" (${columnLabel(first + previous)} and ` +
          `${columnLabel(first + i)}); column names must be unique, ignoring upper and lower case.`,
        line,
      );
    }
    seen.set(key, i);
  }
  return { headers, offset: first, columnLabel, lineLabel };
}

export function toRow(columns: TableColumns, cells: string[], line: number): TableRow {
  const { headers, offset } = columns;
  const values: Record<string, string> = {};
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i]!;
    const value = cells[offset + i] ?? '';
    // A column named __proto__ would otherwise set the prototype.
    if (name === '__proto__')
      Object.defineProperty(values, name, { value, enumerable: true, writable: true });
    else values[name] = value;
  }
  if (cells.length <= offset + headers.length && offset === 0) return { line, values };
  const extras: string[] = [];
  for (let i = 0; i < cells.length; i++) {
    if (i >= offset && i < offset + headers.length) continue;
    if (cells[i]!.trim() !== '') extras.push(`${columns.columnLabel(i)}: "${truncate(cells[i]!)}"`);
  }
  if (extras.length === 0) return { line, values };
  return {
    line,
    values,
    error:
      `${capitalize(columns.lineLabel(line))} has ${extras.length === 1 ? 'a value' : 'values'} outside the ${headers.length} named ` +
      `columns (${extras.join(', ')}); check the delimiter and the quotes in this row.`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
