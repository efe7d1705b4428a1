// updateQueue: an admin changes a queue while the center runs. Waiting tasks
// keep their place, calls in progress are not disturbed, and the new settings
// decide from the next decision on.
import { describe, expect, it } from 'vitest';
import { agent, harness, offeredTo, offersIn, voiceQueue } from './router.test-support.ts';
import { RoutingError } from './routing.errors.ts';

const S = 1000;

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof RoutingError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('updateQueue', () => {
  it('a new skill expression lets an idle agent take the tasks waiting, oldest first', () => {
    const h = harness({ queues: [voiceQueue('q', { skills: 'donor_care >= 8' })] });
    h.login([agent('ada', { skills: { donor_care: 5 } })]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 1 * S);
    h.router.enqueue({ id: 't2', queueId: 'q' }, 2 * S);
    expect(h.router.getTask('t1')!.status).toBe('waiting');
    const events = h.router.updateQueue(voiceQueue('q', { skills: 'donor_care >= 5' }), 3 * S);
    expect(offeredTo(events, 't1')).toBe('ada');
    expect(h.router.getTask('t2')).toMatchObject({ status: 'waiting', firstQueuedAt: 2 * S });
    // The waiting task is still served next, by the new expression.
    h.router.reject('t1', 'ada', 4 * S);
    expect(h.router.queueStats('q', 4 * S)).toMatchObject({ waiting: 1 });
  });

  it('a narrower expression leaves the ringing offer and the call in progress alone, and applies to the next offer', () => {
    const h = harness({ queues: [voiceQueue('q')] });
    h.login([agent('ada', { skills: { donor_care: 3 } }), agent('bea', { skills: { donor_care: 9 } })]);
    expect(offeredTo(h.router.enqueue({ id: 't1', queueId: 'q' }, 1 * S), 't1')).toBe('ada');
    expect(offeredTo(h.router.enqueue({ id: 't2', queueId: 'q' }, 2 * S), 't2')).toBe('bea');
    h.router.accept('t2', 'bea', 3 * S);
    const events = h.router.updateQueue(voiceQueue('q', { skills: 'donor_care >= 5' }), 4 * S);
    expect(events).toEqual([]);
    expect(h.router.getTask('t1')).toMatchObject({ status: 'offered', offeredTo: ['ada'] });
    h.router.accept('t1', 'ada', 5 * S);
    h.router.complete('t1', 6 * S);
    h.router.complete('t2', 7 * S);
    // ada no longer qualifies: the next task goes to bea although ada has been idle longer.
    expect(offeredTo(h.router.enqueue({ id: 't3', queueId: 'q' }, 8 * S), 't3')).toBe('bea');
  });

  it('keeps the place of waiting tasks across a change of priority and strategy', () => {
    const h = harness({
      queues: [voiceQueue('low', { priority: 0 }), voiceQueue('high', { priority: 5 })],
    });
    h.login([agent('ada')]);
    h.router.enqueue({ id: 'x', queueId: 'high' }, 1 * S);
    h.router.accept('x', 'ada', 2 * S);
    h.router.enqueue({ id: 'l1', queueId: 'low' }, 3 * S);
    h.router.enqueue({ id: 'h1', queueId: 'high' }, 4 * S);
    h.router.enqueue({ id: 'l2', queueId: 'low' }, 5 * S);
    // The low queue now outranks the high one; its tasks keep their order among themselves.
    h.router.updateQueue(voiceQueue('low', { priority: 9, strategy: 'round-robin' }), 6 * S);
    expect(h.router.getTask('l1')!.priority).toBe(9);
    expect(offeredTo(h.router.complete('x', 7 * S), 'l1')).toBe('ada');
    h.router.accept('l1', 'ada', 8 * S);
    expect(offeredTo(h.router.complete('l1', 9 * S), 'l2')).toBe('ada');
    h.router.accept('l2', 'ada', 10 * S);
    expect(offeredTo(h.router.complete('l2', 11 * S), 'h1')).toBe('ada');
  });

  it('places a waiting task in the overflow step its wait has reached under the new steps', () => {
    const h = harness({ queues: [voiceQueue('q', { skills: 'donor_care >= 8' })] });
    h.login([agent('ada', { skills: { donor_care: 4 } })]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 0);
    h.router.enqueue({ id: 't2', queueId: 'q' }, 50 * S);
    const overflow = [{ afterSeconds: 60, skills: 'donor_care >= 3' }];
    // At 70 s, t1 has waited past the new step's 60 s, t2 has not.
    const events = h.router.updateQueue(voiceQueue('q', { skills: 'donor_care >= 8', overflow }), 70 * S);
    expect(offeredTo(events, 't1')).toBe('ada');
    expect(h.router.getTask('t2')).toMatchObject({ status: 'waiting', stage: 0 });
    h.router.accept('t1', 'ada', 71 * S);
    h.router.complete('t1', 80 * S);
    expect(h.router.getTask('t2')!.status).toBe('waiting');
    // t2 reaches the step 60 s after its own entry.
    expect(offeredTo(h.router.tick(110 * S), 't2')).toBe('ada');
    expect(h.log.some((e) => e.type === 'task.overflowed' && e.taskId === 't2' && e.at === 110 * S)).toBe(
      true,
    );
  });

  it('counts a new maximum wait from the task’s entry, and a new wrap-up applies to the next conversation', () => {
    const h = harness({ queues: [voiceQueue('q', { wrapUpSeconds: 10 })] });
    h.login([agent('ada')]);
    h.router.enqueue({ id: 't1', queueId: 'q' }, 0);
    h.router.accept('t1', 'ada', 1 * S);
    h.router.enqueue({ id: 't2', queueId: 'q' }, 2 * S);
    h.router.updateQueue(voiceQueue('q', { wrapUpSeconds: 100, maxWaitSeconds: 30 }), 3 * S);
    expect(h.router.nextTimerAt()).toBe(32 * S);
    const expired = h.router.tick(32 * S);
    expect(expired.map((e) => e.type)).toEqual(['task.timed_out']);
    h.router.complete('t1', 40 * S);
    expect(h.router.getAgent('ada').state).toBe('wrap_up');
    h.router.tick(139 * S);
    expect(h.router.getAgent('ada').state).toBe('wrap_up');
    h.router.tick(140 * S);
    expect(h.router.getAgent('ada').state).toBe('available');
  });

  it('releases tasks held for closed hours when the hours are removed', () => {
    const closed = { weekly: [{ days: ['sun' as const], from: '00:00', to: '00:01' }] };
    const h = harness({ queues: [voiceQueue('q', { hours: closed, closed: 'hold' })] });
    h.login([agent('ada')]);
    // 1970-01-01 was a Thursday: closed.
    expect(h.router.enqueue({ id: 't1', queueId: 'q' }, 1 * S)[0]).toMatchObject({
      type: 'task.queued',
      held: true,
    });
    const events = h.router.updateQueue(voiceQueue('q'), 2 * S);
    expect(events.map((e) => e.type)).toEqual(['task.released', 'task.offered', 'agent.state_changed']);
    expect(offeredTo(events, 't1')).toBe('ada');
  });

  it('decides by the expression in force after several changes (earlier eligibility groups dropped)', () => {
    const h = harness({ queues: [voiceQueue('q', { skills: 'donor_care >= 8' })] });
    h.login([agent('ada', { skills: { donor_care: 9 } }), agent('bea', { skills: { donor_care: 2 } })]);
    for (let level = 1; level <= 5; level++)
      h.router.updateQueue(voiceQueue('q', { skills: `donor_care >= ${level}` }), level * S);
    // The expression now in force decides; the old ones no longer hold any agent.
    expect(h.router.queueStats('q', 6 * S).idleAgents).toBe(1);
    h.router.updateAgent(agent('bea', { skills: { donor_care: 6 } }), 6 * S);
    expect(h.router.queueStats('q', 7 * S).idleAgents).toBe(2);
    expect(offersIn(h.router.enqueue({ id: 't1', queueId: 'q' }, 8 * S))).toHaveLength(1);
  });

  it('refuses an unknown queue, a change of organization or channel, and a bad spec without changing anything', () => {
    const h = harness({ queues: [voiceQueue('q', { skills: 'donor_care >= 5' })] });
    h.login([agent('ada', { skills: { donor_care: 3 } })]);
    expect(codeOf(() => h.router.updateQueue(voiceQueue('nope'), 1))).toBe('ROUTING_UNKNOWN_QUEUE');
    expect(codeOf(() => h.router.updateQueue({ ...voiceQueue('q'), organizationId: 'other' }, 1))).toBe(
      'ROUTING_INVALID_CONFIG',
    );
    expect(codeOf(() => h.router.updateQueue({ ...voiceQueue('q'), channel: 'chat' }, 1))).toBe(
      'ROUTING_INVALID_CONFIG',
    );
    const bad = voiceQueue('q', {
      skills: 'donor_care >= 1',
      overflow: [{ afterSeconds: 10, skills: '>>' }],
    });
    expect(codeOf(() => h.router.updateQueue(bad, 1))).toBe('ROUTING_INVALID_EXPRESSION');
    // Still the old expression: ada does not qualify.
    h.router.enqueue({ id: 't1', queueId: 'q' }, 2);
    expect(h.router.getTask('t1')!.status).toBe('waiting');
  });
});
