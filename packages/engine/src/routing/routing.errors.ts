// Error codes of the routing engine. The server maps them to HTTP problems; the
// simulator treats ROUTING_OFFER_GONE as the normal race of a late accept.

export type RoutingErrorCode =
  /** A queue's skill expression does not parse; the issue has the column. */
  | 'ROUTING_INVALID_EXPRESSION'
  /** A queue, agent or router option is malformed; the message names the field. */
  | 'ROUTING_INVALID_CONFIG'
  | 'ROUTING_DUPLICATE_ID'
  | 'ROUTING_UNKNOWN_QUEUE'
  | 'ROUTING_UNKNOWN_AGENT'
  | 'ROUTING_UNKNOWN_TASK'
  /** The offer was already accepted elsewhere, timed out, rescinded or never made. */
  | 'ROUTING_OFFER_GONE'
  /** The operation does not fit the task's or agent's current state. */
  | 'ROUTING_INVALID_TRANSITION'
  /** `now` is earlier than a time the router has already processed. */
  | 'ROUTING_TIME_WENT_BACKWARDS';

/** What failed, like the other engine errors' issues (one per call here). */
export type RoutingIssue = {
  /** The option or argument at fault, e.g. `queues.care.skills` or `taskId`; empty if none applies. */
  field: string;
  message: string;
  /** For expressions: the source text and the 1-based column of the problem. */
  expression?: string;
  column?: number;
};

export class RoutingError extends Error {
  readonly code: RoutingErrorCode;
  readonly issues: RoutingIssue[];

  constructor(code: RoutingErrorCode, message: string, issue: Partial<RoutingIssue> = {}) {
    super(message);
    this.name = 'RoutingError';
    this.code = code;
    this.issues = [{ field: '', ...issue, message }];
  }
}
