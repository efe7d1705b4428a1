// The CDR import's batch mechanics (interactions.importer.ts): set-based
// batches, two of them in flight at once, rollups added per batch. The
// hand-computed figures are in kpis/kpis.import.test.ts; here a generated
// file in shuffled order, cut into small batches so that nearly every batch
// depends on another (a repeat contact of a supporter, a later attempt on a
// list record, in either order), must leave rollups equal to a rebuild.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildKpiRollups } from '../kpis/kpi-rollups.service.ts';
import { createImportWorld, type ImportWorld, seedSupporters } from './import-test-kit.ts';

const HEADER =
  'id,channel,direction,queue,campaign,operator,supporter_external_id,created_at,queued_at,answered_at,abandoned_at,ended_at,wrap_ended_at,dialed_at,callee_answered_at,answered_by,right_party_contact,successful,list_record_id';
const CODES = Array.from({ length: 12 }, (_, i) => `D${String(i + 1).padStart(3, '0')}`);

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` contacts over three days, in shuffled order: few supporters and list records, so flags depend on other rows. */
function cdrRows(n: number): string[] {
  const next = random(7);
  const start = Date.parse('2026-03-27T08:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  const rows: string[] = [];
  for (let k = 1; k <= n; k++) {
    const created = start + Math.floor(next() * 3 * 86_400_000);
    const supporter = next() < 0.8 ? CODES[Math.floor(next() * CODES.length)]! : '';
    if (next() < 0.6) {
      const queued = created + 5_000;
      const abandoned = next() < 0.15;
      const answered = queued + Math.floor(next() * 40_000);
      rows.push(
        [
          `k${k}`,
          'voice',
          'inbound',
          next() < 0.5 ? 'assistenza' : 'donazioni',
          '',
          abandoned ? '' : `op${Math.floor(next() * 3)}`,
          supporter,
          iso(created),
          iso(queued),
          abandoned ? '' : iso(answered),
          abandoned ? iso(answered) : '',
          abandoned ? '' : iso(answered + 120_000),
          abandoned ? '' : iso(answered + 150_000),
          '',
          '',
          '',
          '',
          '',
          '',
        ].join(','),
      );
    } else {
      const human = next() < 0.5;
      const rpc = human && next() < 0.7;
      rows.push(
        [
          `k${k}`,
          'voice',
          'outbound',
          '',
          next() < 0.5 ? 'upgrade' : 'benvenuto',
          human ? `op${Math.floor(next() * 3)}` : '',
          supporter,
          iso(created),
          '',
          human ? iso(created + 20_000) : '',
          '',
          iso(created + (human ? 200_000 : 30_000)),
          '',
          iso(created),
          human ? iso(created + 19_000) : '',
          human ? 'human' : 'none',
          human ? String(rpc) : '',
          human ? String(rpc && next() < 0.3) : '',
          `L${Math.floor(next() * 15)}`,
        ].join(','),
      );
    }
  }
  return rows;
}

let w: ImportWorld;
beforeAll(async () => {
  w = await createImportWorld();
  await seedSupporters(w, w.alpha, CODES);
});
afterAll(async () => {
  await w.close();
});

const rollups = (orgId: string) =>
  w.db.readForOrg(orgId, async (tx) => {
    const result = await sql<Record<string, unknown>>`
      select * from kpi_rollups order by interval_start, queue, campaign, operator, channel, direction`.execute(
      tx,
    );
    return result.rows;
  });

describe('CDR import in batches', () => {
  const rows = cdrRows(150);
  // Lines 2–151 the contacts, then the first row again (same id, later in the file), then a row whose supporter is unknown.
  const file = [
    HEADER,
    ...rows,
    rows[0]!,
    rows[1]!.replace(/^k2,/, 'k-unknown,').replace(/,D\d{3},/, ',D999,'),
  ];

  it('stores every valid row, reports the bad one, and adds the rollups a rebuild gives, batch after batch', async () => {
    if (!/,D\d{3},/.test(rows[1]!)) throw new Error('the generator must give row 2 a supporter');
    const summary = await w.importInto(w.alpha, 'interactions', w.file(`${file.join('\n')}\n`), {
      batchSize: 10,
    });
    expect(summary).toMatchObject({ read: 152, created: 150, unchanged: 1, rejected: 1 });
    expect(summary.errors).toEqual([
      expect.objectContaining({ line: 153, column: 'supporter_external_id', value: 'D999' }),
    ]);
    const maintained = await rollups(w.alpha);
    expect(maintained.length).toBeGreaterThan(30);
    await w.db.forOrg(w.alpha, (tx) => rebuildKpiRollups(tx, { orgId: w.alpha, fromMs: 0, toMs: null }));
    expect(await rollups(w.alpha)).toEqual(maintained);
  }, 120_000);

  it('stores the instants to the millisecond, as given', async () => {
    const fractional = `${HEADER}\nfrac1,voice,inbound,assistenza,,op1,,2026-03-28T10:00:00.1239+01:00,2026-03-28T10:00:01.5+01:00,2026-03-28T10:00:09.007+01:00,,2026-03-28T10:02:00+01:00,,,,,,,\n`;
    await w.importInto(w.beta, 'interactions', w.file(fractional));
    const stored = await w.db.readForOrg(w.beta, async (tx) => {
      const result = await sql<{ instants: string[]; ended_at_inferred: boolean }>`
        select array[to_char(created_at at time zone 'UTC', 'HH24:MI:SS.US'),
                     to_char(queued_at at time zone 'UTC', 'HH24:MI:SS.US'),
                     to_char(answered_at at time zone 'UTC', 'HH24:MI:SS.US'),
                     to_char(ended_at at time zone 'UTC', 'HH24:MI:SS.US')] as instants, ended_at_inferred
        from interactions where external_id = 'frac1'`.execute(tx);
      return result.rows[0]!;
    });
    // The CDR's .1239 s is stored as .123: whole milliseconds, as the engine's records hold them.
    expect(stored.instants).toEqual([
      '09:00:00.123000',
      '09:00:01.500000',
      '09:00:09.007000',
      '09:02:00.000000',
    ]);
    expect(stored.ended_at_inferred).toBe(false);
  });

  it('the same file again changes nothing', async () => {
    const before = await rollups(w.alpha);
    const summary = await w.importInto(w.alpha, 'interactions', w.file(`${file.join('\n')}\n`), {
      batchSize: 10,
    });
    expect(summary).toMatchObject({ read: 152, created: 0, unchanged: 151, rejected: 1 });
    expect(await rollups(w.alpha)).toEqual(before);
  });
});
