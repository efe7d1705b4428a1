// Behaviour of the router a live contact center relies on: the agent state
// machine, offers and re-offers, ordering of waiting tasks, overflow, hours,
// maximum wait, blending, multi-channel capacity, events and errors.
import { describe, expect, it } from 'vitest';
import { agent, harness, ORG, offeredTo, offersIn, voiceQueue } from './router.test-support.ts';
import { RoutingError } from './routing.errors.ts';
import type { RoutingEvent } from './routing.types.ts';

const S = 1000;

function states(events: RoutingEvent[], agentId: string): string[] {
  return events.flatMap((e) =>
    e.type === 'agent.state_changed' && e.agentId === agentId
      ? [e.reason ? `${e.to}(${e.reason})` : e.to]
      : [],
  );
}

function types(events: RoutingEvent[]): string[] {
  return events.map((e) => e.type);
}

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof RoutingError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('agent state machine', () => {
  it('goes offline → available → reserved → busy → wrap_up → available, with timestamps', () => {
    const h = harness({ queues: [voiceQueue('q', { wrapUpSeconds: 30 })] });
    h.login([agent('ada')], 1 * S);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 2 * S);
    h.router.accept('t1', 'ada', 5 * S);
    h.router.complete('t1', 65 * S);
    h.router.tick(200 * S);
    const changes = h.log.filter((e) => e.type === 'agent.state_changed');
    expect(changes.map((e) => [e.at, 'from' in e && e.from, 'to' in e && e.to])).toEqual([
      [1 * S, 'offline', 'available'],
      [2 * S, 'available', 'reserved'],
      [5 * S, 'reserved', 'busy'],
      [65 * S, 'busy', 'wrap_up'],
      [95 * S, 'wrap_up', 'available'], // wrap-up timer: 30 s after the end, not at the tick
    ]);
    expect(types(h.log.filter((e) => e.type.startsWith('task.')))).toEqual([
      'task.queued',
      'task.offered',
      'task.accepted',
      'task.completed',
      'task.wrap_ended',
    ]);
  });

  it('defers not_ready behind the call in progress and keeps its reason', () => {
    const h = harness({ queues: [voiceQueue('q')] });
    h.login([agent('ada')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 10);
    h.router.accept('t1', 'ada', 20);
    expect(h.router.setAgentState('ada', 'not_ready', 30, 'break')).toEqual([]);
    expect(h.router.getAgent('ada')).toMatchObject({ state: 'busy', presence: 'not_ready' });
    h.router.enqueue({ id: 't2', queueId: 'q' }, 40);
    h.router.complete('t1', 50);
    // Not offered t2: the agent asked for a break.
    expect(states(h.log, 'ada').slice(-1)).toEqual(['not_ready(break)']);
    expect(h.router.getTask('t2')!.status).toBe('waiting');
    h.router.setAgentState('ada', 'not_ready', 60, 'training');
    expect(states(h.log, 'ada').slice(-1)).toEqual(['not_ready(training)']);
    expect(offeredTo(h.router.setAgentState('ada', 'available', 70), 't2')).toBe('ada');
  });

  it('rescinds a ringing offer when the agent goes not_ready, and re-offers the task elsewhere', () => {
    const h = harness({ queues: [voiceQueue('q')] });
    h.login([agent('ada'), agent('bea')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 10);
    const events = h.router.setAgentState('ada', 'not_ready', 20, 'toilet');
    expect(types(events)).toEqual([
      'task.offer_rescinded',
      'agent.state_changed',
      'task.offered',
      'agent.state_changed',
    ]);
    expect(offeredTo(events, 't1')).toBe('bea');
  });

  it('puts an agent not_ready(missed_offers) after N consecutive timed-out offers', () => {
    const h = harness({ queues: [voiceQueue('q')], maxMissedOffers: 2, offerTimeoutSeconds: 10 });
    h.login([agent('ada')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 0);
    h.router.enqueue({ id: 't2', queueId: 'q' }, 0);
    // t1 times out at 10 s; t2 is offered; it times out at 20 s: second miss.
    const events = h.router.tick(25 * S);
    expect(types(events)).toEqual([
      'task.offer_timed_out',
      'agent.state_changed',
      'task.offered',
      'agent.state_changed',
      'task.offer_timed_out',
      'agent.state_changed',
    ]);
    expect(events.map((e) => e.at)).toEqual([10 * S, 10 * S, 10 * S, 10 * S, 20 * S, 20 * S]);
    expect(states(events, 'ada').slice(-1)).toEqual(['not_ready(missed_offers)']);
    expect(h.router.getAgent('ada').consecutiveMissedOffers).toBe(2);
    // Logging in again clears the count.
    h.router.setAgentState('ada', 'available', 30 * S);
    expect(h.router.getAgent('ada').consecutiveMissedOffers).toBe(0);
  });

  it('resets the missed count on an accepted offer', () => {
    const h = harness({ queues: [voiceQueue('q')], maxMissedOffers: 2, offerTimeoutSeconds: 10 });
    h.login([agent('ada')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 0);
    h.router.timeoutOffer('t1', 'ada', 5 * S);
    expect(h.router.getAgent('ada').consecutiveMissedOffers).toBe(1);
    // With only ada eligible, t1 comes back after the decline cooldown (30 s).
    expect(offeredTo(h.router.tick(35 * S), 't1')).toBe('ada');
    h.router.accept('t1', 'ada', 36 * S);
    expect(h.router.getAgent('ada').consecutiveMissedOffers).toBe(0);
  });

  it('refuses reserved/busy as requested states and removing an agent with work', () => {
    const h = harness({ queues: [voiceQueue('q')] });
    h.login([agent('ada')]);
    expect(codeOf(() => h.router.setAgentState('ada', 'busy' as 'available', 1))).toBe(
      'ROUTING_INVALID_TRANSITION',
    );
    expect(codeOf(() => h.router.removeAgent('ada', 1))).toBe('ROUTING_INVALID_TRANSITION');
    h.router.setAgentState('ada', 'offline', 2);
    h.router.removeAgent('ada', 3);
    expect(codeOf(() => h.router.getAgent('ada'))).toBe('ROUTING_UNKNOWN_AGENT');
  });
});

describe('offers', () => {
  it('re-offers a rejected task to the next agent, before newer tasks, without losing its place', () => {
    const h = harness({ queues: [voiceQueue('q')] });
    h.login([agent('ada')]);
    // ada busy; three tasks wait in order.
    h.router.enqueue({ id: 't0', queueId: 'q' }, 10);
    h.router.accept('t0', 'ada', 10);
    for (const id of ['t1', 't2', 't3']) h.router.enqueue({ id, queueId: 'q' }, 20);
    h.router.complete('t0', 30);
    expect(h.router.getTask('t1')!.status).toBe('offered');
    // ada rejects t1: it gets t2 instead (t1 is not pushed back at her right away)…
    expect(offeredTo(h.router.reject('t1', 'ada', 40), 't2')).toBe('ada');
    // …and t1 is still first in line: the next agent gets it, not t3.
    h.router.addAgent(agent('bea'), 50);
    expect(offeredTo(h.router.setAgentState('bea', 'available', 50), 't1')).toBe('bea');
  });

  it('times offers out by itself at the exact expiry time', () => {
    const h = harness({ queues: [voiceQueue('q', { offerTimeoutSeconds: 8 })] });
    h.login([agent('ada'), agent('bea')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 1 * S);
    expect(h.router.nextTimerAt()).toBe(9 * S);
    const events = h.router.tick(60 * S);
    expect(events[0]).toMatchObject({ type: 'task.offer_timed_out', at: 9 * S, agentId: 'ada' });
    expect(events.find((e) => e.type === 'task.offered')).toMatchObject({ at: 9 * S, agentId: 'bea' });
  });

  it('answers a late accept with ROUTING_OFFER_GONE and still returns the timeout events', () => {
    const h = harness({ queues: [voiceQueue('q')] });
    h.login([agent('ada'), agent('bea')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 0);
    expect(codeOf(() => h.router.accept('t1', 'ada', 25 * S))).toBe('ROUTING_OFFER_GONE');
    // The timeout at 20 s (and the re-offer to bea) happened inside the failed call.
    expect(types(h.router.tick(25 * S))).toEqual([
      'task.offer_timed_out',
      'agent.state_changed',
      'task.offered',
      'agent.state_changed',
    ]);
  });

  it('rescinds the offer when the caller hangs up while ringing', () => {
    const h = harness({ queues: [voiceQueue('q')] });
    h.login([agent('ada')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 0);
    const events = h.router.abandon('t1', 3 * S);
    expect(events.slice(0, 2)).toMatchObject([
      { type: 'task.abandoned', waitMs: 3 * S },
      { type: 'task.offer_rescinded', agentId: 'ada', reason: 'task_abandoned' },
    ]);
    expect(h.router.getAgent('ada').state).toBe('available');
    expect(h.router.getTask('t1')).toBeUndefined();
    expect(codeOf(() => h.router.complete('t1', 4 * S))).toBe('ROUTING_UNKNOWN_TASK');
  });
});

describe('ordering of waiting tasks', () => {
  function busyRouter(aging?: { priorityWeightSeconds: number }) {
    const h = harness({
      queues: [voiceQueue('q'), voiceQueue('vip', { priority: 5 })],
      ...(aging ? { aging } : {}),
    });
    h.login([agent('ada')]);
    h.router.enqueue({ id: 'busy', queueId: 'q' }, 0);
    h.router.accept('busy', 'ada', 0);
    return h;
  }

  it('serves higher priority first, then the longest wait', () => {
    const h = busyRouter();
    h.router.enqueue({ id: 'old', queueId: 'q' }, 1 * S);
    h.router.enqueue({ id: 'urgent', queueId: 'q', priority: 3 }, 2 * S);
    h.router.enqueue({ id: 'vip', queueId: 'vip' }, 3 * S);
    h.router.enqueue({ id: 'new', queueId: 'q' }, 4 * S);
    const order: string[] = [];
    let at = 10 * S;
    let current = 'busy';
    for (let i = 0; i < 4; i++) {
      const next = offersIn(h.router.complete(current, at))[0]!.taskId;
      h.router.accept(next, 'ada', at);
      order.push(next);
      current = next;
      at += S;
    }
    expect(order).toEqual(['vip', 'urgent', 'old', 'new']);
  });

  it('with aging, a long wait overtakes a higher priority (score = priority × weight + seconds waited)', () => {
    const h = busyRouter({ priorityWeightSeconds: 60 });
    // At 200 s: old waited 190 s → 0 × 60 + 190 = 190; urgent (priority 2) waited 100 s → 120 + 100 = 220.
    h.router.enqueue({ id: 'old', queueId: 'q' }, 10 * S);
    h.router.enqueue({ id: 'urgent', queueId: 'q', priority: 2 }, 100 * S);
    expect(offersIn(h.router.complete('busy', 200 * S))[0]!.taskId).toBe('urgent');
    const h2 = busyRouter({ priorityWeightSeconds: 60 });
    // old waited 190 s → 190; urgent (priority 2) waited 60 s → 180: old first.
    h2.router.enqueue({ id: 'old', queueId: 'q' }, 10 * S);
    h2.router.enqueue({ id: 'urgent', queueId: 'q', priority: 2 }, 140 * S);
    expect(offersIn(h2.router.complete('busy', 200 * S))[0]!.taskId).toBe('old');
  });

  it('a task enqueued with an earlier enqueuedAt keeps that place and counts its wait from it (a callback)', () => {
    const h = busyRouter();
    h.router.enqueue({ id: 'caller', queueId: 'q' }, 20 * S);
    // The callback's caller began waiting at 5 s, before 'caller' did: it is served first.
    h.router.enqueue({ id: 'callback', queueId: 'q', kind: 'callback', enqueuedAt: 5 * S }, 30 * S);
    expect(h.router.getTask('callback')!.firstQueuedAt).toBe(5 * S);
    expect(h.router.queueStats('q', 30 * S).oldestQueuedAt).toBe(5 * S);
    expect(offersIn(h.router.complete('busy', 40 * S))[0]!.taskId).toBe('callback');
    const accepted = h.router.accept('callback', 'ada', 41 * S).find((e) => e.type === 'task.accepted');
    expect(accepted).toMatchObject({ waitMs: 36 * S });
    expect(codeOf(() => h.router.enqueue({ id: 'future', queueId: 'q', enqueuedAt: 60 * S }, 50 * S))).toBe(
      'ROUTING_INVALID_CONFIG',
    );
  });
});

describe('overflow', () => {
  it('widens the skills after 30 s and adds another queue’s agents after 90 s', () => {
    const h = harness({
      queues: [
        voiceQueue('care', {
          skills: 'donor_care >= 7',
          overflow: [
            { afterSeconds: 30, skills: 'donor_care >= 3' },
            { afterSeconds: 90, addQueues: ['sepa'] },
          ],
        }),
        voiceQueue('sepa', { skills: 'sepa >= 1' }),
      ],
    });
    h.login([agent('mid', { skills: { donor_care: 4 } }), agent('sepa-only', { skills: { sepa: 5 } })]);
    h.router.enqueue({ id: 't1', queueId: 'care' }, 0);
    h.router.enqueue({ id: 't2', queueId: 'care' }, 10 * S);
    expect(offersIn(h.log)).toEqual([]);
    const at30 = h.router.tick(35 * S);
    expect(at30.slice(0, 2)).toMatchObject([
      { type: 'task.overflowed', at: 30 * S, taskId: 't1', stage: 1 },
      { type: 'task.offered', at: 30 * S, taskId: 't1', agentId: 'mid' },
    ]);
    h.router.accept('t1', 'mid', 35 * S);
    // t2 reaches step 1 at 40 s (mid is busy), step 2 at 100 s: sepa-only may take it.
    const at100 = h.router.tick(110 * S);
    expect(at100.filter((e) => e.type !== 'agent.state_changed')).toMatchObject([
      { type: 'task.overflowed', at: 40 * S, taskId: 't2', stage: 1 },
      { type: 'task.overflowed', at: 100 * S, taskId: 't2', stage: 2 },
      { type: 'task.offered', at: 100 * S, taskId: 't2', agentId: 'sepa-only' },
    ]);
  });

  it('never lends an agent of another organization through addQueues', () => {
    const h = harness({
      queues: [
        voiceQueue('care', {
          skills: 'donor_care >= 7',
          overflow: [{ afterSeconds: 30, addQueues: ['other'] }],
        }),
        { id: 'other', organizationId: 'ponti-aperti', channel: 'voice', skills: 'sepa >= 1' },
      ],
    });
    h.login([agent('foreign', { organizations: ['ponti-aperti'], skills: { sepa: 9 } })]);
    h.router.enqueue({ id: 't1', queueId: 'care' }, 0);
    expect(offersIn(h.router.tick(120 * S))).toEqual([]);
  });
});

describe('maximum wait', () => {
  it('times a task out, or transfers it to the fallback queue keeping its original queue time', () => {
    const h = harness({
      queues: [
        voiceQueue('q', { maxWaitSeconds: 60, skills: 'donor_care >= 9' }),
        voiceQueue('q2', { maxWaitSeconds: 60, skills: 'donor_care >= 9', maxWaitQueueId: 'voicemail' }),
        voiceQueue('voicemail', { skills: 'donor_care >= 1' }),
      ],
    });
    h.login([agent('ada', { skills: { donor_care: 5 } })], 0);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 1 * S);
    h.router.enqueue({ id: 't2', queueId: 'q2' }, 2 * S);
    const events = h.router.tick(62 * S);
    expect(events.filter((e) => e.type.startsWith('task.'))).toMatchObject([
      { type: 'task.timed_out', at: 61 * S, taskId: 't1', waitMs: 60 * S },
      {
        type: 'task.transferred',
        at: 62 * S,
        taskId: 't2',
        fromQueueId: 'q2',
        queueId: 'voicemail',
        reason: 'max_wait',
      },
      { type: 'task.queued', at: 62 * S, taskId: 't2', queueId: 'voicemail' },
      { type: 'task.offered', at: 62 * S, taskId: 't2', agentId: 'ada' },
    ]);
    h.router.accept('t2', 'ada', 63 * S);
    expect(h.log.find((e) => e.type === 'task.accepted')).toMatchObject({ waitMs: 61 * S });
  });
});

describe('closed hours', () => {
  // 2025-03-03 is a Monday. Rome is UTC+1 in winter: 09:00 local = 08:00Z.
  const hours = {
    weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '09:00', to: '18:00' }],
  };
  const at = (iso: string) => Date.parse(iso);
  const queues = [
    voiceQueue('reject', { hours: { weekly: [...hours.weekly.map((p) => ({ ...p, days: [...p.days] }))] } }),
    voiceQueue('hold', {
      channel: 'email',
      closed: 'hold',
      hours: { weekly: hours.weekly.map((p) => ({ ...p, days: [...p.days] })) },
    }),
    voiceQueue('transfer', {
      closed: 'transfer',
      closedQueueId: 'night',
      hours: { weekly: hours.weekly.map((p) => ({ ...p, days: [...p.days] })) },
    }),
    voiceQueue('night'),
  ];

  it('rejects, holds until opening, or transfers a task arriving while closed', () => {
    const h = harness({ queues });
    h.login([agent('ada', { capacity: { voice: 1, email: 5 } })], at('2025-03-03T06:00:00Z'));
    const night = at('2025-03-03T07:00:00Z'); // 08:00 in Rome: closed
    expect(h.router.enqueue({ id: 'call', queueId: 'reject' }, night)).toMatchObject([
      { type: 'task.rejected', reason: 'closed', queueId: 'reject' },
    ]);
    expect(h.router.enqueue({ id: 'mail', queueId: 'hold' }, night)).toMatchObject([
      { type: 'task.queued', held: true },
    ]);
    const transferred = h.router.enqueue({ id: 'late', queueId: 'transfer' }, night + 1);
    expect(transferred.slice(0, 3)).toMatchObject([
      { type: 'task.transferred', fromQueueId: 'transfer', queueId: 'night', reason: 'closed' },
      { type: 'task.queued', queueId: 'night' },
      { type: 'task.offered', agentId: 'ada' },
    ]);
    h.router.accept('late', 'ada', night + 2);
    // The held e-mail is released at 09:00 Rome, to the minute.
    const opening = h.router.tick(at('2025-03-03T09:00:00Z'));
    expect(opening.slice(0, 2)).toMatchObject([
      { type: 'task.released', at: at('2025-03-03T08:00:00Z'), taskId: 'mail' },
      { type: 'task.offered', at: at('2025-03-03T08:00:00Z'), taskId: 'mail', agentId: 'ada' },
    ]);
    expect(h.router.queueStats('reject', at('2025-03-03T09:00:00Z')).open).toBe(true);
  });

  it('still serves tasks that were waiting when the queue closed', () => {
    const h = harness({ queues });
    h.login([agent('ada')], at('2025-03-03T16:00:00Z'));
    h.router.enqueue({ id: 'busy', queueId: 'reject' }, at('2025-03-03T16:30:00Z'));
    h.router.accept('busy', 'ada', at('2025-03-03T16:30:00Z'));
    h.router.enqueue({ id: 'waiting', queueId: 'reject' }, at('2025-03-03T16:59:00Z')); // 17:59 Rome
    const afterClosing = h.router.complete('busy', at('2025-03-03T17:10:00Z')); // 18:10 Rome
    expect(offeredTo(afterClosing, 'waiting')).toBe('ada');
  });

  it('treats listed holidays as closed all day', () => {
    const h = harness({
      queues: [
        voiceQueue('q', {
          hours: { weekly: [{ days: ['mon'], from: '00:00', to: '24:00' }], closedDates: ['2025-03-03'] },
        }),
      ],
    });
    expect(h.router.enqueue({ id: 't', queueId: 'q' }, at('2025-03-03T12:00:00Z'))[0]!.type).toBe(
      'task.rejected',
    );
  });
});

describe('blending', () => {
  const queues = [voiceQueue('inbound'), voiceQueue('outbound', { direction: 'outbound', priority: 10 })];

  it('gives a freed agent the waiting inbound task before an older, higher-priority outbound one', () => {
    const h = harness({ queues });
    h.login([agent('ada')]);
    h.router.enqueue({ id: 'busy', queueId: 'inbound' }, 0);
    h.router.accept('busy', 'ada', 0);
    h.router.enqueue({ id: 'preview', queueId: 'outbound' }, 1 * S);
    h.router.enqueue({ id: 'call', queueId: 'inbound' }, 5 * S);
    expect(offersIn(h.router.complete('busy', 10 * S))).toEqual([{ taskId: 'call', agentId: 'ada' }]);
  });

  it('honours a per-queue reserve over the router default', () => {
    const h = harness({
      queues: [voiceQueue('inbound', { inboundReserve: 0 }), queues[1]!],
      blending: { inboundReserve: 5 },
    });
    h.login([agent('ada')]);
    expect(offeredTo(h.router.enqueue({ id: 'p1', queueId: 'outbound' }, 10), 'p1')).toBe('ada');
  });

  it('keeps inboundReserve idle agents back from outbound work', () => {
    const h = harness({ queues, blending: { inboundReserve: 1 } });
    h.login([agent('ada'), agent('bea')]);
    expect(offeredTo(h.router.enqueue({ id: 'p1', queueId: 'outbound' }, 10), 'p1')).toBe('ada');
    // bea is the last idle inbound agent: held back.
    expect(offersIn(h.router.enqueue({ id: 'p2', queueId: 'outbound' }, 20))).toEqual([]);
    // An inbound call takes bea at once.
    expect(offeredTo(h.router.enqueue({ id: 'call', queueId: 'inbound' }, 30), 'call')).toBe('bea');
  });

  it('never gives an outbound task to an agent needed by an inbound task already waiting', () => {
    // The only agent declined the inbound call and is in its cooldown: idle, and
    // the inbound call waits for her. A preview must not take her.
    const h = harness({ queues });
    h.login([agent('ada')]);
    h.router.enqueue({ id: 'call', queueId: 'inbound' }, 0);
    h.router.reject('call', 'ada', 1 * S);
    expect(offersIn(h.router.enqueue({ id: 'preview', queueId: 'outbound' }, 2 * S))).toEqual([]);
    // After the cooldown the inbound call, not the preview, is offered to her.
    expect(offersIn(h.router.tick(40 * S))).toEqual([{ taskId: 'call', agentId: 'ada' }]);
  });
});

describe('capacity per channel', () => {
  it('fills chat slots up to capacity, spreading across agents by load', () => {
    const h = harness({ queues: [voiceQueue('chat', { channel: 'chat' }), voiceQueue('q')] });
    h.login([
      agent('ada', { capacity: { chat: 3, voice: 1 }, maxTasks: 3 }),
      agent('bea', { capacity: { chat: 2 } }),
    ]);
    const picks = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id, i) => {
      const offer = offersIn(h.router.enqueue({ id, queueId: 'chat' }, 10 + i))[0];
      if (offer) h.router.accept(id, offer.agentId, 10 + i);
      return offer?.agentId ?? null;
    });
    // Fewest taken slots first, then longest idle: ada, bea, ada, bea, ada; then both full.
    expect(picks).toEqual(['ada', 'bea', 'ada', 'bea', 'ada', null]);
    expect(h.router.getAgent('ada').load).toEqual({ chat: 3 });
    // ada's maxTasks (3) also keeps voice away from her.
    expect(offersIn(h.router.enqueue({ id: 'v1', queueId: 'q' }, 20))).toEqual([]);
    expect(offeredTo(h.router.complete('c1', 30), 'c6')).toBe('ada');
  });
});

describe('determinism and errors', () => {
  function script() {
    const h = harness({
      queues: [voiceQueue('q', { wrapUpSeconds: 5, overflow: [{ afterSeconds: 10, skills: 'true' }] })],
    });
    h.login([agent('ada'), agent('bea', { skills: { donor_care: 1 } })]);
    for (let i = 0; i < 5; i++) h.router.enqueue({ id: `t${i}`, queueId: 'q' }, 100 + i);
    h.router.reject('t0', 'ada', 200);
    h.router.tick(60 * S);
    return h.log;
  }

  it('gives the same events for the same inputs', () => {
    expect(JSON.stringify(script())).toBe(JSON.stringify(script()));
  });

  it('names what is wrong in configuration and calls', () => {
    expect(codeOf(() => harness({ queues: [voiceQueue('q'), voiceQueue('q')] }))).toBe(
      'ROUTING_DUPLICATE_ID',
    );
    expect(() => harness({ queues: [voiceQueue('q', { skills: 'donor_care >= ' })] })).toThrow(
      /queues\.q\.skills: invalid skill expression at column 15/,
    );
    expect(() =>
      harness({ queues: [voiceQueue('q', { overflow: [{ afterSeconds: 30, addQueues: ['nope'] }] })] }),
    ).toThrow(/queues\.q\.overflow\[0\]\.addQueues: no queue 'nope'/);
    expect(() => harness({ queues: [voiceQueue('q', { channel: 'fax' as 'voice' })] })).toThrow(
      /unknown channel 'fax'/,
    );
    expect(() =>
      harness({
        queues: [voiceQueue('q', { hours: { weekly: [{ days: ['mon'], from: '9', to: '18:00' }] } })],
      }),
    ).toThrow(/queues\.q\.hours\.weekly\[0\]\.from: expected a clock time HH:MM/);
    const h = harness({ queues: [voiceQueue('q')] });
    expect(codeOf(() => h.router.enqueue({ id: 't', queueId: 'nope' }, 0))).toBe('ROUTING_UNKNOWN_QUEUE');
    h.router.enqueue({ id: 't', queueId: 'q' }, 10);
    expect(codeOf(() => h.router.enqueue({ id: 't', queueId: 'q' }, 10))).toBe('ROUTING_DUPLICATE_ID');
    expect(codeOf(() => h.router.tick(5))).toBe('ROUTING_TIME_WENT_BACKWARDS');
    expect(codeOf(() => h.router.complete('t', 20))).toBe('ROUTING_INVALID_TRANSITION');
    expect(codeOf(() => h.router.addAgent(agent('x', { capacity: { voice: 1.5 } }), 20))).toBe(
      'ROUTING_INVALID_CONFIG',
    );
    expect(ORG).toBe('bisturi-gentile');
  });
});
