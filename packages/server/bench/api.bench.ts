// Authenticated GET of one organization-scoped row, against a bare Fastify
// route in the same process and harness. Requests go through Fastify's full
// pipeline with inject() (no socket), 16 in flight: the ratio is the app's
// own cost (auth, tenant transaction, serialization) over the framework floor.
//
// PostgreSQL figures need CENTRALINO_BENCH_DATABASE_URL (a non-superuser role's
// database, e.g. the one .ci/run creates); without it only PGlite is measured.
import { randomBytes } from 'node:crypto';
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
  const bare = await bareApp();
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
    try {
      // Bare route measured right before each target, so both share the machine's state.
      const baseline = await measure(bare, { url: `/bare/${scoped.orgId}` });
      const viaKey = await measure(scoped.app, {
        url: `/api/organizations/${scoped.orgId}`,
        headers: { authorization: `Bearer ${scoped.apiKey}` },
      });
      const viaSession = await measure(scoped.app, {
        url: `/api/organizations/${scoped.orgId}`,
        headers: { cookie: scoped.cookie },
      });
      const parameters = {
        database: target.name,
        concurrency: CONCURRENCY,
        durationMs: DURATION_MS,
        transport: 'inject',
      };
      ctx.record({
        name: `${target.name}: bare route`,
        value: baseline.requestsPerSecond,
        unit: 'req/s',
        parameters,
      });
      ctx.record({ name: `${target.name}: bare route p99`, value: baseline.p99Ms, unit: 'ms', parameters });
      for (const [label, load] of [
        ['API key', viaKey],
        ['session cookie', viaSession],
      ] as const) {
        ctx.record({
          name: `${target.name}: scoped read (${label})`,
          value: load.requestsPerSecond,
          unit: 'req/s',
          parameters,
        });
        ctx.record({
          name: `${target.name}: scoped read (${label}) p99`,
          value: load.p99Ms,
          unit: 'ms',
          parameters,
        });
        ctx.record({
          name: `${target.name}: cost ratio scoped/bare (${label})`,
          value: baseline.requestsPerSecond / load.requestsPerSecond,
          unit: '×',
          ...(target.name === 'postgres' ? { goal: { op: '<=' as const, value: GOAL_RATIO_POSTGRES } } : {}),
          parameters,
        });
      }
    } finally {
      await scoped.app.close();
      await cleanup();
    }
  }
  await bare.close();
}
