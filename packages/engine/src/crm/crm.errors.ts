// Errors of the CRM helpers. The validators (IBAN, fiscal code, phone, e-mail,
// dates, amounts) return `{ ok: false, reason }` instead of throwing, because an
// import reports every bad row rather than stopping at the first; only entry
// points given a whole data set (donor metrics) throw, once, naming every
// failing field, like the other engine modules (CRM_INVALID_INPUT -> 400).

export type CrmErrorCode =
  /** An option or a record is missing, of the wrong type or outside its range. */
  'CRM_INVALID_INPUT';

export type CrmIssue = {
  /** Path of the failing field, e.g. `gifts[3].date` or `referenceDate`. */
  field: string;
  message: string;
};

export class CrmError extends Error {
  readonly code: CrmErrorCode;
  readonly issues: CrmIssue[];

  constructor(code: CrmErrorCode, issues: CrmIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? `${first.field}: ${first.message}${more}` : code);
    this.name = 'CrmError';
    this.code = code;
    this.issues = issues;
  }
}
