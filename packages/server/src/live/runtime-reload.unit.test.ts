// The difference a configuration reload applies (runtime-reload.ts), without a database.
import { describe, expect, it } from 'vitest';
import { QUEUE_DEFAULTS } from '../modules/contact-center/queues.service.ts';
import type {
  RuntimeConfiguration,
  RuntimeOperator,
  RuntimeQueue,
} from '../modules/contact-center/runtime-config.service.ts';
import { diffConfiguration, linkFreeSpec } from './runtime-reload.ts';

const queue = (key: string, extra: Partial<RuntimeQueue> = {}): RuntimeQueue => ({
  id: `id-${key}`,
  orgId: 'org',
  key,
  name: key,
  ...QUEUE_DEFAULTS,
  createdAt: '2026-03-02T07:00:00.000Z',
  updatedAt: '2026-03-02T07:00:00.000Z',
  ...extra,
});

const operator = (userId: string, extra: Partial<RuntimeOperator> = {}): RuntimeOperator => ({
  userId,
  displayName: userId,
  organizationIds: ['a', 'b'],
  skills: { donor_care: 5, legacy: 3 },
  capacity: { voice: 1 },
  maxTasks: null,
  attributes: {},
  ...extra,
});

const config = (queues: RuntimeQueue[], operators: RuntimeOperator[]): RuntimeConfiguration => ({
  queues,
  operators,
  campaigns: [],
  numbers: [],
  ivrFlows: [],
  dispositions: [],
});

describe('diffConfiguration', () => {
  it('sees operators read in another row order as unchanged, and a new level as a change', () => {
    const before = [operator('ada'), operator('bea')];
    const reordered = operator('ada', { organizationIds: ['b', 'a'], skills: { legacy: 3, donor_care: 5 } });
    const diff = diffConfiguration({
      queues: [],
      operators: before,
      next: config(
        [],
        [reordered, operator('bea', { skills: { donor_care: 6, legacy: 3 } }), operator('cyd')],
      ),
    });
    expect(diff.changedOperators.map((op) => op.userId)).toEqual(['bea']);
    expect(diff.addedOperators.map((op) => op.userId)).toEqual(['cyd']);
    expect(diff.removedOperators).toEqual([]);
    const gone = diffConfiguration({ queues: [], operators: before, next: config([], [before[0]!]) });
    expect(gone.removedOperators).toEqual(['bea']);
  });

  it('updates a queue whose overflow adds a changed queue, and ignores a new name or timestamp', () => {
    const sepa = queue('sepa', { skillExpression: 'sepa >= 3' });
    const care = queue('care', { overflow: [{ afterSeconds: 60, addQueues: ['sepa'] }] });
    const other = queue('other', { name: 'Other' });
    const diff = diffConfiguration({
      queues: [sepa, care, other],
      operators: [],
      next: config(
        [
          { ...sepa, skillExpression: 'sepa >= 5' },
          care,
          { ...other, name: 'Renamed', updatedAt: '2026-03-03T07:00:00.000Z' },
          queue('new'),
        ],
        [],
      ),
    });
    expect(diff.changedQueues.map((q) => q.key)).toEqual(['sepa', 'care']);
    expect(diff.addedQueues.map((q) => q.key)).toEqual(['new']);
    expect(diff.removedQueues).toEqual([]);
  });
});

describe('linkFreeSpec', () => {
  it('drops the queues a new queue names, so that queues added together may name each other', () => {
    expect(
      linkFreeSpec({
        id: 'q',
        organizationId: 'org',
        channel: 'voice',
        maxWaitSeconds: 60,
        maxWaitQueueId: 'p',
        closed: 'transfer',
        closedQueueId: 'p',
        overflow: [{ afterSeconds: 30, addQueues: ['p'] }],
      }),
    ).toEqual({ id: 'q', organizationId: 'org', channel: 'voice', maxWaitSeconds: 60, closed: 'reject' });
  });
});
