import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LiveEvent, openStream, reconnectDelayMs, streamUrl, throttle } from './stream.ts';

class FakeSocket {
  static all: FakeSocket[] = [];
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  receive(payload: unknown) {
    this.onmessage?.({ data: JSON.stringify(payload) });
  }
  drop() {
    this.onclose?.();
  }
  close() {
    this.closed = true;
    this.onclose?.();
  }
}

const event = (seq: number, type = 'queue.stats'): LiveEvent => ({
  seq,
  type,
  createdAt: '2026-03-02T09:00:00Z',
  organizationId: null,
  recipientUserId: null,
  data: {},
});

describe('the live stream client', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  it('loads over HTTP on the first ready, resumes after its last seq, and reloads on reset', () => {
    const received: number[] = [];
    let resets = 0;
    const handle = openStream({
      types: ['queue.*', 'agent.*'],
      onEvent: (e) => received.push(e.seq),
      onReset: () => resets++,
      webSocket: FakeSocket as unknown as typeof WebSocket,
      baseUrl: 'https://center.example',
    });
    const first = FakeSocket.all[0]!;
    expect(first.url).toBe('wss://center.example/api/stream?types=queue.*%2Cagent.*');
    first.receive({ type: 'ready', seq: 10 });
    expect(resets).toBe(1);
    first.receive(event(11));
    first.receive(event(11)); // a duplicate is ignored
    first.receive(event(12));
    first.drop();
    vi.advanceTimersByTime(reconnectDelayMs(0));
    const second = FakeSocket.all[1]!;
    expect(new URL(second.url).searchParams.get('after')).toBe('12');
    second.receive(event(13)); // replayed
    second.receive({ type: 'ready', seq: 13 });
    expect(resets).toBe(1); // a resumed stream needs no reload
    second.receive({ type: 'reset', seq: 40 });
    expect(resets).toBe(2);
    second.receive(event(41));
    expect(received).toEqual([11, 12, 13, 41]);
    expect(handle.lastSeq).toBe(41);
    handle.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('backs off up to 15 s and builds ws URLs', () => {
    expect([0, 1, 2, 10].map(reconnectDelayMs)).toEqual([500, 1000, 2000, 15_000]);
    expect(streamUrl('http://127.0.0.1:3000', undefined, 5)).toBe('ws://127.0.0.1:3000/api/stream?after=5');
  });

  it('throttles a burst into one call', () => {
    const fn = vi.fn();
    const throttled = throttle(fn, 1000);
    for (let i = 0; i < 50; i++) throttled();
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
    throttled();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
