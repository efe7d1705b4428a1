// Error codes of campaigns, mapped to problem details by http/errors.ts.
import { AppError } from '../../http/errors.ts';

export const campaignErrors = {
  notFound: () => new AppError('CAMPAIGN_NOT_FOUND', 404, 'No such campaign in this organization'),
  queueInvalid: (message: string) =>
    new AppError('CAMPAIGN_INVALID', 400, `body.queueId: ${message}`, [{ field: 'body.queueId', message }]),
  callingWindowInvalid: () =>
    new AppError(
      'CAMPAIGN_INVALID',
      400,
      'body.callingWindowId: is not a calling window of this organization',
      [{ field: 'body.callingWindowId', message: 'is not a calling window of this organization' }],
    ),
  /** One entry per unknown field and per malformed placeholder, so an integrator fixes them all at once. */
  scriptInvalid: (problems: string[]) =>
    new AppError(
      'CAMPAIGN_SCRIPT_INVALID',
      400,
      `body.script: ${problems.join('; ')}`,
      problems.map((message) => ({ field: 'body.script', message })),
    ),
  contactNotFound: () =>
    new AppError('CAMPAIGN_CONTACT_NOT_FOUND', 404, 'No such contact in the call lists of this organization'),
  cursorInvalid: () =>
    new AppError('CURSOR_INVALID', 400, 'query.cursor: is not a cursor this list gave out', [
      { field: 'query.cursor', message: 'is not a cursor this list gave out' },
    ]),
  inUse: () =>
    new AppError(
      'CAMPAIGN_IN_USE',
      409,
      'The campaign has interactions or callbacks: set its status to completed instead of deleting it',
    ),
};
