// Callbacks of queues in the live runtime (runtime.ts): the IVR's callback offer,
// a voicemail, an operator's "call back at" on an inbound contact. Each is read
// when due within the next poll, enters its queue as a `callback` routing task
// with the place its caller had, and is dialed when an operator accepts it;
// unanswered, it waits again (at most CALLBACK_MAX_ATTEMPTS attempts). The dial an
// accept starts ends here too for a preview contact (not reached, or released
// from the router without a dial).
import { randomUUID } from 'node:crypto';
import type { Router, RoutingEvent } from '@centralino/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';
import type { TelephonyGateway } from '../gateways/gateway.ts';
import type { OperatorSeat } from '../gateways/operator-seat.ts';
import type {
  RuntimeConfiguration,
  RuntimeOperator,
  RuntimeQueue,
} from '../modules/contact-center/runtime-config.service.ts';
import { type CallbackOutcome, loadDueQueueCallbacks, setCallbackStatus } from './callbacks.store.ts';
import type { CallerLookup } from './caller-lookup.ts';
import type { LiveClock, TimerId } from './clock.ts';
import { type InteractionPatch, releaseContact } from './interactions.store.ts';
import type { LiveWriter } from './live-writer.ts';
import { type Call, newCall, type QueueCallback } from './runtime-call.ts';

/** An unanswered callback is tried again this much later, at most this many attempts in all. */
export const CALLBACK_RETRY_MS = 10 * 60_000;
export const CALLBACK_MAX_ATTEMPTS = 3;
/** Ringing time of a callback's dial. */
const CALLBACK_RING_MS = 30_000;
/** How often the waiting callbacks of queues are read (each enters the router at its due time). */
const CALLBACK_POLL_MS = 60_000;
/** A preview contact nobody answered: the operator's short wrap-up before the next one. */
export const PREVIEW_WRAP_UP_MS = 5000;

export type QueueCallbacksContext = {
  db: Database;
  clock: LiveClock;
  gateway: TelephonyGateway;
  logger: Pick<FastifyBaseLogger, 'error'>;
  writer: LiveWriter;
  callerLookup: CallerLookup;
  /** The configuration in force (the organizations' numbers), null before start. */
  config: () => RuntimeConfiguration | null;
  /** The runtime's router, null before start. */
  router: () => Router | null;
  isStopped: () => boolean;
  /** The callbacks of queues the runtime knows, by id. */
  queueCallbacks: Map<string, QueueCallback>;
  calls: Map<string, Call>;
  byTask: Map<string, Call>;
  queuesById: ReadonlyMap<string, RuntimeQueue>;
  operatorsById: ReadonlyMap<string, RuntimeOperator>;
  seats: ReadonlyMap<string, OperatorSeat>;
  /** Reads and gateway commands a call waits for (drain() waits for them). */
  reads: Set<Promise<unknown>>;
  route: (call: (r: Router, now: number) => RoutingEvent[]) => void;
  write: (what: string, work: () => Promise<void>) => Promise<void>;
  publish: (orgId: string | null, type: string, data: unknown, recipientUserId?: string) => void;
  interactionEvent: (call: Call, type: string, extra?: Record<string, unknown>) => void;
  close: (call: Call, values: InteractionPatch) => void;
  gatewayFailed: (error: unknown) => void;
  /** An operator's own queue for the contacts of `from` (runtime.ts). */
  directQueueFor: (userId: string, from: RuntimeQueue, kind: 'transfer' | 'owned') => string;
};

export function createQueueCallbacks(ctx: QueueCallbacksContext) {
  const {
    db,
    clock,
    gateway,
    logger,
    writer,
    callerLookup,
    config,
    router,
    isStopped,
    queueCallbacks,
    calls,
    byTask,
    queuesById,
    operatorsById,
    seats,
    reads,
    route,
    write,
    publish,
    interactionEvent,
    close,
    gatewayFailed,
    directQueueFor,
  } = ctx;
  let callbackPollTimer: TimerId | null = null;

  /** The organization's number a callback presents: its geographic number, else any of its numbers. */
  const callerNumberOf = (orgId: string): string | null => {
    const own = (config()?.numbers ?? []).filter((n) => n.orgId === orgId);
    return (own.find((n) => n.kind === 'geographic') ?? own[0])?.e164 ?? null;
  };

  /** What a callback's dial attempt does to its callback: done when connected, else tried again or given up. */
  const callbackOutcomeOf = (call: Call): CallbackOutcome => {
    const callback = call.callback!;
    callback.call = null;
    if (call.answeredAt !== null) {
      queueCallbacks.delete(callback.id);
      return { callbackId: callback.id, status: 'completed' };
    }
    if (callback.attempts >= CALLBACK_MAX_ATTEMPTS) {
      queueCallbacks.delete(callback.id);
      return { callbackId: callback.id, status: 'cancelled' };
    }
    const dueAt = clock.now() + CALLBACK_RETRY_MS;
    callback.dueAt = dueAt;
    scheduleCallback(callback);
    return { callbackId: callback.id, status: 'waiting', dueAt: new Date(dueAt) };
  };

  /** Callbacks closed by this process: a poll that read them before their close committed skips them. */
  const finishedCallbacks = new Set<string>();

  function scheduleCallback(callback: QueueCallback) {
    if (callback.timer !== null) clock.clearTimer(callback.timer);
    callback.timer = clock.setTimer(Math.max(callback.dueAt, clock.now()), () => {
      callback.timer = null;
      enqueueCallback(callback);
    });
  }

  /** A due callback enters its queue as a `callback` task with the place its caller had. */
  function enqueueCallback(callback: QueueCallback) {
    if (isStopped() || !router() || callback.call !== null) return;
    const queue = queuesById.get(callback.queueId);
    const number = callerNumberOf(callback.orgId);
    if (!queue || number === null) {
      logger.error(
        { callbackId: callback.id },
        'callback of an unknown queue or of an organization without a number',
      );
      queueCallbacks.delete(callback.id);
      return;
    }
    const now = clock.now();
    // The attempt's interaction is also its first routing task.
    const taskId = randomUUID();
    const call = newCall({
      callId: '',
      direction: 'outbound',
      callback,
      arrivedAt: now,
      interactionId: taskId,
      taskId,
      orgId: callback.orgId,
      number,
      callerId: callback.phone,
      phase: 'queued',
      queue,
      inRouter: true,
    });
    callback.call = call;
    byTask.set(call.taskId, call);
    const lookup = callerLookup(call.orgId, callback.phone).then(
      (matches) => {
        const own = matches.filter((m) => m.supporterId === callback.supporterId);
        call.screenPop = own.length > 0 ? own : matches;
      },
      (error: unknown) => logger.error({ err: error }, 'screen pop of a callback failed'),
    );
    reads.add(lookup);
    void lookup.finally(() => reads.delete(lookup));
    // "Call back: me": its owner's own queue first, the whole queue after a while.
    const owner = callback.ownerUserId === null ? undefined : operatorsById.get(callback.ownerUserId);
    const routingQueueId = owner?.organizationIds.includes(callback.orgId)
      ? directQueueFor(owner.userId, queue, 'owned')
      : queue.id;
    route((r, at) =>
      r.enqueue(
        {
          id: call.taskId,
          queueId: routingQueueId,
          kind: 'callback',
          enqueuedAt: Math.min(callback.queuedSince, at),
          attributes: { callerId: callback.phone, callbackId: callback.id },
        },
        at,
      ),
    );
  }

  /**
   * Out of the router without a dial (queue closed, maximum wait): a callback is put back by the
   * next poll, a preview contact is due again (its attempt counted, as after a restart).
   */
  function releaseUndialedTask(call: Call) {
    byTask.delete(call.taskId);
    call.phase = 'closed';
    const callback = call.callback;
    if (callback) {
      callback.call = null;
      queueCallbacks.delete(callback.id);
      return;
    }
    const contactId = call.outbound!.attempt.contact.contactId;
    write('preview release', () =>
      releaseContact({ db, orgId: call.orgId, contactId, at: new Date(clock.now()) }),
    );
  }

  /** An operator accepted a callback: its attempt is written and the supporter dialed. */
  function dialCallback(call: Call, at: number) {
    const callback = call.callback!;
    callback.attempts++;
    const operatorId = call.operatorId!;
    writer.insertInteraction({
      orgId: call.orgId,
      id: call.interactionId,
      number: call.number,
      remoteNumber: callback.phone,
      supporterId: callback.supporterId,
      createdAt: new Date(call.arrivedAt),
      outbound: {
        queue_id: call.queue!.id,
        queued_at: new Date(call.arrivedAt),
        offered_at: new Date(call.offeredAt ?? at),
        operator_id: operatorId,
        callback_id: callback.id,
        attempt_number: callback.attempts,
        dialed_at: new Date(at),
      },
    });
    write('callback', () =>
      db.forOrg(call.orgId, (tx) =>
        setCallbackStatus(tx, { callbackId: callback.id, status: 'in_progress' }, new Date(at)),
      ),
    );
    interactionEvent(call, 'created', {
      number: call.number,
      callerId: callback.phone,
      callbackId: callback.id,
    });
    const dial = gateway
      .originate({ number: callback.phone, callerId: call.number, timeoutMs: CALLBACK_RING_MS })
      .then(
        ({ callId }) => {
          call.callId = callId;
          calls.set(callId, call);
        },
        (error: unknown) => {
          gatewayFailed(error);
          call.dialFailure = 'failed';
          dialNotReached(call, clock.now());
        },
      );
    reads.add(dial);
    void dial.finally(() => reads.delete(dial));
  }

  /**
   * The supporter an operator's accept dialed (a callback, a preview contact) did not answer, a
   * machine did, or they hung up before the bridge: the attempt closes (a preview's contact is
   * retried by its campaign's policy), the operator is free at once (a callback) or after a short
   * wrap-up (a preview).
   */
  function dialNotReached(call: Call, at: number) {
    if (call.phase !== 'accepted') return;
    const operatorId = call.operatorId!;
    const reason = call.dialFailure ?? 'no_answer';
    call.endedAt = at;
    close(call, {
      ended_at: new Date(at),
      outcome: reason,
      answered_by: reason === 'no_answer' ? 'none' : reason,
      end_cause: reason === 'failed' ? 'failed' : 'completed',
    });
    if (call.callback && callbackFinished(call)) finishedCallbacks.add(call.callback.id);
    const taskId = call.taskId;
    if (call.outbound?.preview) {
      route((r, now) => r.complete(taskId, now));
      clock.setTimer(at + PREVIEW_WRAP_UP_MS, () => {
        if (router()?.getTask(taskId)) route((r, now) => r.endWrapUp(taskId, now));
      });
    } else
      route((r, now) => {
        const events = r.complete(taskId, now);
        return r.getTask(taskId) ? [...events, ...r.endWrapUp(taskId, now)] : events;
      });
    const notice = { offerId: call.taskId, reason: 'dial_failed', at } as const;
    publish(call.orgId, 'interaction.offer_withdrawn', notice, operatorId);
    seats.get(operatorId)?.offerWithdrawn(notice);
  }

  const callbackFinished = (call: Call) => !queueCallbacks.has(call.callback!.id);

  /** Reads the waiting callbacks of queues due within the next poll and sets each one's timer. */
  async function pollCallbacks(): Promise<void> {
    callbackPollTimer = null;
    if (isStopped()) return;
    const read = loadDueQueueCallbacks({ db, until: new Date(clock.now() + CALLBACK_POLL_MS) });
    reads.add(read);
    try {
      for (const row of await read) {
        if (isStopped() || queueCallbacks.has(row.id) || finishedCallbacks.has(row.id)) continue;
        if (!queuesById.has(row.queueId)) continue;
        const callback: QueueCallback = { ...row, timer: null, call: null };
        queueCallbacks.set(row.id, callback);
        scheduleCallback(callback);
      }
    } catch (error) {
      logger.error({ err: error }, 'reading the due callbacks failed');
    } finally {
      reads.delete(read);
    }
    if (!isStopped())
      callbackPollTimer = clock.setTimer(clock.now() + CALLBACK_POLL_MS, () => void pollCallbacks());
  }

  /** The runtime stops: no more polls, no callback enters the router. */
  function stop() {
    if (callbackPollTimer !== null) clock.clearTimer(callbackPollTimer);
    for (const callback of queueCallbacks.values())
      if (callback.timer !== null) clock.clearTimer(callback.timer);
  }

  return {
    callbackOutcomeOf,
    enqueueCallback,
    releaseUndialedTask,
    dialCallback,
    dialNotReached,
    pollCallbacks,
    stop,
  };
}
