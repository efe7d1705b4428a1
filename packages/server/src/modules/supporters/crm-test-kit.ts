// Shared set-up of the supporters module's API tests: an app, two
// organizations, signed-in people and an API key of the first organization.
import type { InjectOptions } from 'fastify';
import { asUser, createTestApp, seedPeople, signIn, type TestApp } from '../../../test/test-app.ts';
import type { Role } from '../auth/principal.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of an answer; each test asserts its shape
export type Json = any;

export type CrmTestKit = TestApp & {
  alpha: string;
  beta: string;
  headers: Record<Role, Record<string, string>>;
  /** inject() as `role` (default admin), parsed JSON included. */
  call: (
    options: {
      method: InjectOptions['method'];
      url: string;
      payload?: object;
      headers?: Record<string, string>;
    },
    role?: Role,
  ) => Promise<{ status: number; body: Json; headers: Record<string, unknown> }>;
};

export async function createCrmTestKit(): Promise<CrmTestKit> {
  const t = await createTestApp();
  const { alpha, beta } = await seedPeople(t.db);
  const headers = {} as Record<Role, Record<string, string>>;
  for (const role of ['admin', 'supervisor', 'planner', 'quality', 'operator', 'client_viewer'] as const) {
    headers[role] = asUser(await signIn(t.app, `${role}@example.test`));
  }
  const key = await t.app.inject({
    method: 'POST',
    url: `/api/organizations/${alpha.id}/api-keys`,
    payload: { name: 'crm tests' },
    headers: headers.admin,
  });
  headers.integration = { authorization: `Bearer ${key.json().key}` };
  const call: CrmTestKit['call'] = async (options, role = 'admin') => {
    const response = await t.app.inject({
      method: options.method,
      url: options.url,
      headers: { ...headers[role], ...options.headers },
      ...(options.payload ? { payload: options.payload } : {}),
    });
    return {
      status: response.statusCode,
      body: response.body ? response.json() : null,
      headers: response.headers,
    };
  };
  return { ...t, alpha: alpha.id, beta: beta.id, headers, call };
}
