import { AppError } from '../../http/errors.ts';

export const webhookErrors = {
  notFound: () => new AppError('WEBHOOK_NOT_FOUND', 404, 'No such webhook subscription in this organization'),
  deliveryNotFound: () =>
    new AppError('WEBHOOK_DELIVERY_NOT_FOUND', 404, 'No such delivery for this webhook subscription'),
  urlInvalid: (message: string) =>
    new AppError('WEBHOOK_URL_INVALID', 400, `The webhook URL is not acceptable: ${message}`, [
      { field: 'body.url', message },
    ]),
  inactive: () =>
    new AppError(
      'WEBHOOK_INACTIVE',
      409,
      'The subscription is inactive: activate it (PATCH active: true) before redelivering',
    ),
};
