// The live runtime's refusals as problem details (http/errors.ts).
import { AppError } from '../../http/errors.ts';
import { LiveRuntimeError } from '../../live/runtime.errors.ts';

const STATUS: Record<LiveRuntimeError['code'], number> = {
  LIVE_NOT_RUNNING: 503,
  LIVE_NOT_AN_OPERATOR: 403,
  LIVE_INTERACTION_NOT_FOUND: 404,
  LIVE_OFFER_GONE: 409,
  LIVE_INVALID_STATE: 409,
  LIVE_DISPOSITION_UNKNOWN: 400,
  LIVE_TRANSFER_TARGET_UNKNOWN: 404,
  LIVE_OPERATOR_UNAVAILABLE: 409,
  LIVE_QUEUE_NOT_FOUND: 404,
  LIVE_CAMPAIGN_NOT_FOUND: 404,
  LIVE_CAMPAIGN_QUEUE_SHARED: 409,
};

/** Runs `work`, answering the runtime's own errors with their status; anything else propagates. */
export async function live<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof LiveRuntimeError)) throw error;
    const fields =
      error.code === 'LIVE_DISPOSITION_UNKNOWN'
        ? [{ field: 'body.code', message: error.message }]
        : undefined;
    throw new AppError(error.code, STATUS[error.code], error.message, fields);
  }
}

/** Refusals of the screen pop's supporter 360. */
export const operatorErrors = {
  notYourContact: () =>
    new AppError('LIVE_INTERACTION_NOT_FOUND', 404, 'This is not the contact you are on or wrapping up'),
  notOnScreenPop: () =>
    new AppError(
      'OPERATOR_SUPPORTER_NOT_ON_SCREEN_POP',
      404,
      'This supporter is not one of the screen pop’s matches for this contact',
      [{ field: 'querystring.supporterId', message: 'not a match of the caller' }],
    ),
  callerUnknown: () =>
    new AppError(
      'OPERATOR_CALLER_UNKNOWN',
      404,
      'The caller matches no supporter: search the CRM for them instead',
    ),
  chooseSupporter: (matches: number) =>
    new AppError(
      'OPERATOR_SUPPORTER_AMBIGUOUS',
      409,
      `The caller's number matches ${matches} supporters: choose one with supporterId`,
      [{ field: 'querystring.supporterId', message: `required: ${matches} matches` }],
    ),
};
