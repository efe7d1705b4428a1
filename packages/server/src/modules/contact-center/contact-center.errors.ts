// Error codes of the contact-center configuration, mapped to problem details
// by http/errors.ts.
import { AppError, type ProblemField } from '../../http/errors.ts';

const summary = (fields: ProblemField[]) =>
  fields.length === 1 && fields[0]
    ? `${fields[0].field}: ${fields[0].message}`
    : `${fields.length} fields are invalid`;

const invalid = (code: string) => (fields: ProblemField[]) =>
  new AppError(code, 400, summary(fields), fields);

export const contactCenterErrors = {
  queueNotFound: () => new AppError('QUEUE_NOT_FOUND', 404, 'No such queue in this organization'),
  queueInvalid: invalid('QUEUE_INVALID'),
  queueKeyTaken: (key: string) =>
    new AppError('QUEUE_KEY_TAKEN', 409, `The organization already has a queue "${key}"`, [
      { field: 'body.key', message: 'is already used' },
    ]),
  queueInUse: (key: string, by: string) =>
    new AppError('QUEUE_IN_USE', 409, `Queue "${key}" is used by ${by}: change that first`),

  skillNotFound: () => new AppError('SKILL_NOT_FOUND', 404, 'No such skill'),
  skillKeyTaken: (key: string) =>
    new AppError('SKILL_KEY_TAKEN', 409, `A skill "${key}" already exists in the center`, [
      { field: 'body.key', message: 'is already used (skill keys are unique across the center)' },
    ]),
  skillInUse: (key: string) =>
    new AppError(
      'SKILL_IN_USE',
      409,
      `Operators have the skill "${key}": remove it from them before deleting it`,
    ),

  numberInvalid: (field: string, message: string) =>
    new AppError('NUMBER_INVALID', 400, `Invalid number: ${message}`, [{ field, message }]),
  numberNotFound: () => new AppError('NUMBER_NOT_FOUND', 404, 'No such number in this organization'),
  numberTaken: (e164: string) =>
    new AppError('NUMBER_TAKEN', 409, `The number ${e164} is already configured in the center`, [
      { field: 'body.e164', message: 'is already configured' },
    ]),

  ivrFlowNotFound: (field?: string) =>
    new AppError(
      'IVR_FLOW_NOT_FOUND',
      field ? 400 : 404,
      'No such IVR flow in this organization',
      field ? [{ field, message: 'is not an IVR flow of this organization' }] : undefined,
    ),
  ivrFlowInvalid: invalid('IVR_FLOW_INVALID'),
  ivrFlowInUse: (numbers: string[]) =>
    new AppError(
      'IVR_FLOW_IN_USE',
      409,
      `The flow answers ${numbers.join(', ')}: point those numbers elsewhere first`,
    ),

  callingWindowNotFound: () =>
    new AppError('CALLING_WINDOW_NOT_FOUND', 404, 'No such calling window in this organization'),
  callingWindowInvalid: invalid('CALLING_WINDOW_INVALID'),
  callingWindowInUse: () =>
    new AppError(
      'CALLING_WINDOW_IN_USE',
      409,
      'A campaign uses this calling window: change the campaign first',
    ),

  dispositionNotFound: () =>
    new AppError('DISPOSITION_NOT_FOUND', 404, 'No such disposition in this organization'),
  dispositionBuiltIn: () =>
    new AppError(
      'DISPOSITION_BUILT_IN',
      409,
      'Built-in dispositions are the same for everyone and cannot be changed',
    ),
  dispositionCodeTaken: (code: string) =>
    new AppError(
      'DISPOSITION_CODE_TAKEN',
      409,
      `A disposition "${code}" already exists (built in or custom)`,
      [{ field: 'body.code', message: 'is already used' }],
    ),

  operatorNotFound: () =>
    new AppError('OPERATOR_NOT_FOUND', 404, 'No such staff account (client viewers have no routing profile)'),
  operatorSkillsInvalid: invalid('OPERATOR_SKILLS_INVALID'),
};

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23503';
}
