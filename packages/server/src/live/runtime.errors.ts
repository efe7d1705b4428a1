// Errors of the live runtime, mapped to HTTP by the operator API.
import type { RoutingError } from '@centralino/engine';

export type LiveRuntimeErrorCode =
  | 'LIVE_NOT_RUNNING'
  | 'LIVE_NOT_AN_OPERATOR'
  | 'LIVE_INTERACTION_NOT_FOUND'
  | 'LIVE_OFFER_GONE'
  | 'LIVE_INVALID_STATE'
  | 'LIVE_DISPOSITION_UNKNOWN'
  /** A transfer to a queue or colleague this call's organization does not have. */
  | 'LIVE_TRANSFER_TARGET_UNKNOWN'
  /** A transfer to a colleague who is not available now. */
  | 'LIVE_OPERATOR_UNAVAILABLE'
  /** A queue (or an active campaign) not among the operator's organizations'. */
  | 'LIVE_QUEUE_NOT_FOUND'
  | 'LIVE_CAMPAIGN_NOT_FOUND'
  /** A campaign's queue that serves other contacts too: the operator logs in to or out of the queue. */
  | 'LIVE_CAMPAIGN_QUEUE_SHARED';

export class LiveRuntimeError extends Error {
  readonly code: LiveRuntimeErrorCode;

  constructor(code: LiveRuntimeErrorCode, message: string) {
    super(message);
    this.name = 'LiveRuntimeError';
    this.code = code;
  }

  /** The router's refusal in the runtime's words: a late accept is a gone offer, the rest a bad state. */
  static fromRouting(error: RoutingError): LiveRuntimeError {
    if (error.code === 'ROUTING_OFFER_GONE' || error.code === 'ROUTING_UNKNOWN_TASK')
      return new LiveRuntimeError('LIVE_OFFER_GONE', error.message);
    return new LiveRuntimeError('LIVE_INVALID_STATE', error.message);
  }
}
