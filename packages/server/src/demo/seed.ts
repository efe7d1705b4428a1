// Demo data for `centralino start --demo` (what `npm start` runs): two
// fictional client organizations and one user per role. Seeded once; the
// marker in instance_settings keeps a second start from seeding again.
import type { Database } from '../db/database.ts';
import type { UserRole } from '../db/schema.ts';
import { createOrganization } from '../modules/organizations/organizations.service.ts';
import { createUser } from '../modules/users/users.service.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { seedCrmDemo } from './crm-demo.ts';

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

export type DemoUser = { email: string; role: UserRole; organizations: string };

const SEEDED_KEY = 'demo_seeded_at';

export function demoUsers(): DemoUser[] {
  const both = DEMO_ORGANIZATIONS.map((org) => org.slug).join(', ');
  return [
    { email: 'admin@centralino.demo', role: 'admin', organizations: 'all' },
    { email: 'supervisor@centralino.demo', role: 'supervisor', organizations: both },
    { email: 'planner@centralino.demo', role: 'planner', organizations: both },
    { email: 'quality@centralino.demo', role: 'quality', organizations: both },
    { email: 'operator@centralino.demo', role: 'operator', organizations: both },
    ...DEMO_ORGANIZATIONS.map((org) => ({
      email: `viewer@${org.slug}.demo`,
      role: 'client_viewer' as const,
      organizations: org.slug,
    })),
  ];
}

/** Seeds the demo once. Returns false when it was already there. */
export async function seedDemo(options: {
  db: Database;
  secrets: SecretBox;
  today?: Date;
}): Promise<boolean> {
  const { db } = options;
  const already = await db.asCenter((tx) =>
    tx.selectFrom('instance_settings').select('key').where('key', '=', SEEDED_KEY).executeTakeFirst(),
  );
  if (already) return false;

  const orgIds = new Map<string, string>();
  for (const org of DEMO_ORGANIZATIONS) {
    const created = await createOrganization({ db, principal: null, slug: org.slug, name: org.name });
    orgIds.set(org.slug, created.id);
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
  for (const user of demoUsers()) {
    const organizationIds =
      user.organizations === 'all' ? [] : user.organizations.split(', ').map((slug) => orgIds.get(slug)!);
    await createUser({
      db,
      principal: null,
      email: user.email,
      role: user.role,
      password: DEMO_PASSWORD,
      displayName: user.role,
      organizationIds,
    });
  }
  await db.asCenter((tx) =>
    tx
      .insertInto('instance_settings')
      .values({ key: SEEDED_KEY, value: JSON.stringify(new Date().toISOString()) })
      .execute(),
  );
  return true;
}
