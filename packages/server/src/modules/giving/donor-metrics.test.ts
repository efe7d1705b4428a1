import { donorMetrics, type Gift as EngineGift } from '@centralino/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { donorMetricsReport, listSegment, type Segment } from './donor-metrics.service.ts';
import { createGivingWorld, type GivingWorld, insertSupporter } from './giving.fixtures.ts';

let w: GivingWorld;
type Row = {
  supporterId: string;
  date: string;
  amountCents: number;
  status: 'collected' | 'failed' | 'refunded';
};
const gifts: Row[] = [];
const names = new Map<string, { firstName: string; lastName: string }>();

// A deterministic linear congruential generator (Numerical Recipes constants).
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Boundary donors: one gift on a date chosen to sit on a segment edge of some reference date. */
const EDGE_DATES = [
  '2023-12-31', // 12 whole months before 2024-12-31: lapsed
  '2024-01-01', // 11 months: active
  '2022-12-31', // 24 months: deep lapsed
  '2023-01-01', // 23 months: lapsed
  '2024-02-29', // 12 months before 2025-02-28 (clamped): lapsed on that day
  '2024-01-31', // month ends
  '2023-02-28',
  '2021-06-30',
];

beforeAll(async () => {
  w = await createGivingWorld();
  const random = lcg(20250301);
  const supporters: string[] = [];
  await w.t.db.forOrg(w.alpha, async (tx) => {
    for (let i = 0; i < 90; i++) {
      const name = { firstName: `Nome${i}`, lastName: `Cognome${i}` };
      const row = await tx
        .insertInto('supporters')
        .values({ org_id: w.alpha, first_name: name.firstName, last_name: name.lastName })
        .returning('id')
        .executeTakeFirstOrThrow();
      supporters.push(row.id);
      names.set(row.id, name);
    }
    const start = Date.parse('2019-01-01T00:00:00Z');
    const end = Date.parse('2025-12-31T00:00:00Z');
    supporters.forEach((supporterId, i) => {
      if (i < EDGE_DATES.length) {
        gifts.push({ supporterId, date: EDGE_DATES[i]!, amountCents: 2500, status: 'collected' });
        return;
      }
      if (i % 11 === 0) return; // never gave
      // A donor gives from a random start for a random span, now and then.
      const first = start + Math.floor(random() * (end - start));
      const span = Math.floor(random() * 4 * 365) * DAY_MS;
      const count = 1 + Math.floor(random() * 8);
      for (let g = 0; g < count; g++) {
        const at = Math.min(end, first + Math.floor(random() * span));
        const roll = random();
        gifts.push({
          supporterId,
          date: isoDay(at),
          amountCents: 500 + Math.floor(random() * 20_000),
          status: roll < 0.1 ? 'failed' : roll < 0.15 ? 'refunded' : 'collected',
        });
      }
    });
    await tx
      .insertInto('gifts')
      .values(
        gifts.map((g) => ({
          org_id: w.alpha,
          supporter_id: g.supporterId,
          gift_date: g.date,
          amount_cents: g.amountCents,
          method: 'bank_transfer' as const,
          status: g.status,
          return_code: g.status === 'failed' ? 'AM04' : null,
        })),
      )
      .execute();
  });
});
afterAll(() => w.t.close());

const collected = (): EngineGift[] =>
  gifts
    .filter((g) => g.status === 'collected')
    .map(({ supporterId, date, amountCents }) => ({ supporterId, date, amountCents }));

async function allOfSegment(segment: Segment, year: number, today: string) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listSegment({ db: w.t.db, orgId: w.alpha, segment, year, today, limit: 4, cursor });
    ids.push(...page.items.map((item) => item.supporterId));
    for (const item of page.items) {
      expect({ firstName: item.firstName, lastName: item.lastName }).toEqual(names.get(item.supporterId));
    }
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 100);
  return ids;
}

describe('donor metrics in SQL agree with the engine on the same gifts', () => {
  // [year, today]: complete years, the current year to date, and a day on a month-end edge.
  const cases: [number, string][] = [
    [2021, '2025-08-15'],
    [2023, '2025-08-15'],
    [2024, '2025-08-15'],
    [2025, '2025-08-15'],
    [2025, '2025-02-28'],
    [2024, '2024-12-31'],
  ];

  it.each(cases)('year %i seen on %s', async (year, today) => {
    const ours = await donorMetricsReport({ db: w.t.db, orgId: w.alpha, year, today });
    const reference = today < `${year}-12-31` ? today : `${year}-12-31`;
    expect(ours.referenceDate).toBe(reference);
    const counted = collected().filter((g) => g.date <= reference);
    // The engine's "last fiscal year" is the year before its reference date: seen on
    // 1 January of the next year, on the gifts up to this report's reference date, it is
    // this report's year (to date), and its retention is from the year before into it.
    const yearView = donorMetrics({ gifts: counted, referenceDate: `${year + 1}-01-01` });
    expect(yearView.lastFiscalYear).toEqual({ from: `${year}-01-01`, to: `${year}-12-31` });
    expect(ours.previousDonors).toBe(yearView.retention.previousDonors);
    expect(ours.retainedDonors).toBe(yearView.retention.retainedDonors);
    expect(ours.retention).toBe(yearView.retention.retention);
    expect(ours.attrition).toBe(yearView.retention.attrition);
    expect(ours.expectedLifespanYears).toBe(yearView.expectedLifespanYears);
    expect(ours.averageAnnualGiftCents).toBe(yearView.averageAnnualGiftCents);
    expect(ours.lifetimeValueCents).toBe(yearView.lifetimeValueCents);

    // Segments at the reference date itself.
    const atReference = donorMetrics({ gifts: collected(), referenceDate: reference });
    expect(ours.segments).toEqual({
      lybunt: atReference.lybunt.length,
      sybunt: atReference.sybunt.length,
      lapsed: atReference.lapsed.length,
      deepLapsed: atReference.deepLapsed.length,
    });
    expect(ours.segments.lybunt + ours.segments.sybunt).toBeGreaterThan(0);
    expect(ours.segments.lapsed + ours.segments.deepLapsed).toBeGreaterThan(0);

    const lists: [Segment, { supporterId: string }[]][] = [
      ['lybunt', atReference.lybunt],
      ['sybunt', atReference.sybunt],
      ['lapsed', atReference.lapsed],
      ['deep_lapsed', atReference.deepLapsed],
    ];
    for (const [segment, expected] of lists) {
      const ids = await allOfSegment(segment, year, today);
      expect([segment, ids]).toEqual([segment, expected.map((s) => s.supporterId).sort()]);
    }
  });

  it('puts the edge dates in the segments the engine does', async () => {
    const ours = await allOfSegment('lapsed', 2024, '2024-12-31');
    const engine = donorMetrics({ gifts: collected(), referenceDate: '2024-12-31' });
    // The edge donors are the first ones created, with one gift each.
    const edge = new Map(gifts.slice(0, EDGE_DATES.length).map((g) => [g.supporterId, g.date]));
    const lapsedEdges = ours
      .filter((id) => edge.has(id))
      .map((id) => edge.get(id))
      .sort();
    expect(lapsedEdges).toEqual(
      engine.lapsed
        .filter((s) => edge.has(s.supporterId))
        .map((s) => s.lastGiftDate)
        .sort(),
    );
    // Whole months before 2024-12-31: 23, 22 and 12 (2024-01-01 is 11, 2022-12-31 is 24).
    expect(lapsedEdges).toEqual(['2023-01-01', '2023-02-28', '2023-12-31']);
    // 29 February + 12 months is 28 February in a common year: lapsed on that day.
    const leap = gifts[4]!;
    expect(leap.date).toBe('2024-02-29');
    expect(await allOfSegment('lapsed', 2025, '2025-02-28')).toContain(leap.supporterId);
    expect(await allOfSegment('lapsed', 2025, '2025-02-27')).not.toContain(leap.supporterId);
  });
});

describe('donor metrics API', () => {
  it('answers the report for a year and pages a segment', async () => {
    const response = await w.t.app.inject({
      method: 'GET',
      url: `/api/organizations/${w.alpha}/donor-metrics?year=2024`,
      headers: w.clientViewer,
    });
    expect(response.statusCode).toBe(200);
    // 2024 is complete whatever today is (tests run after it).
    const expected = await donorMetricsReport({
      db: w.t.db,
      orgId: w.alpha,
      year: 2024,
      today: '2099-01-01',
    });
    expect(response.json()).toEqual(expected);

    const url = `/api/organizations/${w.alpha}/donor-metrics/segments/sybunt?year=2024&limit=5`;
    const first = (await w.t.app.inject({ method: 'GET', url, headers: w.operator })).json();
    expect(first.items).toHaveLength(5);
    const second = (
      await w.t.app.inject({ method: 'GET', url: `${url}&cursor=${first.nextCursor}`, headers: w.operator })
    ).json();
    expect(second.items[0].supporterId > first.items[4].supporterId).toBe(true);
    expect(expected.segments.sybunt).toBeGreaterThan(5);
  });

  it('answers 400 for a future year, an unknown segment, a bad cursor', async () => {
    for (const url of [
      `/api/organizations/${w.alpha}/donor-metrics?year=9999`,
      `/api/organizations/${w.alpha}/donor-metrics?year=twenty`,
      `/api/organizations/${w.alpha}/donor-metrics/segments/active`,
      `/api/organizations/${w.alpha}/donor-metrics/segments/lapsed?cursor=abc`,
    ]) {
      const response = await w.t.app.inject({ method: 'GET', url, headers: w.admin });
      expect([url, response.statusCode]).toEqual([url, 400]);
    }
  });

  it("counts one organization's donors only", async () => {
    const response = await w.t.app.inject({
      method: 'GET',
      url: `/api/organizations/${w.beta}/donor-metrics?year=2024`,
      headers: w.admin,
    });
    expect(response.json()).toMatchObject({
      donors: 0,
      previousDonors: 0,
      retention: null,
      lifetimeValueCents: null,
      segments: { lybunt: 0, sybunt: 0, lapsed: 0, deepLapsed: 0 },
    });
    const segment = await w.t.app.inject({
      method: 'GET',
      url: `/api/organizations/${w.beta}/donor-metrics/segments/deep_lapsed?year=2024`,
      headers: w.admin,
    });
    expect(segment.json()).toEqual({ items: [], nextCursor: null });
  });
});

describe('the README example', () => {
  it('three supporters give the figures the README shows', async () => {
    const { createOrganization } = await import('../organizations/organizations.service.ts');
    const org = await createOrganization({ db: w.t.db, principal: null, slug: 'readme', name: 'Readme ETS' });
    const base = `/api/organizations/${org.id}`;
    const [anna, luca, giulia] = [
      await insertSupporter(w.t.db, org.id, { firstName: 'Anna', lastName: 'Rossi' }),
      await insertSupporter(w.t.db, org.id, { firstName: 'Luca', lastName: 'Bianchi' }),
      await insertSupporter(w.t.db, org.id, { firstName: 'Giulia', lastName: 'Neri' }),
    ];
    for (const [supporter, giftDate, amountCents] of [
      [anna, '2024-03-10', 3000],
      [anna, '2025-03-10', 5000],
      [anna, '2025-09-10', 5000],
      [luca, '2024-06-01', 2500],
      [giulia, '2022-11-20', 10000],
    ] as const) {
      const response = await w.t.app.inject({
        method: 'POST',
        url: `${base}/supporters/${supporter}/gifts`,
        headers: w.admin,
        payload: { giftDate, amountCents, method: 'bank_transfer' },
      });
      expect(response.statusCode).toBe(201);
    }
    const metrics = await w.t.app.inject({
      method: 'GET',
      url: `${base}/donor-metrics?year=2025`,
      headers: w.admin,
    });
    expect(metrics.json()).toEqual({
      year: 2025,
      referenceDate: '2025-12-31',
      donors: 1,
      previousDonors: 2,
      retainedDonors: 1,
      retention: 0.5,
      attrition: 0.5,
      expectedLifespanYears: 2,
      averageAnnualGiftCents: 10000,
      lifetimeValueCents: 20000,
      segments: { lybunt: 1, sybunt: 1, lapsed: 1, deepLapsed: 1 },
    });
    const lybunt = await w.t.app.inject({
      method: 'GET',
      url: `${base}/donor-metrics/segments/lybunt?year=2025`,
      headers: w.admin,
    });
    expect(lybunt.json()).toEqual({
      items: [{ supporterId: luca, firstName: 'Luca', lastName: 'Bianchi', lastGiftDate: '2024-06-01' }],
      nextCursor: null,
    });
  });
});
