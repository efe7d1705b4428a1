import { describe, expect, it } from 'vitest';
import { containsPattern, phoneDigits, searchTerms } from './search.ts';
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

  it('escapes LIKE wildcards in a term', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
