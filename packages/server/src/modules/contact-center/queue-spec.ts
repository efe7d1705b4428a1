// Queues as the routing engine sees them. The API validates a queue by building
// it, with the organization's other queues, in a real router (engine/routing):
// what the router would refuse at run time is refused when it is saved, with
// the engine's own message (a bad skill expression names its column).
import { createRouter, RoutingError, type RoutingQueueSpec } from '@centralino/engine';
import type {
  Channel,
  ClosedBehaviour,
  OpeningHours,
  QueueDirection,
  QueueOverflowStep,
  QueueStrategy,
} from '../../db/schema.ts';
import type { ProblemField } from '../../http/errors.ts';

/** A queue's configuration, as stored and as the API shows it (references by key). */
export type QueueConfig = {
  key: string;
  channel: Channel;
  direction: QueueDirection;
  skillExpression: string;
  strategy: QueueStrategy;
  priority: number;
  maxWaitSeconds: number | null;
  maxWaitQueueKey: string | null;
  overflow: QueueOverflowStep[];
  hours: OpeningHours | null;
  closedBehaviour: ClosedBehaviour;
  closedQueueKey: string | null;
  wrapUpSeconds: number;
  serviceLevelSeconds: number;
};

/**
 * The engine's spec of a queue of `organizationId`. `idOf` turns a queue key
 * into the router's queue id: the key itself when validating one
 * organization's queues, the queue's uuid for the center-wide runtime router
 * (keys are unique only within an organization).
 */
export function toRoutingQueueSpec(
  queue: QueueConfig,
  organizationId: string,
  idOf: (key: string) => string,
): RoutingQueueSpec {
  return {
    id: idOf(queue.key),
    organizationId,
    channel: queue.channel,
    direction: queue.direction,
    ...(queue.skillExpression.trim() === '' ? {} : { skills: queue.skillExpression }),
    strategy: queue.strategy,
    priority: queue.priority,
    ...(queue.maxWaitSeconds === null ? {} : { maxWaitSeconds: queue.maxWaitSeconds }),
    ...(queue.maxWaitQueueKey === null ? {} : { maxWaitQueueId: idOf(queue.maxWaitQueueKey) }),
    overflow: queue.overflow.map((step) => ({
      afterSeconds: step.afterSeconds,
      ...(step.skills === undefined ? {} : { skills: step.skills }),
      ...(step.addQueues === undefined ? {} : { addQueues: step.addQueues.map(idOf) }),
    })),
    ...(queue.hours === null ? {} : { hours: queue.hours }),
    closed: queue.closedBehaviour,
    ...(queue.closedQueueKey === null ? {} : { closedQueueId: idOf(queue.closedQueueKey) }),
    wrapUpSeconds: queue.wrapUpSeconds,
    serviceLevelSeconds: queue.serviceLevelSeconds,
  };
}

// The engine's field names (queues.<key>.…) → the API's (body.…).
const FIELD_NAMES: [RegExp, string][] = [
  [/^skills$/, 'skillExpression'],
  [/^maxWaitQueueId$/, 'maxWaitQueueKey'],
  [/^closedQueueId$/, 'closedQueueKey'],
  [/^closed$/, 'closedBehaviour'],
];

function apiField(engineField: string, key: string, prefix: string): string | undefined {
  const own = `queues.${key}`;
  if (engineField !== own && !engineField.startsWith(`${own}.`)) return undefined;
  const rest = engineField.slice(own.length + 1);
  if (rest === '') return prefix;
  const [head, ...tail] = rest.split('.');
  const renamed = FIELD_NAMES.find(([pattern]) => pattern.test(head!))?.[1] ?? head!;
  return [prefix, renamed, ...tail].join('.');
}

/**
 * Problems of `queue` among the organization's `others` (its other queues,
 * already valid), found by building them all in a router. Empty when the
 * router accepts them. A problem in another queue (one that names this queue
 * and would lose it) is reported on `others` by its key.
 */
export function queueProblems(
  queue: QueueConfig | null,
  others: readonly QueueConfig[],
  options: { organizationId: string; field?: string },
): ProblemField[] {
  const prefix = options.field ?? 'body';
  const all = queue ? [...others.filter((other) => other.key !== queue.key), queue] : [...others];
  try {
    createRouter({
      queues: all.map((q) => toRoutingQueueSpec(q, options.organizationId, (key) => key)),
      // The 'random' strategy needs a source; validation never routes.
      random: () => 0.5,
    });
    return [];
  } catch (error) {
    if (!(error instanceof RoutingError)) throw error;
    const issue = error.issues[0]!;
    const field = queue ? apiField(issue.field, queue.key, prefix) : undefined;
    // The engine prefixes its message with the field; the answer names the field separately.
    const message = error.message.startsWith(`${issue.field}: `)
      ? error.message.slice(issue.field.length + 2)
      : error.message;
    return [{ field: field ?? issue.field, message }];
  }
}
