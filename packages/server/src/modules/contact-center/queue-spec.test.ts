import { createRouter } from '@centralino/engine';
import { describe, expect, it } from 'vitest';
import { type QueueConfig, queueProblems, toRoutingQueueSpec } from './queue-spec.ts';

const queue = (key: string, changes: Partial<QueueConfig> = {}): QueueConfig => ({
  key,
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
  ...changes,
});
const org = { organizationId: 'alpha' };

describe('queueProblems (validation by the routing engine)', () => {
  it('accepts queues the router accepts', () => {
    const care = queue('care', {
      skillExpression: "donor_care >= 5 && language == 'it'",
      overflow: [
        { afterSeconds: 30, skills: 'donor_care >= 3' },
        { afterSeconds: 90, addQueues: ['sepa'] },
      ],
      maxWaitSeconds: 600,
      maxWaitQueueKey: 'sepa',
      hours: { weekly: [{ days: ['mon'], from: '09:00', to: '18:00' }] },
    });
    expect(queueProblems(care, [queue('sepa', { skillExpression: 'sepa' })], org)).toEqual([]);
  });

  it('names the column of a bad skill expression, on the API field', () => {
    const [problem] = queueProblems(queue('care', { skillExpression: 'donor_care >= 5 & sepa' }), [], org);
    expect(problem?.field).toBe('body.skillExpression');
    // Column 17 is the '&' (1-based), as the engine reports it.
    expect(problem?.message).toMatch(/^invalid skill expression at column 17: '&' is not an operator/);
  });

  it('maps overflow, transfer targets and hours to the API field names', () => {
    const cases: [Partial<QueueConfig>, string][] = [
      [{ overflow: [{ afterSeconds: 30, skills: 'a >= ' }] }, 'body.overflow[0].skills'],
      [{ overflow: [{ afterSeconds: 30, addQueues: ['nowhere'] }] }, 'body.overflow[0].addQueues'],
      [{ maxWaitSeconds: 60, maxWaitQueueKey: 'nowhere' }, 'body.maxWaitQueueKey'],
      [{ closedBehaviour: 'transfer', closedQueueKey: 'nowhere' }, 'body.closedQueueKey'],
      [{ hours: { weekly: [{ days: ['mon'], from: '18:00', to: '09:00' }] } }, 'body.hours.weekly[0]'],
    ];
    for (const [changes, field] of cases) {
      expect(queueProblems(queue('care', changes), [], org).map((p) => p.field)).toEqual([field]);
    }
  });

  it('finds a queue that would lose the queue it overflows to', () => {
    const others = [queue('care', { overflow: [{ afterSeconds: 30, addQueues: ['sepa'] }] })];
    expect(queueProblems(null, others, org)).toEqual([
      { field: 'queues.care.overflow[0].addQueues', message: "no queue 'sepa'" },
    ]);
  });

  it('gives the runtime router specs keyed by queue id with references resolved', () => {
    const ids = new Map([
      ['care', 'id-care'],
      ['sepa', 'id-sepa'],
    ]);
    const idOf = (key: string) => ids.get(key)!;
    const specs = [
      toRoutingQueueSpec(
        queue('care', { overflow: [{ afterSeconds: 30, addQueues: ['sepa'] }] }),
        'alpha',
        idOf,
      ),
      toRoutingQueueSpec(queue('sepa'), 'alpha', idOf),
    ];
    expect(specs[0]).toMatchObject({
      id: 'id-care',
      overflow: [{ afterSeconds: 30, addQueues: ['id-sepa'] }],
    });
    expect(specs[0]).not.toHaveProperty('skills');
    const router = createRouter({ queues: specs });
    expect(router.queueStats('id-care', 0).queueId).toBe('id-care');
  });
});
