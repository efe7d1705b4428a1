// What a configuration reload changes in the running live center (runtime.ts,
// `reloadConfiguration`): the configuration read again after an admin's change,
// compared with the one in force.
//
// - Queues: a new one is added to the router (first without its links to other
//   queues, so that queues added together may name each other, then with its full
//   spec); a changed one gets its new spec through the router's updateQueue, which
//   keeps the waiting tasks and their place. A queue whose overflow adds a changed
//   queue is updated too (the router copies that queue's expression when it builds
//   the step). A deleted queue takes no new contacts (IVR, callbacks, transfers,
//   campaigns find it no more), while what already waits there is still served by
//   the router. The API refuses to delete a queue any interaction refers to, so in
//   practice nothing waits there.
// - Numbers, IVR flows and dispositions: replaced for the next calls; a call already
//   in the IVR keeps the flow it started with.
// - Operators: a new routed user is added to the router offline; changed skills,
//   organizations, capacity or attributes go through updateAgent (memberships
//   recomputed, nothing in progress disturbed); a user disabled or no longer in a
//   routed role is logged out: ringing offers are withdrawn and offered elsewhere,
//   a call in progress and its wrap-up end normally, and the operator leaves the
//   router once offline (the router removes only an offline agent with no tasks).
import type { RoutingAgentSpec, RoutingQueueSpec } from '@centralino/engine';
import type {
  RuntimeConfiguration,
  RuntimeOperator,
  RuntimeQueue,
} from '../modules/contact-center/runtime-config.service.ts';

/** The agent attribute a direct queue's expression tests. */
export const OPERATOR_ATTRIBUTE = 'centralino_operator';

/** An operator as the router sees them. */
export function agentSpecOf(op: RuntimeOperator): RoutingAgentSpec {
  return {
    id: op.userId,
    organizations: op.organizationIds,
    skills: op.skills,
    attributes: { ...op.attributes, [OPERATOR_ATTRIBUTE]: op.userId },
    capacity: op.capacity,
    ...(op.maxTasks === null ? {} : { maxTasks: op.maxTasks }),
  };
}

/**
 * A new queue's spec without the queues it names (maximum-wait target, closed
 * target, overflow steps): valid on its own, replaced by the full spec at once.
 */
export function linkFreeSpec(spec: RoutingQueueSpec): RoutingQueueSpec {
  const { maxWaitQueueId: _maxWait, closedQueueId: _closed, overflow: _overflow, ...rest } = spec;
  return { ...rest, closed: spec.closed === 'transfer' ? 'reject' : spec.closed };
}

export type ConfigurationDiff = {
  addedQueues: RuntimeQueue[];
  changedQueues: RuntimeQueue[];
  removedQueues: RuntimeQueue[];
  addedOperators: RuntimeOperator[];
  changedOperators: RuntimeOperator[];
  removedOperators: string[];
};

/** What a queue routes by: everything but its timestamps and name. */
const routingOf = ({ updatedAt: _updated, createdAt: _created, name: _name, ...rest }: RuntimeQueue) =>
  JSON.stringify(rest);

/** An operator as the router and the operator list see them, whatever order the rows were read in. */
const operatorKey = (op: RuntimeOperator) =>
  JSON.stringify([
    op.displayName,
    [...op.organizationIds].sort(),
    Object.entries(op.skills).sort(([a], [b]) => (a < b ? -1 : 1)),
    Object.entries(op.capacity).sort(([a], [b]) => (a < b ? -1 : 1)),
    op.maxTasks,
    op.attributes,
  ]);

export function diffConfiguration(options: {
  queues: readonly RuntimeQueue[];
  operators: readonly RuntimeOperator[];
  next: RuntimeConfiguration;
}): ConfigurationDiff {
  const { next } = options;
  const queueNow = new Map(options.queues.map((q) => [q.id, q]));
  const queueNext = new Set(next.queues.map((q) => q.id));
  const addedQueues = next.queues.filter((q) => !queueNow.has(q.id));
  const changed = next.queues.filter((q) => {
    const before = queueNow.get(q.id);
    return before !== undefined && routingOf(before) !== routingOf(q);
  });
  // Overflow steps that add a changed queue hold a copy of its expression: rebuilt with it.
  const changedKeys = new Set(changed.map((q) => `${q.orgId}/${q.key}`));
  const changedQueues = next.queues.filter(
    (q) =>
      changed.includes(q) ||
      (queueNow.has(q.id) &&
        q.overflow.some((step) => step.addQueues?.some((key) => changedKeys.has(`${q.orgId}/${key}`)))),
  );
  const operatorNow = new Map(options.operators.map((op) => [op.userId, op]));
  const operatorNext = new Set(next.operators.map((op) => op.userId));
  return {
    addedQueues,
    changedQueues,
    removedQueues: options.queues.filter((q) => !queueNext.has(q.id)),
    addedOperators: next.operators.filter((op) => !operatorNow.has(op.userId)),
    changedOperators: next.operators.filter((op) => {
      const before = operatorNow.get(op.userId);
      return before !== undefined && operatorKey(before) !== operatorKey(op);
    }),
    removedOperators: options.operators.filter((op) => !operatorNext.has(op.userId)).map((op) => op.userId),
  };
}
