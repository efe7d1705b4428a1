// The batched writer must write exactly what the one-transaction-per-write
// path writes: the same interaction rows, KPI rollups, outbox events and
// agent-state intervals, whatever lands in one flush; and one failing write
// must not take the others of its flush with it.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentState } from '../db/schema.ts';
import {
  closeInteraction,
  insertInteraction,
  switchAgentState,
  updateInteraction,
} from './interactions.store.ts';
import { buildCenter, type Center, KNOWN_CALLER, NUMBER, START } from './live-test-kit.ts';
import { createLiveWriter } from './live-writer.ts';

let center: Center;
beforeAll(async () => {
  center = await buildCenter();
}, 120_000);
afterAll(() => center.k.close());

const errors: unknown[] = [];
const writer = () => createLiveWriter({ db: center.k.db, logger: { error: (o) => errors.push(o) } });

/** One answered call's writes, in the order the runtime makes them. */
function callWrites(id: string, at: number) {
  const { alpha } = center.k;
  return {
    insert: {
      orgId: alpha,
      id,
      number: NUMBER,
      remoteNumber: KNOWN_CALLER,
      supporterId: center.supporterId,
      createdAt: new Date(at),
    },
    patches: [
      { ivr_started_at: new Date(at + 1_000) },
      { ivr_ended_at: new Date(at + 9_000), queued_at: new Date(at + 9_000), queue_id: center.queueId },
      { offered_at: new Date(at + 12_000) },
      { operator_id: center.skilled },
      { answered_at: new Date(at + 14_000), outcome: 'answered' as const },
      { ended_at: new Date(at + 200_000), hold_seconds: 0 },
    ],
    close: {
      orgId: alpha,
      id,
      patch: {
        wrap_ended_at: new Date(at + 230_000),
        hold_seconds: 0,
        end_cause: 'completed' as const,
        disposition: 'reached',
        notes: '',
        successful: true,
      },
    },
  };
}

const rowOf = (id: string) =>
  center.k.db.asCenter((tx) =>
    tx.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );
const outboxOf = async (id: string) =>
  (
    await center.k.db.asCenter((tx) =>
      sql<{ payload: Record<string, unknown> }>`
        select payload from outbox_events where type = 'interaction.completed' and payload->>'interactionId' = ${id}`.execute(
        tx,
      ),
    )
  ).rows.map((r) => r.payload);
const rollups = () =>
  center.k.db.asCenter(
    async (tx) =>
      (await sql<Record<string, unknown>>`select * from kpi_rollups order by 1, 2, 3, 4, 5, 6`.execute(tx))
        .rows,
  );

describe('the batched live writer', () => {
  it('writes the same row, rollups and outbox event as one transaction per write', async () => {
    const { db } = center.k;
    const one = randomUUID();
    const w = callWrites(one, START);
    await insertInteraction({ db, ...w.insert });
    for (const patch of w.patches) await updateInteraction({ db, orgId: w.insert.orgId, id: one, patch });
    await closeInteraction({ db, ...w.close });
    const rollupsAfterOne = await rollups();

    // The same call an hour later through the writer, everything in one flush, plus a second call.
    const batched = randomUUID();
    const other = randomUUID();
    const writes = writer();
    const b = callWrites(batched, START);
    const o = callWrites(other, START + 60_000);
    for (const call of [b, o]) writes.insertInteraction(call.insert);
    for (let i = 0; i < b.patches.length; i++) {
      writes.patchInteraction(b.insert.orgId, batched, b.patches[i]!);
      writes.patchInteraction(o.insert.orgId, other, o.patches[i]!);
    }
    writes.closeInteraction(b.close);
    writes.closeInteraction(o.close);
    await writes.idle();
    expect(writes.backlog()).toBe(0);
    expect(errors).toEqual([]);

    const strip = (row: Record<string, unknown>) => ({ ...row, id: undefined });
    expect(strip(await rowOf(batched))).toEqual(strip(await rowOf(one)));
    expect((await outboxOf(batched)).map((p) => ({ ...p, interactionId: undefined }))).toEqual(
      (await outboxOf(one)).map((p) => ({ ...p, interactionId: undefined })),
    );
    // The rollups now count three answered calls where they counted one (two in the same interval).
    const after = await rollups();
    expect(after.length).toBeGreaterThanOrEqual(rollupsAfterOne.length);
    const answered = (rows: Record<string, unknown>[]) =>
      rows.reduce((sum, r) => sum + Number((r as { answered?: number }).answered ?? 0), 0);
    expect(answered(rollupsAfterOne)).toBeGreaterThan(0);
    expect(answered(after)).toBe(3 * answered(rollupsAfterOne));
  });

  it('phases and closes of rows an earlier flush wrote: one statement each, the same rows and events as one at a time', async () => {
    const { db } = center.k;
    const at = START + 3 * 3_600_000;
    // Per row: phases with different columns, a jsonb column, an explicit null, a column left alone.
    const patches = () => [
      { ivr_started_at: new Date(at + 1_000), operator_id: center.skilled },
      { queued_at: new Date(at + 9_000), queue_id: center.queueId, operator_id: null },
      { transfers: JSON.stringify([{ at: new Date(at + 20_000).toISOString(), toQueueId: center.queueId }]) },
      { answered_at: new Date(at + 14_000), outcome: 'answered' as const, ended_at: new Date(at + 90_000) },
    ];
    const close = (id: string, notes: string) => ({
      orgId: center.k.alpha,
      id,
      patch: {
        wrap_ended_at: new Date(at + 100_000),
        end_cause: 'completed' as const,
        disposition: 'reached',
        notes,
        successful: true,
        pending_effect: null,
      },
    });
    const [one, a, b] = [randomUUID(), randomUUID(), randomUUID()];
    const base = (id: string) => ({ ...callWrites(id, at).insert, createdAt: new Date(at) });
    await insertInteraction({ db, ...base(one) });
    for (const patch of patches()) await updateInteraction({ db, orgId: center.k.alpha, id: one, patch });
    await closeInteraction({ db, ...close(one, 'uno') });

    errors.length = 0;
    const writes = writer();
    for (const id of [a, b]) writes.insertInteraction(base(id));
    await writes.idle();
    // a's phases in flushes of their own, its last one in the flush of all of b's: one
    // statement for rows with different columns to set.
    const ofA = patches();
    for (const patch of ofA.slice(0, -1)) await writes.patchInteraction(center.k.alpha, a, patch);
    writes.patchInteraction(center.k.alpha, a, ofA.at(-1)!);
    for (const patch of patches()) writes.patchInteraction(center.k.alpha, b, patch);
    await writes.idle();
    // b closes before a; a closed row is not closed again (its second close changes nothing).
    writes.closeInteraction(close(b, 'bi'));
    writes.closeInteraction(close(a, 'a'));
    writes.closeInteraction(close(b, 'never'));
    await writes.idle();
    expect(errors).toEqual([]);

    const strip = (row: Record<string, unknown>) => ({ ...row, id: undefined, notes: undefined });
    const reference = strip(await rowOf(one));
    expect(reference).toMatchObject({ operator_id: null, queue_id: center.queueId, end_cause: 'completed' });
    expect((await rowOf(one)).transfers).toHaveLength(1);
    for (const id of [a, b]) expect(strip(await rowOf(id))).toEqual(reference);
    expect((await rowOf(b)).notes).toBe('bi');
    const events = (await outboxOf(a)).concat(await outboxOf(b));
    expect(events).toHaveLength(2);
    const payload = (p: Record<string, unknown>) => ({ ...p, interactionId: undefined });
    for (const event of events) expect(payload(event)).toEqual(payload((await outboxOf(one))[0]!));
    // In the order of the closes: b's event before a's.
    const seqs = await center.k.db.asCenter((tx) =>
      sql<{ id: string }>`
        select payload->>'interactionId' as id from outbox_events
        where type = 'interaction.completed' and payload->>'interactionId' in (${a}, ${b}) order by outbox_events.id`.execute(
        tx,
      ),
    );
    expect(seqs.rows.map((r) => r.id)).toEqual([b, a]);
  });

  it('writes the agent-state intervals switchAgentState writes, ended ones closed in the same flush', async () => {
    const { db } = center.k;
    const states: [AgentState, number][] = [
      ['available', 0],
      ['reserved', 5_000],
      ['busy', 8_000],
      ['wrap_up', 190_000],
      ['not_ready', 220_000],
      ['offline', 400_000],
    ];
    const change = (userId: string, state: AgentState, at: number) => ({
      userId,
      at: new Date(START + at),
      state,
      reason: state === 'not_ready' ? 'break' : null,
      orgId: state === 'busy' ? center.k.alpha : null,
      queueId: null,
      channel: null,
    });
    for (const [state, at] of states) await switchAgentState({ db, ...change(center.skilled, state, at) });
    const writes = writer();
    // Two flushes: the first leaves an interval open for the second to close.
    for (const [state, at] of states.slice(0, 3)) writes.agentState(change(center.unskilled, state, at));
    await writes.idle();
    for (const [state, at] of states.slice(3)) writes.agentState(change(center.unskilled, state, at));
    await writes.idle();
    const intervals = (userId: string) =>
      db.asCenter((tx) =>
        tx
          .selectFrom('agent_state_intervals')
          .select(['state', 'reason', 'org_id', 'started_at', 'ended_at'])
          .where('user_id', '=', userId)
          .orderBy('started_at')
          .execute(),
      );
    expect(await intervals(center.unskilled)).toEqual(await intervals(center.skilled));
    expect((await intervals(center.unskilled)).every((row) => row.ended_at !== null)).toBe(true);
    // The interval on the organization's work (busy for alpha) reaches its outbox, once, either way.
    const events = async (userId: string) =>
      (
        await db.asCenter((tx) =>
          sql<{ org_id: string; payload: Record<string, unknown> }>`
            select org_id, payload from outbox_events
            where type = 'agent.state_interval' and payload->>'userId' = ${userId}`.execute(tx),
        )
      ).rows;
    const strip = (rows: { org_id: string; payload: Record<string, unknown> }[]) =>
      rows.map((r) => ({ ...r, payload: { ...r.payload, userId: undefined } }));
    expect(strip(await events(center.unskilled))).toEqual(strip(await events(center.skilled)));
    expect(await events(center.unskilled)).toEqual([
      {
        org_id: center.k.alpha,
        payload: expect.objectContaining({
          state: 'busy',
          startedAt: new Date(START + 8_000).toISOString(),
          endedAt: new Date(START + 190_000).toISOString(),
        }),
      },
    ]);
  });

  it('a failing write is logged and the rest of its flush still lands', async () => {
    errors.length = 0;
    const writes = writer();
    const good = randomUUID();
    const g = callWrites(good, START + 7_200_000);
    writes.insertInteraction(g.insert);
    // A supporter that does not exist: the row breaks its foreign key.
    writes.insertInteraction({ ...callWrites(randomUUID(), START).insert, supporterId: randomUUID() });
    for (const patch of g.patches) writes.patchInteraction(g.insert.orgId, good, patch);
    writes.closeInteraction(g.close);
    await writes.idle();
    expect(errors.length).toBeGreaterThan(0);
    const row = await rowOf(good);
    expect(row.end_cause).toBe('completed');
    expect(row.answered_at).toEqual(new Date(START + 7_200_000 + 14_000));
    expect(await outboxOf(good)).toHaveLength(1);
  });
});
