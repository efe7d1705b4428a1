// Outbound calls in the live runtime (runtime.ts), as the dialer (dialer.ts) hands
// them over: a preview campaign's contact becomes a task offered with its record and
// dialed on the operator's accept; an attempt that reached nobody is written and
// closed at once; a person reached enters the campaign's queue, is put through to an
// operator at once (auto-accepted offer) or dropped after the 2 s allowance. A
// contact the dialer took for its owner ("call back: me") goes to the owner's own
// queue instead, back to the campaign's after a while as a queue's owned callback.
import type { Router, RoutingEvent } from '@centralino/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { TelephonyGateway } from '../gateways/gateway.ts';
import type { RuntimeQueue } from '../modules/contact-center/runtime-config.service.ts';
import type { CallerLookup } from './caller-lookup.ts';
import type { LiveClock } from './clock.ts';
import type { Dialer, OutboundAttempt } from './dialer.ts';
import type { InteractionPatch } from './interactions.store.ts';
import type { LiveWriter } from './live-writer.ts';
import { type Call, newCall } from './runtime-call.ts';

/** A person the dialer reached must hear an operator within 2 s of answering (DOMAIN.md §4). */
const CONNECT_ALLOWANCE_MS = 2000;
/** Ringing time of a preview dial. */
const PREVIEW_RING_MS = 25_000;

export type OutboundContext = {
  clock: LiveClock;
  gateway: TelephonyGateway;
  logger: Pick<FastifyBaseLogger, 'error'>;
  writer: LiveWriter;
  callerLookup: CallerLookup;
  /** The runtime's router, null before start. */
  router: () => Router | null;
  /** The runtime's dialer, null before start. */
  dialer: () => Dialer | null;
  isStopped: () => boolean;
  calls: Map<string, Call>;
  byTask: Map<string, Call>;
  queuesById: ReadonlyMap<string, RuntimeQueue>;
  /** Reads and gateway commands a call waits for (drain() waits for them). */
  reads: Set<Promise<unknown>>;
  /** A campaign's figures changed (an attempt closed): its `campaign.progress` event. */
  campaignChanged: (orgId: string, campaignId: string) => void;
  route: (call: (r: Router, now: number) => RoutingEvent[]) => void;
  patch: (call: Call, values: InteractionPatch) => Promise<void>;
  interactionEvent: (call: Call, type: string, extra?: Record<string, unknown>) => void;
  gatewayFailed: (error: unknown) => void;
  endByPlatform: (call: Call, closing: NonNullable<Call['closing']>) => void;
  /** The far end of a dial an operator's accept started did not answer (runtime-queue-callbacks.ts). */
  dialNotReached: (call: Call, at: number) => void;
  /** An operator's own queue for the contacts of `from` (runtime.ts). */
  directQueueFor: (userId: string, from: RuntimeQueue, kind: 'transfer' | 'owned') => string;
  /** The operator is available with no call: a person reached for them can be put through now. */
  operatorIdle: (userId: string) => boolean;
};

export function createOutbound(ctx: OutboundContext) {
  const {
    clock,
    gateway,
    logger,
    writer,
    callerLookup,
    router,
    dialer,
    isStopped,
    calls,
    byTask,
    queuesById,
    reads,
    route,
    patch,
    interactionEvent,
    gatewayFailed,
    endByPlatform,
    dialNotReached,
    directQueueFor,
    operatorIdle,
  } = ctx;

  /** The queue a contact is routed in: its owner's own one when taken for them, else the campaign's. */
  const routingQueueOf = (attempt: OutboundAttempt, queue: RuntimeQueue): string => {
    const owner = attempt.contact.ownerUserId;
    return owner === null ? queue.id : directQueueFor(owner, queue, 'owned');
  };

  /** A campaign's contact as a call waiting in the campaign's queue: a preview task, or a person reached. */
  function queuedOutboundCall(
    attempt: OutboundAttempt,
    queue: RuntimeQueue,
    leg: { callId: string; preview: boolean; at: number },
  ): Call {
    const { campaign, contact } = attempt;
    return newCall({
      callId: leg.callId,
      direction: 'outbound',
      outbound: { attempt, preview: leg.preview, dropTimer: null, dropped: false },
      arrivedAt: leg.at,
      interactionId: attempt.interactionId,
      taskId: attempt.interactionId,
      orgId: campaign.orgId,
      number: campaign.callerNumber ?? '',
      callerId: contact.phone,
      phase: 'queued',
      queue,
      inRouter: true,
    });
  }

  // --- outbound: preview contacts ------------------------------------------------------
  /** A preview campaign's contact becomes an `outbound_preview` task of its queue, with the record to see. */
  function previewTask(attempt: OutboundAttempt) {
    const { campaign, contact } = attempt;
    const queue = queuesById.get(campaign.queueId);
    if (!queue || isStopped() || !router()) {
      logger.error({ campaignId: campaign.id }, 'preview campaign queue unknown to the runtime');
      return;
    }
    const now = clock.now();
    const call = queuedOutboundCall(attempt, queue, { callId: '', preview: true, at: now });
    byTask.set(call.taskId, call);
    // The screen pop is the offer: the record the operator reads before the dial.
    const lookup = callerLookup(call.orgId, contact.phone).then(
      (matches) => {
        const own = matches.filter((m) => m.supporterId === contact.supporterId);
        call.screenPop = own.length > 0 ? own : matches;
        if (call.phase !== 'queued') return;
        route((r, at) =>
          r.enqueue(
            {
              id: call.taskId,
              queueId: routingQueueOf(attempt, queue),
              kind: 'outbound_preview',
              attributes: { callerId: contact.phone, campaignId: campaign.id },
            },
            at,
          ),
        );
      },
      (error: unknown) => logger.error({ err: error }, 'screen pop of a preview contact failed'),
    );
    reads.add(lookup);
    void lookup.finally(() => reads.delete(lookup));
  }

  /** The operator accepted a preview: the attempt is written and the contact dialed (machine detection on). */
  function dialPreview(call: Call, at: number) {
    const attempt = call.outbound!.attempt;
    const { campaign, contact } = attempt;
    attempt.dialedAt = at;
    writer.insertInteraction({
      orgId: call.orgId,
      id: call.interactionId,
      number: call.number,
      remoteNumber: contact.phone,
      supporterId: contact.supporterId,
      createdAt: new Date(call.arrivedAt),
      outbound: {
        campaign_id: campaign.id,
        campaign_contact_id: contact.contactId,
        attempt_number: contact.attempt,
        queue_id: call.queue!.id,
        queued_at: new Date(call.arrivedAt),
        offered_at: new Date(call.offeredAt ?? at),
        operator_id: call.operatorId,
        dialed_at: new Date(at),
      },
    });
    interactionEvent(call, 'created', {
      number: call.number,
      callerId: contact.phone,
      campaignId: campaign.id,
    });
    const dial = gateway
      .originate({
        number: contact.phone,
        callerId: call.number,
        timeoutMs: PREVIEW_RING_MS,
        detectMachine: true,
      })
      .then(
        ({ callId }) => {
          call.callId = callId;
          attempt.callId = callId;
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

  // --- outbound: an attempt that reached nobody to route ----------------------------
  function writeUnansweredAttempt(
    attempt: OutboundAttempt,
    outcome: 'no_answer' | 'busy' | 'machine' | 'failed',
    at: number,
  ) {
    const { campaign, contact } = attempt;
    writer.insertInteraction({
      orgId: campaign.orgId,
      id: attempt.interactionId,
      number: campaign.callerNumber ?? '',
      remoteNumber: contact.phone,
      supporterId: contact.supporterId,
      createdAt: new Date(attempt.dialedAt),
      outbound: {
        campaign_id: campaign.id,
        campaign_contact_id: contact.contactId,
        attempt_number: contact.attempt,
        dialed_at: new Date(attempt.dialedAt),
        callee_answered_at: attempt.calleeAnsweredAt === null ? null : new Date(attempt.calleeAnsweredAt),
        answered_by: outcome === 'machine' ? 'machine' : outcome === 'no_answer' ? 'none' : outcome,
      },
    });
    writer.closeInteraction({
      orgId: campaign.orgId,
      id: attempt.interactionId,
      patch: { ended_at: new Date(at), outcome, end_cause: outcome === 'failed' ? 'failed' : 'completed' },
      dialOutcome: { contactId: contact.contactId, outcome },
    });
    ctx.campaignChanged(campaign.orgId, campaign.id);
  }

  // --- outbound: a person the dialer reached ----------------------------------------
  function liveAnswer(attempt: OutboundAttempt, at: number) {
    const { campaign, contact } = attempt;
    const queue = queuesById.get(campaign.queueId);
    if (!queue) {
      logger.error({ campaignId: campaign.id }, 'campaign queue unknown to the runtime');
      gateway.hangUp({ callId: attempt.callId }).catch(gatewayFailed);
      return;
    }
    const call = queuedOutboundCall(attempt, queue, { callId: attempt.callId, preview: false, at });
    calls.set(call.callId, call);
    byTask.set(call.taskId, call);
    writer.insertInteraction({
      orgId: call.orgId,
      id: call.interactionId,
      number: call.number,
      remoteNumber: contact.phone,
      supporterId: contact.supporterId,
      createdAt: new Date(attempt.dialedAt),
      outbound: {
        campaign_id: campaign.id,
        campaign_contact_id: contact.contactId,
        attempt_number: contact.attempt,
        dialed_at: new Date(attempt.dialedAt),
        callee_answered_at: new Date(attempt.calleeAnsweredAt ?? at),
        answered_by: 'human',
        queue_id: queue.id,
        queued_at: new Date(at),
      },
    });
    // The screen pop: the supporter the contact is about, read while the call is put through.
    const lookup = callerLookup(call.orgId, contact.phone).then(
      (matches) => {
        const own = matches.filter((m) => m.supporterId === contact.supporterId);
        call.screenPop = own.length > 0 ? own : matches;
      },
      (error: unknown) => logger.error({ err: error }, 'screen pop of a dialed contact failed'),
    );
    reads.add(lookup);
    void lookup.finally(() => reads.delete(lookup));
    interactionEvent(call, 'created', {
      number: call.number,
      callerId: contact.phone,
      campaignId: campaign.id,
    });
    call.outbound!.dropTimer = clock.setTimer(at + CONNECT_ALLOWANCE_MS, () => {
      call.outbound!.dropTimer = null;
      dropUnconnected(call);
    });
    // The owner taken by another call meanwhile: anyone of the campaign's queue rather than a
    // drop after the 2 s allowance.
    const owner = contact.ownerUserId;
    const routingQueueId = owner !== null && operatorIdle(owner) ? routingQueueOf(attempt, queue) : queue.id;
    route((r, now) =>
      r.enqueue(
        {
          id: call.interactionId,
          queueId: routingQueueId,
          kind: 'outbound_call',
          attributes: { callerId: contact.phone, campaignId: campaign.id },
        },
        now,
      ),
    );
  }

  /** No operator within the allowance: the call is dropped (a recorded message would go here) and counted. */
  function dropUnconnected(call: Call) {
    if (call.phase !== 'queued' && call.phase !== 'offered') return;
    const at = clock.now();
    call.outbound!.dropped = true;
    dialer()?.dropped(call.outbound!.attempt.campaign.id, at, 'not_connected_in_time');
    if (call.inRouter) {
      call.inRouter = false;
      route((r, now) => r.abandon(call.taskId, now));
    }
    patch(call, { dropped: true });
    endByPlatform(call, { outcome: 'dropped', endCause: 'abandoned' });
  }

  return { previewTask, dialPreview, writeUnansweredAttempt, liveAnswer };
}
