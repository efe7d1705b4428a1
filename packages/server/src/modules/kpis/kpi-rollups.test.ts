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

const rows = () =>
  db.readForOrg(orgId, async (tx) => {
    const result = await sql<Record<string, unknown>>`
      select * from kpi_rollups order by interval_start, queue, campaign, operator, channel, direction`.execute(
      tx,
    );
    return result.rows;
  });

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
    await db.forOrg(orgId, (tx) => rebuildKpiRollups(tx, { orgId, fromMs: 0, toMs: null }));
    expect(await rows()).toEqual(maintained);
    expect(maintained.map((r) => r.queue)).toEqual(['care', 'care']);
  });
});
