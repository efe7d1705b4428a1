import { describe, expect, it } from 'vitest';
import { parseAmountCents, parseItalianOrIsoDate } from './parse.ts';

describe('parseItalianOrIsoDate', () => {
  it('reads Italian day-first and ISO 8601 dates', () => {
    const cases: [string, string][] = [
      ['31/12/2024', '2024-12-31'],
      ['1/2/2024', '2024-02-01'], // day first: 1 February, not 2 January
      ['01/02/2024', '2024-02-01'],
      ['31-12-2024', '2024-12-31'],
      ['31.12.2024', '2024-12-31'],
      ['2024-12-31', '2024-12-31'],
      [' 05/03/1950 ', '1950-03-05'],
      ['29/02/2024', '2024-02-29'], // 2024 is a leap year
      ['29/02/2000', '2000-02-29'], // divisible by 400: leap (Gregorian calendar)
    ];
    for (const [raw, date] of cases) expect(parseItalianOrIsoDate(raw), raw).toEqual({ ok: true, date });
  });

  it('refuses impossible dates', () => {
    for (const raw of [
      '31/02/2024',
      '30/02/2024',
      '29/02/2023',
      '29/02/1900',
      '31/04/2024',
      '00/01/2024',
      '01/13/2024',
      '2023-02-29',
      '2024-00-10',
      '2024-04-31',
    ]) {
      expect(parseItalianOrIsoDate(raw), raw).toMatchObject({ ok: false, reason: 'date' });
    }
  });

  it('refuses what it cannot read without guessing', () => {
    for (const raw of [
      '1/2/24',
      '2024/12/31',
      '12/31',
      '31/12/2024 10:00',
      '2024-12-31T10:00:00Z',
      '31/12-2024',
      '2024-1-5',
      'domani',
      '311224',
    ]) {
      expect(parseItalianOrIsoDate(raw), raw).toMatchObject({ ok: false, reason: 'format' });
    }
    expect(parseItalianOrIsoDate('  ')).toMatchObject({ ok: false, reason: 'empty' });
  });
});

describe('parseAmountCents', () => {
  it('reads Italian and English notations', () => {
    const cases: [string, number][] = [
      ['10', 1000],
      ['0', 0],
      ['10,50', 1050],
      ['10.50', 1050],
      ['10,5', 1050],
      ['0,05', 5],
      ['1.234,56', 123456],
      ['1,234.56', 123456],
      ['1.234.567,8', 123456780],
      ['1,234,567', 123456700],
      ['1.234.567', 123456700], // two or more group separators: thousands
      ['€ 10', 1000],
      ['€10,00', 1000],
      ['10 €', 1000],
      ['EUR 25', 2500],
      ['25 eur', 2500],
      ['1 234,56', 123456],
      ['1\u00a0234,56', 123456], // no-break space, as written by Excel's Italian locale
      ['1\u202f234,56', 123456], // narrow no-break space (CLDR French/Italian grouping)
      ['+5', 500],
      ['1234,5', 123450],
      ['1234.5', 123450],
    ];
    for (const [raw, cents] of cases)
      expect(parseAmountCents(raw), raw).toEqual({ ok: true, amountCents: cents });
  });

  it('refuses a lone separator before three digits unless told the decimal separator', () => {
    expect(parseAmountCents('1.234')).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(parseAmountCents('1,234')).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(parseAmountCents('1.234', { decimalSeparator: ',' })).toEqual({ ok: true, amountCents: 123400 });
    expect(parseAmountCents('1,234', { decimalSeparator: '.' })).toEqual({ ok: true, amountCents: 123400 });
    expect(parseAmountCents('1,234', { decimalSeparator: ',' })).toMatchObject({
      ok: false,
      reason: 'precision',
    });
    expect(parseAmountCents('10,50', { decimalSeparator: ',' })).toEqual({ ok: true, amountCents: 1050 });
    expect(parseAmountCents('10.50', { decimalSeparator: ',' })).toMatchObject({
      ok: false,
      reason: 'format',
    });
    expect(parseAmountCents('1,234.56', { decimalSeparator: ',' })).toMatchObject({
      ok: false,
      reason: 'format',
    });
    // Not readable as thousands, so not ambiguous: three decimals.
    expect(parseAmountCents('0,500')).toMatchObject({ ok: false, reason: 'precision' });
    expect(parseAmountCents('1234,567')).toMatchObject({ ok: false, reason: 'precision' });
  });

  it('handles signs', () => {
    expect(parseAmountCents('-10,50')).toMatchObject({ ok: false, reason: 'negative' });
    expect(parseAmountCents('-10,50', { allowNegative: true })).toEqual({ ok: true, amountCents: -1050 });
    expect(parseAmountCents('- € 10', { allowNegative: true })).toEqual({ ok: true, amountCents: -1000 });
    expect(parseAmountCents('€ -10', { allowNegative: true })).toEqual({ ok: true, amountCents: -1000 });
    expect(parseAmountCents('-0')).toEqual({ ok: true, amountCents: 0 });
  });

  it('refuses garbage with a reason', () => {
    const cases: [string, string][] = [
      ['', 'empty'],
      ['  ', 'empty'],
      ['€', 'format'],
      ['abc', 'format'],
      ['10,', 'format'],
      [',50', 'format'],
      ['.50', 'format'],
      ['10 50', 'format'],
      ['1.23.4', 'format'],
      ['12.34.567', 'format'],
      ['1,2345', 'precision'],
      ['1.2345', 'precision'],
      ['1..5', 'format'],
      ['1,234,56', 'format'],
      ['12,34.56', 'format'],
      ['1.234.56,7', 'format'],
      ['10,50,', 'format'],
      ['10e3', 'format'],
      ['0x10', 'format'],
      ['10,505', 'ambiguous'],
      ['10,5050', 'precision'],
      ['1.234,567', 'precision'],
      ['99999999999999999', 'too_large'],
    ];
    for (const [raw, reason] of cases) {
      const result = parseAmountCents(raw);
      expect(result, raw).toMatchObject({ ok: false, reason });
      if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
    }
  });
});
