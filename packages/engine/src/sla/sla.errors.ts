// Errors of contract validation and evaluation, shaped like the other engine
// errors: a code and every failing field (SLA_INVALID_CONTRACT → 400 with fields).

export type SlaErrorCode =
  /** The contract breaks a rule: allocations over 100 %, a minimum past the target, an unknown KPI… */
  | 'SLA_INVALID_CONTRACT'
  /** The evaluation's other inputs are malformed (month, invoice amount). */
  | 'SLA_INVALID_INPUT';

export type SlaIssue = { field: string; message: string };

export class SlaError extends Error {
  readonly code: SlaErrorCode;
  readonly issues: SlaIssue[];

  constructor(code: SlaErrorCode, issues: SlaIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? `${first.field}: ${first.message}${more}` : code);
    this.name = 'SlaError';
    this.code = code;
    this.issues = issues;
  }
}
