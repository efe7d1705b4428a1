// The live center in one process (docs/live-center.md): gateway events in,
// IVR flows run, contacts routed by one engine router across every
// organization, operators told through their seats and the realtime hub, and
// every transition written to the interaction row and the operators' state
// intervals. The runtime is the only writer of live state.
//
// Inbound: numbers → IVR (hours, menus, messages, route to queue) → queue →
// offer → accept → bridge → hang-up → wrap-up → disposition. Outbound: the
// dialer (dialer.ts) places a campaign's calls as its pacer decides; a person
// reached enters the campaign's queue and is put through to an operator at
// once (auto-accepted offer), or dropped after the 2 s allowance; the close
// moves the contact in its call list. Dispositions change the CRM in the
// close's transaction. Callbacks of queues (the IVR's callback offer, an
// operator's "call back at" on an inbound contact) are routing tasks that keep
// the caller's place: an operator accepts one, the runtime dials the supporter
// and bridges the answer; unanswered, it waits again (at most 3 attempts). A
// voicemail is recorded until the caller hangs up or its maximum length and
// becomes such a callback, with the recording in its notes. An operator
// transfers a connected call blind to a queue (it is routed again there) or to
// one available colleague (a direct queue only they serve); the first operator
// wraps up, the interaction keeps its transfer chain. A preview campaign's
// contacts are `outbound_preview` tasks: the operator sees the record in the
// offer, the accept dials, a person is put through to that operator, anything
// else is the contact's retry.
//
// Ordering: router and gateway events are handled one at a time in arrival
// order (a queue drained without re-entrance, because a seat may act from
// inside a notification); database writes keep that order and are batched
// (live-writer.ts: one transaction per organization per flush, phases merged
// per row), so a row never sees a later phase before an earlier one and the
// commits per second stay flat as the center gets busier. Caller
// identification is batched too (caller-lookup.ts). `drain()` waits for both.
//
// Sections of the runtime live in their own modules, each given the state and
// helpers it uses through an explicit context: runtime-call.ts (the call tracked),
// runtime-service-level.ts (today's queue counters), runtime-ivr.ts (the IVR),
// runtime-outbound.ts (what the dialer hands over), runtime-queue-callbacks.ts
// (callbacks of queues, the end of an accept's dial) and runtime-operator-actions.ts
// (what operators do). The router and gateway events, the close and the
// configuration reload stay here.
import { randomUUID } from 'node:crypto';
import { createRouter, type Router, type RoutingAgentState, type RoutingEvent } from '@centralino/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';
import type { CallId, GatewayEvent, HangupSide, TelephonyGateway } from '../gateways/gateway.ts';
import { GatewayError } from '../gateways/gateway.ts';
import type {
  OperatorActions,
  OperatorOffer,
  OperatorPresence,
  OperatorSeat,
} from '../gateways/operator-seat.ts';
import { isOfferedIn } from '../modules/contact-center/disposition-offer.ts';
import { toRoutingQueueSpec } from '../modules/contact-center/queue-spec.ts';
import {
  loadRuntimeConfiguration,
  loadRuntimeDispositions,
  type RuntimeConfiguration,
  type RuntimeDisposition,
  type RuntimeOperator,
  type RuntimeQueue,
} from '../modules/contact-center/runtime-config.service.ts';
import type { CallerMatch } from '../modules/supporters/caller-id.service.ts';
import {
  CONTACT_OUTCOME_EFFECTS,
  type ContactOutcomeEffect,
} from '../modules/supporters/contact-outcomes.service.ts';
import type { OutcomeContact } from '../modules/supporters/cycle-outcomes.service.ts';
import type { RealtimeHub } from '../realtime/hub.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { releaseCallbacksInProgress } from './callbacks.store.ts';
import { createCallerLookup } from './caller-lookup.ts';
import type { LiveClock, TimerId } from './clock.ts';
import { createDialer, type Dialer } from './dialer.ts';
import { type InteractionPatch, type RecoveryReport, recoverOpenWork } from './interactions.store.ts';
import { createLiveWriter } from './live-writer.ts';
import { LiveRuntimeError } from './runtime.errors.ts';
import { type Call, type Disposition, iso, newCall, type Phase, type QueueCallback } from './runtime-call.ts';
import { createCampaignProgress } from './runtime-campaign-progress.ts';
import { createIvr } from './runtime-ivr.ts';
import { createOperatorActions } from './runtime-operator-actions.ts';
import { createOutbound } from './runtime-outbound.ts';
import { createQueueCallbacks } from './runtime-queue-callbacks.ts';
import { servedByLoggedIn, withQueueLogouts } from './runtime-queue-logins.ts';
import { agentSpecOf, diffConfiguration, linkFreeSpec } from './runtime-reload.ts';
import { createServiceLevel, loadServiceLevelToday, type QueueLiveStats } from './runtime-service-level.ts';

export { CALLBACK_CONFIRMED_PROMPT } from './runtime-ivr.ts';
export { DIRECT_TRANSFER_SECONDS, OWNED_CALLBACK_WAIT_SECONDS } from './runtime-operator-actions.ts';
export {
  CALLBACK_MAX_ATTEMPTS,
  CALLBACK_RETRY_MS,
  PREVIEW_WRAP_UP_MS,
} from './runtime-queue-callbacks.ts';
export type { QueueLiveStats } from './runtime-service-level.ts';

export type LiveRuntimeOptions = {
  db: Database;
  clock: LiveClock;
  gateway: TelephonyGateway;
  hub: RealtimeHub;
  logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Uniform [0, 1) for the router's `random` strategy. */
  random: () => number;
  /** Seconds an offer rings before it times out (default 20). */
  offerTimeoutSeconds?: number;
  /** Seals the IBAN of a mandate taken on a call (conversion dispositions); without it they are refused. */
  secrets?: SecretBox;
};

export type OperatorStatus = {
  userId: string;
  displayName: string;
  state: RoutingAgentState;
  presence: OperatorPresence;
  reason: string | null;
  since: string;
};

export type OperatorSession = OperatorStatus & {
  offer: (OperatorOffer & { screenPop: CallerMatch[] }) | null;
  interaction: InteractionView | null;
};

export type InteractionView = {
  interactionId: string;
  callId: CallId;
  orgId: string;
  queueId: string | null;
  phase: Phase;
  callerId: string | null;
  number: string;
  screenPop: CallerMatch[];
  answeredAt: string | null;
  endedAt: string | null;
  onHold: boolean;
  disposition: Disposition | null;
  dispositions: string[];
};

/** A queue of the operator's organizations, and whether they are logged in to it. */
export type OperatorQueue = {
  queueId: string;
  orgId: string;
  key: string;
  name: string;
  direction: RuntimeQueue['direction'];
  loggedIn: boolean;
};

export type LiveRuntime = {
  readonly actions: OperatorActions;
  /** Recovery, configuration, gateway subscription. */
  start(): Promise<RecoveryReport>;
  stop(): Promise<void>;
  /** Waits until every read a call waits for and every write caused so far are done. */
  drain(): Promise<void>;
  /** A seat that is told what happens to the operator (simulated operators; web users get hub events). */
  registerSeat(seat: OperatorSeat): void;
  isOperator(userId: string): boolean;
  /** The runtime's clock (simulated time in the demo): what "today" is for the operator's statistics. */
  now(): number;
  session(userId: string): OperatorSession;
  operators(): OperatorStatus[];
  queues(orgId: string): QueueLiveStats[];
  /** The queues of the operator's organizations the runtime serves, with their log-in (runtime-queue-logins.ts). */
  operatorQueues(userId: string): OperatorQueue[];
  /**
   * Logs the operator in to or out of one queue: logged out, they are offered
   * none of its contacts (a call in progress goes on). Until they go offline.
   */
  setQueueLogin(options: { userId: string; queueId: string; loggedIn: boolean }): OperatorQueue;
  /**
   * The same through a campaign: its queue, refused (LIVE_CAMPAIGN_QUEUE_SHARED)
   * when that queue also serves another active campaign or inbound numbers.
   */
  setCampaignLogin(options: { userId: string; campaignId: string; loggedIn: boolean }): OperatorQueue;
  /** A supervisor sets an operator's presence; the seat is told it was forced. */
  forcePresence(options: { userId: string; presence: OperatorPresence; reason?: string }): Promise<void>;
  /**
   * Reads the dispositions again after an admin created, changed or deleted
   * one: the next offers list them and submissions accept them, without a restart.
   */
  reloadDispositions(): Promise<void>;
  /**
   * Reads the whole configuration again after an admin changed queues, numbers,
   * IVR flows, operators or their skills, profiles and organizations, and applies
   * the difference to the running center (live/runtime-reload.ts describes how).
   * One reload at a time; a change arriving during one triggers one more. Never
   * rejects: a failure is logged, and a no-op when the runtime is not running.
   */
  reloadConfiguration(): Promise<void>;
};

export function createLiveRuntime(options: LiveRuntimeOptions): LiveRuntime {
  const { db, clock, gateway, hub, logger } = options;
  let config: RuntimeConfiguration | null = null;
  let router: Router | null = null;
  let unsubscribe: (() => void) | null = null;
  let routerTimer: TimerId | null = null;
  let stopped = false;
  let dialer: Dialer | null = null;
  /** The time of the gateway event being handled, if any: phases it causes are stamped with it. */
  let handlingAt: number | null = null;
  const queueCallbacks = new Map<string, QueueCallback>();
  /** Direct queues (transfers to one operator), created on first use, by id. */
  const directQueues = new Set<string>();
  /** The first operator's task of a transferred call, while they wrap up: by task id. */
  const formerLegs = new Map<string, { operatorId: string; call: Call }>();

  const calls = new Map<CallId, Call>();
  const byTask = new Map<string, Call>();
  const seats = new Map<string, OperatorSeat>();
  const operatorsById = new Map<string, RuntimeOperator>();
  const queuesById = new Map<string, RuntimeQueue>();
  const queueByKey = new Map<string, RuntimeQueue>(); // `${orgId}/${key}`
  /** Queues deleted while running: no new contacts, but the router still serves what waits there. */
  const retiredQueues = new Map<string, RuntimeQueue>();
  /** Operators no longer routed (disabled, role changed): logged out, removed from the router once offline. */
  const leaving = new Set<string>();
  const agentSince = new Map<string, number>();
  const agentTask = new Map<string, string>();
  const offers = new Map<string, OperatorOffer>(); // by operator
  /** Queues each operator logged out of, by operator (runtime-queue-logins.ts): until they go offline. */
  const queueLogouts = new Map<string, Set<string>>();
  /** An operator as the router sees them, with their queue logouts. */
  const agentSpec = (op: RuntimeOperator) =>
    withQueueLogouts(agentSpecOf(op), queueLogouts.get(op.userId) ?? new Set());

  // --- ordered writes, batched (live-writer.ts) -------------------------------
  const writer = createLiveWriter({ db, logger });
  const callerLookup = createCallerLookup(db);
  // Reads a call waits for (caller identification), so drain() can wait for them too.
  const reads = new Set<Promise<unknown>>();
  /** Any other write, in its own transaction, in order with the batched ones. */
  const write = (what: string, work: () => Promise<void>) => writer.other(what, work);

  // --- router events, drained one at a time ---------------------------------
  const pending: RoutingEvent[] = [];
  let draining = false;
  const route = (call: (r: Router, now: number) => RoutingEvent[]) => {
    if (!router) throw new LiveRuntimeError('LIVE_NOT_RUNNING', 'the live center is not running');
    const events = call(router, clock.now());
    pending.push(...events);
    if (!draining) {
      draining = true;
      try {
        for (let event = pending.shift(); event; event = pending.shift()) handleRoutingEvent(event);
      } finally {
        draining = false;
      }
    }
    scheduleRouterTimer();
  };

  const scheduleRouterTimer = () => {
    if (!router || stopped) return;
    const next = router.nextTimerAt();
    if (routerTimer !== null) clock.clearTimer(routerTimer);
    routerTimer = null;
    if (next === undefined) return;
    routerTimer = clock.setTimer(next, () => {
      routerTimer = null;
      route((r, now) => r.tick(now));
    });
  };

  const publish = (orgId: string | null, type: string, data: unknown, recipientUserId?: string) =>
    hub.publish({ orgId, type, data, ...(recipientUserId ? { recipientUserId } : {}) });

  /** The contact cycle a call's dispositions come from: its campaign's, or `inbound`. */
  const cycleOf = (call: Call): string => call.outbound?.attempt.campaign.cycleType ?? 'inbound';
  const dispositionsFor = (orgId: string, cycleType: string): string[] =>
    (config?.dispositions ?? [])
      .filter((d: RuntimeDisposition) => isOfferedIn(d, orgId, cycleType))
      .map((d) => d.code)
      .sort();

  const patch = (call: Call, values: InteractionPatch) =>
    writer.patchInteraction(call.orgId, call.interactionId, values);

  const interactionEvent = (call: Call, type: string, extra: Record<string, unknown> = {}) =>
    publish(call.orgId, `interaction.${type}`, {
      interactionId: call.interactionId,
      queueId: call.queue?.id ?? null,
      operatorId: call.operatorId,
      at: iso(clock.now()),
      ...extra,
    });

  // --- today's queue counters (service level): runtime-service-level.ts ---------
  const { counters, publishQueueStats, queueStats, seed } = createServiceLevel({
    clock,
    router: () => router,
    publish,
  });

  // --- campaign.progress events, coalesced per campaign: runtime-campaign-progress.ts ---
  const campaignProgress = createCampaignProgress({
    db,
    clock,
    writer,
    logger,
    publish,
    isStopped: () => stopped,
  });

  /** A callback or preview task not dialed yet: its interaction is written and its call placed on accept. */
  const dialsOnAccept = (call: Call): boolean =>
    (call.callback !== null || call.outbound?.preview === true) && !call.bridgedOnce;

  // --- closing an interaction ------------------------------------------------
  const close = (call: Call, values: InteractionPatch) => {
    const effect = call.disposition?.effect;
    const crmEffect =
      effect !== undefined && call.operatorId !== null && CONTACT_OUTCOME_EFFECTS.includes(effect)
        ? { effect: effect as ContactOutcomeEffect, operatorId: call.operatorId }
        : null;
    if (call.phase === 'closed') return;
    call.phase = 'closed';
    calls.delete(call.callId);
    byTask.delete(call.taskId);
    const disposition = call.disposition;
    if (call.outbound?.dropTimer != null) clock.clearTimer(call.outbound.dropTimer);
    const dialOutcome = call.outbound ? dialOutcomeOf(call) : null;
    const callbackOutcome = call.callback ? callbackOutcomeOf(call) : null;
    writer.closeInteraction({
      orgId: call.orgId,
      id: call.interactionId,
      effect: crmEffect,
      callbackOutcome,
      cycleOutcome:
        disposition?.details && call.operatorId !== null
          ? { details: disposition.details, operatorId: call.operatorId, secrets: options.secrets ?? null }
          : null,
      onEffectFailure: (failure) => effectFailed(call, failure),
      dialOutcome,
      patch: {
        ...values,
        // The close applies the effect: the row keeps none (nor a sealed IBAN).
        ...(disposition
          ? {
              pending_effect: null,
              disposition: disposition.code,
              notes: disposition.notes,
              successful: disposition.successful,
              ...(disposition.supporterId !== null ? { supporter_id: disposition.supporterId } : {}),
            }
          : {}),
      },
    });
    interactionEvent(call, 'completed', {
      outcome: values.outcome ?? null,
      endCause: values.end_cause ?? null,
      disposition: disposition?.code ?? null,
    });
    if (call.outbound) campaignProgress.changed(call.orgId, call.outbound.attempt.campaign.id);
  };

  /** What an outbound call's close does to its contact in the call list. */
  const dialOutcomeOf = (call: Call) => {
    const contactId = call.outbound!.attempt.contact.contactId;
    // A preview that reached no one: busy, no answer, machine or failure, retried by the policy.
    if (call.answeredAt === null && call.outbound!.preview)
      return { contactId, outcome: call.dialFailure ?? ('no_answer' as const) };
    if (call.answeredAt === null) return { contactId, outcome: 'dropped' as const };
    if (call.disposition?.effect === 'do_not_call') return { contactId, outcome: 'do_not_call' as const };
    const details = call.disposition?.details;
    // "Call back at": the campaign dials the contact again then, for this operator or anyone.
    if (details?.effect === 'call_back')
      return {
        contactId,
        outcome: 'reached' as const,
        callBackAt: new Date(details.at),
        ownerUserId: details.owner === 'me' ? call.operatorId : null,
      };
    return { contactId, outcome: 'reached' as const };
  };

  /** The contact as a disposition's giving effect sees it before the close. */
  const outcomeContact = (call: Call, operatorId: string, chosen: string | null): OutcomeContact => ({
    orgId: call.orgId,
    interactionId: call.interactionId,
    // The operator's choice among several matches, else the caller identified before the answer (one match).
    supporterId: chosen ?? (call.screenPop.length === 1 ? call.screenPop[0]!.supporterId : null),
    queueId: call.queue?.id ?? null,
    campaignId: call.outbound?.attempt.campaign.id ?? null,
    remoteNumber: call.callerId,
    operatorId,
    callDate: new Date(call.answeredAt ?? clock.now()).toLocaleDateString('en-CA', {
      timeZone: 'Europe/Rome',
    }),
  });

  /** The CRM changed between the submit and the close: the contact closed without the effect; tell the operator. */
  const effectFailed = (call: Call, failure: { code: string; message: string }) => {
    logger.warn({ interactionId: call.interactionId, ...failure }, 'disposition effect refused at close');
    if (call.operatorId !== null)
      publish(
        call.orgId,
        'interaction.effect_failed',
        { interactionId: call.interactionId, disposition: call.disposition?.code ?? null, ...failure },
        call.operatorId,
      );
  };

  const closeAnswered = (call: Call) => {
    close(call, {
      wrap_ended_at: new Date(call.wrapEndedAt ?? clock.now()),
      hold_seconds: Math.round(call.holdMs / 1000),
      end_cause: 'completed',
    });
  };

  // --- routing events ---------------------------------------------------------
  function handleRoutingEvent(event: RoutingEvent) {
    if (event.type === 'agent.state_changed') return agentStateChanged(event);
    const call = byTask.get(event.taskId);
    // A direct queue's tasks are reported as the queue the call came from.
    const queue = directQueues.has(event.queueId)
      ? (call?.queue ?? undefined)
      : (queuesById.get(event.queueId) ?? retiredQueues.get(event.queueId));
    switch (event.type) {
      case 'task.queued':
        if (call) interactionEvent(call, 'queued', { held: event.held });
        if (queue) publishQueueStats(queue);
        return;
      case 'task.offered': {
        if (!call || !queue) return;
        call.phase = 'offered';
        call.offeredAt = event.at;
        agentTask.set(event.agentId, event.taskId);
        // A callback's or preview's attempt is written when it is dialed (with this offer's time);
        // a transferred call keeps its first offer.
        if (!dialsOnAccept(call) && !call.bridgedOnce) patch(call, { offered_at: new Date(event.at) });
        const offer: OperatorOffer = {
          offerId: call.taskId,
          callId: call.callId === '' ? null : call.callId,
          direction: call.direction,
          orgId: call.orgId,
          queueId: queue.id,
          campaignId: call.outbound?.attempt.campaign.id ?? null,
          cycleType: call.outbound?.attempt.campaign.cycleType ?? null,
          dispositions: dispositionsFor(call.orgId, cycleOf(call)),
          at: event.at,
          expiresAt: event.expiresAt,
        };
        // A transferred call is offered like any other: the colleague accepts it.
        const autoAccepted = call.outbound !== null && !call.outbound.preview && !call.bridgedOnce;
        if (autoAccepted) offer.autoAccepted = true;
        if (call.callback) {
          offer.callbackId = call.callback.id;
          if (call.callback.notes !== '') offer.callbackNotes = call.callback.notes;
        }
        offers.set(event.agentId, offer);
        publish(call.orgId, 'interaction.offered', { ...offer, screenPop: call.screenPop }, event.agentId);
        seats.get(event.agentId)?.offer(offer);
        // A person the dialer reached is put through at once (the 2 s allowance).
        if (autoAccepted) route((r, now) => r.accept(call.taskId, event.agentId, now));
        return;
      }
      case 'task.offer_timed_out':
      case 'task.offer_rescinded':
      case 'task.offer_rejected': {
        if (agentTask.get(event.agentId) === event.taskId) agentTask.delete(event.agentId);
        offers.delete(event.agentId);
        if (call && call.phase === 'offered') call.phase = 'queued';
        if (event.type === 'task.offer_rejected') return;
        const reason = event.type === 'task.offer_timed_out' ? 'timed_out' : event.reason;
        const notice = { offerId: event.taskId, reason, at: event.at } as const;
        publish(call?.orgId ?? null, 'interaction.offer_withdrawn', notice, event.agentId);
        seats.get(event.agentId)?.offerWithdrawn(notice);
        return;
      }
      case 'task.accepted': {
        offers.delete(event.agentId);
        if (!call) return;
        call.phase = 'accepted';
        call.operatorId = event.agentId;
        if (dialsOnAccept(call) && call.callback) {
          dialCallback(call, event.at);
          if (queue) publishQueueStats(queue);
          return;
        }
        if (dialsOnAccept(call)) {
          dialPreview(call, event.at);
          if (queue) publishQueueStats(queue);
          return;
        }
        patch(call, { operator_id: event.agentId });
        const endpoint = `operator:${event.agentId}`;
        // A transferred call was answered (and counted) already; the gateway moves it to the new operator.
        if (call.bridgedOnce) {
          gateway
            .transfer({ callId: call.callId, target: { kind: 'endpoint', endpoint } })
            .catch(gatewayFailed);
          if (queue) publishQueueStats(queue);
          return;
        }
        const c = counters(event.queueId);
        c.answered++;
        if (queue && event.waitMs <= queue.serviceLevelSeconds * 1000) c.answeredInSl++;
        gateway.bridge({ callId: call.callId, endpoint }).catch(gatewayFailed);
        if (queue) publishQueueStats(queue);
        return;
      }
      case 'task.transferred':
        if (call && queue && !directQueues.has(event.queueId)) {
          call.queue = queue;
          if (!dialsOnAccept(call)) patch(call, { queue_id: queue.id });
        }
        return;
      case 'task.rejected':
        // The queue is closed and refuses new contacts.
        if (call && dialsOnAccept(call)) releaseUndialedTask(call);
        else if (call) endByPlatform(call, { outcome: 'closed', endCause: 'closed' });
        return;
      case 'task.timed_out':
        if (call && dialsOnAccept(call)) {
          call.inRouter = false;
          releaseUndialedTask(call);
        } else if (call) {
          call.inRouter = false;
          endByPlatform(call, { outcome: 'timed_out', endCause: 'timed_out' });
        }
        if (queue) publishQueueStats(queue);
        return;
      case 'task.abandoned':
        if (queue) publishQueueStats(queue);
        return;
      case 'task.wrap_ended':
        if (agentTask.get(event.agentId) === event.taskId) agentTask.delete(event.agentId);
        formerLegs.delete(event.taskId);
        if (call) {
          call.wrapEndedAt ??= event.at;
          // The queue's wrap-up time frees the operator; the record waits for the disposition.
          if (call.disposition) closeAnswered(call);
        }
        return;
      default:
        return;
    }
  }

  function agentStateChanged(event: Extract<RoutingEvent, { type: 'agent.state_changed' }>) {
    agentSince.set(event.agentId, event.at);
    // A new session starts logged in to every queue.
    if (event.to === 'offline' && queueLogouts.delete(event.agentId)) {
      const op = operatorsById.get(event.agentId);
      if (op && !leaving.has(event.agentId)) route((r, now) => r.updateAgent(agentSpec(op), now));
      queuesChanged(event.agentId);
    }
    if (event.to === 'offline' && leaving.has(event.agentId)) removeLeavingOperator(event.agentId);
    const taskId = agentTask.get(event.agentId);
    const call = taskId ? (byTask.get(taskId) ?? formerLegs.get(taskId)?.call) : undefined;
    const serving = event.to === 'reserved' || event.to === 'busy' || event.to === 'wrap_up';
    const orgId = serving && call ? call.orgId : null;
    const queueId = serving && call ? (call.queue?.id ?? null) : null;
    writer.agentState({
      userId: event.agentId,
      at: new Date(event.at),
      state: event.to,
      reason: event.reason,
      orgId,
      queueId,
      channel: serving ? 'voice' : null,
    });
    const data = {
      userId: event.agentId,
      from: event.from,
      to: event.to,
      reason: event.reason,
      at: iso(event.at),
    };
    publish(null, 'agent.state_changed', data);
  }

  const gatewayFailed = (error: unknown) => {
    // A call that ended meanwhile reports its hang-up as an event: nothing to do here.
    if (
      error instanceof GatewayError &&
      (error.code === 'GATEWAY_CALL_ENDED' || error.code === 'GATEWAY_CLOSED')
    )
      return;
    logger.error({ err: error }, 'gateway command failed');
  };

  /** The platform ends the call (closed message, maximum wait, a flow's end); closed at its hang-up. */
  function endByPlatform(call: Call, closing: NonNullable<Call['closing']>) {
    call.closing = closing;
    gateway.hangUp({ callId: call.callId }).catch(gatewayFailed);
  }

  // --- IVR: runtime-ivr.ts -----------------------------------------------------
  const { runNode, menuAnswered, startVoicemail, voicemailEnded } = createIvr({
    db,
    clock,
    gateway,
    logger,
    queueByKey,
    queueCallbacks,
    reads,
    handlingAt: () => handlingAt,
    route,
    patch,
    write,
    gatewayFailed,
    endByPlatform,
    enqueueCallback: (callback) => enqueueCallback(callback),
  });

  // --- outbound: preview contacts, attempts that reached nobody, persons reached:
  // runtime-outbound.ts ------------------------------------------------------------
  const { previewTask, dialPreview, writeUnansweredAttempt, liveAnswer } = createOutbound({
    clock,
    gateway,
    logger,
    writer,
    callerLookup,
    router: () => router,
    dialer: () => dialer,
    isStopped: () => stopped,
    calls,
    byTask,
    queuesById,
    reads,
    campaignChanged: (orgId, campaignId) => campaignProgress.changed(orgId, campaignId),
    route,
    patch,
    interactionEvent,
    gatewayFailed,
    endByPlatform,
    dialNotReached: (call, at) => dialNotReached(call, at),
    directQueueFor: (userId, from, kind) => directQueueFor(userId, from, kind),
    operatorIdle: (userId) => operatorIdle(userId),
  });

  // --- callbacks of queues: runtime-queue-callbacks.ts --------------------------
  const {
    callbackOutcomeOf,
    enqueueCallback,
    releaseUndialedTask,
    dialCallback,
    dialNotReached,
    pollCallbacks,
    stop: stopCallbacks,
  } = createQueueCallbacks({
    db,
    clock,
    gateway,
    logger,
    writer,
    callerLookup,
    config: () => config,
    router: () => router,
    isStopped: () => stopped,
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
    directQueueFor: (userId, from, kind) => directQueueFor(userId, from, kind),
  });

  // --- gateway events -----------------------------------------------------------
  function handleGatewayEvent(event: GatewayEvent) {
    handlingAt = event.at;
    try {
      handleEventAt(event);
    } finally {
      handlingAt = null;
    }
  }

  function handleEventAt(event: GatewayEvent) {
    if (stopped) return;
    if (event.type === 'call.offered') return void callOffered(event);
    const call = calls.get(event.callId);
    if (!call) {
      dialer?.handle(event);
      return;
    }
    switch (event.type) {
      case 'call.dial_failed':
        if (call.callback || call.outbound?.preview) call.dialFailure = event.reason;
        return;
      case 'call.answered_by':
        // A preview's answer: a person is put through to the operator, a machine hung up on.
        if (call.outbound?.preview && call.phase === 'accepted') {
          if (event.answeredBy === 'human') {
            patch(call, { answered_by: 'human' });
            gateway
              .bridge({ callId: call.callId, endpoint: `operator:${call.operatorId}` })
              .catch(gatewayFailed);
          } else {
            call.dialFailure = 'machine';
            gateway.hangUp({ callId: call.callId }).catch(gatewayFailed);
          }
        }
        return;
      case 'call.answered':
        // A callback's supporter picked up: put through to the operator who accepted it.
        if (call.callback && call.phase === 'accepted' && event.direction === 'outbound') {
          patch(call, { callee_answered_at: new Date(event.at), answered_by: 'human' });
          gateway
            .bridge({ callId: call.callId, endpoint: `operator:${call.operatorId}` })
            .catch(gatewayFailed);
          return;
        }
        if (call.outbound?.preview && call.phase === 'accepted' && event.direction === 'outbound') {
          call.outbound.attempt.calleeAnsweredAt = event.at;
          patch(call, { callee_answered_at: new Date(event.at) });
          return;
        }
        if (call.phase === 'ivr' && call.node === null) {
          patch(call, { ivr_started_at: new Date(event.at) });
          runNode(call, call.flow?.entry);
        }
        return;
      case 'call.gather_ended':
        if (event.reason !== 'hangup' && call.phase === 'ivr') menuAnswered(call, event.digits);
        return;
      case 'call.prompt_ended': {
        if (event.reason !== 'finished' || call.phase !== 'ivr') return;
        const node = call.node === null ? undefined : call.flow?.nodes[call.node];
        if (node?.type === 'callback_offer' && call.requested !== null)
          return endByPlatform(call, { outcome: call.requested, endCause: 'completed' });
        if (node?.type === 'voicemail') return startVoicemail(call, node);
        if (node?.type !== 'message') return;
        if (node.next !== undefined) return runNode(call, node.next);
        // A message with nothing after it is the closed message.
        return endByPlatform(call, { outcome: 'closed', endCause: 'closed' });
      }
      case 'call.bridged': {
        if (call.phase !== 'accepted' || call.operatorId === null) return;
        call.phase = 'connected';
        if (call.bridgedOnce) {
          interactionEvent(call, 'answered', { transferred: true });
          seats.get(call.operatorId)?.connected({ offerId: call.taskId, callId: call.callId, at: event.at });
          return;
        }
        call.bridgedOnce = true;
        call.answeredAt = event.at;
        if (call.outbound) {
          if (call.outbound.dropTimer !== null) clock.clearTimer(call.outbound.dropTimer);
          call.outbound.dropTimer = null;
          dialer?.connected(call.outbound.attempt.campaign.id, event.at);
          patch(call, {
            answered_at: new Date(event.at),
            connected_at: new Date(event.at),
            outcome: 'reached',
          });
        } else if (call.callback)
          patch(call, {
            answered_at: new Date(event.at),
            connected_at: new Date(event.at),
            outcome: 'reached',
          });
        else patch(call, { answered_at: new Date(event.at), outcome: 'answered' });
        interactionEvent(call, 'answered');
        seats.get(call.operatorId)?.connected({ offerId: call.taskId, callId: call.callId, at: event.at });
        return;
      }
      case 'call.hangup':
        return callEnded(call, event.at, event.endedBy);
      default:
        return;
    }
  }

  async function callOffered(event: Extract<GatewayEvent, { type: 'call.offered' }>) {
    const line = config?.numbers.find((n) => n.e164 === event.number);
    if (!line) {
      logger.warn({ number: event.number }, 'call on a number no organization has');
      gateway.hangUp({ callId: event.callId, cause: 'unallocated_number' }).catch(gatewayFailed);
      return;
    }
    const flow = config?.ivrFlows.find((f) => f.id === line.ivrFlowId)?.definition ?? null;
    const taskId = randomUUID();
    const call = newCall({
      callId: event.callId,
      direction: 'inbound',
      arrivedAt: event.at,
      interactionId: taskId,
      taskId,
      orgId: line.orgId,
      number: event.number,
      callerId: event.callerId,
      flow,
      phase: 'ivr',
    });
    calls.set(call.callId, call);
    byTask.set(call.taskId, call);
    const createdAt = new Date(event.at);
    writer.insertInteraction({
      orgId: call.orgId,
      id: call.interactionId,
      number: call.number,
      remoteNumber: call.callerId,
      supporterId: null,
      createdAt,
    });
    interactionEvent(call, 'created', { number: call.number, callerId: call.callerId });
    if (!flow) {
      // A number without a flow rings straight at its organization's first inbound queue, if any.
      const first = config?.queues.find((q) => q.orgId === call.orgId && q.direction === 'inbound');
      call.flow = first ? { entry: 'queue', nodes: { queue: { type: 'queue', queue: first.key } } } : null;
    }
    // Caller identification before the call is answered: one indexed read, so the
    // screen pop is there for any offer however fast the clock runs.
    const lookup = callerLookup(call.orgId, call.callerId);
    reads.add(lookup);
    try {
      call.screenPop = await lookup;
    } catch (error) {
      logger.error({ err: error }, 'caller identification failed');
    } finally {
      reads.delete(lookup);
    }
    if (call.phase === 'closed' || stopped) return;
    if (call.screenPop.length === 1) patch(call, { supporter_id: call.screenPop[0]!.supporterId });
    gateway.answer({ callId: call.callId }).catch(gatewayFailed);
  }

  function callEnded(call: Call, at: number, endedBy: HangupSide) {
    call.endedAt = at;
    call.endedBy = endedBy;
    const ended = new Date(at);
    switch (call.phase) {
      case 'ivr':
        if (call.voicemail) voicemailEnded(call, at - call.voicemail.startedAt);
        close(call, {
          // Hung up while ringing (before the IVR's first node): no IVR phase at all.
          ...(call.node === null ? {} : { ivr_ended_at: ended }),
          ended_at: ended,
          outcome: call.requested ?? call.closing?.outcome ?? 'ivr_completed',
          ...(call.note === null ? {} : { notes: call.note }),
          // Hanging up is how a caller ends a voicemail.
          end_cause:
            call.closing?.endCause ?? (call.requested === 'voicemail' ? 'completed' : 'caller_hangup'),
        });
        return;
      case 'queued':
      case 'offered': {
        if (call.closing) {
          close(call, { ended_at: ended, outcome: call.closing.outcome, end_cause: call.closing.endCause });
          return;
        }
        if (call.bridgedOnce) {
          // Transferred and hung up before the next operator: answered already, not abandoned.
          if (call.inRouter) route((r, now) => r.abandon(call.taskId, now));
          close(call, { ended_at: ended, end_cause: 'caller_hangup' });
          return;
        }
        const queue = call.queue!;
        const c = counters(queue.id);
        c.abandoned++;
        const queuedAt = router?.getTask(call.taskId)?.firstQueuedAt ?? at;
        if (at - queuedAt <= queue.serviceLevelSeconds * 1000) c.abandonedInSl++;
        if (call.inRouter) route((r, now) => r.abandon(call.taskId, now));
        close(call, { abandoned_at: ended, ended_at: ended, outcome: 'abandoned', end_cause: 'abandoned' });
        return;
      }
      case 'accepted':
      case 'connected': {
        if (dialsOnAccept(call) && call.phase === 'accepted') return dialNotReached(call, at);
        if (call.holdStartedAt !== null) {
          call.holdMs += at - call.holdStartedAt;
          call.holdStartedAt = null;
        }
        const operatorId = call.operatorId!;
        call.phase = 'wrap_up';
        patch(call, { ended_at: ended, hold_seconds: Math.round(call.holdMs / 1000) });
        interactionEvent(call, 'ended', { endedBy });
        publish(call.orgId, 'interaction.ended', { offerId: call.taskId, endedBy, at: iso(at) }, operatorId);
        route((r, now) => r.complete(call.taskId, now));
        if (call.phase === 'wrap_up')
          seats.get(operatorId)?.callEnded({ offerId: call.taskId, callId: call.callId, endedBy, at });
        return;
      }
      default:
        return;
    }
  }

  // --- operator actions: runtime-operator-actions.ts ----------------------------
  const { actions, directQueueFor, requireOperator, routerCall } = createOperatorActions({
    db,
    clock,
    gateway,
    writer,
    secrets: options.secrets,
    config: () => config,
    router: () => router,
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
  });

  /** Available with nothing on the voice channel: a call put through for them now reaches them. */
  function operatorIdle(userId: string): boolean {
    if (!router || !operatorsById.has(userId)) return false;
    const agent = router.getAgent(userId);
    return agent.state === 'available' && (agent.load.voice ?? 0) === 0;
  }

  function status(op: RuntimeOperator): OperatorStatus {
    const agent = router!.getAgent(op.userId);
    return {
      userId: op.userId,
      displayName: op.displayName,
      state: agent.state,
      presence: agent.presence,
      reason: agent.reason,
      since: new Date(agentSince.get(op.userId) ?? clock.now()).toISOString(),
    };
  }

  function view(call: Call): InteractionView {
    return {
      interactionId: call.interactionId,
      callId: call.callId,
      orgId: call.orgId,
      queueId: call.queue?.id ?? null,
      phase: call.phase,
      callerId: call.callerId,
      number: call.number,
      screenPop: call.screenPop,
      answeredAt: iso(call.answeredAt),
      endedAt: iso(call.endedAt),
      onHold: call.holdStartedAt !== null,
      // Without the details: a conversion's carry the IBAN.
      disposition: call.disposition && {
        code: call.disposition.code,
        notes: call.disposition.notes,
        successful: call.disposition.successful,
        effect: call.disposition.effect,
      },
      dispositions: dispositionsFor(call.orgId, cycleOf(call)),
    };
  }

  /**
   * A queue as the router sees it: references by key turned into the runtime's
   * queue ids, and served only by operators logged in to it. The log-in clause
   * is added here, where every spec is handed to the router, and never stored:
   * it makes each queue's pool its own (runtime-queue-logins.ts).
   */
  const routingSpecOf = (q: RuntimeQueue) =>
    servedByLoggedIn(
      toRoutingQueueSpec(q, q.orgId, (key) => queueByKey.get(`${q.orgId}/${key}`)?.id ?? key),
      (queueId) => (queuesById.get(queueId) ?? retiredQueues.get(queueId))?.skillExpression ?? null,
    );

  const operatorQueue = (userId: string, q: RuntimeQueue): OperatorQueue => ({
    queueId: q.id,
    orgId: q.orgId,
    key: q.key,
    name: q.name,
    direction: q.direction,
    loggedIn: !queueLogouts.get(userId)?.has(q.id),
  });

  /** The queues of the operator's organizations (throws for someone who takes no contacts). */
  function queuesOf(userId: string): RuntimeQueue[] {
    requireRunning();
    const op = operatorsById.get(userId);
    if (!op || leaving.has(userId))
      throw new LiveRuntimeError('LIVE_NOT_AN_OPERATOR', 'this account takes no contacts');
    return [...queuesById.values()].filter((q) => op.organizationIds.includes(q.orgId));
  }

  function queuesChanged(userId: string) {
    const loggedOutQueueIds = [...(queueLogouts.get(userId) ?? [])];
    publish(null, 'agent.queues_changed', { userId, loggedOutQueueIds, at: iso(clock.now()) }, userId);
  }

  function setQueueLogin(userId: string, queue: RuntimeQueue, loggedIn: boolean): OperatorQueue {
    const logouts = queueLogouts.get(userId) ?? new Set<string>();
    if (logouts.has(queue.id) === !loggedIn) return operatorQueue(userId, queue);
    if (loggedIn) logouts.delete(queue.id);
    else logouts.add(queue.id);
    if (logouts.size === 0) queueLogouts.delete(userId);
    else queueLogouts.set(userId, logouts);
    // Memberships are recomputed; an offer ringing or a call in progress goes on.
    routerCall((r, now) => r.updateAgent(agentSpec(operatorsById.get(userId)!), now));
    queuesChanged(userId);
    return operatorQueue(userId, queue);
  }

  /** Whether inbound numbers reach the queue (their IVR flow names it, or it is the flowless numbers' queue). */
  function servesNumbers(queue: RuntimeQueue): boolean {
    const numbers = (config?.numbers ?? []).filter((n) => n.orgId === queue.orgId);
    const firstInbound = config?.queues.find((q) => q.orgId === queue.orgId && q.direction === 'inbound');
    return numbers.some((n) => {
      if (n.ivrFlowId === null) return firstInbound?.id === queue.id;
      const flow = config?.ivrFlows.find((f) => f.id === n.ivrFlowId)?.definition;
      return Object.values(flow?.nodes ?? {}).some((node) => 'queue' in node && node.queue === queue.key);
    });
  }

  /** Runs one router change of a reload; a refusal is logged and the rest of the reload goes on. */
  const applied = (
    what: string,
    context: Record<string, unknown>,
    fn: (r: Router, now: number) => RoutingEvent[],
  ) => {
    try {
      route(fn);
      return true;
    } catch (error) {
      logger.error({ err: error, ...context }, `configuration reload: ${what} refused`);
      return false;
    }
  };

  /** A leaving operator is offline with nothing in progress: out of the router and of the operators. */
  function removeLeavingOperator(userId: string) {
    leaving.delete(userId);
    operatorsById.delete(userId);
    agentSince.delete(userId);
    offers.delete(userId);
    applied('operator removal', { userId }, (r, now) => r.removeAgent(userId, now));
  }

  /** Applies a configuration read after a change: the difference from the one in force. */
  function applyConfiguration(next: RuntimeConfiguration) {
    if (!config || !router) return;
    const diff = diffConfiguration({
      queues: [...queuesById.values()],
      // A leaving operator routed again counts as added: back in the router's eligibility at once.
      operators: [...operatorsById.values()].filter((op) => !leaving.has(op.userId)),
      next,
    });
    // Keys first: queues added together may name each other (overflow, maximum wait, closed).
    for (const q of diff.removedQueues) {
      queuesById.delete(q.id);
      if (queueByKey.get(`${q.orgId}/${q.key}`)?.id === q.id) queueByKey.delete(`${q.orgId}/${q.key}`);
      retiredQueues.set(q.id, q);
    }
    for (const q of next.queues) {
      queuesById.set(q.id, q);
      queueByKey.set(`${q.orgId}/${q.key}`, q);
    }
    for (const q of diff.addedQueues) {
      if (
        !applied('new queue', { queueId: q.id }, (r, now) => r.addQueue(linkFreeSpec(routingSpecOf(q)), now))
      ) {
        queuesById.delete(q.id);
        queueByKey.delete(`${q.orgId}/${q.key}`);
      }
    }
    for (const q of [...diff.addedQueues, ...diff.changedQueues])
      if (queuesById.has(q.id))
        applied('queue change', { queueId: q.id }, (r, now) => r.updateQueue(routingSpecOf(q), now));
    // Numbers, flows and dispositions for the next calls; a call in the IVR keeps the flow it started with.
    config = { ...config, ...next, campaigns: config.campaigns };
    for (const op of diff.addedOperators) {
      if (leaving.delete(op.userId) || operatorsById.has(op.userId)) {
        // Routed again before their last call ended: still in the router, offline.
        operatorsById.set(op.userId, op);
        applied('operator change', { userId: op.userId }, (r, now) => r.updateAgent(agentSpec(op), now));
        continue;
      }
      if (applied('new operator', { userId: op.userId }, (r, now) => r.addAgent(agentSpec(op), now))) {
        operatorsById.set(op.userId, op);
        agentSince.set(op.userId, clock.now());
      }
    }
    for (const op of diff.changedOperators) {
      operatorsById.set(op.userId, op);
      applied('operator change', { userId: op.userId }, (r, now) => r.updateAgent(agentSpec(op), now));
    }
    for (const userId of diff.removedOperators) {
      if (leaving.has(userId)) continue;
      leaving.add(userId);
      // Offers ringing are withdrawn and routed elsewhere; a call in progress and its wrap-up end
      // normally first (the router defers the logout behind them), then the operator is removed.
      applied('operator logout', { userId }, (r, now) => r.setAgentState(userId, 'offline', now));
      if (leaving.has(userId) && router.getAgent(userId).state === 'offline') removeLeavingOperator(userId);
      publish(
        null,
        'agent.presence_changed',
        { userId, presence: 'offline', reason: 'removed', forced: true, at: clock.now() },
        userId,
      );
    }
    for (const q of [...diff.addedQueues, ...diff.changedQueues])
      if (queuesById.has(q.id)) publishQueueStats(q);
    logger.info(
      {
        queues: {
          added: diff.addedQueues.length,
          changed: diff.changedQueues.length,
          removed: diff.removedQueues.length,
        },
        operators: {
          added: diff.addedOperators.length,
          changed: diff.changedOperators.length,
          removed: diff.removedOperators.length,
        },
        numbers: next.numbers.length,
        ivrFlows: next.ivrFlows.length,
      },
      'live center configuration reloaded',
    );
  }

  let reloadRun: Promise<void> | null = null;
  let reloadAgain = false;
  async function reloadOnce(): Promise<void> {
    const read = loadRuntimeConfiguration({ db });
    reads.add(read);
    try {
      const next = await read;
      if (!stopped) applyConfiguration(next);
    } catch (error) {
      logger.error(
        { err: error },
        'configuration reload failed; the live center keeps the configuration it had',
      );
    } finally {
      reads.delete(read);
    }
  }
  function reloadConfiguration(): Promise<void> {
    if (!router || stopped) return Promise.resolve();
    // A change committed while a reload reads may not be in what it read: one more after it.
    if (reloadRun) {
      reloadAgain = true;
      return reloadRun;
    }
    const run = (async () => {
      try {
        do {
          reloadAgain = false;
          await reloadOnce();
        } while (reloadAgain && !stopped);
      } finally {
        reloadRun = null;
      }
    })();
    reloadRun = run;
    return run;
  }

  const requireRunning = () => {
    if (!router || stopped) throw new LiveRuntimeError('LIVE_NOT_RUNNING', 'the live center is not running');
  };

  return {
    actions,
    async start() {
      const report = await recoverOpenWork({
        db,
        at: new Date(clock.now()),
        secrets: options.secrets ?? null,
        logger,
      });
      // Their attempt's interaction was just closed: they wait again, and are re-queued below.
      await releaseCallbacksInProgress({ db, at: new Date(clock.now()) });
      if (report.interactionsClosed > 0 || report.intervalsClosed > 0)
        logger.warn(report, 'live center recovered work left open by a stopped process');
      config = await loadRuntimeConfiguration({ db });
      for (const q of config.queues) {
        queuesById.set(q.id, q);
        queueByKey.set(`${q.orgId}/${q.key}`, q);
      }
      // Today's service level goes on from the stored contacts, not from zero, before any stats are published.
      seed(await loadServiceLevelToday({ db, queues: config.queues, at: clock.now() }));
      const now = clock.now();
      router = createRouter({
        queues: config.queues.map(routingSpecOf),
        random: options.random,
        ...(options.offerTimeoutSeconds !== undefined
          ? { offerTimeoutSeconds: options.offerTimeoutSeconds }
          : {}),
      });
      for (const op of config.operators) {
        operatorsById.set(op.userId, op);
        router.addAgent(agentSpec(op), now);
        agentSince.set(op.userId, now);
      }
      unsubscribe = gateway.subscribe(handleGatewayEvent);
      dialer = createDialer({
        db,
        clock,
        gateway,
        logger,
        newId: randomUUID,
        hooks: {
          idleOperators: (queueId) => router?.queueStats(queueId, clock.now()).idleAgents ?? 0,
          idleOwners: (campaign) => {
            // An owner logged out of the campaign's queue takes none of its call backs either.
            const waitedBy = new Set(
              [...byTask.values()]
                .filter(
                  (c) =>
                    c.outbound?.attempt.campaign.id === campaign.id &&
                    (c.phase === 'queued' || c.phase === 'offered'),
                )
                .map((c) => c.outbound!.attempt.contact.ownerUserId),
            );
            return [...operatorsById.values()]
              .filter(
                (op) =>
                  op.organizationIds.includes(campaign.orgId) &&
                  !waitedBy.has(op.userId) &&
                  !queueLogouts.get(op.userId)?.has(campaign.queueId) &&
                  operatorIdle(op.userId),
              )
              .map((op) => op.userId);
          },
          busyElapsedMs: (campaignId, now) =>
            [...calls.values()]
              .filter((c) => c.outbound?.attempt.campaign.id === campaignId && c.answeredAt !== null)
              .map((c) => now - c.answeredAt!),
          waiting: (campaignId) =>
            [...calls.values()].filter(
              (c) =>
                c.outbound?.attempt.campaign.id === campaignId &&
                (c.phase === 'queued' || c.phase === 'offered'),
            ).length,
          liveAnswer,
          unanswered: writeUnansweredAttempt,
          previewWaiting: (campaignId) =>
            [...byTask.values()].filter(
              (c) =>
                c.outbound?.preview &&
                c.outbound.attempt.campaign.id === campaignId &&
                (c.phase === 'queued' || c.phase === 'offered'),
            ).length,
          preview: previewTask,
          listsRefreshed: (refreshed) => {
            for (const c of refreshed) campaignProgress.changed(c.orgId, c.id);
          },
          gatewayFailed,
          track: (work) => {
            reads.add(work);
            const done = () => reads.delete(work);
            work.then(done, done);
          },
        },
      });
      await dialer.start(config.campaigns);
      await pollCallbacks();
      logger.info(
        { queues: config.queues.length, numbers: config.numbers.length, operators: config.operators.length },
        'live center started',
      );
      return report;
    },
    reloadConfiguration,
    async reloadDispositions() {
      const dispositions = await loadRuntimeDispositions({ db });
      if (config) config = { ...config, dispositions };
    },
    async stop() {
      stopped = true;
      dialer?.stop();
      campaignProgress.stop();
      unsubscribe?.();
      stopCallbacks();
      if (routerTimer !== null) clock.clearTimer(routerTimer);
      await writer.idle();
    },
    drain: async () => {
      // A read's end starts more work (answer, writes): wait until nothing is pending.
      do {
        await Promise.allSettled([...reads]);
        await writer.idle();
      } while (reads.size > 0 || writer.backlog() > 0);
    },
    registerSeat(seat) {
      seats.set(seat.operatorId, seat);
    },
    isOperator: (userId) => operatorsById.has(userId),
    now: () => clock.now(),
    session(userId) {
      requireRunning();
      const op = operatorsById.get(userId);
      if (!op) throw new LiveRuntimeError('LIVE_NOT_AN_OPERATOR', 'this account takes no contacts');
      const offer = offers.get(userId) ?? null;
      const current = [...byTask.values()].find((c) => c.operatorId === userId && c.phase !== 'closed');
      return {
        ...status(op),
        offer: offer ? { ...offer, screenPop: byTask.get(offer.offerId)?.screenPop ?? [] } : null,
        interaction: current ? view(current) : null,
      };
    },
    operators() {
      requireRunning();
      return [...operatorsById.values()].map(status);
    },
    queues(orgId) {
      requireRunning();
      return [...queuesById.values()]
        .filter((q) => q.orgId === orgId)
        .map((q) => queueStats(q)!)
        .filter(Boolean);
    },
    operatorQueues(userId) {
      return queuesOf(userId).map((q) => operatorQueue(userId, q));
    },
    setQueueLogin({ userId, queueId, loggedIn }) {
      const queue = queuesOf(userId).find((q) => q.id === queueId);
      if (!queue) throw new LiveRuntimeError('LIVE_QUEUE_NOT_FOUND', 'no such queue among yours');
      return setQueueLogin(userId, queue, loggedIn);
    },
    setCampaignLogin({ userId, campaignId, loggedIn }) {
      const mine = queuesOf(userId);
      const active = dialer?.campaigns() ?? [];
      const campaign = active.find((c) => c.id === campaignId);
      const queue = campaign && mine.find((q) => q.id === campaign.queueId);
      if (!campaign || !queue)
        throw new LiveRuntimeError('LIVE_CAMPAIGN_NOT_FOUND', 'no such active campaign among yours');
      if (active.some((c) => c.id !== campaign.id && c.queueId === queue.id) || servesNumbers(queue))
        throw new LiveRuntimeError(
          'LIVE_CAMPAIGN_QUEUE_SHARED',
          `the campaign's queue '${queue.key}' also serves other contacts: log in to or out of the queue instead`,
        );
      return setQueueLogin(userId, queue, loggedIn);
    },
    async forcePresence({ userId, presence, reason }) {
      requireRunning();
      requireOperator(userId);
      routerCall((r, now) => r.setAgentState(userId, presence, now, reason));
      const notice = { presence, reason: reason ?? null, forced: true, at: clock.now() };
      publish(null, 'agent.presence_changed', { userId, ...notice }, userId);
      seats.get(userId)?.presenceChanged(notice);
    },
  };
}
