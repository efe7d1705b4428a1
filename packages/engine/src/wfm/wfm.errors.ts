// Errors of the workforce mathematics (Erlang, staffing, forecasting, dimensioning).
// One class with a code, like the other engine modules, so the CLI and the HTTP
// API can map it once (WFM_INVALID_INPUT -> 400 with the failing fields).

export type WfmErrorCode =
  /** An option is missing, of the wrong type or outside its meaningful range. */
  | 'WFM_INVALID_INPUT'
  /** A forecast history has too little usable data for the requested method. */
  | 'WFM_INSUFFICIENT_HISTORY'
  /** No staffing level up to `maxAgents` meets the targets. */
  | 'WFM_NO_SOLUTION';

export type WfmIssue = {
  /** Path of the failing field, e.g. `patienceSeconds` or `cycles[2].reachRate`. */
  field: string;
  message: string;
  /** Line of a CSV file, when the issue comes from one (1-based, header = 1). */
  line?: number;
};

export class WfmError extends Error {
  readonly code: WfmErrorCode;
  readonly issues: WfmIssue[];

  constructor(code: WfmErrorCode, issues: WfmIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? `${first.field}: ${first.message}${more}` : code);
    this.name = 'WfmError';
    this.code = code;
    this.issues = issues;
  }
}

/** Collects issues while checking an options object; `throwIfAny` raises one WfmError naming them all. */
export class IssueList {
  readonly issues: WfmIssue[] = [];

  add(field: string, message: string, line?: number): void {
    this.issues.push(line === undefined ? { field, message } : { field, message, line });
  }

  throwIfAny(code: WfmErrorCode = 'WFM_INVALID_INPUT'): void {
    if (this.issues.length > 0) throw new WfmError(code, this.issues);
  }
}

export function invalid(field: string, message: string): WfmError {
  return new WfmError('WFM_INVALID_INPUT', [{ field, message }]);
}

// Small checks shared by every entry point. Each returns the value when valid and
// records an issue (returning NaN/undefined) otherwise, so one call reports every
// failing field at once.

export function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return typeof value;
}

export function checkNumber(
  issues: IssueList,
  field: string,
  value: unknown,
  rule: {
    min?: number;
    max?: number;
    minExclusive?: boolean;
    maxExclusive?: boolean;
    integer?: boolean;
    allowInfinity?: boolean;
  },
): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    issues.add(field, `must be a number, got ${describe(value)}`);
    return Number.NaN;
  }
  if (!Number.isFinite(value) && !(rule.allowInfinity && value === Number.POSITIVE_INFINITY)) {
    issues.add(field, `must be finite, got ${value}`);
    return Number.NaN;
  }
  if (rule.integer && !Number.isInteger(value) && Number.isFinite(value)) {
    issues.add(field, `must be a whole number, got ${value}`);
    return Number.NaN;
  }
  if (rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min)) {
    issues.add(field, `must be ${rule.minExclusive ? 'greater than' : 'at least'} ${rule.min}, got ${value}`);
    return Number.NaN;
  }
  if (rule.max !== undefined && (rule.maxExclusive ? value >= rule.max : value > rule.max)) {
    issues.add(field, `must be ${rule.maxExclusive ? 'less than' : 'at most'} ${rule.max}, got ${value}`);
    return Number.NaN;
  }
  return value;
}

export function checkObject(
  issues: IssueList,
  field: string,
  value: unknown,
): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.add(field, `must be an object, got ${Array.isArray(value) ? 'an array' : describe(value)}`);
    return false;
  }
  return true;
}
