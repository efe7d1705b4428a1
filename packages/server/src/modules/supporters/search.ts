// Supporter search queries, normalized like the text they search
// (supporters.search_text, written by supporterSearchText in search-text.ts,
// whose words PostgreSQL keeps in supporter_search_terms): "Nicolò" finds
// "NICOLO'", and "+39 347 123 4567" or "347 1234567" finds +393471234567.
// Every query word is a prefix: "ross" finds Rossi and Rossini.
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

/** A query word and the range of terms it is a prefix of: [from, to). */
export type SearchWord = {
  from: string;
  to: string /** Can match a name word (no digit, no '@'). */;
  name: boolean;
};

/**
 * The words a supporter must all match, each a prefix of one of its terms
 * (supporter_search_terms), longest first: the longest drives the search.
 * A word that is a prefix of another is dropped (the longer one implies it).
 * Terms and words are ASCII (normalizeSearchTerm), so incrementing the last
 * character gives the first string after every string with that prefix.
 */
export function searchWords(query: string): SearchWord[] {
  return prefixWords(searchTerms(query));
}

/** searchWords for terms already split by searchTerms. */
export function prefixWords(terms: readonly string[]): SearchWord[] {
  const words = [...new Set(terms)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return words
    .filter(
      (word, index) =>
        !words.some((other, j) => j !== index && other.length > word.length && other.startsWith(word)),
    )
    .map((word) => ({
      from: word,
      to: word.slice(0, -1) + String.fromCharCode(word.charCodeAt(word.length - 1) + 1),
      name: !/[0-9@]/.test(word),
    }));
}
