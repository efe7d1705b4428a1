// An app on its own test database, with its logs captured for inspection.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import type { UserRole } from '../src/db/schema.ts';
import { createLogger } from '../src/http/logger.ts';
import { hashPassword } from '../src/modules/auth/passwords.ts';
import { createOrganization } from '../src/modules/organizations/organizations.service.ts';
import { createUser } from '../src/modules/users/users.service.ts';
import { createSecretBox } from '../src/security/secret-box.ts';
import { openTestDatabase } from './test-database.ts';

/** A fixed key for tests: nothing is written to a data folder. */
export const testSecrets = createSecretBox(Buffer.alloc(32, 7));

export type TestApp = {
  app: FastifyInstance;
  db: Database;
  logs: string[];
  close: () => Promise<void>;
};

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const db = await openTestDatabase();
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', stream: { write: (line: string) => logs.push(line) } });
  // Sign-in is rate-limited per address and every injected request comes from
  // 127.0.0.1: tests that do not test the limit lift it.
  const config: Config = { ...loadConfig({}), loginRateLimitPerMinute: 10_000, ...overrides };
  const app = await buildApp({ db, config, logger, secrets: testSecrets });
  await app.ready();
  return {
    app,
    db,
    logs,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

export const TEST_PASSWORD = 'correct horse battery';

// The people of seedPeople share TEST_PASSWORD: hashed once per worker, not
// six scrypt hashes (~1 s of CPU) for every test file that seeds them.
let testPasswordHash: Promise<string> | undefined;
function hashOfTestPassword(): Promise<string> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return testPasswordHash;
}

/** Two client organizations and one user per role, the staff assigned to the first organization only. */
export async function seedPeople(db: Database) {
  const alpha = await createOrganization({ db, principal: null, slug: 'alpha', name: 'Alpha Onlus' });
  const beta = await createOrganization({ db, principal: null, slug: 'beta', name: 'Beta ETS' });
  const roles: UserRole[] = ['admin', 'supervisor', 'planner', 'quality', 'operator', 'client_viewer'];
  for (const role of roles) {
    await createUser({
      db,
      principal: null,
      email: `${role}@example.test`,
      role,
      password: TEST_PASSWORD,
      passwordHash: await hashOfTestPassword(),
      organizationIds: role === 'admin' ? [] : [alpha.id],
    });
  }
  return { alpha, beta };
}

export type Session = { cookie: string; csrfToken: string };

export async function signIn(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'centralino_session');
  if (!cookie) throw new Error('no session cookie');
  return { cookie: `${cookie.name}=${cookie.value}`, csrfToken: response.json().csrfToken };
}

export function asUser(session: Session) {
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}
