// The live runtime end to end on PGlite or PostgreSQL, under a manual clock:
// the simulated gateway's callers dial a toll-free number configured through
// the API, press 1 in the IVR, wait in a queue that needs a skill, and are
// answered by simulated operators through the same OperatorActions a web user
// uses. What is checked is what reporting and webhooks rely on: the
// interaction rows, the agent-state intervals and the outbox.
import { createRandom } from '@centralino/engine';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import { createSimulatedOperators } from '../gateways/simulated/simulated-operators.ts';
import type { RealtimeEvent } from '../realtime/hub.ts';
import { createManualClock, type ManualClock } from './clock.ts';
import {
  advanceLive,
  buildCenter,
  type Center,
  gatewayFor,
  KNOWN_CALLER,
  MINUTE,
  NUMBER,
  START,
} from './live-test-kit.ts';
import { createLiveRuntime, type LiveRuntime } from './runtime.ts';

type Running = {
  clock: ManualClock;
  gateway: SimulatedGateway;
  runtime: LiveRuntime;
  events: RealtimeEvent[];
  stopOperators: () => void;
};

async function run(center: Center, options: { seed: number; patienceSeconds: number; operators: boolean }) {
  const clock = createManualClock({ start: START });
  const gateway = gatewayFor(clock, options.seed, options.patienceSeconds);
  const runtime = createLiveRuntime({
    db: center.k.db,
    clock,
    gateway,
    hub: center.k.app.realtime,
    logger: center.k.app.log,
    random: createRandom(options.seed),
  });
  const events: RealtimeEvent[] = [];
  center.k.app.realtime.subscribe((stored) => events.push(stored.event));
  await runtime.start();
  const operators = createSimulatedOperators({
    clock,
    seed: options.seed,
    actions: runtime.actions,
    operators: options.operators
      ? [center.skilled, center.unskilled, center.otherOrg].map((operatorId) => ({ operatorId }))
      : [],
    profile: {
      acceptDelay: { kind: 'fixed', seconds: 2 },
      missRate: 0,
      holdRate: 0.3,
      holdAfter: { kind: 'fixed', seconds: 30 },
      holdTime: { kind: 'fixed', seconds: 15 },
      wrapUp: { kind: 'fixed', seconds: 20 },
      outcomes: { default: { reached: 3, do_not_call: 1 } },
      breakEvery: null,
    },
    onRefused: (error, context) => {
      throw new Error(`${context.action} refused: ${(error as Error).message}`);
    },
  });
  for (const seat of operators.seats) runtime.registerSeat(seat);
  await operators.start();
  return { clock, gateway, runtime, events, stopOperators: () => operators.stop() } satisfies Running;
}

/** A runtime with no callers' traffic to speak of and no operators, its clock at `at`. */
async function runAt(center: Center, at: number) {
  const clock = createManualClock({ start: at });
  const gateway = gatewayFor(clock, 5, 60);
  const runtime = createLiveRuntime({
    db: center.k.db,
    clock,
    gateway,
    hub: center.k.app.realtime,
    logger: center.k.app.log,
    random: createRandom(5),
  });
  const events: RealtimeEvent[] = [];
  center.k.app.realtime.subscribe((stored) => events.push(stored.event));
  await runtime.start();
  return { clock, gateway, runtime, events };
}

async function interactions(center: Center) {
  return center.k.db.asCenter((tx) =>
    tx.selectFrom('interactions').selectAll().orderBy('created_at').orderBy('id').execute(),
  );
}

async function completedEvents(center: Center) {
  const rows = await center.k.db.asCenter((tx) =>
    sql<{ org_id: string; payload: Record<string, unknown> }>`
      select org_id, payload from outbox_events where type = 'interaction.completed' order by id`.execute(tx),
  );
  return rows.rows;
}

let center: Center | undefined;
afterEach(async () => {
  await center?.k.close();
  center = undefined;
});

const ms = (d: Date | null) => (d === null ? null : d.getTime());

describe('live runtime: inbound', () => {
  it('routes callers through the IVR to the skilled operator of their organization, records every phase, disposition and state interval', async () => {
    center = await buildCenter();
    const c = center;
    const r = await run(c, { seed: 11, patienceSeconds: 1800, operators: true });
    await advanceLive(r.clock, r.runtime, START + 60 * MINUTE);
    r.stopOperators();
    await r.runtime.drain();

    const rows = await interactions(c);
    const closed = rows.filter((row) => row.end_cause !== null);
    const answered = closed.filter((row) => row.answered_at !== null);
    expect(rows.length).toBeGreaterThan(10);
    expect(answered.length).toBeGreaterThan(5);
    for (const row of answered) {
      // DOMAIN.md §2, in order.
      const phases = [
        row.created_at,
        row.ivr_started_at,
        row.ivr_ended_at,
        row.queued_at,
        row.offered_at,
        row.answered_at,
        row.ended_at,
        row.wrap_ended_at,
      ].map(ms);
      expect(phases.every((t) => t !== null)).toBe(true);
      for (let i = 1; i < phases.length; i++) expect(phases[i]!).toBeGreaterThanOrEqual(phases[i - 1]!);
      // Accepted 2 s after the offer; talk 120 s plus any hold; the operator's 20 s wrap-up.
      expect(ms(row.answered_at)! - ms(row.offered_at)!).toBe(2_000);
      expect(ms(row.ended_at)! - ms(row.answered_at)!).toBe(120_000 + row.hold_seconds * 1000);
      expect(ms(row.wrap_ended_at)! - ms(row.ended_at)!).toBe(20_000);
      expect(row).toMatchObject({
        org_id: c.k.alpha,
        direction: 'inbound',
        number: NUMBER,
        queue_id: c.queueId,
        operator_id: c.skilled,
        outcome: 'answered',
        end_cause: 'completed',
      });
      expect(['reached', 'do_not_call']).toContain(row.disposition);
      expect(row.successful).toBe(row.disposition === 'reached');
      // Screen pop: the known caller is identified.
      expect(row.supporter_id).toBe(row.remote_number === KNOWN_CALLER ? c.supporterId : null);
    }
    expect(answered.some((row) => row.remote_number === KNOWN_CALLER)).toBe(true);
    expect(answered.some((row) => row.hold_seconds === 15)).toBe(true);

    // "Do not call" from an identified caller revoked the phone consent in the same close.
    const doNotCall = answered.filter(
      (row) => row.disposition === 'do_not_call' && row.supporter_id !== null,
    );
    const revoked = await c.k.db.readForOrg(c.k.alpha, (tx) =>
      tx.selectFrom('consent_events').select('interaction_id').where('granted', '=', false).execute(),
    );
    expect(revoked.map((r) => r.interaction_id).sort()).toEqual(doNotCall.map((row) => row.id).sort());

    // Offers reached only the operator with the skill and the organization.
    const offers = r.events.filter((e) => e.type === 'interaction.offered');
    expect(offers.length).toBeGreaterThanOrEqual(answered.length);
    expect(new Set(offers.map((e) => e.recipientUserId))).toEqual(new Set([c.skilled]));
    const offerWithPop = offers.find(
      (e) => (e.data as { screenPop: { supporterId: string }[] }).screenPop.length > 0,
    );
    expect((offerWithPop!.data as { screenPop: unknown[] }).screenPop).toEqual([
      { supporterId: c.supporterId, firstName: 'Maria', lastName: 'Rossi', status: 'active' },
    ]);
    expect(r.events.some((e) => e.type === 'queue.stats' && e.organizationId === c.k.alpha)).toBe(true);
    expect(r.events.some((e) => e.type === 'agent.state_changed')).toBe(true);

    // One outbox event per closed interaction, with its disposition.
    const completed = await completedEvents(c);
    expect(completed.length).toBe(closed.length);
    for (const row of closed) {
      const event = completed.find((e) => e.payload.interactionId === row.id)!;
      expect(event.org_id).toBe(c.k.alpha);
      expect(event.payload.disposition).toBe(row.disposition);
    }

    // The KPI rollups counted each answered call in the close's transaction.
    const rollups = await c.k.db.readForOrg(c.k.alpha, (tx) =>
      sql<{ answered: string }>`select coalesce(sum(answered), 0) as answered from kpi_rollups
        where direction = 'inbound'`.execute(tx),
    );
    expect(Number(rollups.rows[0]!.answered)).toBe(answered.length);

    // The skilled operator's intervals: contiguous from login, each serving one tagged with the organization.
    const intervals = await c.k.db.asCenter((tx) =>
      tx
        .selectFrom('agent_state_intervals')
        .selectAll()
        .where('user_id', '=', c.skilled)
        .orderBy('started_at')
        .orderBy('id')
        .execute(),
    );
    expect(intervals[0]).toMatchObject({ state: 'available', started_at: new Date(START) });
    for (let i = 1; i < intervals.length; i++)
      expect(ms(intervals[i]!.started_at)).toBe(ms(intervals[i - 1]!.ended_at));
    expect(intervals.filter((i) => i.ended_at === null)).toHaveLength(1);
    const states = intervals.map((i) => i.state);
    expect(states).toContain('reserved');
    expect(states).toContain('busy');
    expect(states).toContain('wrap_up');
    for (const i of intervals)
      if (i.state === 'reserved' || i.state === 'busy' || i.state === 'wrap_up')
        expect([i.org_id, i.queue_id, i.channel]).toEqual([c.k.alpha, c.queueId, 'voice']);
    // The two operators who may not take these calls only ever waited.
    const others = await c.k.db.asCenter((tx) =>
      tx
        .selectFrom('agent_state_intervals')
        .select('state')
        .distinct()
        .where('user_id', 'in', [c.unskilled, c.otherOrg])
        .execute(),
    );
    expect(others.map((o) => o.state)).toEqual(['available']);

    // The supervisor's view agrees with the rows.
    const stats = r.runtime.queues(c.k.alpha).find((q) => q.queueId === c.queueId)!;
    expect(stats.answeredToday).toBe(rows.filter((row) => row.operator_id !== null).length);
    await r.runtime.stop();
    await r.gateway.close();
  }, 120_000);

  it("today's service level survives a restart: a new runtime on the same database starts from the stored contacts, not from zero", async () => {
    center = await buildCenter();
    const c = center;
    // Patient enough for some callers to be answered, not for all: both counters move.
    const first = await run(c, { seed: 11, patienceSeconds: 60, operators: true });
    await advanceLive(first.clock, first.runtime, START + 60 * MINUTE);
    first.stopOperators();
    await first.runtime.drain();
    const before = first.runtime.queues(c.k.alpha).find((q) => q.queueId === c.queueId)!;
    expect(before.answeredToday).toBeGreaterThan(0);
    expect(before.abandonedToday).toBeGreaterThan(0);
    await first.runtime.stop();
    await first.gateway.close();

    const figures = (q: {
      answeredToday: number;
      abandonedToday: number;
      serviceLevelPercent: number | null;
    }) => ({
      answeredToday: q.answeredToday,
      abandonedToday: q.abandonedToday,
      serviceLevelPercent: q.serviceLevelPercent,
    });
    // Later the same Rome day.
    const later = await runAt(c, START + 90 * MINUTE);
    const after = later.runtime.queues(c.k.alpha).find((q) => q.queueId === c.queueId)!;
    expect(figures(after)).toEqual(figures(before));
    await later.runtime.stop();
    await later.gateway.close();

    // The next Rome day (00:30 there): yesterday's contacts do not count.
    const nextDay = await runAt(c, Date.UTC(2026, 2, 2, 23, 30));
    const tomorrow = nextDay.runtime.queues(c.k.alpha).find((q) => q.queueId === c.queueId)!;
    expect(figures(tomorrow)).toEqual({ answeredToday: 0, abandonedToday: 0, serviceLevelPercent: null });
    await nextDay.runtime.stop();
    await nextDay.gateway.close();
  }, 120_000);

  it('a caller who hangs up while queued is recorded as abandoned', async () => {
    center = await buildCenter();
    const c = center;
    const r = await run(c, { seed: 3, patienceSeconds: 45, operators: false });
    await advanceLive(r.clock, r.runtime, START + 30 * MINUTE);
    await r.runtime.drain();
    const rows = await interactions(c);
    const closed = rows.filter((row) => row.end_cause !== null);
    // A caller slower than the menu's timeout twice is hung up on by the IVR before any queue.
    for (const row of closed.filter((row) => row.queued_at === null))
      expect(row).toMatchObject({
        outcome: 'ivr_completed',
        abandoned_at: null,
        // A caller who hangs up while the call still rings at the platform never reached the IVR.
        ivr_ended_at: row.ivr_started_at === null ? null : row.ended_at,
      });
    const queued = closed.filter((row) => row.queued_at !== null);
    expect(queued.length).toBeGreaterThan(3);
    for (const row of queued) {
      expect(row).toMatchObject({
        outcome: 'abandoned',
        end_cause: 'abandoned',
        offered_at: null,
        operator_id: null,
      });
      expect(ms(row.abandoned_at)).toBe(ms(row.ended_at));
      expect(ms(row.abandoned_at)!).toBeGreaterThan(ms(row.queued_at)!);
      // Patience counts the wait only: at most 45 s in the queue.
      expect(ms(row.abandoned_at)! - ms(row.queued_at)!).toBeLessThanOrEqual(45_000);
    }
    expect((await completedEvents(c)).length).toBe(closed.length);
    const stats = r.runtime.queues(c.k.alpha).find((q) => q.queueId === c.queueId)!;
    expect(stats.abandonedToday).toBe(queued.length);
    expect(stats.answeredToday).toBe(0);
    expect(stats.serviceLevelPercent).not.toBeNull();
    await r.runtime.stop();
    await r.gateway.close();
  }, 120_000);

  it('a new runtime on the same database closes what a stopped one left open and starts with operators logged out', async () => {
    center = await buildCenter();
    const c = center;
    const r = await run(c, { seed: 5, patienceSeconds: 1800, operators: true });
    await advanceLive(r.clock, r.runtime, START + 20 * MINUTE);
    // As after SIGKILL: nothing is closed, the process is gone.
    r.stopOperators();
    await r.runtime.stop();
    await r.gateway.close();
    const before = await interactions(c);
    const open = before.filter((row) => row.end_cause === null);
    expect(open.length).toBeGreaterThan(0);
    const eventsBefore = (await completedEvents(c)).length;

    const clock = createManualClock({ start: START + 25 * MINUTE });
    const restarted = createLiveRuntime({
      db: c.k.db,
      clock,
      gateway: gatewayFor(clock, 6, 600),
      hub: c.k.app.realtime,
      logger: c.k.app.log,
      random: createRandom(6),
    });
    const report = await restarted.start();
    expect(report.interactionsClosed).toBe(open.length);
    expect(report.intervalsClosed).toBeGreaterThan(0);
    const after = await interactions(c);
    expect(after.filter((row) => row.end_cause === null)).toHaveLength(0);
    for (const row of after.filter((a) => open.some((o) => o.id === a.id))) {
      expect(row.end_cause).toBe('system_restart');
      expect(row.ended_at).not.toBeNull();
    }
    const completed = await completedEvents(c);
    expect(completed.length).toBe(eventsBefore + open.length);
    const openIntervals = await c.k.db.asCenter((tx) =>
      tx.selectFrom('agent_state_intervals').select('id').where('ended_at', 'is', null).execute(),
    );
    expect(openIntervals).toHaveLength(0);
    expect(new Set(restarted.operators().map((o) => o.state))).toEqual(new Set(['offline']));
    // Running recovery again finds nothing: nothing is counted twice.
    await restarted.stop();
    const again = createLiveRuntime({
      db: c.k.db,
      clock,
      gateway: gatewayFor(clock, 7, 600),
      hub: c.k.app.realtime,
      logger: c.k.app.log,
      random: createRandom(7),
    });
    expect(await again.start()).toEqual({ interactionsClosed: 0, intervalsClosed: 0 });
    await again.stop();
  }, 120_000);
});
