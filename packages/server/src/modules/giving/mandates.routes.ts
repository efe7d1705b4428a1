// SEPA mandates on their own: the donor's revocation. A mandate is created with its
// commitment (commitments.routes.ts) and answered inside it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { ProblemResponses, Uuid } from '../../http/schemas.ts';
import { GIVING_WRITERS } from './commitments.routes.ts';
import { Commitment, MandateParams } from './giving.schemas.ts';
import { revokeMandate } from './mandate-lifecycle.service.ts';

export const mandateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/organizations/:orgId/mandates/:mandateId/revoke',
    {
      // Who may change a commitment may record that its mandate was revoked.
      config: { access: { roles: GIVING_WRITERS } },
      schema: {
        tags: ['commitments'],
        summary:
          'The donor revoked the SEPA mandate: it is marked revoked and its active commitment paused ("mandate revoked"); a second call changes nothing',
        params: MandateParams,
        body: Type.Object(
          {
            reason: Type.String({
              minLength: 1,
              maxLength: 500,
              description: 'What the donor said (history, timeline, audit)',
              examples: ['asked by phone: changed bank'],
            }),
            revokedOn: Type.Optional(
              Type.String({
                format: 'date',
                description: 'When the donor revoked it, YYYY-MM-DD; default today (UTC); not in the future',
              }),
            ),
            interactionId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: { 200: Commitment, 409: Type.Ref('Problem'), ...ProblemResponses },
      },
    },
    async (request) => {
      const { commitment } = await revokeMandate({
        db: app.db,
        secrets: app.secrets,
        orgId: request.params.orgId,
        mandateId: request.params.mandateId,
        reason: request.body.reason,
        revokedOn: request.body.revokedOn,
        interactionId: request.body.interactionId,
        principal: principalOf(request),
      });
      return commitment;
    },
  );
};
