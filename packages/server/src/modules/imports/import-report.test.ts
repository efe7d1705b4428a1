// The rejected-rows report is passed around: no bank data, no formulas.
import { describe, expect, it } from 'vitest';
import { csvCell, maskBankData, reportLine } from './import-report.ts';

describe('import report', () => {
  it('masks IBANs, compact or in groups of four, and nothing else', () => {
    expect(maskBankData('IT60X0542811101000000123456')).toBe('IT60…3456');
    expect(maskBankData('conto IT60 X054 2811 1010 0000 0123 456 dal 2020')).toBe('conto IT60…3456 dal 2020');
    expect(maskBankData('DE89 3704 0044 0532 0130 00')).toBe('DE89…3000');
    for (const kept of ['Codice IT12', 'RSSMRA85T10A562S', 'mario@example.org', '347 123 4567']) {
      expect(maskBankData(kept)).toBe(kept);
    }
  });

  it('writes a line per issue with formula-looking values neutralised', () => {
    expect(
      reportLine({ line: 7, column: 'IBAN', value: 'IT60X0542811101000000123456', reason: 'checksum' }),
    ).toBe('7,IBAN,IT60…3456,checksum');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
  });
});
