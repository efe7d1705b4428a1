// `npm start` on an empty data folder seeds the demo; a second start reuses
// the folder without seeding or migrating again. Runs the real server on a
// free port and talks to it over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliDatabaseEnv } from '../../test/test-database.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../http/logger.ts';
import { startServer } from '../main.ts';
import { DEMO_REAL_OPERATORS, SIMULATED_OPERATOR_COUNT } from './live-demo.ts';
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, demoUsers } from './seed.ts';

let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ env, cleanup } = await createCliDatabaseEnv());
});
afterAll(() => cleanup());

async function start() {
  const printed: string[] = [];
  const server = await startServer({
    config: { ...loadConfig(env), port: 0 },
    demo: true,
    print: (line) => printed.push(line),
    logger: createLogger({ level: 'silent' }),
  });
  return { server, printed: printed.join('\n') };
}

describe('demo start', () => {
  // A whole first start: migrations, 5,000 supporters with a year of gifts and
  // their search terms (about 15 s on a quiet 2-core machine, twice that under load).
  it('seeds two organizations and a user per role once, and prints URL and credentials', async () => {
    const first = await start();
    try {
      expect(first.printed).toContain(`Centralino is running at ${first.server.url}`);
      expect(first.printed).toContain('Demo data created');
      expect(first.printed).toContain(DEMO_PASSWORD);
      const health = await fetch(`${first.server.url}/health`);
      expect(health.status).toBe(200);
      const docs = await fetch(`${first.server.url}/api/docs/json`);
      expect((await docs.json()).openapi).toBe('3.1.0');

      const login = await fetch(`${first.server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@centralino.demo', password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const orgs = await fetch(`${first.server.url}/api/organizations`, { headers: { cookie } });
      const slugs = (await orgs.json()).items.map((o: { slug: string }) => o.slug).sort();
      expect(slugs).toEqual(['center', ...DEMO_ORGANIZATIONS.map((o) => o.slug)].sort());
      const users = await fetch(`${first.server.url}/api/users`, { headers: { cookie } });
      const roles = new Set((await users.json()).items.map((u: { role: string }) => u.role));
      expect([...roles].sort()).toEqual([
        'admin',
        'client_viewer',
        'operator',
        'planner',
        'quality',
        'supervisor',
      ]);

      // The demo runs live: the simulated operators are logged in, the two real logins wait for people.
      expect(first.printed).toContain('Live center: simulated gateway at 10×');
      const operators = await fetch(`${first.server.url}/api/live/operators`, { headers: { cookie } });
      expect(operators.status).toBe(200);
      const states = ((await operators.json()).items as { displayName: string; state: string }[]).map(
        (op) => op.state,
      );
      expect(states.length).toBeGreaterThanOrEqual(SIMULATED_OPERATOR_COUNT + DEMO_REAL_OPERATORS.length);
      expect(states.filter((state) => state !== 'offline').length).toBeGreaterThanOrEqual(
        SIMULATED_OPERATOR_COUNT - 2,
      );
      const operatore = await fetch(`${first.server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_REAL_OPERATORS[0], password: DEMO_PASSWORD }),
      });
      expect(operatore.status).toBe(200);
    } finally {
      await first.server.stop();
    }

    const second = await start();
    try {
      expect(second.printed).not.toContain('Demo data created');
      expect(second.server.db.migrationReport?.applied).toEqual([]);
      const login = await fetch(`${second.server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: demoUsers()[1]!.email, password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const count = await second.server.db.asCenter((tx) =>
        tx
          .selectFrom('organizations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      );
      expect(Number(count.n)).toBe(3);
      // One SLA contract per client organization (the cruscotto has something to show), not one per start.
      const contracts = await second.server.db.asCenter((tx) =>
        tx.selectFrom('sla_contracts').select('org_id').execute(),
      );
      expect(contracts).toHaveLength(DEMO_ORGANIZATIONS.length);
      expect(new Set(contracts.map((c) => c.org_id)).size).toBe(DEMO_ORGANIZATIONS.length);
    } finally {
      await second.server.stop();
    }
  }, 120_000);
});
