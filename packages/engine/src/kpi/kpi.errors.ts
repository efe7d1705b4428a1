// Errors of the KPI area, shaped like the other engine errors (a code and the
// failing fields) so the CLI and the API map them once (KPI_INVALID_INPUT → 400).

export type KpiErrorCode =
  /** A setting, record or interval is malformed; each issue names the field. */
  | 'KPI_INVALID_INPUT'
  /** Rollups built with different counting settings cannot be added together. */
  | 'KPI_SETTINGS_MISMATCH';

export type KpiIssue = {
  /** Path of the failing field, e.g. `records[3].answeredAt` or `serviceLevelThresholdSeconds`. */
  field: string;
  message: string;
};

export class KpiError extends Error {
  readonly code: KpiErrorCode;
  readonly issues: KpiIssue[];

  constructor(code: KpiErrorCode, issues: KpiIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? `${first.field}: ${first.message}${more}` : code);
    this.name = 'KpiError';
    this.code = code;
    this.issues = issues;
  }
}
