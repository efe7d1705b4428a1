// Live alerts and the cruscotto: interactions closed one by one through the
// live runtime's entry point (recordInteractionClosed) cross the minimum of an
// interval-window service level; the alert is raised once per window (stored,
// an `alert.sla` outbox event for webhooks, then the realtime hub), and the
// dashboard shows the month so far, the trend per day and today's intervals.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  createTestApp,
  type Session,
  seedPeople,
  signIn,
  type TestApp,
} from '../../../test/test-app.ts';
import type { RealtimeEvent } from '../../realtime/hub.ts';
import { recordInteractionClosed, recordInteractionsClosed } from '../kpis/kpi-rollups.service.ts';
import { insertCalls, seedNovember } from './sla.test-support.ts';
import { publishPendingSlaAlerts } from './sla-alerts.service.ts';

let t: TestApp;
let alpha: string;
let beta: string;
let admin: Session;
let viewer: Session;
const events: RealtimeEvent[] = [];

// The service level of each 15-minute interval must reach 0.8 (DOMAIN.md §8: a
// monthly figure can hide failing intervals; the interval window does not).
const CONTRACT = {
  name: 'Intervalli',
  validFrom: '2026-11',
  atRiskPercent: 10,
  metrics: [
    {
      id: 'sl_interval',
      kpi: 'service_level',
      minimum: 0.8,
      target: 0.9,
      window: 'interval',
      kind: 'critical',
      allocationPercent: 50,
    },
  ],
};

beforeAll(async () => {
  t = await createTestApp();
  const orgs = await seedPeople(t.db);
  alpha = orgs.alpha.id;
  beta = orgs.beta.id;
  admin = await signIn(t.app, 'admin@example.test');
  viewer = await signIn(t.app, 'client_viewer@example.test');
  await seedNovember(t.db, alpha);
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/organizations/${alpha}/sla/contracts`,
    headers: asUser(admin),
    payload: CONTRACT,
  });
  expect(created.statusCode).toBe(201);
  t.app.realtime.subscribe((stored) => {
    if (stored.event.type === 'alert.sla') events.push(stored.event);
  });
});
afterAll(() => t.close());

const at = (hhmm: string) => Date.parse(`2026-11-10T${hhmm}:00+01:00`);

/** Closes calls one at a time, each in its own transaction, as the live runtime does. */
async function closeOneByOne(ids: string[]) {
  for (const id of ids) {
    await t.db.forOrg(alpha, async (tx) => {
      await sql`update interactions set end_cause = 'completed' where id = ${id}::uuid`.execute(tx);
      await recordInteractionClosed(tx, { orgId: alpha, interactionId: id });
    });
  }
}

const storedAlerts = () =>
  t.db.readForOrg(alpha, async (tx) => {
    const rows = await sql<{ metric_id: string; window_label: string; kind: string }>`
      select metric_id, window_label, kind from sla_alerts order by id`.execute(tx);
    return rows.rows.map((r) => `${r.kind} ${r.window_label}`);
  });

describe('SLA alerts', () => {
  it('raises an alert once when the interval service level crosses its minimum, and when it recovers', async () => {
    // Interval 10:00 of 10 November (closing times 1–2 minutes apart, beyond the debounce):
    //   c1 answered in 10 s → SL 1/1: at target, no alert
    //   c2 abandoned after 40 s → 1/2 = 0.5 < 0.8: below_minimum (alert 1)
    //   c3 abandoned → 1/3: still below, no second alert in the same window
    const first = await insertCalls(
      t.db,
      alpha,
      [
        { queuedAt: at('10:00'), answerAfterS: 10 },
        { queuedAt: at('10:01'), abandonAfterS: 40 },
        { queuedAt: at('10:02'), abandonAfterS: 40 },
      ],
      { open: true },
    );
    await closeOneByOne(first);
    expect(await storedAlerts()).toEqual(['below_minimum 2026-11-10T09:00:00.000Z']);

    //   c4–c11 answered in 10 s: 2/4 … 7/9 = 0.78 below, 8/10 = 0.8 meets the minimum: recovered (alert 2)
    //   c12 abandoned → 9/12 = 0.75 below again: both alerts of this window were raised, none repeated
    const second = await insertCalls(
      t.db,
      alpha,
      [
        ...Array.from({ length: 8 }, (_, i) => ({
          queuedAt: at(`10:${String(3 + i).padStart(2, '0')}`),
          answerAfterS: 10,
        })),
        { queuedAt: at('10:11'), abandonAfterS: 40 },
      ],
      { open: true },
    );
    await closeOneByOne(second);
    expect(await storedAlerts()).toEqual([
      'below_minimum 2026-11-10T09:00:00.000Z',
      'recovered 2026-11-10T09:00:00.000Z',
    ]);

    // Interval 10:15 starts clean: c13 abandoned → 0/1 below: alert 3.
    await closeOneByOne(
      await insertCalls(t.db, alpha, [{ queuedAt: at('10:16'), abandonAfterS: 40 }], { open: true }),
    );
    expect(await storedAlerts()).toEqual([
      'below_minimum 2026-11-10T09:00:00.000Z',
      'recovered 2026-11-10T09:00:00.000Z',
      'below_minimum 2026-11-10T09:15:00.000Z',
    ]);

    // One webhook event per alert, through the outbox.
    const outbox = await t.db.readForOrg(alpha, async (tx) => {
      const rows = await sql<{ payload: { kind: string; value: number; minimum: number } }>`
        select payload from outbox_events where type = 'alert.sla' order by id`.execute(tx);
      return rows.rows.map((r) => r.payload);
    });
    expect(outbox).toHaveLength(3);
    expect(outbox[0]).toMatchObject({
      kind: 'below_minimum',
      value: 0.5,
      minimum: 0.8,
      metricId: 'sl_interval',
    });

    // And on the realtime hub once committed, each exactly once (the app's poller may have been first).
    await publishPendingSlaAlerts({ db: t.db, hub: t.app.realtime });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(events.map((e) => [e.organizationId, (e.data as { kind: string }).kind])).toEqual([
      [alpha, 'below_minimum'],
      [alpha, 'recovered'],
      [alpha, 'below_minimum'],
    ]);
  });
});

describe('the cruscotto', () => {
  it('the month so far, the trend per day, today per interval, live status and alerts', async () => {
    const url = `/api/organizations/${alpha}/sla/dashboard?at=${encodeURIComponent('2026-11-10T10:20:00+01:00')}&invoiceCents=1200000`;
    const response = await t.app.inject({ method: 'GET', url, headers: asUser(viewer) });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.month).toBe('2026-11');
    // Intervals with calls: 2 Nov 10:00 8/10 = 0.8 (meets 0.8), 3 Nov 10:00 10/10, 10 Nov 10:00 9/12 = 0.75,
    // 10:15 0/1 → 2 of 4 met the minimum; every interval is required → below minimum,
    // credit 12,000 € × 10 % × 50 % = 600 €.
    const [metric] = body.evaluation.metrics;
    expect(metric.windows).toMatchObject({ withData: 4, metMinimum: 2, metTarget: 1 });
    expect(metric).toMatchObject({ status: 'below_minimum', creditCents: 60_000 });
    expect(body.evaluation.period.to).toBe('2026-11-10T09:30:00.000Z'); // end of the current interval
    // Trend per day: 2 Nov 0.8 (between), 3 Nov 1 (at target), 10 Nov 9 / 13 answered or abandoned.
    const trend = body.trend[0].points.map((p: { label: string; value: number; status: string }) => [
      p.label,
      p.status,
    ]);
    expect(trend).toEqual([
      ['2026-11-02', 'between'],
      ['2026-11-03', 'at_target'],
      ['2026-11-10', 'below_minimum'],
    ]);
    expect(body.trend[0].points[2].value).toBeCloseTo(9 / 13, 12);
    expect(body.today.date).toBe('2026-11-10');
    expect(body.today.series[0].points.map((p: { value: number }) => p.value)).toEqual([0.75, 0]);
    expect(body.live[0]).toMatchObject({
      id: 'sl_interval',
      windowLabel: '2026-11-10T09:15:00.000Z',
      value: 0,
      status: 'below_minimum',
    });
    expect(body.alerts.map((a: { kind: string }) => a.kind)).toEqual([
      'below_minimum',
      'recovered',
      'below_minimum',
    ]);
  });

  it("a client viewer cannot read another organization's cruscotto", async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${beta}/sla/dashboard`,
      headers: asUser(viewer),
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('a contract with month-window metrics', () => {
  it('is checked as calls close, one by one and in a batch (the validated terms are not refused)', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/organizations/${beta}/sla/contracts`,
      headers: asUser(admin),
      payload: {
        name: 'Mese',
        validFrom: '2026-11',
        atRiskPercent: 10,
        metrics: [
          {
            kpi: 'service_level',
            minimum: 0.8,
            target: 0.9,
            window: 'month',
            kind: 'critical',
            allocationPercent: 50,
          },
          { id: 'sl_day', kpi: 'service_level', minimum: 0.8, target: 0.9, window: 'day', kind: 'key' },
        ],
      },
    });
    expect(created.statusCode).toBe(201);
    // Answered after 60 s: below the minimum, so the month metric alerts.
    const ids = await insertCalls(
      t.db,
      beta,
      Array.from({ length: 3 }, (_, i) => ({
        queuedAt: Date.parse('2026-11-12T10:00:00+01:00') + i * 60_000,
        answerAfterS: 60,
      })),
      { open: true },
    );
    await t.db.forOrg(beta, async (tx) => {
      await sql`update interactions set end_cause = 'completed' where id = ${ids[0]!}::uuid`.execute(tx);
      await recordInteractionClosed(tx, { orgId: beta, interactionId: ids[0]! });
    });
    await t.db.forOrg(beta, async (tx) => {
      await sql`update interactions set end_cause = 'completed' where id = any(${ids.slice(1)}::uuid[])`.execute(
        tx,
      );
      await recordInteractionsClosed(tx, { orgId: beta, interactionIds: ids.slice(1) });
    });
    const alerts = await t.db.readForOrg(beta, (tx) =>
      sql<{
        metric_id: string;
        kind: string;
      }>`select metric_id, kind from sla_alerts order by metric_id`.execute(tx),
    );
    expect(alerts.rows).toEqual([
      { metric_id: 'service_level', kind: 'below_minimum' },
      { metric_id: 'sl_day', kind: 'below_minimum' },
    ]);
    const rollup = await t.db.readForOrg(beta, (tx) =>
      sql<{ answered: string }>`select sum(answered)::text as answered from kpi_rollups`.execute(tx),
    );
    expect(rollup.rows[0]!.answered).toBe('3');
  });
});
