// The telephony gateway: how the live center talks to whatever carries the
// calls (ARCHITECTURE.md §6). Centralino is not a PBX: the gateway reports what
// happens on calls (events in) and executes what the runtime decides (commands
// out). Adapters: `simulated/` (built in) and, later, Asterisk through ARI.
//
// Names follow ARI where a concept maps one to one, so an ARI adapter is a thin
// translation: a call is an ARI channel (`callId` = channel id); `offered` is
// StasisStart on a channel in state Ring; `answer` is POST /channels/{id}/answer;
// `bridge` creates a mixing bridge with the customer's channel and a channel
// originated to the operator's endpoint; `dtmf` is ChannelDtmfReceived; `hold`
// is POST /channels/{id}/hold (music on hold); `playPrompt` is a Playback
// (`prompt.ended` = PlaybackFinished); `startRecording` a LiveRecording;
// `hangUp` is DELETE /channels/{id}?reason_code=…; `hangup` is ChannelDestroyed
// with its Q.850 cause. `gatherDigits` has no ARI call of its own: the adapter
// collects ChannelDtmfReceived events up to the limit or the timeout, as
// Asterisk's Read() application does. Answering-machine detection comes from
// Asterisk's AMD() (AMDSTATUS HUMAN/MACHINE) run on the originated channel.
//
// Rules every adapter keeps:
// - Events are delivered to subscribers in time order, with `at`
//   as epoch milliseconds of the live clock; never from inside a command call
//   (a listener can always rely on a command having returned first).
// - Every call ends with exactly one `call.hangup` event, whichever side ended it.
// - Commands resolve once the gateway has accepted them, and reject with a
//   `GatewayError` (typed code) on an unknown or ended call or a command the
//   call's state does not allow.

/** The gateway's id of one call leg with the customer (an ARI channel id). */
export type CallId = string;
/** Where an operator takes calls: a SIP/WebRTC endpoint for a PBX, `operator:<userId>` in the simulator. */
export type OperatorEndpoint = string;
/** A recorded prompt by name (`ivr/aurora-main-menu`); the adapter maps it to a sound file. */
export type PromptId = string;
export type PlaybackId = string;
export type GatherId = string;
export type RecordingId = string;

export type CallDirection = 'inbound' | 'outbound';

/** DTMF tones: the twelve keys of a phone and the four column keys (RFC 4733 events 0–15). */
export type DtmfDigit =
  | '0'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | '*'
  | '#'
  | 'A'
  | 'B'
  | 'C'
  | 'D';

/**
 * Why a call ended: the ITU-T Q.850 causes a contact center meets, in lower case
 * (Q.850 number in `HANGUP_CAUSE_Q850`; Asterisk's names are AST_CAUSE_ + upper case).
 */
export type HangupCause =
  | 'normal_clearing'
  | 'user_busy'
  | 'no_user_response'
  | 'no_answer'
  | 'call_rejected'
  | 'unallocated_number'
  | 'number_changed'
  | 'destination_out_of_order'
  | 'invalid_number_format'
  | 'normal_circuit_congestion'
  | 'network_out_of_order'
  | 'normal_temporary_failure'
  | 'normal_unspecified';

/** Q.850 cause values (ITU-T Q.850 Table 1; Asterisk "Hangup Cause Mappings"). */
export const HANGUP_CAUSE_Q850: Readonly<Record<HangupCause, number>> = {
  unallocated_number: 1,
  normal_clearing: 16,
  user_busy: 17,
  no_user_response: 18,
  no_answer: 19,
  call_rejected: 21,
  number_changed: 22,
  destination_out_of_order: 27,
  invalid_number_format: 28,
  normal_unspecified: 31,
  normal_circuit_congestion: 34,
  network_out_of_order: 38,
  normal_temporary_failure: 41,
};

/**
 * Who ended the call: `remote` the customer side (caller, callee or their
 * answering machine), `local` a `hangUp` command, `network` the carrier (busy,
 * no answer, failure), `transfer` a transfer out of the platform.
 */
export type HangupSide = 'remote' | 'local' | 'network' | 'transfer';

/** What an outbound attempt that never answered ran into. */
export type DialFailure = 'busy' | 'no_answer' | 'failed';

/** Verdict of answering-machine detection, which can be wrong. */
export type AnsweredBy = 'human' | 'machine';

export type TransferTarget =
  /** Another operator: the customer stays on the platform, bridged to the new endpoint. */
  | { kind: 'endpoint'; endpoint: OperatorEndpoint }
  /** An outside number: the call leaves the platform (it ends for us with `call.hangup`, side `transfer`). */
  | { kind: 'number'; number: string };

type CallEventBase = { callId: CallId; at: number };

export type GatewayEvent =
  /** Inbound: a call arrived on one of our numbers (`number`, E.164) and is ringing at the platform. */
  | (CallEventBase & { type: 'call.offered'; number: string; callerId: string | null })
  /** Outbound: `originate` is dialing `number`. */
  | (CallEventBase & { type: 'call.dialing'; number: string; callerId: string })
  /** Outbound: the far end is ringing. */
  | (CallEventBase & { type: 'call.ringing' })
  /** Inbound: the platform answered (after `answer`). Outbound: the far end picked up (a person or a machine). */
  | (CallEventBase & { type: 'call.answered'; direction: CallDirection })
  /** Outbound with `detectMachine`: the detector's verdict, some time after `call.answered`. */
  | (CallEventBase & { type: 'call.answered_by'; answeredBy: AnsweredBy })
  /** Outbound: the attempt ended before an answer (followed by `call.hangup`). */
  | (CallEventBase & { type: 'call.dial_failed'; reason: DialFailure; cause: HangupCause })
  | (CallEventBase & { type: 'call.dtmf'; digit: DtmfDigit })
  /** A `gatherDigits` finished: `max_digits` reached, `timeout` (no further key in time), or the call `hangup`. */
  | (CallEventBase & {
      type: 'call.gather_ended';
      gatherId: GatherId;
      digits: string;
      reason: 'max_digits' | 'timeout' | 'hangup';
    })
  | (CallEventBase & {
      type: 'call.prompt_ended';
      playbackId: PlaybackId;
      prompt: PromptId;
      reason: 'finished' | 'hangup';
    })
  /** The customer is now talking with the operator at `endpoint` (after `bridge` or an endpoint transfer). */
  | (CallEventBase & { type: 'call.bridged'; endpoint: OperatorEndpoint })
  | (CallEventBase & { type: 'call.transferred'; target: TransferTarget })
  /** The last event of every call. */
  | (CallEventBase & { type: 'call.hangup'; cause: HangupCause; endedBy: HangupSide });

export type GatewayEventType = GatewayEvent['type'];

export type GatewayListener = (event: GatewayEvent) => void;

export type OriginateOptions = {
  /** E.164 number to dial. */
  number: string;
  /** E.164 number presented to the callee (one of the organization's numbers). */
  callerId: string;
  /** Ringing time before the attempt is given up as `no_answer`. */
  timeoutMs: number;
  /** Run answering-machine detection after the answer and report `call.answered_by`. */
  detectMachine?: boolean;
};

export type TelephonyGateway = {
  /** Receives every event of every call until the returned function is called. */
  subscribe(listener: GatewayListener): () => void;

  /** Inbound: answer a call in `call.offered` (it is then up for prompts, digits and the queue). */
  answer(options: { callId: CallId }): Promise<void>;
  originate(options: OriginateOptions): Promise<{ callId: CallId }>;
  /** Connects the customer to an operator; `call.bridged` follows. */
  bridge(options: { callId: CallId; endpoint: OperatorEndpoint }): Promise<void>;
  playPrompt(options: { callId: CallId; prompt: PromptId }): Promise<{ playbackId: PlaybackId }>;
  /**
   * Collects up to `maxDigits` keys; ends `timeoutMs` after the prompt (if any)
   * or the last key with no new key. `call.dtmf` reports each key and
   * `call.gather_ended` the result.
   */
  gatherDigits(options: {
    callId: CallId;
    maxDigits: number;
    timeoutMs: number;
    prompt?: PromptId;
  }): Promise<{ gatherId: GatherId }>;
  hold(options: { callId: CallId }): Promise<void>;
  unhold(options: { callId: CallId }): Promise<void>;
  transfer(options: { callId: CallId; target: TransferTarget }): Promise<void>;
  startRecording(options: { callId: CallId }): Promise<{ recordingId: RecordingId }>;
  stopRecording(options: { callId: CallId; recordingId: RecordingId }): Promise<{ durationMs: number }>;
  /** Ends the call from our side; `call.hangup` follows with `endedBy: 'local'`. */
  hangUp(options: { callId: CallId; cause?: HangupCause }): Promise<void>;
  /** Stops producing events and releases timers and connections. */
  close(): Promise<void>;
};

export type GatewayErrorCode =
  /** No call with this id was ever known to the gateway. */
  | 'GATEWAY_CALL_NOT_FOUND'
  /** The call has ended (its `call.hangup` was emitted). */
  | 'GATEWAY_CALL_ENDED'
  /** The call exists but its state does not allow the command (e.g. hold before it is bridged). */
  | 'GATEWAY_INVALID_STATE'
  /** A command option is out of range or malformed. */
  | 'GATEWAY_INVALID_INPUT'
  /** The gateway was closed. */
  | 'GATEWAY_CLOSED';

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly callId: CallId | null;
  /** For `GATEWAY_INVALID_INPUT`: every failing field, e.g. `inbound[0].callsPerHour[3]`. */
  readonly issues: { field: string; message: string }[];

  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { callId?: CallId; issues?: { field: string; message: string }[] } = {},
  ) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
    this.callId = options.callId ?? null;
    this.issues = options.issues ?? [];
  }
}
