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

const ZERO: KpiCounters = Object.freeze(
  Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as KpiCounters,
);

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

export function sumCounters(list: Iterable<Partial<KpiCounters>>): KpiCounters {
  const total = emptyCounters();
  for (const counters of list) addCounters(total, counters);
  return total;
}
