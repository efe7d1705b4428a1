// Evaluation of a contract over a period (DOMAIN.md §8), read from KPI rollups:
// per metric the period's figure, its status against minimum and target in its
// measurement window, the share of days and of intervals that met it (a good
// month can hide failing days), and the credit it costs; then the bonuses, all
// or nothing on the minimums, and the period's total against the invoice.

import {
  KPI_INTERVAL_MS as INTERVAL_MS,
  type KpiContext,
  type KpiFigure,
  type KpiPeriod,
  type KpiRollup,
  type KpiSettings,
  kpisFromRollup,
  localDateOf,
  localDayBounds,
  localMonthBounds,
  localMonthOf,
  type RollupFilter,
  resolveKpiSettings,
} from '../kpi/index.ts';
import { SlaError } from './sla.errors.ts';
import { shareOfInvoiceCents, splitCreditCents, toBasisPoints } from './sla.money.ts';
import type {
  SlaBonusResult,
  SlaContract,
  SlaDistribution,
  SlaEvaluation,
  SlaMetricResult,
  SlaStatus,
  SlaWindow,
  ValidSlaContract,
} from './sla.types.ts';
import { validateSlaContract } from './sla.validate.ts';

export type EvaluateSlaInput = {
  contract: SlaContract;
  /** The organization's rollup rows (built with `settings`' counting part). */
  rollup: KpiRollup;
  settings?: Partial<KpiSettings>;
  /** A local month `YYYY-MM`, or an explicit period (say the month so far, on 15-minute boundaries). */
  month?: string;
  period?: KpiPeriod;
  /** The invoice the credits and bonuses apply to, in cents; amounts are null without it. */
  invoiceCents?: number | null;
  context?: KpiContext;
};

// Figures are quotients of integers, so a value exactly at a threshold is
// represented exactly or within a few ulps; this tolerance keeps it "met".
const TOLERANCE = 1e-9;

function meets(value: number, level: number, better: 'higher' | 'lower'): boolean {
  const slack = TOLERANCE * Math.max(1, Math.abs(level));
  return better === 'higher' ? value >= level - slack : value <= level + slack;
}

function countWindows(window: SlaWindow, period: KpiPeriod, timeZone: string): number {
  if (window === 'interval') return (period.toMs - period.fromMs) / INTERVAL_MS;
  let count = 0;
  for (let t = period.fromMs; t < period.toMs; count++) {
    t =
      window === 'day'
        ? localDayBounds(localDateOf(t, timeZone), timeZone).toMs
        : localMonthBounds(localMonthOf(t, timeZone), timeZone).toMs;
  }
  return count;
}

type MetricSpec = ValidSlaContract['metrics'][number];

function distribution(
  metric: MetricSpec,
  window: SlaWindow,
  input: EvaluateSlaInput,
  period: KpiPeriod,
  timeZone: string,
): SlaDistribution {
  const groups = kpisFromRollup({
    rollup: input.rollup,
    settings: input.settings,
    grouping: { time: window },
    period,
    filter: metric.filter,
    context: input.context,
    only: [metric.kpi],
  });
  let withData = 0;
  let metMinimum = 0;
  let metTarget = 0;
  let worst: SlaDistribution['worst'] = null;
  for (const group of groups) {
    const value = group.figures[metric.kpi].value;
    if (value === null) continue;
    withData++;
    if (meets(value, metric.minimum, metric.better)) metMinimum++;
    if (meets(value, metric.target, metric.better)) metTarget++;
    if (!worst || (metric.better === 'higher' ? value < worst.value : value > worst.value)) {
      worst = { label: group.label, value };
    }
  }
  return {
    window,
    windows: countWindows(window, period, timeZone),
    withData,
    metMinimum,
    metTarget,
    shareMetMinimum: withData > 0 ? metMinimum / withData : null,
    shareMetTarget: withData > 0 ? metTarget / withData : null,
    worst,
  };
}

function statusOf(metric: MetricSpec, figure: KpiFigure, windows: SlaDistribution): SlaStatus {
  if (metric.window === 'month') {
    if (figure.value === null) return 'no_data';
    if (!meets(figure.value, metric.minimum, metric.better)) return 'below_minimum';
    return meets(figure.value, metric.target, metric.better) ? 'at_target' : 'between';
  }
  // Interval and day windows: met when the required share of the windows with data met the level.
  if (windows.shareMetMinimum === null || windows.shareMetTarget === null) return 'no_data';
  if (windows.shareMetMinimum < metric.requiredShare - TOLERANCE) return 'below_minimum';
  return windows.shareMetTarget >= metric.requiredShare - TOLERANCE ? 'at_target' : 'between';
}

function resolvePeriod(input: EvaluateSlaInput, timeZone: string): KpiPeriod & { label: string } {
  if (input.month !== undefined) {
    try {
      return { label: input.month, ...localMonthBounds(input.month, timeZone) };
    } catch {
      throw new SlaError('SLA_INVALID_INPUT', [
        { field: 'month', message: `must be YYYY-MM, got ${input.month}` },
      ]);
    }
  }
  if (input.period) {
    const { fromMs, toMs } = input.period;
    return { label: `${new Date(fromMs).toISOString()}/${new Date(toMs).toISOString()}`, fromMs, toMs };
  }
  throw new SlaError('SLA_INVALID_INPUT', [{ field: 'month', message: 'give a month or a period' }]);
}

/** Evaluates a contract over a month (or a period); see README.md for the rules. */
export function evaluateSla(options: EvaluateSlaInput): SlaEvaluation {
  let input = options;
  const contract = validateSlaContract(input.contract);
  const settings = resolveKpiSettings(input.settings);
  const invoiceCents = input.invoiceCents ?? null;
  if (invoiceCents !== null && !(Number.isSafeInteger(invoiceCents) && invoiceCents >= 0)) {
    throw new SlaError('SLA_INVALID_INPUT', [
      { field: 'invoiceCents', message: 'must be whole cents, not negative' },
    ]);
  }
  const period = resolvePeriod(input, settings.timeZone);
  const atRiskBp = toBasisPoints(contract.atRiskPercent)!;
  // Every metric reads the period several times (whole, days, intervals): select its rows once.
  const rows = input.rollup.rows.filter(
    (r) => r.intervalStartMs >= period.fromMs && r.intervalStartMs < period.toMs,
  );
  input = { ...input, rollup: { settings: input.rollup.settings, rows } };
  // …and sum them once per interval for each filter: the whole period, its
  // days and its intervals then read one row per interval, not one per
  // operator and queue (the sums are the same, so are the figures).
  const perInterval = new Map<string, KpiRollup>();
  const summedFor = (filter: RollupFilter): KpiRollup => {
    const key = JSON.stringify(Object.entries(filter).sort(([a], [b]) => (a < b ? -1 : 1)));
    let found = perInterval.get(key);
    if (!found) {
      const groups = kpisFromRollup({
        rollup: input.rollup,
        settings: input.settings,
        grouping: { time: 'interval' },
        period,
        filter,
        only: [],
      });
      const orgId = rows[0]?.orgId ?? '';
      found = {
        settings: input.rollup.settings,
        rows: groups.map((g) => ({
          intervalStartMs: g.fromMs,
          orgId,
          queue: null,
          campaign: null,
          operator: null,
          channel: null,
          direction: null,
          counters: g.counters,
        })),
      };
      perInterval.set(key, found);
    }
    return found;
  };

  const results: SlaMetricResult[] = contract.metrics.map((validMetric) => {
    const metricInput = { ...input, rollup: summedFor(validMetric.filter) };
    const metric = { ...validMetric, filter: {} };
    const [whole] = kpisFromRollup({
      rollup: metricInput.rollup,
      settings: input.settings,
      grouping: { time: 'all' },
      period,
      filter: metric.filter,
      context: input.context,
      only: [metric.kpi],
    });
    // An 'all' grouping always has one group, empty (absent ratios) when nothing was selected.
    const figure = whole!.figures[metric.kpi];
    const days = distribution(metric, 'day', metricInput, period, settings.timeZone);
    const intervals = distribution(metric, 'interval', metricInput, period, settings.timeZone);
    const windows =
      metric.window === 'day'
        ? days
        : metric.window === 'interval'
          ? intervals
          : distribution(metric, 'month', metricInput, period, settings.timeZone);
    const status = statusOf(metric, figure, windows);
    const missed = metric.kind === 'critical' && status === 'below_minimum';
    const allocationBp = toBasisPoints(metric.allocationPercent)!;
    return {
      id: metric.id,
      kpi: metric.kpi,
      kind: metric.kind,
      window: metric.window,
      better: metric.better,
      minimum: metric.minimum,
      target: metric.target,
      requiredShare: metric.requiredShare,
      figure,
      value: figure.value,
      status,
      windows,
      days,
      intervals,
      allocationPercent: metric.allocationPercent,
      // at risk % × allocation %, e.g. 10 % × 40 % = 4 % of the invoice.
      creditPercent: missed ? (atRiskBp * allocationBp) / 1_000_000 : 0,
      creditCents: invoiceCents === null ? null : 0,
    };
  });

  // A missed critical metric costs its share of the at-risk amount (§8); the
  // parts are split so they add up to the total rounded once.
  const missed = results.filter((r) => r.creditPercent > 0);
  if (invoiceCents !== null) {
    const parts = splitCreditCents(
      invoiceCents,
      atRiskBp,
      missed.map((r) => toBasisPoints(r.allocationPercent)!),
    );
    missed.forEach((r, i) => {
      r.creditCents = parts[i]!;
    });
  }
  const missedBp = missed.reduce((sum, r) => sum + toBasisPoints(r.allocationPercent)!, 0);
  const creditPercent = (atRiskBp * missedBp) / 1_000_000;
  const creditCents = invoiceCents === null ? null : missed.reduce((sum, r) => sum + r.creditCents!, 0);

  // Bonuses are all or nothing: every critical metric must reach its minimum,
  // and a rule pays only for its metrics at target, never for minimums alone.
  const critical = results.filter((r) => r.kind === 'critical');
  const short = critical.filter((r) => r.status === 'below_minimum' || r.status === 'no_data');
  const minimumsMet = short.length === 0;
  const byId = new Map(results.map((r) => [r.id, r]));
  const bonuses: SlaBonusResult[] = contract.bonusRules.map((rule) => {
    const notAtTarget = rule.metrics.filter((id) => byId.get(id)!.status !== 'at_target');
    const earned = minimumsMet && notAtTarget.length === 0;
    const reason = !minimumsMet
      ? `minimum not reached: ${short.map((r) => r.id).join(', ')}`
      : earned
        ? 'every critical metric reached its minimum and every listed metric its target'
        : `target not reached: ${notAtTarget.join(', ')}`;
    const bp = toBasisPoints(rule.percentOfInvoice)!;
    return {
      id: rule.id,
      earned,
      reason,
      percentOfInvoice: rule.percentOfInvoice,
      bonusCents: invoiceCents === null ? null : earned ? shareOfInvoiceCents(invoiceCents, bp) : 0,
    };
  });
  const bonusPercent =
    bonuses.filter((b) => b.earned).reduce((sum, b) => sum + toBasisPoints(b.percentOfInvoice)!, 0) / 100;
  const bonusCents = invoiceCents === null ? null : bonuses.reduce((sum, b) => sum + b.bonusCents!, 0);

  return {
    label: period.label,
    fromMs: period.fromMs,
    toMs: period.toMs,
    metrics: results,
    minimumsMet,
    bonuses,
    creditPercent,
    bonusPercent,
    netPercent: bonusPercent - creditPercent,
    invoiceCents,
    creditCents,
    bonusCents,
    netCents: invoiceCents === null ? null : bonusCents! - creditCents!,
  };
}
