// The queue log-in clause in a real engine router: an operator logged out of a
// queue is in none of its pools, its overflow to another queue's operators
// included; logged in to everything, the specs route as before.
import {
  createRouter,
  type RoutingAgentSpec,
  type RoutingEvent,
  type RoutingQueueSpec,
} from '@centralino/engine';
import { describe, expect, it } from 'vitest';
import { servedByLoggedIn, withQueueLogouts } from './runtime-queue-logins.ts';

const queues: RoutingQueueSpec[] = [
  {
    id: 'care',
    organizationId: 'org',
    channel: 'voice',
    skills: 'care >= 5',
    // After 10 s the sales operators help.
    overflow: [{ afterSeconds: 10, addQueues: ['sales'] }],
  },
  { id: 'sales', organizationId: 'org', channel: 'voice', skills: 'sales >= 1' },
  { id: 'any', organizationId: 'org', channel: 'voice' },
];
const skillsOf = (id: string) => queues.find((q) => q.id === id)?.skills ?? null;

function routerWith(agent: RoutingAgentSpec, specs: RoutingQueueSpec[]) {
  const router = createRouter({ queues: specs, random: () => 0.5 });
  router.addAgent(agent, 0);
  router.setAgentState(agent.id, 'available', 0);
  return router;
}
const offered = (events: RoutingEvent[]) =>
  events.filter((e) => e.type === 'task.offered').map((e) => (e as { taskId: string }).taskId);

describe('servedByLoggedIn', () => {
  const seller: RoutingAgentSpec = {
    id: 'op',
    organizations: ['org'],
    skills: { care: 6, sales: 3 },
    capacity: { voice: 1 },
  };

  it('leaves an operator logged in everywhere in every pool', () => {
    const router = routerWith(
      withQueueLogouts(seller, new Set()),
      queues.map((q) => servedByLoggedIn(q, skillsOf)),
    );
    expect(queues.map((q) => router.queueStats(q.id, 0).idleAgents)).toEqual([1, 1, 1]);
  });

  it('takes an operator logged out of a queue out of its pool only, an empty expression included', () => {
    const router = routerWith(
      withQueueLogouts(seller, new Set(['care', 'any'])),
      queues.map((q) => servedByLoggedIn(q, skillsOf)),
    );
    expect(queues.map((q) => router.queueStats(q.id, 0).idleAgents)).toEqual([0, 1, 0]);
  });

  it("keeps them out of the queue's overflow to another queue they are logged in to", () => {
    const out = withQueueLogouts({ ...seller, skills: { sales: 3 } }, new Set(['care']));
    // Without the clause the overflow offers the care call to the sales operator: the case this guards.
    const plain = routerWith(out, queues);
    plain.enqueue({ id: 'call', queueId: 'care' }, 0);
    expect(offered(plain.tick(11_000))).toEqual(['call']);

    const router = routerWith(
      out,
      queues.map((q) => servedByLoggedIn(q, skillsOf)),
    );
    router.enqueue({ id: 'call', queueId: 'care' }, 0);
    expect(offered(router.tick(11_000))).toEqual([]);
    router.updateAgent(withQueueLogouts({ ...seller, skills: { sales: 3 } }, new Set()), 12_000);
    expect(router.getAgent('op').state).toBe('reserved');
  });
});
