import { AppError } from '../../http/errors.ts';

export const dedupeErrors = {
  supporterNotFound: (field: string) =>
    new AppError('SUPPORTER_NOT_FOUND', 404, 'No such supporter in this organization', [
      { field, message: 'no such supporter in this organization' },
    ]),
  sameSupporter: (field: string) =>
    new AppError('MERGE_SAME_SUPPORTER', 400, 'A supporter cannot be merged into itself', [
      { field, message: 'is the same supporter' },
    ]),
  alreadyMerged: (field: string, supporterId: string, into: string) =>
    new AppError(
      'SUPPORTER_MERGED',
      409,
      `Supporter ${supporterId} was already merged into ${into}: merge with that record instead`,
      [{ field, message: `was merged into ${into}` }],
    ),
  versionConflict: (field: string, current: number, sent: number) =>
    new AppError(
      'VERSION_CONFLICT',
      409,
      `The supporter changed since you read it (version ${sent}, now ${current}): read it again and retry`,
      [{ field, message: `is ${current} now` }],
    ),
  mergeNotFound: () => new AppError('MERGE_NOT_FOUND', 404, 'No such merge in this organization'),
  alreadyUndone: (at: string) =>
    new AppError('MERGE_ALREADY_UNDONE', 409, `The merge was already undone at ${at}`),
  laterMerge: (laterId: string) =>
    new AppError(
      'MERGE_SUPERSEDED',
      409,
      `A later merge (${laterId}) involves these supporters: undo it first, then this one`,
    ),
  notMergedAnymore: () =>
    new AppError('MERGE_STATE_CHANGED', 409, 'The merged supporter no longer points to the kept one'),
  cursorInvalid: () =>
    new AppError('CURSOR_INVALID', 400, 'The cursor is not one this API returned', [
      { field: 'querystring.cursor', message: 'is not a cursor from a previous page' },
    ]),
};
