import { AppError } from '../../http/errors.ts';

export const apiKeyErrors = {
  notFound: () => new AppError('API_KEY_NOT_FOUND', 404, 'No such API key in this organization'),
};
