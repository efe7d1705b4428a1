// SEPA Direct Debit (SDD Core) data: mandate references, creditor identifiers,
// sequence types, return reason codes, mandate expiry and pre-notification
// (DOMAIN.md §6). Sources: EPC016-09 SDD Core Rulebook, EPC130-08 SDD Core
// Customer-to-Bank Implementation Guidelines, EPC262-08 Creditor Identifier
// Overview, EPC173-14 Guidance on reason codes for SDD R-transactions.

import { addDays, addMonths, compareDates, formatIsoDate, parseIsoDate } from './dates.ts';
import { mod97 } from './iban.ts';

// ---------------------------------------------------------------------------
// Mandate reference (AT-01, "Unique Mandate Reference")

export type MandateReferenceInvalidReason =
  /** Empty after trimming. */
  | 'empty'
  /** Longer than 35 characters (ISO 20022 Max35Text). */
  | 'length'
  /** A character outside the SEPA Latin set `A-Z a-z 0-9 / - ? : ( ) . , ' +` and space. */
  | 'characters'
  /** Starts or ends with `/`, or contains `//`. */
  | 'slashes';

export type MandateReferenceValidation =
  | { ok: true; reference: string }
  | { ok: false; reason: MandateReferenceInvalidReason; message: string };

// EPC130-08 §1.4 "Character set": the Latin character set usable in SEPA messages.
const SEPA_LATIN = /^[A-Za-z0-9/\-?:().,'+ ]*$/;

/**
 * Checks a mandate reference as the creditor's bank will: at most 35 characters of the
 * SEPA Latin character set and, since it is an identifier, no leading or trailing `/`
 * and no `//` (EPC230-15 "Clarification Paper on the Use of Slashes in References,
 * Identifications and Identifiers": the rule of the EPC implementation guidelines
 * applies to the mandate identification). Surrounding white space is trimmed; the
 * returned `reference` is what to store and send. Uniqueness per creditor is the
 * caller's (database) concern.
 */
export function validateMandateReference(raw: string): MandateReferenceValidation {
  const reference = raw.trim();
  if (reference === '') return { ok: false, reason: 'empty', message: 'the mandate reference is empty' };
  if (reference.length > 35) {
    return { ok: false, reason: 'length', message: `at most 35 characters, got ${reference.length}` };
  }
  if (!SEPA_LATIN.test(reference)) {
    const bad = [...reference].find((c) => !SEPA_LATIN.test(c));
    return {
      ok: false,
      reason: 'characters',
      message: `${JSON.stringify(bad)} is not allowed; use A-Z a-z 0-9 / - ? : ( ) . , ' + and space`,
    };
  }
  if (reference.startsWith('/') || reference.endsWith('/') || reference.includes('//')) {
    return { ok: false, reason: 'slashes', message: "must not start or end with '/' nor contain '//'" };
  }
  return { ok: true, reference };
}

// ---------------------------------------------------------------------------
// Creditor identifier (AT-02)

export type CreditorIdInvalidReason = 'format' | 'length' | 'checksum';

export type CreditorIdValidation =
  | {
      ok: true;
      creditorId: string;
      countryCode: string;
      checkDigits: string;
      /** Creditor Business Code, `ZZZ` when unused; not covered by the check digits. */
      businessCode: string;
      nationalId: string;
    }
  | { ok: false; reason: CreditorIdInvalidReason; message: string };

/** Check digits of a creditor identifier: 98 − (national identifier + CC + "00") mod 97 (EPC262-08 §2). */
export function creditorIdCheckDigits(countryCode: string, nationalId: string): string {
  return String(98 - mod97(`${nationalId}${countryCode}00`)).padStart(2, '0');
}

/**
 * `CC##ZZZ<national identifier>` (EPC262-08): country code, check digits, a 3-character
 * Creditor Business Code that the check digits skip, then the national identifier
 * (up to 28 letters/digits; in Italy the creditor's codice fiscale or partita IVA).
 * Spaces are removed and letters upper-cased.
 */
export function validateCreditorId(raw: string): CreditorIdValidation {
  const creditorId = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]+$/.test(creditorId)) {
    return {
      ok: false,
      reason: 'format',
      message: 'expected country code, 2 check digits, 3-character business code, national identifier',
    };
  }
  if (creditorId.length > 35) {
    return { ok: false, reason: 'length', message: `at most 35 characters, got ${creditorId.length}` };
  }
  const countryCode = creditorId.slice(0, 2);
  const checkDigits = creditorId.slice(2, 4);
  const businessCode = creditorId.slice(4, 7);
  const nationalId = creditorId.slice(7);
  if (creditorIdCheckDigits(countryCode, nationalId) !== checkDigits) {
    return {
      ok: false,
      reason: 'checksum',
      message: 'the check digits do not match the national identifier',
    };
  }
  return { ok: true, creditorId, countryCode, checkDigits, businessCode, nationalId };
}

// ---------------------------------------------------------------------------
// Sequence types

export type SequenceType = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';

export const SEQUENCE_TYPES: Readonly<Record<SequenceType, { en: string; it: string }>> = {
  FRST: { en: 'first collection of a recurring series', it: 'primo addebito di una serie ricorrente' },
  RCUR: { en: 'recurring collection', it: 'addebito ricorrente' },
  OOFF: { en: 'one-off collection', it: 'addebito singolo (una tantum)' },
  FNAL: { en: 'final collection of a recurring series', it: 'ultimo addebito di una serie ricorrente' },
};

export function isSequenceType(value: string): value is SequenceType {
  return Object.hasOwn(SEQUENCE_TYPES, value);
}

/**
 * The sequence type of the next collection under a mandate. Since the November 2016
 * SDD Core Rulebook (EPC016-09 v9.0) FRST is optional and RCUR may be used for the
 * first collection too: `firstAsRecurring: true` does that, for banks that prefer it.
 */
export function nextSequenceType(options: {
  recurring: boolean;
  /** Collections already presented (and not rejected) under this mandate. */
  previousCollections: number;
  /** This is the last collection: the commitment ends after it. */
  final?: boolean;
  firstAsRecurring?: boolean;
}): SequenceType {
  if (!options.recurring) return 'OOFF';
  if (options.final) return 'FNAL';
  return options.previousCollections === 0 && !options.firstAsRecurring ? 'FRST' : 'RCUR';
}

// ---------------------------------------------------------------------------
// Return reason codes (R-transactions)

/**
 * What the organization should do next. Product defaults for a supporter-care
 * center, not EPC rules: `retry` re-present in a later collection, `update_bank_details`
 * / `new_mandate` / `contact_supporter` put the supporter in the recapture cycle,
 * `stop` ends every collection and call (MD07: never phone a deceased donor's
 * family asking for the gift), `fix_submission` is the creditor's own error.
 */
export type ReturnReasonNextStep =
  | 'retry'
  | 'update_bank_details'
  | 'new_mandate'
  | 'contact_supporter'
  | 'stop'
  | 'fix_submission';

export type ReturnReason = {
  code: string;
  /** ISO 20022 ExternalStatusReason1Code name. */
  iso: string;
  en: string;
  it: string;
  nextStep: ReturnReasonNextStep;
};

function reason(
  code: string,
  iso: string,
  en: string,
  it: string,
  nextStep: ReturnReasonNextStep,
): ReturnReason {
  return { code, iso, en, it, nextStep };
}

/** Reason codes of SDD Core rejects, returns and refunds (EPC173-14; DOMAIN.md §6 subset and the rest). */
export const SEPA_RETURN_REASONS: Readonly<Record<string, ReturnReason>> = Object.fromEntries(
  [
    reason(
      'AC01',
      'IncorrectAccountNumber',
      'Account identifier incorrect (invalid IBAN)',
      'IBAN errato o inesistente',
      'update_bank_details',
    ),
    reason('AC04', 'ClosedAccountNumber', 'Account closed', 'Conto estinto', 'update_bank_details'),
    reason(
      'AC06',
      'BlockedAccount',
      'Account blocked, or blocked for direct debit by the debtor',
      'Conto bloccato o bloccato agli addebiti diretti',
      'contact_supporter',
    ),
    reason(
      'AC13',
      'InvalidDebtorAccountType',
      'Debtor account is a consumer account (B2B only)',
      'Conto del debitore di tipo consumatore (solo B2B)',
      'fix_submission',
    ),
    reason(
      'AG01',
      'TransactionForbidden',
      'Direct debit forbidden on this account',
      'Addebito diretto non consentito su questo conto',
      'update_bank_details',
    ),
    reason(
      'AG02',
      'InvalidBankOperationCode',
      'Operation code or sequence type incorrect, or file format incomplete',
      'Codice operazione o tipo di sequenza errato',
      'fix_submission',
    ),
    reason('AM04', 'InsufficientFunds', 'Insufficient funds', 'Fondi insufficienti', 'retry'),
    reason('AM05', 'Duplication', 'Duplicate collection', 'Addebito duplicato', 'fix_submission'),
    reason(
      'BE05',
      'UnrecognisedInitiatingParty',
      'Creditor identifier incorrect',
      'Identificativo del creditore errato',
      'fix_submission',
    ),
    reason(
      'CNOR',
      'CreditorBankIsNotRegistered',
      'Creditor bank not registered under this scheme',
      'Banca del creditore non aderente allo schema',
      'fix_submission',
    ),
    reason(
      'DNOR',
      'DebtorBankIsNotRegistered',
      'Debtor bank not registered under this scheme',
      'Banca del debitore non aderente allo schema',
      'update_bank_details',
    ),
    reason(
      'FF01',
      'InvalidFileFormat',
      'Invalid file format',
      'Formato del file non valido',
      'fix_submission',
    ),
    reason(
      'MD01',
      'NoMandate',
      'No valid mandate (unauthorised transaction)',
      'Mandato assente o non valido (operazione non autorizzata)',
      'new_mandate',
    ),
    reason(
      'MD02',
      'MissingMandatoryInformationInMandate',
      'Mandate data missing or incorrect',
      'Dati del mandato mancanti o errati',
      'fix_submission',
    ),
    reason(
      'MD06',
      'RefundRequestByEndCustomer',
      'Refund requested by the debtor (within 8 weeks)',
      'Rimborso richiesto dal debitore (entro 8 settimane)',
      'contact_supporter',
    ),
    reason('MD07', 'EndCustomerDeceased', 'Debtor deceased', 'Debitore deceduto', 'stop'),
    reason(
      'MS02',
      'NotSpecifiedReasonCustomerGenerated',
      'Refused by the debtor, reason not specified',
      'Rifiutato dal debitore, motivo non specificato',
      'contact_supporter',
    ),
    reason(
      'MS03',
      'NotSpecifiedReasonAgentGenerated',
      'Reason not specified by the bank',
      'Motivo non specificato dalla banca',
      'retry',
    ),
    reason(
      'RC01',
      'BankIdentifierIncorrect',
      'Bank identifier (BIC) incorrect',
      'Codice BIC errato',
      'update_bank_details',
    ),
    reason(
      'RR01',
      'MissingDebtorAccountOrIdentification',
      'Regulatory reason: debtor account or identification missing',
      'Motivo regolamentare: conto o identificativo del debitore mancante',
      'fix_submission',
    ),
    reason(
      'RR02',
      'MissingDebtorNameOrAddress',
      "Regulatory reason: debtor's name or address missing",
      'Motivo regolamentare: nome o indirizzo del debitore mancante',
      'fix_submission',
    ),
    reason(
      'RR03',
      'MissingCreditorNameOrAddress',
      "Regulatory reason: creditor's name or address missing",
      'Motivo regolamentare: nome o indirizzo del creditore mancante',
      'fix_submission',
    ),
    reason('RR04', 'RegulatoryReason', 'Regulatory reason', 'Motivo regolamentare', 'contact_supporter'),
    reason(
      'SL01',
      'SpecificServiceOfferedByDebtorAgent',
      "Refused by a service of the debtor's bank (e.g. creditor blocked)",
      'Rifiutato da un servizio della banca del debitore (es. creditore bloccato)',
      'contact_supporter',
    ),
  ].map((r) => [r.code, r]),
);

/** The reason for a code (case-insensitive), or undefined for a code the table does not know. */
export function sepaReturnReason(code: string): ReturnReason | undefined {
  const key = code.trim().toUpperCase();
  return Object.hasOwn(SEPA_RETURN_REASONS, key) ? SEPA_RETURN_REASONS[key] : undefined;
}

// ---------------------------------------------------------------------------
// Mandate expiry and pre-notification

/**
 * The day from which a mandate may no longer be used: 36 months after the last
 * collection, or after signature if never used (EPC016-09 SDD Core Rulebook: a
 * mandate with no collection presented for 36 months expires). Collections must be
 * due before this date. Dates are `YYYY-MM-DD`; undefined if one is malformed.
 */
export function mandateExpiryDate(options: {
  signedOn: string;
  lastCollectionOn?: string;
}): string | undefined {
  const signed = parseIsoDate(options.signedOn);
  const last = options.lastCollectionOn === undefined ? signed : parseIsoDate(options.lastCollectionOn);
  if (!signed || !last) return undefined;
  const from = compareDates(last, signed) > 0 ? last : signed;
  return formatIsoDate(addMonths(from, 36));
}

/**
 * The earliest due date of a collection notified on `notifiedOn`: 14 calendar days
 * later unless the creditor and debtor agreed a shorter period (SDD Core Rulebook,
 * pre-notification; DOMAIN.md §6). Undefined if the date is malformed.
 */
export function earliestDueDate(options: {
  notifiedOn: string;
  preNotificationDays?: number;
}): string | undefined {
  const notified = parseIsoDate(options.notifiedOn);
  const days = options.preNotificationDays ?? 14;
  if (!notified || !Number.isInteger(days) || days < 0) return undefined;
  return formatIsoDate(addDays(notified, days));
}
