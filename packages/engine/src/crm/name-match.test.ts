import { describe, expect, it } from 'vitest';
import {
  jaroSimilarity,
  jaroWinklerSimilarity,
  nameSimilarity,
  normalizeName,
  personNameSimilarity,
} from './name-match.ts';

describe('normalizeName', () => {
  it('folds the spellings of one Italian name together', () => {
    const cases: [string, string][] = [
      ['  Mario   ROSSI ', 'mario rossi'],
      ['Niccolò', 'niccolo'],
      ["Nicolo'", 'nicolo'], // typewriter spelling of ò
      ["D'Angelo", 'dangelo'],
      ["D' Angelo", 'dangelo'],
      ['D’Angelo', 'dangelo'], // typographic apostrophe
      ['DANGELO', 'dangelo'],
      ['Anna-Maria', 'anna maria'],
      ['G. B. Vico', 'g b vico'],
      ['Çelik Müller', 'celik muller'],
      ['Straße', 'strasse'],
      ['Łukasz Øster', 'lukasz oster'],
    ];
    for (const [raw, normalized] of cases) expect(normalizeName(raw), raw).toBe(normalized);
  });
});

describe('Jaro and Jaro-Winkler', () => {
  // Reference values: Winkler (1990), table of comparator values, as reproduced in the
  // Wikipedia article "Jaro–Winkler distance" (three decimals).
  const PUBLISHED: [string, string, number, number][] = [
    ['MARTHA', 'MARHTA', 0.944, 0.961],
    ['DWAYNE', 'DUANE', 0.822, 0.84],
    ['DIXON', 'DICKSONX', 0.767, 0.813],
  ];

  it.each(PUBLISHED)('%s / %s: Jaro %f, Jaro-Winkler %f', (a, b, jaro, jaroWinkler) => {
    expect(jaroSimilarity(a, b)).toBeCloseTo(jaro, 3);
    expect(jaroWinklerSimilarity(a, b)).toBeCloseTo(jaroWinkler, 3);
    // Symmetric, and case does not matter once normalized.
    expect(jaroWinklerSimilarity(b, a)).toBeCloseTo(jaroWinklerSimilarity(a, b), 12);
    expect(nameSimilarity(a.toLowerCase(), b)).toBeCloseTo(jaroWinklerSimilarity(a, b), 12);
  });

  it('computes MARTHA/MARHTA exactly by hand', () => {
    // 6 matches, T/H out of order -> 1 transposition: (6/6 + 6/6 + 5/6) / 3 = 17/18;
    // common prefix MAR (3): 17/18 + 3 × 0.1 × 1/18 = 17.3/18.
    expect(jaroSimilarity('MARTHA', 'MARHTA')).toBeCloseTo(17 / 18, 15);
    expect(jaroWinklerSimilarity('MARTHA', 'MARHTA')).toBeCloseTo(17.3 / 18, 15);
  });

  it('handles identical, empty and disjoint strings', () => {
    expect(jaroWinklerSimilarity('rossi', 'rossi')).toBe(1);
    expect(jaroWinklerSimilarity('', '')).toBe(1);
    expect(jaroWinklerSimilarity('rossi', '')).toBe(0);
    expect(jaroWinklerSimilarity('abc', 'xyz')).toBe(0);
    // One character each: window 0, a match only in the same place.
    expect(jaroSimilarity('a', 'a')).toBe(1);
    expect(jaroSimilarity('ab', 'ba')).toBe(0);
  });

  it('gives no prefix bonus below the 0.7 boost threshold', () => {
    const jaro = jaroSimilarity('abcxyz', 'abqrst');
    expect(jaro).toBeLessThanOrEqual(0.7);
    expect(jaroWinklerSimilarity('abcxyz', 'abqrst')).toBe(jaro);
  });

  it('ranks Italian variants above different names', () => {
    expect(nameSimilarity("D'Angelo", 'DANGELO')).toBe(1);
    expect(nameSimilarity('Niccolò', "Nicolo'")).toBeGreaterThan(0.9);
    expect(nameSimilarity('Rossi', 'Russo')).toBeLessThan(nameSimilarity('Rossi', 'Rosi'));
  });
});

describe('personNameSimilarity', () => {
  it('finds first and last name swapped', () => {
    const supporter = { givenName: 'Mario', familyName: 'Rossi' };
    expect(personNameSimilarity(supporter, { givenName: 'Rossi', familyName: 'Mario' })).toEqual({
      score: 1,
      swapped: true,
    });
    expect(personNameSimilarity(supporter, { givenName: 'MARIO', familyName: 'ROSSI' })).toEqual({
      score: 1,
      swapped: false,
    });
    const typo = personNameSimilarity(supporter, { givenName: 'Rosi', familyName: 'Maria' });
    expect(typo.swapped).toBe(true);
    expect(typo.score).toBeGreaterThan(0.9);
    const other = personNameSimilarity(supporter, { givenName: 'Giulia', familyName: 'Bianchi' });
    expect(other.score).toBeLessThan(0.6);
  });
});
