// The one text a supporter search runs over (supporters.search_text, trigram
// indexed): name, fiscal code, e-mails and phone digits, normalized the same
// way as the query, so "rossi", "RSSMRA…", "m.rossi@" and "347 123 4567" all
// find the same record. Every writer of supporters (API, imports, merges)
// must compute it with this function.

export type SearchableSupporter = {
  firstName: string;
  lastName: string;
  fiscalCode: string | null;
  emails: readonly string[];
  /** E.164 (`+393471234567`) or raw text. */
  phones: readonly string[];
};

/**
 * Lower case, accents and apostrophes removed, other punctuation to spaces,
 * spaces collapsed: "D'Àngelo" is "dangelo", so "dangelo", "d'angelo" and
 * "d angelo" all find it.
 */
export function normalizeSearchTerm(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9@._+-]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

export function supporterSearchText(supporter: SearchableSupporter): string {
  const parts = [
    normalizeSearchTerm(`${supporter.lastName} ${supporter.firstName}`),
    supporter.fiscalCode?.toLowerCase() ?? '',
    ...supporter.emails.map((email) => email.toLowerCase()),
    // Digits with and without the country code: +39 347… is searched as 347….
    ...supporter.phones.flatMap((phone) => {
      const digits = phone.replace(/\D/g, '');
      return phone.startsWith('+39') ? [digits, digits.slice(2)] : [digits];
    }),
  ];
  return parts.filter((part) => part !== '').join(' | ');
}
