// The audit trail: every change made through the API or the CLI is recorded in
// the same transaction as the change, so there is no change without its record.
import type { Database, Tx } from '../../db/database.ts';
import { actorOf, type Principal } from '../auth/principal.ts';

export async function recordAudit(
  tx: Tx,
  event: { orgId: string; principal: Principal | null; action: string; target?: string; details?: object },
) {
  await tx
    .insertInto('audit_events')
    .values({
      org_id: event.orgId,
      ...actorOf(event.principal),
      action: event.action,
      target: event.target ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export async function listAuditEvents(options: {
  db: Database;
  orgId: string;
  limit: number;
  beforeId?: string;
}) {
  const rows = await options.db.readForOrg(options.orgId, (tx) => {
    let query = tx
      .selectFrom('audit_events')
      .select(['id', 'at', 'actor_kind', 'actor_id', 'action', 'target', 'details'])
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.beforeId) query = query.where('id', '<', options.beforeId);
    return query.execute();
  });
  return rows.map((row) => ({
    id: String(row.id),
    at: row.at.toISOString(),
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    action: row.action,
    target: row.target,
    details: row.details,
  }));
}
