import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OrgParams, ProblemResponses, Uuid } from '../../http/schemas.ts';
import { GIVING_READERS, GIVING_WRITERS } from './commitments.routes.ts';
import { listGifts, recordGift } from './gifts.service.ts';
import {
  AmountCents,
  CampaignCode,
  Currency,
  ExternalId,
  Gift,
  GiftMethod,
  GiftStatus,
  IsoDate,
  NextCursor,
  PageQuery,
  SupporterParams,
} from './giving.schemas.ts';

const GiftPage = Type.Object({ items: Type.Array(Gift), nextCursor: NextCursor });

export const giftRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/organizations/:orgId/supporters/:supporterId/gifts',
    {
      config: { access: { roles: GIVING_WRITERS } },
      schema: {
        tags: ['gifts'],
        summary: 'Record a gift or payment (collected, failed with its SEPA return code, refunded)',
        params: SupporterParams,
        body: Type.Object(
          {
            giftDate: IsoDate,
            amountCents: AmountCents,
            currency: Type.Optional(Currency),
            method: GiftMethod,
            status: Type.Optional(GiftStatus),
            returnCode: Type.Optional(
              Type.String({
                pattern: '^[A-Za-z0-9]{4}$',
                description: 'SEPA return reason code (AC01, AM04, MD06, …) of a failed or refunded gift',
              }),
            ),
            campaignCode: Type.Optional(CampaignCode),
            commitmentId: Type.Optional(Uuid),
            externalId: Type.Optional(ExternalId),
          },
          { additionalProperties: false },
        ),
        response: { 201: Gift, 409: Type.Ref('Problem'), ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await recordGift({
          db: app.db,
          orgId: request.params.orgId,
          supporterId: request.params.supporterId,
          ...request.body,
        }),
      ),
  );

  app.get(
    '/api/organizations/:orgId/supporters/:supporterId/gifts',
    {
      config: { access: { roles: GIVING_READERS } },
      schema: {
        tags: ['gifts'],
        summary: "A supporter's gifts, newest first (cursor pagination)",
        params: SupporterParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: GiftPage, ...ProblemResponses },
      },
    },
    async (request) =>
      listGifts({
        db: app.db,
        orgId: request.params.orgId,
        supporterId: request.params.supporterId,
        ...request.query,
      }),
  );

  app.get(
    '/api/organizations/:orgId/gifts',
    {
      config: { access: { roles: GIVING_READERS } },
      schema: {
        tags: ['gifts'],
        summary: "The organization's gifts, newest first, optionally between two dates (inclusive)",
        params: OrgParams,
        querystring: Type.Object(
          { ...PageQuery, from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) },
          { additionalProperties: false },
        ),
        response: { 200: GiftPage, ...ProblemResponses },
      },
    },
    async (request) => listGifts({ db: app.db, orgId: request.params.orgId, ...request.query }),
  );
};
