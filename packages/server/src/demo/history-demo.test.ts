// The demo's four weeks of history: the calls follow the lines' hours and the
// week (nothing on Sundays and holidays), are the same for the same seed, and
// once stored the KPI report counts exactly the stored calls, day by day.
// Runs on PGlite or PostgreSQL (CENTRALINO_TEST_DATABASE_URL).
import { localDateOf, localDayBounds } from '@centralino/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../test/test-app.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import type { Database } from '../db/database.ts';
import { kpiReport } from '../modules/kpis/kpi-report.service.ts';
import { createOrganization } from '../modules/organizations/organizations.service.ts';
import { evaluateSlaPeriod } from '../modules/sla/sla-evaluation.service.ts';
import { createUser } from '../modules/users/users.service.ts';
import { seedCrmDemo } from './crm-demo.ts';
import { DEMO_HISTORY_DAYS, demoHistoryDay, historyDates, seedDemoHistory } from './history-demo.ts';
import {
  DEMO_LIVE_ORGANIZATIONS,
  DEMO_REAL_OPERATORS,
  italianHolidays,
  seedDemoLiveCenter,
} from './live-demo.ts';
import { seedDemoSlaContracts } from './sla-demo.ts';

// Tuesday 15 December 2026, 10:00 in Rome: the history runs from 17 November to
// Monday 14 December and holds Tuesday 8 December (Immacolata, a national holiday).
const TODAY = new Date(Date.UTC(2026, 11, 15, 9));
const HOLIDAYS = new Set(italianHolidays([2026]));
const OPERATORS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
const WRAP = { 'donor-care': 30, information: 20, 'drtv-response': 30 };

const day = (date: string, slug: 'bisturi-gentile' | 'ponti-aperti' = 'bisturi-gentile') =>
  demoHistoryDay({
    date,
    slug,
    operators: OPERATORS,
    knownCallers: [{ supporterId: '00000000-0000-4000-8000-000000000001', number: '+393331234567' }],
    wrapUpSeconds: WRAP,
    seed: 7,
    holidays: HOLIDAYS,
    // The live demo's full rates: enough calls in a day for its shape to show.
    scale: 1,
  });
const romeHour = (ms: number) =>
  Number(new Date(ms).toLocaleString('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', hour12: false }));

describe('a demo history day', () => {
  it('has no calls on a Sunday or a national holiday, fewer on a Saturday than a weekday', () => {
    expect(day('2026-12-13')).toEqual([]); // Sunday
    expect(day('2026-12-08')).toEqual([]); // Immacolata, a Tuesday
    const monday = day('2026-12-14');
    const saturday = day('2026-12-12');
    expect(saturday.length).toBeGreaterThan(0);
    expect(saturday.length).toBeLessThan(monday.length / 2);
    // The busier organization (live-demo.ts: peak 1 against 0.75) has more calls.
    expect(day('2026-12-14', 'ponti-aperti').length).toBeLessThan(monday.length);
  });

  it('is the same for the same seed and date, and another date differs', () => {
    expect(day('2026-12-10')).toEqual(day('2026-12-10'));
    expect(day('2026-12-11')).not.toEqual(day('2026-12-10'));
  });

  it('puts calls in the lines’ opening hours, with morning and afternoon peaks, answered or abandoned', () => {
    const calls = day('2026-12-14');
    const tollFree = DEMO_LIVE_ORGANIZATIONS[0].tollFree;
    const byHour = new Array<number>(24).fill(0);
    for (const call of calls) {
      const hour = romeHour(call.createdAt);
      if (call.number === tollFree) byHour[hour]!++;
      // Toll-free 9–20, DRTV 8–22 (live-demo.ts).
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThan(22);
      expect(call.queuedAt).toBeGreaterThan(call.createdAt);
      if (call.answeredAt === null) {
        expect(call.abandonedAt).not.toBeNull();
        expect(call.operator).toBeNull();
        expect(call.endedAt).toBe(call.abandonedAt);
      } else {
        expect(OPERATORS).toContain(call.operator);
        expect(call.answeredAt).toBeGreaterThanOrEqual(call.offeredAt!);
        expect(call.offeredAt).toBeGreaterThanOrEqual(call.queuedAt);
        expect(call.wrapEndedAt).toBeGreaterThan(call.endedAt);
        expect(call.disposition).not.toBeNull();
      }
    }
    // The toll-free line's morning peak above its lunch dip (shape: 1 at 10–11, 0.6 at 13).
    expect(byHour[10]!).toBeGreaterThan(byHour[13]!);
    expect(byHour[15]!).toBeGreaterThan(byHour[9]!);
    const abandoned = calls.filter((call) => call.answeredAt === null).length;
    expect(abandoned).toBeGreaterThan(0);
    expect(abandoned / calls.length).toBeLessThan(0.25);
    // An operator never takes a call while still on (or wrapping up) the previous one.
    const busyUntil = new Map<string, number>();
    for (const call of [...calls].filter((c) => c.operator).sort((a, b) => a.offeredAt! - b.offeredAt!)) {
      expect(call.offeredAt!).toBeGreaterThanOrEqual(busyUntil.get(call.operator!) ?? 0);
      busyUntil.set(call.operator!, call.wrapEndedAt!);
    }
  });

  it('covers the days before today in Rome, oldest first', () => {
    const dates = historyDates(TODAY, DEMO_HISTORY_DAYS);
    expect(dates).toHaveLength(28);
    expect(dates[0]).toBe('2026-11-17');
    expect(dates.at(-1)).toBe('2026-12-14');
  });
});

describe('the stored demo history', () => {
  let db: Database;
  const orgIds = new Map<string, string>();

  beforeAll(async () => {
    db = await openTestDatabase();
    for (const [i, org] of DEMO_LIVE_ORGANIZATIONS.entries()) {
      const orgId = (await createOrganization({ db, principal: null, slug: org.slug, name: org.slug })).id;
      orgIds.set(org.slug, orgId);
      await seedCrmDemo({
        db,
        secrets: testSecrets,
        orgId,
        prefix: `H${i}`,
        supporters: 100,
        seed: 31 + i,
        today: TODAY,
      });
    }
    for (const email of DEMO_REAL_OPERATORS)
      await createUser({
        db,
        principal: null,
        email,
        role: 'operator',
        password: 'correct horse battery',
        organizationIds: [...orgIds.values()],
      });
    await seedDemoLiveCenter({ db, realOperatorEmails: DEMO_REAL_OPERATORS, today: TODAY });
  }, 120_000);
  afterAll(() => db.close());

  it('is counted by the KPI report day by day, once, with the organization’s queues and operators', async () => {
    const { interactions } = await seedDemoHistory({ db, today: TODAY });
    expect(interactions).toBeGreaterThan(3_000);
    // Seeded once: a second start adds nothing.
    expect(await seedDemoHistory({ db, today: TODAY })).toEqual({ interactions: 0 });

    const orgId = orgIds.get('bisturi-gentile')!;
    const fromMs = localDayBounds('2026-11-17').fromMs;
    const toMs = localDayBounds('2026-12-14').toMs;
    const stored = await db.asCenter(async (tx) => {
      const rows = await sql<{ date: string; offered: number; abandoned: number; strangers: number }>`
        select to_char(i.queued_at at time zone 'Europe/Rome', 'YYYY-MM-DD') as date,
               count(*)::int as offered,
               count(*) filter (where i.abandoned_at is not null)::int as abandoned,
               count(*) filter (where i.operator_id is not null and not exists (
                 select 1 from user_organizations uo
                 where uo.user_id = i.operator_id and uo.org_id = i.org_id))::int as strangers
        from interactions i where i.org_id = ${orgId}::uuid group by 1 order by 1`.execute(tx);
      return rows.rows;
    });
    // Only the organization's own operators answer, and its calls stay in its history's days.
    expect(stored.every((row) => row.strangers === 0)).toBe(true);
    expect(stored[0]!.date).toBe('2026-11-17');
    expect(stored.at(-1)!.date).toBe('2026-12-14');

    const report = await kpiReport({ db, orgId, fromMs, toMs, group: 'day', filter: {} });
    // A group per day with calls: the 28 days but the four Sundays and the Immacolata.
    expect(report.groups.map((g) => g.label)).toEqual(stored.map((row) => row.date));
    expect(report.groups).toHaveLength(23);
    for (const group of report.groups) {
      const row = stored.find((r) => r.date === group.label)!;
      const weekday = new Date(`${group.label}T12:00:00Z`).getUTCDay();
      expect(weekday, group.label).not.toBe(0);
      expect(group.label).not.toBe('2026-12-08');
      expect(group.figures.offered?.value, group.label).toBe(row.offered);
      expect(group.figures.abandoned?.value, group.label).toBe(row.abandoned);
      // Handle times from the lognormal talk times (mean 3–4 minutes) plus hold and wrap-up.
      expect(group.figures.aht?.value, group.label).toBeGreaterThan(150);
      expect(group.figures.aht?.value, group.label).toBeLessThan(400);
    }
    // Over the four weeks, a service level a contract can be held to, with bad days among good ones.
    const serviceLevels = report.groups.flatMap((g) =>
      g.figures.service_level?.value == null ? [] : [g.figures.service_level.value],
    );
    expect(report.total.service_level?.value).toBeGreaterThan(0.6);
    expect(Math.min(...serviceLevels)).toBeLessThan(Math.max(...serviceLevels) - 0.05);

    // The interval report (the planner's forecast reads it) has calls only while the lines are open.
    const monday = localDayBounds('2026-12-14');
    const intervals = await kpiReport({ db, orgId, ...monday, group: 'interval', filter: {} });
    for (const group of intervals.groups) {
      if ((group.figures.offered?.value ?? 0) === 0) continue;
      const hour = romeHour(Date.parse(group.from));
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThan(22);
    }
    expect(localDateOf(Date.parse(intervals.groups[0]!.from))).toBe('2026-12-14');
  }, 120_000);

  it('gives the SLA contract, which starts with the history’s first month, real figures for that month', async () => {
    await seedDemoSlaContracts({ db, today: TODAY });
    const orgId = orgIds.get('ponti-aperti')!;
    const november = await evaluateSlaPeriod({ db, orgId, period: { month: '2026-11' }, invoiceCents: null });
    expect(november.contract.effectiveFrom).toBe('2026-11');
    const serviceLevel = november.metrics.find((m) => m.kpi === 'service_level' && m.window === 'month')!;
    expect(serviceLevel.value).toBeGreaterThan(0.5);
    expect(november.metrics.find((m) => m.kpi === 'abandon_rate')!.value).toBeGreaterThan(0);
  });
});
