// The inputs and outputs of the KPI area. Records are shaped so that the server
// can map its interaction rows and a CDR history import (issue 7) onto them:
// every timestamp is epoch milliseconds or ISO 8601 with its offset, every phase
// of DOMAIN.md §2 that did not happen is simply absent.

import type { RoutingAgentState } from '../routing/routing.types.ts';
import type { CycleKind } from '../wfm/dimension.types.ts';
import type { ServiceLevelDefinition } from '../wfm/erlang.ts';

export type KpiTimestamp = number | string;

export type InteractionChannel = 'voice' | 'chat' | 'email' | 'sms' | 'whatsapp' | 'web' | (string & {});
export type InteractionDirection = 'inbound' | 'outbound';

/** What the dialer learned when an outbound call was answered (DOMAIN.md §2). */
export type AnsweredBy = 'human' | 'machine' | 'none' | 'busy' | 'failed';

/**
 * One contact on any channel (CDR columns in brackets). Inbound: created →
 * queued → offered → answered | abandoned → ended → wrap ended. Outbound: one
 * record per attempt, created → dialed → callee answered (`answeredBy`) →
 * answered (connected to an operator) → ended → wrap ended.
 */
export type InteractionRecord = {
  id: string;
  orgId: string;
  channel: InteractionChannel;
  direction: InteractionDirection;
  queue?: string | null;
  campaign?: string | null;
  /** The operator who answered (or last handled) the contact. */
  operator?: string | null;
  /** The supporter, when known [supporter_external_id]; FCR and contact cycles need it. */
  supporterId?: string | null;
  /** The contact cycle of an outbound campaign (DOMAIN.md §5); `inbound` for inbound lines. */
  cycleType?: CycleKind | 'inbound' | null;

  createdAt: KpiTimestamp;
  /** Entered a queue [queued_at]. Inbound contacts without it never queued (IVR only, direct). */
  queuedAt?: KpiTimestamp | null;
  /** Started ringing at an operator. */
  offeredAt?: KpiTimestamp | null;
  /** Operator connected [answered_at]; for outbound, the call put through to an operator. */
  answeredAt?: KpiTimestamp | null;
  /** The caller hung up while queued or ringing [abandoned_at]. */
  abandonedAt?: KpiTimestamp | null;
  /** Customer side ended [ended_at]. */
  endedAt?: KpiTimestamp | null;
  /** After-contact work done [wrap_ended_at]; absent = no wrap time. */
  wrapEndedAt?: KpiTimestamp | null;
  /** Sum of hold periods in seconds [hold_seconds]; part of the answered..ended span. */
  holdSeconds?: number | null;
  /** Transferred to another operator or queue [transferred]. */
  transferred?: boolean | null;
  /** The disposition an operator recorded [outcome]. */
  outcome?: string | null;
  /** The outcome counts as a success of the campaign (set from the disposition's configuration). */
  successful?: boolean | null;

  /** Outbound: the number was actually dialed (an attempt may be skipped or blocked). */
  dialedAt?: KpiTimestamp | null;
  /** Outbound: the callee picked up (start of the greeting). */
  calleeAnsweredAt?: KpiTimestamp | null;
  answeredBy?: AnsweredBy | null;
  /** Outbound: answering-machine detection said machine but a person answered; a drop (DOMAIN.md §4). */
  amdFalsePositive?: boolean | null;
  /**
   * Outbound: the dialer's own verdict that this live answer was dropped. When
   * absent it is derived: a live answer not connected within `dropConnectSeconds`.
   */
  dropped?: boolean | null;
  /** Outbound: the right party (the supporter sought) was reached. */
  rightPartyContact?: boolean | null;
  /** Outbound: the list record called (defaults to the supporter); penetration counts records. */
  listRecordId?: string | null;
  /** Outbound: 1 for the first attempt on the list record; when absent, derived from the records given. */
  attemptNumber?: number | null;
  /** When the supporter entered the contact cycle (sign-up for welcome); welcome reach counts from it. */
  cycleStartedAt?: KpiTimestamp | null;
  /** Money the outcome produced, in cents: the monthly increase of an upgrade, the new regular gift of a conversion. */
  outcomeAmountCents?: number | null;
};

/** The agent-state log (routing events): one state of one operator over [from, to). */
export type AgentStateInterval = {
  operator: string;
  state: RoutingAgentState;
  from: KpiTimestamp;
  to: KpiTimestamp;
  /** The organization the time is attributed to (DOMAIN.md §10: while assigned to its queues or campaigns). */
  orgId?: string | null;
  queue?: string | null;
  campaign?: string | null;
  channel?: InteractionChannel | null;
  /** Not-ready reason (`break`, `training`…); billable when listed in the settings. */
  reason?: string | null;
};

/** Paid (scheduled) time of an operator, the denominator of utilisation. */
export type KpiScheduledShift = {
  operator: string;
  from: KpiTimestamp;
  to: KpiTimestamp;
  orgId?: string | null;
  queue?: string | null;
  campaign?: string | null;
};

export type FcrWindow = 'same_day' | '2_days' | '7_days';
export type ConversionDenominator = 'dials' | 'connects' | 'rpc';
export type CountBy = 'queued' | 'answered';

/** Every choice DOMAIN.md §3–§4 leaves to the organization, with its default. */
export type KpiSettings = {
  /** Calendar of days and months, and of FCR's `same_day`. Default Europe/Rome. */
  timeZone: string;
  /** T of the service level, seconds; default 20. A wait of exactly T is within T. */
  serviceLevelThresholdSeconds: number;
  /** Abandons with a wait up to this many seconds are short; default 5. */
  shortAbandonSeconds: number;
  /** Default `answered_or_abandoned_within`: (A≤T + Ab≤T) / (A + Ab). */
  serviceLevelFormula: ServiceLevelDefinition;
  /** Short abandons leave the service level's population (numerator and denominator). Default false. */
  serviceLevelExcludesShortAbandons: boolean;
  /** Abandon rate keeps short abandons: Ab / (A + Ab). Default false: (Ab − short) / (A + Ab − short). */
  abandonRateIncludesShortAbandons: boolean;
  /** A contact counts in the interval it was queued (default) or answered/abandoned. */
  countBy: CountBy;
  /** FCR repeat window W; default 2 days. */
  fcrWindow: FcrWindow;
  /** Conversion = successes / this; default rpc. */
  conversionDenominator: ConversionDenominator;
  /** A live answer not connected to an operator within this many seconds is a drop; default 2. */
  dropConnectSeconds: number;
  /** Welcome reach counts right-party contacts within this many days of `cycleStartedAt`; default 7. */
  welcomeReachDays: number;
  /** Not-ready reasons billable to the organization (DOMAIN.md §10), e.g. `training`. Default none. */
  billableNotReadyReasons: readonly string[];
};

export type KpiId =
  | 'offered'
  | 'answered'
  | 'abandoned'
  | 'short_abandons'
  | 'service_level'
  | 'abandon_rate'
  | 'asa'
  | 'average_queue_wait'
  | 'max_queue_wait'
  | 'handled'
  | 'aht'
  | 'average_talk'
  | 'average_hold'
  | 'average_wrap'
  | 'transfer_rate'
  | 'fcr'
  | 'occupancy'
  | 'utilisation'
  | 'billable_hours'
  | 'attempts'
  | 'dials'
  | 'connects'
  | 'rpc'
  | 'list_penetration'
  | 'saturation'
  | 'contact_rate'
  | 'conversion_rate'
  | 'rpc_per_operator_hour'
  | 'dialer_drop_rate'
  | 'welcome_reach'
  | 'upgrade_rate'
  | 'average_upgrade_amount'
  | 'regular_giving_conversion_rate'
  | 'recapture_rate';

export type KpiUnit = 'count' | 'ratio' | 'seconds' | 'hours' | 'per_hour' | 'cents';

/** How a figure was computed: the formula in words and symbols, and every setting it used. */
export type KpiDefinition = {
  kpi: KpiId;
  unit: KpiUnit;
  /** Which way is better, for contracts and alerts; null when neither (counts, occupancy). */
  better: 'higher' | 'lower' | null;
  formula: string;
  /** The variant in use, when the KPI has several (e.g. `answered_within_of_answered`). */
  variant?: string;
  /** The settings the formula used, e.g. `{ thresholdSeconds: 20, shortAbandonSeconds: 5 }`. */
  parameters: Record<string, number | string | boolean | readonly string[]>;
};

/**
 * One figure. `value` is null when it has no meaning (zero denominator, no
 * list size), with `reason`: an absent figure, never 0, NaN or Infinity.
 */
export type KpiFigure = {
  kpi: KpiId;
  value: number | null;
  numerator: number;
  /** Null for plain counts and maxima. */
  denominator: number | null;
  definition: KpiDefinition;
  reason?: string;
  /** The interactions behind the numerator and the denominator (only when computed from records). */
  drillDown?: { numerator: string[]; denominator: string[] };
};

export type KpiFigures = Record<KpiId, KpiFigure>;
