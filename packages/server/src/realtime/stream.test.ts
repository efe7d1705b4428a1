// The event stream over real sockets: the app listens on an ephemeral port and
// `ws` clients connect the way browsers and integrators do.
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, seedPeople, signIn, type TestApp } from '../../test/test-app.ts';
import { loadConfig } from '../config.ts';
import { registerAccessControl } from '../http/access.ts';
import { registerErrorHandling } from '../http/errors.ts';
import { createApiKey, revokeApiKey } from '../modules/api-keys/api-keys.service.ts';
import { createAuthenticator } from '../modules/auth/auth.service.ts';
import type { Role } from '../modules/auth/principal.ts';
import { DEFAULT_RING_SIZE } from './hub.ts';
import { CLOSE_CODES } from './realtime.errors.ts';
import { type RealtimeOptions, realtimePlugin } from './realtime.plugin.ts';

type Message = {
  type: string;
  seq: number;
  organizationId?: string | null;
  recipientUserId?: string;
  data?: { n?: number };
};

type Client = {
  ws: WebSocket;
  messages: Message[];
  /** Resolves when a message satisfies the predicate (checked on past messages too). */
  waitFor: (predicate: (message: Message) => boolean) => Promise<Message>;
  closed: Promise<{ code: number; reason: string }>;
  /** Data messages (not reset/ready). */
  events: () => Message[];
};

const WAIT_MS = 5000;

function connect(
  base: string,
  query: string,
  headers: Record<string, string>,
  options: WebSocket.ClientOptions = {},
) {
  return new Promise<Client>((resolve, reject) => {
    const ws = new WebSocket(`${base}/api/stream${query}`, { headers, ...options });
    const messages: Message[] = [];
    const listeners = new Set<() => void>();
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.on('close', (code, reason) => done({ code, reason: reason.toString() })),
    );
    const client: Client = {
      ws,
      messages,
      closed,
      events: () => messages.filter((m) => m.type !== 'ready' && m.type !== 'reset'),
      waitFor: (predicate) =>
        new Promise((found, fail) => {
          const check = () => {
            const match = messages.find(predicate);
            if (!match) return;
            listeners.delete(check);
            clearTimeout(timer);
            found(match);
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            fail(new Error(`no matching message within ${WAIT_MS} ms; got ${JSON.stringify(messages)}`));
          }, WAIT_MS);
          listeners.add(check);
          check();
        }),
    };
    ws.on('message', (data) => {
      messages.push(JSON.parse(String(data)) as Message);
      for (const listener of [...listeners]) listener();
    });
    ws.on('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.on('error', reject);
    // Live once `ready` arrives: everything published after this is delivered.
    client.waitFor((m) => m.type === 'ready').then(() => resolve(client), reject);
  });
}

/** The HTTP answer to an upgrade that is refused. */
function refusal(base: string, query: string, headers: Record<string, string>) {
  return new Promise<{ status: number; code: string }>((resolve, reject) => {
    const ws = new WebSocket(`${base}/api/stream${query}`, { headers });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the stream opened'));
    });
    // The client does not close the socket itself: the server must.
    ws.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, code: JSON.parse(body).code });
      });
    });
    ws.on('error', () => {});
  });
}

function baseUrl(app: FastifyInstance) {
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('not listening');
  return `ws://127.0.0.1:${address.port}`;
}

async function until(condition: () => boolean) {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function untilAsync(condition: () => Promise<boolean>) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const openSockets = (app: FastifyInstance) =>
  new Promise<number>((resolve, reject) =>
    app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

let t: TestApp;
let base: string;
let alpha: string;
let beta: string;
const headersOf = new Map<Role, Record<string, string>>();
const userIdOf = new Map<Role, string>();

beforeAll(async () => {
  t = await createTestApp();
  const people = await seedPeople(t.db);
  alpha = people.alpha.id;
  beta = people.beta.id;
  for (const role of ['admin', 'supervisor', 'planner', 'quality', 'operator', 'client_viewer'] as const) {
    const session = await signIn(t.app, `${role}@example.test`);
    headersOf.set(role, { cookie: session.cookie });
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: session.cookie },
    });
    userIdOf.set(role, me.json().id);
  }
  const key = await createApiKey({ db: t.db, principal: null, orgId: alpha, name: 'stream' });
  headersOf.set('integration', { authorization: `Bearer ${key.key}` });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = baseUrl(t.app);
});
afterAll(() => t.close());

const publish = (orgId: string | null, type: string, n: number, recipientUserId?: string) =>
  t.app.realtime.publish({ orgId, type, data: { n }, ...(recipientUserId ? { recipientUserId } : {}) });

describe('GET /api/stream: who may connect', () => {
  it('refuses an upgrade without credentials, with a wrong key, or with a token in the URL', async () => {
    expect(await refusal(base, '', {})).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await refusal(base, '', { authorization: 'Bearer cntr_nope_nope' })).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(await refusal(base, '?token=whatever', {})).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    // Credentials in the URL are not a supported way in, even next to valid ones.
    expect(await refusal(base, '?token=whatever', headersOf.get('integration')!)).toMatchObject({
      status: 400,
    });
    // A refused upgrade's socket is closed by the server, not left for the client to close.
    await untilAsync(async () => (await openSockets(t.app)) === 0);
  });

  it('refuses a cookie session opened from a page of another host (cross-site WebSocket hijacking)', async () => {
    const cookieHeaders = headersOf.get('supervisor')!;
    expect(await refusal(base, '', { ...cookieHeaders, origin: 'https://evil.example' })).toEqual({
      status: 403,
      code: 'STREAM_ORIGIN_NOT_ALLOWED',
    });
    expect(await refusal(base, '', { ...cookieHeaders, origin: 'null' })).toMatchObject({ status: 403 });
    const sameHost = await connect(base, '', { ...cookieHeaders, origin: base.replace('ws:', 'http:') });
    sameHost.ws.close();
  });

  it('refuses filters naming an organization outside the scope (404) or malformed ones (400)', async () => {
    const viewer = headersOf.get('client_viewer')!;
    expect(await refusal(base, `?orgs=${beta}`, viewer)).toEqual({
      status: 404,
      code: 'ORGANIZATION_NOT_FOUND',
    });
    expect(await refusal(base, `?orgs=${alpha},${beta}`, headersOf.get('integration')!)).toMatchObject({
      status: 404,
    });
    expect(await refusal(base, '?orgs=not-an-id', viewer)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(await refusal(base, '?types=inter*', viewer)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(await refusal(base, '?after=-1', viewer)).toMatchObject({ status: 400 });
  });

  it("every role connects and receives exactly its scope: client viewers and keys their organization's, staff theirs plus center events, admins all", async () => {
    const roles = [...headersOf.keys()];
    const clients = new Map<Role, Client>();
    for (const role of roles) clients.set(role, await connect(base, '', headersOf.get(role)!));
    const beforeAll = t.app.realtime.seq;
    const betaEvent = publish(beta, 'queue.stats', 1);
    const centerEvent = publish(null, 'agent.state_changed', 2);
    const alphaEvent = publish(alpha, 'queue.stats', 3); // seen by everyone: marks the end
    const received = new Map<Role, number[]>();
    for (const role of roles) {
      const client = clients.get(role)!;
      await client.waitFor((m) => m.seq === alphaEvent.seq);
      received.set(
        role,
        client
          .events()
          .filter((m) => m.seq > beforeAll)
          .map((m) => m.seq),
      );
      client.ws.close();
    }
    const center = [centerEvent.seq, alphaEvent.seq];
    expect(Object.fromEntries(received)).toEqual({
      admin: [betaEvent.seq, centerEvent.seq, alphaEvent.seq],
      supervisor: center,
      planner: center,
      quality: center,
      operator: center,
      client_viewer: [alphaEvent.seq],
      integration: [alphaEvent.seq],
    });
  });
});

describe('GET /api/stream: events', () => {
  it('a client viewer of alpha never receives beta events, live or replayed', async () => {
    const viewer = headersOf.get('client_viewer')!;
    const live = await connect(base, '', viewer);
    const cursor = t.app.realtime.seq;
    const published = [];
    for (let n = 0; n < 20; n++) published.push(publish(n % 2 ? beta : alpha, 'interaction.offered', n));
    const last = publish(alpha, 'interaction.completed', 20);
    await live.waitFor((m) => m.seq === last.seq);
    const replayed = await connect(base, `?after=${cursor}`, viewer);
    const alphaSeqs = [...published, last].filter((e) => e.organizationId === alpha).map((e) => e.seq);
    expect(live.events().map((m) => m.seq)).toEqual(alphaSeqs);
    expect(replayed.events().map((m) => m.seq)).toEqual(alphaSeqs);
    for (const client of [live, replayed])
      expect(client.events().every((m) => m.organizationId === alpha)).toBe(true);
    live.ws.close();
    replayed.ws.close();
  });

  it('resuming with after= delivers exactly the missed events once, then live ones, in increasing seq', async () => {
    const headers = headersOf.get('supervisor')!;
    const first = await connect(base, '', headers);
    for (let n = 0; n < 5; n++) publish(alpha, 'queue.stats', n);
    const fifth = t.app.realtime.seq;
    await first.waitFor((m) => m.seq === fifth);
    first.ws.close();
    await first.closed;
    const lastSeen = first.events().at(-1)!.seq;
    const missed = [];
    for (let n = 5; n < 12; n++) missed.push(publish(n % 3 ? alpha : null, 'queue.stats', n).seq);
    const second = await connect(base, `?after=${lastSeen}`, headers);
    const live = publish(alpha, 'queue.stats', 12).seq;
    await second.waitFor((m) => m.seq === live);
    expect(second.messages.map((m) => m.type)).toEqual([
      ...missed.map(() => 'queue.stats'),
      'ready',
      'queue.stats',
    ]);
    expect(second.events().map((m) => m.seq)).toEqual([...missed, live]);
    const all = [...first.events(), ...second.events()].map((m) => m.seq);
    for (let i = 1; i < all.length; i++) expect(all[i]!).toBeGreaterThan(all[i - 1]!);
    expect(second.events().map((m) => m.data?.n)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    second.ws.close();
  });

  it('a cursor older than the ring (or from a previous process) gets reset with the current seq, then live events', async () => {
    const headers = headersOf.get('supervisor')!;
    const old = t.app.realtime.seq;
    for (let n = 0; n < DEFAULT_RING_SIZE + 1; n++) publish(beta, 'queue.stats', n);
    const tooOld = await connect(base, `?after=${old}`, headers);
    expect(tooOld.messages).toEqual([
      { type: 'reset', seq: t.app.realtime.seq },
      { type: 'ready', seq: t.app.realtime.seq },
    ]);
    const ahead = await connect(base, `?after=${t.app.realtime.seq + 100}`, headers);
    expect(ahead.messages[0]).toEqual({ type: 'reset', seq: t.app.realtime.seq });
    const live = publish(alpha, 'queue.stats', 0).seq;
    await tooOld.waitFor((m) => m.seq === live);
    await ahead.waitFor((m) => m.seq === live);
    tooOld.ws.close();
    ahead.ws.close();
  });

  it('an event addressed to an operator reaches all of that operator’s connections and nobody else', async () => {
    const operatorId = userIdOf.get('operator')!;
    const operator = await connect(base, '', headersOf.get('operator')!);
    const operatorFiltered = await connect(
      base,
      `?orgs=${alpha}&types=interaction.*`,
      headersOf.get('operator')!,
    );
    const supervisor = await connect(base, '', headersOf.get('supervisor')!);
    const admin = await connect(base, '', headersOf.get('admin')!);
    const offer = publish(alpha, 'interaction.offered', 1, operatorId);
    const centerOffer = publish(null, 'interaction.offered', 2, operatorId);
    const marker = publish(alpha, 'interaction.completed', 3);
    for (const client of [operator, operatorFiltered, supervisor, admin])
      await client.waitFor((m) => m.seq === marker.seq);
    expect(operator.events().map((m) => m.seq)).toEqual([offer.seq, centerOffer.seq, marker.seq]);
    expect(operator.events()[0]).toMatchObject({ recipientUserId: operatorId, organizationId: alpha });
    expect(operatorFiltered.events().map((m) => m.seq)).toEqual([offer.seq, centerOffer.seq, marker.seq]);
    expect(supervisor.events().map((m) => m.seq)).toEqual([marker.seq]);
    expect(admin.events().map((m) => m.seq)).toEqual([marker.seq]);
    for (const client of [operator, operatorFiltered, supervisor, admin]) client.ws.close();
  });

  it('?types= and ?orgs= narrow the stream inside the scope', async () => {
    const admin = headersOf.get('admin')!;
    const queues = await connect(base, `?types=queue.*&orgs=${beta}`, admin);
    const events = [
      publish(alpha, 'queue.stats', 1),
      publish(beta, 'queue.stats', 2),
      publish(beta, 'campaign.progress', 3),
      publish(null, 'queue.stats', 4),
      publish(beta, 'queue.waiting', 5),
    ];
    await queues.waitFor((m) => m.seq === events[4]!.seq);
    expect(queues.events().map((m) => m.data?.n)).toEqual([2, 5]);
    queues.ws.close();
  });

  it('closed connections leave no subscriber behind', async () => {
    await until(() => t.app.realtime.subscriberCount === 0);
    const clients = await Promise.all(
      Array.from({ length: 10 }, () => connect(base, '', headersOf.get('client_viewer')!)),
    );
    expect(t.app.realtime.subscriberCount).toBe(10);
    for (const client of clients.slice(0, 5)) client.ws.close();
    for (const client of clients.slice(5)) client.ws.terminate(); // no closing handshake
    await until(() => t.app.realtime.subscriberCount === 0);
  });
});

describe('GET /api/stream: dead, slow and revoked clients', () => {
  let app: FastifyInstance;
  let url: string;
  let keyHeaders: Record<string, string>;
  let keyId: string;

  /** The stream alone, with short timers and a small buffer limit. */
  async function streamApp(options: RealtimeOptions) {
    const server = Fastify();
    const auth = createAuthenticator({ db: t.db, settings: loadConfig({}) });
    server.decorate('auth', auth);
    registerErrorHandling(server);
    await server.register(cookie);
    registerAccessControl(server, auth);
    await server.register(realtimePlugin, options);
    await server.listen({ port: 0, host: '127.0.0.1' });
    return server;
  }

  beforeAll(async () => {
    app = await streamApp({ heartbeatIntervalMs: 100, maxBufferedBytes: 64 * 1024, closeGraceMs: 60_000 });
    url = baseUrl(app);
    const key = await createApiKey({ db: t.db, principal: null, orgId: alpha, name: 'short timers' });
    keyHeaders = { authorization: `Bearer ${key.key}` };
    keyId = key.id;
  });
  afterAll(() => app?.close());

  it('drops a socket that stops answering pings, keeps one that answers', async () => {
    const silent = await connect(url, '', keyHeaders, { autoPong: false });
    const healthy = await connect(url, '', keyHeaders);
    const started = Date.now();
    const closed = await silent.closed;
    // Terminated, not closed: a dead peer cannot take part in a closing handshake.
    expect(closed.code).toBe(1006);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    await until(() => app.realtime.subscriberCount === 1);
    healthy.ws.close();
  });

  it('cuts off a client that does not read, with close code 1013, instead of buffering for it', async () => {
    // Its own server with the default heartbeat: a paused client cannot answer pings either.
    const server = await streamApp({ maxBufferedBytes: 64 * 1024, closeGraceMs: 60_000 });
    const slowUrl = baseUrl(server);
    const slow = await connect(slowUrl, '', keyHeaders);
    const fast = await connect(slowUrl, '', keyHeaders);
    // Stop reading: the kernel buffers fill, then the server's.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = 'x'.repeat(16 * 1024);
    let published = 0;
    while (server.realtime.subscriberCount === 2) {
      server.realtime.publish({ orgId: alpha, type: 'queue.stats', data: { payload } });
      published++;
      if (published > 5000) throw new Error('never cut off');
      // Let the reading client keep up: only the one that stopped reading may fall behind.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(server.realtime.subscriberCount).toBe(1);
    const lastSeq = server.realtime.seq;
    await fast.waitFor((m) => m.seq === lastSeq);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(CLOSE_CODES.slowConsumer);
    expect(closed.reason).toMatch(/slow consumer/);
    // It got a prefix of the stream, in order, and can resume from its last seq.
    const seqs = slow.events().map((m) => m.seq);
    expect(seqs.length).toBeLessThan(published);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
    fast.ws.close();
    await server.close();
  });

  it('ends the stream with 4401 once its API key is revoked', async () => {
    const client = await connect(url, '', keyHeaders);
    await revokeApiKey({
      db: t.db,
      principal: {
        kind: 'api_key',
        keyId,
        keyName: 'x',
        role: 'integration',
        orgId: alpha,
        bankDataAccess: false,
      },
      orgId: alpha,
      keyId,
    });
    app.auth.evictApiKey(keyId);
    const closed = await client.closed;
    expect(closed).toEqual({
      code: CLOSE_CODES.credentialsEnded,
      reason: 'credentials ended: sign in again',
    });
    await until(() => app.realtime.subscriberCount === 0);
  });
});
