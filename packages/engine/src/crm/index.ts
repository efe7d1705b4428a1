// Public entry points of the CRM helpers (see README.md): validation and
// normalization of supporter data, SEPA Direct Debit rules, name matching and
// donor metrics. Pure functions; validators return { ok, … } | { ok: false, reason, message }.

export { CrmError, type CrmErrorCode, type CrmIssue } from './crm.errors.ts';
export { type CalendarDate, formatIsoDate, parseIsoDate } from './dates.ts';
export {
  type DateRange,
  type DonorMetrics,
  type DonorSummary,
  donorMetrics,
  donorRetention,
  fiscalYearOf,
  type Gift,
  type RetentionResult,
} from './donor-metrics.ts';
export { type EmailInvalidReason, type EmailValidation, normalizeEmail, validateEmail } from './email.ts';
export {
  type FiscalCodeInvalidReason,
  type FiscalCodeValidation,
  fiscalCodeCheckCharacter,
  fiscalCodeNameLetters,
  normalizeFiscalCode,
  partitaIvaCheckDigit,
  validateFiscalCode,
} from './fiscal-code.ts';
export {
  formatIban,
  IBAN_LENGTHS,
  type IbanInvalidReason,
  type IbanValidation,
  ibanCheckDigits,
  maskIban,
  mod97,
  normalizeIban,
  validateIban,
} from './iban.ts';
export {
  fillScript,
  type MalformedPlaceholder,
  MERGE_FIELDS,
  type MergeField,
  type MergeSource,
  mergeFieldOf,
  parseScript,
  type ScriptFields,
} from './merge-fields.ts';
export {
  jaroSimilarity,
  jaroWinklerSimilarity,
  nameSimilarity,
  normalizeName,
  type PersonName,
  personNameSimilarity,
} from './name-match.ts';
export {
  type AmountParse,
  type AmountParseInvalidReason,
  type AmountParseOptions,
  type DateParse,
  type DateParseInvalidReason,
  parseAmountCents,
  parseItalianOrIsoDate,
} from './parse.ts';
export { normalizePhone, type PhoneInvalidReason, type PhoneNormalization, type PhoneType } from './phone.ts';
export {
  type CreditorIdInvalidReason,
  type CreditorIdValidation,
  creditorIdCheckDigits,
  earliestDueDate,
  isSequenceType,
  type MandateReferenceInvalidReason,
  type MandateReferenceValidation,
  mandateExpiryDate,
  nextSequenceType,
  type ReturnReason,
  type ReturnReasonNextStep,
  SEPA_RETURN_REASONS,
  SEQUENCE_TYPES,
  type SequenceType,
  sepaReturnReason,
  validateCreditorId,
  validateMandateReference,
} from './sepa.ts';
