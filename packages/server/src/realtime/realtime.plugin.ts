// The real-time hub on the Fastify instance (`app.realtime.publish(...)`) and
// the /api/stream route that fans it out to WebSocket clients.
import type { FastifyPluginAsync } from 'fastify';
import { createRealtimeHub, type RealtimeHub } from './hub.ts';
import { type StreamOptions, streamRoutes } from './stream.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    realtime: RealtimeHub;
  }
}

export type RealtimeOptions = Omit<StreamOptions, 'hub'> & {
  /** A hub made elsewhere (tests, benchmarks); otherwise one is created. */
  hub?: RealtimeHub;
  ringSize?: number;
  now?: () => Date;
};

const plugin: FastifyPluginAsync<RealtimeOptions> = async (app, options) => {
  const { hub: given, ringSize, now, ...stream } = options;
  const hub =
    given ??
    createRealtimeHub({
      ...(ringSize !== undefined ? { ringSize } : {}),
      ...(now ? { now } : {}),
      onSubscriberError: (error) => app.log.error({ err: error }, 'event stream subscriber failed'),
    });
  app.decorate('realtime', hub);
  // An upgrade request that is answered over HTTP instead (401, 404, 400…) leaves
  // a socket Node's HTTP server no longer manages: nothing would close it, and
  // the server could not stop while it is open. The WebSocket plugin's own
  // clean-up misses the requests the access hook refuses before its hooks run.
  app.addHook('onResponse', async (request) => {
    // Node's HTTP parser marks a request that came with `Connection: upgrade` (not in its types).
    const raw = request.raw as typeof request.raw & { upgrade?: boolean };
    const socket = raw.socket;
    if (raw.upgrade && !socket.destroyed) socket.end(() => socket.destroy());
  });
  // The WebSocket plugin and its hooks stay inside this child context: other routes are untouched.
  await app.register(streamRoutes, { ...stream, hub });
};

// Not encapsulated (what fastify-plugin does): the decoration is visible to every module.
export const realtimePlugin = Object.assign(plugin, { [Symbol.for('skip-override')]: true });
