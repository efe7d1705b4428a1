// The cruscotto (issue 7, DOMAIN.md §8): the contract's current month so far
// evaluated like a closed one, each metric's trend per local day and its
// distribution over today's intervals (a monthly figure can hide failing days),
// each metric live in its current window (engine slaLiveStatus), and the
// alerts raised this month.
import {
  intervalStartOf,
  KPI_INTERVAL_MS,
  type KpiRollup,
  type KpiSettings,
  kpisFromRollup,
  localDateOf,
  localDayBounds,
  localMonthBounds,
  localMonthOf,
  type SlaLiveMetric,
  type SlaStatus,
  slaLiveStatus,
  type ValidSlaContract,
  validateSlaContract,
} from '@centralino/engine';
import type { Database } from '../../db/database.ts';
import { loadKpiSettings } from '../kpis/kpi-settings.service.ts';
import { listSlaAlerts, type StoredSlaAlert } from './sla-alerts.service.ts';
import { evaluateSlaIn, type SlaEvaluationReport } from './sla-evaluation.service.ts';
import { loadSlaRollup } from './sla-rollup.ts';

export type SlaPoint = { label: string; from: string; value: number | null; status: SlaStatus };
export type SlaSeries = {
  metricId: string;
  kpi: string;
  minimum: number;
  target: number;
  points: SlaPoint[];
};

export type SlaDashboard = {
  at: string;
  month: string;
  /** The month so far: from its first day to the end of the current interval. */
  evaluation: SlaEvaluationReport;
  /** Per metric, its value per local day of the month so far (days without contacts are absent). */
  trend: SlaSeries[];
  /** Per metric, its value per interval of today. */
  today: { date: string; series: SlaSeries[] };
  live: SlaLiveMetric[];
  alerts: StoredSlaAlert[];
};

const TOLERANCE = 1e-9;

/** The status of one window's value; the same rule as engine/sla (a value exactly at a level meets it). */
function statusOf(
  value: number | null,
  minimum: number,
  target: number,
  better: 'higher' | 'lower',
): SlaStatus {
  if (value === null) return 'no_data';
  const meets = (level: number) => {
    const slack = TOLERANCE * Math.max(1, Math.abs(level));
    return better === 'higher' ? value >= level - slack : value <= level + slack;
  };
  if (!meets(minimum)) return 'below_minimum';
  return meets(target) ? 'at_target' : 'between';
}

export async function getSlaDashboard(options: {
  db: Database;
  orgId: string;
  nowMs: number;
  invoiceCents: number | null;
}): Promise<SlaDashboard> {
  const { db, orgId, nowMs, invoiceCents } = options;
  return db.readForOrg(orgId, async (tx) => {
    const settings = await loadKpiSettings(tx, orgId);
    const zone = settings.timeZone;
    const month = localMonthOf(nowMs, zone);
    const fromMs = localMonthBounds(month, zone).fromMs;
    const toMs = intervalStartOf(nowMs) + KPI_INTERVAL_MS;
    const evaluation = await evaluateSlaIn(tx, { orgId, period: { fromMs, toMs }, invoiceCents, settings });
    const contract = validateSlaContract(evaluation.contract.terms);
    const rollup = await loadSlaRollup(tx, {
      orgId,
      settings,
      fromMs,
      toMs,
      filters: contract.metrics.map((m) => m.filter),
    });
    const date = localDateOf(nowMs, zone);
    const todayFrom = localDayBounds(date, zone).fromMs;
    const series = (time: 'day' | 'interval', periodFromMs: number) =>
      slaSeries({ contract, rollup, settings, time, fromMs: periodFromMs, toMs });
    return {
      at: new Date(nowMs).toISOString(),
      month,
      evaluation,
      trend: series('day', fromMs),
      today: { date, series: series('interval', todayFrom) },
      live: slaLiveStatus({ contract: evaluation.contract.terms, rollup, settings, nowMs }),
      alerts: await listSlaAlerts(tx, { orgId, sinceMs: fromMs }),
    };
  });
}

/** Each metric's value and status per local day or interval of [fromMs, toMs) (windows without contacts are absent). */
export function slaSeries(options: {
  contract: ValidSlaContract;
  rollup: KpiRollup;
  settings: KpiSettings;
  time: 'day' | 'interval';
  fromMs: number;
  toMs: number;
}): SlaSeries[] {
  const { contract, rollup, settings, time, fromMs: periodFromMs, toMs } = options;
  return contract.metrics.map((metric) => ({
    metricId: metric.id,
    kpi: metric.kpi,
    minimum: metric.minimum,
    target: metric.target,
    points: kpisFromRollup({
      rollup,
      settings,
      grouping: { time },
      period: { fromMs: periodFromMs, toMs },
      filter: metric.filter,
      only: [metric.kpi],
    }).map((group) => {
      const value = group.figures[metric.kpi].value;
      return {
        label: group.label,
        from: new Date(group.fromMs).toISOString(),
        value,
        status: statusOf(value, metric.minimum, metric.target, metric.better),
      };
    }),
  }));
}

/** A closed (or any) month's evaluation with each metric's value per day, for the monthly report. */
export async function loadSlaMonthReport(options: {
  db: Database;
  orgId: string;
  month: string;
  invoiceCents: number | null;
}): Promise<{ report: SlaEvaluationReport; trend: SlaSeries[] }> {
  const { db, orgId, month, invoiceCents } = options;
  return db.readForOrg(orgId, async (tx) => {
    const settings = await loadKpiSettings(tx, orgId);
    const report = await evaluateSlaIn(tx, { orgId, period: { month }, invoiceCents, settings });
    const contract = validateSlaContract(report.contract.terms);
    const rollup = await loadSlaRollup(tx, {
      orgId,
      settings,
      fromMs: report.fromMs,
      toMs: report.toMs,
      filters: contract.metrics.map((m) => m.filter),
    });
    return {
      report,
      trend: slaSeries({ contract, rollup, settings, time: 'day', fromMs: report.fromMs, toMs: report.toMs }),
    };
  });
}
