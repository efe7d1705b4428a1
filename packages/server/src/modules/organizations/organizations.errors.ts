import { AppError } from '../../http/errors.ts';

export const organizationErrors = {
  notFound: () => new AppError('ORGANIZATION_NOT_FOUND', 404, 'No such organization'),
  slugTaken: (slug: string) =>
    new AppError('ORGANIZATION_SLUG_TAKEN', 409, `The slug "${slug}" is already in use`),
  timeZoneInvalid: (timeZone: string) =>
    new AppError('TIME_ZONE_INVALID', 400, `Unknown time zone "${timeZone}"`, [
      { field: 'body.timeZone', message: 'must be an IANA time zone such as Europe/Rome' },
    ]),
};
