// The live center's event stream (GET /api/stream, a WebSocket) for the
// operator desktop and the wallboard. The session cookie goes with the upgrade
// (same origin). The client keeps the last `seq` it saw and reconnects with
// `?after=SEQ` (growing pauses, capped), so nothing is missed across a short
// drop; when the server answers `{"type":"reset"}` (too much missed, or a
// server restart) the screen reloads its state over HTTP (`onReset`), which it
// also does after every reconnect's `ready` when it had no cursor yet.
import { useEffect, useRef, useState } from 'react';

export type LiveEvent = {
  seq: number;
  type: string;
  createdAt: string;
  organizationId: string | null;
  recipientUserId: string | null;
  data: unknown;
};

export type StreamStatus = 'connecting' | 'open' | 'closed';

export type StreamOptions = {
  /** Event types or prefixes (`interaction.*`); all when absent. */
  types?: readonly string[];
  onEvent: (event: LiveEvent) => void;
  /** State must be reloaded over HTTP: the first `ready`, and every `reset`. */
  onReset: () => void;
  onStatus?: (status: StreamStatus) => void;
  /** The WebSocket constructor (tests); the browser's by default. */
  webSocket?: typeof WebSocket;
  /** Base of the URL (tests); the page's origin by default. */
  baseUrl?: string;
};

export type StreamHandle = { close: () => void; readonly lastSeq: number | null };

/** Backoff before the n-th reconnect attempt (0-based): 0.5 s, 1 s, 2 s … up to 15 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(15_000, 500 * 2 ** attempt);
}

export function streamUrl(base: string, types: readonly string[] | undefined, after: number | null): string {
  const url = new URL('/api/stream', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (types && types.length > 0) url.searchParams.set('types', types.join(','));
  if (after !== null) url.searchParams.set('after', String(after));
  return url.toString();
}

export function openStream(options: StreamOptions): StreamHandle {
  const Socket = options.webSocket ?? WebSocket;
  const base = options.baseUrl ?? window.location.origin;
  let lastSeq: number | null = null;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const connect = () => {
    if (closed) return;
    options.onStatus?.('connecting');
    const resuming = lastSeq !== null;
    const current = new Socket(streamUrl(base, options.types, lastSeq));
    socket = current;
    current.onmessage = (message) => {
      let parsed: { type?: unknown; seq?: unknown };
      try {
        parsed = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (parsed.type === 'ready') {
        attempt = 0;
        options.onStatus?.('open');
        // A first connection has no cursor: what happened before is read over HTTP.
        if (!resuming) options.onReset();
        if (typeof parsed.seq === 'number' && lastSeq === null) lastSeq = parsed.seq;
        return;
      }
      if (parsed.type === 'reset') {
        if (typeof parsed.seq === 'number') lastSeq = parsed.seq;
        options.onReset();
        return;
      }
      if (typeof parsed.seq !== 'number' || typeof parsed.type !== 'string') return;
      if (lastSeq !== null && parsed.seq <= lastSeq) return;
      lastSeq = parsed.seq;
      options.onEvent(parsed as LiveEvent);
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      options.onStatus?.('closed');
      if (closed) return;
      timer = setTimeout(connect, reconnectDelayMs(attempt++));
    };
  };
  connect();

  return {
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      socket?.close();
      socket = null;
    },
    get lastSeq() {
      return lastSeq;
    },
  };
}

/**
 * The stream for a screen's lifetime. The callbacks may change on every
 * render; the connection does not (only `types` and `enabled` reopen it).
 */
export function useLiveStream(options: {
  types?: readonly string[];
  enabled?: boolean;
  onEvent: (event: LiveEvent) => void;
  onReset: () => void;
}): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const callbacks = useRef(options);
  callbacks.current = options;
  const typesKey = options.types?.join(',') ?? '';
  const enabled = options.enabled ?? true;
  useEffect(() => {
    if (!enabled) return;
    const handle = openStream({
      ...(typesKey ? { types: typesKey.split(',') } : {}),
      onEvent: (event) => callbacks.current.onEvent(event),
      onReset: () => callbacks.current.onReset(),
      onStatus: setStatus,
    });
    return () => handle.close();
  }, [typesKey, enabled]);
  return status;
}

/** Calls `fn` at most once per `ms`, trailing: a burst of events becomes one reload. */
export function throttle(fn: () => void, ms: number): { (): void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const run = () => {
    timer = null;
    last = Date.now();
    fn();
  };
  const throttled = () => {
    if (timer !== null) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(run, wait);
  };
  throttled.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
