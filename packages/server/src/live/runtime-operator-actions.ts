// Operator actions in the live runtime (runtime.ts): what an operator does with an
// offer and a call (accept, reject, hold, hang up, record the disposition, end the
// wrap-up, transfer blind to a queue or to one available colleague) and their
// presence. Each acts on the router and the gateway as the runtime would for an
// event, and is refused (LiveRuntimeError) when the contact is not theirs or not in
// a state for it. Also the operators' own queues (transfers to them, callbacks they
// own), created on first use.
import { randomUUID } from 'node:crypto';
import { type Router, RoutingError, type RoutingEvent } from '@centralino/engine';
import type { Database } from '../db/database.ts';
import type { CallId, TelephonyGateway } from '../gateways/gateway.ts';
import type { OperatorActions, OperatorSeat } from '../gateways/operator-seat.ts';
import { isOfferedIn } from '../modules/contact-center/disposition-offer.ts';
import type {
  RuntimeConfiguration,
  RuntimeOperator,
  RuntimeQueue,
} from '../modules/contact-center/runtime-config.service.ts';
import {
  CONTACT_OUTCOME_EFFECTS,
  type ContactOutcomeEffect,
} from '../modules/supporters/contact-outcomes.service.ts';
import {
  checkCycleOutcome,
  cycleOutcomeErrors,
  type OutcomeContact,
} from '../modules/supporters/cycle-outcomes.service.ts';
import { parseDispositionDetails } from '../modules/supporters/disposition-details.ts';
import type { SecretBox } from '../security/secret-box.ts';
import type { LiveClock } from './clock.ts';
import type { InteractionPatch } from './interactions.store.ts';
import type { LiveWriter } from './live-writer.ts';
import { sealPendingEffect } from './pending-effect.ts';
import { LiveRuntimeError } from './runtime.errors.ts';
import { type Call, iso } from './runtime-call.ts';
import { OPERATOR_ATTRIBUTE } from './runtime-reload.ts';

/** A call transferred to a colleague who does not take it within this goes back to its queue. */
export const DIRECT_TRANSFER_SECONDS = 60;
/** A callback owned by an operator waits this long for them, then anyone in its queue may take it. */
export const OWNED_CALLBACK_WAIT_SECONDS = 30 * 60;

export type OperatorActionsContext = {
  db: Database;
  clock: LiveClock;
  gateway: TelephonyGateway;
  writer: LiveWriter;
  /** Seals the IBAN of a mandate taken on a call; without it conversions are refused. */
  secrets: SecretBox | undefined;
  /** The configuration in force (the dispositions), null before start. */
  config: () => RuntimeConfiguration | null;
  /** The runtime's router, null before start. */
  router: () => Router | null;
  calls: Map<CallId, Call>;
  byTask: Map<string, Call>;
  queuesById: ReadonlyMap<string, RuntimeQueue>;
  operatorsById: ReadonlyMap<string, RuntimeOperator>;
  /** Operators no longer routed, until they are offline. */
  leaving: ReadonlySet<string>;
  /** The first operator's task of a transferred call, while they wrap up: by task id. */
  formerLegs: Map<string, { operatorId: string; call: Call }>;
  /** Direct queues (transfers to one operator, callbacks they own) in the router, by id. */
  directQueues: Set<string>;
  seats: ReadonlyMap<string, OperatorSeat>;
  /** Reads and gateway commands a call waits for (drain() waits for them). */
  reads: Set<Promise<unknown>>;
  route: (call: (r: Router, now: number) => RoutingEvent[]) => void;
  patch: (call: Call, values: InteractionPatch) => Promise<void>;
  publish: (orgId: string | null, type: string, data: unknown, recipientUserId?: string) => void;
  interactionEvent: (call: Call, type: string, extra?: Record<string, unknown>) => void;
  gatewayFailed: (error: unknown) => void;
  /** The contact cycle a call's dispositions come from. */
  cycleOf: (call: Call) => string;
  /** The contact as a disposition's giving effect sees it before the close. */
  outcomeContact: (call: Call, operatorId: string, chosen: string | null) => OutcomeContact;
  closeAnswered: (call: Call) => void;
};

export function createOperatorActions(ctx: OperatorActionsContext) {
  const {
    db,
    clock,
    gateway,
    writer,
    secrets,
    config,
    router,
    calls,
    byTask,
    queuesById,
    operatorsById,
    leaving,
    formerLegs,
    directQueues,
    seats,
    reads,
    route,
    patch,
    publish,
    interactionEvent,
    gatewayFailed,
    cycleOf,
    outcomeContact,
    closeAnswered,
  } = ctx;

  const callOf = (operatorId: string, offerId: string): Call => {
    // The offer (task) id, or the interaction's id (the same until a transfer).
    const call =
      byTask.get(offerId) ??
      [...byTask.values()].find((c) => c.interactionId === offerId && c.operatorId === operatorId);
    if (!call || call.operatorId !== operatorId)
      throw new LiveRuntimeError('LIVE_INTERACTION_NOT_FOUND', 'no such contact of this operator');
    return call;
  };
  const callByCallId = (operatorId: string, callId: CallId): Call => {
    const call = calls.get(callId);
    if (!call || call.operatorId !== operatorId)
      throw new LiveRuntimeError('LIVE_INTERACTION_NOT_FOUND', 'no such call of this operator');
    return call;
  };
  const requireOperator = (operatorId: string) => {
    if (!operatorsById.has(operatorId) || leaving.has(operatorId))
      throw new LiveRuntimeError('LIVE_NOT_AN_OPERATOR', 'this account takes no contacts');
  };
  /** The task of a transferred call this operator is wrapping up, by its offer or interaction id. */
  const formerLegOf = (operatorId: string, offerId: string): string | null => {
    for (const [taskId, leg] of formerLegs)
      if (leg.operatorId === operatorId && (taskId === offerId || leg.call.interactionId === offerId))
        return taskId;
    return null;
  };

  /**
   * One operator's own queue for the contacts of `from` (transfers to them, callbacks they own),
   * added to the router on first use; what they do not take in time goes back to `from`.
   */
  const directQueueFor = (
    userId: string,
    from: RuntimeQueue,
    kind: 'transfer' | 'owned' = 'transfer',
  ): string => {
    const id = `${kind === 'transfer' ? 'direct' : 'owned'}:${from.id}:${userId}`;
    const orgId = from.orgId;
    if (!directQueues.has(id)) {
      directQueues.add(id);
      route((r, now) =>
        r.addQueue(
          {
            id,
            organizationId: orgId,
            channel: 'voice',
            skills: `${OPERATOR_ATTRIBUTE} == '${userId}'`,
            wrapUpSeconds: from.wrapUpSeconds,
            // Not taken in time: back to the queue the call came from.
            maxWaitSeconds: kind === 'transfer' ? DIRECT_TRANSFER_SECONDS : OWNED_CALLBACK_WAIT_SECONDS,
            maxWaitQueueId: from.id,
          },
          now,
        ),
      );
    }
    return id;
  };

  const routerCall = (fn: (r: Router, now: number) => RoutingEvent[]) => {
    try {
      route(fn);
    } catch (error) {
      if (error instanceof RoutingError) throw LiveRuntimeError.fromRouting(error);
      throw error;
    }
  };

  const actions: OperatorActions = {
    async accept({ operatorId, offerId }) {
      requireOperator(operatorId);
      routerCall((r, now) => r.accept(offerId, operatorId, now));
    },
    async reject({ operatorId, offerId }) {
      requireOperator(operatorId);
      routerCall((r, now) => r.reject(offerId, operatorId, now));
    },
    async hold({ operatorId, callId }) {
      const call = callByCallId(operatorId, callId);
      if (call.phase !== 'connected' || call.holdStartedAt !== null)
        throw new LiveRuntimeError('LIVE_INVALID_STATE', 'the call is not connected or already on hold');
      call.holdStartedAt = clock.now();
      await gateway.hold({ callId });
      interactionEvent(call, 'held');
    },
    async unhold({ operatorId, callId }) {
      const call = callByCallId(operatorId, callId);
      if (call.holdStartedAt === null)
        throw new LiveRuntimeError('LIVE_INVALID_STATE', 'the call is not on hold');
      call.holdMs += clock.now() - call.holdStartedAt;
      call.holdStartedAt = null;
      await gateway.unhold({ callId });
      interactionEvent(call, 'unheld');
    },
    async hangUp({ operatorId, callId }) {
      const call = callByCallId(operatorId, callId);
      if (call.phase !== 'connected')
        throw new LiveRuntimeError('LIVE_INVALID_STATE', 'the call is not connected');
      await gateway.hangUp({ callId });
    },
    async submitDisposition({ operatorId, offerId, code, notes, details }) {
      if (formerLegOf(operatorId, offerId))
        throw new LiveRuntimeError(
          'LIVE_INVALID_STATE',
          'the call was transferred: the operator who takes it records the outcome',
        );
      const call = callOf(operatorId, offerId);
      if (call.phase !== 'connected' && call.phase !== 'wrap_up')
        throw new LiveRuntimeError('LIVE_INVALID_STATE', 'no conversation to record');
      const known = (config()?.dispositions ?? []).find(
        (d) => d.code === code && isOfferedIn(d, call.orgId, cycleOf(call)),
      );
      if (!known)
        throw new LiveRuntimeError(
          'LIVE_DISPOSITION_UNKNOWN',
          `'${code}' is not a disposition of this contact`,
        );
      // The details are checked now, while the operator is still with the donor's words
      // (400/422 problems); the close applies them in its transaction and checks again.
      // Several supporters share the caller's number: `details.supporterId` says which one it is about.
      const { supporterId: chosen, ...effectDetails } = details ?? {};
      if (chosen !== undefined && !call.screenPop.some((match) => match.supporterId === chosen))
        throw cycleOutcomeErrors.supporterNotOnScreenPop();
      const supporterId = typeof chosen === 'string' ? chosen : null;
      const checked = parseDispositionDetails(
        known.effect,
        details === undefined ? undefined : effectDetails,
        new Date(clock.now()),
      );
      if (checked) {
        if (checked.effect === 'conversion_accepted' && !secrets)
          throw cycleOutcomeErrors.conversionUnavailable();
        const contact = outcomeContact(call, operatorId, supporterId);
        const check = db.readForOrg(call.orgId, (tx) => checkCycleOutcome(tx, contact, checked));
        reads.add(check);
        try {
          await check;
        } finally {
          reads.delete(check);
        }
        if (call.phase !== 'connected' && call.phase !== 'wrap_up')
          throw new LiveRuntimeError('LIVE_INVALID_STATE', 'the contact closed meanwhile');
      }
      call.disposition = {
        code,
        notes: notes ?? '',
        successful: known.successful,
        effect: known.effect,
        details: checked,
        supporterId,
      };
      // On disk before the operator is told it is recorded: a stop (even SIGKILL) before the
      // close keeps it, and recovery closes the contact with it. Its CRM effect comes with the close.
      // With its CRM effect (live/pending-effect.ts), which recovery applies if the close never comes.
      const recorded = writer.patchInteraction(call.orgId, call.interactionId, {
        disposition: code,
        notes: notes ?? '',
        successful: known.successful,
        ...(supporterId !== null ? { supporter_id: supporterId } : {}),
        pending_effect: sealPendingEffect(
          {
            operatorId,
            effect: CONTACT_OUTCOME_EFFECTS.includes(known.effect)
              ? (known.effect as ContactOutcomeEffect)
              : null,
            details: checked,
          },
          call.orgId,
          secrets ?? null,
        ),
      });
      // Wrap-up already over by the queue's time: the record was only waiting for this.
      if (call.phase === 'wrap_up' && call.wrapEndedAt !== null) closeAnswered(call);
      await recorded;
    },
    async endWrapUp({ operatorId, offerId }) {
      const former = formerLegOf(operatorId, offerId);
      if (former) {
        routerCall((r, now) => r.endWrapUp(former, now));
        return;
      }
      const call = callOf(operatorId, offerId);
      if (call.phase !== 'wrap_up') throw new LiveRuntimeError('LIVE_INVALID_STATE', 'not in wrap-up');
      if (call.wrapEndedAt === null) routerCall((r, now) => r.endWrapUp(offerId, now));
      call.wrapEndedAt ??= clock.now();
      closeAnswered(call);
    },
    async transfer({ operatorId, callId, to }) {
      const call = callByCallId(operatorId, callId);
      if (call.phase !== 'connected')
        throw new LiveRuntimeError('LIVE_INVALID_STATE', 'only a connected call can be transferred');
      const now = clock.now();
      let target: { queue: RuntimeQueue; routingQueueId: string; entry: Record<string, unknown> };
      if ('queueId' in to) {
        const queue = queuesById.get(to.queueId);
        if (!queue || queue.orgId !== call.orgId)
          throw new LiveRuntimeError('LIVE_TRANSFER_TARGET_UNKNOWN', 'no such queue in this organization');
        target = { queue, routingQueueId: queue.id, entry: { toQueueId: queue.id } };
      } else {
        const colleague = operatorsById.get(to.operatorId);
        if (!colleague?.organizationIds.includes(call.orgId) || to.operatorId === operatorId)
          throw new LiveRuntimeError(
            'LIVE_TRANSFER_TARGET_UNKNOWN',
            'no such colleague serving this organization',
          );
        const agent = router()!.getAgent(to.operatorId);
        if (agent.state !== 'available')
          throw new LiveRuntimeError(
            'LIVE_OPERATOR_UNAVAILABLE',
            `the colleague is ${agent.state === 'offline' ? 'logged out' : agent.state.replace('_', ' ')}`,
          );
        target = {
          queue: call.queue!,
          routingQueueId: directQueueFor(to.operatorId, call.queue!),
          entry: { toOperatorId: to.operatorId },
        };
      }
      // The caller waits on hold (music) until the next operator takes the call.
      if (call.holdStartedAt === null) {
        call.holdStartedAt = now;
        await gateway.hold({ callId }).catch(gatewayFailed);
      }
      if (call.phase !== 'connected') return; // hung up meanwhile
      call.holdMs += clock.now() - call.holdStartedAt!;
      call.holdStartedAt = null;
      const oldTask = call.taskId;
      call.transfers.push({ at: iso(now), fromOperatorId: operatorId, ...target.entry });
      formerLegs.set(oldTask, { operatorId, call });
      byTask.delete(oldTask);
      call.taskId = randomUUID();
      byTask.set(call.taskId, call);
      call.phase = 'queued';
      call.operatorId = null;
      call.offeredAt = null;
      call.queue = target.queue;
      call.inRouter = true;
      patch(call, {
        transfers: JSON.stringify(call.transfers) as never,
        queue_id: target.queue.id,
        hold_seconds: Math.round(call.holdMs / 1000),
      });
      interactionEvent(call, 'transferred', { fromOperatorId: operatorId, ...target.entry });
      // The first operator's conversation is over: their wrap-up starts (the queue's time, or endWrapUp).
      route((r, at) => r.complete(oldTask, at));
      const notice = { offerId: oldTask, reason: 'transferred', at: clock.now() } as const;
      seats.get(operatorId)?.offerWithdrawn(notice);
      route((r, at) =>
        r.enqueue(
          {
            id: call.taskId,
            queueId: target.routingQueueId,
            kind: call.callback || call.outbound ? 'outbound_call' : 'call',
            attributes: { callerId: call.callerId, transferredFrom: operatorId },
          },
          at,
        ),
      );
    },
    async setPresence({ operatorId, presence, reason }) {
      requireOperator(operatorId);
      routerCall((r, now) => r.setAgentState(operatorId, presence, now, reason));
      const notice = { presence, reason: reason ?? null, forced: false, at: clock.now() };
      publish(null, 'agent.presence_changed', { userId: operatorId, ...notice }, operatorId);
    },
  };

  return { actions, directQueueFor, requireOperator, routerCall };
}
