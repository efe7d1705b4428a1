// The formulas: every KPI as a numerator and a denominator over the additive
// counters (DOMAIN.md §3 inbound, §4 outbound, §5 cycles, §10 billable time),
// each with its definition as data. The same function serves raw records and
// rollups, which is what makes a rollup's figure equal the raw computation.

import type { CounterName, KpiCounters } from './kpi.counters.ts';
import type { KpiDefinition, KpiFigure, KpiFigures, KpiId, KpiSettings, KpiUnit } from './kpi.types.ts';

/** A counter added (`name`) or subtracted (`-name`). */
type Term = CounterName | `-${CounterName}`;

type Kind =
  /** value = Σ numerator. */
  | 'count'
  /** value = Σ numerator / Σ denominator. */
  | 'ratio'
  /** numerator in ms, denominator a count: value in seconds. */
  | 'mean_seconds'
  /** numerator in cents, denominator a count. */
  | 'mean_cents'
  /** numerator and denominator in ms: value a ratio, reported in seconds. */
  | 'time_ratio'
  /** numerator in ms: value in hours. */
  | 'hours'
  /** numerator a count, denominator in ms: value per hour. */
  | 'per_hour'
  /** numerator a maximum in ms (denominator: the population that has one). */
  | 'max_seconds'
  /** numerator a count, denominator the list size given by the caller. */
  | 'per_list_record';

type Spec = {
  kpi: KpiId;
  unit: KpiUnit;
  better: 'higher' | 'lower' | null;
  kind: Kind;
  numerator: Term[];
  denominator: Term[];
  formula: string;
  variant?: string;
  parameters?: KpiDefinition['parameters'];
  /** Why the figure is absent when the denominator is zero. */
  empty: string;
};

/** Inputs that are not interactions: the size of the call lists, for penetration and saturation. */
export type KpiContext = {
  /** Records in the call lists of the campaigns selected; penetration and saturation are absent without it. */
  listRecords?: number | null;
};

function serviceLevelSpec(s: KpiSettings): Spec {
  // Excluding short abandons removes them from the population: from Ab and from
  // Ab≤T alike, so no variant can count a short abandon in only one place.
  const x = s.serviceLevelExcludesShortAbandons;
  const ab: Term[] = x ? ['abandoned', '-abandonedShort'] : ['abandoned'];
  const abT: Term[] = x ? ['abandonedWithinT', '-abandonedShortWithinT'] : ['abandonedWithinT'];
  const formulas: Record<KpiSettings['serviceLevelFormula'], [Term[], Term[], string]> = {
    answered_or_abandoned_within: [
      ['answeredWithinT', ...abT],
      ['answered', ...ab],
      '(A≤T + Ab≤T) / (A + Ab)',
    ],
    answered_within: [['answeredWithinT'], ['answered', ...ab], 'A≤T / (A + Ab)'],
    answered_within_of_answered: [['answeredWithinT'], ['answered'], 'A≤T / A'],
    answered_within_excluding_abandoned_within: [
      ['answeredWithinT'],
      ['answered', ...ab, ...abT.map(negate)],
      'A≤T / (A + Ab − Ab≤T)',
    ],
  };
  const [numerator, denominator, formula] = formulas[s.serviceLevelFormula];
  return {
    kpi: 'service_level',
    unit: 'ratio',
    better: 'higher',
    kind: 'ratio',
    numerator,
    denominator,
    formula: x
      ? `${formula}, short abandons (wait ≤ ${s.shortAbandonSeconds} s) left out of Ab and Ab≤T`
      : formula,
    variant: x ? `${s.serviceLevelFormula}+excluding_short_abandons` : s.serviceLevelFormula,
    parameters: {
      thresholdSeconds: s.serviceLevelThresholdSeconds,
      shortAbandonSeconds: s.shortAbandonSeconds,
      excludesShortAbandons: x,
      countBy: s.countBy,
    },
    empty: 'no contact answered or abandoned in the period',
  };
}

function negate(term: Term): Term {
  return term.startsWith('-') ? (term.slice(1) as Term) : (`-${term}` as Term);
}

const CYCLE_DENOMINATOR = {
  upgrade: { dials: 'upgradeDials', connects: 'upgradeConnects', rpc: 'upgradeRpc' },
  conversion: { dials: 'conversionDials', connects: 'conversionConnects', rpc: 'conversionRpc' },
  recapture: { dials: 'recaptureDials', connects: 'recaptureConnects', rpc: 'recaptureRpc' },
} as const;

/** The definition of every KPI under the given settings. */
export function kpiSpecs(s: KpiSettings): Record<KpiId, Spec> {
  const T = { thresholdSeconds: s.serviceLevelThresholdSeconds, countBy: s.countBy };
  const short = { shortAbandonSeconds: s.shortAbandonSeconds, countBy: s.countBy };
  const conv = s.conversionDenominator;
  const convName = { dials: 'dials', connects: 'connects', rpc: 'RPC' }[conv];
  const cycleRate = (
    kpi: KpiId,
    cycle: keyof typeof CYCLE_DENOMINATOR,
    success: CounterName,
    what: string,
  ): Spec => ({
    kpi,
    unit: 'ratio',
    better: 'higher',
    kind: 'ratio',
    numerator: [success],
    denominator: [CYCLE_DENOMINATOR[cycle][conv]],
    formula: `${what} / ${convName} of the ${cycle} cycle`,
    variant: conv,
    parameters: { conversionDenominator: conv, cycle },
    empty: `no ${convName} in the ${cycle} cycle`,
  });
  const count = (kpi: KpiId, counter: CounterName, formula: string, parameters = {}): Spec => ({
    kpi,
    unit: 'count',
    better: null,
    kind: 'count',
    numerator: [counter],
    denominator: [],
    formula,
    parameters,
    empty: '',
  });
  const handlingPart = (kpi: KpiId, counter: CounterName, formula: string): Spec => ({
    kpi,
    unit: 'seconds',
    better: 'lower',
    kind: 'mean_seconds',
    numerator: [counter],
    denominator: ['handled'],
    formula,
    empty: 'no contact handled in the period',
  });
  const abandonIncludes = s.abandonRateIncludesShortAbandons;
  const list: Spec[] = [
    count('offered', 'offered', 'inbound contacts queued in the period', T),
    count('answered', 'answered', 'A: queued contacts answered by an operator', T),
    count('abandoned', 'abandoned', 'Ab: queued contacts abandoned while waiting or ringing', T),
    count(
      'short_abandons',
      'abandonedShort',
      'abandons with a queue wait ≤ the short-abandon threshold',
      short,
    ),
    serviceLevelSpec(s),
    {
      kpi: 'abandon_rate',
      unit: 'ratio',
      better: 'lower',
      kind: 'ratio',
      numerator: abandonIncludes ? ['abandoned'] : ['abandoned', '-abandonedShort'],
      denominator: abandonIncludes ? ['answered', 'abandoned'] : ['answered', 'abandoned', '-abandonedShort'],
      formula: abandonIncludes ? 'Ab / (A + Ab)' : '(Ab − short) / (A + Ab − short)',
      variant: abandonIncludes ? 'short_abandons_included' : 'short_abandons_excluded',
      parameters: short,
      empty: 'no contact answered or abandoned in the period',
    },
    {
      kpi: 'asa',
      unit: 'seconds',
      better: 'lower',
      kind: 'mean_seconds',
      numerator: ['answeredWaitMs'],
      denominator: ['answered'],
      formula: 'Σ queue wait of answered (answered − queued) / A',
      parameters: { countBy: s.countBy },
      empty: 'no contact answered in the period',
    },
    {
      kpi: 'average_queue_wait',
      unit: 'seconds',
      better: 'lower',
      kind: 'mean_seconds',
      numerator: ['answeredWaitMs', 'abandonedWaitMs'],
      denominator: ['answered', 'abandoned'],
      formula: 'Σ queue wait of answered and abandoned (answered or abandoned − queued) / (A + Ab)',
      parameters: { countBy: s.countBy },
      empty: 'no contact answered or abandoned in the period',
    },
    {
      kpi: 'max_queue_wait',
      unit: 'seconds',
      better: 'lower',
      kind: 'max_seconds',
      numerator: ['maxQueueWaitMs'],
      denominator: ['answered', 'abandoned'],
      formula: 'longest queue wait of an answered or abandoned contact',
      parameters: { countBy: s.countBy },
      empty: 'no contact answered or abandoned in the period',
    },
    count('handled', 'handled', 'contacts answered by an operator and ended (any direction)'),
    {
      kpi: 'aht',
      unit: 'seconds',
      better: 'lower',
      kind: 'mean_seconds',
      numerator: ['talkMs', 'holdMs', 'wrapMs'],
      denominator: ['handled'],
      formula: 'Σ (talk + hold + wrap) / handled; talk = ended − answered − hold, wrap = wrap ended − ended',
      empty: 'no contact handled in the period',
    },
    handlingPart('average_talk', 'talkMs', 'Σ talk (ended − answered − hold) / handled'),
    handlingPart('average_hold', 'holdMs', 'Σ hold / handled'),
    handlingPart('average_wrap', 'wrapMs', 'Σ wrap (wrap ended − ended) / handled'),
    {
      kpi: 'transfer_rate',
      unit: 'ratio',
      better: 'lower',
      kind: 'ratio',
      numerator: ['transferred'],
      denominator: ['operatorAnswered'],
      formula: 'transferred / answered',
      empty: 'no contact answered in the period',
    },
    {
      kpi: 'fcr',
      unit: 'ratio',
      better: 'higher',
      kind: 'ratio',
      numerator: ['fcrContacts', '-fcrRepeats'],
      denominator: ['fcrContacts'],
      formula:
        '1 − repeat contacts / contacts; contacts = answered inbound contacts of a known supporter, ' +
        'repeat = the same supporter had one within W before, on any channel',
      variant: s.fcrWindow,
      parameters: { window: s.fcrWindow, timeZone: s.timeZone },
      empty: 'no answered inbound contact of a known supporter in the period',
    },
    {
      kpi: 'occupancy',
      unit: 'ratio',
      better: null,
      kind: 'time_ratio',
      numerator: ['agentHandleMs'],
      denominator: ['agentHandleMs', 'agentAvailableMs'],
      formula:
        'handle time / (handle time + available time); handle = busy + wrap-up, available = available + ringing',
      empty: 'no operator handling or available in the period',
    },
    {
      kpi: 'utilisation',
      unit: 'ratio',
      better: null,
      kind: 'time_ratio',
      numerator: ['agentLoggedInMs'],
      denominator: ['scheduledMs'],
      formula: 'logged-in time / paid (scheduled) time',
      empty: 'no scheduled time in the period',
    },
    {
      kpi: 'billable_hours',
      unit: 'hours',
      better: null,
      kind: 'hours',
      numerator: ['agentHandleMs', 'agentAvailableMs', 'billableNotReadyMs'],
      denominator: [],
      formula:
        'talk + hold + wrap + available time attributed to the organization + billable not-ready events',
      parameters: { billableNotReadyReasons: s.billableNotReadyReasons },
      empty: '',
    },
    count('attempts', 'attempts', 'outbound attempts'),
    count('dials', 'dials', 'outbound attempts actually dialed'),
    count('connects', 'connects', 'live answers (a person; AMD false positives included)'),
    count('rpc', 'rpc', 'right-party contacts'),
    {
      kpi: 'list_penetration',
      unit: 'ratio',
      better: 'higher',
      kind: 'per_list_record',
      numerator: ['firstAttempts'],
      denominator: [],
      formula: 'list records attempted at least once / records in the list',
      empty: 'the size of the list is not known',
    },
    {
      kpi: 'saturation',
      unit: 'ratio',
      better: null,
      kind: 'per_list_record',
      numerator: ['attempts'],
      denominator: [],
      formula: 'attempts / records in the list',
      empty: 'the size of the list is not known',
    },
    {
      kpi: 'contact_rate',
      unit: 'ratio',
      better: 'higher',
      kind: 'ratio',
      numerator: ['rpc'],
      denominator: ['dials'],
      formula: 'RPC / dials',
      empty: 'no dials in the period',
    },
    {
      kpi: 'conversion_rate',
      unit: 'ratio',
      better: 'higher',
      kind: 'ratio',
      numerator: ['successes'],
      denominator: [conv],
      formula: `successful outcomes / ${convName}`,
      variant: conv,
      parameters: { conversionDenominator: conv },
      empty: `no ${convName} in the period`,
    },
    {
      kpi: 'rpc_per_operator_hour',
      unit: 'per_hour',
      better: 'higher',
      kind: 'per_hour',
      numerator: ['rpc'],
      denominator: ['agentLoggedInMs'],
      formula: 'RPC / logged-in operator hours',
      empty: 'no operator logged in in the period',
    },
    {
      kpi: 'dialer_drop_rate',
      unit: 'ratio',
      better: 'lower',
      kind: 'ratio',
      numerator: ['drops'],
      denominator: ['connects'],
      formula: `live answers not connected to an operator within ${s.dropConnectSeconds} s of the greeting (AMD false positives included) / live answers`,
      parameters: { dropConnectSeconds: s.dropConnectSeconds, ceiling: 0.03 },
      empty: 'no live answers in the period',
    },
    {
      kpi: 'welcome_reach',
      unit: 'ratio',
      better: 'higher',
      kind: 'ratio',
      numerator: ['welcomeReached'],
      denominator: ['welcomeRecords'],
      formula: `supporters entering the welcome cycle in the period reached (RPC) within ${s.welcomeReachDays} days / those called`,
      parameters: { withinDays: s.welcomeReachDays },
      empty: 'nobody entered the welcome cycle in the period',
    },
    cycleRate('upgrade_rate', 'upgrade', 'upgrades', 'upgrades'),
    {
      kpi: 'average_upgrade_amount',
      unit: 'cents',
      better: 'higher',
      kind: 'mean_cents',
      numerator: ['upgradeAmountCents'],
      denominator: ['upgrades'],
      formula: 'Σ monthly increase of the upgrades / upgrades',
      empty: 'no upgrades in the period',
    },
    cycleRate('regular_giving_conversion_rate', 'conversion', 'conversions', 'new regular gifts'),
    cycleRate('recapture_rate', 'recapture', 'recaptures', 'reactivated commitments'),
  ];
  return Object.fromEntries(list.map((spec) => [spec.kpi, spec])) as Record<KpiId, Spec>;
}

export const KPI_IDS: readonly KpiId[] = Object.keys(kpiSpecs(defaultSettingsForIds())) as KpiId[];

function defaultSettingsForIds(): KpiSettings {
  return {
    timeZone: 'UTC',
    serviceLevelThresholdSeconds: 20,
    shortAbandonSeconds: 5,
    serviceLevelFormula: 'answered_or_abandoned_within',
    serviceLevelExcludesShortAbandons: false,
    abandonRateIncludesShortAbandons: false,
    countBy: 'queued',
    fcrWindow: '2_days',
    conversionDenominator: 'rpc',
    dropConnectSeconds: 2,
    welcomeReachDays: 7,
    billableNotReadyReasons: [],
  };
}

function sumTerms(terms: readonly Term[], counters: Partial<KpiCounters>): number {
  let total = 0;
  for (const term of terms) {
    if (term.charCodeAt(0) === 45 /* - */) total -= counters[term.slice(1) as CounterName] ?? 0;
    else total += counters[term as CounterName] ?? 0;
  }
  return total;
}

export function definitionOf(spec: Spec): KpiDefinition {
  const definition: KpiDefinition = {
    kpi: spec.kpi,
    unit: spec.unit,
    better: spec.better,
    formula: spec.formula,
    parameters: spec.parameters ?? {},
  };
  if (spec.variant !== undefined) definition.variant = spec.variant;
  return definition;
}

/** One record's counters, for drill-down. */
export type RecordCounters = { id: string; counters: Partial<KpiCounters> };

function figureFromSpec(
  spec: Spec,
  counters: KpiCounters,
  context: KpiContext,
  records: readonly RecordCounters[] | undefined,
): KpiFigure {
  const definition = definitionOf(spec);
  const num = sumTerms(spec.numerator, counters);
  const den = sumTerms(spec.denominator, counters);
  let figure: KpiFigure;
  const absent = (numerator: number, denominator: number | null, reason: string): KpiFigure => ({
    kpi: spec.kpi,
    value: null,
    numerator,
    denominator,
    definition,
    reason,
  });
  const present = (value: number, numerator: number, denominator: number | null): KpiFigure => ({
    kpi: spec.kpi,
    value,
    numerator,
    denominator,
    definition,
  });
  switch (spec.kind) {
    case 'count':
      figure = present(num, num, null);
      break;
    case 'hours':
      figure = present(num / 3_600_000, num / 3_600_000, null);
      break;
    case 'ratio':
    case 'mean_cents':
      figure = den > 0 ? present(num / den, num, den) : absent(num, den, spec.empty);
      break;
    case 'mean_seconds':
      figure = den > 0 ? present(num / den / 1000, num / 1000, den) : absent(num / 1000, den, spec.empty);
      break;
    case 'time_ratio':
      figure =
        den > 0 ? present(num / den, num / 1000, den / 1000) : absent(num / 1000, den / 1000, spec.empty);
      break;
    case 'per_hour':
      figure =
        den > 0
          ? present(num / (den / 3_600_000), num, den / 3_600_000)
          : absent(num, den / 3_600_000, spec.empty);
      break;
    case 'max_seconds':
      figure = den > 0 ? present(num / 1000, num / 1000, null) : absent(0, null, spec.empty);
      break;
    case 'per_list_record': {
      const size = context.listRecords;
      figure =
        typeof size === 'number' && size > 0
          ? present(num / size, num, size)
          : absent(num, size ?? null, size === 0 ? 'the list is empty' : spec.empty);
      break;
    }
  }
  if (records) figure.drillDown = drillDown(spec, records, counters);
  return figure;
}

/**
 * The interactions behind a figure: those whose own counters add to the
 * numerator and to the denominator (a short abandon adds 1 − 1 = 0 to
 * A + Ab − short, so it is not behind that denominator). For averages both
 * lists are the population averaged; for a maximum, the contacts that waited it.
 */
function drillDown(spec: Spec, records: readonly RecordCounters[], total: KpiCounters) {
  const numerator: string[] = [];
  const denominator: string[] = [];
  const averaged = spec.kind === 'mean_seconds' || spec.kind === 'mean_cents';
  for (const { id, counters } of records) {
    if (spec.kind === 'max_seconds') {
      if (sumTerms(spec.denominator, counters) > 0) {
        denominator.push(id);
        if (counters.maxQueueWaitMs === total.maxQueueWaitMs) numerator.push(id);
      }
      continue;
    }
    const inDenominator = sumTerms(spec.denominator, counters) > 0;
    if (inDenominator) denominator.push(id);
    if (averaged ? inDenominator : sumTerms(spec.numerator, counters) > 0) numerator.push(id);
  }
  return { numerator, denominator };
}

/**
 * kpiSpecs per settings object: a report or an SLA evaluation computes figures
 * for thousands of groups under one settings object, and building the specs
 * cost more than the figures (settings are never mutated once resolved).
 */
const SPECS = new WeakMap<KpiSettings, Record<KpiId, Spec>>();
function specsOf(settings: KpiSettings): Record<KpiId, Spec> {
  let specs = SPECS.get(settings);
  if (!specs) {
    specs = kpiSpecs(settings);
    SPECS.set(settings, specs);
  }
  return specs;
}

/** Every KPI from a set of counters (the sum of a selection of rollup rows or of records). */
export function figuresFromCounters(
  counters: KpiCounters,
  settings: KpiSettings,
  options: { context?: KpiContext; records?: readonly RecordCounters[]; only?: readonly KpiId[] } = {},
): KpiFigures {
  const specs = specsOf(settings);
  const out = {} as KpiFigures;
  for (const id of options.only ?? KPI_IDS) {
    out[id] = figureFromSpec(specs[id], counters, options.context ?? {}, options.records);
  }
  return out;
}

/** The definition of every KPI (formula, unit, which way is better) under the given settings. */
export function kpiDefinitions(settings: KpiSettings): Record<KpiId, KpiDefinition> {
  const specs = kpiSpecs(settings);
  return Object.fromEntries(KPI_IDS.map((id) => [id, definitionOf(specs[id])])) as Record<
    KpiId,
    KpiDefinition
  >;
}
