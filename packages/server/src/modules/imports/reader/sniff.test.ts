import { describe, expect, it } from 'vitest';
import { assertNotMarkup, assertText, detectDelimiter, detectEncoding, isZip } from './sniff.ts';

const bytes = (text: string, encoding: BufferEncoding = 'utf8') =>
  new Uint8Array(Buffer.from(text, encoding));

describe('detectDelimiter', () => {
  it.each([
    // Italian Excel export: `;` between fields, decimal commas inside them.
    ['Cognome;Importo\nRossi;10,50\nBianchi;1.234,00\n', ';'],
    ['Cognome;Nome;Note\nRossi;Mario;"ciao, come va"\n', ';'],
    ['name,amount\n"Rossi; Mario",10.5\n', ','],
    ['a\tb\n1,5\t2\n', '\t'],
    // Header only.
    ['a;b\n', ';'],
    // Inconsistent rows do not hide the delimiter the header uses.
    ['a;b\n1;2;3\n4;5\n', ';'],
    // One column of decimal-comma amounts: a comma would split every value.
    ['Importo\n10,50\n3,20\n', ';'],
    ['email\nmario@example.it\n', ','],
    // Nothing but delimiters: the delimiter that makes the rows blank.
    ['\n;;\n;;\n', ';'],
  ])('%j → %j', (text, delimiter) => {
    expect(detectDelimiter(text, true)).toBe(delimiter);
  });

  it('ignores a last record cut by the end of the sample', () => {
    expect(detectDelimiter('a;b\n1;2\n3;4;5;6', false)).toBe(';');
  });
});

describe('detectEncoding', () => {
  it('recognises UTF-8 with and without BOM', () => {
    expect(detectEncoding(bytes('\uFEFFnome\nPerché\n'), true)).toEqual({ encoding: 'utf-8', bom: true });
    expect(detectEncoding(bytes('nome\nPerché\n'), true)).toEqual({ encoding: 'utf-8', bom: false });
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
    // 0xF2 ò and 0xE9 é in Windows-1252 are invalid as UTF-8.
    expect(detectEncoding(bytes('Niccolò;Perché\n', 'latin1'), true)).toEqual({
      encoding: 'windows-1252',
      bom: false,
    });
  });

  it('accepts a sample that ends inside a UTF-8 character unless it is the whole file', () => {
    const cut = bytes('nome\nNiccolò').subarray(0, -1);
    expect(detectEncoding(cut, false).encoding).toBe('utf-8');
    expect(detectEncoding(cut, true).encoding).toBe('windows-1252');
  });

  it('recognises UTF-16LE by its BOM', () => {
    expect(detectEncoding(bytes('\uFEFFa\tb\r\n', 'utf16le'), true)).toEqual({
      encoding: 'utf-16le',
      bom: true,
    });
  });
});

describe('assertText', () => {
  it('accepts text with tabs, line breaks and a stray control character', () => {
    expect(() => assertText(bytes(`a\tb\r\n${'x'.repeat(100)}\u001a\n`))).not.toThrow();
  });

  it('refuses NUL bytes, many control characters and legacy .xls files', () => {
    expect(() => assertText(bytes('a,b\n\0'))).toThrow(expect.objectContaining({ code: 'FILE_BINARY' }));
    expect(() => assertText(new Uint8Array(100).fill(0x01))).toThrow(
      expect.objectContaining({ code: 'FILE_BINARY' }),
    );
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x41]);
    expect(() => assertText(xls)).toThrow(/legacy Excel \.xls/);
  });
});

describe('isZip and assertNotMarkup', () => {
  it('tells a ZIP archive (an .xlsx) by its magic number', () => {
    expect(isZip(bytes('PK\u0003\u0004rest'))).toBe(true);
    expect(isZip(bytes('PK,other\n'))).toBe(false);
  });

  it('refuses HTML such as Excel "web page" exports', () => {
    expect(() => assertNotMarkup('  <!DOCTYPE html><table>')).toThrow(
      expect.objectContaining({ code: 'FILE_NOT_TABULAR' }),
    );
    expect(() => assertNotMarkup('a,b\n<b>,1\n')).not.toThrow();
  });
});
