// Scoring of a candidate pair of supporters: each blocking rule that both
// records satisfy is a piece of evidence with its own weight; names decide how
// much a shared contact is worth (spouses share an e-mail or a landline, the
// same person shares them with their own name). Names are compared with
// Jaro-Winkler after normalization (@centralino/engine nameSimilarity /
// personNameSimilarity).
import { nameSimilarity, personNameSimilarity } from '@centralino/engine';

export type DuplicateRule = 'fiscal_code' | 'email' | 'phone' | 'name_birth_date' | 'name_place';

export type DedupeRecord = {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  fiscalCode: string | null;
  /** lower-cased */
  emails: readonly string[];
  phones: readonly string[];
  /** dedupe_place: postal code (or city) and initials */
  place: string | null;
  /** dedupe_last_name: the folded last name */
  lastNameKey: string;
};

export type DuplicateReason = {
  rule: DuplicateRule;
  /** This reason's own weight, in [0, 1]. */
  score: number;
  /** The shared value (fiscal code, e-mail, phone, birth date, place). */
  value: string;
  /** Name similarity behind the score (Jaro-Winkler, [0, 1]). */
  nameSimilarity: number;
};

/** First-name similarity needed for "same last name and birth date". */
export const FIRST_NAME_MIN_SIMILARITY = 0.8;
/** Full-name similarity needed for "similar names in the same place". */
export const FULL_NAME_MIN_SIMILARITY = 0.9;

const round = (value: number) => Math.round(value * 1000) / 1000;
const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/**
 * How much a shared contact says, from the names: identical names → `max`,
 * names at or below 0.7 similarity (different people of one household: "Marco
 * Gallo" and "Laura Gallo" are 0.8) → `min`, linear in between.
 */
function contactWeight(similarity: number, min: number, max: number): number {
  return min + (max - min) * clamp01((similarity - 0.7) / 0.3);
}

/**
 * The reasons two records are probably the same supporter and the combined
 * score: 1 − Π(1 − reason score) (independent evidence adds up), then halved
 * when both have fiscal codes that differ and cut by 40 % when both have birth
 * dates that differ. Empty reasons: not a duplicate.
 */
export function scoreDuplicate(
  a: DedupeRecord,
  b: DedupeRecord,
): { score: number; reasons: DuplicateReason[] } {
  const names = personNameSimilarity(
    { givenName: a.firstName, familyName: a.lastName },
    { givenName: b.firstName, familyName: b.lastName },
  ).score;
  const reasons: DuplicateReason[] = [];
  if (a.fiscalCode && a.fiscalCode === b.fiscalCode) {
    // Same code, same person; a very different name means a code typed on the wrong record.
    reasons.push({
      rule: 'fiscal_code',
      score: names >= 0.8 ? 0.97 : 0.75,
      value: a.fiscalCode,
      nameSimilarity: round(names),
    });
  }
  const email = a.emails.find((e) => b.emails.includes(e));
  if (email) {
    reasons.push({
      rule: 'email',
      score: round(contactWeight(names, 0.4, 0.95)),
      value: email,
      nameSimilarity: round(names),
    });
  }
  const phone = a.phones.find((p) => b.phones.includes(p));
  if (phone) {
    // Landlines are shared by households more often than e-mails.
    reasons.push({
      rule: 'phone',
      score: round(contactWeight(names, 0.35, 0.9)),
      value: phone,
      nameSimilarity: round(names),
    });
  }
  if (a.birthDate && a.birthDate === b.birthDate && a.lastNameKey !== '' && a.lastNameKey === b.lastNameKey) {
    const first = nameSimilarity(a.firstName, b.firstName);
    if (first >= FIRST_NAME_MIN_SIMILARITY) {
      reasons.push({
        rule: 'name_birth_date',
        score: round(0.8 + 0.15 * ((first - FIRST_NAME_MIN_SIMILARITY) / (1 - FIRST_NAME_MIN_SIMILARITY))),
        value: a.birthDate,
        nameSimilarity: round(first),
      });
    }
  }
  if (a.place && a.place === b.place && names >= FULL_NAME_MIN_SIMILARITY) {
    reasons.push({
      rule: 'name_place',
      score: round(0.5 + 0.4 * ((names - FULL_NAME_MIN_SIMILARITY) / (1 - FULL_NAME_MIN_SIMILARITY))),
      value: a.place.split('|')[0] as string,
      nameSimilarity: round(names),
    });
  }
  if (reasons.length === 0) return { score: 0, reasons };
  let score = 1 - reasons.reduce((rest, reason) => rest * (1 - reason.score), 1);
  if (a.fiscalCode && b.fiscalCode && a.fiscalCode !== b.fiscalCode) score *= 0.5;
  if (a.birthDate && b.birthDate && a.birthDate !== b.birthDate) score *= 0.6;
  return { score: round(score), reasons };
}
