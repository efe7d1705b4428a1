// The workbook is read back by an independent reader (exceljs, the server's
// XLSX library), as a spreadsheet program would.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columnName, sheetXml, toXlsx, xmlText } from './xlsx.ts';

describe('XLSX export', () => {
  it('names columns like a spreadsheet and escapes text for XML', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    expect(xmlText('a<b & "c">\u0001d')).toBe('a&lt;b &amp; &quot;c&quot;&gt;d');
    expect(sheetXml(['n'], [{ n: '=1+1' }])).toContain('t="inlineStr"><is><t xml:space="preserve">=1+1</t>');
  });

  it('writes a workbook a spreadsheet reader opens: header, text, numbers, booleans, blanks', async () => {
    const bytes = await toXlsx(
      'service_level: 2026/12/01',
      ['id', 'queue', 'waitSeconds', 'inNumerator', 'operator'],
      [
        { id: 'a1', queue: 'Donatori & amici <VIP>', waitSeconds: 12, inNumerator: true, operator: null },
        { id: 'a2', queue: '=HYPERLINK("x")', waitSeconds: 0, inNumerator: false, operator: 'Anna Rossi' },
      ],
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('service_level  2026 12 01');
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['id', 'queue', 'waitSeconds', 'inNumerator', 'operator']);
    expect(values(2)).toEqual(['a1', 'Donatori & amici <VIP>', 12, true]);
    expect(values(3)).toEqual(['a2', '=HYPERLINK("x")', 0, false, 'Anna Rossi']);
    expect(sheet.getCell('C2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('B3').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.rowCount).toBe(3);
  });
});
