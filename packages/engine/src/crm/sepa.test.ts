import { describe, expect, it } from 'vitest';
import {
  creditorIdCheckDigits,
  earliestDueDate,
  isSequenceType,
  mandateExpiryDate,
  nextSequenceType,
  SEPA_RETURN_REASONS,
  SEQUENCE_TYPES,
  sepaReturnReason,
  validateCreditorId,
  validateMandateReference,
} from './sepa.ts';

describe('validateMandateReference', () => {
  it('accepts up to 35 characters of the SEPA Latin set', () => {
    for (const ref of [
      'MANDATE-2024-000123',
      "D'Angelo (2024) n. 5/a, +rid?: ok",
      'a',
      'X'.repeat(35),
      'ABC/123/DEF', // single slashes inside are fine (EPC230-15)
    ]) {
      expect(validateMandateReference(ref), ref).toEqual({ ok: true, reference: ref });
    }
  });

  it('trims surrounding white space and returns what to store', () => {
    expect(validateMandateReference('  RID-1  ')).toEqual({ ok: true, reference: 'RID-1' });
  });

  it('says why a reference is refused', () => {
    const cases: [string, string][] = [
      ['', 'empty'],
      ['   ', 'empty'],
      ['X'.repeat(36), 'length'],
      ['RID_2024', 'characters'], // underscore is not in the SEPA set (EPC130-08 §1.4)
      ['RID&CO', 'characters'],
      ['NICOLÒ-1', 'characters'],
      ['RID@1', 'characters'],
      ['RID\t1', 'characters'],
      ['/RID1', 'slashes'], // EPC230-15: no leading or trailing slash, no double slash
      ['RID1/', 'slashes'],
      ['RID//1', 'slashes'],
    ];
    for (const [ref, reason] of cases) {
      expect(validateMandateReference(ref), ref).toMatchObject({ ok: false, reason });
    }
    const bad = validateMandateReference('RID_1');
    if (!bad.ok) expect(bad.message).toContain('"_"');
  });
});

describe('validateCreditorId', () => {
  // Examples of EPC262-08 "Creditor Identifier Overview" (European Payments Council).
  const EPC_EXAMPLES: [string, string, string][] = [
    ['IT66ZZZA1B2C3D4E5F6G7H8', 'IT', 'A1B2C3D4E5F6G7H8'],
    ['DE98ZZZ09999999999', 'DE', '09999999999'],
    ['ES59ZZZX1234567L', 'ES', 'X1234567L'],
    ['FR72ZZZ123456', 'FR', '123456'],
    ['AT61ZZZ01234567890', 'AT', '01234567890'],
    ['BE69ZZZ050D000000008', 'BE', '050D000000008'],
  ];

  it.each(EPC_EXAMPLES)('accepts the EPC example %s', (id, countryCode, nationalId) => {
    expect(validateCreditorId(id)).toEqual({
      ok: true,
      creditorId: id,
      countryCode,
      checkDigits: id.slice(2, 4),
      businessCode: 'ZZZ',
      nationalId,
    });
    expect(creditorIdCheckDigits(countryCode, nationalId)).toBe(id.slice(2, 4));
  });

  it('ignores the business code in the check and normalizes case and spaces', () => {
    // The business code may change (a creditor's division) without new check digits.
    expect(validateCreditorId('DE98ABC09999999999')).toMatchObject({ ok: true, businessCode: 'ABC' });
    expect(validateCreditorId(' de98 zzz 0999 9999 999 ')).toMatchObject({
      ok: true,
      creditorId: 'DE98ZZZ09999999999',
    });
  });

  it('says why an identifier is refused', () => {
    const cases: [string, string][] = [
      ['', 'format'],
      ['DE98ZZZ', 'format'], // no national identifier
      ['DE9XZZZ09999999999', 'format'],
      ['DE98ZZZ0999-9999999', 'format'],
      [`DE98ZZZ${'9'.repeat(29)}`, 'length'],
      ['DE97ZZZ09999999999', 'checksum'],
      ['DE98ZZZ09999999998', 'checksum'],
      ['IT66ZZZA1B2C3D4E5F6G7H9', 'checksum'],
    ];
    for (const [id, reason] of cases) expect(validateCreditorId(id), id).toMatchObject({ ok: false, reason });
  });
});

describe('sequence types', () => {
  it('has the four SDD sequence types with labels', () => {
    expect(Object.keys(SEQUENCE_TYPES).sort()).toEqual(['FNAL', 'FRST', 'OOFF', 'RCUR']);
    expect(SEQUENCE_TYPES.OOFF.it).toContain('una tantum');
    expect(isSequenceType('RCUR')).toBe(true);
    expect(isSequenceType('rcur')).toBe(false);
    expect(isSequenceType('toString')).toBe(false);
  });

  it('chooses the next sequence type', () => {
    expect(nextSequenceType({ recurring: false, previousCollections: 0 })).toBe('OOFF');
    expect(nextSequenceType({ recurring: true, previousCollections: 0 })).toBe('FRST');
    expect(nextSequenceType({ recurring: true, previousCollections: 0, firstAsRecurring: true })).toBe(
      'RCUR',
    );
    expect(nextSequenceType({ recurring: true, previousCollections: 5 })).toBe('RCUR');
    expect(nextSequenceType({ recurring: true, previousCollections: 5, final: true })).toBe('FNAL');
  });
});

describe('return reasons', () => {
  it('covers the DOMAIN.md §6 subset with Italian and English labels', () => {
    for (const code of ['AC01', 'AC04', 'AC06', 'AM04', 'AM05', 'MD01', 'MD06', 'MD07', 'MS02', 'MS03']) {
      const r = SEPA_RETURN_REASONS[code];
      expect(r, code).toBeDefined();
      expect(r?.code).toBe(code);
      expect(r?.en.length).toBeGreaterThan(3);
      expect(r?.it.length).toBeGreaterThan(3);
    }
    // ISO 20022 ExternalStatusReason1Code names (EPC173-14).
    expect(SEPA_RETURN_REASONS.AM04?.iso).toBe('InsufficientFunds');
    expect(SEPA_RETURN_REASONS.MD07?.iso).toBe('EndCustomerDeceased');
  });

  it('maps each code to what the organization does next', () => {
    expect(sepaReturnReason('AM04')?.nextStep).toBe('retry');
    expect(sepaReturnReason('ac04')?.nextStep).toBe('update_bank_details');
    expect(sepaReturnReason(' MD07 ')?.nextStep).toBe('stop');
    expect(sepaReturnReason('MD01')?.nextStep).toBe('new_mandate');
    expect(sepaReturnReason('MS02')?.nextStep).toBe('contact_supporter');
    expect(sepaReturnReason('XXXX')).toBeUndefined();
    expect(sepaReturnReason('constructor')).toBeUndefined();
  });
});

describe('mandate expiry and pre-notification', () => {
  it('expires 36 months after the last collection, or after signature if never used', () => {
    expect(mandateExpiryDate({ signedOn: '2021-05-10' })).toBe('2024-05-10');
    expect(mandateExpiryDate({ signedOn: '2021-05-10', lastCollectionOn: '2023-01-31' })).toBe('2026-01-31');
    // 36 months after 29 Feb lands on 28 Feb (no 29th in 2027).
    expect(mandateExpiryDate({ signedOn: '2020-01-01', lastCollectionOn: '2024-02-29' })).toBe('2027-02-28');
    // A collection date before the signature (bad data) does not shorten the life.
    expect(mandateExpiryDate({ signedOn: '2022-03-01', lastCollectionOn: '2021-03-01' })).toBe('2025-03-01');
    expect(mandateExpiryDate({ signedOn: '2022-02-30' })).toBeUndefined();
  });

  it('is due at least 14 calendar days after the pre-notification by default', () => {
    expect(earliestDueDate({ notifiedOn: '2025-02-20' })).toBe('2025-03-06');
    expect(earliestDueDate({ notifiedOn: '2024-02-20' })).toBe('2024-03-05'); // leap year
    expect(earliestDueDate({ notifiedOn: '2025-12-25', preNotificationDays: 10 })).toBe('2026-01-04');
    expect(earliestDueDate({ notifiedOn: '2025-12-25', preNotificationDays: -1 })).toBeUndefined();
    expect(earliestDueDate({ notifiedOn: '25/12/2025' })).toBeUndefined();
  });
});
