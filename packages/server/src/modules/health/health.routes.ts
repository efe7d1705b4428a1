import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Object({
    kind: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
    reachable: Type.Boolean(),
  }),
  migrations: Type.Object({ current: Type.Boolean(), pending: Type.Array(Type.String()) }),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Database reachable and migrations current (200), or 503',
        response: { 200: Health, 503: Health },
      },
    },
    async (request, reply) => {
      let reachable = false;
      let pending: string[] = [];
      try {
        await sql`select 1`.execute(app.db.kysely);
        reachable = true;
        pending = await app.db.pendingMigrations();
      } catch (error) {
        request.log.warn({ err: error }, 'health check: database unavailable');
      }
      const ok = reachable && pending.length === 0;
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'unavailable',
        database: { kind: app.db.kind, reachable },
        migrations: { current: reachable && pending.length === 0, pending },
      });
    },
  );
};
