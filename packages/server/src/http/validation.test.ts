// Bad input gets a clear problem+json answer naming the failing fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, createTestApp, seedPeople, signIn, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let admin: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ bodyLimitBytes: 2048 });
  await seedPeople(t.db);
  admin = asUser(await signIn(t.app, 'admin@example.test'));
});
afterAll(() => t.close());

async function createOrg(payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/organizations',
    headers: { ...admin, ...headers },
    ...(typeof payload === 'string' ? { body: payload } : { payload: payload as object }),
  });
}

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: expect.stringMatching(/^urn:centralino:problem:/) });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body as { errors?: { field: string; message: string }[] };
}

describe('request validation', () => {
  it('rejects wrong types without coercing them', async () => {
    const body = expectProblem(await createOrg({ slug: 'valid-slug', name: 42 }), 400, 'VALIDATION_FAILED');
    expect(body.errors?.[0]?.field).toBe('body.name');
  });

  it('names a missing field', async () => {
    const body = expectProblem(await createOrg({ slug: 'valid-slug' }), 400, 'VALIDATION_FAILED');
    expect(body.errors?.[0]?.field).toBe('body.name');
  });

  it('rejects unknown fields instead of dropping them', async () => {
    const body = expectProblem(
      await createOrg({ slug: 'valid-slug', name: 'X', plan: 'gold' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(body.errors?.[0]?.field).toBe('body.plan');
  });

  it('rejects a malformed slug and an unknown time zone', async () => {
    expectProblem(await createOrg({ slug: 'Not A Slug', name: 'X' }), 400, 'VALIDATION_FAILED');
    const tz = expectProblem(
      await createOrg({ slug: 'tz-test', name: 'X', timeZone: 'Mars/Olympus' }),
      400,
      'TIME_ZONE_INVALID',
    );
    expect(tz.errors?.[0]?.field).toBe('body.timeZone');
  });

  it('rejects an oversized body with 413', async () => {
    expectProblem(await createOrg({ slug: 'big', name: 'x'.repeat(5000) }), 413, 'BODY_TOO_LARGE');
  });

  it('rejects malformed JSON', async () => {
    expectProblem(await createOrg('{"slug": ', { 'content-type': 'application/json' }), 400, 'BODY_INVALID');
  });

  it('rejects a path parameter that is not a UUID', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/organizations/not-a-uuid',
      headers: admin,
    });
    const body = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(body.errors?.[0]?.field).toBe('params.orgId');
  });

  it('answers a duplicate slug with 409 and an unknown route with 404', async () => {
    expect((await createOrg({ slug: 'dup-slug', name: 'One' })).statusCode).toBe(201);
    expectProblem(await createOrg({ slug: 'dup-slug', name: 'Two' }), 409, 'ORGANIZATION_SLUG_TAKEN');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/nothing-here' }), 404, 'ROUTE_NOT_FOUND');
  });
});

describe('sign-in rate limit', () => {
  it('rate-limits sign-in attempts per client address', async () => {
    const limited3 = await createTestApp({ loginRateLimitPerMinute: 3 });
    const attempt = () =>
      limited3.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'nobody@example.test', password: 'whatever it is' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    await limited3.close();
  });
});
