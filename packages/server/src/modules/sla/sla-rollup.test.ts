// loadSlaRollup sums away what no metric filters on: a dimension a metric names
// keeps only the values named (the others summed into one "other" row per
// interval), and a filter on "no queue" keeps the dimension whole. The figures a
// filter reads must not change with that: worked out by hand below.
//
// November 2026, 10:00 Rome, default SL (A≤T + Ab≤T) / (A + Ab), T = 20 s:
//   care     4 answered after 10 s
//   lasciti  2 answered after 10 s, 2 abandoned after 40 s
//   estero   3 answered after 60 s
//   no queue 1 answered after 5 s
//   all:     A = 10, A≤T = 7, Ab = 2 → SL 7 / 12; lasciti: 2 / 4; no queue: 1 / 1
import { kpisFromRollup, type RollupFilter } from '@centralino/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedPeople, type TestApp } from '../../../test/test-app.ts';
import { rebuildKpiRollups } from '../kpis/kpi-rollups.service.ts';
import { loadKpiSettings } from '../kpis/kpi-settings.service.ts';
import { NOVEMBER_FROM, NOVEMBER_TO } from './sla.test-support.ts';
import { loadSlaRollup } from './sla-rollup.ts';

let t: TestApp;
let orgId: string;
const at = Date.parse('2026-11-02T10:00:00+01:00');

beforeAll(async () => {
  t = await createTestApp();
  orgId = (await seedPeople(t.db)).alpha.id;
  const calls: (readonly [string | null, number, 'answered' | 'abandoned'])[] = [
    ...Array.from({ length: 4 }, () => ['care', 10, 'answered'] as const),
    ...Array.from({ length: 2 }, () => ['lasciti', 10, 'answered'] as const),
    ...Array.from({ length: 2 }, () => ['lasciti', 40, 'abandoned'] as const),
    ...Array.from({ length: 3 }, () => ['estero', 60, 'answered'] as const),
    [null, 5, 'answered'] as const,
  ];
  await t.db.forOrg(orgId, async (tx) => {
    for (const [i, [queue, afterS, how]] of calls.entries()) {
      const queued = new Date(at + i * 30_000);
      const after = new Date(at + i * 30_000 + afterS * 1000);
      const ended = how === 'answered' ? new Date(after.getTime() + 60_000) : after;
      await sql`
        insert into interactions (org_id, direction, source_queue, created_at, queued_at, answered_at,
                                  abandoned_at, ended_at, end_cause)
        values (${orgId}::uuid, 'inbound', ${queue}, ${queued.toISOString()}::timestamptz,
                ${queued.toISOString()}::timestamptz,
                ${how === 'answered' ? after.toISOString() : null}::timestamptz,
                ${how === 'abandoned' ? after.toISOString() : null}::timestamptz,
                ${ended.toISOString()}::timestamptz, ${how === 'answered' ? 'completed' : 'abandoned'})`.execute(
        tx,
      );
    }
    await rebuildKpiRollups(tx, { orgId, fromMs: NOVEMBER_FROM, toMs: NOVEMBER_TO });
  });
});
afterAll(() => t.close());

async function serviceLevels(filters: RollupFilter[]) {
  return t.db.readForOrg(orgId, async (tx) => {
    const settings = await loadKpiSettings(tx, orgId);
    const rollup = await loadSlaRollup(tx, {
      orgId,
      settings,
      fromMs: NOVEMBER_FROM,
      toMs: NOVEMBER_TO,
      filters,
    });
    const sl = (filter: RollupFilter) =>
      kpisFromRollup({
        rollup,
        settings,
        grouping: { time: 'all' },
        period: { fromMs: NOVEMBER_FROM, toMs: NOVEMBER_TO },
        filter,
        only: ['service_level'],
      })[0]!.figures.service_level.value;
    return { queues: new Set(rollup.rows.map((r) => r.queue)), sl };
  });
}

describe('the SLA rollup of a month', () => {
  it('keeps the named queue, sums the others into one row, and every filter reads the same figures', async () => {
    const { queues, sl } = await serviceLevels([{}, { queue: 'lasciti' }]);
    expect(queues).toEqual(new Set(['lasciti', null]));
    expect(sl({})).toBeCloseTo(7 / 12, 12);
    expect(sl({ queue: 'lasciti' })).toBeCloseTo(2 / 4, 12);
  });

  it('a filter on "no queue" keeps every queue apart, so it reads the calls without one only', async () => {
    const { queues, sl } = await serviceLevels([{}, { queue: null }, { queue: 'care' }]);
    expect(queues).toEqual(new Set(['care', 'lasciti', 'estero', null]));
    expect(sl({ queue: null })).toBeCloseTo(1, 12);
    expect(sl({ queue: 'care' })).toBeCloseTo(1, 12);
    expect(sl({})).toBeCloseTo(7 / 12, 12);
  });

  it('no filter: one row per interval', async () => {
    const { queues, sl } = await serviceLevels([{}]);
    expect(queues).toEqual(new Set([null]));
    expect(sl({})).toBeCloseTo(7 / 12, 12);
  });
});
