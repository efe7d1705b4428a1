import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses, Uuid } from '../../http/schemas.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.ts';

const ApiKeyProperties = {
  id: Uuid,
  name: Type.String(),
  prefix: Type.String({ description: 'Visible part of the key, to recognise it (cntr_<prefix>_…)' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  bankDataAccess: Type.Boolean({ description: 'May ask for full IBANs (?reveal=iban)' }),
};

export const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/organizations/:orgId/api-keys',
    {
      config: { access: { roles: ['admin', 'supervisor'] } },
      schema: {
        tags: ['api-keys'],
        summary: "The organization's API keys (never the keys themselves)",
        params: OrgParams,
        response: {
          200: Type.Object({ items: Type.Array(Type.Object(ApiKeyProperties)) }),
          ...ProblemResponses,
        },
      },
    },
    async (request) => ({ items: await listApiKeys({ db: app.db, orgId: request.params.orgId }) }),
  );

  app.post(
    '/api/organizations/:orgId/api-keys',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the key is in this answer only',
        params: OrgParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            bankDataAccess: Type.Optional(
              Type.Boolean({ description: 'Let this key ask for full IBANs; default false' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...ApiKeyProperties,
            key: Type.String({ description: 'Shown once; store it now' }),
          }),
          ...ProblemResponses,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createApiKey({
          db: app.db,
          principal: principalOf(request),
          orgId: request.params.orgId,
          name: request.body.name,
          bankDataAccess: request.body.bankDataAccess,
        }),
      ),
  );

  app.delete(
    '/api/organizations/:orgId/api-keys/:keyId',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key (effective at once on this node, within 30 s everywhere)',
        params: Type.Object({ orgId: Uuid, keyId: Uuid }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await revokeApiKey({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        keyId: request.params.keyId,
      });
      app.auth.evictApiKey(request.params.keyId);
      return reply.code(204).send(null);
    },
  );
};
