import { AppError, type ProblemField } from '../../http/errors.ts';

export const supporterErrors = {
  notFound: () => new AppError('SUPPORTER_NOT_FOUND', 404, 'No such supporter in this organization'),
  invalid: (fields: ProblemField[]) =>
    new AppError(
      'SUPPORTER_INVALID',
      400,
      fields.length === 1 && fields[0]
        ? `${fields[0].field}: ${fields[0].message}`
        : `${fields.length} fields are invalid`,
      fields,
    ),
  versionRequired: () =>
    new AppError('VERSION_REQUIRED', 400, 'Send the version you read, as "version" in the body or If-Match', [
      { field: 'body.version', message: 'is required (or the If-Match header)' },
    ]),
  versionConflict: (current: number, sent: number) =>
    new AppError(
      'VERSION_CONFLICT',
      409,
      `The supporter changed since you read it (version ${sent}, now ${current}): read it again and retry`,
    ),
  merged: (into: string) =>
    new AppError(
      'SUPPORTER_MERGED',
      409,
      `The supporter was merged into ${into}: change that record instead`,
    ),
  externalIdTaken: (field: string, system: string, externalId: string, supporterId: string) =>
    new AppError(
      'EXTERNAL_ID_TAKEN',
      409,
      `The ${system} id "${externalId}" already belongs to supporter ${supporterId}`,
      [{ field, message: `already belongs to supporter ${supporterId}` }],
    ),
  externalIdRace: () =>
    new AppError('EXTERNAL_ID_TAKEN', 409, 'One of the external ids was just given to another supporter', [
      { field: 'body.externalIds', message: 'already belongs to another supporter' },
    ]),
  cursorInvalid: () =>
    new AppError('CURSOR_INVALID', 400, 'The cursor is not one this API returned', [
      { field: 'querystring.cursor', message: 'is not a cursor from a previous page' },
    ]),
  customFieldNotFound: () =>
    new AppError('CUSTOM_FIELD_NOT_FOUND', 404, 'No such custom field in this organization'),
  customFieldTaken: (key: string) =>
    new AppError('CUSTOM_FIELD_TAKEN', 409, `A custom field "${key}" already exists`, [
      { field: 'body.key', message: 'is already defined' },
    ]),
  customFieldInUse: (key: string, count: number) =>
    new AppError(
      'CUSTOM_FIELD_IN_USE',
      409,
      `${count} supporter(s) have a value for "${key}": clear those values before deleting the field`,
    ),
  phoneInvalid: (field: string, message: string) =>
    new AppError('PHONE_INVALID', 400, `Invalid phone number: ${message}`, [{ field, message }]),
  dncEntryNotFound: () =>
    new AppError('DNC_ENTRY_NOT_FOUND', 404, "The number is not on the organization's do-not-call list"),
  creditorIdInvalid: (message: string) =>
    new AppError('CREDITOR_ID_INVALID', 400, `Invalid SEPA creditor identifier: ${message}`, [
      { field: 'body.creditorId', message },
    ]),
};

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
