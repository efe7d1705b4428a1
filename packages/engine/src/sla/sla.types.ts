// Service-level contracts between a center and its client (DOMAIN.md §8) and
// their evaluation over a period. Percentages are numbers of percent (10 = 10 %)
// with at most two decimals; money is integer cents.

import type { KpiFigure, KpiId, RollupFilter } from '../kpi/index.ts';

export type SlaWindow = 'interval' | 'day' | 'month';
/** Critical metrics carry credits; key metrics are reported only. */
export type SlaMetricKind = 'critical' | 'key';

export type SlaMetric = {
  /** Unique in the contract; defaults to the KPI id (give one when a KPI appears twice). */
  id?: string;
  kpi: KpiId;
  /** In the KPI's unit: a ratio 0–1 for rates, seconds for waits and handle times. */
  minimum: number;
  target: number;
  /** The measurement window: the metric is met when its windows in the period meet it (see `requiredShare`). */
  window: SlaWindow;
  kind: SlaMetricKind;
  /** Share of the at-risk amount this metric carries, percent; critical metrics only. */
  allocationPercent?: number;
  /** Which way is better; defaults to the KPI's (required for KPIs without one, e.g. occupancy). */
  better?: 'higher' | 'lower';
  /**
   * For interval and day windows: the share of windows with data that must meet
   * the level, 0–1; default 1 (every interval, or every day).
   */
  requiredShare?: number;
  /** Restricts the metric to part of the organization's traffic, e.g. `{ queue: 'donations' }`. */
  filter?: RollupFilter;
};

/** A bonus, paid only when every critical metric reaches its minimum and the listed metrics reach their target. */
export type SlaBonusRule = {
  id: string;
  percentOfInvoice: number;
  /** Metric ids that must be at target; default every critical metric. */
  metrics?: string[];
};

export type SlaContract = {
  /** Percent of the monthly invoice at risk (typically 10–12). */
  atRiskPercent: number;
  metrics: SlaMetric[];
  bonusRules?: SlaBonusRule[];
};

/** A contract after validation: every default filled in. */
export type ValidSlaContract = {
  atRiskPercent: number;
  metrics: (Required<Omit<SlaMetric, 'filter'>> & { filter: RollupFilter })[];
  bonusRules: Required<SlaBonusRule>[];
};

export type SlaStatus = 'below_minimum' | 'between' | 'at_target' | 'no_data';

/** How the windows of one length (interval or day) of the period fared. */
export type SlaDistribution = {
  window: SlaWindow;
  /** Windows in the period (a month of Europe/Rome days: 28–31 days; 2,972–2,980 intervals when it has a change of time). */
  windows: number;
  /** Windows where the figure exists (zero-offered intervals have none). */
  withData: number;
  metMinimum: number;
  metTarget: number;
  /** metMinimum / withData; null without data. */
  shareMetMinimum: number | null;
  shareMetTarget: number | null;
  /** The worst window with data: its label (ISO interval start or local date) and value. */
  worst: { label: string; value: number } | null;
};

export type SlaMetricResult = {
  id: string;
  kpi: KpiId;
  kind: SlaMetricKind;
  window: SlaWindow;
  better: 'higher' | 'lower';
  minimum: number;
  target: number;
  requiredShare: number;
  /** The figure over the whole period, with its definition. */
  figure: KpiFigure;
  value: number | null;
  status: SlaStatus;
  /** The metric's own windows; days and intervals always, so a good month cannot hide failing days (§8). */
  windows: SlaDistribution;
  days: SlaDistribution;
  intervals: SlaDistribution;
  allocationPercent: number;
  /** Percent of the invoice this metric costs: at risk × allocation when a critical metric is below minimum. */
  creditPercent: number;
  creditCents: number | null;
};

export type SlaBonusResult = {
  id: string;
  earned: boolean;
  reason: string;
  percentOfInvoice: number;
  bonusCents: number | null;
};

export type SlaEvaluation = {
  label: string;
  fromMs: number;
  toMs: number;
  metrics: SlaMetricResult[];
  /** True when every critical metric reached its minimum: the gate of every bonus. */
  minimumsMet: boolean;
  bonuses: SlaBonusResult[];
  creditPercent: number;
  bonusPercent: number;
  /** bonus − credit, percent of the invoice. */
  netPercent: number;
  invoiceCents: number | null;
  creditCents: number | null;
  bonusCents: number | null;
  netCents: number | null;
};
