import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenTableOptions, openTable, type TableRow } from './table-reader.ts';

let dir: string;
let fileCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'centralino-table-reader-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a real file; no extension, so the format comes from the content. */
async function file(content: string | Uint8Array): Promise<string> {
  const path = join(dir, `upload-${++fileCount}`);
  await writeFile(path, content);
  return path;
}

async function read(path: string, options?: OpenTableOptions) {
  const table = await openTable(path, options);
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return { format: table.format, headers: table.headers, rows };
}

async function readText(content: string | Uint8Array, options?: OpenTableOptions) {
  return read(await file(content), options);
}

describe('openTable on CSV', () => {
  it('reads UTF-8 with a BOM and drops the BOM from the first header', async () => {
    const table = await readText('\uFEFFnome,email\r\nMario,mario@example.it\r\n');
    expect(table.format).toEqual({ kind: 'csv', encoding: 'utf-8', bom: true, delimiter: ',' });
    expect(table.headers).toEqual(['nome', 'email']);
    expect(table.rows).toEqual([{ line: 2, values: { nome: 'Mario', email: 'mario@example.it' } }]);
  });

  it('reads an Italian export: semicolons between fields, decimal commas inside them', async () => {
    const table = await readText('Cognome;Importo\r\nRossi;10,50\r\nBianchi;1.234,00\r\n');
    expect(table.format).toMatchObject({ delimiter: ';' });
    expect(table.rows.map((row) => row.values)).toEqual([
      { Cognome: 'Rossi', Importo: '10,50' },
      { Cognome: 'Bianchi', Importo: '1.234,00' },
    ]);
  });

  it('reads tab-separated text', async () => {
    const table = await readText('nome\tcitta\nMario\tMilano, MI\n');
    expect(table.format).toMatchObject({ delimiter: '\t' });
    expect(table.rows[0]!.values).toEqual({ nome: 'Mario', citta: 'Milano, MI' });
  });

  it('reads Windows-1252 (what Italian Excel saves) with accented names and the euro sign', async () => {
    // 0xF2 is ò, 0xE9 is é, 0x80 is € in Windows-1252 (Latin-1 has a control character there).
    const bytes = Buffer.concat([
      Buffer.from('Nome;Nota\r\nNiccol\xF2;Perch\xE9 no\r\nLucia;10 ', 'latin1'),
      Buffer.from([0x80]),
      Buffer.from('\r\n', 'latin1'),
    ]);
    const table = await readText(bytes);
    expect(table.format).toEqual({ kind: 'csv', encoding: 'windows-1252', bom: false, delimiter: ';' });
    expect(table.rows.map((row) => row.values)).toEqual([
      { Nome: 'Niccolò', Nota: 'Perché no' },
      { Nome: 'Lucia', Nota: '10 €' },
    ]);
  });

  it('reads UTF-16LE with a BOM (Excel "Unicode text")', async () => {
    const table = await readText(Buffer.from('\uFEFFnome\tcitta\r\nNiccolò\tForlì\r\n', 'utf16le'));
    expect(table.format).toEqual({ kind: 'csv', encoding: 'utf-16le', bom: true, delimiter: '\t' });
    expect(table.rows[0]!.values).toEqual({ nome: 'Niccolò', citta: 'Forlì' });
  });

  it('keeps line breaks inside quoted fields and numbers later rows by physical line', async () => {
    const table = await readText('id,note\n1,"first\nsecond"\n2,plain\n3,"a\r\nb\r\nc"\n4,end\n');
    expect(table.rows).toEqual([
      { line: 2, values: { id: '1', note: 'first\nsecond' } },
      { line: 4, values: { id: '2', note: 'plain' } },
      { line: 5, values: { id: '3', note: 'a\r\nb\r\nc' } },
      { line: 8, values: { id: '4', note: 'end' } },
    ]);
  });

  it('reads doubled quotes as one quote and delimiters inside quotes as text', async () => {
    const table = await readText('nome,frase\n"Rossi, Mario","Ha detto ""ciao"""\n');
    expect(table.rows[0]!.values).toEqual({ nome: 'Rossi, Mario', frase: 'Ha detto "ciao"' });
  });

  it('skips empty lines and rows of empty cells, keeping the line numbers of the others', async () => {
    const table = await readText('\n\na;b\n\n1;2\n\n\n;\n  ;  \n3;4');
    expect(table.headers).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      { line: 5, values: { a: '1', b: '2' } },
      { line: 10, values: { a: '3', b: '4' } },
    ]);
  });

  it('trims header names, drops empty trailing header cells and fills missing values with ""', async () => {
    const table = await readText('Nome ; Email\t;;\nMario\nLuigi;l@example.it;;\n');
    expect(table.headers).toEqual(['Nome', 'Email']);
    expect(table.rows.map((row) => row.values)).toEqual([
      { Nome: 'Mario', Email: '' },
      { Nome: 'Luigi', Email: 'l@example.it' },
    ]);
    expect(table.rows.some((row) => row.error)).toBe(false);
  });

  it('reports a row with too many values and goes on with the next rows', async () => {
    const table = await readText('a,b\n1,2\n3,4,5\n6,7\n');
    expect(table.rows).toEqual([
      { line: 2, values: { a: '1', b: '2' } },
      {
        line: 3,
        values: { a: '3', b: '4' },
        error: expect.stringMatching(/^Line 3 has a value outside.*"5"/),
      },
      { line: 4, values: { a: '6', b: '7' } },
    ]);
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    // ò and é take 2 bytes, € 3, 😀 4: with 1 to 5 byte chunks each is split somewhere.
    const path = await file('nome;nota\nNiccolò;Perché 10 € 😀\n');
    for (const chunkBytes of [1, 2, 3, 4, 5]) {
      const table = await read(path, { chunkBytes });
      expect(table.rows, `chunks of ${chunkBytes} bytes`).toEqual([
        { line: 2, values: { nome: 'Niccolò', nota: 'Perché 10 € 😀' } },
      ]);
    }
  });

  it('reads rows beyond the 64 KiB sample the same way', async () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `${i};Niccolò ${i};"nota\n${i}"`);
    const table = await readText(`id;nome;nota\n${lines.join('\n')}\n`, { chunkBytes: 1000 });
    expect(table.rows).toHaveLength(5_000);
    expect(table.rows[4_999]).toEqual({
      line: 2 + 4_999 * 2,
      values: { id: '4999', nome: 'Niccolò 4999', nota: 'nota\n4999' },
    });
  });
});

describe('openTable releases the file', () => {
  it('ends the rows when closed before they are read', async () => {
    const table = await openTable(await file('a,b\n1,2\n3,4\n'));
    await table.close();
    const rows: TableRow[] = [];
    for await (const row of table.rows) rows.push(row);
    expect(rows).toEqual([]);
  });

  it('stops reading when the loop is left early', async () => {
    const path = await file(`n\n${Array.from({ length: 10_000 }, (_, i) => i).join('\n')}\n`);
    const table = await openTable(path, { chunkBytes: 256 });
    const seen: string[] = [];
    for await (const row of table.rows) {
      seen.push(row.values.n!);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['0', '1', '2']);
    // The generator is finished: nothing more comes, and close() is harmless.
    await table.close();
    for await (const _ of table.rows) expect.unreachable();
  });
});

describe('openTable refuses files it cannot read', () => {
  it('refuses an empty file and a file of empty lines', async () => {
    await expect(readText('')).rejects.toMatchObject({
      code: 'FILE_EMPTY',
      message: 'The file is empty (0 bytes).',
    });
    await expect(readText('\r\n\r\n;;\n')).rejects.toMatchObject({ code: 'FILE_EMPTY' });
  });

  it('refuses binary files: random bytes with NULs, a PNG image', async () => {
    let seed = 42;
    const random = Uint8Array.from({ length: 4096 }, () => {
      // Park–Miller generator: the same bytes on every run.
      seed = (seed * 48271) % 2147483647;
      return seed & 0xff;
    });
    await expect(readText(random)).rejects.toMatchObject({ code: 'FILE_BINARY' });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    await expect(readText(png)).rejects.toMatchObject({ code: 'FILE_BINARY' });
  });

  it('refuses an HTML page saved with a spreadsheet name', async () => {
    await expect(readText('<html><body><table><tr><td>a</td></tr></table>')).rejects.toMatchObject({
      code: 'FILE_NOT_TABULAR',
    });
  });

  it('refuses duplicate header names, ignoring case and spaces', async () => {
    await expect(readText('Email,Nome,EMAIL \nx,y,z\n')).rejects.toMatchObject({
      code: 'HEADER_DUPLICATE',
      line: 1,
      message: expect.stringMatching(/two columns "EMAIL" \(column 1 and column 3\)/),
    });
  });

  it('refuses an empty header cell between named columns', async () => {
    await expect(readText('\nnome,,email\n')).rejects.toMatchObject({
      code: 'HEADER_MISSING',
      line: 2,
      message: expect.stringContaining('column 2'),
    });
  });

  it('yields the rows before an unclosed quote, then fails with the line where it opens', async () => {
    const table = await openTable(await file('a,b\n1,2\n3,"open\n4,5\n'));
    const rows: TableRow[] = [];
    await expect(async () => {
      for await (const row of table.rows) rows.push(row);
    }).rejects.toMatchObject({ code: 'ROW_MALFORMED', line: 3 });
    expect(rows).toEqual([{ line: 2, values: { a: '1', b: '2' } }]);
  });

  it('stops at maxRowBytes instead of buffering the rest of the file into one row', async () => {
    const path = await file(`a,b\n1,"open\n${'x,y\n'.repeat(100_000)}`);
    const table = await openTable(path, { maxRowBytes: 10_000, chunkBytes: 4096 });
    await expect(async () => {
      for await (const _ of table.rows);
    }).rejects.toMatchObject({
      code: 'ROW_MALFORMED',
      line: 2,
      message: expect.stringContaining('never closed'),
    });
  });
});

describe('openTable on XLSX', () => {
  async function workbookFile(build: (workbook: ExcelJS.Workbook) => void): Promise<string> {
    const workbook = new ExcelJS.Workbook();
    build(workbook);
    return file(new Uint8Array(await workbook.xlsx.writeBuffer()));
  }

  it('streams the first worksheet with every kind of cell as text', async () => {
    const path = await workbookFile((workbook) => {
      const sheet = workbook.addWorksheet('Sostenitori');
      sheet.getRow(1).values = [];
      sheet.getRow(2).values = [
        'Nome ',
        'Nato il',
        'Importo',
        'Telefono',
        'Sito',
        'Doppio',
        'Attivo',
        'Ultimo contatto',
      ];
      sheet.getRow(3).values = [
        { richText: [{ text: 'Niccolò ', font: { bold: true } }, { text: 'Rossi' }] },
        new Date(Date.UTC(1980, 4, 17)),
        10.5,
        393331234567,
        { text: 'sito', hyperlink: 'https://example.it' },
        { formula: 'C3*2', result: 21 },
        true,
        new Date(Date.UTC(2024, 0, 31, 14, 30)),
      ];
      sheet.getRow(5).values = ['Lucia', undefined, 0.1 + 0.2];
      const other = workbook.addWorksheet('Altro');
      other.addRow(['not', 'read']);
    });
    const table = await read(path);
    expect(table.format).toEqual({ kind: 'xlsx', sheet: 'Sostenitori' });
    expect(table.headers).toEqual([
      'Nome',
      'Nato il',
      'Importo',
      'Telefono',
      'Sito',
      'Doppio',
      'Attivo',
      'Ultimo contatto',
    ]);
    expect(table.rows).toEqual([
      {
        line: 3,
        values: {
          Nome: 'Niccolò Rossi',
          'Nato il': '1980-05-17',
          Importo: '10.5',
          Telefono: '393331234567',
          Sito: 'sito',
          Doppio: '21',
          Attivo: 'TRUE',
          'Ultimo contatto': '2024-01-31T14:30:00',
        },
      },
      {
        line: 5,
        values: {
          Nome: 'Lucia',
          'Nato il': '',
          Importo: '0.3',
          Telefono: '',
          Sito: '',
          Doppio: '',
          Attivo: '',
          'Ultimo contatto': '',
        },
      },
    ]);
  });

  it('reports a value in a column without a header by its letter, and goes on', async () => {
    const path = await workbookFile((workbook) => {
      const sheet = workbook.addWorksheet('Foglio1');
      sheet.addRow(['nome', 'email']);
      sheet.addRow(['Mario', 'm@example.it', undefined, 'stray']);
      sheet.addRow(['Luigi', 'l@example.it']);
    });
    const table = await read(path);
    expect(table.rows.map((row) => [row.line, row.error])).toEqual([
      [2, expect.stringMatching(/^Row 2 has a value outside .*column D: "stray"/)],
      [3, undefined],
    ]);
  });

  it('refuses duplicate headers in a sheet, naming the columns by letter', async () => {
    const path = await workbookFile((workbook) => {
      workbook.addWorksheet('Foglio1').addRow(['Email', 'nome', 'email']);
    });
    await expect(read(path)).rejects.toMatchObject({
      code: 'HEADER_DUPLICATE',
      message: expect.stringContaining('column A and column C'),
    });
  });

  it('refuses a sheet with no rows and a ZIP that is not a workbook', async () => {
    const empty = await workbookFile((workbook) => {
      workbook.addWorksheet('Foglio1');
    });
    await expect(read(empty)).rejects.toMatchObject({ code: 'FILE_EMPTY' });
    const broken = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]);
    await expect(readText(broken)).rejects.toMatchObject({ code: 'FILE_NOT_TABULAR' });
  });
});
