// Queues of an organization: stored as the routing engine's queue specs and
// validated by building them in a router (queue-spec.ts) before every write.
import type { Selectable } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { QueuesTable } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { contactCenterErrors, isForeignKeyViolation, isUniqueViolation } from './contact-center.errors.ts';
import type { IvrFlowDefinition } from './ivr-flow.ts';
import { ivrFlowQueueKeys } from './ivr-flow.ts';
import { type QueueConfig, queueProblems } from './queue-spec.ts';

export type Queue = QueueConfig & { id: string; name: string; createdAt: string; updatedAt: string };
export type QueueInput = Omit<QueueConfig, 'key'> & { name: string };
export type QueueChanges = Partial<QueueInput>;

/** What a queue created without them gets (the API's defaults). */
export const QUEUE_DEFAULTS: Omit<QueueInput, 'name'> = {
  channel: 'voice',
  direction: 'inbound',
  skillExpression: '',
  strategy: 'longest-idle',
  priority: 0,
  maxWaitSeconds: null,
  maxWaitQueueKey: null,
  overflow: [],
  hours: null,
  closedBehaviour: 'reject',
  closedQueueKey: null,
  wrapUpSeconds: 0,
  serviceLevelSeconds: 20,
};

export function toQueue(row: Selectable<QueuesTable>): Queue {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    channel: row.channel,
    direction: row.direction,
    skillExpression: row.skill_expression,
    strategy: row.strategy,
    priority: row.priority,
    maxWaitSeconds: row.max_wait_seconds,
    maxWaitQueueKey: row.max_wait_queue_key,
    overflow: row.overflow,
    hours: row.hours,
    closedBehaviour: row.closed_behaviour,
    closedQueueKey: row.closed_queue_key,
    wrapUpSeconds: row.wrap_up_seconds,
    serviceLevelSeconds: row.service_level_seconds,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toColumns(queue: QueueInput) {
  return {
    name: queue.name,
    channel: queue.channel,
    direction: queue.direction,
    skill_expression: queue.skillExpression,
    strategy: queue.strategy,
    priority: queue.priority,
    max_wait_seconds: queue.maxWaitSeconds,
    max_wait_queue_key: queue.maxWaitQueueKey,
    overflow: JSON.stringify(queue.overflow),
    hours: queue.hours === null ? null : JSON.stringify(queue.hours),
    closed_behaviour: queue.closedBehaviour,
    closed_queue_key: queue.closedQueueKey,
    wrap_up_seconds: queue.wrapUpSeconds,
    service_level_seconds: queue.serviceLevelSeconds,
  };
}

/** The organization's queues, locked against a concurrent change (validation sees them all). */
async function lockQueues(tx: Tx) {
  const rows = await tx.selectFrom('queues').selectAll().orderBy('key').forUpdate().execute();
  return rows.map(toQueue);
}

function validate(queue: QueueConfig | null, others: Queue[], orgId: string) {
  const problems = queueProblems(queue, others, { organizationId: orgId });
  if (problems.length > 0) throw contactCenterErrors.queueInvalid(problems);
}

export async function listQueues(options: { db: Database; orgId: string }): Promise<Queue[]> {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('queues').selectAll().orderBy('key').execute(),
  );
  return rows.map(toQueue);
}

export async function getQueue(options: { db: Database; orgId: string; queueId: string }): Promise<Queue> {
  const row = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('queues').selectAll().where('id', '=', options.queueId).executeTakeFirst(),
  );
  if (!row) throw contactCenterErrors.queueNotFound();
  return toQueue(row);
}

export async function createQueue(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  key: string;
  input: Partial<QueueInput> & { name: string };
}): Promise<Queue> {
  const queue: QueueInput & { key: string } = { ...QUEUE_DEFAULTS, ...options.input, key: options.key };
  try {
    return await options.db.forOrg(options.orgId, async (tx) => {
      const existing = await lockQueues(tx);
      if (existing.some((other) => other.key === queue.key))
        throw contactCenterErrors.queueKeyTaken(queue.key);
      validate(queue, existing, options.orgId);
      const row = await tx
        .insertInto('queues')
        .values({ org_id: options.orgId, key: queue.key, ...toColumns(queue) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        orgId: options.orgId,
        principal: options.principal,
        action: 'queue.created',
        target: row.id,
        details: { key: queue.key, name: queue.name },
      });
      return toQueue(row);
    });
  } catch (error) {
    // Two creations of the same key at once: the second one meets the unique index.
    if (isUniqueViolation(error)) throw contactCenterErrors.queueKeyTaken(queue.key);
    throw error;
  }
}

/** Changes a queue; the key never changes (other queues and IVR flows name it). */
export async function updateQueue(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  queueId: string;
  changes: QueueChanges;
}): Promise<Queue> {
  return options.db.forOrg(options.orgId, async (tx) => {
    const all = await lockQueues(tx);
    const current = all.find((queue) => queue.id === options.queueId);
    if (!current) throw contactCenterErrors.queueNotFound();
    const next: Queue = { ...current, ...options.changes };
    // Closing behaviour and its target go together: leaving 'transfer' drops the target.
    if (options.changes.closedBehaviour !== undefined && next.closedBehaviour !== 'transfer') {
      next.closedQueueKey = null;
    }
    validate(next, all, options.orgId);
    const row = await tx
      .updateTable('queues')
      .set({ ...toColumns(next), updated_at: new Date() })
      .where('id', '=', options.queueId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'queue.updated',
      target: row.id,
      details: { key: row.key, changes: options.changes },
    });
    return toQueue(row);
  });
}

/**
 * Deletes a queue no one needs: refused (409) while another queue overflows or
 * transfers to it, an IVR flow routes to it, or a campaign, callback or
 * interaction refers to it (history keeps its queue).
 */
export async function deleteQueue(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  queueId: string;
}): Promise<void> {
  await options.db.forOrg(options.orgId, async (tx) => {
    const all = await lockQueues(tx);
    const queue = all.find((q) => q.id === options.queueId);
    if (!queue) throw contactCenterErrors.queueNotFound();
    const others = all.filter((q) => q.id !== queue.id);
    const referrer = others.find(
      (q) =>
        q.maxWaitQueueKey === queue.key ||
        q.closedQueueKey === queue.key ||
        q.overflow.some((step) => step.addQueues?.includes(queue.key)),
    );
    if (referrer) throw contactCenterErrors.queueInUse(queue.key, `queue "${referrer.key}"`);
    const flows = await tx.selectFrom('ivr_flows').select(['name', 'definition']).execute();
    const flow = flows.find((f) => ivrFlowQueueKeys(f.definition as IvrFlowDefinition).has(queue.key));
    if (flow) throw contactCenterErrors.queueInUse(queue.key, `IVR flow "${flow.name}"`);
    try {
      await tx.deleteFrom('queues').where('id', '=', queue.id).execute();
    } catch (error) {
      if (isForeignKeyViolation(error))
        throw contactCenterErrors.queueInUse(queue.key, 'campaigns, callbacks or recorded interactions');
      throw error;
    }
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'queue.deleted',
      target: queue.id,
      details: { key: queue.key },
    });
  });
}

/** Queue keys of the organization (IVR flows are checked against them). */
export async function queueKeys(tx: Tx): Promise<Set<string>> {
  const rows = await tx.selectFrom('queues').select('key').execute();
  return new Set(rows.map((row) => row.key));
}
