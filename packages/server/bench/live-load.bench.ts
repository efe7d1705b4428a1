// The live center under load (issue 6): simulated callers on the simulated
// gateway, 500 simulated operators, the live runtime (router, IVR, seats, the
// ordered chain of database writes) and a supervisor's WebSocket on a real
// listening server, all in one process, on an accelerated clock.
//
// Sizing (LIVE_LOAD_OPERATORS = N, default 500; everything scales with N). The
// clock runs 60× (a simulated minute per real second). An operator's contact
// lasts 60 simulated s = 1 real s: accept 2 s, talk lognormal 45 s (sd 20),
// wrap-up 13 s; so N operators can complete N contacts/s. Callers arrive at
// 1.1 N/s on 4 toll-free numbers (a DRTV peak: 33,000 calls per simulated hour
// for N = 500), hear a 3 s menu, press 1 after 1 s and queue for a skill every
// operator has; patience is exponential with a mean of 800 s, so the 10 %
// excess abandons and the queue settles where abandonment = excess (Little:
// Q = 0.1 N/s × 13.3 s ≈ 1.33 N). In progress at once (gateway calls, Little's
// law, rate × time in real s): IVR 1.1 N × 0.07 + ringing N × 0.03 + talking
// N × 0.75 + queued ≈ 1.33 N ≈ 2.2 N calls, of which about 2.1 N were measured
// — over 1,000 concurrent calls for 500 operators (with a mean patience of
// 690 s the queue held fewer: 955 calls in progress on average). A one-minute burst at 2.2 N/s fills the queue at the start (the
// warm-up), so the window sees the steady state at once.
//
// Measured, after LIVE_LOAD_WARMUP_SECONDS (6) for LIVE_LOAD_SECONDS (15):
// - completed interactions/s with every write durable: interaction rows that
//   became closed (end_cause set) from the window's start until the runtime's
//   queued writes are drained (runtime.stop() + drain()), divided by that
//   time. Abandoned calls count: they are completed interactions too. The
//   drain is cut off after LIVE_LOAD_DRAIN_LIMIT_SECONDS (20): the writes still
//   queued (and the caller-id reads waiting for a pooled connection) are then
//   dropped and counted (`allDrained: false`), so a runtime whose writes
//   cannot keep up is reported, not waited for for an hour. On PostgreSQL the
//   bench's own counts and the raw-insert baseline use a connection of their
//   own, not the runtime's pool.
// - event latency: a supervisor session's WebSocket (`/api/stream?types=
//   interaction.*`, client in a worker thread) receives every interaction.*
//   event; those a gateway event caused are timed from the gateway event's due
//   time (its `at` on the accelerated clock, mapped back to wall time: what a
//   real gateway's event would wait in the socket while the process is busy)
//   to the client's 'message'. Also from the handler's dispatch (without the
//   event-loop wait), to show where the time goes.
// - where the time goes: database transactions by kind (interaction writes,
//   agent-state writes, caller-id reads), their mean duration, the share of the
//   window the serial write chain is busy, event-loop delay.
// Baselines in the same process: the hub alone (publish → client, idle
// server), and raw interaction-row inserts, one per transaction (what a serial
// chain of small transactions can do) and 500 per transaction.
//
// PostgreSQL with CENTRALINO_BENCH_DATABASE_URL (a fresh schema, dropped
// after); PGlite always, in a temporary data folder (files, as `npm start`
// uses, not memory://), with LIVE_LOAD_OPERATORS_PGLITE operators (default
// 100, i.e. ~200 calls): PGlite executes every query on the process's only
// thread, so the database work competes with the runtime, the router and the
// WebSocket for one event loop; at 500 operators the run did not finish in
// 5 minutes on the 2-core VM. LIVE_LOAD_PGLITE=0 skips PGlite.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createRandom } from '@centralino/engine';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import WebSocket from 'ws';
import type { BenchContext } from '../../../bench/lib.ts';
import { percentile } from '../../../bench/lib.ts';
import type { Database } from '../src/db/database.ts';
import type { GatewayEvent, TelephonyGateway } from '../src/gateways/gateway.ts';
import type { RealtimeHub } from '../src/realtime/hub.ts';

export const title = 'Live center under load: ~1,000 concurrent calls, 500 operators, one process';

const OPERATORS = Number(process.env.LIVE_LOAD_OPERATORS ?? 500);
/** PGlite runs every query on the process's one thread: past ~100 operators the event loop saturates. */
const OPERATORS_PGLITE = Number(process.env.LIVE_LOAD_OPERATORS_PGLITE ?? Math.min(OPERATORS, 100));
const SECONDS = Number(process.env.LIVE_LOAD_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.LIVE_LOAD_WARMUP_SECONDS ?? 6);
const FACTOR = 60;
const NUMBERS = 4;
const SEED = 6;
/** The drain is cut off here (the rest of the queued writes is dropped and reported): the run stays within minutes. */
const DRAIN_LIMIT_SECONDS = Number(process.env.LIVE_LOAD_DRAIN_LIMIT_SECONDS ?? 20);
const GOAL_PER_SECOND = 500;
const GOAL_P99_MS = 100;
const PASSWORD = 'correct horse battery staple';
/** Sim start 07:59 Rome (UTC+1 in March): the burst minute, then the steady peak from 08:00. */
const SIM_START = Date.UTC(2026, 2, 2, 6, 59);
const BURST_REAL_MS = 1000;

const wallClock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- the supervisor's WebSocket, in a worker thread ---------------------------------
type ClientData = { role: 'live-load-client'; url: string; headers: Record<string, string> };
type ToClient = { kind: 'collect' } | { kind: 'close' };
type FromClient =
  | { kind: 'connected' }
  | { kind: 'arrivals'; values: Float64Array; closed: boolean }
  | { kind: 'error'; message: string };

if (!isMainThread && (workerData as ClientData | undefined)?.role === 'live-load-client') void runClient();

async function runClient() {
  const { url, headers } = workerData as ClientData;
  const port = parentPort!;
  // [seq, arrival wall ms] pairs.
  let arrivals: number[] = [];
  let closed = false;
  const ws = new WebSocket(url, { headers, perMessageDeflate: false });
  ws.on('message', (data) => {
    const at = wallClock();
    const message = JSON.parse(String(data)) as { seq?: number; type: string };
    if (message.seq !== undefined && message.type.startsWith('interaction.')) arrivals.push(message.seq, at);
  });
  ws.on('close', () => {
    closed = true;
  });
  ws.on('error', (error) => port.postMessage({ kind: 'error', message: String(error) } satisfies FromClient));
  await new Promise((resolve) => ws.once('message', resolve)); // `ready`
  port.on('message', (message: ToClient) => {
    if (message.kind === 'collect') {
      const values = Float64Array.from(arrivals);
      arrivals = [];
      port.postMessage({ kind: 'arrivals', values, closed } satisfies FromClient, [values.buffer]);
    } else {
      ws.terminate();
      port.close();
    }
  });
  port.postMessage({ kind: 'connected' } satisfies FromClient);
}

type Client = { collect(): Promise<{ values: Float64Array; closed: boolean }>; close(): Promise<void> };

async function startClient(url: string, headers: Record<string, string>): Promise<Client> {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { role: 'live-load-client', url, headers } satisfies ClientData,
  });
  const next = (kind: FromClient['kind']) =>
    new Promise<FromClient>((resolve, reject) => {
      const onMessage = (message: FromClient) => {
        if (message.kind === 'error') reject(new Error(message.message));
        if (message.kind !== kind) return;
        worker.off('message', onMessage);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  await next('connected');
  return {
    async collect() {
      const reply = next('arrivals');
      worker.postMessage({ kind: 'collect' } satisfies ToClient);
      const m = (await reply) as Extract<FromClient, { kind: 'arrivals' }>;
      return { values: m.values, closed: m.closed };
    },
    async close() {
      worker.postMessage({ kind: 'close' } satisfies ToClient);
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

// --- the entry point ---------------------------------------------------------------
export async function run(ctx: BenchContext) {
  ctx.log(
    `${OPERATORS} operators on PostgreSQL, ${OPERATORS_PGLITE} on PGlite, ${SECONDS} s after ${WARMUP_SECONDS} s warm-up, clock ×${FACTOR}`,
  );
  const { openDatabase } = await import('../src/db/database.ts');
  const pgUrl = process.env.CENTRALINO_BENCH_DATABASE_URL;
  if (pgUrl) {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const db = await openDatabase({ databaseUrl: pgUrl, schema, poolSize: 10 });
    // The bench's own counts go through a connection of their own, not the runtime's busy pool.
    const probe = await openDatabase({ databaseUrl: pgUrl, schema, poolSize: 1, migrate: false });
    try {
      await measure(ctx, db, probe, 'PostgreSQL', OPERATORS);
    } finally {
      // The runtime's pool may still run reads and writes the drain limit dropped:
      // closed first (not waited for long), then the schema goes through the probe.
      await Promise.race([db.close().catch(() => undefined), sleep(10_000)]);
      for (let attempt = 1; ; attempt++) {
        try {
          await sql.raw(`drop schema ${schema} cascade`).execute(probe.kysely);
          break;
        } catch (error) {
          // A schema left behind is only clutter in a development database: say so, keep the figures.
          if (attempt >= 5) {
            ctx.log(`could not drop ${schema}: ${(error as Error).message}`);
            break;
          }
          await sleep(1000);
        }
      }
      await probe.close();
    }
  } else {
    ctx.log('CENTRALINO_BENCH_DATABASE_URL not set: PostgreSQL skipped');
  }
  if (process.env.LIVE_LOAD_PGLITE !== '0') {
    const dir = mkdtempSync(join(tmpdir(), 'centralino-live-load-'));
    try {
      const db = await openDatabase({ dataDir: join(dir, 'data') });
      try {
        await measure(ctx, db, db, 'PGlite', OPERATORS_PGLITE);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

type Center = { orgId: string; queueId: string; operatorIds: string[]; numbers: string[]; cookie: string };

/** A DRTV line: 4 toll-free numbers → "press 1" → a queue needing donor_care ≥ 5; N operators with it. */
async function buildCenter(app: FastifyInstance, db: Database, operators: number): Promise<Center> {
  const { createOrganization } = await import('../src/modules/organizations/organizations.service.ts');
  const { createUser } = await import('../src/modules/users/users.service.ts');
  const org = await createOrganization({ db, principal: null, slug: 'bench-drtv', name: 'Bench DRTV' });
  await createUser({ db, principal: null, email: 'admin@bench.test', role: 'admin', password: PASSWORD });
  await createUser({
    db,
    principal: null,
    email: 'supervisor@bench.test',
    role: 'supervisor',
    password: PASSWORD,
    organizationIds: [org.id],
  });
  const login = async (email: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: PASSWORD },
    });
    if (response.statusCode !== 200) throw new Error(`login ${email}: ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === 'centralino_session')!;
    return { cookie: `${cookie.name}=${cookie.value}`, csrf: response.json().csrfToken as string };
  };
  const admin = await login('admin@bench.test');
  const post = async (url: string, payload: object) => {
    const response = await app.inject({
      method: 'POST',
      url,
      payload,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return response.json() as { id: string };
  };
  await post('/api/skills', { key: 'donor_care', label: 'Donor care' });
  const queue = await post(`/api/organizations/${org.id}/queues`, {
    key: 'drtv',
    name: 'DRTV response',
    skillExpression: 'donor_care >= 5',
    wrapUpSeconds: 60,
  });
  const flow = await post(`/api/organizations/${org.id}/ivr-flows`, {
    name: 'DRTV',
    definition: {
      entry: 'main',
      nodes: {
        main: {
          type: 'menu',
          prompt: 'ivr/bench-main',
          digits: { '1': 'care' },
          timeoutSeconds: 5,
          retries: 1,
        },
        care: { type: 'queue', queue: 'drtv' },
      },
    },
  });
  const numbers = Array.from({ length: NUMBERS }, (_, i) => `+3980012300${i}`);
  for (const e164 of numbers)
    await post(`/api/organizations/${org.id}/numbers`, { e164, kind: 'toll_free', ivrFlowId: flow.id });
  // The operators: seeded directly (500 password hashes would take longer than the run).
  const operatorIds = await db.asCenter(async (tx) => {
    const { password_hash } = await tx
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'admin@bench.test')
      .executeTakeFirstOrThrow();
    const users = await tx
      .insertInto('users')
      .values(
        Array.from({ length: operators }, (_, i) => ({
          email: `operator-${i}@bench.test`,
          display_name: `Operator ${i}`,
          role: 'operator' as const,
          password_hash,
          org_id: null,
        })),
      )
      .returning('id')
      .execute();
    const ids = users.map((u) => u.id);
    await tx
      .insertInto('user_organizations')
      .values(ids.map((user_id) => ({ user_id, org_id: org.id })))
      .execute();
    await tx
      .insertInto('operator_skills')
      .values(ids.map((user_id) => ({ user_id, skill_key: 'donor_care', level: 7 })))
      .execute();
    return ids;
  });
  const supervisor = await login('supervisor@bench.test');
  return { orgId: org.id, queueId: queue.id, operatorIds, numbers, cookie: supervisor.cookie };
}

/** Counts and times the runtime's transactions by kind (the writes are serial: their sum is the chain's busy time). */
function countingDb(db: Database) {
  const stats = {
    interactionWrites: { count: 0, ms: 0 },
    agentStateWrites: { count: 0, ms: 0 },
    reads: { count: 0, ms: 0 },
  };
  // Past the drain limit every write or read still waiting (in the chain, or in the
  // pool's queue) fails at once, so the runtime's stop() returns.
  let abortNow = () => {};
  const aborting = new Promise<never>((_, reject) => {
    abortNow = () => reject(new Error('bench: drain limit reached, dropped'));
  });
  aborting.catch(() => {});
  const timed = async <T>(s: { count: number; ms: number }, work: () => Promise<T>) => {
    const start = performance.now();
    s.count++;
    try {
      return await Promise.race([work(), aborting]);
    } finally {
      s.ms += performance.now() - start;
    }
  };
  const wrapped: Database = {
    ...db,
    forOrg: (orgId, work) => timed(stats.interactionWrites, () => db.forOrg(orgId, work)),
    asCenter: (work) => timed(stats.agentStateWrites, () => db.asCenter(work)),
    readForOrg: (orgId, work) => timed(stats.reads, () => db.readForOrg(orgId, work)),
  };
  const snapshot = () => JSON.parse(JSON.stringify(stats)) as typeof stats;
  return {
    db: wrapped,
    snapshot,
    abort: () => abortNow(),
  };
}

async function measure(
  ctx: BenchContext,
  rawDb: Database,
  probe: Database,
  label: string,
  operatorCount: number,
) {
  const { buildApp } = await import('../src/app.ts');
  const { loadConfig } = await import('../src/config.ts');
  const { createLogger } = await import('../src/http/logger.ts');
  const { createAcceleratedClock } = await import('../src/live/clock.ts');
  const { createLiveRuntime } = await import('../src/live/runtime.ts');
  const { createSimulatedGateway } = await import('../src/gateways/simulated/simulated-gateway.ts');
  const { createSimulatedOperators } = await import('../src/gateways/simulated/simulated-operators.ts');

  const setupStart = performance.now();
  const app = await buildApp({
    db: rawDb,
    config: { ...loadConfig({}), loginRateLimitPerMinute: 10_000 },
    logger: createLogger({ level: 'silent' }),
  });
  const center = await buildCenter(app, rawDb, operatorCount);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const client = await startClient(`ws://127.0.0.1:${port}/api/stream?types=interaction.*`, {
    cookie: center.cookie,
  });
  ctx.log(`${label}: center ready in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

  try {
    // Baseline 1: the hub alone, idle process (same client, same filter).
    const idle = await hubOnlyLatency(app.realtime, center.orgId, client);

    // --- the load --------------------------------------------------------------------
    const { db, snapshot, abort } = countingDb(rawDb);
    // The clock stands still until the runtime and the operators are up (no call is
    // offered to a runtime not yet listening), then runs FACTOR× from SIM_START.
    const base = wallClock();
    let pausedAt: number | null = base;
    let offset = 0;
    const clock = createAcceleratedClock({
      factor: FACTOR,
      start: SIM_START,
      realNow: () => pausedAt ?? wallClock() - offset,
    });
    const release = () => {
      offset = wallClock() - base;
      pausedAt = null;
    };
    const dueWall = (at: number) => base + offset + (at - SIM_START) / FACTOR;
    const perSecond = (operatorCount * 1.1 * 3600) / FACTOR / NUMBERS; // per simulated hour, per number
    // 07:59–08:00 the burst that fills the queue, then the steady peak.
    const hourly = Array.from({ length: 24 }, (_, h) => (h === 7 ? 2 * perSecond : perSecond));
    const gateway = createSimulatedGateway({
      clock,
      seed: SEED,
      inbound: center.numbers.map((number) => ({
        number,
        callsPerHour: hourly,
        patience: { kind: 'exponential', meanSeconds: 800 },
        talkTime: { kind: 'lognormal', meanSeconds: 45, sdSeconds: 20 },
      })),
      ivr: {
        menus: { 'ivr/bench-main': { choices: { '1': 1 } } },
        promptDurationsMs: { 'ivr/bench-main': 3000 },
        reactionTime: { kind: 'fixed', seconds: 1 },
      },
    });

    // Taps: which gateway event is being handled, and what the runtime publishes meanwhile.
    let current: { due: number; dispatched: number } | null = null;
    const caused = new Map<number, { due: number; dispatched: number }>();
    let completed = 0;
    let gatewayEvents = 0;
    const tappedGateway: TelephonyGateway = Object.assign(Object.create(gateway) as TelephonyGateway, {
      subscribe(listener: (event: GatewayEvent) => void) {
        return gateway.subscribe((event) => {
          gatewayEvents++;
          const outer = current;
          current = { due: dueWall(event.at), dispatched: wallClock() };
          try {
            listener(event);
          } finally {
            current = outer;
          }
        });
      },
    });
    const hub = app.realtime;
    const tappedHub: RealtimeHub = Object.assign(Object.create(hub) as RealtimeHub, {
      publish(input: Parameters<RealtimeHub['publish']>[0]) {
        const event = hub.publish(input);
        if (input.type === 'interaction.completed') completed++;
        // What a supervisor sees: the organization's events, not those addressed to an operator.
        if (
          current &&
          input.type.startsWith('interaction.') &&
          event.organizationId !== null &&
          event.recipientUserId === null
        )
          caused.set(event.seq, current);
        return event;
      },
    });
    const errors: string[] = [];
    const logger = {
      info: () => {},
      warn: () => {},
      error: (object: unknown, message?: string) => {
        if (errors.length < 5)
          errors.push(`${message ?? ''} ${String((object as { err?: unknown }).err ?? object)}`);
        else errors.push('');
      },
    };
    const runtime = createLiveRuntime({
      db,
      clock,
      gateway: tappedGateway,
      hub: tappedHub,
      logger,
      random: createRandom(SEED),
    });
    await runtime.start();
    let refused = 0;
    const operators = createSimulatedOperators({
      clock,
      seed: SEED,
      actions: runtime.actions,
      operators: center.operatorIds.map((operatorId) => ({ operatorId })),
      profile: {
        acceptDelay: { kind: 'fixed', seconds: 2 },
        missRate: 0,
        rejectRate: 0,
        holdRate: 0,
        wrapUp: { kind: 'fixed', seconds: 13 },
        outcomes: { default: { reached: 1 } },
        breakEvery: null,
      },
      onRefused: (error, context) => {
        refused++;
        if (refused <= 3) ctx.log(`refused ${context.action}: ${(error as Error).message}`);
      },
    });
    for (const seat of operators.seats) runtime.registerSeat(seat);
    await operators.start();
    release();
    ctx.log(`${label}: runtime and ${operatorCount} operators started; burst and warm-up`);
    // Warm-up: the burst minute, then WARMUP_SECONDS of the steady peak.
    await sleep(BURST_REAL_MS + WARMUP_SECONDS * 1000);
    await client.collect(); // drop the warm-up's arrivals
    const r0 = await closedRows(probe);
    const t0 = wallClock();
    ctx.log(`${label}: window starts`);
    const c0 = completed;
    const tx0 = snapshot();
    const offered0 = gateway.stats().inbound.offered;
    const answered0 = gateway.stats().inbound.answered;
    const liveSamples: number[] = [];
    const waitingSamples: number[] = [];
    const idleSamples: number[] = [];
    // Event-loop delay: how late a 250 ms sleep wakes up.
    const lateMs: number[] = [];
    while (wallClock() < t0 + SECONDS * 1000) {
      const before = wallClock();
      await sleep(250);
      lateMs.push(wallClock() - before - 250);
      liveSamples.push(gateway.liveCalls());
      const q = runtime.queues(center.orgId)[0];
      waitingSamples.push(q?.waiting ?? 0);
      idleSamples.push(q?.idleOperators ?? 0);
    }
    const t1 = wallClock();
    const c1 = completed;
    const tx1 = snapshot();
    const offered = gateway.stats().inbound.offered - offered0;
    const gatewayStats = gateway.stats().inbound;
    // The traffic stops; every write queued so far is made durable.
    operators.stop();
    const r1 = await closedRows(probe);
    ctx.log(`${label}: window over; draining the writes (limit ${DRAIN_LIMIT_SECONDS} s)`);
    const stopped = runtime.stop().then(() => runtime.drain());
    const drainedInTime = await Promise.race([
      stopped.then(() => true),
      sleep(DRAIN_LIMIT_SECONDS * 1000).then(() => false),
    ]);
    const t2 = wallClock();
    const r2 = await closedRows(probe);
    const txEnd = snapshot();
    const runtimeErrors = errors.length;
    if (!drainedInTime) {
      abort();
      await stopped;
    }
    ctx.log(`${label}: drained in ${((wallClock() - t1) / 1000).toFixed(1)} s`);
    const phases = await phaseMeans(probe);
    const created = await allRows(probe);
    await gateway.close();
    clock.stop();
    const { values, closed: clientClosed } = await client.collect();

    // Latencies of the window's gateway-caused interaction events.
    const fromDue: number[] = [];
    const fromDispatch: number[] = [];
    let expected = 0;
    for (const [, cause] of caused) if (cause.due >= t0 && cause.due <= t1) expected++;
    for (let i = 0; i < values.length; i += 2) {
      const cause = caused.get(values[i]!);
      if (!cause || cause.due < t0 || cause.due > t1) continue;
      fromDue.push(values[i + 1]! - cause.due);
      fromDispatch.push(values[i + 1]! - cause.dispatched);
    }

    const window = (t1 - t0) / 1000;
    const drain = (t2 - t1) / 1000;
    const inWindow = c1 - c0;
    // Closes made durable from the window's start until the writes are drained (or the limit).
    const durable = r2 - r0;
    const rate = durable / (window + drain);
    const meanLive = liveSamples.reduce((a, b) => a + b, 0) / Math.max(1, liveSamples.length);
    const d = (k: keyof ReturnType<typeof snapshot>) => ({
      count: tx1[k].count - tx0[k].count,
      ms: tx1[k].ms - tx0[k].ms,
    });
    const iw = d('interactionWrites');
    const aw = d('agentStateWrites');
    const rd = d('reads');
    const parameters = {
      database: label,
      operators: operatorCount,
      clockFactor: FACTOR,
      windowSeconds: round(window),
      drainSeconds: round(drain),
      meanConcurrentCalls: Math.round(meanLive),
      arrivalsPerSecond: round(offered / window),
    };
    ctx.log(
      `${label}: window ${window.toFixed(1)} s, ${offered} calls arrived (${(offered / window).toFixed(0)}/s, ` +
        `${gatewayStats.answered - answered0} answered by the IVR), ${Math.round(meanLive)} calls in progress on average; ` +
        `${inWindow} interactions closed in memory; closed rows ${r0} at the window's start (${c0 - r0} closes queued), ${r1} at its end, ${r2} after the drain; ` +
        `drain ${drain.toFixed(1)} s${drainedInTime ? '' : ` (cut off at the limit: ${c1 - r2} closes never made durable, at this pace ${((c1 - r2) / Math.max(0.001, (r2 - r1) / drain)).toFixed(0)} s more)`}; ${gatewayEvents} gateway events in all, ${refused} operator actions refused, ` +
        `${runtimeErrors} runtime errors${runtimeErrors ? `: ${errors.slice(0, 2).join(' | ')}` : ''}`,
    );
    ctx.record({
      name: `${label}: completed interactions/s, all writes durable`,
      value: rate,
      unit: 'interactions/s',
      ...(label === 'PostgreSQL' ? { goal: { op: '>=', value: GOAL_PER_SECOND } } : {}),
      parameters: { ...parameters, interactions: durable, allDrained: drainedInTime },
    });
    ctx.record({
      name: `${label}: interactions closed in memory/s (the runtime's pace, writes aside)`,
      value: inWindow / window,
      unit: 'interactions/s',
      parameters,
    });
    ctx.record({
      name: `${label}: write backlog at the end of the window (closes not yet durable)`,
      value: Math.max(0, c1 - r1),
      unit: 'interactions',
      parameters,
    });
    ctx.record({
      name: `${label}: mean calls in progress`,
      value: meanLive,
      unit: 'calls',
      parameters,
    });
    const latency = {
      ...parameters,
      samples: fromDue.length,
      expected,
      client: 'supervisor session, types=interaction.*, worker thread',
      ...(clientClosed ? { clientCutOff: true } : {}),
    };
    ctx.record({
      name: `${label}: gateway event → WebSocket p50`,
      value: percentile(fromDue, 50),
      unit: 'ms',
      parameters: latency,
    });
    ctx.record({
      name: `${label}: gateway event → WebSocket p95`,
      value: percentile(fromDue, 95),
      unit: 'ms',
      parameters: latency,
    });
    ctx.record({
      name: `${label}: gateway event → WebSocket p99`,
      value: percentile(fromDue, 99),
      unit: 'ms',
      ...(label === 'PostgreSQL' ? { goal: { op: '<=', value: GOAL_P99_MS } } : {}),
      parameters: latency,
    });
    ctx.record({
      name: `${label}: handler dispatch → WebSocket p99 (without the event-loop wait)`,
      value: percentile(fromDispatch, 99),
      unit: 'ms',
      parameters: latency,
    });
    ctx.record({
      name: `${label}: hub only, idle process: publish → WebSocket p99`,
      value: idle.p99,
      unit: 'ms',
      parameters: { samples: idle.samples },
    });
    ctx.record({
      name: `${label}: p99 under load ÷ hub only`,
      value: percentile(fromDue, 99) / idle.p99,
      unit: 'ratio',
      parameters: latency,
    });
    ctx.log(
      `${label}: ${fromDue.length} of ${expected} gateway-caused events delivered in the window${clientClosed ? ' (client was cut off)' : ''}; ` +
        `event loop late by ${mean(lateMs).toFixed(0)} ms on average, max ${Math.max(...lateMs).toFixed(0)} ms; ` +
        `queue: ${mean(waitingSamples).toFixed(0)} waiting, ${mean(idleSamples).toFixed(1)} idle operators on average; ` +
        `gateway at the window's end: ${JSON.stringify(gatewayStats)}`,
    );
    ctx.log(
      `${label}: mean phases of the durable answered interactions (simulated s): ${JSON.stringify(phases)}`,
    );
    // Per interaction over the whole run (start to drained): the chain's work is counted as it runs, behind the calls.
    // Exact when drained; cut off, the interactions whose writes ran only in part make it an underestimate.
    const perInteraction = (n: number) => (created ? n / created : 0);
    const all = txEnd;
    ctx.log(
      `${label}: whole run, ${created} interactions (${r2} closed): per interaction ${perInteraction(all.interactionWrites.count).toFixed(1)} interaction writes ` +
        `(mean ${(all.interactionWrites.ms / Math.max(1, all.interactionWrites.count)).toFixed(2)} ms), ` +
        `${perInteraction(all.agentStateWrites.count).toFixed(1)} agent-state writes ` +
        `(mean ${(all.agentStateWrites.ms / Math.max(1, all.agentStateWrites.count)).toFixed(2)} ms), ` +
        `caller-id reads mean ${(all.reads.ms / Math.max(1, all.reads.count)).toFixed(2)} ms; ` +
        `in the window the serial write chain ran ${iw.count + aw.count} transactions and was busy ${(((iw.ms + aw.ms) / (t1 - t0)) * 100).toFixed(0)} % of the time, ` +
        `${rd.count} reads`,
    );
    const txPerInteraction = perInteraction(all.interactionWrites.count + all.agentStateWrites.count);
    ctx.record({
      name: `${label}: write transactions per interaction`,
      value: txPerInteraction,
      unit: 'transactions',
      parameters: {
        ...parameters,
        interactionWrites: round(perInteraction(all.interactionWrites.count)),
        agentStateWrites: round(perInteraction(all.agentStateWrites.count)),
        meanInteractionWriteMs: round(all.interactionWrites.ms / Math.max(1, all.interactionWrites.count)),
        meanAgentStateWriteMs: round(all.agentStateWrites.ms / Math.max(1, all.agentStateWrites.count)),
        exact: drainedInTime,
      },
    });

    // Baseline 2: raw interaction-row inserts, serial one per transaction, and batched
    // (through the probe's own connection on PostgreSQL: the runtime's pool may still be busy).
    const raw = await rawInserts(probe, center.orgId);
    ctx.record({
      name: `${label}: raw interaction inserts, one per transaction, serial`,
      value: raw.single,
      unit: 'transactions/s',
      parameters: { rows: raw.rows },
    });
    ctx.record({
      name: `${label}: raw interaction inserts, 500 per transaction`,
      value: raw.batched,
      unit: 'rows/s',
      parameters: { rows: raw.rows },
    });
    ctx.record({
      name: `${label}: serial-chain ceiling (raw transactions/s ÷ write transactions per interaction)`,
      value: raw.single / Math.max(1, txPerInteraction),
      unit: 'interactions/s',
      parameters,
    });
  } finally {
    await client.close();
    await app.close();
  }
}

async function closedRows(db: Database): Promise<number> {
  const row = await db.asCenter((tx) =>
    tx
      .selectFrom('interactions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('end_cause', 'is not', null)
      .executeTakeFirstOrThrow(),
  );
  return Number(row.n);
}

/** Where the answered contacts' simulated time went: a check of the sizing above. */
async function phaseMeans(db: Database) {
  const result = await db.asCenter((tx) =>
    sql<Record<string, number | string | null>>`
      select count(*) as answered,
             round(avg(extract(epoch from queued_at - created_at))::numeric, 1) as ivr,
             round(avg(extract(epoch from offered_at - queued_at))::numeric, 1) as wait,
             round(avg(extract(epoch from answered_at - offered_at))::numeric, 1) as accept,
             round(avg(extract(epoch from ended_at - answered_at))::numeric, 1) as talk,
             round(avg(extract(epoch from wrap_ended_at - ended_at))::numeric, 1) as wrap
        from interactions where answered_at is not null and end_cause is not null`.execute(tx),
  );
  return Object.fromEntries(Object.entries(result.rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
}

async function allRows(db: Database): Promise<number> {
  const row = await db.asCenter((tx) =>
    tx
      .selectFrom('interactions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  return Number(row.n);
}

/** publish → client for events published at 500/s by an idle process, through the same stream. */
async function hubOnlyLatency(hub: RealtimeHub, orgId: string, client: Client) {
  const sent = new Map<number, number>();
  const start = performance.now();
  const total = 1000;
  for (let n = 0; n < total; n++) {
    const wait = start + n * 2 - performance.now();
    if (wait > 0) await sleep(wait);
    const event = hub.publish({ orgId, type: 'interaction.bench', data: { n } });
    sent.set(event.seq, wallClock());
  }
  await sleep(300);
  const { values } = await client.collect();
  const latencies: number[] = [];
  for (let i = 0; i < values.length; i += 2) {
    const at = sent.get(values[i]!);
    if (at !== undefined) latencies.push(values[i + 1]! - at);
  }
  return { p99: percentile(latencies, 99), samples: latencies.length };
}

/** Serial one-row transactions (as the runtime's chain writes) against 500-row transactions. */
async function rawInserts(db: Database, orgId: string) {
  const { insertInteraction } = await import('../src/live/interactions.store.ts');
  const rows = 1000;
  const at = new Date(SIM_START);
  let start = performance.now();
  for (let i = 0; i < rows; i++)
    await insertInteraction({
      db,
      orgId,
      id: randomUUID(),
      number: '+39800123000',
      remoteNumber: '+393331234567',
      supporterId: null,
      createdAt: at,
    });
  const single = (rows * 1000) / (performance.now() - start);
  start = performance.now();
  for (let i = 0; i < rows; i += 500)
    await db.forOrg(orgId, (tx) =>
      tx
        .insertInto('interactions')
        .values(
          Array.from({ length: 500 }, () => ({
            id: randomUUID(),
            org_id: orgId,
            channel: 'voice' as const,
            direction: 'inbound' as const,
            number: '+39800123000',
            remote_number: '+393331234567',
            created_at: at,
            transfers: JSON.stringify([]) as never,
          })),
        )
        .execute(),
    );
  const batched = (rows * 1000) / (performance.now() - start);
  return { single, batched, rows };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const round = (n: number) => Math.round(n * 100) / 100;
