// Drives the live routing engine (engine/routing) behind the SimulationRouter
// interface, so a simulation routes exactly as production would: same pools, same
// strategy, same blending of inbound and outbound.
//
// The mapping:
// - each simulator queue is a voice queue of its organization, requiring the skill
//   `s<index>`; campaign connect queues are `direction: 'outbound'`, so blended
//   operators take inbound work first (the engine's strict precedence);
// - each operator is an agent of the organizations of its queues, with capacity one
//   voice call and proficiency 11 − priority (1 → 10) in each of its skills. The
//   engine orders waiting work by queue priority (all 0 here) and wait, so a group's
//   skill priorities only rank operators under a best-skill strategy: through the
//   engine a free operator takes the longest-waiting contact among its queues;
// - an offer is accepted at once (no ringing), the call completes when the
//   simulator's handle time and wrap-up are over (wrap-up is the simulator's, the
//   queues have none), and logging in and out are agent states.
// Times are milliseconds after the scenario start (epoch 0 without one).

import type { Router, RoutingEvent, RoutingQueueSpec, RoutingStrategy } from '../routing/index.ts';
import { createRouter } from '../routing/index.ts';
import type { SimulationRouter, SimulationRouterModel } from './simulate.router.ts';

export type RoutingEngineOptions = {
  /** Strategy of every queue (default longest-idle). */
  strategy?: RoutingStrategy;
};

export function createRoutingEngineRouter(
  model: SimulationRouterModel,
  start: string | null,
  options: RoutingEngineOptions = {},
): SimulationRouter {
  const startMs = start === null ? 0 : Date.parse(start);
  const inboundQueues = model.inboundQueueCount;
  const queueIds = model.queueIds;
  const queues: RoutingQueueSpec[] = queueIds.map((id, q) => ({
    id,
    organizationId: model.queueOrganizations[q]!,
    channel: 'voice',
    direction: q < inboundQueues ? 'inbound' : 'outbound',
    skills: `s${q} >= 1`,
    strategy: options.strategy ?? 'longest-idle',
  }));
  const engine: Router = createRouter({
    queues,
    // Offers are accepted at once and nobody declines: no timeouts, no cooldowns.
    offerTimeoutSeconds: 3600,
    maxMissedOffers: 0,
    declineCooldownSeconds: 0,
  });
  const operatorCount = model.operatorGroup.length;
  const agentIds: string[] = [];
  for (let o = 0; o < operatorCount; o++) {
    const group = model.groups[model.operatorGroup[o]!]!;
    const skills: Record<string, number> = {};
    const organizations = new Set<string>();
    for (const skill of group.skills) {
      skills[`s${skill.queue}`] = Math.min(10, Math.max(1, 11 - skill.priority));
      organizations.add(model.queueOrganizations[skill.queue]!);
    }
    const id = `operator-${o}`;
    agentIds.push(id);
    engine.addAgent({ id, organizations: [...organizations], skills, capacity: { voice: 1 } }, startMs);
  }
  const operatorOf = new Map(agentIds.map((id, o) => [id, o]));

  // Task ids are unique for the run; a contact's slot may be reused while the
  // engine still holds its previous task (active until the handle time is over).
  let sequence = 0;
  const waiting = new Map<string, number>();
  const taskOfContact: string[] = [];
  const activeTask: (string | null)[] = new Array(operatorCount).fill(null);

  const ms = (now: number) => startMs + now * 1000;

  /** Accepts the offer made to `operator` (if any) among `events`; returns the contact slot or −1. */
  function acceptOfferTo(operator: number, events: RoutingEvent[], now: number): number {
    const agentId = agentIds[operator]!;
    for (const event of events) {
      if (event.type === 'task.offered' && event.agentId === agentId) {
        const contact = waiting.get(event.taskId)!;
        waiting.delete(event.taskId);
        engine.accept(event.taskId, agentId, ms(now));
        activeTask[operator] = event.taskId;
        return contact;
      }
    }
    return -1;
  }

  return {
    name: 'routing-engine',

    contactQueued(contact, queue, now) {
      const id = String(++sequence);
      const events = engine.enqueue({ id, queueId: queueIds[queue]! }, ms(now));
      for (const event of events) {
        if (event.type === 'task.offered' && event.taskId === id) {
          const operator = operatorOf.get(event.agentId)!;
          engine.accept(id, event.agentId, ms(now));
          activeTask[operator] = id;
          return operator;
        }
      }
      waiting.set(id, contact);
      taskOfContact[contact] = id;
      return -1;
    },

    contactAbandoned(contact, _queue, now) {
      const id = taskOfContact[contact]!;
      waiting.delete(id);
      engine.abandon(id, ms(now));
    },

    operatorAvailable(operator, now) {
      const task = activeTask[operator] ?? null;
      if (task !== null) {
        // The call and its wrap-up are over: the slot frees and the engine offers the next task.
        activeTask[operator] = null;
        return acceptOfferTo(operator, engine.complete(task, ms(now)), now);
      }
      return acceptOfferTo(operator, engine.setAgentState(agentIds[operator]!, 'available', ms(now)), now);
    },

    operatorLoggedOff(operator, now) {
      // Offline first, so that completing the last call does not offer the next one.
      engine.setAgentState(agentIds[operator]!, 'offline', ms(now));
      const task = activeTask[operator] ?? null;
      if (task !== null) {
        activeTask[operator] = null;
        engine.complete(task, ms(now));
      }
    },
  };
}
