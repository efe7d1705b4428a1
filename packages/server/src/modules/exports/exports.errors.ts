// Error codes of the exports module.
import { AppError } from '../../http/errors.ts';

export const exportErrors = {
  filterNotApplicable: (parameter: string, list: string) =>
    new AppError('EXPORT_FILTER_NOT_APPLICABLE', 400, `${parameter} does not apply to the ${list} export`, [
      { field: `querystring.${parameter}`, message: `not a filter of the ${list} export` },
    ]),
  valueInvalid: (parameter: string, message: string) =>
    new AppError('EXPORT_FILTER_INVALID', 400, `${parameter} ${message}`, [
      { field: `querystring.${parameter}`, message },
    ]),
  segmentRequired: () =>
    new AppError('EXPORT_SEGMENT_REQUIRED', 400, 'Say which segment: lybunt, sybunt, lapsed or deep_lapsed', [
      { field: 'querystring.segment', message: 'required for the segment export' },
    ]),
  revealNotApplicable: (list: string) =>
    new AppError(
      'EXPORT_REVEAL_NOT_APPLICABLE',
      400,
      `reveal=iban applies to the commitments export; the ${list} export has no IBAN`,
      [{ field: 'querystring.reveal', message: 'only for the commitments export' }],
    ),
};
