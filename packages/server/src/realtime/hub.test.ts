import { describe, expect, it } from 'vitest';
import { createRealtimeHub, type StoredEvent } from './hub.ts';

const ORG = '00000000-0000-4000-8000-000000000001';

describe('realtime hub', () => {
  it('numbers events 1, 2, 3… with the injected clock and fans each out once to every subscriber', () => {
    const at = new Date('2026-03-29T01:30:00Z');
    const hub = createRealtimeHub({ ringSize: 4, now: () => at });
    const first: StoredEvent[] = [];
    const second: StoredEvent[] = [];
    hub.subscribe((stored) => first.push(stored));
    hub.subscribe((stored) => second.push(stored));
    hub.publish({ orgId: ORG, type: 'queue.stats', data: { waiting: 3 } });
    hub.publish({
      orgId: null,
      type: 'agent.state_changed',
      data: { state: 'ready' },
      recipientUserId: 'u1',
    });
    expect(first.map((s) => s.event.seq)).toEqual([1, 2]);
    expect(second.map((s) => s.event.seq)).toEqual([1, 2]);
    expect(hub.seq).toBe(2);
    // One wire form per event, shared by all subscribers.
    expect(first[0]!.frame).toBe(second[0]!.frame);
    expect(JSON.parse(first[0]!.frame.toString())).toEqual({
      seq: 1,
      type: 'queue.stats',
      createdAt: '2026-03-29T01:30:00.000Z',
      organizationId: ORG,
      data: { waiting: 3 },
    });
    expect(JSON.parse(first[1]!.frame.toString())).toMatchObject({
      organizationId: null,
      recipientUserId: 'u1',
    });
  });

  it('replays exactly the events after a cursor while they are in the ring, and resets once they are not', () => {
    const hub = createRealtimeHub({ ringSize: 3 });
    expect(hub.replay(0)).toEqual({ kind: 'events', events: [] });
    for (let i = 0; i < 5; i++) hub.publish({ orgId: ORG, type: 'queue.stats', data: { i } });
    // The ring holds 3, 4, 5.
    const seqs = (after: number) => {
      const replay = hub.replay(after);
      return replay.kind === 'reset' ? 'reset' : replay.events.map((s) => s.event.seq);
    };
    expect(seqs(5)).toEqual([]);
    expect(seqs(4)).toEqual([5]);
    expect(seqs(2)).toEqual([3, 4, 5]);
    expect(seqs(1)).toBe('reset'); // 2 was overwritten
    expect(seqs(0)).toBe('reset');
    // A cursor ahead of the hub comes from a previous process: its numbering started again.
    expect(seqs(6)).toBe('reset');
  });

  it('removes a subscriber on unsubscribe and one that throws, without stopping the fan-out', () => {
    const errors: unknown[] = [];
    const hub = createRealtimeHub({ onSubscriberError: (error) => errors.push(error) });
    const received: number[] = [];
    hub.subscribe(() => {
      throw new Error('broken socket');
    });
    const unsubscribe = hub.subscribe((stored) => received.push(stored.event.seq));
    hub.subscribe((stored) => received.push(stored.event.seq * 10));
    expect(hub.subscriberCount).toBe(3);
    hub.publish({ orgId: ORG, type: 'queue.stats', data: {} });
    expect(received).toEqual([1, 10]);
    expect(errors).toHaveLength(1);
    expect(hub.subscriberCount).toBe(2);
    unsubscribe();
    unsubscribe();
    expect(hub.subscriberCount).toBe(1);
  });

  it('refuses event types without a dot (the control messages reset and ready have none)', () => {
    const hub = createRealtimeHub();
    expect(() => hub.publish({ orgId: ORG, type: 'reset', data: {} })).toThrow(/invalid event type/);
    expect(() => hub.publish({ orgId: ORG, type: 'Queue.Stats', data: {} })).toThrow(/invalid event type/);
    expect(hub.seq).toBe(0);
  });
});
