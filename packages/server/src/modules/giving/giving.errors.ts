// Errors of regular gifts, mandates, gifts and donor metrics, with their HTTP status.
import { AppError } from '../../http/errors.ts';

const field = (name: string, message: string) => [{ field: name, message }];

export const givingErrors = {
  supporterNotFound: () => new AppError('SUPPORTER_NOT_FOUND', 404, 'No such supporter in this organization'),
  /** Money recorded on a merged (hidden) record would vanish from every list and report. */
  supporterMerged: (into: string) =>
    new AppError(
      'SUPPORTER_MERGED',
      409,
      `The supporter was merged into ${into}: record it on that supporter instead`,
      field('params.supporterId', `merged into ${into}`),
    ),
  mandateNotFound: () => new AppError('MANDATE_NOT_FOUND', 404, 'No such mandate in this organization'),
  mandateExpired: (expiredOn: string | null) =>
    new AppError(
      'MANDATE_EXPIRED',
      409,
      `The mandate already expired${expiredOn ? ` on ${expiredOn}` : ''} (36 months without a collection); there is nothing to revoke`,
    ),
  revocationReasonRequired: () =>
    new AppError(
      'MANDATE_REVOCATION_REASON_REQUIRED',
      400,
      'A revocation needs the reason the donor gave',
      field('body.reason', 'required'),
    ),
  revocationDateInvalid: (message: string) =>
    new AppError(
      'MANDATE_REVOCATION_DATE_INVALID',
      400,
      `The revocation date is invalid: ${message}`,
      field('body.revokedOn', message),
    ),
  commitmentNotFound: () =>
    new AppError('COMMITMENT_NOT_FOUND', 404, 'No such commitment in this organization'),
  versionConflict: (current: number) =>
    new AppError(
      'COMMITMENT_VERSION_CONFLICT',
      409,
      `The commitment was changed meanwhile (current version ${current}); reload it and retry`,
      field('body.version', `current version is ${current}`),
    ),
  transitionInvalid: (from: string, to: string) =>
    new AppError(
      'COMMITMENT_STATUS_TRANSITION_INVALID',
      409,
      `A commitment cannot go from ${from} to ${to}`,
      field('body.status', `not allowed from ${from}`),
    ),
  reasonRequired: () =>
    new AppError(
      'COMMITMENT_REASON_REQUIRED',
      400,
      'A status or amount change needs a reason',
      field('body.reason', 'required for a status or amount change'),
    ),
  commitmentExternalIdTaken: () =>
    new AppError(
      'COMMITMENT_EXTERNAL_ID_TAKEN',
      409,
      'Another commitment of this organization has this external id',
      field('body.externalId', 'already used'),
    ),
  datesInvalid: () =>
    new AppError(
      'COMMITMENT_DATES_INVALID',
      400,
      'The end date is before the start date',
      field('body.endDate', 'must not be before startDate'),
    ),
  mandateRequired: () =>
    new AppError(
      'MANDATE_REQUIRED',
      400,
      'A SEPA direct debit commitment needs a mandate',
      field('body.mandate', 'required when method is sepa_direct_debit'),
    ),
  mandateNotAllowed: () =>
    new AppError(
      'MANDATE_NOT_ALLOWED',
      400,
      'Only a SEPA direct debit commitment has a mandate',
      field('body.mandate', 'only with method sepa_direct_debit'),
    ),
  ibanInvalid: (reason: string, message: string) =>
    new AppError('IBAN_INVALID', 400, `The IBAN is invalid (${reason}): ${message}`, [
      { field: 'body.mandate.iban', message: `${reason}: ${message}` },
    ]),
  mandateReferenceInvalid: (reason: string, message: string) =>
    new AppError(
      'MANDATE_REFERENCE_INVALID',
      400,
      `The mandate reference is invalid (${reason}): ${message}`,
      [{ field: 'body.mandate.reference', message: `${reason}: ${message}` }],
    ),
  mandateReferenceTaken: (reference: string) =>
    new AppError(
      'MANDATE_REFERENCE_TAKEN',
      409,
      `The mandate reference ${reference} is already used for this creditor`,
      field('body.mandate.reference', 'already used for this creditor'),
    ),
  creditorIdMissing: () =>
    new AppError(
      'CREDITOR_ID_MISSING',
      400,
      'No SEPA creditor identifier: set it in the CRM settings or send mandate.creditorId',
      field('body.mandate.creditorId', 'required when the organization has none configured'),
    ),
  creditorIdInvalid: (reason: string, message: string) =>
    new AppError('CREDITOR_ID_INVALID', 400, `The creditor identifier is invalid (${reason}): ${message}`, [
      { field: 'body.mandate.creditorId', message: `${reason}: ${message}` },
    ]),
  bankDataAccessRequired: () =>
    new AppError(
      'BANK_DATA_ACCESS_REQUIRED',
      403,
      'Seeing a full IBAN needs the bank-data permission; an admin can grant it',
    ),
  giftExternalIdTaken: () =>
    new AppError(
      'GIFT_EXTERNAL_ID_TAKEN',
      409,
      'Another gift of this organization has this external id',
      field('body.externalId', 'already used'),
    ),
  giftCommitmentInvalid: () =>
    new AppError(
      'GIFT_COMMITMENT_INVALID',
      400,
      'The linked commitment does not exist or belongs to another supporter',
      field('body.commitmentId', 'not a commitment of this supporter'),
    ),
  returnCodeUnknown: (code: string) =>
    new AppError(
      'RETURN_CODE_UNKNOWN',
      400,
      `${code} is not a known SEPA return reason code`,
      field('body.returnCode', 'unknown SEPA return reason code'),
    ),
  returnCodeNotAllowed: () =>
    new AppError(
      'RETURN_CODE_NOT_ALLOWED',
      400,
      'A collected gift has no return reason code',
      field('body.returnCode', 'only for failed or refunded gifts'),
    ),
  returnCodeRequired: () =>
    new AppError(
      'RETURN_CODE_REQUIRED',
      400,
      'A failed SEPA direct debit needs its return reason code',
      field('body.returnCode', 'required for a failed sepa_direct_debit gift'),
    ),
  yearInFuture: (year: number) =>
    new AppError(
      'YEAR_IN_FUTURE',
      400,
      `${year} has not started yet`,
      field('querystring.year', 'in the future'),
    ),
  cursorInvalid: () =>
    new AppError(
      'CURSOR_INVALID',
      400,
      'The cursor is not one this list gave',
      field('querystring.cursor', 'invalid'),
    ),
  dateRangeInvalid: () =>
    new AppError(
      'DATE_RANGE_INVALID',
      400,
      '`from` is after `to`',
      field('querystring.from', 'must not be after to'),
    ),
};

/** A unique-constraint violation (SQLSTATE 23505) on the named index or constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (e?.code !== '23505') return false;
  return e.constraint === constraint || (typeof e.message === 'string' && e.message.includes(constraint));
}
