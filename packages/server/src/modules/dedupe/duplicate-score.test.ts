import { describe, expect, it } from 'vitest';
import { type DedupeRecord, scoreDuplicate } from './duplicate-score.ts';

const person = (overrides: Partial<DedupeRecord>): DedupeRecord => ({
  id: 'x',
  firstName: 'Mario',
  lastName: 'Rossi',
  birthDate: null,
  fiscalCode: null,
  emails: [],
  phones: [],
  place: null,
  lastNameKey: 'rossi',
  ...overrides,
});

describe('scoreDuplicate', () => {
  // Expected values from the formulas in duplicate-score.ts; name similarities
  // from @centralino/engine (Jaro-Winkler): "Marco Gallo" / "Laura Gallo" 0.8,
  // "Luca Verdi" / "Luca Verde" 0.96, "Giuseppe Romano" / "Giuseppe Romani" 0.9667,
  // "Anna Maria" / "Annamaria" 0.98.
  it.each([
    {
      name: 'same fiscal code, same name: 0.97',
      a: person({ fiscalCode: 'RSSMRA85T10A562S' }),
      b: person({ fiscalCode: 'RSSMRA85T10A562S' }),
      rules: ['fiscal_code'],
      score: 0.97,
    },
    {
      name: 'same fiscal code on a very different name: 0.75 (a code typed on the wrong record)',
      a: person({ fiscalCode: 'RSSMRA85T10A562S' }),
      b: person({
        firstName: 'Laura',
        lastName: 'Bianchi',
        lastNameKey: 'bianchi',
        fiscalCode: 'RSSMRA85T10A562S',
      }),
      rules: ['fiscal_code'],
      score: 0.75,
    },
    {
      name: 'same e-mail, same name: 0.95',
      a: person({ emails: ['m.rossi@example.it'] }),
      b: person({ emails: ['m.rossi@example.it', 'other@example.it'] }),
      rules: ['email'],
      score: 0.95,
    },
    {
      name: 'spouses sharing an e-mail: 0.4 + 0.55 × (0.8 − 0.7) / 0.3 = 0.583',
      a: person({ firstName: 'Marco', lastName: 'Gallo', lastNameKey: 'gallo', emails: ['casa@example.it'] }),
      b: person({ firstName: 'Laura', lastName: 'Gallo', lastNameKey: 'gallo', emails: ['casa@example.it'] }),
      rules: ['email'],
      score: 0.583,
    },
    {
      name: 'same phone, one letter apart: 0.35 + 0.55 × (0.96 − 0.7) / 0.3 = 0.827',
      a: person({ firstName: 'Luca', lastName: 'Verdi', phones: ['+393471234567'] }),
      b: person({ firstName: 'Luca', lastName: 'Verde', phones: ['+393471234567'] }),
      rules: ['phone'],
      score: 0.827,
    },
    {
      name: 'same last name and birth date, similar first names: 0.8 + 0.15 × (0.98 − 0.8) / 0.2 = 0.935',
      a: person({ firstName: 'Anna Maria', birthDate: '1980-05-03' }),
      b: person({ firstName: 'Annamaria', birthDate: '1980-05-03' }),
      rules: ['name_birth_date'],
      score: 0.935,
    },
    {
      name: 'same last name and birth date, different first names (twins): no reason',
      a: person({ firstName: 'Marco', birthDate: '1980-05-03' }),
      b: person({ firstName: 'Giulia', birthDate: '1980-05-03' }),
      rules: [],
      score: 0,
    },
    {
      name: 'similar names in the same place: 0.5 + 0.4 × (0.9667 − 0.9) / 0.1 = 0.767',
      a: person({ firstName: 'Giuseppe', lastName: 'Romano', place: '00184|gr' }),
      b: person({ firstName: 'Giuseppe', lastName: 'Romani', place: '00184|gr' }),
      rules: ['name_place'],
      score: 0.767,
    },
    {
      name: 'evidence adds up: 1 − (1 − 0.95)(1 − 0.9) = 0.995',
      a: person({ emails: ['m@example.it'], phones: ['+393471234567'] }),
      b: person({ emails: ['m@example.it'], phones: ['+393471234567'] }),
      rules: ['email', 'phone'],
      score: 0.995,
    },
    {
      name: 'different birth dates cut the score by 40 %: 0.95 × 0.6 = 0.57',
      a: person({ emails: ['m@example.it'], birthDate: '1950-01-01' }),
      b: person({ emails: ['m@example.it'], birthDate: '1980-01-01' }),
      rules: ['email'],
      score: 0.57,
    },
    {
      name: 'different fiscal codes halve it: 0.95 × 0.5 = 0.475',
      a: person({ emails: ['m@example.it'], fiscalCode: 'RSSMRA85T10A562S' }),
      b: person({ emails: ['m@example.it'], fiscalCode: 'RSSMRA50A01H501X' }),
      rules: ['email'],
      score: 0.475,
    },
    {
      name: 'nothing shared: no reason',
      a: person({}),
      b: person({ emails: ['x@example.it'] }),
      rules: [],
      score: 0,
    },
  ])('$name', ({ a, b, rules, score }) => {
    const result = scoreDuplicate(a, b);
    expect(result.reasons.map((r) => r.rule)).toEqual(rules);
    expect(result.score).toBeCloseTo(score, 3);
  });

  it('a swapped first and last name still counts as the same name', () => {
    const result = scoreDuplicate(
      person({ emails: ['m@example.it'] }),
      person({ firstName: 'Rossi', lastName: 'Mario', lastNameKey: 'mario', emails: ['m@example.it'] }),
    );
    expect(result.reasons[0]).toMatchObject({ rule: 'email', score: 0.95, nameSimilarity: 1 });
  });
});
