import { AppError } from '../../http/errors.ts';

export const authErrors = {
  invalidCredentials: () => new AppError('INVALID_CREDENTIALS', 401, 'E-mail or password is wrong'),
  accountLocked: (until: Date) =>
    new AppError(
      'ACCOUNT_LOCKED',
      423,
      `Too many failed sign-ins: the account is locked until ${until.toISOString()}`,
    ),
  unauthenticated: () =>
    new AppError('UNAUTHENTICATED', 401, 'Sign in, or send an API key in the Authorization header'),
  forbidden: () => new AppError('FORBIDDEN', 403, 'Your role may not call this route'),
  csrf: () =>
    new AppError(
      'CSRF_TOKEN_INVALID',
      403,
      'Missing or wrong x-csrf-token header for a cookie-authenticated request',
    ),
  organizationNotFound: () => new AppError('ORGANIZATION_NOT_FOUND', 404, 'No such organization'),
};
