// Numbers callers dial, each answered by an IVR flow of its organization.
// Normalized to E.164 with the engine's phone helpers; unique across the
// center (the runtime finds an arriving call's organization by its number).
import { normalizePhone } from '@centralino/engine';
import type { Selectable } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { NumberKind, NumbersTable } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { contactCenterErrors, isUniqueViolation } from './contact-center.errors.ts';

export type CenterNumber = {
  e164: string;
  kind: NumberKind;
  label: string;
  ivrFlowId: string | null;
  createdAt: string;
  updatedAt: string;
};

const toNumber = (row: Selectable<NumbersTable>): CenterNumber => ({
  e164: row.e164,
  kind: row.kind,
  label: row.label,
  ivrFlowId: row.ivr_flow_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/**
 * E.164 of `raw` (Italian national format accepted), or NUMBER_INVALID naming
 * `field`. A number called `toll_free` must be one (800/803 in Italy): a
 * geographic number filed as toll-free would be billed and reported wrongly.
 */
export function normalizeCenterNumber(raw: string, field: string, kind?: NumberKind): string {
  const result = normalizePhone(raw, 'IT');
  if (!result.ok) throw contactCenterErrors.numberInvalid(field, result.message);
  if (!result.valid) throw contactCenterErrors.numberInvalid(field, 'is not in an assigned number range');
  if (kind === 'toll_free' && result.type !== 'toll_free')
    throw contactCenterErrors.numberInvalid('body.kind', `${result.e164} is not a toll-free number`);
  return result.e164;
}

async function requireFlow(tx: Tx, ivrFlowId: string | null | undefined) {
  if (ivrFlowId === null || ivrFlowId === undefined) return;
  const flow = await tx.selectFrom('ivr_flows').select('id').where('id', '=', ivrFlowId).executeTakeFirst();
  if (!flow) throw contactCenterErrors.ivrFlowNotFound('body.ivrFlowId');
}

export async function listNumbers(options: { db: Database; orgId: string }): Promise<CenterNumber[]> {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('numbers').selectAll().orderBy('e164').execute(),
  );
  return rows.map(toNumber);
}

export async function getNumber(options: {
  db: Database;
  orgId: string;
  e164: string;
}): Promise<CenterNumber> {
  const e164 = normalizeCenterNumber(options.e164, 'params.e164');
  const row = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('numbers').selectAll().where('e164', '=', e164).executeTakeFirst(),
  );
  if (!row) throw contactCenterErrors.numberNotFound();
  return toNumber(row);
}

export async function createNumber(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  number: string;
  kind: NumberKind;
  label?: string | undefined;
  ivrFlowId?: string | null | undefined;
}): Promise<CenterNumber> {
  const e164 = normalizeCenterNumber(options.number, 'body.e164', options.kind);
  try {
    return await options.db.forOrg(options.orgId, async (tx) => {
      await requireFlow(tx, options.ivrFlowId);
      const row = await tx
        .insertInto('numbers')
        .values({
          e164,
          org_id: options.orgId,
          kind: options.kind,
          label: options.label ?? '',
          ivr_flow_id: options.ivrFlowId ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        orgId: options.orgId,
        principal: options.principal,
        action: 'number.created',
        target: e164,
        details: { kind: options.kind, ivrFlowId: row.ivr_flow_id },
      });
      return toNumber(row);
    });
  } catch (error) {
    // Also when another organization has it: a number rings in one place only.
    if (isUniqueViolation(error)) throw contactCenterErrors.numberTaken(e164);
    throw error;
  }
}

export async function updateNumber(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  e164: string;
  changes: {
    kind?: NumberKind | undefined;
    label?: string | undefined;
    ivrFlowId?: string | null | undefined;
  };
}): Promise<CenterNumber> {
  const e164 = normalizeCenterNumber(options.e164, 'params.e164');
  return options.db.forOrg(options.orgId, async (tx) => {
    const current = await tx
      .selectFrom('numbers')
      .selectAll()
      .where('e164', '=', e164)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw contactCenterErrors.numberNotFound();
    if (options.changes.kind !== undefined) normalizeCenterNumber(e164, 'params.e164', options.changes.kind);
    await requireFlow(tx, options.changes.ivrFlowId);
    const { kind, label, ivrFlowId } = options.changes;
    const row = await tx
      .updateTable('numbers')
      .set({
        ...(kind === undefined ? {} : { kind }),
        ...(label === undefined ? {} : { label }),
        ...(ivrFlowId === undefined ? {} : { ivr_flow_id: ivrFlowId }),
        updated_at: new Date(),
      })
      .where('e164', '=', e164)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'number.updated',
      target: e164,
      details: { changes: options.changes },
    });
    return toNumber(row);
  });
}

export async function deleteNumber(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  e164: string;
}): Promise<void> {
  const e164 = normalizeCenterNumber(options.e164, 'params.e164');
  await options.db.forOrg(options.orgId, async (tx) => {
    const removed = await tx
      .deleteFrom('numbers')
      .where('e164', '=', e164)
      .returning('e164')
      .executeTakeFirst();
    if (!removed) throw contactCenterErrors.numberNotFound();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'number.deleted',
      target: e164,
    });
  });
}
