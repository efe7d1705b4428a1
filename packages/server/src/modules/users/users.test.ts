// Account changes by an admin (PATCH /api/users/:userId): the staff role, the
// organizations, disabling; what is refused and why. PGlite or PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, createTestApp, seedPeople, signIn, type TestApp } from '../../../test/test-app.ts';

let t: TestApp;
let admin: Record<string, string>;
let orgs: Awaited<ReturnType<typeof seedPeople>>;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await seedPeople(t.db);
  admin = asUser(await signIn(t.app, 'admin@example.test'));
  const users = (await t.app.inject({ method: 'GET', url: '/api/users', headers: admin })).json().items as {
    id: string;
    email: string;
  }[];
  ids = Object.fromEntries(users.map((u) => [u.email.split('@')[0]!, u.id]));
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const patch = (userId: string, payload: object) =>
  t.app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: admin, payload });

describe('PATCH /api/users/:userId', () => {
  it('changes the staff role and the organizations, and refuses what would mislead', async () => {
    const moved = await patch(ids.operator!, { role: 'supervisor', organizationIds: [orgs.beta.id] });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ role: 'supervisor', organizationIds: [orgs.beta.id] });

    const viewer = await patch(ids.client_viewer!, { role: 'operator' });
    expect([viewer.statusCode, viewer.json().code]).toEqual([400, 'USER_ROLE_INVALID']);
    const toViewer = await patch(ids.quality!, { role: 'client_viewer' });
    expect([toViewer.statusCode, toViewer.json().code]).toEqual([400, 'USER_ROLE_INVALID']);
    const adminOrgs = await patch(ids.admin!, { organizationIds: [orgs.alpha.id] });
    expect([adminOrgs.statusCode, adminOrgs.json().code]).toEqual([400, 'USER_ORGANIZATIONS_INVALID']);
    const unknownOrg = await patch(ids.planner!, { organizationIds: [crypto.randomUUID()] });
    expect([unknownOrg.statusCode, unknownOrg.json().code]).toEqual([400, 'USER_ORGANIZATIONS_INVALID']);
    const empty = await patch(ids.planner!, {});
    expect(empty.statusCode).toBe(400);
  });

  it('a disabled account cannot sign in, and its open session ends', async () => {
    const session = asUser(await signIn(t.app, 'planner@example.test'));
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: session })).statusCode,
    ).toBe(200);
    expect((await patch(ids.planner!, { disabled: true })).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: session })).statusCode,
    ).toBe(401);
    await expect(signIn(t.app, 'planner@example.test')).rejects.toThrow(/sign-in/);
    expect((await patch(ids.planner!, { disabled: false })).statusCode).toBe(200);
    await signIn(t.app, 'planner@example.test');
  });

  it('keeps at least one active admin: the last one can be neither disabled nor demoted', async () => {
    const disabled = await patch(ids.admin!, { disabled: true });
    expect([disabled.statusCode, disabled.json().code]).toEqual([409, 'USER_LAST_ADMIN']);
    const demoted = await patch(ids.admin!, { role: 'supervisor' });
    expect([demoted.statusCode, demoted.json().code]).toEqual([409, 'USER_LAST_ADMIN']);
    // With a second admin, the first may step down.
    expect((await patch(ids.supervisor!, { role: 'admin', organizationIds: [] })).statusCode).toBe(200);
    const stepDown = await patch(ids.admin!, { role: 'supervisor', organizationIds: [orgs.alpha.id] });
    expect(stepDown.statusCode).toBe(200);
    const last = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${ids.supervisor!}`,
      headers: asUser(await signIn(t.app, 'supervisor@example.test')),
      payload: { disabled: true },
    });
    expect([last.statusCode, last.json().code]).toEqual([409, 'USER_LAST_ADMIN']);
  });
});
