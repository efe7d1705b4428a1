// A call as the live runtime tracks it (runtime.ts): one per inbound call, dialed
// contact, preview contact or callback task, from its arrival to its close. Shared by
// the runtime's sections (runtime-*.ts).
import type { InteractionEndCause, InteractionOutcome } from '../db/schema.ts';
import type { CallId, DialFailure, HangupSide } from '../gateways/gateway.ts';
import type { IvrFlowDefinition } from '../modules/contact-center/ivr-flow.ts';
import type { RuntimeQueue } from '../modules/contact-center/runtime-config.service.ts';
import type { CallerMatch } from '../modules/supporters/caller-id.service.ts';
import type { CycleOutcomeDetails } from '../modules/supporters/disposition-details.ts';
import type { QueueCallbackRow } from './callbacks.store.ts';
import type { TimerId } from './clock.ts';
import type { OutboundAttempt } from './dialer.ts';

export type Phase = 'ivr' | 'queued' | 'offered' | 'accepted' | 'connected' | 'wrap_up' | 'closed';

export type Disposition = { code: string; notes: string; successful: boolean; effect: string };
/** What the close applies: the disposition and, for a giving effect, its checked details (bank data: never shown). */
export type RecordedDisposition = Disposition & {
  details: CycleOutcomeDetails | null;
  /** The supporter the operator chose among several screen-pop matches; recorded on the interaction. */
  supporterId: string | null;
};

/** An outbound call a person answered, while the runtime routes it. */
export type OutboundLeg = {
  attempt: OutboundAttempt;
  /** A preview contact: offered before the dial, dialed on the operator's accept. */
  preview: boolean;
  /** Fires at the 2 s connect allowance (DOMAIN.md §4): not bridged by then = dropped. */
  dropTimer: TimerId | null;
  dropped: boolean;
};

/** A callback of a queue the runtime knows: waiting for its time, in the router, or being dialed. */
export type QueueCallback = QueueCallbackRow & {
  /** Fires when it is due (enters the router). */
  timer: TimerId | null;
  /** Its routing task while in the router or dialed. */
  call: Call | null;
};

export type Call = {
  /** '' for a callback task not dialed yet (the operator's accept dials it). */
  callId: CallId;
  direction: 'inbound' | 'outbound';
  outbound: OutboundLeg | null;
  /** A callback task: the supporter is dialed when an operator accepts it. */
  callback: QueueCallback | null;
  /** Why the far end of a dialed callback or preview contact never answered (or a machine did). */
  dialFailure: DialFailure | 'machine' | null;
  /** What the caller asked for in the IVR (a callback, a voicemail): the interaction's outcome. */
  requested: 'callback_requested' | 'voicemail' | null;
  /** When the call arrived (the caller's wait began). */
  arrivedAt: number;
  /** A voicemail being recorded: its recording, start and maximum-length timer. */
  voicemail: { recordingId: string; startedAt: number; timer: TimerId | null } | null;
  /** Written to the interaction's notes at its close (a voicemail's recording). */
  note: string | null;
  /** The transfer chain, as stored in `interactions.transfers`. */
  transfers: Record<string, unknown>[];
  /** Bridged to an operator once: the next operator takes it with a gateway transfer. */
  bridgedOnce: boolean;
  /** The interaction row; also the first routing task's id and offer's id. */
  interactionId: string;
  /** The routing task (and offer) now: a new one after a transfer, while the first operator wraps up the old. */
  taskId: string;
  orgId: string;
  number: string;
  callerId: string | null;
  screenPop: CallerMatch[];
  flow: IvrFlowDefinition | null;
  phase: Phase;
  node: string | null;
  menuTries: number;
  queue: RuntimeQueue | null;
  inRouter: boolean;
  operatorId: string | null;
  /** How the platform itself ended the call (a closed message, a maximum wait), when it did. */
  closing: { outcome: InteractionOutcome; endCause: InteractionEndCause } | null;
  holdStartedAt: number | null;
  holdMs: number;
  disposition: RecordedDisposition | null;
  wrapEndedAt: number | null;
  offeredAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  endedBy: HangupSide | null;
};

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The fields every new call sets itself; the rest start empty (see `newCall`). */
export type NewCall = Pick<
  Call,
  | 'callId'
  | 'direction'
  | 'interactionId'
  | 'taskId'
  | 'orgId'
  | 'number'
  | 'callerId'
  | 'phase'
  | 'arrivedAt'
> &
  Partial<Call>;

/** A call as it starts: nothing routed, held, recorded or ended yet. */
export function newCall(fields: NewCall): Call {
  return {
    outbound: null,
    callback: null,
    dialFailure: null,
    requested: null,
    voicemail: null,
    note: null,
    transfers: [],
    bridgedOnce: false,
    screenPop: [],
    flow: null,
    node: null,
    menuTries: 0,
    queue: null,
    inRouter: false,
    operatorId: null,
    closing: null,
    holdStartedAt: null,
    holdMs: 0,
    disposition: null,
    wrapEndedAt: null,
    offeredAt: null,
    answeredAt: null,
    endedAt: null,
    endedBy: null,
    ...fields,
  };
}
