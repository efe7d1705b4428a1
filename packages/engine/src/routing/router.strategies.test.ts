// Each strategy's choice on small hand-built cases: who gets the next task.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { agent, harness, ORG, offeredTo, offersIn, voiceQueue } from './router.test-support.ts';
import type { RoutingStrategy } from './routing.types.ts';

const MIN = 60_000;

function single(strategy: RoutingStrategy, extra: Parameters<typeof harness>[0] = { queues: [] }) {
  return harness({ ...extra, queues: [voiceQueue('q', { strategy })] });
}

/** Offers a task, has the agent accept it, talk `talkMs`, and complete (no wrap-up). */
function handle(h: ReturnType<typeof harness>, taskId: string, at: number, talkMs: number): string {
  const agentId = offeredTo(h.router.enqueue({ id: taskId, queueId: 'q' }, at), taskId);
  h.router.accept(taskId, agentId, at);
  h.router.complete(taskId, at + talkMs);
  return agentId;
}

describe('longest-idle', () => {
  it('offers to the agent idle the longest, and sends a just-freed agent to the back', () => {
    const h = single('longest-idle');
    h.login([agent('ada'), agent('bea'), agent('cid')]);
    expect(handle(h, 't1', 10, 1000)).toBe('ada'); // idle since 0
    // ada is free again at 1010: now bea (1) and cid (2) have waited longer.
    expect(handle(h, 't2', 2000, 1000)).toBe('bea');
    expect(handle(h, 't3', 4000, 1000)).toBe('cid');
    expect(handle(h, 't4', 6000, 1000)).toBe('ada');
  });

  it('keeps the agent with a declined offer in its place for other tasks', () => {
    const h = single('longest-idle');
    h.login([agent('ada'), agent('bea')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 10);
    expect(offeredTo(h.router.reject('t1', 'ada', 20), 't1')).toBe('bea');
    // ada is still the longest idle for a new task.
    expect(offeredTo(h.router.enqueue({ id: 't2', queueId: 'q' }, 30), 't2')).toBe('ada');
  });
});

describe('least-occupied', () => {
  /** Starts tasks together, then completes them after the given talk times. */
  function overlap(h: ReturnType<typeof harness>, start: number, talks: [string, number][]): string[] {
    const agents = talks.map(([taskId], i) => {
      const agentId = offeredTo(h.router.enqueue({ id: taskId, queueId: 'q' }, start + i), taskId);
      h.router.accept(taskId, agentId, start + i);
      return agentId;
    });
    const ends = talks.map(([taskId, talkMs], i) => [taskId, start + i + talkMs] as const);
    for (const [taskId, at] of ends.sort((a, b) => a[1] - b[1])) h.router.complete(taskId, at);
    return agents;
  }

  it('offers to the agent with the least handle time today, then the longest idle', () => {
    const h = single('least-occupied');
    h.login([agent('ada'), agent('bea'), agent('cid')]);
    // Handle times: ada 5 min, bea 2 min (freed first), cid 2 min.
    expect(
      overlap(h, 10, [
        ['t1', 5 * MIN],
        ['t2', 2 * MIN],
        ['t3', 2 * MIN],
      ]),
    ).toEqual(['ada', 'bea', 'cid']);
    expect(handle(h, 't4', 10 * MIN, MIN)).toBe('bea'); // bea 2 = cid 2 < ada 5; bea freed first
    expect(handle(h, 't5', 20 * MIN, MIN)).toBe('cid'); // cid 2 < bea 3 < ada 5
    expect(handle(h, 't6', 30 * MIN, MIN)).toBe('bea'); // bea 3 = cid 3; bea freed first
  });

  it('counts from zero again when a new day starts', () => {
    const h = single('least-occupied', { queues: [], strategyOptions: { dayStartMinutesUtc: 0 } });
    h.login([agent('ada'), agent('bea')]);
    expect(
      overlap(h, 10, [
        ['t1', 60 * MIN],
        ['t2', 5 * MIN],
      ]),
    ).toEqual(['ada', 'bea']);
    expect(handle(h, 't3', 2 * 60 * MIN, MIN)).toBe('bea'); // same day: 5 min before 60 min
    // Next day both have 0: the longest idle wins, ada (freed at 60 min) before bea (121 min).
    expect(handle(h, 't4', 24 * 60 * MIN + 10, MIN)).toBe('ada');
    expect(h.router.getAgent('bea').handleMsToday).toBe(0);
  });
});

describe('best-skill-then-longest-idle', () => {
  it('offers to the highest proficiency in the queue skills, ties broken by idle time', () => {
    const h = harness({
      queues: [
        voiceQueue('q', { strategy: 'best-skill-then-longest-idle', skills: 'donor_care >= 3 && sepa >= 1' }),
      ],
    });
    h.login([
      agent('ada', { skills: { donor_care: 5, sepa: 2 } }), // 7
      agent('bea', { skills: { donor_care: 9, sepa: 1 } }), // 10
      agent('cid', { skills: { donor_care: 4, sepa: 6 } }), // 10, logged in after bea
      agent('dan', { skills: { donor_care: 10 } }), // not eligible: no sepa
    ]);
    const first = offeredTo(h.router.enqueue({ id: 't1', queueId: 'q' }, 10), 't1');
    const second = offeredTo(h.router.enqueue({ id: 't2', queueId: 'q' }, 11), 't2');
    const third = offeredTo(h.router.enqueue({ id: 't3', queueId: 'q' }, 12), 't3');
    expect([first, second, third]).toEqual(['bea', 'cid', 'ada']);
    expect(offersIn(h.router.enqueue({ id: 't4', queueId: 'q' }, 13))).toEqual([]);
  });

  it('ranks by rankSkills when given', () => {
    const h = harness({
      queues: [voiceQueue('q', { strategy: 'best-skill-then-longest-idle', rankSkills: ['sepa'] })],
    });
    h.login([
      agent('ada', { skills: { donor_care: 9, sepa: 1 } }),
      agent('bea', { skills: { donor_care: 1, sepa: 4 } }),
    ]);
    expect(offeredTo(h.router.enqueue({ id: 't1', queueId: 'q' }, 10), 't1')).toBe('bea');
  });
});

describe('round-robin', () => {
  it('goes around the agents in order, continuing after the last one offered', () => {
    const h = single('round-robin');
    h.login([agent('ada'), agent('bea'), agent('cid')]);
    const picks: string[] = [];
    for (let i = 0; i < 4; i++) picks.push(handle(h, `t${i}`, 1000 * (i + 1), 10));
    expect(picks).toEqual(['ada', 'bea', 'cid', 'ada']);
  });

  it('skips a busy agent without giving it an extra turn later', () => {
    const h = single('round-robin');
    h.login([agent('ada'), agent('bea'), agent('cid')]);
    expect(handle(h, 't1', 100, 10)).toBe('ada');
    // bea takes a long call: its turn passes to cid, then back to ada.
    expect(offeredTo(h.router.enqueue({ id: 't2', queueId: 'q' }, 200), 't2')).toBe('bea');
    h.router.accept('t2', 'bea', 200);
    expect(handle(h, 't3', 300, 10)).toBe('cid');
    expect(handle(h, 't4', 400, 10)).toBe('ada');
    h.router.complete('t2', 450);
    expect(handle(h, 't5', 500, 10)).toBe('bea');
  });
});

describe('fewest-contacts', () => {
  it('offers to the agent who accepted the fewest tasks today, then the longest idle', () => {
    const h = single('fewest-contacts');
    h.login([agent('ada'), agent('bea'), agent('cid')]);
    expect(handle(h, 't1', 10, 10)).toBe('ada');
    expect(handle(h, 't2', 20, 10)).toBe('bea');
    expect(handle(h, 't3', 30, 10)).toBe('cid');
    expect(handle(h, 't4', 40, 10)).toBe('ada');
    // ada 2, bea 1, cid 1: bea was freed first.
    expect(handle(h, 't5', 50, 10)).toBe('bea');
    expect(handle(h, 't6', 60, 10)).toBe('cid');
    expect(h.router.getAgent('cid').contactsToday).toBe(2);
  });

  it('counts contacts on every channel, for an agent idle on chat while on a call', () => {
    const h = harness({
      queues: [voiceQueue('calls'), voiceQueue('chats', { channel: 'chat', strategy: 'fewest-contacts' })],
    });
    h.login([
      agent('ada', { capacity: { voice: 1, chat: 2 } }),
      agent('bea', { capacity: { voice: 1, chat: 2 } }),
    ]);
    // ada (idle longest) takes a call: 1 contact, and still free for chats.
    expect(offeredTo(h.router.enqueue({ id: 'call', queueId: 'calls' }, 10), 'call')).toBe('ada');
    h.router.accept('call', 'ada', 11);
    // ada re-ranked on chat by her new count, once: her entry of 0 contacts is gone, not doubled.
    expect(h.router.queueStats('chats', 11).idleAgents).toBe(2);
    expect(offeredTo(h.router.enqueue({ id: 'chat', queueId: 'chats' }, 12), 'chat')).toBe('bea');
  });

  it('does not count declined offers as contacts', () => {
    const h = single('fewest-contacts');
    h.login([agent('ada'), agent('bea')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 10);
    h.router.reject('t1', 'ada', 11);
    h.router.accept('t1', 'bea', 12);
    h.router.complete('t1', 13);
    expect(handle(h, 't2', 20, 10)).toBe('ada');
  });
});

describe('random', () => {
  it('draws from the injected random among the eligible idle agents only', () => {
    const draws = [0.99, 0, 0.5];
    const h = harness({
      queues: [voiceQueue('q', { strategy: 'random', skills: 'donor_care >= 5' })],
      random: () => draws.shift() ?? 0,
    });
    h.login([agent('ada'), agent('bea'), agent('cid'), agent('low', { skills: { donor_care: 1 } })]);
    const picks = ['t1', 't2', 't3'].map((id, i) =>
      offeredTo(h.router.enqueue({ id, queueId: 'q' }, 10 + i), id),
    );
    expect(new Set(picks)).toEqual(new Set(['ada', 'bea', 'cid']));
    expect(picks[0]).toBe('cid'); // 0.99 of [ada, bea, cid] is the last
  });

  it('spreads tasks roughly evenly with a seeded generator', () => {
    const h = harness({ queues: [voiceQueue('q', { strategy: 'random' })], random: createRandom(99) });
    const names = ['ada', 'bea', 'cid', 'dan'];
    h.login(names.map((id) => agent(id)));
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const id = handle(h, `t${i}`, 100 + i * 10, 1);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const name of names) expect(counts.get(name)).toBeGreaterThan(400);
  });

  it('refuses a random queue without an injected random', () => {
    expect(() => harness({ queues: [voiceQueue('q', { strategy: 'random' })] })).toThrow(
      /needs the router option `random`/,
    );
  });
});

describe('ring-all', () => {
  it('offers to every eligible idle agent; the first accept wins and the others are released', () => {
    const h = harness({ queues: [voiceQueue('q', { strategy: 'ring-all', skills: 'donor_care >= 5' })] });
    h.login([agent('ada'), agent('bea'), agent('low', { skills: { donor_care: 2 } }), agent('cid')]);
    const offered = offersIn(h.router.enqueue({ id: 't1', queueId: 'q' }, 10)).map((o) => o.agentId);
    expect(offered).toEqual(['ada', 'bea', 'cid']);
    const events = h.router.accept('t1', 'bea', 15);
    expect(
      events.filter((e) => e.type === 'task.offer_rescinded').map((e) => 'agentId' in e && e.agentId),
    ).toEqual(['ada', 'cid']);
    expect(h.router.getAgent('ada').state).toBe('available');
    expect(h.router.getAgent('bea').state).toBe('busy');
    expect(() => h.router.accept('t1', 'cid', 16)).toThrow(/no open offer/);
  });

  it('goes back to waiting only when every ringing agent has declined', () => {
    const h = harness({ queues: [voiceQueue('q', { strategy: 'ring-all' })], declineCooldownSeconds: 0 });
    h.login([agent('ada'), agent('bea')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 10);
    h.router.reject('t1', 'ada', 11);
    expect(h.router.getTask('t1')!.status).toBe('offered');
    expect(h.router.getTask('t1')!.offeredTo).toEqual(['bea']);
    h.router.reject('t1', 'bea', 12);
    // With no cooldown the task rings everyone again at once.
    expect(h.router.getTask('t1')!.offeredTo.sort()).toEqual(['ada', 'bea']);
  });
});

describe('every strategy', () => {
  it.each([
    'longest-idle',
    'least-occupied',
    'best-skill-then-longest-idle',
    'round-robin',
    'fewest-contacts',
    'random',
    'ring-all',
  ] as RoutingStrategy[])('%s offers only to agents of the organization with the skills', (strategy) => {
    const h = harness({
      queues: [voiceQueue('q', { strategy, skills: "language == 'it' && donor_care >= 5" })],
      random: createRandom(1),
    });
    h.login([
      agent('other-org', {
        organizations: ['ponti-aperti'],
        attributes: { language: 'it' },
        skills: { donor_care: 9 },
      }),
      agent('english', { attributes: { language: 'en' }, skills: { donor_care: 9 } }),
      agent('junior', { attributes: { language: 'it' }, skills: { donor_care: 4 } }),
      agent('chat-only', {
        attributes: { language: 'it' },
        skills: { donor_care: 9 },
        capacity: { chat: 3 },
      }),
      agent('right', { attributes: { language: 'it' }, skills: { donor_care: 5 } }),
    ]);
    const events = h.router.enqueue({ id: 't1', queueId: 'q' }, 10);
    expect(offersIn(events)).toEqual([{ taskId: 't1', agentId: 'right' }]);
    h.router.accept('t1', 'right', 11);
    expect(offersIn(h.router.enqueue({ id: 't2', queueId: 'q' }, 12))).toEqual([]);
    expect(h.router.queueStats('q', 12)).toMatchObject({ waiting: 1, idleAgents: 0 });
    expect(ORG).toBe('bisturi-gentile');
  });
});
