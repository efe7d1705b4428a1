// Authenticated GET of one organization-scoped row, against a bare Fastify
// route in the same process and harness, two ways:
// - http: real sockets, load from autocannon in a separate process (16
//   connections, pipelining 1): what a client sees;
// - inject: Fastify's pipeline without sockets, 16 in flight: the app's own
//   cost (auth, tenant transaction, serialization) over the framework floor.
// The goal applies to HTTP on PostgreSQL; inject ratios are reported too.
//
// PostgreSQL figures need CENTRALINO_BENCH_DATABASE_URL (a non-superuser role's
// database, e.g. the one .ci/run creates); without it only PGlite is measured.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { BenchContext } from '../../../bench/lib.ts';
import { percentile } from '../../../bench/lib.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { createLogger } from '../src/http/logger.ts';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.ts';
import { createOrganization } from '../src/modules/organizations/organizations.service.ts';
import { createUser } from '../src/modules/users/users.service.ts';

export const title = 'HTTP API: authenticated org-scoped read vs bare Fastify route';

const CONCURRENCY = 16;
const DURATION_MS = 3000;
const GOAL_RATIO_POSTGRES = 4;

type Load = { requestsPerSecond: number; p99Ms: number; p50Ms: number };

async function measure(
  app: FastifyInstance,
  request: { url: string; headers?: Record<string, string> },
): Promise<Load> {
  const once = async () => {
    const response = await app.inject({ method: 'GET', ...request });
    if (response.statusCode !== 200)
      throw new Error(`${request.url} answered ${response.statusCode}: ${response.body}`);
  };
  for (let i = 0; i < 1000; i++) await once();
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await once();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - start;
  return {
    requestsPerSecond: (latencies.length * 1000) / elapsed,
    p99Ms: percentile(latencies, 99),
    p50Ms: percentile(latencies, 50),
  };
}

const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** Load over HTTP from another process, so the client does not share the server's event loop. */
async function measureHttp(
  app: FastifyInstance,
  request: { url: string; headers?: Record<string, string> },
): Promise<Load> {
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('app is not listening');
  const target = `http://127.0.0.1:${address.port}${request.url}`;
  const headers = Object.entries(request.headers ?? {}).flatMap(([name, value]) => [
    '-H',
    `${name}=${value}`,
  ]);
  const args = [
    autocannonBin,
    '-c',
    String(CONCURRENCY),
    '-d',
    String(DURATION_MS / 1000),
    '-w',
    '1',
    '-j',
    ...headers,
    target,
  ];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p99: number; p50: number };
    non2xx: number;
    errors: number;
  };
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${request.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, p50Ms: result.latency.p50 };
}

async function bareApp(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const row = {
    id: '7f1c0a52-3c4e-4b8a-9d0e-2f6a1b3c4d5e',
    kind: 'client',
    slug: 'bisturi-gentile',
    name: 'Fondazione Bisturi Gentile',
    timeZone: 'Europe/Rome',
    locale: 'it',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  app.get('/bare/:orgId', async () => row);
  await app.ready();
  return app;
}

async function scopedApp(db: Database) {
  const config = { ...loadConfig({}), loginRateLimitPerMinute: 1_000_000 };
  const app = await buildApp({ db, config, logger: createLogger({ level: 'silent' }) });
  await app.ready();
  const org = await createOrganization({
    db,
    principal: null,
    slug: `bench-${randomBytes(3).toString('hex')}`,
    name: 'Bench',
  });
  const { key } = await createApiKey({ db, principal: null, orgId: org.id, name: 'bench' });
  const email = `bench-${randomBytes(3).toString('hex')}@example.test`;
  await createUser({
    db,
    principal: null,
    email,
    role: 'supervisor',
    password: 'bench password 123',
    organizationIds: [org.id],
  });
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: 'bench password 123' },
  });
  const cookie = login.cookies.find((c) => c.name === 'centralino_session')!;
  return { app, orgId: org.id, apiKey: key, cookie: `${cookie.name}=${cookie.value}` };
}

export async function run(ctx: BenchContext) {
  const targets: { name: string; open: () => Promise<{ db: Database; cleanup: () => Promise<void> }> }[] = [
    {
      name: 'pglite',
      open: async () => {
        const db = await openDatabase({ dataDir: 'memory://' });
        return { db, cleanup: () => db.close() };
      },
    },
  ];
  const pgUrl = process.env.CENTRALINO_BENCH_DATABASE_URL;
  if (pgUrl) {
    targets.push({
      name: 'postgres',
      open: async () => {
        const schema = `bench_${randomBytes(4).toString('hex')}`;
        const db = await openDatabase({ databaseUrl: pgUrl, schema, poolSize: 10 });
        return {
          db,
          cleanup: async () => {
            await sql.raw(`drop schema ${schema} cascade`).execute(db.kysely);
            await db.close();
          },
        };
      },
    });
  } else {
    ctx.log('CENTRALINO_BENCH_DATABASE_URL not set: PostgreSQL skipped');
  }

  for (const target of targets) {
    const { db, cleanup } = await target.open();
    const scoped = await scopedApp(db);
    const bare = await bareApp();
    try {
      await bare.listen({ port: 0, host: '127.0.0.1' });
      await scoped.app.listen({ port: 0, host: '127.0.0.1' });
      for (const transport of ['http', 'inject'] as const) {
        const load = transport === 'http' ? measureHttp : measure;
        // Bare route measured right before each target, so both share the machine's state.
        const baseline = await load(bare, { url: `/bare/${scoped.orgId}` });
        const viaKey = await load(scoped.app, {
          url: `/api/organizations/${scoped.orgId}`,
          headers: { authorization: `Bearer ${scoped.apiKey}` },
        });
        const viaSession = await load(scoped.app, {
          url: `/api/organizations/${scoped.orgId}`,
          headers: { cookie: scoped.cookie },
        });
        const parameters = {
          database: target.name,
          concurrency: CONCURRENCY,
          durationMs: DURATION_MS,
          transport,
        };
        const label = `${target.name}, ${transport}`;
        ctx.record({
          name: `${label}: bare route`,
          value: baseline.requestsPerSecond,
          unit: 'req/s',
          parameters,
        });
        ctx.record({ name: `${label}: bare route p99`, value: baseline.p99Ms, unit: 'ms', parameters });
        for (const [credential, result] of [
          ['API key', viaKey],
          ['session cookie', viaSession],
        ] as const) {
          ctx.record({
            name: `${label}: scoped read (${credential})`,
            value: result.requestsPerSecond,
            unit: 'req/s',
            parameters,
          });
          ctx.record({
            name: `${label}: scoped read (${credential}) p99`,
            value: result.p99Ms,
            unit: 'ms',
            parameters,
          });
          ctx.record({
            name: `${label}: cost ratio scoped/bare (${credential})`,
            value: baseline.requestsPerSecond / result.requestsPerSecond,
            unit: '×',
            ...(target.name === 'postgres' && transport === 'http'
              ? { goal: { op: '<=' as const, value: GOAL_RATIO_POSTGRES } }
              : {}),
            parameters,
          });
        }
      }
    } finally {
      await scoped.app.close();
      await cleanup();
      await bare.close();
    }
  }
}
