// E-mail addresses: the practical subset of RFC 5321/5322 that mail providers
// accept for mailboxes people use. Quoted local parts, comments and IP-literal
// domains are valid in the RFCs but not in a supporter's address; refusing them
// turns an import typo into a visible error rather than a bounce.

export type EmailInvalidReason =
  | 'empty'
  /** No `@`, more than one, white space, or characters outside the subset. */
  | 'format'
  /** Empty, longer than 64 octets (RFC 5321 §4.5.3.1.1), or a dot at an end / two in a row. */
  | 'local_part'
  /** Not a host name with a dot: labels of 1–63 letters, digits, hyphens; a non-numeric top level. */
  | 'domain'
  /** Longer than 254 characters (RFC 5321 path limit of 256 minus the angle brackets). */
  | 'length';

export type EmailValidation =
  | {
      ok: true;
      /** Local part as written, domain lower-cased (and in its ASCII form for IDNs). */
      email: string;
      localPart: string;
      domain: string;
    }
  | { ok: false; reason: EmailInvalidReason; message: string };

// RFC 5322 atext, the characters of a dot-atom local part.
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function fail(reason: EmailInvalidReason, message: string): EmailValidation {
  return { ok: false, reason, message };
}

/** The domain in ASCII (punycode for internationalized names), through the WHATWG URL parser; undefined if it is not a host name. */
function asciiDomain(domain: string): string | undefined {
  if (/^[\x21-\x7e]+$/.test(domain)) return domain.toLowerCase();
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined;
  }
}

export function validateEmail(raw: string): EmailValidation {
  // A leading "mailto:" and surrounding white space come with addresses pasted from pages.
  const text = raw.trim().replace(/^mailto:/i, '');
  if (text === '') return fail('empty', 'the e-mail address is empty');
  if (/\s/.test(text)) return fail('format', 'an e-mail address has no spaces');
  const at = text.lastIndexOf('@');
  if (at < 0 || text.indexOf('@') !== at) return fail('format', 'expected exactly one @');

  const localPart = text.slice(0, at);
  if (localPart === '') return fail('local_part', 'nothing before the @');
  if (new TextEncoder().encode(localPart).length > 64) {
    return fail('local_part', 'the part before the @ is longer than 64 characters');
  }
  if (localPart.startsWith('.') || localPart.endsWith('.') || localPart.includes('..')) {
    return fail('local_part', 'dots only between characters, one at a time');
  }
  if (!localPart.split('.').every((atom) => ATEXT.test(atom))) {
    return fail('format', 'the part before the @ has characters an address cannot have');
  }

  const domain = asciiDomain(text.slice(at + 1).replace(/\.$/, ''));
  if (domain === undefined || domain === '') return fail('domain', 'no valid domain after the @');
  const labels = domain.split('.');
  if (labels.length < 2) return fail('domain', 'the domain needs a dot (e.g. example.it)');
  if (domain.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return fail('domain', 'the domain has an invalid part');
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!))
    return fail('domain', 'the top-level domain cannot be numeric');

  const email = `${localPart}@${domain}`;
  if (email.length > 254) return fail('length', 'longer than 254 characters');
  return { ok: true, email, localPart, domain };
}

/**
 * The address to store: trimmed, domain lower-cased (domains are case-insensitive; the
 * local part is not, per RFC 5321 §2.4, so it is kept as written). Undefined if invalid.
 * For duplicate detection compare `normalizeEmail(a)?.toLowerCase()`: no common provider
 * distinguishes case in mailbox names.
 */
export function normalizeEmail(raw: string): string | undefined {
  const result = validateEmail(raw);
  return result.ok ? result.email : undefined;
}
