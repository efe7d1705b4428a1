// The event stream's fan-out: 500 WebSocket clients over loopback, all in one
// organization and subscribed to everything (the worst case: every event goes
// to every client). The clients run in a worker thread with their own event
// loop, so their parsing does not delay the server's sends.
//
// - latency: events published at a steady rate; for each delivery, the time
//   from hub.publish() to the client's 'message' (both sides read
//   performance.timeOrigin + performance.now(), the same wall clock). This is
//   the hub's share of the gateway→client goal (p99 < 100 ms): the
//   gateway, the runtime and the database come on top.
// - throughput: a burst of events published back to back; events/s until
//   every client has every event, against a bare `ws` server sending the same
//   frames to the same number of clients in the same process (the ratio is the
//   cost of scope checks, filters, the ring and the buffer checks).
import { randomBytes } from 'node:crypto';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket, { WebSocketServer } from 'ws';
import type { BenchContext } from '../../../bench/lib.ts';
import { percentile } from '../../../bench/lib.ts';

export const title = 'Event stream: publish → WebSocket client latency and fan-out, 500 clients';

const CLIENTS = 500;
const RATE_PER_SECOND = 100;
const LATENCY_SECONDS = 5;
const BURST_EVENTS = 300;
/** Hub and bare bursts alternate, so both see the same machine; medians are reported. */
const BURST_ROUNDS = 3;
const GOAL_P99_MS = 100;

type ClientsData = { role: 'clients'; url: string; headers: Record<string, string>; count: number };
type ToClients = { kind: 'collect' } | { kind: 'expect'; messages: number } | { kind: 'close' };
type FromClients =
  | { kind: 'connected' }
  | { kind: 'latencies'; values: Float64Array; received: number }
  | { kind: 'received' };

const wallClock = () => performance.timeOrigin + performance.now();

if (!isMainThread && (workerData as ClientsData | undefined)?.role === 'clients') void runClients();

/** The worker: opens the clients, records latencies, reports when a burst has fully arrived. */
async function runClients() {
  const { url, headers, count } = workerData as ClientsData;
  const port = parentPort!;
  let latencies: number[] = [];
  let received = 0;
  let expected = Number.POSITIVE_INFINITY;
  const sockets: WebSocket[] = [];
  for (let opened = 0; opened < count; opened += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - opened) }, async () => {
        const ws = new WebSocket(url, { headers, perMessageDeflate: false });
        ws.on('message', (data) => {
          const arrivedAt = wallClock();
          const message = JSON.parse(String(data)) as { type: string; data?: { sentAt?: number } };
          const sentAt = message.data?.sentAt;
          if (sentAt === undefined) return; // control messages (ready)
          latencies.push(arrivedAt - sentAt);
          received++;
          if (received === expected) port.postMessage({ kind: 'received' } satisfies FromClients);
        });
        await new Promise((resolve, reject) => {
          ws.once('message', resolve); // `ready` from the hub; the bare server sends one too
          ws.once('error', reject);
        });
        sockets.push(ws);
      }),
    );
  }
  port.on('message', (message: ToClients) => {
    if (message.kind === 'collect') {
      const values = Float64Array.from(latencies);
      port.postMessage({ kind: 'latencies', values, received } satisfies FromClients, [values.buffer]);
      latencies = [];
      received = 0;
    } else if (message.kind === 'expect') {
      expected = message.messages;
      if (received >= expected) port.postMessage({ kind: 'received' } satisfies FromClients);
    } else {
      for (const ws of sockets) ws.terminate();
      port.close();
    }
  });
  port.postMessage({ kind: 'connected' } satisfies FromClients);
}

type Clients = {
  collect(): Promise<{ values: Float64Array; received: number }>;
  /** Resolves once `messages` data messages have arrived since the last collect(). */
  waitFor(messages: number): Promise<void>;
  close(): Promise<void>;
};

async function startClients(url: string, headers: Record<string, string>): Promise<Clients> {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { role: 'clients', url, headers, count: CLIENTS } satisfies ClientsData,
  });
  const next = (kind: FromClients['kind']) =>
    new Promise<FromClients>((resolve, reject) => {
      const onMessage = (message: FromClients) => {
        if (message.kind !== kind) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.on('error', reject);
    });
  await next('connected');
  return {
    async collect() {
      const reply = next('latencies');
      worker.postMessage({ kind: 'collect' } satisfies ToClients);
      const message = (await reply) as Extract<FromClients, { kind: 'latencies' }>;
      return { values: message.values, received: message.received };
    },
    async waitFor(messages) {
      const reply = next('received');
      worker.postMessage({ kind: 'expect', messages } satisfies ToClients);
      await reply;
    },
    async close() {
      worker.postMessage({ kind: 'close' } satisfies ToClients);
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

/** A realistic event: ids and a state, a few hundred bytes. */
function payload(n: number) {
  return {
    interactionId: `01890f6e-7c2a-7b5e-9a3d-${String(n).padStart(12, '0')}`,
    queueId: '01890f6e-7c2a-7b5e-9a3d-000000000001',
    state: 'offered',
    waitingSeconds: n % 120,
    sentAt: wallClock(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run(ctx: BenchContext) {
  const { buildApp } = await import('../src/app.ts');
  const { loadConfig } = await import('../src/config.ts');
  const { openDatabase } = await import('../src/db/database.ts');
  const { createLogger } = await import('../src/http/logger.ts');
  const { createApiKey } = await import('../src/modules/api-keys/api-keys.service.ts');
  const { createOrganization } = await import('../src/modules/organizations/organizations.service.ts');

  const db = await openDatabase({ dataDir: 'memory://' });
  const app = await buildApp({ db, config: loadConfig({}), logger: createLogger({ level: 'silent' }) });
  const org = await createOrganization({
    db,
    principal: null,
    slug: `bench-${randomBytes(3).toString('hex')}`,
    name: 'Bench',
  });
  const other = await createOrganization({
    db,
    principal: null,
    slug: `other-${randomBytes(3).toString('hex')}`,
    name: 'Other',
  });
  const { key } = await createApiKey({ db, principal: null, orgId: org.id, name: 'bench' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;

  // A bare ws server: the same frames, no scopes, no ring, no buffer checks.
  const bare = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => bare.once('listening', resolve));
  bare.on('connection', (socket) => socket.send('{"type":"ready","seq":0}'));
  const barePort = (bare.address() as { port: number }).port;

  const parameters = { clients: CLIENTS, transport: 'loopback', clientsIn: 'worker thread' };
  try {
    const clients = await startClients(`ws://127.0.0.1:${port}/api/stream`, {
      authorization: `Bearer ${key}`,
    });
    ctx.log(`${app.realtime.subscriberCount} clients connected`);

    // Latency at a steady rate; a second organization's events ride along and must be filtered out.
    const total = RATE_PER_SECOND * LATENCY_SECONDS;
    const start = performance.now();
    let publishMs = 0;
    for (let n = 0; n < total; n++) {
      const due = start + (n * 1000) / RATE_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const publishStart = performance.now();
      app.realtime.publish({ orgId: org.id, type: 'interaction.offered', data: payload(n) });
      app.realtime.publish({ orgId: other.id, type: 'interaction.offered', data: payload(n) });
      publishMs += performance.now() - publishStart;
    }
    await clients.waitFor(total * CLIENTS);
    const steady = await clients.collect();
    const latency = {
      ...parameters,
      eventsPerSecond: RATE_PER_SECOND,
      seconds: LATENCY_SECONDS,
      deliveries: steady.received,
    };
    ctx.record({
      name: 'latency p50',
      value: percentile([...steady.values], 50),
      unit: 'ms',
      parameters: latency,
    });
    ctx.record({
      name: 'latency p99',
      value: percentile([...steady.values], 99),
      unit: 'ms',
      goal: { op: '<=', value: GOAL_P99_MS },
      parameters: latency,
    });
    ctx.record({
      name: 'latency max',
      value: steady.values.reduce((a, b) => Math.max(a, b), 0),
      unit: 'ms',
      parameters: latency,
    });
    ctx.record({
      name: 'publish cost per delivery (server main thread)',
      value: (publishMs * 1000) / (total * CLIENTS),
      unit: 'µs',
      parameters: latency,
    });

    // Throughput: bursts back to back, the hub's and the bare server's in turn.
    const bareClients = await startClients(`ws://127.0.0.1:${barePort}`, {});
    const hubRounds: Burst[] = [];
    const bareRounds: Burst[] = [];
    for (let round = 0; round < BURST_ROUNDS; round++) {
      hubRounds.push(
        await burst(clients, () => {
          for (let n = 0; n < BURST_EVENTS; n++)
            app.realtime.publish({ orgId: org.id, type: 'queue.stats', data: payload(n) });
        }),
      );
      bareRounds.push(
        await burst(bareClients, () => {
          for (let n = 0; n < BURST_EVENTS; n++) {
            const frame = Buffer.from(JSON.stringify({ seq: n, type: 'queue.stats', data: payload(n) }));
            for (const socket of bare.clients) socket.send(frame, { binary: false });
          }
        }),
      );
    }
    await clients.close();
    await bareClients.close();
    const median = (rounds: Burst[], pick: (b: Burst) => number) => percentile(rounds.map(pick), 50);
    const hubBurst = {
      eventsPerSecond: median(hubRounds, (b) => b.eventsPerSecond),
      p99Ms: median(hubRounds, (b) => b.p99Ms),
    };
    const bareBurst = { eventsPerSecond: median(bareRounds, (b) => b.eventsPerSecond) };
    ctx.log(
      `rounds (events/s): hub ${hubRounds.map((b) => b.eventsPerSecond.toFixed(0)).join(', ')}; bare ${bareRounds.map((b) => b.eventsPerSecond.toFixed(0)).join(', ')}`,
    );

    const throughput = {
      ...parameters,
      burstEvents: BURST_EVENTS,
      rounds: BURST_ROUNDS,
      statistic: 'median',
    };
    ctx.record({
      name: 'fan-out: events/s to every client',
      value: hubBurst.eventsPerSecond,
      unit: 'events/s',
      parameters: throughput,
    });
    ctx.record({
      name: 'fan-out: deliveries/s',
      value: hubBurst.eventsPerSecond * CLIENTS,
      unit: 'messages/s',
      parameters: throughput,
    });
    ctx.record({
      name: 'fan-out: burst p99 latency',
      value: hubBurst.p99Ms,
      unit: 'ms',
      parameters: throughput,
    });
    ctx.record({
      name: 'bare ws server: events/s to every client',
      value: bareBurst.eventsPerSecond,
      unit: 'events/s',
      parameters: throughput,
    });
    ctx.record({
      name: 'fan-out: hub / bare ws throughput',
      value: hubBurst.eventsPerSecond / bareBurst.eventsPerSecond,
      unit: 'ratio',
      parameters: throughput,
    });
  } finally {
    bare.close();
    await app.close();
    await db.close();
  }
}

type Burst = { eventsPerSecond: number; p99Ms: number };

async function burst(clients: Clients, publishAll: () => void): Promise<Burst> {
  await clients.collect(); // start counting from zero
  const arrived = clients.waitFor(BURST_EVENTS * CLIENTS);
  const start = performance.now();
  publishAll();
  await arrived;
  const elapsedMs = performance.now() - start;
  const { values } = await clients.collect();
  return { eventsPerSecond: (BURST_EVENTS * 1000) / elapsedMs, p99Ms: percentile([...values], 99) };
}
