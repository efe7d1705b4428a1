import { describe, expect, it } from 'vitest';
import { phoneDigits, searchTerms, searchWords } from './search.ts';
import { normalizeSearchTerm, supporterSearchText } from './search-text.ts';

describe('supporter search text', () => {
  it('holds "last first", fiscal code, e-mails and phone digits with and without the country code', () => {
    expect(
      supporterSearchText({
        firstName: 'Nicolò',
        lastName: "D'Àngelo",
        fiscalCode: 'DNGNCL80A01H501X',
        emails: ['Nicolo@Example.IT'],
        phones: ['+393471234567'],
      }),
    ).toBe('dangelo nicolo | dngncl80a01h501x | nicolo@example.it | 393471234567 | 3471234567');
  });

  it('normalizes accents, apostrophes and spaces the same way on both sides', () => {
    expect(normalizeSearchTerm("  NICOLO'  d’Àngelo ")).toBe('nicolo dangelo');
    expect(phoneDigits('+39 347 123 4567')).toBe('393471234567');
    expect(phoneDigits('0039 347 123 4567')).toBe('393471234567');
  });

  it.each([
    ['+39 347 123 4567', ['393471234567']],
    ['3471234567', ['3471234567']],
    ['347/123.45-67', ['3471234567']],
    ['Mario  Rossi', ['mario', 'rossi']],
    ['Nicolò', ['nicolo']],
    ["d'angelo", ['dangelo']],
    ['rssmra80', ['rssmra80']],
    ['mario@example.it', ['mario@example.it']],
  ])('query %j → terms %j', (query, terms) => {
    expect(searchTerms(query)).toEqual(terms);
  });

  it('turns each word into the range of terms it is a prefix of, longest word first', () => {
    expect(searchWords('Rossi Ma')).toEqual([
      { from: 'rossi', to: 'rossj', name: true },
      { from: 'ma', to: 'mb', name: true },
    ]);
    // 'z' + 1 is '{': still above every term starting with "rz…" in byte order.
    expect(searchWords('rz')).toEqual([{ from: 'rz', to: 'r{', name: true }]);
    expect(searchWords('mario.rossi@ex')).toEqual([
      { from: 'mario.rossi@ex', to: 'mario.rossi@ey', name: false },
    ]);
    expect(searchWords('+39 347 123')).toEqual([{ from: '39347123', to: '39347124', name: false }]);
  });

  it('drops a word that is a prefix of another and repeated words', () => {
    expect(searchWords('mar mario rossi mario').map((word) => word.from)).toEqual(['mario', 'rossi']);
    expect(searchWords('   ')).toEqual([]);
  });
});
