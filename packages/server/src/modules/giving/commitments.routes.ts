import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { ProblemResponses, Uuid } from '../../http/schemas.ts';
import type { Role } from '../auth/principal.ts';
import {
  actorLabel,
  commitmentHistory,
  createCommitment,
  getCommitment,
  listSupporterCommitments,
  updateCommitment,
} from './commitments.service.ts';
import {
  AmountCents,
  CampaignCode,
  Commitment,
  CommitmentEvent,
  CommitmentMethod,
  CommitmentParams,
  CommitmentStatus,
  Currency,
  ExternalId,
  Frequency,
  IsoDate,
  MandateBody,
  Reason,
  SupporterParams,
} from './giving.schemas.ts';

export const GIVING_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'operator',
  'quality',
  'client_viewer',
  'integration',
];
export const GIVING_WRITERS: readonly Role[] = ['admin', 'supervisor', 'operator', 'integration'];

const Conflict = { 409: Type.Ref('Problem') };

export const commitmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/organizations/:orgId/supporters/:supporterId/commitments',
    {
      config: { access: { roles: GIVING_WRITERS } },
      schema: {
        tags: ['commitments'],
        summary: 'Create a regular gift; SEPA direct debit needs a mandate (IBAN answered masked)',
        params: SupporterParams,
        body: Type.Object(
          {
            amountCents: AmountCents,
            currency: Type.Optional(Currency),
            frequency: Frequency,
            method: CommitmentMethod,
            startDate: IsoDate,
            endDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
            status: Type.Optional(CommitmentStatus),
            campaignCode: Type.Optional(Type.Union([CampaignCode, Type.Null()])),
            externalId: Type.Optional(Type.Union([ExternalId, Type.Null()])),
            mandate: Type.Optional(MandateBody),
            reason: Type.Optional(Reason),
            interactionId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: { 201: Commitment, ...Conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { orgId, supporterId } = request.params;
      const commitment = await createCommitment({
        db: app.db,
        secrets: app.secrets,
        orgId,
        supporterId,
        ...request.body,
        actor: actorLabel(principalOf(request)),
      });
      return reply.code(201).send(commitment);
    },
  );

  app.get(
    '/api/organizations/:orgId/supporters/:supporterId/commitments',
    {
      config: { access: { roles: GIVING_READERS } },
      schema: {
        tags: ['commitments'],
        summary: "A supporter's regular gifts, newest first, IBANs masked",
        params: SupporterParams,
        response: { 200: Type.Object({ items: Type.Array(Commitment) }), ...ProblemResponses },
      },
    },
    async (request) => ({
      items: await listSupporterCommitments({
        db: app.db,
        secrets: app.secrets,
        orgId: request.params.orgId,
        supporterId: request.params.supporterId,
      }),
    }),
  );

  app.get(
    '/api/organizations/:orgId/commitments/:commitmentId',
    {
      config: { access: { roles: GIVING_READERS } },
      schema: {
        tags: ['commitments'],
        summary: 'One regular gift; ?reveal=iban shows the full IBAN to bank-data access only (audited)',
        params: CommitmentParams,
        querystring: Type.Object(
          { reveal: Type.Optional(Type.Literal('iban')) },
          { additionalProperties: false },
        ),
        response: { 200: Commitment, ...ProblemResponses },
      },
    },
    async (request) =>
      getCommitment({
        db: app.db,
        secrets: app.secrets,
        orgId: request.params.orgId,
        commitmentId: request.params.commitmentId,
        principal: principalOf(request),
        revealIban: request.query.reveal === 'iban',
      }),
  );

  app.patch(
    '/api/organizations/:orgId/commitments/:commitmentId',
    {
      config: { access: { roles: GIVING_WRITERS } },
      schema: {
        tags: ['commitments'],
        summary:
          'Change status (active ⇄ paused, → cancelled, active → lapsed, cancelled/lapsed → active) or amount, with a reason',
        params: CommitmentParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1, description: 'The version you read; 409 if it changed' }),
            status: Type.Optional(CommitmentStatus),
            amountCents: Type.Optional(AmountCents),
            frequency: Type.Optional(Frequency),
            endDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
            campaignCode: Type.Optional(Type.Union([CampaignCode, Type.Null()])),
            externalId: Type.Optional(Type.Union([ExternalId, Type.Null()])),
            reason: Type.Optional(Reason),
            effectiveDate: Type.Optional(IsoDate),
            interactionId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: { 200: Commitment, ...Conflict, ...ProblemResponses },
      },
    },
    async (request) => {
      const { version, reason, effectiveDate, interactionId, ...changes } = request.body;
      return updateCommitment({
        db: app.db,
        secrets: app.secrets,
        orgId: request.params.orgId,
        context: {
          commitmentId: request.params.commitmentId,
          expectedVersion: version,
          reason,
          effectiveDate,
          interactionId,
          actor: actorLabel(principalOf(request)),
        },
        changes,
      });
    },
  );

  app.get(
    '/api/organizations/:orgId/commitments/:commitmentId/history',
    {
      config: { access: { roles: GIVING_READERS } },
      schema: {
        tags: ['commitments'],
        summary: 'Status and amount changes of a regular gift, newest first',
        params: CommitmentParams,
        response: { 200: Type.Object({ items: Type.Array(CommitmentEvent) }), ...ProblemResponses },
      },
    },
    async (request) => ({
      items: await commitmentHistory({
        db: app.db,
        orgId: request.params.orgId,
        commitmentId: request.params.commitmentId,
      }),
    }),
  );
};
