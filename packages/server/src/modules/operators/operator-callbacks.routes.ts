// GET /api/operator/callbacks: the callbacks the signed-in operator promised
// (a call_back disposition "for me") and that are still waiting, soonest
// first, for the operator desktop. Registered whether or not the live center
// runs: they are read from what was recorded. Scheduling one is the call_back
// disposition (POST /api/operator/interactions/:id/disposition).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { ProblemResponses } from '../../http/schemas.ts';
import { authErrors } from '../auth/auth.errors.ts';
import { ownedCallbacks } from './operator-callbacks.service.ts';
import { OPERATOR_ROLES } from './operators.schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const OwnedCallback = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  dueAt: Type.String({ format: 'date-time' }),
  phone: Type.String(),
  supporterId: Nullable(Type.String()),
  supporterName: Nullable(Type.String({ description: 'null when the caller was not identified' })),
  queueId: Nullable(Type.String()),
  campaignId: Nullable(Type.String()),
  targetName: Type.String({ description: "The queue's or the campaign's name" }),
  interactionId: Nullable(Type.String({ description: 'The contact on which it was promised' })),
  notes: Type.String(),
});

export const operatorCallbacksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/operator/callbacks',
    {
      config: { access: { roles: OPERATOR_ROLES } },
      schema: {
        tags: ['live center'],
        summary: 'My callbacks: the ones I promised to make, still waiting, soonest first (at most 100)',
        description:
          'Callbacks recorded with a call_back disposition whose owner is the signed-in operator, ' +
          'in the organizations they serve. Each is offered to its owner when due (or dialed for them by ' +
          'the campaign); one its owner has not taken within 30 minutes goes to anyone.',
        response: { 200: Type.Object({ items: Type.Array(OwnedCallback) }), ...ProblemResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      // OPERATOR_ROLES has no integration role: every caller here is a user.
      if (principal.kind !== 'user') throw authErrors.forbidden();
      const orgIds = principal.allOrganizations
        ? await app.db.asCenter((tx) =>
            tx
              .selectFrom('organizations')
              .select('id')
              .execute()
              .then((rows) => rows.map((row) => row.id)),
          )
        : principal.orgIds;
      return { items: await ownedCallbacks({ db: app.db, userId: principal.userId, orgIds }) };
    },
  );
};
