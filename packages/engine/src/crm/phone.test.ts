import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone.ts';

// Italian numbering plan (AGCOM delibera 8/15/CIR, "Piano di numerazione"): mobile 3xx,
// geographic 0x (trunk 0 kept in international format), toll-free 800/803, shared cost
// 84x, premium 89x, personal numbers 178. Example numbers follow the exampleNumber
// entries of Google's libphonenumber PhoneNumberMetadata.xml for IT where possible.

describe('normalizePhone', () => {
  it('writes every usual Italian spelling of a mobile number as one E.164', () => {
    for (const raw of [
      '347 123 4567',
      '3471234567',
      '347.123.4567',
      '347/1234567',
      '347-123-4567',
      '+39 347 123 4567',
      '+393471234567',
      '0039 347 123 4567',
      '00393471234567',
      '(+39) 347 1234567',
    ]) {
      expect(normalizePhone(raw), raw).toMatchObject({
        ok: true,
        e164: '+393471234567',
        country: 'IT',
        callingCode: '39',
        nationalNumber: '3471234567',
        type: 'mobile',
        valid: true,
      });
    }
  });

  it('keeps the trunk 0 of Italian landlines', () => {
    expect(normalizePhone('06 6982 1234')).toMatchObject({
      ok: true,
      e164: '+390669821234',
      type: 'fixed_line',
    });
    expect(normalizePhone('02 1234 5678')).toMatchObject({
      ok: true,
      e164: '+390212345678',
      international: '+39 02 1234 5678',
      type: 'fixed_line',
    });
    expect(normalizePhone('0039 06 698 12345')).toMatchObject({ ok: true, e164: '+390669812345' });
  });

  it('classifies Italian non-geographic numbers', () => {
    const cases: [string, string][] = [
      ['800 123 456', 'toll_free'], // numero verde
      ['803 123', 'toll_free'],
      ['848 123 456', 'shared_cost'],
      ['899 123 456', 'premium_rate'],
      ['178 1234567', 'personal_number'],
      ['55 1234 5678', 'voip'],
    ];
    for (const [raw, type] of cases)
      expect(normalizePhone(raw), raw).toMatchObject({ ok: true, type, valid: true });
  });

  it('uses the default country only for numbers without a prefix', () => {
    // Ofcom's drama range 020 7946 0xxx (reserved for fiction, Ofcom numbering plan).
    expect(normalizePhone('+44 20 7946 0958')).toMatchObject({
      ok: true,
      e164: '+442079460958',
      country: 'GB',
    });
    expect(normalizePhone('020 7946 0958', 'GB')).toMatchObject({
      ok: true,
      e164: '+442079460958',
      type: 'fixed_line',
    });
    expect(normalizePhone('020 7946 0958')).toMatchObject({ ok: true, e164: '+3902079460958' });
  });

  it('says why a number is refused', () => {
    const cases: [string, string][] = [
      ['', 'empty'],
      ['   ', 'empty'],
      ['abc', 'not_a_number'],
      ['0039', 'too_short'],
      ['+39 06', 'too_short'],
      ['+39 347 123 4567 8901 2345', 'too_long'],
    ];
    for (const [raw, reason] of cases) {
      const result = normalizePhone(raw);
      expect(result, raw).toMatchObject({ ok: false, reason });
      if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
    }
    expect(normalizePhone('347 123 4567', 'XX')).toMatchObject({ ok: false, reason: 'invalid_country' });
    expect(normalizePhone('+999 1234567')).toMatchObject({ ok: false, reason: 'invalid_country' });
  });

  it('keeps a possible number outside the assigned ranges, marked not valid', () => {
    // 10 digits starting 1 or 9: a possible Italian length, but no range of the plan uses them.
    for (const raw of ['1234567890', '+39 999 999 9999']) {
      expect(normalizePhone(raw), raw).toMatchObject({ ok: true, type: 'unknown', valid: false });
    }
  });
});
