import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  createTestApp,
  seedPeople,
  signIn,
  TEST_PASSWORD,
  type TestApp,
} from '../../../test/test-app.ts';
import { createUser } from '../users/users.service.ts';
import { NO_PASSWORD, verifyPassword } from './passwords.ts';

let t: TestApp;
let alphaId: string;
let betaId: string;

beforeAll(async () => {
  t = await createTestApp({ loginMaxFailures: 3, loginRateLimitPerMinute: 1000 });
  const { alpha, beta } = await seedPeople(t.db);
  alphaId = alpha.id;
  betaId = beta.id;
});
afterAll(() => t.close());

describe('password sign-in and sessions', () => {
  it('signs in with an HttpOnly, SameSite=Strict session cookie and returns the CSRF token', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'Supervisor@Example.test', password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'centralino_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(cookie?.path).toBe('/');
    const body = response.json();
    expect(body).toMatchObject({ kind: 'user', role: 'supervisor', organizationIds: [alphaId] });
    expect(body.csrfToken).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers a wrong password and an unknown e-mail alike, as problem+json', async () => {
    for (const email of ['planner@example.test', 'nobody@example.test']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: 'wrong password!' },
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    }
  });

  it('an account created without a password (a simulated operator) cannot sign in with any', async () => {
    await createUser({
      db: t.db,
      principal: null,
      email: 'robot@example.test',
      role: 'operator',
      password: null,
    });
    for (const password of [NO_PASSWORD, `${NO_PASSWORD}${NO_PASSWORD}`, '', 'wrong password!']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'robot@example.test', password },
      });
      expect(response.statusCode).not.toBe(200);
    }
    expect(await verifyPassword(NO_PASSWORD, NO_PASSWORD)).toBe(false);
  });

  it('locks the account after repeated failures, even for the right password afterwards', async () => {
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'quality@example.test', password },
      });
    expect((await attempt('wrong one 1')).statusCode).toBe(401);
    expect((await attempt('wrong one 2')).statusCode).toBe(401);
    const third = await attempt('wrong one 3');
    expect(third.statusCode).toBe(423);
    expect(third.json().code).toBe('ACCOUNT_LOCKED');
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(423);
  });

  it('a successful sign-in resets the failure count', async () => {
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'operator@example.test', password },
      });
    expect((await attempt('wrong one 1')).statusCode).toBe(401);
    expect((await attempt('wrong one 2')).statusCode).toBe(401);
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
    expect((await attempt('wrong one 3')).statusCode).toBe(401);
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('requires the CSRF header on writes made with the session cookie', async () => {
    const admin = await signIn(t.app, 'admin@example.test');
    const payload = { name: 'Alpha Onlus (renamed)' };
    const url = `/api/organizations/${alphaId}`;
    const without = await t.app.inject({ method: 'PATCH', url, payload, headers: { cookie: admin.cookie } });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await t.app.inject({
      method: 'PATCH',
      url,
      payload,
      headers: { cookie: admin.cookie, 'x-csrf-token': 'f'.repeat(64) },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await t.app.inject({ method: 'PATCH', url, payload, headers: asUser(admin) });
    expect(right.statusCode).toBe(200);
    expect(right.json().name).toBe('Alpha Onlus (renamed)');
  });

  it('logout ends the session at once', async () => {
    const session = await signIn(t.app, 'planner@example.test');
    const before = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: asUser(session) });
    expect(before.statusCode).toBe(200);
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: asUser(session) });
    expect(logout.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: asUser(session) });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHENTICATED');
  });
});

describe('API keys', () => {
  it('are shown once, stored hashed, scoped to their organization, and revocable', async () => {
    const admin = await signIn(t.app, 'admin@example.test');
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/organizations/${alphaId}/api-keys`,
      payload: { name: 'CRM sync' },
      headers: asUser(admin),
    });
    expect(created.statusCode).toBe(201);
    const { key, prefix, id } = created.json();
    expect(key).toMatch(new RegExp(`^cntr_${prefix}_[A-Za-z0-9_-]{43}$`));

    const stored = await t.db.forOrg(alphaId, (tx) =>
      tx.selectFrom('api_keys').select(['key_hash', 'prefix']).where('id', '=', id).executeTakeFirstOrThrow(),
    );
    // The secret part may itself contain '_': cut after the known prefix.
    const secret = key.slice(`cntr_${prefix}_`.length);
    expect(secret).toHaveLength(43);
    expect(stored.key_hash).not.toContain(secret);
    expect(stored.key_hash).toMatch(/^[0-9a-f]{64}$/);

    const list = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alphaId}/api-keys`,
      headers: asUser(admin),
    });
    expect(list.body).not.toContain(key);
    expect(list.json().items[0]).toMatchObject({ id, prefix, name: 'CRM sync', revokedAt: null });

    const own = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alphaId}`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(own.statusCode).toBe(200);
    expect(own.json().id).toBe(alphaId);
    const viaHeader = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alphaId}`,
      headers: { 'x-api-key': key },
    });
    expect(viaHeader.statusCode).toBe(200);

    const other = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${betaId}`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(other.statusCode).toBe(404);

    const forged = `${key.slice(0, -4)}AAAA`;
    const bad = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alphaId}`,
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(bad.statusCode).toBe(401);

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/organizations/${alphaId}/api-keys/${id}`,
      headers: asUser(admin),
    });
    expect(revoke.statusCode).toBe(204);
    const afterRevoke = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alphaId}`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(afterRevoke.statusCode).toBe(401);

    const audit = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alphaId}/audit-events`,
      headers: asUser(admin),
    });
    const actions = audit.json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['api_key.created', 'api_key.revoked']));
  });
});

describe('secrets stay out of the logs', () => {
  it('no password, session token, CSRF token or API key appears in any log line', async () => {
    const admin = await signIn(t.app, 'admin@example.test');
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/organizations/${betaId}/api-keys`,
      payload: { name: 'log probe' },
      headers: asUser(admin),
    });
    const { key } = created.json();
    await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${betaId}`,
      headers: { authorization: `Bearer ${key}` },
    });
    // A logged request object with headers must come out redacted too.
    t.app.log.info({ req: { headers: { authorization: `Bearer ${key}`, cookie: admin.cookie } } }, 'probe');
    const text = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(5);
    expect(text).toContain('probe');
    for (const secret of [TEST_PASSWORD, key, admin.cookie.split('=')[1]!, admin.csrfToken]) {
      expect(text).not.toContain(secret);
    }
  });
});
