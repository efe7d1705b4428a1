// Operators' routing profiles: skills with levels and capacity per channel.
// Operators are center accounts, so this is center-scoped (admins write,
// supervisors read); the organizations an operator serves are the account's
// assignments (user_organizations), managed with the user.
import type { Database, Tx } from '../../db/database.ts';
import type { Channel } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { centerOrgId } from './center.ts';
import { contactCenterErrors } from './contact-center.errors.ts';

export type OperatorSkill = { skillKey: string; level: number };
export type OperatorProfile = {
  userId: string;
  capacity: Partial<Record<Channel, number>>;
  maxTasks: number | null;
  attributes: Record<string, string | number | boolean | string[]>;
  updatedAt: string | null;
};

/** Staff accounts only: a client viewer never takes contacts. */
async function requireStaff(tx: Tx, userId: string) {
  const user = await tx
    .selectFrom('users')
    .select(['id', 'role'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.role === 'client_viewer') throw contactCenterErrors.operatorNotFound();
}

export async function getOperatorSkills(options: { db: Database; userId: string }): Promise<OperatorSkill[]> {
  return options.db.asCenter(async (tx) => {
    await requireStaff(tx, options.userId);
    const rows = await tx
      .selectFrom('operator_skills')
      .select(['skill_key', 'level'])
      .where('user_id', '=', options.userId)
      .orderBy('skill_key')
      .execute();
    return rows.map((row) => ({ skillKey: row.skill_key, level: row.level }));
  });
}

/** Replaces the operator's skills with `skills` (unknown keys: 400 naming each). */
export async function setOperatorSkills(options: {
  db: Database;
  principal: Principal | null;
  userId: string;
  skills: readonly OperatorSkill[];
}): Promise<OperatorSkill[]> {
  return options.db.asCenter(async (tx) => {
    await requireStaff(tx, options.userId);
    const keys = options.skills.map((skill) => skill.skillKey);
    const known =
      keys.length === 0
        ? new Set<string>()
        : new Set(
            (await tx.selectFrom('skills').select('key').where('key', 'in', keys).forShare().execute()).map(
              (row) => row.key,
            ),
          );
    const problems = options.skills.flatMap((skill, i) =>
      known.has(skill.skillKey)
        ? []
        : [{ field: `body.skills[${i}].skillKey`, message: `no skill '${skill.skillKey}'` }],
    );
    const seen = new Set<string>();
    options.skills.forEach((skill, i) => {
      if (seen.has(skill.skillKey))
        problems.push({ field: `body.skills[${i}].skillKey`, message: 'is listed twice' });
      seen.add(skill.skillKey);
    });
    if (problems.length > 0) throw contactCenterErrors.operatorSkillsInvalid(problems);
    const before = await tx
      .selectFrom('operator_skills')
      .select(['skill_key', 'level'])
      .where('user_id', '=', options.userId)
      .execute();
    await tx.deleteFrom('operator_skills').where('user_id', '=', options.userId).execute();
    if (options.skills.length > 0) {
      await tx
        .insertInto('operator_skills')
        .values(
          options.skills.map((s) => ({ user_id: options.userId, skill_key: s.skillKey, level: s.level })),
        )
        .execute();
    }
    await recordAudit(tx, {
      orgId: await centerOrgId(tx),
      principal: options.principal,
      action: 'operator.skills_set',
      target: options.userId,
      details: {
        before: Object.fromEntries(before.map((row) => [row.skill_key, row.level])),
        after: Object.fromEntries(options.skills.map((s) => [s.skillKey, s.level])),
      },
    });
    return [...options.skills].sort((a, b) => a.skillKey.localeCompare(b.skillKey));
  });
}

const DEFAULT_PROFILE = { capacity: { voice: 1 }, maxTasks: null, attributes: {} };

/** The operator's profile; an operator never configured has the default (one voice call). */
export async function getOperatorProfile(options: {
  db: Database;
  userId: string;
}): Promise<OperatorProfile> {
  return options.db.asCenter(async (tx) => {
    await requireStaff(tx, options.userId);
    const row = await tx
      .selectFrom('operator_profiles')
      .selectAll()
      .where('user_id', '=', options.userId)
      .executeTakeFirst();
    return row
      ? {
          userId: row.user_id,
          capacity: row.capacity,
          maxTasks: row.max_tasks,
          attributes: row.attributes,
          updatedAt: row.updated_at.toISOString(),
        }
      : { userId: options.userId, ...DEFAULT_PROFILE, updatedAt: null };
  });
}

export async function setOperatorProfile(options: {
  db: Database;
  principal: Principal | null;
  userId: string;
  capacity: Partial<Record<Channel, number>>;
  maxTasks: number | null;
  attributes: Record<string, string | number | boolean | string[]>;
}): Promise<OperatorProfile> {
  return options.db.asCenter(async (tx) => {
    await requireStaff(tx, options.userId);
    const values = {
      capacity: JSON.stringify(options.capacity),
      max_tasks: options.maxTasks,
      attributes: JSON.stringify(options.attributes),
      updated_at: new Date(),
    };
    const row = await tx
      .insertInto('operator_profiles')
      .values({ user_id: options.userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: await centerOrgId(tx),
      principal: options.principal,
      action: 'operator.profile_set',
      target: options.userId,
      details: { capacity: options.capacity, maxTasks: options.maxTasks, attributes: options.attributes },
    });
    return {
      userId: row.user_id,
      capacity: row.capacity,
      maxTasks: row.max_tasks,
      attributes: row.attributes,
      updatedAt: row.updated_at.toISOString(),
    };
  });
}
