import { AppError } from '../../http/errors.ts';

export const userErrors = {
  notFound: () => new AppError('USER_NOT_FOUND', 404, 'No such user'),
  emailTaken: (email: string) =>
    new AppError('USER_EMAIL_TAKEN', 409, `A user with e-mail ${email} already exists`),
  passwordWeak: (problem: string) =>
    new AppError('PASSWORD_WEAK', 400, `The password ${problem}`, [
      { field: 'body.password', message: problem },
    ]),
  roleInvalid: (message: string) =>
    new AppError('USER_ROLE_INVALID', 400, message, [{ field: 'body.role', message }]),
  organizationsInvalid: (message: string) =>
    new AppError('USER_ORGANIZATIONS_INVALID', 400, message, [{ field: 'body.organizationIds', message }]),
  lastAdmin: () =>
    new AppError(
      'USER_LAST_ADMIN',
      409,
      'The center must keep at least one active admin: give another account the admin role first',
    ),
};
