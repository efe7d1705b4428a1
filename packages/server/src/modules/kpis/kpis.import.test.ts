// CDR history import → rollups → report, on a small hand-computed file
// (test/fixtures/cdr-small.csv: 11 good rows, 4 bad ones, over Saturday
// 2026-03-28 and Sunday 2026-03-29, the day Europe/Rome moves to summer time
// and has 23 hours). Expected values are worked out in the comments from the
// definitions in engine/kpi/README.md (DOMAIN.md §3): T = 20 s, short
// abandon ≤ 5 s, SL = (A≤T + Ab≤T) / (A + Ab), abandon rate =
// (Ab − short) / (A + Ab − short), FCR window 2 days.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportWorld, type ImportWorld, seedSupporters } from '../imports/import-test-kit.ts';
import { listKpiInteractions } from './kpi-drilldown.service.ts';
import { kpiReport } from './kpi-report.service.ts';
import { rebuildKpiRollups } from './kpi-rollups.service.ts';
import { allOperatorsMismatches, rollupTables } from './kpi-rollups.test-support.ts';

const FIXTURE = readFileSync(join(import.meta.dirname, '../../../test/fixtures/cdr-small.csv'), 'utf8');
const FROM = Date.parse('2026-03-28T00:00:00+01:00');
const TO = Date.parse('2026-03-30T00:00:00+02:00');

let w: ImportWorld;
beforeAll(async () => {
  w = await createImportWorld();
  await seedSupporters(w, w.alpha, ['D001', 'D002']);
  await seedSupporters(w, w.beta, ['D001', 'D002']);
});
afterAll(async () => {
  await w.close();
});

/** Every rollup row of an organization (both tables: per operator and summed over operators), comparable across organizations. */
const rollups = (orgId: string) => rollupTables(w.db, orgId);

const report = (orgId: string, group: 'interval' | 'day' | 'month', filter = {}) =>
  kpiReport({ db: w.db, orgId, fromMs: FROM, toMs: TO, group, filter });

describe('CDR history import', () => {
  it('stores the good rows, reports the bad ones by line and column', async () => {
    const summary = await w.importInto(w.alpha, 'interactions', w.file(FIXTURE, 'cdr.csv'));
    expect(summary).toMatchObject({ read: 15, created: 11, updated: 0, unchanged: 0, rejected: 4 });
    expect(summary.errors.map((e) => [e.line, e.column])).toEqual([
      [7, 'answered_at'], // answered before queued
      [12, 'channel'], // fax is not a channel of interactions
      [15, 'direction'],
      [9, 'supporter_external_id'], // D404 is nobody: refused when the batch is applied
    ]);
    expect(summary.errors[0]!.reason).toMatch(/before queued_at/);
  });

  it('gives the hand-computed figures per local day, the 23-hour DST day included', async () => {
    const byDay = await report(w.alpha, 'day');
    expect(byDay.groups.map((g) => [g.label, g.from, g.to])).toEqual([
      ['2026-03-28', '2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z'],
      // 29 March: 23 hours (02:00 CET → 03:00 CEST).
      ['2026-03-29', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ]);
    const [sat, sun] = byDay.groups.map((g) => g.figures);
    // Saturday: c01 (10 s), c02 (exactly 20 s = within T), c03 (45 s), c06 (queued
    // 23:50, answered 00:10 next day: counts on the day it queued, 1200 s);
    // abandons c04 (4 s: short and within T) and c05 (30 s).
    expect(sat!.offered.value).toBe(6);
    expect(sat!.answered.value).toBe(4);
    expect(sat!.abandoned.value).toBe(2);
    expect(sat!.short_abandons.value).toBe(1);
    expect(sat!.service_level).toMatchObject({ value: 0.5, numerator: 3, denominator: 6 }); // (2 + 1) / (4 + 2)
    expect(sat!.abandon_rate.value).toBe(0.2); // (2 − 1) / (4 + 2 − 1)
    expect(sat!.asa.value).toBe(318.75); // (10 + 20 + 45 + 1200) / 4
    expect(sat!.max_queue_wait.value).toBe(1200);
    // Handled, any direction: c01 270 talk + 30 hold + 60 wrap, c02 120, c03 120 + 30 wrap,
    // c06 300, outbound o01 240 → 1170 / 5.
    expect(sat!.aht.value).toBe(234);
    expect(sat!.transfer_rate.value).toBe(0.2); // c03 of 5 answered by an operator
    expect(sat!.fcr.value).toBe(1); // c01 (D001), c03 (D002): no repeat
    expect(sat!.attempts.value).toBe(1);
    expect(sat!.conversion_rate.value).toBe(1); // 1 success / 1 RPC
    expect(sat!.average_upgrade_amount.value).toBe(500);
    // Sunday: c07 (15 s, ends after the change of time: 5 min of talk), c08 (25 s),
    // c10 (no queued_at: queued = created, 8 s); c09 abandons at exactly 5 s (short, within T).
    expect(sun!.offered.value).toBe(4);
    expect(sun!.service_level).toMatchObject({ value: 0.75, numerator: 3, denominator: 4 });
    expect(sun!.abandon_rate).toMatchObject({ value: 0, numerator: 0, denominator: 3 });
    expect(sun!.asa.value).toBe(16); // (15 + 25 + 8) / 3
    expect(sun!.aht.value).toBe(180); // (300 + 120 + 120) / 3
    expect(sun!.fcr.value).toBe(0); // c07 repeats c01 (D001) within 2 days
    // No outbound attempt: the figure is absent, not 0 %.
    expect(sun!.conversion_rate.value).toBeNull();
    expect(sun!.conversion_rate.reason).toBeTruthy();
    // The whole period.
    expect(byDay.total.service_level.value).toBe(0.6); // (4 + 2) / (7 + 3)
    expect(byDay.total.asa.value).toBe(189); // (1275 + 48) / 7
    expect(byDay.total.fcr.value).toBeCloseTo(2 / 3, 12);
    expect(byDay.total.service_level.definition).toMatchObject({
      formula: '(A≤T + Ab≤T) / (A + Ab)',
      parameters: { thresholdSeconds: 20, shortAbandonSeconds: 5 },
    });
  });

  it('groups by 15-minute interval, by month, and filters by dimension', async () => {
    const byInterval = await report(w.alpha, 'interval', { direction: 'inbound' });
    const nine = byInterval.groups.find((g) => g.label === '2026-03-28T08:00:00Z')!;
    // 09:00–09:15 local: c01, c02, c03 answered (two within T), c04 a short abandon within T.
    expect(nine.figures.offered.value).toBe(4);
    expect(nine.figures.service_level.value).toBe(0.75);
    const late = byInterval.groups.find((g) => g.label === '2026-03-28T22:45:00Z')!;
    expect(late.figures.asa.value).toBe(1200);
    const byMonth = await report(w.alpha, 'month');
    expect(byMonth.groups.map((g) => [g.label, g.figures.offered.value])).toEqual([['2026-03', 10]]);
    const outbound = await report(w.alpha, 'day', { campaign: 'upgrade-2026' });
    expect(outbound.total.attempts.value).toBe(1);
    expect(outbound.total.offered.value).toBe(0);
    const op1 = await report(w.alpha, 'day', { operator: 'op1' });
    expect(op1.total.answered.value).toBe(4); // c01, c03, c07, c10
  });

  it('is idempotent on id: the same file again changes nothing', async () => {
    const before = await rollups(w.alpha);
    const again = await w.importInto(w.alpha, 'interactions', w.file(FIXTURE, 'cdr-again.csv'));
    expect(again).toMatchObject({ created: 0, unchanged: 11, rejected: 4 });
    const count = await w.db.readForOrg(w.alpha, (tx) =>
      tx
        .selectFrom('interactions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    expect(Number(count.n)).toBe(11);
    expect(await rollups(w.alpha)).toEqual(before);
  });

  it('a rebuild from the raw interactions gives identical rows', async () => {
    const maintained = await rollups(w.alpha);
    expect(maintained.perOperator.length).toBeGreaterThan(5);
    // op1 and op2 answer in the same interval (c01, c02): fewer rows summed over operators.
    expect(maintained.allOperators.length).toBeLessThan(maintained.perOperator.length);
    expect(await allOperatorsMismatches(w.db, w.alpha)).toEqual([]);
    await w.db.forOrg(w.alpha, (tx) => rebuildKpiRollups(tx, { orgId: w.alpha, fromMs: 0, toMs: null }));
    expect(await rollups(w.alpha)).toEqual(maintained);
  });

  it('importing history out of order still counts repeats from the stored history', async () => {
    // Sunday first: c07 has no earlier contact of D001 yet; then Saturday brings c01,
    // which turns c07 into a repeat: its interval must be recounted.
    const [header, ...lines] = FIXTURE.trim().split('\n');
    const sunday = lines.filter((l) => /2026-03-29/.test(l) && !/2026-03-28T23:50/.test(l));
    const saturday = lines.filter((l) => !sunday.includes(l));
    await w.importInto(w.beta, 'interactions', w.file([header, ...sunday].join('\n'), 'sun.csv'));
    expect((await report(w.beta, 'day')).total.fcr.value).toBe(1);
    await w.importInto(w.beta, 'interactions', w.file([header, ...saturday].join('\n'), 'sat.csv'));
    expect(await rollups(w.beta)).toEqual(await rollups(w.alpha));
  });

  it('drills a figure down to its interactions, page by page', async () => {
    const saturday = {
      fromMs: Date.parse('2026-03-28T00:00:00+01:00'),
      toMs: Date.parse('2026-03-29T00:00:00+01:00'),
    };
    const ids: string[] = [];
    const within: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await listKpiInteractions({
        db: w.db,
        orgId: w.alpha,
        kpi: 'service_level',
        ...saturday,
        filter: {},
        limit: 4,
        cursor,
      });
      expect(result.figure.value).toBe(0.5);
      ids.push(...result.items.map((i) => i.externalId!));
      within.push(...result.items.filter((i) => i.inNumerator).map((i) => i.externalId!));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    // In queue order: the denominator is every answered or abandoned contact of the day.
    expect(ids).toEqual(['c01', 'c02', 'c03', 'c04', 'c05', 'c06']);
    expect(within).toEqual(['c01', 'c02', 'c04']);
  });
});
