// Rollups maintained by the live runtime's entry point, recordInteractionClosed:
// interactions stored as the runtime stores them (queue by id, no CDR fields),
// closed out of creation order. Closing the earlier contact of a supporter
// after a later one must turn the later one into a repeat (FCR, DOMAIN.md §3)
// in its own interval, so the maintained rows equal a rebuild.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../db/database.ts';
import { createOrganization } from '../organizations/organizations.service.ts';
import { createSupporter } from '../supporters/supporters.service.ts';
import { kpiReport } from './kpi-report.service.ts';
import { rebuildKpiRollups, recordInteractionClosed } from './kpi-rollups.service.ts';
import { allOperatorsMismatches, rollupTables } from './kpi-rollups.test-support.ts';

let db: Database;
let orgId: string;
let supporterId: string;
let queueId: string;
beforeAll(async () => {
  db = await openTestDatabase();
  orgId = (await createOrganization({ db, principal: null, slug: 'live', name: 'Live' })).id;
  supporterId = (await createSupporter({ db, principal: null, orgId, input: { lastName: 'Rossi' } })).id;
  queueId = await db.forOrg(orgId, async (tx) => {
    const queue = await tx
      .insertInto('queues')
      .values({ org_id: orgId, key: 'care', name: 'Care' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return queue.id;
  });
});
afterAll(async () => {
  await db.close();
});

/** An answered inbound call of the supporter, open (end_cause NULL) as the runtime leaves it during the call. */
async function openCall(queuedAt: string, answeredAt: string, endedAt: string): Promise<string> {
  return db.forOrg(orgId, async (tx) => {
    const row = await sql<{ id: string }>`
      insert into interactions (org_id, direction, queue_id, supporter_id, created_at, queued_at, answered_at, ended_at)
      values (${orgId}::uuid, 'inbound', ${queueId}::uuid, ${supporterId}::uuid, ${queuedAt}::timestamptz,
              ${queuedAt}::timestamptz, ${answeredAt}::timestamptz, ${endedAt}::timestamptz)
      returning id`.execute(tx);
    return row.rows[0]!.id;
  });
}

const close = (interactionId: string) =>
  db.forOrg(orgId, async (tx) => {
    await sql`update interactions set end_cause = 'completed' where id = ${interactionId}::uuid`.execute(tx);
    await recordInteractionClosed(tx, { orgId, interactionId });
  });

/** Both tables of rollups: per operator, and summed over operators (0013). */
const rows = () => rollupTables(db, orgId);

const day = () =>
  kpiReport({
    db,
    orgId,
    fromMs: Date.parse('2026-05-04T00:00:00+02:00'),
    toMs: Date.parse('2026-05-05T00:00:00+02:00'),
    group: 'day',
    filter: { queue: 'care' },
  });

describe('recordInteractionClosed', () => {
  it('counts a closed interaction in its interval and leaves open ones out', async () => {
    // A: queued 10:00, a long call until 10:40. B: queued 10:20 (next interval), ends 10:22.
    const a = await openCall(
      '2026-05-04T10:00:00+02:00',
      '2026-05-04T10:00:05+02:00',
      '2026-05-04T10:40:00+02:00',
    );
    const b = await openCall(
      '2026-05-04T10:20:00+02:00',
      '2026-05-04T10:20:30+02:00',
      '2026-05-04T10:22:00+02:00',
    );
    await close(b);
    let report = await day();
    // Only B: A is still on the phone.
    expect(report.total.offered.value).toBe(1);
    expect(report.total.fcr).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    expect(report.groups[0]!.figures.asa.value).toBe(30);

    await close(a);
    report = await day();
    expect(report.total.offered.value).toBe(2);
    // B came 20 minutes after A, same supporter: a repeat within 2 days → FCR 1 − 1/2.
    expect(report.total.fcr).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    // ASA (5 + 30) / 2; the queue dimension is the queue's key.
    expect(report.total.asa.value).toBe(17.5);
    const intervals = await kpiReport({
      db,
      orgId,
      fromMs: Date.parse('2026-05-04T10:00:00+02:00'),
      toMs: Date.parse('2026-05-04T10:30:00+02:00'),
      group: 'interval',
      filter: {},
    });
    expect(intervals.groups.map((g) => [g.label, g.figures.fcr.numerator])).toEqual([
      ['2026-05-04T08:00:00Z', 1], // A: not a repeat (1 − 0)
      ['2026-05-04T08:15:00Z', 0], // B: the repeat, recounted when A closed (1 − 1)
    ]);
  });

  it('maintained rows equal a rebuild from the raw interactions', async () => {
    const maintained = await rows();
    expect(await allOperatorsMismatches(db, orgId)).toEqual([]);
    await db.forOrg(orgId, (tx) => rebuildKpiRollups(tx, { orgId, fromMs: 0, toMs: null }));
    expect(await rows()).toEqual(maintained);
    expect(maintained.perOperator.map((r) => r.queue)).toEqual(['care', 'care']);
    expect(maintained.allOperators.map((r) => r.queue)).toEqual(['care', 'care']);
  });

  it('many closes, roughly in creation order — added where nothing later depends on them, rebuilt where it does — equal a rebuild', async () => {
    // Seeded pseudo-random history: inbound calls of five supporters (answered or abandoned,
    // repeats within the FCR window) and outbound attempts on their list records, over two days.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const supporters = [supporterId];
    for (let i = 0; i < 4; i++)
      supporters.push(
        (await createSupporter({ db, principal: null, orgId, input: { lastName: `Verdi${i}` } })).id,
      );
    const base = Date.parse('2026-05-06T09:00:00+02:00');
    const ids: string[] = [];
    for (let i = 0; i < 80; i++) {
      const at = base + Math.floor(random() * 2 * 86_400_000);
      const who = supporters[Math.floor(random() * supporters.length)]!;
      // Three operators (the CDR name an import would store), so intervals have rows of several.
      const operator = `op${Math.floor(random() * 3)}`;
      const iso = (ms: number) => new Date(ms).toISOString();
      const id = await db.forOrg(orgId, async (tx) => {
        if (random() < 0.7) {
          const answered = random() < 0.8;
          const wait = Math.floor(random() * 60_000);
          const end = at + wait + 30_000 + Math.floor(random() * 600_000);
          const row = await sql<{ id: string }>`
            insert into interactions (org_id, direction, queue_id, supporter_id, source_operator, created_at, queued_at,
                                      answered_at, abandoned_at, ended_at, wrap_ended_at, hold_seconds, outcome)
            values (${orgId}::uuid, 'inbound', ${queueId}::uuid, ${who}::uuid, ${operator}, ${iso(at)}::timestamptz,
                    ${iso(at)}::timestamptz, ${answered ? iso(at + wait) : null}::timestamptz,
                    ${answered ? null : iso(at + wait)}::timestamptz, ${iso(end)}::timestamptz,
                    ${answered ? iso(end + 20_000) : null}::timestamptz, ${Math.floor(random() * 30)},
                    ${answered ? 'answered' : 'abandoned'})
            returning id`.execute(tx);
          return row.rows[0]!.id;
        }
        const outcome = (['reached', 'no_answer', 'busy', 'machine'] as const)[Math.floor(random() * 4)]!;
        const reached = outcome === 'reached';
        const row = await sql<{ id: string }>`
          insert into interactions (org_id, direction, supporter_id, source_operator, remote_number, created_at,
                                    dialed_at, callee_answered_at, answered_by, connected_at, answered_at, ended_at,
                                    outcome, disposition, successful, right_party_contact)
          values (${orgId}::uuid, 'outbound', ${who}::uuid, ${operator}, '+393471234567', ${iso(at)}::timestamptz,
                  ${iso(at)}::timestamptz, ${reached ? iso(at + 8000) : null}::timestamptz,
                  ${reached ? 'human' : outcome === 'machine' ? 'machine' : 'none'},
                  ${reached ? iso(at + 9000) : null}::timestamptz, ${reached ? iso(at + 9000) : null}::timestamptz,
                  ${iso(at + (reached ? 200_000 : 25_000))}::timestamptz, ${outcome},
                  ${reached ? 'reached' : null}, ${reached ? random() < 0.3 : null}, ${reached ? true : null})
          returning id`.execute(tx);
        return row.rows[0]!.id;
      });
      ids.push(id);
    }
    // Closed roughly in creation order, as a live center closes them, with neighbours swapped:
    // most closes are added (with the flags their history gives), some find a later contact
    // already counted and rebuild.
    const created = await db.readForOrg(orgId, (tx) =>
      tx.selectFrom('interactions').select(['id', 'created_at']).where('id', 'in', ids).execute(),
    );
    const order = created
      .map((row) => ({ id: row.id, key: row.created_at.getTime() + random() * 3_600_000 }))
      .sort((x, y) => x.key - y.key);
    for (const { id } of order) await close(id);
    const maintained = await rows();
    // Several operators share intervals: the rows summed over operators are fewer, and
    // equal the per-operator rows summed (the maximum wait by max), after adds and rebuilds alike.
    expect(maintained.allOperators.length).toBeLessThan(maintained.perOperator.length);
    expect(await allOperatorsMismatches(db, orgId)).toEqual([]);
    await db.forOrg(orgId, (tx) => rebuildKpiRollups(tx, { orgId, fromMs: 0, toMs: null }));
    expect(await rows()).toEqual(maintained);
  });
});
