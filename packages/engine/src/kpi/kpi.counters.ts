// The additive counters every KPI is computed from. A rollup stores these sums
// and counts (never averages or ratios), so adding rows of any grouping and then
// applying a formula gives exactly the figure computed from the raw records.
// Durations are integer milliseconds, so sums stay exact far beyond a year of
// contacts (2^53 ms ≈ 285,000 years). `maxQueueWaitMs` is combined by max.

export const COUNTER_NAMES = [
  // Inbound contacts queued in the interval (DOMAIN.md §3: A, Ab, A≤T, Ab≤T, short).
  'offered',
  'answered',
  'abandoned',
  'answeredWithinT',
  'abandonedWithinT',
  'abandonedShort',
  'abandonedShortWithinT',
  'answeredWaitMs',
  'abandonedWaitMs',
  'maxQueueWaitMs',
  // Handling, any direction: contacts an operator answered; handled = answered and ended.
  'operatorAnswered',
  'transferred',
  'handled',
  'talkMs',
  'holdMs',
  'wrapMs',
  // FCR: answered inbound contacts of a known supporter, and the repeats among them.
  'fcrContacts',
  'fcrRepeats',
  // Outbound (DOMAIN.md §4).
  'attempts',
  'dials',
  'connects',
  'rpc',
  'successes',
  'firstAttempts',
  'drops',
  // Contact cycles (DOMAIN.md §5).
  'upgradeDials',
  'upgradeConnects',
  'upgradeRpc',
  'upgrades',
  'upgradeAmountCents',
  'conversionDials',
  'conversionConnects',
  'conversionRpc',
  'conversions',
  'recaptureDials',
  'recaptureConnects',
  'recaptureRpc',
  'recaptures',
  'welcomeRecords',
  'welcomeReached',
  // Agent-state log and schedule (DOMAIN.md §3 occupancy and utilisation, §10 billable time).
  'agentHandleMs',
  'agentAvailableMs',
  'agentLoggedInMs',
  'billableNotReadyMs',
  'scheduledMs',
] as const;

export type CounterName = (typeof COUNTER_NAMES)[number];
export type KpiCounters = Record<CounterName, number>;

const MAX_COUNTERS: ReadonlySet<CounterName> = new Set(['maxQueueWaitMs']);

// Written out (not built in a loop) so every counters object shares one fast
// hidden class; `satisfies` keeps it in step with COUNTER_NAMES.
const ZERO: KpiCounters = Object.freeze({
  offered: 0,
  answered: 0,
  abandoned: 0,
  answeredWithinT: 0,
  abandonedWithinT: 0,
  abandonedShort: 0,
  abandonedShortWithinT: 0,
  answeredWaitMs: 0,
  abandonedWaitMs: 0,
  maxQueueWaitMs: 0,
  operatorAnswered: 0,
  transferred: 0,
  handled: 0,
  talkMs: 0,
  holdMs: 0,
  wrapMs: 0,
  fcrContacts: 0,
  fcrRepeats: 0,
  attempts: 0,
  dials: 0,
  connects: 0,
  rpc: 0,
  successes: 0,
  firstAttempts: 0,
  drops: 0,
  upgradeDials: 0,
  upgradeConnects: 0,
  upgradeRpc: 0,
  upgrades: 0,
  upgradeAmountCents: 0,
  conversionDials: 0,
  conversionConnects: 0,
  conversionRpc: 0,
  conversions: 0,
  recaptureDials: 0,
  recaptureConnects: 0,
  recaptureRpc: 0,
  recaptures: 0,
  welcomeRecords: 0,
  welcomeReached: 0,
  agentHandleMs: 0,
  agentAvailableMs: 0,
  agentLoggedInMs: 0,
  billableNotReadyMs: 0,
  scheduledMs: 0,
} satisfies KpiCounters);

export function emptyCounters(): KpiCounters {
  // A spread of one literal shape keeps every row on the same hidden class.
  return { ...ZERO };
}

/** Adds `from` into `into` (max for maxima); either may be partial. */
export function addCounters<T extends Partial<KpiCounters>>(into: T, from: Partial<KpiCounters>): T {
  for (const name in from) {
    const value = from[name as CounterName]!;
    const current = into[name as CounterName] ?? 0;
    into[name as CounterName] = MAX_COUNTERS.has(name as CounterName)
      ? Math.max(current, value)
      : current + value;
  }
  return into;
}

/** Adds a full set of counters (a rollup row) into another: the hot path of every grouping, spelled out. */
export function addAllCounters(into: KpiCounters, from: KpiCounters): KpiCounters {
  into.offered += from.offered;
  into.answered += from.answered;
  into.abandoned += from.abandoned;
  into.answeredWithinT += from.answeredWithinT;
  into.abandonedWithinT += from.abandonedWithinT;
  into.abandonedShort += from.abandonedShort;
  into.abandonedShortWithinT += from.abandonedShortWithinT;
  into.answeredWaitMs += from.answeredWaitMs;
  into.abandonedWaitMs += from.abandonedWaitMs;
  into.operatorAnswered += from.operatorAnswered;
  into.transferred += from.transferred;
  into.handled += from.handled;
  into.talkMs += from.talkMs;
  into.holdMs += from.holdMs;
  into.wrapMs += from.wrapMs;
  into.fcrContacts += from.fcrContacts;
  into.fcrRepeats += from.fcrRepeats;
  into.attempts += from.attempts;
  into.dials += from.dials;
  into.connects += from.connects;
  into.rpc += from.rpc;
  into.successes += from.successes;
  into.firstAttempts += from.firstAttempts;
  into.drops += from.drops;
  into.upgradeDials += from.upgradeDials;
  into.upgradeConnects += from.upgradeConnects;
  into.upgradeRpc += from.upgradeRpc;
  into.upgrades += from.upgrades;
  into.upgradeAmountCents += from.upgradeAmountCents;
  into.conversionDials += from.conversionDials;
  into.conversionConnects += from.conversionConnects;
  into.conversionRpc += from.conversionRpc;
  into.conversions += from.conversions;
  into.recaptureDials += from.recaptureDials;
  into.recaptureConnects += from.recaptureConnects;
  into.recaptureRpc += from.recaptureRpc;
  into.recaptures += from.recaptures;
  into.welcomeRecords += from.welcomeRecords;
  into.welcomeReached += from.welcomeReached;
  into.agentHandleMs += from.agentHandleMs;
  into.agentAvailableMs += from.agentAvailableMs;
  into.agentLoggedInMs += from.agentLoggedInMs;
  into.billableNotReadyMs += from.billableNotReadyMs;
  into.scheduledMs += from.scheduledMs;
  if (from.maxQueueWaitMs > into.maxQueueWaitMs) into.maxQueueWaitMs = from.maxQueueWaitMs;
  return into;
}

export function sumCounters(list: Iterable<Partial<KpiCounters>>): KpiCounters {
  const total = emptyCounters();
  for (const counters of list) addCounters(total, counters);
  return total;
}
