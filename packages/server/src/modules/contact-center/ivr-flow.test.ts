import { describe, expect, it } from 'vitest';
import { type IvrFlowDefinition, ivrFlowQueueKeys, validateIvrFlow } from './ivr-flow.ts';

// A flow like the demo's toll-free line: hours, then a menu, then queues.
const flow = (): IvrFlowDefinition => ({
  entry: 'open',
  nodes: {
    open: {
      type: 'hours',
      hours: {
        weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
        closedDates: ['2025-12-25'],
      },
      open: 'menu',
      closed: 'closed',
    },
    menu: {
      type: 'menu',
      prompt: 'welcome',
      digits: { '1': 'care', '2': 'sepa', '*': 'menu', '9': 'callback' },
      timeoutSeconds: 5,
      retries: 2,
      onFailure: 'care',
    },
    care: { type: 'queue', queue: 'donor-care' },
    sepa: { type: 'queue', queue: 'sepa' },
    callback: { type: 'callback_offer', prompt: 'we-call-you', queue: 'donor-care', declined: 'bye' },
    closed: { type: 'message', prompt: 'closed', next: 'voicemail' },
    voicemail: { type: 'voicemail', prompt: 'leave-a-message', queue: 'donor-care', maxSeconds: 120 },
    bye: { type: 'hangup' },
  },
});
const queueKeys = new Set(['donor-care', 'sepa']);
const fields = (definition: unknown) => validateIvrFlow(definition, { queueKeys }).map((p) => p.field);

describe('validateIvrFlow', () => {
  it('accepts a flow whose every node is reached and reaches an end', () => {
    expect(validateIvrFlow(flow(), { queueKeys })).toEqual([]);
  });

  it('names a target that does not exist, wherever it is', () => {
    const f = flow();
    (f.nodes.menu as { digits: Record<string, string> }).digits['3'] = 'nowhere';
    (f.nodes.closed as { next?: string }).next = 'gone';
    expect(fields(f)).toEqual(['body.definition.nodes.menu.digits.3', 'body.definition.nodes.closed.next']);
    expect(validateIvrFlow({ ...flow(), entry: 'start' }, { queueKeys })).toEqual([
      { field: 'body.definition.entry', message: "no node 'start'" },
    ]);
  });

  it("a callback offer's accepted path is a node of the flow", () => {
    const f = flow();
    const callback = f.nodes.callback as { accepted?: string };
    callback.accepted = 'bye';
    expect(fields(f)).toEqual([]);
    callback.accepted = 'thanks';
    expect(fields(f)).toEqual(['body.definition.nodes.callback.accepted']);
  });

  it('accepts only the keys 0-9, * and #', () => {
    const f = flow();
    (f.nodes.menu as { digits: Record<string, string> }).digits = {
      '1': 'care',
      '10': 'sepa',
      a: 'care',
      '#': 'bye',
    };
    expect(fields(f)).toEqual([
      'body.definition.nodes.menu.digits.10',
      'body.definition.nodes.menu.digits.a',
    ]);
  });

  it('keeps timeouts, retries and voicemail length in sensible ranges', () => {
    const f = flow();
    Object.assign(f.nodes.menu!, { timeoutSeconds: 0, retries: 6 });
    Object.assign(f.nodes.voicemail!, { maxSeconds: 3600 });
    expect(fields(f)).toEqual([
      'body.definition.nodes.menu.timeoutSeconds',
      'body.definition.nodes.menu.retries',
      'body.definition.nodes.voicemail.maxSeconds',
    ]);
  });

  it('refuses a queue the organization does not have', () => {
    const f = flow();
    Object.assign(f.nodes.sepa!, { queue: 'sepa-old' });
    expect(validateIvrFlow(f, { queueKeys })).toEqual([
      { field: 'body.definition.nodes.sepa.queue', message: "the organization has no queue 'sepa-old'" },
    ]);
  });

  it('reports nodes the entry never reaches', () => {
    const f = flow();
    f.nodes.orphan = { type: 'hangup' };
    expect(validateIvrFlow(f, { queueKeys })).toEqual([
      { field: 'body.definition.nodes.orphan', message: "is never reached from the entry 'open'" },
    ]);
  });

  it('reports nodes that can never reach a queue, message or hang-up (a loop)', () => {
    const loop: IvrFlowDefinition = {
      entry: 'a',
      nodes: {
        a: { type: 'menu', prompt: 'a', digits: { '1': 'b' }, timeoutSeconds: 5, retries: 1, onFailure: 'b' },
        b: { type: 'menu', prompt: 'b', digits: { '1': 'a' }, timeoutSeconds: 5, retries: 1, onFailure: 'a' },
      },
    };
    expect(fields(loop)).toEqual(['body.definition.nodes.a', 'body.definition.nodes.b']);
    // A menu without onFailure ends the call after its retries: no loop.
    const withExit = structuredClone(loop);
    delete (withExit.nodes.b as { onFailure?: string }).onFailure;
    expect(fields(withExit)).toEqual([]);
    (loop.nodes.b as { digits: Record<string, string> }).digits = { '1': 'a', '2': 'end' };
    loop.nodes.end = { type: 'hangup' };
    expect(fields(loop)).toEqual([]);
  });

  it('validates the hours of an hours node like a calling window', () => {
    const f = flow();
    Object.assign(f.nodes.open!, {
      hours: {
        timeZone: 'Mars/Olympus',
        weekly: [{ days: ['mon', 'funday'], from: '9:00', to: '18:00' }],
        closedDates: ['2025-02-30'],
      },
    });
    expect(fields(f)).toEqual([
      'body.definition.nodes.open.hours.weekly[0].days',
      'body.definition.nodes.open.hours.weekly[0].from',
      'body.definition.nodes.open.hours.closedDates[0]',
      'body.definition.nodes.open.hours.timeZone',
    ]);
  });

  it('refuses unknown node types, missing properties and stray ones', () => {
    expect(
      validateIvrFlow(
        {
          entry: 'a',
          nodes: { a: { type: 'dance' }, b: { type: 'queue' }, c: { type: 'hangup', prompt: 'x' } },
        },
        { queueKeys },
      ),
    ).toEqual([
      {
        field: 'body.definition.nodes.a.type',
        message: expect.stringContaining('must be one of hours, menu'),
      },
      { field: 'body.definition.nodes.b.queue', message: 'must name a queue by its key' },
      { field: 'body.definition.nodes.c.prompt', message: 'is not a property of a hangup node' },
    ]);
    expect(validateIvrFlow('flow')).toEqual([{ field: 'body.definition', message: expect.any(String) }]);
    expect(validateIvrFlow({ entry: 'a', nodes: {} })).toEqual([
      { field: 'body.definition.nodes', message: 'must have at least one node' },
    ]);
  });

  it('lists the queues a flow sends callers to', () => {
    expect([...ivrFlowQueueKeys(flow())].sort()).toEqual(['donor-care', 'sepa']);
  });
});
