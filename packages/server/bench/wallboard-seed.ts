// Seeds the center the wallboard benchmark (wallboard.bench.ts) runs on: 2
// organizations × 25 queues (50 tiles), one number per queue whose IVR flow
// queues the caller straight away, 500 simulated operators (250 per
// organization, `simulated: true` in their profile, so live/simulated-center.ts
// logs them in and lets them take calls) and a supervisor of both
// organizations. Organizations, skills, queues, flows, numbers, skills of the
// operators and their profiles go through the services; the 500 operator
// accounts are inserted with one shared password hash (500 password hashes
// would take longer than the run, and nobody signs in as them).
import type { Database } from '../src/db/database.ts';

export const WALLBOARD_PASSWORD = 'correct horse battery staple';
export const WALLBOARD_SUPERVISOR = 'supervisor@wallboard.bench';

export type WallboardCenterSize = { organizations: number; queuesPerOrganization: number; operators: number };

export const WALLBOARD_CENTER: WallboardCenterSize = {
  organizations: 2,
  queuesPerOrganization: 25,
  operators: 500,
};

/** Skills s0 … s4: queue j needs s(j mod 5); operator k has three of them, so every queue has ~300 candidates. */
const SKILLS = 5;

export async function seedWallboardCenter(db: Database, size: WallboardCenterSize = WALLBOARD_CENTER) {
  const { createOrganization } = await import('../src/modules/organizations/organizations.service.ts');
  const { createUser } = await import('../src/modules/users/users.service.ts');
  const { createSkill } = await import('../src/modules/contact-center/skills.service.ts');
  const { createQueue } = await import('../src/modules/contact-center/queues.service.ts');
  const { createIvrFlow } = await import('../src/modules/contact-center/ivr-flows.service.ts');
  const { createNumber } = await import('../src/modules/contact-center/numbers.service.ts');
  const { setOperatorProfile, setOperatorSkills } = await import(
    '../src/modules/contact-center/operators.service.ts'
  );

  for (let s = 0; s < SKILLS; s++)
    await createSkill({ db, principal: null, owner: { center: true }, key: `s${s}`, label: `Line ${s}` });

  const orgIds: string[] = [];
  let numbers = 0;
  for (let o = 0; o < size.organizations; o++) {
    const org = await createOrganization({
      db,
      principal: null,
      slug: `wallboard-${o}`,
      name: `Wallboard ${o + 1}`,
    });
    orgIds.push(org.id);
    for (let j = 0; j < size.queuesPerOrganization; j++) {
      const key = `line_${String(j).padStart(2, '0')}`;
      await createQueue({
        db,
        principal: null,
        orgId: org.id,
        key,
        input: { name: `Line ${j + 1}`, skillExpression: `s${j % SKILLS} >= 1`, wrapUpSeconds: 60 },
      });
      const flow = await createIvrFlow({
        db,
        principal: null,
        orgId: org.id,
        name: `Line ${j + 1}`,
        definition: { entry: 'queue', nodes: { queue: { type: 'queue', queue: key } } },
      });
      await createNumber({
        db,
        principal: null,
        orgId: org.id,
        number: `+39800${o}${String(j).padStart(5, '0')}`,
        kind: 'toll_free',
        ivrFlowId: flow.id,
      });
      numbers++;
    }
  }

  await createUser({
    db,
    principal: null,
    email: WALLBOARD_SUPERVISOR,
    role: 'supervisor',
    password: WALLBOARD_PASSWORD,
    displayName: 'Wallboard supervisor',
    organizationIds: orgIds,
  });

  const operatorIds = await db.asCenter(async (tx) => {
    const { password_hash } = await tx
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', WALLBOARD_SUPERVISOR)
      .executeTakeFirstOrThrow();
    const users = await tx
      .insertInto('users')
      .values(
        Array.from({ length: size.operators }, (_, k) => ({
          email: `operator-${k}@wallboard.bench`,
          display_name: `Operator ${String(k).padStart(3, '0')}`,
          role: 'operator' as const,
          password_hash,
          org_id: null,
        })),
      )
      .returning('id')
      .execute();
    const ids = users.map((u) => u.id);
    await tx
      .insertInto('user_organizations')
      .values(ids.map((user_id, k) => ({ user_id, org_id: orgIds[k % orgIds.length]! })))
      .execute();
    return ids;
  });
  for (const [k, userId] of operatorIds.entries()) {
    await setOperatorSkills({
      db,
      principal: null,
      userId,
      skills: [0, 1, 2].map((d) => ({ skillKey: `s${(k + d) % SKILLS}`, level: 5 })),
    });
    await setOperatorProfile({
      db,
      principal: null,
      userId,
      capacity: { voice: 1 },
      maxTasks: null,
      attributes: { simulated: true },
    });
  }
  return { orgIds, numbers, operators: operatorIds.length };
}
