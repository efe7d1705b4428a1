// The IVR of the live runtime (runtime.ts): a call's flow run node by node (hours,
// menus, messages, callback offers, voicemail, the queue it ends in) on the
// gateway's events. A callback the caller accepts, or a voicemail, becomes a
// callback of a queue (runtime-queue-callbacks.ts) that keeps the caller's place.
import { randomUUID } from 'node:crypto';
import type { Router, RoutingEvent } from '@centralino/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';
import type { TelephonyGateway } from '../gateways/gateway.ts';
import type { IvrNode } from '../modules/contact-center/ivr-flow.ts';
import type { RuntimeQueue } from '../modules/contact-center/runtime-config.service.ts';
import { insertQueueCallback } from './callbacks.store.ts';
import type { LiveClock, TimerId } from './clock.ts';
import type { InteractionPatch } from './interactions.store.ts';
import { isOpenAt } from './ivr-hours.ts';
import type { Call, QueueCallback } from './runtime-call.ts';

/** The callback offer's wait for the caller's key (1 = call me back). */
const CALLBACK_OFFER_TIMEOUT_MS = 8000;
/** Said after an accepted callback offer when the flow names nothing after it. */
export const CALLBACK_CONFIRMED_PROMPT = 'ivr/callback-confirmed';

const FLOW_ENDED = { outcome: 'ivr_completed', endCause: 'completed' } as const;

export type IvrContext = {
  db: Database;
  clock: LiveClock;
  gateway: TelephonyGateway;
  logger: Pick<FastifyBaseLogger, 'error'>;
  /** Queues by `${orgId}/${key}`. */
  queueByKey: ReadonlyMap<string, RuntimeQueue>;
  /** The callbacks of queues the runtime knows, by id. */
  queueCallbacks: Map<string, QueueCallback>;
  /** Reads and gateway commands a call waits for (drain() waits for them). */
  reads: Set<Promise<unknown>>;
  /** The time of the gateway event being handled, if any. */
  handlingAt: () => number | null;
  route: (call: (r: Router, now: number) => RoutingEvent[]) => void;
  patch: (call: Call, values: InteractionPatch) => Promise<void>;
  write: (what: string, work: () => Promise<void>) => Promise<void>;
  gatewayFailed: (error: unknown) => void;
  endByPlatform: (call: Call, closing: NonNullable<Call['closing']>) => void;
  enqueueCallback: (callback: QueueCallback) => void;
};

export function createIvr(ctx: IvrContext) {
  const {
    db,
    clock,
    gateway,
    logger,
    queueByKey,
    queueCallbacks,
    reads,
    handlingAt,
    route,
    patch,
    write,
    gatewayFailed,
    endByPlatform,
    enqueueCallback,
  } = ctx;

  function runNode(call: Call, nodeId: string | undefined): void {
    const node: IvrNode | undefined = nodeId === undefined ? undefined : call.flow?.nodes[nodeId];
    if (!node || nodeId === undefined) {
      endByPlatform(call, FLOW_ENDED);
      return;
    }
    call.node = nodeId;
    switch (node.type) {
      case 'hours':
        runNode(call, isOpenAt(node.hours, clock.now()) ? node.open : node.closed);
        break;
      case 'menu':
        gateway
          .gatherDigits({
            callId: call.callId,
            maxDigits: 1,
            timeoutMs: node.timeoutSeconds * 1000,
            prompt: node.prompt,
          })
          .catch(gatewayFailed);
        break;
      case 'message':
        gateway.playPrompt({ callId: call.callId, prompt: node.prompt }).catch(gatewayFailed);
        break;
      case 'queue':
        toQueue(call, node.queue);
        break;
      case 'callback_offer':
        // An anonymous caller cannot be called back: the flow goes on as if declined.
        if (call.callerId === null) {
          runNode(call, node.declined);
          break;
        }
        gateway
          .gatherDigits({
            callId: call.callId,
            maxDigits: 1,
            timeoutMs: CALLBACK_OFFER_TIMEOUT_MS,
            prompt: node.prompt,
          })
          .catch(gatewayFailed);
        break;
      case 'voicemail':
        // The prompt, then the recording (call.prompt_ended).
        gateway.playPrompt({ callId: call.callId, prompt: node.prompt }).catch(gatewayFailed);
        break;
      case 'hangup':
        endByPlatform(call, FLOW_ENDED);
        break;
    }
  }

  /** A menu's gather ended: the key's node, else a replay, else its failure node or the end. */
  function menuAnswered(call: Call, digits: string): void {
    const node = call.node === null ? undefined : call.flow?.nodes[call.node];
    if (node?.type === 'callback_offer') {
      callbackAnswered(call, node, digits);
      return;
    }
    if (node?.type !== 'menu') return;
    const target = node.digits[digits];
    if (target !== undefined) {
      call.menuTries = 0;
      runNode(call, target);
    } else if (++call.menuTries <= node.retries) {
      runNode(call, call.node!);
    } else {
      call.menuTries = 0;
      if (node.onFailure !== undefined) runNode(call, node.onFailure);
      else endByPlatform(call, FLOW_ENDED);
    }
  }

  /** The caller's key at a callback offer: 1 accepts (a callback keeping the caller's place), anything else declines. */
  function callbackAnswered(
    call: Call,
    node: Extract<IvrNode, { type: 'callback_offer' }>,
    digits: string,
  ): void {
    if (digits !== '1' || !requestCallback(call, node.queue, 'callback_requested', '')) {
      runNode(call, node.declined);
      return;
    }
    if (node.accepted !== undefined) runNode(call, node.accepted);
    // "We will call you back", then the end of the call (call.prompt_ended).
    else gateway.playPrompt({ callId: call.callId, prompt: CALLBACK_CONFIRMED_PROMPT }).catch(gatewayFailed);
  }

  /**
   * A callback of `queueKey` for the caller, waiting from the call's arrival (its place in the
   * queue), written and put in the router at once; false when it cannot be (no caller id, no queue).
   */
  function requestCallback(
    call: Call,
    queueKey: string,
    requested: NonNullable<Call['requested']>,
    notes: string,
  ): boolean {
    const queue = queueByKey.get(`${call.orgId}/${queueKey}`);
    const phone = call.callerId;
    if (!queue || phone === null) {
      if (!queue) logger.error({ orgId: call.orgId, queue: queueKey }, 'IVR callback names an unknown queue');
      return false;
    }
    const now = clock.now();
    const callback: QueueCallback = {
      id: randomUUID(),
      orgId: call.orgId,
      queueId: queue.id,
      supporterId: call.screenPop.length === 1 ? call.screenPop[0]!.supporterId : null,
      phone,
      dueAt: now,
      queuedSince: call.arrivedAt,
      ownerUserId: null,
      notes,
      attempts: 0,
      timer: null,
      call: null,
    };
    call.requested = requested;
    write('callback', () =>
      insertQueueCallback({
        db,
        orgId: callback.orgId,
        id: callback.id,
        queueId: callback.queueId,
        supporterId: callback.supporterId,
        phone,
        dueAt: new Date(now),
        queuedSince: new Date(callback.queuedSince),
        interactionId: call.interactionId,
        notes,
      }),
    );
    queueCallbacks.set(callback.id, callback);
    enqueueCallback(callback);
    return true;
  }

  /** After the voicemail prompt: the message is recorded until the caller hangs up or its maximum length. */
  function startVoicemail(call: Call, node: Extract<IvrNode, { type: 'voicemail' }>): void {
    const recording = gateway.startRecording({ callId: call.callId }).then(({ recordingId }) => {
      if (call.phase !== 'ivr') return;
      const startedAt = clock.now();
      const voicemail = { recordingId, startedAt, timer: null as TimerId | null };
      call.voicemail = voicemail;
      voicemail.timer = clock.setTimer(startedAt + node.maxSeconds * 1000, () => {
        voicemail.timer = null;
        if (call.voicemail !== voicemail || call.phase !== 'ivr') return;
        gateway.stopRecording({ callId: call.callId, recordingId }).catch(gatewayFailed);
        voicemailEnded(call, clock.now() - startedAt);
        endByPlatform(call, { outcome: 'voicemail', endCause: 'completed' });
      });
    }, gatewayFailed);
    reads.add(recording);
    void recording.finally(() => reads.delete(recording));
  }

  /** The message is over: a callback of the node's queue for an operator, with the recording in its notes. */
  function voicemailEnded(call: Call, durationMs: number): void {
    const voicemail = call.voicemail!;
    call.voicemail = null;
    if (voicemail.timer !== null) clock.clearTimer(voicemail.timer);
    const node = call.node === null ? undefined : call.flow?.nodes[call.node];
    const seconds = Math.round(durationMs / 1000);
    // Nothing said: nothing to call back for.
    if (node?.type !== 'voicemail' || seconds < 1) return;
    const note = `voicemail ${voicemail.recordingId}, ${seconds} s`;
    call.note = note;
    // An anonymous caller's message is kept on the interaction; there is no number to call back.
    if (!requestCallback(call, node.queue, 'voicemail', note)) call.requested = 'voicemail';
  }

  function toQueue(call: Call, key: string): void {
    const queue = queueByKey.get(`${call.orgId}/${key}`);
    if (!queue) {
      logger.error({ orgId: call.orgId, queue: key }, 'IVR flow names a queue the runtime does not know');
      endByPlatform(call, { outcome: 'closed', endCause: 'failed' });
      return;
    }
    // The menu's key press (the event being handled) is when the caller joined the queue: a
    // late event loop must not stamp a queue time after the caller's hang-up (its own event's time).
    const now = handlingAt() ?? clock.now();
    call.phase = 'queued';
    call.queue = queue;
    call.inRouter = true;
    patch(call, { ivr_ended_at: new Date(now), queued_at: new Date(now), queue_id: queue.id });
    route((r, at) =>
      r.enqueue({ id: call.taskId, queueId: queue.id, attributes: { callerId: call.callerId } }, at),
    );
  }

  return { runNode, menuAnswered, startVoicemail, voicemailEnded };
}
