// IVR flows of an organization, validated as graphs (ivr-flow.ts) against the
// organization's queues before they are stored.
import type { Selectable } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { IvrFlowsTable } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { contactCenterErrors } from './contact-center.errors.ts';
import { type IvrFlowDefinition, validateIvrFlow } from './ivr-flow.ts';
import { queueKeys } from './queues.service.ts';

export type IvrFlow = {
  id: string;
  name: string;
  definition: IvrFlowDefinition;
  createdAt: string;
  updatedAt: string;
};

const toFlow = (row: Selectable<IvrFlowsTable>): IvrFlow => ({
  id: row.id,
  name: row.name,
  definition: row.definition as IvrFlowDefinition,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

async function validate(tx: Tx, definition: unknown) {
  // Shared lock: a queue cannot be deleted between this check and the commit.
  await tx.selectFrom('queues').select('id').forShare().execute();
  const problems = validateIvrFlow(definition, { queueKeys: await queueKeys(tx) });
  if (problems.length > 0) throw contactCenterErrors.ivrFlowInvalid(problems);
}

export async function listIvrFlows(options: { db: Database; orgId: string }): Promise<IvrFlow[]> {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('ivr_flows').selectAll().orderBy('name').orderBy('id').execute(),
  );
  return rows.map(toFlow);
}

export async function getIvrFlow(options: {
  db: Database;
  orgId: string;
  ivrFlowId: string;
}): Promise<IvrFlow> {
  const row = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('ivr_flows').selectAll().where('id', '=', options.ivrFlowId).executeTakeFirst(),
  );
  if (!row) throw contactCenterErrors.ivrFlowNotFound();
  return toFlow(row);
}

export async function createIvrFlow(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  name: string;
  definition: unknown;
}): Promise<IvrFlow> {
  return options.db.forOrg(options.orgId, async (tx) => {
    await validate(tx, options.definition);
    const row = await tx
      .insertInto('ivr_flows')
      .values({ org_id: options.orgId, name: options.name, definition: JSON.stringify(options.definition) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'ivr_flow.created',
      target: row.id,
      details: { name: options.name },
    });
    return toFlow(row);
  });
}

export async function updateIvrFlow(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  ivrFlowId: string;
  changes: { name?: string | undefined; definition?: unknown };
}): Promise<IvrFlow> {
  return options.db.forOrg(options.orgId, async (tx) => {
    const current = await tx
      .selectFrom('ivr_flows')
      .select('id')
      .where('id', '=', options.ivrFlowId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw contactCenterErrors.ivrFlowNotFound();
    if (options.changes.definition !== undefined) await validate(tx, options.changes.definition);
    const row = await tx
      .updateTable('ivr_flows')
      .set({
        ...(options.changes.name === undefined ? {} : { name: options.changes.name }),
        ...(options.changes.definition === undefined
          ? {}
          : { definition: JSON.stringify(options.changes.definition) }),
        updated_at: new Date(),
      })
      .where('id', '=', options.ivrFlowId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'ivr_flow.updated',
      target: row.id,
      details: { name: row.name, definitionChanged: options.changes.definition !== undefined },
    });
    return toFlow(row);
  });
}

/** Refused (409) while a number is answered by the flow. */
export async function deleteIvrFlow(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  ivrFlowId: string;
}): Promise<void> {
  await options.db.forOrg(options.orgId, async (tx) => {
    const flow = await tx
      .selectFrom('ivr_flows')
      .select(['id', 'name'])
      .where('id', '=', options.ivrFlowId)
      .forUpdate()
      .executeTakeFirst();
    if (!flow) throw contactCenterErrors.ivrFlowNotFound();
    const numbers = await tx
      .selectFrom('numbers')
      .select('e164')
      .where('ivr_flow_id', '=', flow.id)
      .execute();
    if (numbers.length > 0) throw contactCenterErrors.ivrFlowInUse(numbers.map((n) => n.e164));
    await tx.deleteFrom('ivr_flows').where('id', '=', flow.id).execute();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'ivr_flow.deleted',
      target: flow.id,
      details: { name: flow.name },
    });
  });
}
