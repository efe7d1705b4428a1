// The web app (packages/web, built into packages/web/dist by `npm start` or
// `npm run build:web`) is served from the same origin as the API, so its
// session cookie and CSRF token work like any other client's. Hashed assets are
// cached for a year; index.html never is, so a new build shows at the next load.
// Any other GET outside /api is a page of the app (its router decides), and an
// unknown /api path stays a problem+json 404.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendProblem } from './errors.ts';

export const WEB_DIST = join(import.meta.dirname, '../../../web/dist');

/** Returns whether the app was found; without a build, `/` leads to the API documentation. */
export async function registerWebApp(app: FastifyInstance, distDir: string = WEB_DIST): Promise<boolean> {
  const indexFile = join(distDir, 'index.html');
  const route = { config: { access: 'public' as const }, schema: { hide: true } };
  if (!existsSync(indexFile)) {
    app.get('/', route, (_request, reply) => reply.redirect('/api/docs'));
    return false;
  }
  const indexHtml = readFileSync(indexFile);
  const sendIndex = (reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .type('text/html; charset=utf-8')
      .send(indexHtml);
  await app.register(fastifyStatic, {
    root: join(distDir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    immutable: true,
    maxAge: '365d',
  });
  app.get('/', route, (_request, reply) => sendIndex(reply));
  app.get('/*', route, (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path === '/api' || path.startsWith('/api/') || path.startsWith('/assets/'))
      return sendProblem(reply, 404, 'ROUTE_NOT_FOUND', `No route GET ${path}`);
    return sendIndex(reply);
  });
  return true;
}
