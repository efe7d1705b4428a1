// Supporter search queries, normalized like the text they search
// (supporters.search_text, written by supporterSearchText in search-text.ts):
// "Nicolò" finds "NICOLO'", and "+39 347 123 4567" or "347 1234567" finds
// +393471234567.
import { normalizeSearchTerm } from './search-text.ts';

/** Digits only, without the international prefix's "+" (or "00"). */
export function phoneDigits(number: string): string {
  const digits = number.replace(/\D/g, '');
  return number.trim().startsWith('00') ? digits.slice(2) : digits;
}

const PHONE_QUERY = /^[+\d\s()./-]+$/;

/**
 * The terms a search must all contain (in any order): a query that looks like
 * a phone number becomes one term of its digits; anything else is split into
 * normalized words, so "mario rossi" finds "Rossi Mario".
 */
export function searchTerms(query: string): string[] {
  const trimmed = query.trim();
  if (PHONE_QUERY.test(trimmed) && /\d{3}/.test(trimmed.replace(/[\s()./-]/g, ''))) {
    const digits = phoneDigits(trimmed);
    if (digits !== '') return [digits];
  }
  return normalizeSearchTerm(trimmed)
    .split(' ')
    .filter((term) => term !== '');
}

/** A term as an ILIKE pattern matching it anywhere (the trigram index serves it). */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
