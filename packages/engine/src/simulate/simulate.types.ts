// Public types of the contact-center simulator (issue 3, section 5). The scenario
// is plain JSON (a file for `centralino simulate --scenario`, or an HTTP body) and
// so is the result, so the CLI and the API pass both straight through.
import type { ServiceLevelDefinition } from '../wfm/erlang.ts';

/**
 * A distribution of durations in seconds. `lognormal` is given by its mean and
 * standard deviation (what planners read off a report), not by mu and sigma.
 * `empirical` draws one of the observed values, with optional weights.
 */
export type SimulationDistribution =
  | { kind: 'exponential'; meanSeconds: number }
  | { kind: 'lognormal'; meanSeconds: number; sdSeconds: number }
  | { kind: 'empirical'; valuesSeconds: number[]; weights?: number[] }
  | { kind: 'fixed'; seconds: number };

/** Patience: how long a caller waits before hanging up; `infinite` never abandons (Erlang C). */
export type SimulationPatience = SimulationDistribution | { kind: 'infinite' };

/**
 * Service-level variants of DOMAIN.md §3, with the names engine/wfm uses for the
 * Erlang figures (A = answered, Ab = abandoned, ≤T = within the threshold):
 * - `answered_or_abandoned_within` (default of the reports): (A≤T + Ab≤T) / (A + Ab)
 * - `answered_within`: A≤T / (A + Ab)
 * - `answered_within_of_answered`: A≤T / A
 * - `answered_within_excluding_abandoned_within`: A≤T / (A + Ab − Ab≤T)
 * With `excludeShortAbandons`, short abandons leave numerator and denominator of
 * whichever variant is chosen.
 */
export type SimulationServiceLevelDefinition = ServiceLevelDefinition;

export type SimulationKpiSettings = {
  /** T of the service level, seconds (default 20); a queue may override it. */
  thresholdSeconds: number;
  serviceLevelDefinition: SimulationServiceLevelDefinition;
  /** Abandons after at most this many seconds of waiting are "short" (default 5). */
  shortAbandonSeconds: number;
  /** Service level: leave short abandons out (default false). */
  excludeShortAbandons: boolean;
  /** Abandon rate: count short abandons too, Ab / (A + Ab) (default false: (Ab − short) / (A + Ab − short)). */
  abandonRateIncludesShort: boolean;
};

export type SimulationOrganization = { id: string; name?: string };

export type SimulationQueue = {
  id: string;
  /** Id of the organization (client) whose contacts these are. */
  organization: string;
  /** Expected offered contacts per interval (Poisson arrivals, constant rate within an interval). */
  callsPerInterval: number[];
  /** Talk (with hold) per answered contact. */
  handleTime: SimulationDistribution;
  /** After-contact work; default none. */
  wrapUp: SimulationDistribution;
  patience: SimulationPatience;
  /** Overrides `kpi.thresholdSeconds` for this queue. */
  thresholdSeconds: number;
};

/** An operator's time at work: from `startMinutes` to `endMinutes` after the scenario start. */
export type SimulationShift = { startMinutes: number; endMinutes: number };

/**
 * What an operator of a group may handle. Lower `priority` is served first when the
 * operator becomes free (default 1); among equal priorities the longest-waiting
 * contact. `queue` names an inbound queue, `campaign` an outbound campaign.
 */
export type SimulationSkill = { queue: string; priority: number } | { campaign: string; priority: number };

export type SimulationOperatorGroup = {
  id: string;
  skills: SimulationSkill[];
  /**
   * Either `count` operators all working `shifts` (default: the whole horizon),
   * or `countPerInterval`: how many are logged in in each interval (e.g. the
   * output of shift scheduling).
   */
  count: number;
  shifts: SimulationShift[];
  countPerInterval?: number[];
};

/** How the dialer decides how many calls to place. */
export type SimulationPacing =
  /** One call per idle operator: no drops unless a blended operator is taken by inbound meanwhile. */
  | { kind: 'progressive' }
  /** A fixed number of lines per idle operator (> 1 risks drops). */
  | { kind: 'power'; linesPerAgent: number }
  /**
   * Predictive pacing by `engine/pacing`, keeping drops under `maxDropRate`
   * (default 0.03, the ceiling of DOMAIN.md §4).
   */
  | { kind: 'predictive'; maxDropRate: number };

export type SimulationCampaign = {
  id: string;
  organization: string;
  pacing: SimulationPacing;
  /** Records in the list; default unlimited (penetration and saturation then stay null). */
  records: number | null;
  /** Attempts per record at most (default 3). */
  maxAttempts: number;
  /** Delay before a record not reached is dialed again (default 120). */
  retryMinutes: number;
  /** Share of dials answered by a live person. */
  answerRate: number;
  /** Share of dials answered by an answering machine (default 0). */
  machineRate: number;
  /**
   * Answering-machine detection. Present: machines are hung up on, and a live
   * person misread as a machine (`falsePositiveRate`) is a drop (DOMAIN.md §4).
   * Absent: machines are connected to operators for `machineHandleSeconds`.
   */
  amd: { falsePositiveRate: number } | null;
  machineHandleSeconds: number;
  /** Time from dial to answer, for answered calls (default fixed 10 s). */
  answerDelay: SimulationDistribution;
  /** Ringing before an unanswered dial is given up (default 25). */
  noAnswerSeconds: number;
  /** A live answer not connected to an operator within this many seconds is dropped (default 2). */
  dropAfterSeconds: number;
  /** Share of connects that reach the right party (default 1). */
  rightPartyRate: number;
  /** Share of right-party contacts that end in a successful outcome (default 0). */
  successRate: number;
  /** Denominator of the conversion rate (default `rpc`). */
  conversionBase: 'rpc' | 'connects' | 'dials';
  handleTime: SimulationDistribution;
  wrapUp: SimulationDistribution;
  /** Calling windows in minutes after the scenario start; default the whole horizon. */
  windows: { startMinutes: number; endMinutes: number }[];
};

/** A validated scenario: what `parseScenario` returns, with every default filled in. */
export type SimulationScenario = {
  name: string;
  /** ISO 8601 UTC instant of the first interval; only labels the output. */
  start: string | null;
  intervalMinutes: number;
  intervals: number;
  /** The first intervals warm the model up and stay out of the totals (default 0). */
  warmupIntervals: number;
  kpi: SimulationKpiSettings;
  organizations: SimulationOrganization[];
  queues: SimulationQueue[];
  operators: SimulationOperatorGroup[];
  campaigns: SimulationCampaign[];
};

/** A figure with its confidence interval over replications; null where undefined (0/0, or one replication). */
export type SimulationEstimate = { value: number | null; low: number | null; high: number | null };

/** Inbound KPIs of one queue, organization or the whole center, in one interval or over the horizon. */
export type SimulationInboundKpis = {
  /** Mean per replication of contacts queued, answered, abandoned, short abandons. */
  offered: SimulationEstimate;
  answered: SimulationEstimate;
  abandoned: SimulationEstimate;
  shortAbandoned: SimulationEstimate;
  /** Contacts still waiting when the run ended (infinite patience and nobody logged in). */
  unresolved: SimulationEstimate;
  serviceLevel: SimulationEstimate;
  asaSeconds: SimulationEstimate;
  abandonRate: SimulationEstimate;
  ahtSeconds: SimulationEstimate;
  /** Mean wait of abandoned contacts. */
  timeToAbandonSeconds: SimulationEstimate;
};

export type SimulationOccupancy = {
  /** Handle time / logged-in time (handle + available), DOMAIN.md §3. */
  occupancy: SimulationEstimate;
  loggedInHours: SimulationEstimate;
  handleHours: SimulationEstimate;
};

export type SimulationOutboundKpis = {
  dials: SimulationEstimate;
  /** Live persons who answered. */
  liveAnswers: SimulationEstimate;
  machines: SimulationEstimate;
  /** Live answers connected to an operator within `dropAfterSeconds`. */
  connects: SimulationEstimate;
  drops: SimulationEstimate;
  rightPartyContacts: SimulationEstimate;
  successes: SimulationEstimate;
  /** Drops / live answers (AMD false positives count as drops). */
  dropRate: SimulationEstimate;
  /** RPC / dials. */
  contactRate: SimulationEstimate;
  /** Successes / the campaign's conversion base. */
  conversionRate: SimulationEstimate;
  ahtSeconds: SimulationEstimate;
};

export type SimulationIntervalRow<K> = {
  index: number;
  /** Minutes after the scenario start. */
  startMinutes: number;
  /** ISO instant when the scenario has a start. */
  start: string | null;
  warmup: boolean;
} & K;

export type SimulationScope<K> = { id: string; totals: K; intervals: SimulationIntervalRow<K>[] };

export type SimulationResult = {
  scenario: {
    name: string;
    start: string | null;
    intervalMinutes: number;
    intervals: number;
    warmupIntervals: number;
  };
  replications: number;
  seed: number;
  confidenceLevel: number;
  /** `single-queue`: the specialised loop for one queue; `general`: the event loop with a router. */
  engine: 'single-queue' | 'general';
  router: string;
  definitions: SimulationKpiSettings & {
    countedIn: 'queued interval';
    ratios: 'ratio of expectations over replications (sum of numerators / sum of denominators), delta-method CI';
  };
  queues: (SimulationScope<SimulationInboundKpis> & { organization: string })[];
  organizations: SimulationScope<SimulationInboundKpis>[];
  center: SimulationScope<SimulationInboundKpis & SimulationOccupancy>;
  operatorGroups: SimulationScope<SimulationOccupancy>[];
  campaigns: (SimulationScope<SimulationOutboundKpis> & {
    organization: string;
    /** Records attempted at least once / records, over the horizon (null without a list size). */
    listPenetration: SimulationEstimate;
    /** Attempts / records. */
    saturation: SimulationEstimate;
  })[];
  /** Simulated arrivals (inbound contacts) and dials over all replications. */
  events: { arrivals: number; dials: number };
  warnings: string[];
};
