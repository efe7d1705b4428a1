// What one interaction, one agent-state interval or one shift adds to the
// counters, and to which 15-minute rollup key. A rollup is the sum of these
// contributions, so the server can maintain it one closed interaction at a time
// and a rebuild from the raw records gives the same numbers.

import type { KpiCounters } from './kpi.counters.ts';
import type { NormalizedAgentState, NormalizedInteraction, NormalizedShift } from './kpi.records.ts';
import type { CountingSettings } from './kpi.settings.ts';
import { INTERVAL_MS, intervalStartOf } from './kpi.time.ts';
import type { InteractionDirection } from './kpi.types.ts';

/** The dimensions of a rollup row; null where the row has none (agent time has no direction). */
export type RollupKey = {
  intervalStartMs: number;
  orgId: string | null;
  queue: string | null;
  campaign: string | null;
  operator: string | null;
  channel: string | null;
  direction: InteractionDirection | null;
};

export type Contribution = { key: RollupKey; counters: Partial<KpiCounters> };

/**
 * Facts about an interaction that depend on other interactions (its history).
 * `deriveContactFlags` computes them over a batch; the server, adding one closed
 * interaction, computes them from the stored history the same way.
 */
export type ContactFlags = {
  /** Answered inbound contact of a supporter who had one within the FCR window before. */
  repeatContact: boolean;
  /** First attempt on its list record in its campaign (penetration, welcome records). */
  firstAttempt: boolean;
  /** First right-party contact on its list record in its campaign (welcome reach). */
  firstRightPartyContact: boolean;
};

const DAY_MS = 86_400_000;

/** The instant that places an interaction in an interval (DOMAIN.md §3: the interval it was queued in). */
export function countingInstant(
  record: NormalizedInteraction,
  settings: Pick<CountingSettings, 'countBy'>,
): number {
  if (record.direction === 'outbound') return record.dialedAt ?? record.createdAt;
  if (settings.countBy === 'answered') {
    return record.answeredAt ?? record.abandonedAt ?? record.queuedAt ?? record.createdAt;
  }
  return record.queuedAt ?? record.createdAt;
}

function keyOf(record: NormalizedInteraction, instant: number): RollupKey {
  return {
    intervalStartMs: intervalStartOf(instant),
    orgId: record.orgId,
    queue: record.queue ?? null,
    campaign: record.campaign ?? null,
    operator: record.operator ?? null,
    channel: record.channel,
    direction: record.direction,
  };
}

/** A live person answered (DOMAIN.md §4): detected human, an AMD false positive, or a manual dial an operator took. */
export function isLiveAnswer(record: NormalizedInteraction): boolean {
  return (
    record.answeredBy === 'human' ||
    record.amdFalsePositive === true ||
    record.dropped === true ||
    (record.answeredBy == null && record.answeredAt !== undefined)
  );
}

/**
 * A drop (DOMAIN.md §4): a live answer not connected to an operator within
 * `dropConnectSeconds` of the greeting; every AMD false positive is one. The
 * dialer's own `dropped` verdict wins when given.
 */
export function isDrop(
  record: NormalizedInteraction,
  settings: Pick<CountingSettings, 'dropConnectSeconds'>,
): boolean {
  if (!isLiveAnswer(record)) return false;
  if (record.dropped != null) return record.dropped;
  if (record.amdFalsePositive === true) return true;
  if (record.answeredBy !== 'human') return false;
  if (record.answeredAt === undefined) return true;
  if (record.calleeAnsweredAt === undefined) return false;
  return record.answeredAt - record.calleeAnsweredAt > settings.dropConnectSeconds * 1000;
}

function isDialed(record: NormalizedInteraction): boolean {
  return record.dialedAt !== undefined || record.answeredBy != null || record.calleeAnsweredAt !== undefined;
}

/** When the right party was reached: the greeting, else the operator connection, else the dial. */
function reachedAt(record: NormalizedInteraction): number {
  return record.calleeAnsweredAt ?? record.answeredAt ?? record.dialedAt ?? record.createdAt;
}

const CYCLE_COUNTERS = {
  upgrade: ['upgradeDials', 'upgradeConnects', 'upgradeRpc', 'upgrades'],
  conversion: ['conversionDials', 'conversionConnects', 'conversionRpc', 'conversions'],
  recapture: ['recaptureDials', 'recaptureConnects', 'recaptureRpc', 'recaptures'],
} as const;

function inboundCounters(r: NormalizedInteraction, s: CountingSettings, c: Partial<KpiCounters>): void {
  if (r.queuedAt === undefined) return; // never queued: no part in offered, service level or waits
  c.offered = 1;
  const thresholdMs = s.serviceLevelThresholdSeconds * 1000;
  if (r.answeredAt !== undefined) {
    // Queue wait = answered − queued (DOMAIN.md §2); "within T" includes exactly T.
    const wait = r.answeredAt - r.queuedAt;
    c.answered = 1;
    c.answeredWaitMs = wait;
    c.maxQueueWaitMs = wait;
    if (wait <= thresholdMs) c.answeredWithinT = 1;
  } else if (r.abandonedAt !== undefined) {
    const wait = r.abandonedAt - r.queuedAt;
    c.abandoned = 1;
    c.abandonedWaitMs = wait;
    c.maxQueueWaitMs = wait;
    const withinT = wait <= thresholdMs;
    if (withinT) c.abandonedWithinT = 1;
    if (wait <= s.shortAbandonSeconds * 1000) {
      c.abandonedShort = 1;
      if (withinT) c.abandonedShortWithinT = 1;
    }
  }
}

function handlingCounters(r: NormalizedInteraction, flags: ContactFlags, c: Partial<KpiCounters>): void {
  if (r.answeredAt === undefined) return;
  c.operatorAnswered = 1;
  if (r.transferred === true) c.transferred = 1;
  if (r.endedAt !== undefined) {
    // talk = ended − answered − hold; wrap = wrap_ended − ended; handle = talk + hold + wrap (§2).
    c.handled = 1;
    c.talkMs = r.endedAt - r.answeredAt - r.holdMs;
    c.holdMs = r.holdMs;
    c.wrapMs = r.wrapEndedAt !== undefined ? r.wrapEndedAt - r.endedAt : 0;
  }
  if (r.direction === 'inbound' && r.supporterId) {
    c.fcrContacts = 1;
    if (flags.repeatContact) c.fcrRepeats = 1;
  }
}

function outboundCounters(
  r: NormalizedInteraction,
  flags: ContactFlags,
  s: CountingSettings,
  c: Partial<KpiCounters>,
) {
  c.attempts = 1;
  const dialed = isDialed(r);
  const live = isLiveAnswer(r);
  const rpc = r.rightPartyContact === true;
  const success = r.successful === true;
  if (dialed) c.dials = 1;
  if (live) c.connects = 1;
  if (rpc) c.rpc = 1;
  if (success) c.successes = 1;
  if (flags.firstAttempt) c.firstAttempts = 1;
  if (isDrop(r, s)) c.drops = 1;
  const cycle = r.cycleType;
  if (cycle === 'upgrade' || cycle === 'conversion' || cycle === 'recapture') {
    const [dials, connects, rpcs, successes] = CYCLE_COUNTERS[cycle];
    if (dialed) c[dials] = 1;
    if (live) c[connects] = 1;
    if (rpc) c[rpcs] = 1;
    if (success) c[successes] = 1;
    if (success && cycle === 'upgrade') c.upgradeAmountCents = r.outcomeAmountCents ?? 0;
  }
}

/**
 * Welcome reach is a cohort figure: of the supporters who entered the welcome
 * cycle in a period (by `cycleStartedAt`), the share reached within N days. Both
 * counters sit in the interval of `cycleStartedAt`, so any grouping is exact.
 */
function welcomeContribution(
  r: NormalizedInteraction,
  flags: ContactFlags,
  s: CountingSettings,
): Contribution | null {
  if (r.direction !== 'outbound' || r.cycleType !== 'welcome' || r.cycleStartedAt === undefined) return null;
  const counters: Partial<KpiCounters> = {};
  if (flags.firstAttempt) counters.welcomeRecords = 1;
  if (flags.firstRightPartyContact && reachedAt(r) - r.cycleStartedAt <= s.welcomeReachDays * DAY_MS) {
    counters.welcomeReached = 1;
  }
  if (counters.welcomeRecords === undefined && counters.welcomeReached === undefined) return null;
  return { key: keyOf(r, r.cycleStartedAt), counters };
}

/** The counters one interaction adds, by rollup key (usually one key; welcome cohorts add a second). */
export function interactionContributions(
  record: NormalizedInteraction,
  flags: ContactFlags,
  settings: CountingSettings,
): Contribution[] {
  const counters: Partial<KpiCounters> = {};
  if (record.direction === 'inbound') inboundCounters(record, settings, counters);
  else outboundCounters(record, flags, settings, counters);
  handlingCounters(record, flags, counters);
  const out: Contribution[] = [{ key: keyOf(record, countingInstant(record, settings)), counters }];
  const welcome = welcomeContribution(record, flags, settings);
  if (welcome) out.push(welcome);
  return out;
}

/** Splits [from, to) at 15-minute boundaries: time spanning intervals is shared exactly. */
function* pieces(fromMs: number, toMs: number): Generator<[start: number, ms: number]> {
  let t = fromMs;
  while (t < toMs) {
    const start = intervalStartOf(t);
    const end = Math.min(start + INTERVAL_MS, toMs);
    yield [start, end - t];
    t = end;
  }
}

function timeKey(
  item: { orgId?: string | null; queue?: string | null; campaign?: string | null; operator: string },
  channel: string | null,
  start: number,
): RollupKey {
  return {
    intervalStartMs: start,
    orgId: item.orgId ?? null,
    queue: item.queue ?? null,
    campaign: item.campaign ?? null,
    operator: item.operator,
    channel,
    direction: null,
  };
}

/**
 * Agent time by state: handle = busy (talk and hold) + wrap-up; available =
 * available + reserved (an offer ringing is not yet handle time, §2 starts handle
 * at answer); logged in = every state but offline; billable not-ready = the
 * reasons the organization pays for (DOMAIN.md §10).
 */
export function agentStateContributions(
  state: NormalizedAgentState,
  settings: CountingSettings,
): Contribution[] {
  const out: Contribution[] = [];
  if (state.state === 'offline') return out;
  const billable =
    state.state === 'not_ready' && !!state.reason && settings.billableNotReadyReasons.includes(state.reason);
  for (const [start, ms] of pieces(state.fromMs, state.toMs)) {
    const counters: Partial<KpiCounters> = { agentLoggedInMs: ms };
    if (state.state === 'busy' || state.state === 'wrap_up') counters.agentHandleMs = ms;
    else if (state.state === 'available' || state.state === 'reserved') counters.agentAvailableMs = ms;
    else if (billable) counters.billableNotReadyMs = ms;
    out.push({ key: timeKey(state, state.channel ?? null, start), counters });
  }
  return out;
}

export function shiftContributions(shift: NormalizedShift): Contribution[] {
  const out: Contribution[] = [];
  for (const [start, ms] of pieces(shift.fromMs, shift.toMs)) {
    out.push({ key: timeKey(shift, null, start), counters: { scheduledMs: ms } });
  }
  return out;
}
