import { describe, expect, it } from 'vitest';
import { normalizeEmail, validateEmail } from './email.ts';

describe('validateEmail', () => {
  it('accepts ordinary and less ordinary addresses', () => {
    for (const email of [
      'mario.rossi@example.it',
      'mario+donazioni@example.org',
      "o'brien@example.ie", // apostrophe is atext (RFC 5322 §3.2.3)
      'a@b.co',
      'x_y-z@sub.domain.example.com',
      'user@xn--caf-dma.example', // punycode domain
      `${'a'.repeat(64)}@example.com`, // RFC 5321 §4.5.3.1.1: local part up to 64 octets
    ]) {
      expect(validateEmail(email), email).toMatchObject({ ok: true, email });
    }
  });

  it('lower-cases the domain only, trims, drops mailto:', () => {
    expect(validateEmail('  Mario.Rossi@Example.IT ')).toEqual({
      ok: true,
      email: 'Mario.Rossi@example.it',
      localPart: 'Mario.Rossi',
      domain: 'example.it',
    });
    expect(normalizeEmail('mailto:info@Example.org')).toBe('info@example.org');
    expect(normalizeEmail('info@example.org.')).toBe('info@example.org'); // root dot
  });

  it('converts an internationalized domain to its ASCII form', () => {
    // RFC 3492 punycode; "café" is "xn--caf-dma" (WHATWG URL / IDNA).
    expect(normalizeEmail('info@café.example')).toBe('info@xn--caf-dma.example');
  });

  it('says why an address is refused', () => {
    const cases: [string, string][] = [
      ['', 'empty'],
      ['   ', 'empty'],
      ['mario.rossi.example.it', 'format'],
      ['mario@rossi@example.it', 'format'],
      ['mario rossi@example.it', 'format'],
      ['mario(rossi)@example.it', 'format'],
      ['"mario rossi"@example.it', 'format'], // quoted local parts: outside the subset
      ['niccolò@example.it', 'format'],
      ['@example.it', 'local_part'],
      ['.mario@example.it', 'local_part'],
      ['mario.@example.it', 'local_part'],
      ['mario..rossi@example.it', 'local_part'],
      [`${'a'.repeat(65)}@example.com`, 'local_part'],
      ['mario@', 'domain'],
      ['mario@localhost', 'domain'],
      ['mario@example', 'domain'],
      ['mario@-example.it', 'domain'],
      ['mario@example-.it', 'domain'],
      ['mario@exa_mple.it', 'domain'],
      ['mario@example..it', 'domain'],
      ['mario@192.168.0.1', 'domain'],
      ['mario@[192.168.0.1]', 'domain'],
      [`mario@${'a'.repeat(64)}.it`, 'domain'], // a label has at most 63 characters (RFC 1035)
      [`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.it`, 'length'], // 64 + 1 + 191 = 256 > 254
    ];
    for (const [raw, reason] of cases) {
      const result = validateEmail(raw);
      expect(result, raw).toMatchObject({ ok: false, reason });
      if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
    }
    expect(normalizeEmail('not an address')).toBeUndefined();
  });
});
