// The outbound dialer of the live runtime (docs/live-center.md): every second
// of the live clock it asks each active campaign's pacer (engine/pacing) how
// many calls to place, takes that many contacts from the campaign's call list
// (modules/campaigns: dial-time checks of calling window, consent, do-not-call
// and register happen there, at the moment of dialing) and originates them on
// the gateway. What the far end does comes back as gateway events:
//
// - busy, no answer, failure, an answering machine: the attempt is written as
//   a closed outbound interaction and the contact's retry policy applied, in one
//   transaction;
// - a person: the runtime takes the call over (`hooks.liveAnswer`) and routes
//   it to the campaign's queue like an inbound call; if no operator is bridged
//   within the 2 s allowance the runtime drops it (DOMAIN.md §4) and tells the
//   dialer, so the pacer's drop budget sees it.
//
// Preview mode dials nothing by itself: for each idle operator of the
// campaign's queue without a preview waiting for them, it takes one due contact
// and hands it to the runtime (`hooks.preview`) as an `outbound_preview` task;
// the operator sees the record in the offer and the runtime dials on accept.
//
// A contact an operator asked to call back themselves ("call back: me") is
// theirs first, in every mode: each tick the due call backs of the campaign's
// idle owners are taken first, one per owner, and dialed (or, in preview,
// offered) for that owner alone; the runtime routes them to the owner's own
// queue. Not taken within OWNED_CALLBACK_WAIT_SECONDS of its time, as a
// queue's owned callback, the contact is anyone's: the ordinary pass takes it.
import { createDialerPacer, type DialerPacer } from '@centralino/engine';
import type { Database } from '../db/database.ts';
import type { AnsweredBy, CallId, DialFailure, GatewayEvent, TelephonyGateway } from '../gateways/gateway.ts';
import { refreshDueCallLists } from '../modules/campaigns/call-list.service.ts';
import {
  type DialableContact,
  releaseInProgressContacts,
  takeDialableContacts,
} from '../modules/campaigns/dialing.service.ts';
import {
  loadRuntimeCampaigns,
  type RuntimeCampaign,
} from '../modules/contact-center/runtime-config.service.ts';
import type { LiveClock, TimerId } from './clock.ts';
import { OWNED_CALLBACK_WAIT_SECONDS } from './runtime-operator-actions.ts';

/** One outbound attempt from the originate until a person answers or it ends. */
export type OutboundAttempt = {
  callId: CallId;
  interactionId: string;
  campaign: RuntimeCampaign;
  contact: DialableContact;
  dialedAt: number;
  calleeAnsweredAt: number | null;
  answeredBy: AnsweredBy | null;
};

export type DialerHooks = {
  /** Idle operators the campaign's queue could be given now. */
  idleOperators(queueId: string): number;
  /**
   * Operators of the campaign's organization idle now, with no contact of the
   * campaign already waiting for them in the runtime: whose own call backs to take.
   */
  idleOwners(campaign: RuntimeCampaign): string[];
  /** Elapsed handle time of each operator busy on a contact of the campaign. */
  busyElapsedMs(campaignId: string, now: number): number[];
  /** Answered, not yet bridged: the runtime's outbound calls waiting for an operator. */
  waiting(campaignId: string): number;
  /**
   * Nobody to route (busy, no answer, failure, machine): the runtime writes the
   * attempt as a closed interaction with the contact's retry, in one transaction.
   */
  unanswered(
    attempt: OutboundAttempt,
    outcome: 'no_answer' | 'busy' | 'machine' | 'failed',
    at: number,
  ): void;
  /** A person answered: the runtime routes the call from here on. */
  liveAnswer(attempt: OutboundAttempt, at: number): void;
  /** Preview campaigns: the contacts handed to the runtime not yet accepted by an operator. */
  previewWaiting(campaignId: string): number;
  /** Preview campaigns: a contact taken for an operator to see and dial (`callId` '' until dialed). */
  preview(attempt: OutboundAttempt): void;
  /** Call lists just rebuilt (their contacts and figures changed). */
  listsRefreshed?(campaigns: { id: string; orgId: string }[]): void;
  gatewayFailed(error: unknown): void;
  /** Work the runtime's `drain()` must wait for (call-list reads, reloads). */
  track(work: Promise<unknown>): void;
};

export type DialerOptions = {
  db: Database;
  clock: LiveClock;
  gateway: TelephonyGateway;
  logger: { error(o: unknown, msg: string): void; info(o: unknown, msg: string): void };
  hooks: DialerHooks;
  /** Ring time before an attempt is given up as no answer (default 25 s). */
  ringTimeoutMs?: number;
  /** Answering-machine detection on every dial (default true). */
  detectMachine?: boolean;
  /** How often the active campaigns are re-read and due call lists refreshed (default 60 s of live time). */
  reloadEveryMs?: number;
  newId: () => string;
};

export type Dialer = {
  start(campaigns: RuntimeCampaign[]): Promise<void>;
  stop(): void;
  /** Gateway events of calls the dialer placed; false for any other call. */
  handle(event: GatewayEvent): boolean;
  connected(campaignId: string, at: number): void;
  dropped(campaignId: string, at: number, reason: 'not_connected_in_time' | 'amd_false_positive'): void;
  campaigns(): RuntimeCampaign[];
  campaign(id: string): RuntimeCampaign | undefined;
  status(): { campaignId: string; inFlight: number; effectiveMode: string; dropRate24h: number | null }[];
};

const TICK_MS = 1000;
const REST_MS = 30_000;

const romeHour = (ms: number) =>
  Number(
    new Date(ms).toLocaleString('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', hourCycle: 'h23' }),
  );

export function createDialer(options: DialerOptions): Dialer {
  const { db, clock, gateway, logger, hooks } = options;
  const ringTimeoutMs = options.ringTimeoutMs ?? 25_000;
  const detectMachine = options.detectMachine ?? true;
  const reloadEveryMs = options.reloadEveryMs ?? 60_000;
  let active: RuntimeCampaign[] = [];
  const pacers = new Map<string, DialerPacer>();
  const inFlight = new Map<CallId, OutboundAttempt>();
  const inFlightOf = new Map<string, number>();
  /** Campaigns with a call-list read under way: never two at once. */
  const taking = new Set<string>();
  /** Calls (or previews) a campaign's take under way will place and has not yet: claimed like calls in flight. */
  const pendingDials = new Map<string, number>();
  /**
   * A campaign whose list gave fewer contacts than asked is left alone until
   * then (nothing due, outside its window): an idle operator must not turn
   * into a query a second.
   */
  const restUntil = new Map<string, number>();
  /** The same for the idle owners' call backs of a campaign. */
  const ownedRestUntil = new Map<string, number>();
  /** When each campaign last took contacts, as a sequence: whose turn it is among equal priorities. */
  const lastServed = new Map<string, number>();
  let serves = 0;
  let timer: TimerId | null = null;
  let lastReload = 0;
  let reloading = false;
  let stopped = false;

  const pacerOf = (campaign: RuntimeCampaign): DialerPacer => {
    let pacer = pacers.get(campaign.id);
    if (!pacer) {
      pacer = createDialerPacer({
        mode: campaign.pacing.mode,
        ...(campaign.pacing.ratio !== undefined ? { ratio: campaign.pacing.ratio } : {}),
        ...(campaign.pacing.ceiling !== undefined ? { ceiling: campaign.pacing.ceiling } : {}),
        hourOfDay: romeHour,
      });
      pacers.set(campaign.id, pacer);
    }
    return pacer;
  };

  const schedule = () => {
    if (stopped) return;
    timer = clock.setTimer(clock.now() + TICK_MS, () => {
      timer = null;
      tick();
      schedule();
    });
  };

  function tick() {
    const now = clock.now();
    if (now - lastReload >= reloadEveryMs && !reloading) {
      lastReload = now;
      reloading = true;
      hooks.track(
        reload(now).finally(() => {
          reloading = false;
        }),
      );
    }
    // Campaigns sharing a queue share its idle operators. Each counts only the
    // operators the queue's other campaigns have not claimed with calls ringing,
    // being placed or waiting: else two campaigns would dial for the same
    // operators, and the people reached beyond them would be dropped (the demo's
    // campaigns share one queue). Who claims first: a higher priority strictly
    // before a lower one, which gets what is left. Equal priorities take turns:
    // the one served least recently goes first, and each of them that can take
    // contacts now gets its part of the operators left (its own calls count in
    // it), rounded up, so a spare operator goes to whoever's turn it is. Else the
    // first with contacts due would take every operator and starve the others.
    const claimed = new Map<string, number>();
    for (const campaign of active)
      claimed.set(campaign.queueId, (claimed.get(campaign.queueId) ?? 0) + claimsOf(campaign));
    const order = servingOrder();
    for (const [i, campaign] of order.entries()) {
      const others = (claimed.get(campaign.queueId) ?? 0) - claimsOf(campaign);
      const free = Math.max(0, hooks.idleOperators(campaign.queueId) - others);
      const peersAfter = order
        .slice(i + 1)
        .filter((c) => c.queueId === campaign.queueId && c.priority === campaign.priority && ready(c, now));
      const idle = ready(campaign, now) ? Math.ceil(free / (1 + peersAfter.length)) : free;
      serve(campaign, idle, now);
      // What it just asked for is in its pending dials (set before any await).
      claimed.set(campaign.queueId, others + claimsOf(campaign));
    }
  }

  /** Would take contacts this tick if the pacer asks: not taking already, not resting on an empty list. */
  const ready = (campaign: RuntimeCampaign, now: number) =>
    campaign.callerNumber !== null && !taking.has(campaign.id) && (restUntil.get(campaign.id) ?? 0) <= now;

  /** `active` (priority, then id) with each run of equal priority least recently served first. */
  const servingOrder = () =>
    // Array sort is stable: never-served campaigns keep the id order among themselves.
    [...active].sort(
      (a, b) => b.priority - a.priority || (lastServed.get(a.id) ?? 0) - (lastServed.get(b.id) ?? 0),
    );

  /** Operators a campaign's calls will need: ringing, being placed, answered and waiting, previews waiting. */
  const claimsOf = (campaign: RuntimeCampaign) =>
    (inFlightOf.get(campaign.id) ?? 0) +
    (pendingDials.get(campaign.id) ?? 0) +
    hooks.waiting(campaign.id) +
    hooks.previewWaiting(campaign.id);

  /** One campaign's turn in a tick, given the idle operators left to it. */
  function serve(campaign: RuntimeCampaign, idle: number, now: number): void {
    if (campaign.callerNumber === null) return;
    if (taking.has(campaign.id)) return;
    // Owners' call backs first: the ordinary pass waits for the next tick, when the
    // pacer sees those dials in flight and those previews waiting.
    if ((ownedRestUntil.get(campaign.id) ?? 0) <= now) {
      const ringing = new Set(
        [...inFlight.values()]
          .filter((a) => a.campaign.id === campaign.id && a.contact.ownerUserId !== null)
          .map((a) => a.contact.ownerUserId),
      );
      const owners = hooks.idleOwners(campaign).filter((id) => !ringing.has(id));
      if (owners.length > 0) {
        takeForOwners(campaign, owners, now);
        return;
      }
    }
    if ((restUntil.get(campaign.id) ?? 0) > now) return;
    if (campaign.pacing.mode === 'preview') {
      const wanted = idle - hooks.previewWaiting(campaign.id);
      if (wanted > 0) takeForPreview(campaign, wanted, now);
      return;
    }
    const pacer = pacerOf(campaign);
    const calls = pacer.decide(
      {
        listId: campaign.id,
        availableOperators: idle,
        busyOperatorsElapsedMs: hooks.busyElapsedMs(campaign.id, now),
        callsInFlight: inFlightOf.get(campaign.id) ?? 0,
        callsInFlightElapsedMs: [...inFlight.values()]
          .filter((a) => a.campaign.id === campaign.id)
          .map((a) => now - a.dialedAt),
        callsWaiting: hooks.waiting(campaign.id),
      },
      now,
    );
    if (calls > 0) dial(campaign, calls, now);
  }

  async function reload(now: number) {
    try {
      const refreshed: { id: string; orgId: string }[] = [];
      try {
        await refreshDueCallLists(db, new Date(now), {
          onRefreshed: (campaign) => refreshed.push(campaign),
        });
      } finally {
        if (refreshed.length > 0) hooks.listsRefreshed?.(refreshed);
      }
    } catch (error) {
      // One campaign's failing refresh must not stop the others from dialing.
      logger.error({ err: error }, 'dialer: refreshing call lists failed');
    }
    try {
      if (!stopped) active = await loadRuntimeCampaigns({ db });
    } catch (error) {
      logger.error({ err: error }, 'dialer: reloading campaigns failed');
    }
  }

  function dial(campaign: RuntimeCampaign, limit: number, now: number) {
    lastServed.set(campaign.id, ++serves);
    taking.add(campaign.id);
    pendingDials.set(campaign.id, limit);
    const work = takeDialableContacts(db, {
      orgId: campaign.orgId,
      campaignId: campaign.id,
      at: new Date(now),
      limit,
      ownerWaitMs: OWNED_CALLBACK_WAIT_SECONDS * 1000,
    })
      .then(async (contacts: DialableContact[]) => {
        if (contacts.length < limit) restUntil.set(campaign.id, now + REST_MS);
        pendingDials.set(campaign.id, contacts.length);
        for (const contact of contacts) {
          if (stopped) return;
          await originate(campaign, contact);
          pendingDials.set(campaign.id, (pendingDials.get(campaign.id) ?? 1) - 1);
        }
      })
      .catch((error: unknown) => logger.error({ err: error, campaignId: campaign.id }, 'dialer: dial failed'))
      .finally(() => {
        taking.delete(campaign.id);
        pendingDials.delete(campaign.id);
      });
    hooks.track(work);
  }

  /** Preview: due contacts become tasks for the queue's operators (the runtime dials on accept). */
  function takeForPreview(campaign: RuntimeCampaign, limit: number, now: number) {
    lastServed.set(campaign.id, ++serves);
    taking.add(campaign.id);
    pendingDials.set(campaign.id, limit);
    const work = takeDialableContacts(db, {
      orgId: campaign.orgId,
      campaignId: campaign.id,
      at: new Date(now),
      limit,
      ownerWaitMs: OWNED_CALLBACK_WAIT_SECONDS * 1000,
    })
      .then((contacts: DialableContact[]) => {
        if (contacts.length < limit) restUntil.set(campaign.id, now + REST_MS);
        for (const contact of contacts) if (!stopped) hooks.preview(newAttempt(campaign, contact, '', now));
      })
      .catch((error: unknown) =>
        logger.error({ err: error, campaignId: campaign.id }, 'dialer: preview failed'),
      )
      .finally(() => {
        taking.delete(campaign.id);
        pendingDials.delete(campaign.id);
      });
    hooks.track(work);
  }

  /** Idle owners' due call backs, one each: dialed for them, or offered to them in preview. */
  function takeForOwners(campaign: RuntimeCampaign, owners: string[], now: number) {
    lastServed.set(campaign.id, ++serves);
    taking.add(campaign.id);
    pendingDials.set(campaign.id, owners.length);
    const work = takeDialableContacts(db, {
      orgId: campaign.orgId,
      campaignId: campaign.id,
      at: new Date(now),
      limit: owners.length,
      forOwners: owners,
    })
      .then(async (contacts: DialableContact[]) => {
        if (contacts.length < owners.length) ownedRestUntil.set(campaign.id, now + REST_MS);
        for (const contact of contacts) {
          if (stopped) return;
          if (campaign.pacing.mode === 'preview') hooks.preview(newAttempt(campaign, contact, '', now));
          else await originate(campaign, contact);
        }
      })
      .catch((error: unknown) =>
        logger.error({ err: error, campaignId: campaign.id }, 'dialer: owned call backs failed'),
      )
      .finally(() => {
        taking.delete(campaign.id);
        pendingDials.delete(campaign.id);
      });
    hooks.track(work);
  }

  async function originate(campaign: RuntimeCampaign, contact: DialableContact) {
    const dialedAt = clock.now();
    let callId: CallId;
    try {
      ({ callId } = await gateway.originate({
        number: contact.phone,
        callerId: campaign.callerNumber!,
        timeoutMs: ringTimeoutMs,
        detectMachine,
      }));
    } catch (error) {
      // The gateway refused the dial itself (a malformed number): a failed attempt.
      hooks.gatewayFailed(error);
      const attempt = newAttempt(campaign, contact, '', dialedAt);
      hooks.unanswered(attempt, 'failed', dialedAt);
      return;
    }
    const attempt = newAttempt(campaign, contact, callId, dialedAt);
    inFlight.set(callId, attempt);
    inFlightOf.set(campaign.id, (inFlightOf.get(campaign.id) ?? 0) + 1);
    pacerOf(campaign).record({ kind: 'dial', listId: campaign.id }, dialedAt);
  }

  const newAttempt = (
    campaign: RuntimeCampaign,
    contact: DialableContact,
    callId: CallId,
    dialedAt: number,
  ): OutboundAttempt => ({
    callId,
    interactionId: options.newId(),
    campaign,
    contact,
    dialedAt,
    calleeAnsweredAt: null,
    answeredBy: null,
  });

  function settle(attempt: OutboundAttempt) {
    inFlight.delete(attempt.callId);
    inFlightOf.set(attempt.campaign.id, Math.max(0, (inFlightOf.get(attempt.campaign.id) ?? 1) - 1));
  }

  /** The attempt reached no one the runtime routes: written closed, retry policy applied. */
  function unanswered(
    attempt: OutboundAttempt,
    outcome: 'no_answer' | 'busy' | 'machine' | 'failed',
    at: number,
  ) {
    settle(attempt);
    const pacer = pacerOf(attempt.campaign);
    pacer.record(
      outcome === 'machine'
        ? { kind: 'machine', listId: attempt.campaign.id, afterMs: at - attempt.dialedAt }
        : { kind: 'no_answer', listId: attempt.campaign.id, afterMs: at - attempt.dialedAt },
      at,
    );
    hooks.unanswered(attempt, outcome, at);
  }

  function live(attempt: OutboundAttempt, at: number) {
    settle(attempt);
    pacerOf(attempt.campaign).record(
      {
        kind: 'live',
        listId: attempt.campaign.id,
        ringMs: (attempt.calleeAnsweredAt ?? at) - attempt.dialedAt,
      },
      at,
    );
    hooks.liveAnswer(attempt, at);
  }

  const failureOutcome = (reason: DialFailure): 'no_answer' | 'busy' | 'failed' => reason;

  return {
    async start(campaigns) {
      active = campaigns;
      lastReload = clock.now();
      // Contacts a stopped process had taken are due again (their attempt counted).
      await releaseInProgressContacts(db, new Date(clock.now()));
      schedule();
    },
    stop() {
      stopped = true;
      if (timer !== null) clock.clearTimer(timer);
      timer = null;
    },
    handle(event) {
      const attempt = inFlight.get(event.callId);
      if (!attempt) return false;
      switch (event.type) {
        case 'call.answered':
          attempt.calleeAnsweredAt = event.at;
          // Without machine detection every answer is taken for a person.
          if (!detectMachine) live(attempt, event.at);
          return true;
        case 'call.answered_by':
          attempt.answeredBy = event.answeredBy;
          if (event.answeredBy === 'human') live(attempt, event.at);
          else {
            // A machine: hang up; a machine that was a person is an AMD false positive the
            // simulator knows and we cannot (counted as a drop where the gateway reports it).
            gateway.hangUp({ callId: attempt.callId }).catch(hooks.gatewayFailed);
            unanswered(attempt, 'machine', event.at);
          }
          return true;
        case 'call.dial_failed':
          unanswered(attempt, failureOutcome(event.reason), event.at);
          return true;
        case 'call.hangup':
          // Ended while ringing or during detection without a verdict.
          unanswered(attempt, attempt.calleeAnsweredAt === null ? 'no_answer' : 'failed', event.at);
          return true;
        default:
          return true;
      }
    },
    connected(campaignId, at) {
      pacers.get(campaignId)?.record({ kind: 'connect' }, at);
    },
    dropped(campaignId, at, reason) {
      pacers.get(campaignId)?.record({ kind: 'drop', reason }, at);
    },
    campaigns: () => active,
    campaign: (id) => active.find((c) => c.id === id),
    status() {
      const now = clock.now();
      return active.map((c) => {
        const s = pacers.get(c.id)?.status(now);
        return {
          campaignId: c.id,
          inFlight: inFlightOf.get(c.id) ?? 0,
          effectiveMode: s?.effectiveMode ?? c.pacing.mode,
          dropRate24h: s && s.day.liveAnswers > 0 ? s.day.drops / s.day.liveAnswers : null,
        };
      });
    },
  };
}
