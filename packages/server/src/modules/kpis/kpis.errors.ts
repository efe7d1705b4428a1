// Errors of the KPI module and their HTTP status.
import { AppError, type ProblemField } from '../../http/errors.ts';

export const kpisErrors = {
  settingsInvalid: (fields: ProblemField[]) =>
    new AppError('KPI_SETTINGS_INVALID', 400, 'The KPI settings are not valid', fields),
  periodInvalid: (detail: string) => new AppError('KPI_PERIOD_INVALID', 400, detail),
  unknownKpi: (kpi: string) => new AppError('KPI_NOT_FOUND', 404, `There is no KPI named ${kpi}`),
  cursorInvalid: () => new AppError('KPI_CURSOR_INVALID', 400, 'The cursor is not one this list gave'),
  organizationNotFound: () => new AppError('ORGANIZATION_NOT_FOUND', 404, 'No such organization'),
};
