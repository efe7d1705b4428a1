// Name comparison for finding the same supporter twice (imports, duplicate
// checks, matching a bank's debtor name): normalization of Italian spellings,
// then Jaro-Winkler similarity (Winkler 1990, "String Comparator Metrics and
// Enhanced Decision Rules in the Fellegi-Sunter Model of Record Linkage").

// Letters NFD does not decompose into a base letter and a mark.
const FOLD: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * Lower case, accents removed (`Niccolò` → `niccolo`), apostrophes removed with the
 * spaces after them (`D'Angelo`, `D' Angelo`, `DANGELO` → `dangelo`; `Nicolo'` →
 * `nicolo`, the typewriter spelling of ò), hyphens, dots and other punctuation as
 * spaces, white space collapsed.
 */
export function normalizeName(raw: string): string {
  return raw
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => FOLD[c] ?? c)
    .replace(/['’‘`´ʼ]\s*/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Jaro similarity in [0, 1]: matching characters within a window, half-transpositions. */
export function jaroSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (!bMatched[j] && a[i] === b[j]) {
        aMatched[i] = true;
        bMatched[j] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let outOfOrder = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) outOfOrder++;
    j++;
  }
  const transpositions = outOfOrder / 2;
  return (matches / a.length + matches / b.length + (matches - transpositions) / matches) / 3;
}

/**
 * Jaro-Winkler: Jaro plus a bonus for a common prefix of up to 4 characters,
 * `jaro + prefix × 0.1 × (1 − jaro)`, applied when Jaro exceeds 0.7 (Winkler's
 * boost threshold).
 */
export function jaroWinklerSimilarity(a: string, b: string): number {
  const jaro = jaroSimilarity(a, b);
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Jaro-Winkler similarity of two names after `normalizeName`, in [0, 1]. */
export function nameSimilarity(a: string, b: string): number {
  return jaroWinklerSimilarity(normalizeName(a), normalizeName(b));
}

export type PersonName = { givenName: string; familyName: string };

/**
 * Similarity of two people's names, the mean of given-name and family-name
 * similarity, also trying the two fields swapped (`Rossi Mario` typed as given name
 * `Rossi`, family name `Mario`, common in forms and bank data): `swapped` says which
 * reading won.
 */
export function personNameSimilarity(a: PersonName, b: PersonName): { score: number; swapped: boolean } {
  const direct = (nameSimilarity(a.givenName, b.givenName) + nameSimilarity(a.familyName, b.familyName)) / 2;
  const crossed = (nameSimilarity(a.givenName, b.familyName) + nameSimilarity(a.familyName, b.givenName)) / 2;
  return crossed > direct ? { score: crossed, swapped: true } : { score: direct, swapped: false };
}
