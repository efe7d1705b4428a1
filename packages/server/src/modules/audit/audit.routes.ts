import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import { listAuditEvents } from './audit.service.ts';

const AuditEvent = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorKind: Type.Union([Type.Literal('user'), Type.Literal('api_key'), Type.Literal('system')]),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/organizations/:orgId/audit-events',
    {
      config: { access: { roles: ['admin', 'supervisor', 'client_viewer'] } },
      schema: {
        tags: ['audit'],
        summary: 'Audit trail of one organization, newest first',
        params: OrgParams,
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            before: Type.Optional(
              Type.String({ pattern: '^[0-9]{1,19}$', description: 'Page before this event id' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AuditEvent) }), ...ProblemResponses },
      },
    },
    async (request) => ({
      items: await listAuditEvents({
        db: app.db,
        orgId: request.params.orgId,
        limit: request.query.limit,
        ...(request.query.before ? { beforeId: request.query.before } : {}),
      }),
    }),
  );
};
