// The real-time hub: one process-wide sequence of events for the live center.
// Each published event gets the next `seq` and a timestamp, is serialized once
// (every subscriber sends the same bytes) and kept in a bounded ring, so a
// client that reconnects with its last `seq` gets exactly what it missed — or
// learns that it missed too much and must reload state over HTTP.
//
// The hub knows nothing about who may see what: subscribers filter (see
// scope.ts). It never does I/O and takes its clock as an input.

export type PublishInput = {
  /** The organization the event belongs to; null for a center-level event (e.g. an operator's state). */
  orgId: string | null;
  /** Dotted name: `interaction.offered`, `queue.stats`… (a dot is required: control messages have none). */
  type: string;
  data: unknown;
  /** Addressed to one user (an offer to an operator): only that user's connections receive it. */
  recipientUserId?: string | null;
};

export type RealtimeEvent = {
  seq: number;
  type: string;
  createdAt: string;
  organizationId: string | null;
  recipientUserId: string | null;
  data: unknown;
};

/** An event with its wire form, computed once at publish. */
export type StoredEvent = { readonly event: RealtimeEvent; readonly frame: Buffer };

export type Subscriber = (stored: StoredEvent) => void;

export type Replay = { kind: 'events'; events: StoredEvent[] } | { kind: 'reset' };

export type RealtimeHub = {
  publish(input: PublishInput): RealtimeEvent;
  /** Adds a subscriber; the returned function removes it (idempotent). */
  subscribe(subscriber: Subscriber): () => void;
  /**
   * The events after `afterSeq`, oldest first; `reset` when some of them have
   * left the ring, or when `afterSeq` is ahead of the hub (a cursor from
   * before a restart: the sequence starts again at 1 in a new process).
   */
  replay(afterSeq: number): Replay;
  /** The last assigned sequence number (0 before the first event). */
  readonly seq: number;
  readonly subscriberCount: number;
};

export type RealtimeHubOptions = {
  /** Events kept for resuming (default 10,000). */
  ringSize?: number;
  now?: () => Date;
  /** A subscriber threw: it has been removed. */
  onSubscriberError?: (error: unknown) => void;
};

export const DEFAULT_RING_SIZE = 10_000;
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

export function createRealtimeHub(options: RealtimeHubOptions = {}): RealtimeHub {
  const ringSize = options.ringSize ?? DEFAULT_RING_SIZE;
  if (!Number.isInteger(ringSize) || ringSize < 1)
    throw new RangeError('ringSize must be a positive integer');
  const now = options.now ?? (() => new Date());
  // Sequence numbers are contiguous, so event `seq` lives at `seq % ringSize`.
  const ring: (StoredEvent | undefined)[] = new Array(ringSize);
  const subscribers = new Set<Subscriber>();
  let seq = 0;

  return {
    publish(input) {
      if (!EVENT_TYPE.test(input.type)) throw new TypeError(`invalid event type "${input.type}"`);
      seq += 1;
      const event: RealtimeEvent = {
        seq,
        type: input.type,
        createdAt: now().toISOString(),
        organizationId: input.orgId,
        recipientUserId: input.recipientUserId ?? null,
        data: input.data,
      };
      const stored: StoredEvent = { event, frame: Buffer.from(JSON.stringify(wireForm(event))) };
      ring[seq % ringSize] = stored;
      for (const subscriber of subscribers) {
        try {
          subscriber(stored);
        } catch (error) {
          // One broken subscriber must not stop the fan-out to the others.
          subscribers.delete(subscriber);
          options.onSubscriberError?.(error);
        }
      }
      return event;
    },

    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => {
        subscribers.delete(subscriber);
      };
    },

    replay(afterSeq) {
      if (afterSeq > seq) return { kind: 'reset' };
      const oldest = Math.max(1, seq - ringSize + 1);
      if (afterSeq + 1 < oldest) return { kind: 'reset' };
      const events: StoredEvent[] = [];
      for (let s = afterSeq + 1; s <= seq; s++) events.push(ring[s % ringSize]!);
      return { kind: 'events', events };
    },

    get seq() {
      return seq;
    },
    get subscriberCount() {
      return subscribers.size;
    },
  };
}

/** The envelope on the wire: `recipientUserId` only when the event is addressed to someone. */
function wireForm(event: RealtimeEvent) {
  const { recipientUserId, ...rest } = event;
  return recipientUserId === null ? rest : { ...rest, recipientUserId };
}
