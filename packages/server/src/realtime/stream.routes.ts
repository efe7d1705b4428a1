// GET /api/stream: the live center's events over a WebSocket.
//
// The upgrade request goes through the ordinary /api pipeline first: the
// access hook authenticates it (session cookie, or an API key in
// Authorization/X-API-Key) and a refusal is a plain HTTP answer, so no socket
// is opened for a stranger. There is deliberately no `?token=` parameter:
// URLs end up in access logs, proxies and browser history, and browsers send
// the cookie with the upgrade anyway.
//
// Per connection: replay from `?after=` (or `reset`), then `ready`, then live
// events, all filtered by the principal's scope (scope.ts). A heartbeat pings
// every socket, drops those that did not answer the previous ping, and
// re-checks the credential (a logout or revoked key ends the stream). A client
// that does not read is cut off once its unsent bytes pass a limit, so one slow
// reader cannot grow the server's memory.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { WebSocket } from 'ws';
import { principalOf, SESSION_COOKIE } from '../http/access.ts';
import { authErrors } from '../modules/auth/auth.errors.ts';
import { ALL_ROLES, canAccessOrganization, type Principal } from '../modules/auth/principal.ts';
import type { RealtimeHub, StoredEvent } from './hub.ts';
import { CLOSE_CODES, realtimeErrors } from './realtime.errors.ts';
import {
  parseTypePatterns,
  type StreamFilter,
  type StreamScope,
  scopeOf,
  visibleTo,
  wanted,
} from './scope.ts';

export type StreamOptions = {
  hub: RealtimeHub;
  /** Ping period; a socket that has not answered the previous ping is dropped (default 30 s). */
  heartbeatIntervalMs?: number;
  /** Unsent bytes allowed per connection before it is cut off (default 1 MiB). */
  maxBufferedBytes?: number;
  /** After a close frame, how long a client may take to complete the closing handshake (default 5 s). */
  closeGraceMs?: number;
};

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
const DEFAULT_CLOSE_GRACE_MS = 5_000;
/** Clients only listen; anything they send is ignored, and a large frame is refused by ws. */
const MAX_CLIENT_FRAME_BYTES = 4096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const StreamQuery = Type.Object(
  {
    after: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'The last seq received: the missed events are replayed first',
      }),
    ),
    orgs: Type.Optional(Type.String({ maxLength: 4000, description: 'Comma-separated organization ids' })),
    types: Type.Optional(
      Type.String({ maxLength: 2000, description: 'Comma-separated event types or prefixes (queue.*)' }),
    ),
  },
  { additionalProperties: false },
);

type Credential = { kind: 'session'; token: string } | { kind: 'api_key'; key: string };

type Connection = {
  socket: WebSocket;
  scope: StreamScope;
  filter: StreamFilter;
  credential: Credential;
  /** Answered the last ping. */
  alive: boolean;
  /** Extra unsent bytes tolerated while a replay drains. */
  replayAllowance: number;
  closing: boolean;
  unsubscribe: () => void;
};

type Prepared = { principal: Principal; filter: StreamFilter; credential: Credential };

export const streamRoutes: FastifyPluginAsyncTypebox<StreamOptions> = async (app, options) => {
  const { hub } = options;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  const connections = new Set<Connection>();
  // What the pre-handler checked, for the handler that runs after the upgrade.
  const prepared = new WeakMap<object, Prepared>();

  await app.register(websocket, {
    options: { maxPayload: MAX_CLIENT_FRAME_BYTES, perMessageDeflate: false },
    preClose(done) {
      for (const connection of connections)
        closeConnection(connection, CLOSE_CODES.goingAway, 'server stopping');
      this.websocketServer.close();
      done();
    },
  });

  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      // A connection being closed has its own deadline (closeGraceMs) to deliver the close frame.
      if (connection.closing) continue;
      if (!connection.alive) {
        // No pong since the last ping: the peer is gone without a FIN (network cut, sleeping laptop).
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
      // Spread over the period: a tick's checks all at once would queue hundreds of
      // credential reads (past the 30 s cache) in front of the API's own requests.
      setTimeout(() => void revalidate(connection), Math.random() * heartbeatIntervalMs).unref();
    }
  }, heartbeatIntervalMs);
  heartbeat.unref();
  app.addHook('onClose', async () => clearInterval(heartbeat));

  /** The credential may have ended (logout, revoked key, disabled user) or its organizations changed. */
  async function revalidate(connection: Connection) {
    if (connection.closing || connection.socket.readyState !== connection.socket.OPEN) return;
    let principal: Principal | undefined;
    try {
      principal =
        connection.credential.kind === 'session'
          ? await app.auth.resolveSession(connection.credential.token)
          : await app.auth.resolveApiKey(connection.credential.key);
    } catch (error) {
      // A database hiccup must not disconnect every client; the next heartbeat tries again.
      app.log.warn({ err: error }, 'event stream: credential check failed');
      return;
    }
    if (!principal)
      closeConnection(connection, CLOSE_CODES.credentialsEnded, 'credentials ended: sign in again');
    else connection.scope = scopeOf(principal);
  }

  function closeConnection(connection: Connection, code: number, reason: string) {
    if (connection.closing) return;
    connection.closing = true;
    connection.unsubscribe();
    connection.socket.close(code, reason);
    // The close frame waits behind unsent data; a client that never reads it is dropped.
    setTimeout(() => connection.socket.terminate(), closeGraceMs).unref();
  }

  function send(connection: Connection, frame: Buffer) {
    if (connection.closing || connection.socket.readyState !== connection.socket.OPEN) return;
    const buffered = connection.socket.bufferedAmount;
    if (buffered <= maxBufferedBytes) connection.replayAllowance = 0;
    if (buffered + frame.length > maxBufferedBytes + connection.replayAllowance) {
      closeConnection(
        connection,
        CLOSE_CODES.slowConsumer,
        `slow consumer: over ${maxBufferedBytes} bytes unsent; reconnect with after=<last seq>`,
      );
      return;
    }
    connection.socket.send(frame, { binary: false });
  }

  function control(connection: Connection, message: { type: 'reset' | 'ready'; seq: number }) {
    send(connection, Buffer.from(JSON.stringify(message)));
  }

  app.get(
    '/api/stream',
    {
      websocket: true,
      config: { access: { roles: ALL_ROLES } },
      schema: { querystring: StreamQuery },
      preHandler: async (request) => {
        const principal = principalOf(request);
        const credential = credentialOf(request);
        if (!credential) throw authErrors.unauthenticated();
        if (credential.kind === 'session' && !sameOrigin(request)) throw realtimeErrors.originNotAllowed();
        const query = request.query as { orgs?: string; types?: string };
        prepared.set(request.raw, { principal, credential, filter: filterOf(query, principal) });
      },
    },
    (socket, request) => {
      const ready = prepared.get(request.raw);
      prepared.delete(request.raw);
      if (!ready) {
        socket.terminate();
        return;
      }
      const connection: Connection = {
        socket,
        scope: scopeOf(ready.principal),
        filter: ready.filter,
        credential: ready.credential,
        alive: true,
        replayAllowance: 0,
        closing: false,
        unsubscribe: () => {},
      };
      const deliver = (stored: StoredEvent) => {
        if (
          visibleTo(connection.scope, stored.event) &&
          wanted(connection.filter, connection.scope, stored.event)
        )
          send(connection, stored.frame);
      };
      socket.on('pong', () => {
        connection.alive = true;
      });
      socket.on('close', () => {
        connection.unsubscribe();
        connections.delete(connection);
      });
      connections.add(connection);

      // Replay and subscribe in one synchronous step: no event can fall between them or come twice.
      const after = (request.query as { after?: number }).after;
      if (after !== undefined) {
        const replay = hub.replay(after);
        if (replay.kind === 'reset') control(connection, { type: 'reset', seq: hub.seq });
        else {
          const missed = replay.events.filter(
            (stored) =>
              visibleTo(connection.scope, stored.event) &&
              wanted(connection.filter, connection.scope, stored.event),
          );
          connection.replayAllowance = missed.reduce((bytes, stored) => bytes + stored.frame.length, 0);
          for (const stored of missed) send(connection, stored.frame);
        }
      }
      control(connection, { type: 'ready', seq: hub.seq });
      if (!connection.closing) connection.unsubscribe = hub.subscribe(deliver);
    },
  );
};

/** The client's narrowing; an organization outside its scope is refused like a foreign `:orgId` (404). */
function filterOf(query: { orgs?: string; types?: string }, principal: Principal): StreamFilter {
  let orgIds: Set<string> | null = null;
  if (query.orgs !== undefined) {
    const ids = query.orgs
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    const malformed = ids.filter((id) => !UUID.test(id));
    if (malformed.length > 0 || ids.length === 0) throw realtimeErrors.orgsInvalid(malformed);
    for (const id of ids) if (!canAccessOrganization(principal, id)) throw authErrors.organizationNotFound();
    orgIds = new Set(ids.map((id) => id.toLowerCase()));
  }
  let types: string[] | null = null;
  if (query.types !== undefined) {
    const parsed = parseTypePatterns(query.types);
    if (parsed.invalid.length > 0 || parsed.patterns.length === 0)
      throw realtimeErrors.typesInvalid(parsed.invalid);
    types = parsed.patterns;
  }
  return { orgIds, types };
}

/** The credential the access hook accepted, kept to re-check it while the stream is open (same order as access.ts). */
function credentialOf(request: FastifyRequest): Credential | undefined {
  const authorization = request.headers.authorization;
  const key =
    (typeof authorization === 'string' && authorization.startsWith('Bearer ')
      ? authorization.slice(7)
      : undefined) ??
    (typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : undefined);
  if (key !== undefined) return { kind: 'api_key', key: key.trim() };
  const token = request.cookies?.[SESSION_COOKIE];
  return token ? { kind: 'session', token } : undefined;
}

/**
 * Browsers send the session cookie with a WebSocket upgrade from any page and
 * CSRF tokens do not apply to it, so a cookie-authenticated upgrade must come
 * from a page of this host (cross-site WebSocket hijacking). The cookie is
 * also SameSite=Strict; this is the second lock. No Origin: not a browser.
 */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}
