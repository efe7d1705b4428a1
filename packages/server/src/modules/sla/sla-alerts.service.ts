// Live alerts of the cruscotto (issue 7): after the KPI rollups change as an
// interaction closes (kpis/kpi-rollups.service.ts recordInteractionClosed),
// each metric of the contract is read in its current window (engine
// slaLiveStatus) and a crossing of its minimum (engine slaAlerts) is stored in
// sla_alerts — once per metric, window and kind, never repeated — with an
// `alert.sla` outbox event for webhooks in the same transaction. The app
// publishes stored alerts on the realtime hub after they commit
// (publishPendingSlaAlerts, polled by the SLA routes' plugin).
//
// Kept cheap: a metric already alerted both ways in its window is not read
// again, and an organization is checked at most once per DEBOUNCE_MS of
// closing time within one interval. Being below a minimum is a state, so a
// check skipped by the debounce is made by the next close: an alert can be a
// few seconds late, not lost (unless nothing else closes in that window).
import {
  intervalStartOf,
  KPI_INTERVAL_MS,
  type KpiSettings,
  localDateOf,
  localDayBounds,
  localMonthBounds,
  localMonthOf,
  type SlaLiveMetric,
  type SlaMetric,
  type SlaWindow,
  slaAlerts,
  slaLiveStatus,
  validateSlaContract,
} from '@centralino/engine';
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { RealtimeHub } from '../../realtime/hub.ts';
import { loadKpiSettings } from '../kpis/kpi-settings.service.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import { contractForMonth } from './sla-contracts.service.ts';
import { loadSlaRollup } from './sla-rollup.ts';

export const SLA_ALERT_EVENT = 'alert.sla';
export const DEBOUNCE_MS = 5_000;

/** orgId → the last check (closing time, in the interval it fell in). Per process; only saves work. */
const lastCheck = new Map<string, { intervalStartMs: number; atMs: number }>();

export function windowOf(
  window: SlaWindow,
  atMs: number,
  timeZone: string,
): { label: string; fromMs: number } {
  if (window === 'interval') {
    const fromMs = intervalStartOf(atMs);
    return { label: new Date(fromMs).toISOString(), fromMs };
  }
  if (window === 'day') {
    const label = localDateOf(atMs, timeZone);
    return { label, fromMs: localDayBounds(label, timeZone).fromMs };
  }
  const label = localMonthOf(atMs, timeZone);
  return { label, fromMs: localMonthBounds(label, timeZone).fromMs };
}

export type SlaAlertPayload = {
  contractId: string;
  version: number;
  metricId: string;
  kpi: string;
  window: SlaWindow;
  windowLabel: string;
  kind: 'below_minimum' | 'recovered';
  value: number | null;
  minimum: number;
  target: number;
  at: string;
};

/** Checks the organization's contract at `atMs` (a closing time); returns the alerts raised. */
export async function checkSlaAlerts(
  tx: Tx,
  options: { orgId: string; atMs: number; settings?: KpiSettings; debounce?: boolean },
): Promise<SlaAlertPayload[]> {
  const { orgId, atMs } = options;
  const intervalStartMs = intervalStartOf(atMs);
  if (options.debounce !== false) {
    const last = lastCheck.get(orgId);
    if (last && last.intervalStartMs === intervalStartMs && Math.abs(atMs - last.atMs) < DEBOUNCE_MS)
      return [];
    lastCheck.set(orgId, { intervalStartMs, atMs });
  }
  const settings = options.settings ?? (await loadKpiSettings(tx, orgId));
  const zone = settings.timeZone;
  const found = await contractForMonth(tx, orgId, localMonthOf(atMs, zone));
  if (!found) return [];
  const valid = validateSlaContract(found.terms);
  const windows = valid.metrics.map((m) => ({ metric: m, ...windowOf(m.window, atMs, zone) }));
  const stored = await sql<{ metric_id: string; window_label: string; kind: string }>`
    select metric_id, window_label, kind from sla_alerts
    where org_id = ${orgId}::uuid and contract_id = ${found.id}::uuid
      and window_label = any(${[...new Set(windows.map((w) => w.label))]}::text[])`.execute(tx);
  const raised = (id: string, label: string, kind: string) =>
    stored.rows.some((r) => r.metric_id === id && r.window_label === label && r.kind === kind);
  const open = windows.filter(
    (w) => !(raised(w.metric.id, w.label, 'below_minimum') && raised(w.metric.id, w.label, 'recovered')),
  );
  if (open.length === 0) return [];
  const toMs = intervalStartMs + KPI_INTERVAL_MS;
  const rollup = await loadSlaRollup(tx, {
    orgId,
    settings,
    fromMs: Math.min(...open.map((w) => w.fromMs)),
    toMs,
    filters: open.map((w) => w.metric.filter),
  });
  const current = slaLiveStatus({
    // The validated metrics carry requiredShare 1 on month windows, which the
    // engine refuses as input (a month is one window): given back as entered.
    contract: {
      atRiskPercent: valid.atRiskPercent,
      metrics: open.map(({ metric: { requiredShare, ...metric } }) =>
        metric.window === 'month' ? (metric as SlaMetric) : ({ ...metric, requiredShare } as SlaMetric),
      ),
    },
    rollup,
    settings,
    nowMs: atMs,
  });
  // The stored alerts are the previous reading: below since the last below_minimum, unless it recovered.
  const previous: SlaLiveMetric[] = current.map((m) => ({
    ...m,
    status:
      raised(m.id, m.windowLabel, 'below_minimum') && !raised(m.id, m.windowLabel, 'recovered')
        ? 'below_minimum'
        : 'between',
  }));
  const out: SlaAlertPayload[] = [];
  for (const alert of slaAlerts(previous, current, atMs)) {
    const metric = open.find((w) => w.metric.id === alert.metricId)!.metric;
    const inserted = await sql<{ id: string }>`
      insert into sla_alerts (org_id, contract_id, version, metric_id, kpi, "window", window_label, kind, value, minimum)
      values (${orgId}::uuid, ${found.id}::uuid, ${found.terms.version}, ${alert.metricId}, ${alert.kpi},
              ${metric.window}, ${alert.windowLabel}, ${alert.kind}, ${alert.value}, ${alert.minimum})
      on conflict do nothing returning id`.execute(tx);
    if (inserted.rows.length === 0) continue;
    const payload: SlaAlertPayload = {
      contractId: found.id,
      version: found.terms.version,
      metricId: alert.metricId,
      kpi: alert.kpi,
      window: metric.window,
      windowLabel: alert.windowLabel,
      kind: alert.kind,
      value: alert.value,
      minimum: alert.minimum,
      target: metric.target,
      at: new Date(atMs).toISOString(),
    };
    await emitEvent(tx, SLA_ALERT_EVENT, payload);
    out.push(payload);
  }
  return out;
}

/** The hook of recordInteractionClosed: the check at the interaction's closing time. */
export async function checkSlaAlertsAfterClose(
  tx: Tx,
  options: { orgId: string; interactionId: string; settings?: KpiSettings },
): Promise<void> {
  const row = await sql<{ at_ms: number | null }>`
    select (extract(epoch from coalesce(wrap_ended_at, ended_at, abandoned_at, created_at)) * 1000)::float8 as at_ms
    from interactions where id = ${options.interactionId}::uuid and end_cause is not null`.execute(tx);
  const atMs = row.rows[0]?.at_ms;
  if (atMs === null || atMs === undefined) return;
  await checkSlaAlerts(tx, {
    orgId: options.orgId,
    atMs: Number(atMs),
    ...(options.settings ? { settings: options.settings } : {}),
  });
}

/** A stored alert as the dashboard lists it and the event stream carries it (the webhook payload has the target too). */
export type StoredSlaAlert = Omit<SlaAlertPayload, 'target' | 'at'> & {
  id: string;
  organizationId: string;
  raisedAt: string;
};

type AlertRow = {
  id: string;
  org_id: string;
  contract_id: string;
  version: number;
  metric_id: string;
  kpi: string;
  window: SlaWindow;
  window_label: string;
  kind: 'below_minimum' | 'recovered';
  value: number | null;
  minimum: number;
  raised_at: Date;
};

function storedOf(row: AlertRow): StoredSlaAlert {
  return {
    id: String(row.id),
    organizationId: row.org_id,
    contractId: row.contract_id,
    version: row.version,
    metricId: row.metric_id,
    kpi: row.kpi,
    window: row.window,
    windowLabel: row.window_label,
    kind: row.kind,
    value: row.value,
    minimum: row.minimum,
    raisedAt: new Date(row.raised_at).toISOString(),
  };
}

/** The organization's alerts raised since `sinceMs`, newest first. */
export async function listSlaAlerts(tx: Tx, options: { orgId: string; sinceMs: number; limit?: number }) {
  const rows = await sql<AlertRow>`
    select id, org_id, contract_id, version, metric_id, kpi, "window", window_label, kind, value, minimum, raised_at
    from sla_alerts where org_id = ${options.orgId}::uuid and raised_at >= ${new Date(options.sinceMs).toISOString()}::timestamptz
    order by id desc limit ${options.limit ?? 100}`.execute(tx);
  return rows.rows.map(storedOf);
}

/** Publishes committed, unpublished alerts on the realtime hub (each once, across processes). */
export async function publishPendingSlaAlerts(options: { db: Database; hub: RealtimeHub }): Promise<number> {
  const rows = await options.db.asCenter(async (tx) => {
    const result = await sql<AlertRow>`
      update sla_alerts set published_at = now()
      where id in (select id from sla_alerts where published_at is null order by id limit 100 for update skip locked)
      returning id, org_id, contract_id, version, metric_id, kpi, "window", window_label, kind, value, minimum, raised_at`.execute(
      tx,
    );
    return result.rows;
  });
  for (const row of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
    options.hub.publish({ orgId: row.org_id, type: SLA_ALERT_EVENT, data: storedOf(row) });
  }
  return rows.length;
}
