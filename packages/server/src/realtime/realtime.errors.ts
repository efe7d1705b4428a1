import { AppError } from '../http/errors.ts';

export const realtimeErrors = {
  originNotAllowed: () =>
    new AppError(
      'STREAM_ORIGIN_NOT_ALLOWED',
      403,
      'A cookie-authenticated stream must be opened by a page of this server (the Origin header names another host)',
    ),
  typesInvalid: (invalid: readonly string[]) =>
    new AppError('VALIDATION_FAILED', 400, 'The request does not match the schema', [
      {
        field: 'querystring.types',
        message: `not an event type or prefix (e.g. interaction.*): ${invalid.join(', ')}`,
      },
    ]),
  orgsInvalid: (invalid: readonly string[]) =>
    new AppError('VALIDATION_FAILED', 400, 'The request does not match the schema', [
      { field: 'querystring.orgs', message: `not organization ids: ${invalid.join(', ')}` },
    ]),
};

/**
 * Close codes after the connection is open. 4000–4999 are for applications
 * (RFC 6455 §7.4.2); 1001 and 1013 are the registered "going away" and "try again later".
 */
export const CLOSE_CODES = {
  /** The server is stopping: reconnect (with `after`) to another node or later. */
  goingAway: 1001,
  /** The client did not read fast enough: reconnect with `after` to resume. */
  slowConsumer: 1013,
  /** The session ended or the key was revoked while the stream was open: sign in again. */
  credentialsEnded: 4401,
} as const;
