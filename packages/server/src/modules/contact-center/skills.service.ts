// Skills: center-wide ones (org_id NULL, administered in the center scope) and
// each organization's own. Keys are unique across the center because an
// operator's level is stored once per key (operator_skills).
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { centerOrgId } from './center.ts';
import { contactCenterErrors, isForeignKeyViolation, isUniqueViolation } from './contact-center.errors.ts';

export type Skill = { key: string; label: string; scope: 'center' | 'organization'; createdAt: string };

const toSkill = (row: { key: string; label: string; org_id: string | null; created_at: Date }): Skill => ({
  key: row.key,
  label: row.label,
  scope: row.org_id === null ? 'center' : 'organization',
  createdAt: row.created_at.toISOString(),
});

/** Where a skill lives: one organization (tenant scope) or the center (center scope). */
export type SkillOwner = { orgId: string } | { center: true };

function run<T>(db: Database, owner: SkillOwner, work: (tx: Tx) => Promise<T>) {
  return 'orgId' in owner ? db.forOrg(owner.orgId, work) : db.asCenter(work);
}

const ownerOrg = (owner: SkillOwner) => ('orgId' in owner ? owner.orgId : null);

/** An organization's skills and the center-wide ones (both usable in its queues). */
export async function listSkills(options: { db: Database; orgId: string }): Promise<Skill[]> {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('skills').selectAll().orderBy('key').execute(),
  );
  return rows.map(toSkill);
}

export async function listCenterSkills(options: { db: Database }): Promise<Skill[]> {
  const rows = await options.db.asCenter((tx) =>
    tx.selectFrom('skills').selectAll().where('org_id', 'is', null).orderBy('key').execute(),
  );
  return rows.map(toSkill);
}

async function auditOrg(tx: Tx, owner: SkillOwner) {
  return 'orgId' in owner ? owner.orgId : centerOrgId(tx);
}

export async function createSkill(options: {
  db: Database;
  principal: Principal | null;
  owner: SkillOwner;
  key: string;
  label: string;
}): Promise<Skill> {
  try {
    return await run(options.db, options.owner, async (tx) => {
      const row = await tx
        .insertInto('skills')
        .values({ org_id: ownerOrg(options.owner), key: options.key, label: options.label })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        orgId: await auditOrg(tx, options.owner),
        principal: options.principal,
        action: 'skill.created',
        target: options.key,
        details: { label: options.label },
      });
      return toSkill(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw contactCenterErrors.skillKeyTaken(options.key);
    throw error;
  }
}

export async function updateSkill(options: {
  db: Database;
  principal: Principal | null;
  owner: SkillOwner;
  key: string;
  label: string;
}): Promise<Skill> {
  return run(options.db, options.owner, async (tx) => {
    const orgId = ownerOrg(options.owner);
    const row = await tx
      .updateTable('skills')
      .set({ label: options.label })
      .where('key', '=', options.key)
      .where('org_id', orgId === null ? 'is' : '=', orgId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw contactCenterErrors.skillNotFound();
    await recordAudit(tx, {
      orgId: await auditOrg(tx, options.owner),
      principal: options.principal,
      action: 'skill.updated',
      target: options.key,
      details: { label: options.label },
    });
    return toSkill(row);
  });
}

/** Refused (409) while operators hold the skill: their levels would vanish from routing unseen. */
export async function deleteSkill(options: {
  db: Database;
  principal: Principal | null;
  owner: SkillOwner;
  key: string;
}): Promise<void> {
  await run(options.db, options.owner, async (tx) => {
    const orgId = ownerOrg(options.owner);
    const existing = await tx
      .selectFrom('skills')
      .select('key')
      .where('key', '=', options.key)
      .where('org_id', orgId === null ? 'is' : '=', orgId)
      .forUpdate()
      .executeTakeFirst();
    if (!existing) throw contactCenterErrors.skillNotFound();
    try {
      await tx.deleteFrom('skills').where('key', '=', options.key).execute();
    } catch (error) {
      // operator_skills is center-scoped, so a tenant cannot count the holders; the key check did.
      if (isForeignKeyViolation(error)) throw contactCenterErrors.skillInUse(options.key);
      throw error;
    }
    await recordAudit(tx, {
      orgId: await auditOrg(tx, options.owner),
      principal: options.principal,
      action: 'skill.deleted',
      target: options.key,
    });
  });
}
