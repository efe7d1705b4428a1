// The operator side of the live center, as the runtime sees it: one contract
// for a person in the web app (the seat is their WebSocket) and for a
// simulated operator (simulated/simulated-operators.ts).
//
// The runtime calls the seat (`OperatorSeat`) to tell an operator what happens
// to them; the operator answers through `OperatorActions`, which the runtime
// executes (routing, gateway commands, interaction records). Offers are the
// routing engine's task offers (engine/routing: `task.offered`, `accept`,
// `reject`, `task.offer_rescinded`, `complete`, `endWrapUp`).
import type { CallDirection, CallId, HangupSide } from './gateway.ts';

/** Mirrors engine/routing's RoutingAgentPresence. */
export type OperatorPresence = 'available' | 'not_ready' | 'offline';

export type OperatorOffer = {
  /** The routing task offered (one per contact). */
  offerId: string;
  /** The customer's call; null for a task without a call yet (a callback the runtime dials on accept). */
  callId: CallId | null;
  direction: CallDirection;
  orgId: string;
  queueId: string;
  campaignId: string | null;
  /** Contact cycle of an outbound campaign (`welcome`, `upgrade`…), null inbound. */
  cycleType: string | null;
  /** Disposition codes the operator may record for this contact. */
  dispositions: readonly string[];
  at: number;
  /** Unanswered by then, the offer times out (a missed offer). */
  expiresAt: number;
  /**
   * The platform accepts it at once: a person the dialer reached must hear an
   * operator within 2 s (DOMAIN.md §4), so dialer connects are put through
   * like an auto-answer headset; `connected` follows without an accept.
   */
  autoAccepted?: boolean;
  /** A callback of the queue: the runtime dials the supporter when the operator accepts (`callId` null until then). */
  callbackId?: string;
  /** What the callback is about (a voicemail: `voicemail <recordingId>, N s`). */
  callbackNotes?: string;
};

export type OfferWithdrawnReason =
  | 'timed_out'
  | 'accepted_elsewhere'
  | 'task_abandoned'
  | 'agent_unavailable'
  /** An accepted callback or preview contact the runtime dialed did not answer (busy, no answer, failure). */
  | 'dial_failed'
  /** This operator transferred the call: their wrap-up starts, the next operator records the outcome. */
  | 'transferred';

/**
 * What the runtime tells one operator. Each method only notifies: it must not
 * throw or block. A seat may call `OperatorActions` from inside a notification
 * (a simulated operator starts a break the moment an offer is withdrawn), so
 * the runtime settles its own state before it notifies.
 */
export type OperatorSeat = {
  readonly operatorId: string;
  /** A contact rings at this operator: accept or reject before `expiresAt`. */
  offer(offer: OperatorOffer): void;
  /** The offer is gone (timed out, taken by another operator, the customer hung up). */
  offerWithdrawn(notice: { offerId: string; reason: OfferWithdrawnReason; at: number }): void;
  /** The customer is connected: the conversation begins. */
  connected(notice: { offerId: string; callId: CallId; at: number }): void;
  /** The call ended (either side): wrap-up begins, a disposition is due. */
  callEnded(notice: { offerId: string; callId: CallId; endedBy: HangupSide; at: number }): void;
  /** The presence changed: after the operator's own `setPresence`, or forced by a supervisor. */
  presenceChanged(notice: {
    presence: OperatorPresence;
    reason: string | null;
    forced: boolean;
    at: number;
  }): void;
};

/** What an operator does; the runtime executes it and rejects what the state does not allow. */
export type OperatorActions = {
  accept(options: { operatorId: string; offerId: string }): Promise<void>;
  reject(options: { operatorId: string; offerId: string }): Promise<void>;
  hold(options: { operatorId: string; callId: CallId }): Promise<void>;
  unhold(options: { operatorId: string; callId: CallId }): Promise<void>;
  hangUp(options: { operatorId: string; callId: CallId }): Promise<void>;
  /** Records the outcome of the contact (applied to the CRM when the interaction closes). */
  submitDisposition(options: {
    operatorId: string;
    offerId: string;
    code: string;
    notes?: string;
    /** Code-specific fields (new amount of an upgrade, call-back time…). */
    details?: Readonly<Record<string, unknown>>;
  }): Promise<void>;
  /**
   * Blind transfer of a connected call: to a queue (routed again there) or to
   * one available colleague of the call's organization. The caller waits on
   * hold; this operator's wrap-up starts at once.
   */
  transfer(options: {
    operatorId: string;
    callId: CallId;
    to: { queueId: string } | { operatorId: string };
  }): Promise<void>;
  /** After-contact work done: ready for the next contact. */
  endWrapUp(options: { operatorId: string; offerId: string }): Promise<void>;
  /** Log in (`available`), pause with a reason (`not_ready`), log out (`offline`). */
  setPresence(options: { operatorId: string; presence: OperatorPresence; reason?: string }): Promise<void>;
};
