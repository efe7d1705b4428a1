import { describe, expect, it } from 'vitest';
import { cellText, dateText, isDateFormat, numberText } from './cell-text.ts';

describe('numberText', () => {
  it.each([
    [10.5, '10.5'],
    [-1234.5, '-1234.5'],
    [0, '0'],
    // A phone number typed as a number.
    [393331234567, '393331234567'],
    // Excel shows 15 significant digits: 0.1 + 0.2 is 0.3 on screen.
    [0.1 + 0.2, '0.3'],
    // String() would write these with an exponent.
    [1e21, '1000000000000000000000'],
    [1.23e25, '12300000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-2.5e-10, '-0.00000000025'],
  ])('%d → %s', (value, text) => {
    expect(numberText(value)).toBe(text);
  });
});

describe('dateText', () => {
  it('writes a date as YYYY-MM-DD and keeps a time of day, rounded to the second', () => {
    expect(dateText(new Date(Date.UTC(2024, 0, 31)))).toBe('2024-01-31');
    expect(dateText(new Date(Date.UTC(2024, 0, 31, 14, 30)))).toBe('2024-01-31T14:30:00');
    expect(dateText(new Date(Date.UTC(2024, 0, 31, 14, 29, 59, 999)))).toBe('2024-01-31T14:30:00');
  });
});

describe('cellText', () => {
  it('gives the text a sheet shows for each kind of exceljs value', () => {
    expect(cellText(null, undefined, false)).toBe('');
    expect(cellText('Rossi', undefined, false)).toBe('Rossi');
    expect(cellText(true, undefined, false)).toBe('TRUE');
    expect(cellText({ richText: [{ text: 'Mario ' }, { text: 'Rossi' }] }, undefined, false)).toBe(
      'Mario Rossi',
    );
    expect(cellText({ text: 'sito', hyperlink: 'https://example.it' }, undefined, false)).toBe('sito');
    expect(cellText({ formula: 'A1*2', result: 21 }, undefined, false)).toBe('21');
    expect(cellText({ formula: 'A1*2' }, undefined, false)).toBe('');
    expect(cellText({ error: '#N/A' }, undefined, false)).toBe('#N/A');
  });

  it('turns a formula result with a date format into a date', () => {
    // Serial 45322 is 2024-01-31 in the 1900 date system (25569 is 1970-01-01).
    expect(cellText({ formula: 'TODAY()', result: 45322 }, 'dd/mm/yyyy', false)).toBe('2024-01-31');
    expect(cellText({ formula: 'A1', result: 45322 }, '0.00', false)).toBe('45322');
  });
});

describe('isDateFormat', () => {
  it.each([
    ['dd/mm/yyyy', true],
    ['mm-dd-yy', true],
    ['[$-410]d mmmm yyyy', true],
    ['0.00', false],
    ['"Totale" 0', false],
    ['#,##0.00 [$€-410]', false],
  ])('%s → %s', (format, isDate) => {
    expect(isDateFormat(format)).toBe(isDate);
  });
});
