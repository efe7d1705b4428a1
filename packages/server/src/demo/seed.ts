// Demo data for `centralino start --demo` (what `npm start` runs): two
// fictional client organizations and one user per role. Seeded once; the
// marker in instance_settings keeps a second start from seeding again.
import type { Database } from '../db/database.ts';
import type { UserRole } from '../db/schema.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { createOrganization } from '../modules/organizations/organizations.service.ts';
import { createUser } from '../modules/users/users.service.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { seedCrmDemo } from './crm-demo.ts';
import { seedDemoHistory } from './history-demo.ts';
import { DEMO_REAL_OPERATORS, seedDemoLiveCenter } from './live-demo.ts';
import { seedDemoSlaContracts } from './sla-demo.ts';

export const DEMO_PASSWORD = 'centralino-demo';

// Fictional organizations: any likeness to a real one is unintended.
export const DEMO_ORGANIZATIONS = [
  {
    slug: 'bisturi-gentile',
    name: 'Fondazione Bisturi Gentile',
    cause: "children's surgery charity",
    prefix: 'BG',
    supporters: 3000,
    seed: 1101,
  },
  {
    slug: 'ponti-aperti',
    name: 'Ponti Aperti ETS',
    cause: 'refugee-aid agency',
    prefix: 'PA',
    supporters: 2000,
    seed: 2202,
  },
] as const;

export type DemoUser = { email: string; role: UserRole; organizations: string; displayName?: string };

const SEEDED_KEY = 'demo_seeded_at';

export function demoUsers(): DemoUser[] {
  const both = DEMO_ORGANIZATIONS.map((org) => org.slug).join(', ');
  return [
    { email: 'admin@centralino.demo', role: 'admin', organizations: 'all' },
    { email: 'supervisor@centralino.demo', role: 'supervisor', organizations: both },
    { email: 'planner@centralino.demo', role: 'planner', organizations: both },
    { email: 'quality@centralino.demo', role: 'quality', organizations: both },
    { email: 'operator@centralino.demo', role: 'operator', organizations: both },
    // The live demo's two human seats (live-demo.ts): about 20 simulated operators work beside them.
    ...DEMO_REAL_OPERATORS.map((email, i) => ({
      email,
      role: 'operator' as const,
      organizations: both,
      displayName: `Operatore ${i + 1}`,
    })),
    ...DEMO_ORGANIZATIONS.map((org) => ({
      email: `viewer@${org.slug}.demo`,
      role: 'client_viewer' as const,
      organizations: org.slug,
    })),
  ];
}

/** Whether this database holds the demo (seeded by `start --demo` once). */
export async function isDemoDatabase(db: Database): Promise<boolean> {
  const row = await db.asCenter((tx) =>
    tx.selectFrom('instance_settings').select('key').where('key', '=', SEEDED_KEY).executeTakeFirst(),
  );
  return row !== undefined;
}

/**
 * Seeds the demo once, and its live configuration once (live-demo.ts: also
 * into a demo seeded before the live center existed). Returns false when the
 * demo organizations and users were already there.
 */
export async function seedDemo(options: {
  db: Database;
  secrets: SecretBox;
  today?: Date;
}): Promise<boolean> {
  const { db } = options;
  const seeded = !(await isDemoDatabase(db));
  if (seeded) await seedOrganizationsAndUsers(options);
  // A demo seeded by an earlier version lacks the live demo's operator logins.
  else await createMissingUsers(db);
  await seedDemoLiveCenter({
    db,
    realOperatorEmails: demoUsers()
      .filter((user) => user.role === 'operator')
      .map((user) => user.email),
    ...(options.today ? { today: options.today } : {}),
  });
  // About four weeks of closed calls before today, only into a demo seeded now: an older
  // one has its own past (the live center ran) and history would pile on top of it.
  if (seeded) await seedDemoHistory({ db, today: options.today ?? new Date() });
  await seedDemoSlaContracts({ db, today: options.today ?? new Date() });
  return seeded;
}

async function seedOrganizationsAndUsers(options: {
  db: Database;
  secrets: SecretBox;
  today?: Date;
}): Promise<void> {
  const { db } = options;
  for (const org of DEMO_ORGANIZATIONS) {
    const created = await createOrganization({ db, principal: null, slug: org.slug, name: org.name });
    await seedCrmDemo({
      db,
      secrets: options.secrets,
      orgId: created.id,
      prefix: org.prefix,
      supporters: org.supporters,
      seed: org.seed,
      today: options.today ?? new Date(),
    });
  }
  await createMissingUsers(db);
  await db.asCenter((tx) =>
    tx
      .insertInto('instance_settings')
      .values({ key: SEEDED_KEY, value: JSON.stringify(new Date().toISOString()) })
      .execute(),
  );
}

async function createMissingUsers(db: Database) {
  const [organizations, existing] = await db.asCenter(async (tx) => [
    await tx.selectFrom('organizations').select(['id', 'slug']).execute(),
    await tx.selectFrom('users').select('email').execute(),
  ]);
  const orgIds = new Map(organizations.map((org) => [org.slug, org.id]));
  const emails = new Set(existing.map((user) => user.email));
  // Every demo account has the documented DEMO_PASSWORD: one scrypt hash (a
  // salt of its own per account would cost 0.2 s each and hide nothing).
  let passwordHash: string | undefined;
  for (const user of demoUsers()) {
    if (emails.has(user.email)) continue;
    passwordHash ??= await hashPassword(DEMO_PASSWORD);
    const organizationIds =
      user.organizations === 'all' ? [] : user.organizations.split(', ').map((slug) => orgIds.get(slug)!);
    await createUser({
      db,
      principal: null,
      email: user.email,
      role: user.role,
      password: DEMO_PASSWORD,
      passwordHash,
      displayName: user.displayName ?? user.role,
      organizationIds,
    });
  }
}
