// Dispositions: the built-in ones (org_id NULL, the same for everyone, seeded
// by the migration and read-only here) and each organization's own. A custom
// disposition chooses one of the built-in effects, or none.
import type { Selectable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { CycleType, DispositionEffect, DispositionsTable } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { contactCenterErrors, isUniqueViolation } from './contact-center.errors.ts';

export type DispositionCycle = CycleType | 'inbound';
export type Disposition = {
  id: string;
  code: string;
  labelIt: string;
  labelEn: string;
  effect: DispositionEffect;
  cycleType: DispositionCycle | null;
  successful: boolean;
  builtIn: boolean;
  createdAt: string;
};
export type DispositionInput = {
  code: string;
  labelIt: string;
  labelEn: string;
  effect: DispositionEffect;
  cycleType: DispositionCycle | null;
  successful: boolean;
};

const toDisposition = (row: Selectable<DispositionsTable>): Disposition => ({
  id: row.id,
  code: row.code,
  labelIt: row.label_it,
  labelEn: row.label_en,
  effect: row.effect,
  cycleType: row.cycle_type,
  successful: row.successful,
  builtIn: row.org_id === null,
  createdAt: row.created_at.toISOString(),
});

/** Built-in first, then the organization's, each by code; `cycleType` keeps those offered in it. */
export async function listDispositions(options: {
  db: Database;
  orgId: string;
  cycleType?: DispositionCycle | undefined;
}): Promise<Disposition[]> {
  const rows = await options.db.readForOrg(options.orgId, (tx) => {
    let query = tx.selectFrom('dispositions').selectAll();
    const cycle = options.cycleType;
    if (cycle)
      query = query.where((eb) => eb.or([eb('cycle_type', 'is', null), eb('cycle_type', '=', cycle)]));
    return query.execute();
  });
  return rows
    .map(toDisposition)
    .sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || a.code.localeCompare(b.code));
}

export async function createDisposition(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  input: DispositionInput;
}): Promise<Disposition> {
  const { input } = options;
  try {
    return await options.db.forOrg(options.orgId, async (tx) => {
      // The unique index treats NULL org_ids as one organization; a custom code may not shadow a built-in one.
      const taken = await tx
        .selectFrom('dispositions')
        .select('id')
        .where('code', '=', input.code)
        .executeTakeFirst();
      if (taken) throw contactCenterErrors.dispositionCodeTaken(input.code);
      const row = await tx
        .insertInto('dispositions')
        .values({
          org_id: options.orgId,
          code: input.code,
          label_it: input.labelIt,
          label_en: input.labelEn,
          effect: input.effect,
          cycle_type: input.cycleType,
          successful: input.successful,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        orgId: options.orgId,
        principal: options.principal,
        action: 'disposition.created',
        target: row.id,
        details: { ...input },
      });
      return toDisposition(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw contactCenterErrors.dispositionCodeTaken(input.code);
    throw error;
  }
}

/** Labels, effect, cycle and success change; the code does not (interactions record it). */
export async function updateDisposition(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  dispositionId: string;
  changes: Partial<Omit<DispositionInput, 'code'>>;
}): Promise<Disposition> {
  return options.db.forOrg(options.orgId, async (tx) => {
    const current = await tx
      .selectFrom('dispositions')
      .select(['id', 'org_id'])
      .where('id', '=', options.dispositionId)
      .executeTakeFirst();
    if (!current) throw contactCenterErrors.dispositionNotFound();
    if (current.org_id === null) throw contactCenterErrors.dispositionBuiltIn();
    const { labelIt, labelEn, effect, cycleType, successful } = options.changes;
    const row = await tx
      .updateTable('dispositions')
      .set({
        ...(labelIt === undefined ? {} : { label_it: labelIt }),
        ...(labelEn === undefined ? {} : { label_en: labelEn }),
        ...(effect === undefined ? {} : { effect }),
        ...(cycleType === undefined ? {} : { cycle_type: cycleType }),
        ...(successful === undefined ? {} : { successful }),
      })
      .where('id', '=', options.dispositionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'disposition.updated',
      target: row.id,
      details: { code: row.code, changes: options.changes },
    });
    return toDisposition(row);
  });
}

/** Interactions keep the code they recorded; the disposition is no longer offered. */
export async function deleteDisposition(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  dispositionId: string;
}): Promise<void> {
  await options.db.forOrg(options.orgId, async (tx) => {
    const current = await tx
      .selectFrom('dispositions')
      .select(['id', 'org_id', 'code'])
      .where('id', '=', options.dispositionId)
      .executeTakeFirst();
    if (!current) throw contactCenterErrors.dispositionNotFound();
    if (current.org_id === null) throw contactCenterErrors.dispositionBuiltIn();
    await tx.deleteFrom('dispositions').where('id', '=', current.id).execute();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'disposition.deleted',
      target: current.id,
      details: { code: current.code },
    });
  });
}
