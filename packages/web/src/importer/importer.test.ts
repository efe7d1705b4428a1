import { describe, expect, it } from 'vitest';
import { csvHeaders, detectDelimiter, splitCsvLine } from './csvHeaders.ts';

describe('CSV headers for the mapping step', () => {
  it('detects the delimiter of the header row', () => {
    expect(detectDelimiter('Nome;Cognome;Telefono')).toBe(';');
    expect(detectDelimiter('first_name,last_name')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
  });

  it('splits quoted fields as RFC 4180', () => {
    expect(splitCsvLine('"Rossi, Mario";"a ""b""";x', ';')).toEqual(['Rossi, Mario', 'a "b"', 'x']);
    expect(splitCsvLine('"Rossi, Mario",b', ',')).toEqual(['Rossi, Mario', 'b']);
  });

  it('reads the first line, without BOM, trimmed', () => {
    expect(csvHeaders('\uFEFFNome; Cognome ;Codice fiscale\r\nMario;Rossi;X\r\n')).toEqual([
      'Nome',
      'Cognome',
      'Codice fiscale',
    ]);
    expect(csvHeaders('')).toEqual([]);
  });
});
