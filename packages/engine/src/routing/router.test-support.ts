// Small builders shared by the router tests.
import { createRouter } from './router.ts';
import type {
  Router,
  RouterOptions,
  RoutingAgentSpec,
  RoutingEvent,
  RoutingQueueSpec,
} from './routing.types.ts';

export const ORG = 'bisturi-gentile';

export function voiceQueue(id: string, extra: Partial<RoutingQueueSpec> = {}): RoutingQueueSpec {
  return { id, organizationId: ORG, channel: 'voice', ...extra };
}

export function agent(id: string, extra: Partial<RoutingAgentSpec> = {}): RoutingAgentSpec {
  return { id, organizations: [ORG], skills: { donor_care: 5 }, capacity: { voice: 1 }, ...extra };
}

/** A router plus an event log of everything it returned. */
export function harness(options: RouterOptions) {
  const router = createRouter(options);
  const log: RoutingEvent[] = [];
  const wrap =
    <A extends unknown[]>(method: (...args: A) => RoutingEvent[]) =>
    (...args: A): RoutingEvent[] => {
      const events = method(...args);
      log.push(...events);
      return events;
    };
  const driven: Router = {
    ...router,
    addAgent: wrap(router.addAgent),
    updateAgent: wrap(router.updateAgent),
    removeAgent: wrap(router.removeAgent),
    setAgentState: wrap(router.setAgentState),
    addQueue: wrap(router.addQueue),
    updateQueue: wrap(router.updateQueue),
    enqueue: wrap(router.enqueue),
    accept: wrap(router.accept),
    reject: wrap(router.reject),
    timeoutOffer: wrap(router.timeoutOffer),
    abandon: wrap(router.abandon),
    complete: wrap(router.complete),
    endWrapUp: wrap(router.endWrapUp),
    tick: wrap(router.tick),
  };
  /** Adds agents and logs them in, in order, one millisecond apart from `from`. */
  const login = (agents: RoutingAgentSpec[], from = -1000) => {
    agents.forEach((spec, i) => {
      driven.addAgent(spec, from + i);
      driven.setAgentState(spec.id, 'available', from + i);
    });
  };
  return { router: driven, log, login };
}

export function offersIn(events: RoutingEvent[]): { taskId: string; agentId: string }[] {
  return events.flatMap((event) =>
    event.type === 'task.offered' ? [{ taskId: event.taskId, agentId: event.agentId }] : [],
  );
}

/** The agent a task was offered to in `events`; throws when it was not offered. */
export function offeredTo(events: RoutingEvent[], taskId: string): string {
  const offer = offersIn(events).find((o) => o.taskId === taskId);
  if (!offer) throw new Error(`task ${taskId} was not offered: ${JSON.stringify(events)}`);
  return offer.agentId;
}
