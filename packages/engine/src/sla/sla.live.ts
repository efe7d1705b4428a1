// The dashboard's live view (issue 7, "cruscotto"): each metric in its current
// window so far — the interval, the local day or the local month holding `now` —
// and the alerts when a metric crosses its minimum in that window. Pure: the
// server calls it as rollups change and sends the alerts on the WebSocket stream
// and to webhooks.

import {
  KPI_INTERVAL_MS as INTERVAL_MS,
  intervalStartOf,
  type KpiContext,
  type KpiRollup,
  type KpiSettings,
  kpisFromRollup,
  localDateOf,
  localDayBounds,
  localMonthBounds,
  localMonthOf,
  resolveKpiSettings,
} from '../kpi/index.ts';
import type { SlaContract, SlaStatus, SlaWindow } from './sla.types.ts';
import { validateSlaContract } from './sla.validate.ts';

export type SlaLiveMetric = {
  id: string;
  kpi: string;
  window: SlaWindow;
  /** The current window: ISO interval start, local date or local month. */
  windowLabel: string;
  fromMs: number;
  /** End of the data read: the end of the interval holding `now`. */
  toMs: number;
  value: number | null;
  minimum: number;
  target: number;
  status: SlaStatus;
};

export type SlaAlert = {
  metricId: string;
  kpi: string;
  windowLabel: string;
  kind: 'below_minimum' | 'recovered';
  value: number | null;
  minimum: number;
  atMs: number;
};

const TOLERANCE = 1e-9;

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

function currentWindow(
  window: SlaWindow,
  nowMs: number,
  timeZone: string,
): { label: string; fromMs: number } {
  if (window === 'interval') {
    const fromMs = intervalStartOf(nowMs);
    return { label: new Date(fromMs).toISOString(), fromMs };
  }
  if (window === 'day') {
    const label = localDateOf(nowMs, timeZone);
    return { label, fromMs: localDayBounds(label, timeZone).fromMs };
  }
  const label = localMonthOf(nowMs, timeZone);
  return { label, fromMs: localMonthBounds(label, timeZone).fromMs };
}

/** Every metric of the contract in its current window, up to the end of the interval holding `nowMs`. */
export function slaLiveStatus(input: {
  contract: SlaContract;
  rollup: KpiRollup;
  settings?: Partial<KpiSettings>;
  nowMs: number;
  context?: KpiContext;
}): SlaLiveMetric[] {
  const contract = validateSlaContract(input.contract);
  const { timeZone } = resolveKpiSettings(input.settings);
  const toMs = intervalStartOf(input.nowMs) + INTERVAL_MS;
  return contract.metrics.map((metric) => {
    const { label, fromMs } = currentWindow(metric.window, input.nowMs, timeZone);
    const [group] = kpisFromRollup({
      rollup: input.rollup,
      settings: input.settings,
      grouping: { time: 'all' },
      period: { fromMs, toMs },
      filter: metric.filter,
      context: input.context,
      only: [metric.kpi],
    });
    const value = group!.figures[metric.kpi].value;
    return {
      id: metric.id,
      kpi: metric.kpi,
      window: metric.window,
      windowLabel: label,
      fromMs,
      toMs,
      value,
      minimum: metric.minimum,
      target: metric.target,
      status: statusOf(value, metric.minimum, metric.target, metric.better),
    };
  });
}

/**
 * Alerts between two live readings: a metric that fell below its minimum in its
 * current window, or came back above it. A new window starts clean (its first
 * reading below the minimum alerts; a recovery needs a fall in the same window).
 */
export function slaAlerts(
  previous: readonly SlaLiveMetric[],
  current: readonly SlaLiveMetric[],
  nowMs: number,
): SlaAlert[] {
  const before = new Map(previous.map((m) => [m.id, m]));
  const alerts: SlaAlert[] = [];
  for (const metric of current) {
    const old = before.get(metric.id);
    const sameWindow = old !== undefined && old.windowLabel === metric.windowLabel;
    const wasBelow = sameWindow && old.status === 'below_minimum';
    const isBelow = metric.status === 'below_minimum';
    if (isBelow === wasBelow) continue;
    if (!isBelow && !sameWindow) continue;
    alerts.push({
      metricId: metric.id,
      kpi: metric.kpi,
      windowLabel: metric.windowLabel,
      kind: isBelow ? 'below_minimum' : 'recovered',
      value: metric.value,
      minimum: metric.minimum,
      atMs: nowMs,
    });
  }
  return alerts;
}
