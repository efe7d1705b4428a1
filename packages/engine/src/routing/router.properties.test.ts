// Randomized property tests over many seeded event sequences: whatever agents,
// queues and calls do, the router never offers a task to an agent without the
// skills, organization or channel, never books an agent beyond its capacity,
// lets no task starve when overflow reaches someone, and replays identically.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { createRouter } from './router.ts';
import type {
  RoutingAgentSpec,
  RoutingChannel,
  RoutingEvent,
  RoutingQueueSpec,
  RoutingStrategy,
} from './routing.types.ts';
import { parseSkillExpression, type SkillExpression } from './skill-expression.ts';

const STRATEGIES: RoutingStrategy[] = [
  'longest-idle',
  'least-occupied',
  'best-skill-then-longest-idle',
  'round-robin',
  'fewest-contacts',
  'random',
  'ring-all',
];
const EXPRESSIONS = [
  'sales >= 3',
  "care >= 5 && language == 'it'",
  'care >= 2 || sepa >= 6',
  "!(language == 'en') && sepa",
  "language in ['it', 'de'] && care > 1",
  'true',
];
const ORGS = ['o1', 'o2'];

type World = { queues: RoutingQueueSpec[]; agents: RoutingAgentSpec[] };

function buildWorld(seed: number): World {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const queues: RoutingQueueSpec[] = Array.from({ length: 5 }, (_, i) => {
    const wrap = random();
    return {
      id: `q${i}`,
      organizationId: pick(ORGS),
      channel: random() < 0.75 ? 'voice' : 'chat',
      direction: i === 4 ? 'outbound' : 'inbound',
      skills: pick(EXPRESSIONS),
      strategy: pick(STRATEGIES),
      priority: Math.floor(random() * 3),
      wrapUpSeconds: wrap < 0.4 ? 0 : wrap < 0.8 ? 5 : Number.POSITIVE_INFINITY,
      offerTimeoutSeconds: 5 + Math.floor(random() * 20),
      // The last step reaches every agent of the organization on the channel.
      overflow: [
        { afterSeconds: 15, skills: pick(EXPRESSIONS), addQueues: random() < 0.5 ? [`q${(i + 1) % 5}`] : [] },
        { afterSeconds: 40, skills: 'true' },
      ],
    } satisfies RoutingQueueSpec;
  });
  const agents: RoutingAgentSpec[] = Array.from({ length: 3 + Math.floor(random() * 8) }, (_, i) => {
    const skills: Record<string, number> = {};
    for (const skill of ['sales', 'care', 'sepa'])
      if (random() < 0.6) skills[skill] = 1 + Math.floor(random() * 10);
    // Agent 0 serves every organization on every channel, so overflow always reaches someone.
    const everything = i === 0;
    return {
      id: `a${i}`,
      organizations: everything ? ORGS : ORGS.filter(() => random() < 0.6),
      skills,
      attributes: random() < 0.8 ? { language: pick(['it', 'en', 'de']) } : ({} as Record<string, string>),
      capacity: {
        voice: everything || random() < 0.8 ? 1 : 0,
        chat: everything ? 2 : Math.floor(random() * 4),
      },
      ...(random() < 0.3 ? { maxTasks: 2 } : {}),
    };
  });
  return { queues, agents };
}

/** The expression a task must satisfy at each overflow step of each queue, built independently. */
function stepExpressions(queues: RoutingQueueSpec[]): Map<string, SkillExpression[][]> {
  const byId = new Map(queues.map((q) => [q.id, q]));
  const steps = new Map<string, SkillExpression[][]>();
  for (const queue of queues) {
    // Steps only widen: at step k any expression of steps 0..k admits an agent.
    const list: SkillExpression[][] = [[parseSkillExpression(queue.skills ?? 'true')]];
    for (const step of queue.overflow ?? []) {
      const admitted = [...list[list.length - 1]!];
      if (step.skills) admitted.push(parseSkillExpression(step.skills));
      for (const id of step.addQueues ?? [])
        admitted.push(parseSkillExpression(byId.get(id)!.skills ?? 'true'));
      list.push(admitted);
    }
    steps.set(queue.id, list);
  }
  return steps;
}

/** Plain check for the hot loop (expect() per event would dominate the run time). */
function assert(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

type Outcome = { log: RoutingEvent[]; enqueued: Set<string>; abandoned: Set<string>; accepted: Set<string> };

/** Drives a router with a seeded random sequence of operations, checking invariants after every call. */
function simulate(seed: number, operations: number): Outcome {
  const world = buildWorld(seed);
  const random = createRandom(seed * 7919 + 1);
  const router = createRouter({
    queues: world.queues,
    random: createRandom(seed),
    maxMissedOffers: 2,
    declineCooldownSeconds: 10,
  });
  const steps = stepExpressions(world.queues);
  const queueById = new Map(world.queues.map((q) => [q.id, q]));
  const agentById = new Map(world.agents.map((a) => [a.id, a]));
  const presence = new Map<string, string>();
  const load = new Map<string, Record<string, number>>();
  const taskQueue = new Map<string, string>();
  const taskStage = new Map<string, number>();
  const offers = new Map<string, Set<string>>();
  const active = new Set<string>();
  const wrapping = new Set<string>();
  const waiting = new Set<string>();
  const log: RoutingEvent[] = [];
  const enqueued = new Set<string>();
  const abandoned = new Set<string>();
  const accepted = new Set<string>();
  let now = 0;

  const check = (events: RoutingEvent[]) => {
    for (const event of events) {
      log.push(event);
      assert(event.at <= now, () => `event in the future: ${JSON.stringify(event)}`);
      switch (event.type) {
        case 'task.queued':
          taskQueue.set(event.taskId, event.queueId);
          taskStage.set(event.taskId, 0);
          waiting.add(event.taskId);
          break;
        case 'task.overflowed':
          taskStage.set(event.taskId, event.stage);
          break;
        case 'task.offered': {
          const spec = agentById.get(event.agentId)!;
          const queue = queueById.get(taskQueue.get(event.taskId)!)!;
          const channel = queue.channel as RoutingChannel;
          const allowed = steps.get(queue.id)![taskStage.get(event.taskId)!]!;
          const what = () => `seed ${seed}: ${JSON.stringify(event)}`;
          assert(presence.get(event.agentId) === 'available', () => `offered while not available, ${what()}`);
          assert(spec.organizations.includes(queue.organizationId), () => `wrong organization, ${what()}`);
          const subject = { skills: spec.skills, attributes: spec.attributes ?? {} };
          assert(
            allowed.some((e) => e.matches(subject)),
            () => `skills do not match step ${taskStage.get(event.taskId)}, ${what()}`,
          );
          const agentLoad = load.get(event.agentId)!;
          agentLoad[channel] = (agentLoad[channel] ?? 0) + 1;
          assert(
            agentLoad[channel]! <= (spec.capacity[channel] ?? 0),
            () => `over channel capacity, ${what()}`,
          );
          const total = Object.values(agentLoad).reduce((a, b) => a + b, 0);
          assert(total <= (spec.maxTasks ?? Number.POSITIVE_INFINITY), () => `over maxTasks, ${what()}`);
          const set = offers.get(event.taskId) ?? new Set();
          assert(!set.has(event.agentId), () => `offered twice to the same agent, ${what()}`);
          set.add(event.agentId);
          offers.set(event.taskId, set);
          waiting.delete(event.taskId);
          break;
        }
        case 'task.offer_rejected':
        case 'task.offer_timed_out':
        case 'task.offer_rescinded': {
          const channel = queueById.get(event.queueId)!.channel;
          load.get(event.agentId)![channel]!--;
          offers.get(event.taskId)!.delete(event.agentId);
          break;
        }
        case 'task.accepted':
          accepted.add(event.taskId);
          active.add(event.taskId);
          offers.get(event.taskId)!.delete(event.agentId);
          break;
        case 'task.completed':
          active.delete(event.taskId);
          wrapping.add(event.taskId);
          break;
        case 'task.wrap_ended':
          wrapping.delete(event.taskId);
          load.get(event.agentId)![queueById.get(event.queueId)!.channel]!--;
          break;
        case 'task.abandoned':
        case 'task.timed_out':
        case 'task.rejected':
          waiting.delete(event.taskId);
          break;
        case 'agent.state_changed':
          if (event.reason === 'missed_offers') presence.set(event.agentId, 'not_ready');
          break;
      }
    }
  };

  for (const spec of world.agents) {
    check(router.addAgent(spec, now));
    load.set(spec.id, {});
    presence.set(spec.id, 'offline');
  }
  const randomOf = <T>(items: Iterable<T>): T | undefined => {
    const list = [...items];
    return list.length === 0 ? undefined : list[Math.floor(random() * list.length)];
  };
  let taskNumber = 0;
  for (let op = 0; op < operations; op++) {
    now += Math.floor(random() * 4000);
    // Let due timers run first, so the operations below see the current state
    // (a late accept is the router's ROUTING_OFFER_GONE, tested elsewhere).
    check(router.tick(now));
    const r = random();
    if (r < 0.3) {
      const id = `t${taskNumber++}`;
      enqueued.add(id);
      const queue = world.queues[Math.floor(random() * world.queues.length)]!;
      check(router.enqueue({ id, queueId: queue.id, priority: Math.floor(random() * 3) }, now));
    } else if (r < 0.55) {
      const taskId = randomOf([...offers].filter(([, set]) => set.size > 0).map(([id]) => id));
      if (taskId !== undefined) {
        const agentId = randomOf(offers.get(taskId)!)!;
        const choice = random();
        if (choice < 0.75) check(router.accept(taskId, agentId, now));
        else if (choice < 0.9) check(router.reject(taskId, agentId, now));
        else check(router.timeoutOffer(taskId, agentId, now));
      }
    } else if (r < 0.72) {
      const taskId = randomOf(active);
      if (taskId !== undefined) check(router.complete(taskId, now));
    } else if (r < 0.78) {
      const taskId = randomOf(wrapping);
      if (taskId !== undefined) check(router.endWrapUp(taskId, now));
    } else if (r < 0.9) {
      const spec = world.agents[Math.floor(random() * world.agents.length)]!;
      const next = random() < 0.7 ? 'available' : random() < 0.5 ? 'not_ready' : 'offline';
      presence.set(spec.id, next);
      check(router.setAgentState(spec.id, next, now, next === 'not_ready' ? 'break' : undefined));
    } else if (r < 0.93) {
      const taskId = randomOf([...waiting].filter((id) => !active.has(id)));
      if (taskId !== undefined) {
        abandoned.add(taskId);
        check(router.abandon(taskId, now));
      }
    } else {
      check(router.tick(now));
    }
    for (const spec of world.agents) {
      const expected = load.get(spec.id)!;
      const actual = router.getAgent(spec.id).load;
      assert(
        (['voice', 'chat'] as const).every((channel) => (actual[channel] ?? 0) === (expected[channel] ?? 0)),
        () =>
          `seed ${seed}: ${spec.id} load ${JSON.stringify(actual)}, events say ${JSON.stringify(expected)}`,
      );
    }
  }

  // Drain: everyone logs in, accepts every offer, finishes every call.
  for (const spec of world.agents) {
    presence.set(spec.id, 'available');
    check(router.setAgentState(spec.id, 'available', now));
  }
  for (
    let round = 0;
    round < 2000 && (offers.size > 0 || active.size > 0 || wrapping.size > 0 || waiting.size > 0);
    round++
  ) {
    now += 1000;
    check(router.tick(now));
    for (const [taskId, set] of offers) {
      const agentId = [...set][0];
      if (agentId !== undefined) check(router.accept(taskId, agentId, now));
    }
    for (const taskId of [...active]) check(router.complete(taskId, now));
    for (const taskId of [...wrapping]) check(router.endWrapUp(taskId, now));
    for (const [taskId, set] of offers) if (set.size === 0) offers.delete(taskId);
    for (const spec of world.agents) {
      if (presence.get(spec.id) !== 'available') {
        presence.set(spec.id, 'available');
        check(router.setAgentState(spec.id, 'available', now));
      }
    }
    check(router.tick(now));
  }
  return { log, enqueued, abandoned, accepted };
}

describe('router properties over seeded random sequences', () => {
  it('offers only to eligible, available agents within capacity, and serves every task', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const { enqueued, abandoned, accepted, log } = simulate(seed, 250);
      // No starvation: every task that was not abandoned by its caller was answered.
      const unserved = [...enqueued].filter((id) => !abandoned.has(id) && !accepted.has(id));
      expect(unserved, `seed ${seed}`).toEqual([]);
      expect(log.length).toBeGreaterThan(0);
    }
  });

  it('replays the same events for the same seed', () => {
    for (const seed of [3, 17, 42]) {
      expect(JSON.stringify(simulate(seed, 300).log)).toBe(JSON.stringify(simulate(seed, 300).log));
    }
  });
});
