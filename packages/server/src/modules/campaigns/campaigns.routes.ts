// Outbound campaigns under /api/organizations/:orgId/campaigns: their
// configuration only (list building and dialing are the live runtime's).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import {
  CAMPAIGN_READERS,
  CAMPAIGN_WRITERS,
  Campaign,
  CampaignParams,
  CreateCampaignBody,
  UpdateCampaignBody,
} from './campaigns.schemas.ts';
import {
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  updateCampaign,
} from './campaigns.service.ts';

export const campaignRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Campaign);
  const campaignRef = Type.Ref('Campaign');

  app.get(
    '/api/organizations/:orgId/campaigns',
    {
      config: { access: { roles: CAMPAIGN_READERS } },
      schema: {
        tags: ['campaigns'],
        summary: "The organization's outbound campaigns (contact cycles)",
        params: OrgParams,
        response: { 200: Type.Object({ items: Type.Array(campaignRef) }), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listCampaigns({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    '/api/organizations/:orgId/campaigns',
    {
      config: { access: { roles: CAMPAIGN_WRITERS } },
      schema: {
        tags: ['campaigns'],
        summary: 'Create a campaign: cycle, eligibility filters, pacing, retries, calling window, queue',
        params: OrgParams,
        body: CreateCampaignBody,
        response: { 201: campaignRef, ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createCampaign({
          db: app.db,
          principal: principalOf(request),
          orgId: request.params.orgId,
          input: request.body,
        }),
      ),
  );
  app.get(
    '/api/organizations/:orgId/campaigns/:campaignId',
    {
      config: { access: { roles: CAMPAIGN_READERS } },
      schema: {
        tags: ['campaigns'],
        summary: 'One campaign',
        params: CampaignParams,
        response: { 200: campaignRef, ...ProblemResponses },
      },
    },
    async (request) => getCampaign({ db: app.db, ...request.params }),
  );
  app.patch(
    '/api/organizations/:orgId/campaigns/:campaignId',
    {
      config: { access: { roles: CAMPAIGN_WRITERS } },
      schema: {
        tags: ['campaigns'],
        summary: 'Change a campaign (status included: draft, active, paused, completed)',
        params: CampaignParams,
        body: UpdateCampaignBody,
        response: { 200: campaignRef, ...ProblemResponses },
      },
    },
    async (request) =>
      updateCampaign({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      }),
  );
  app.delete(
    '/api/organizations/:orgId/campaigns/:campaignId',
    {
      config: { access: { roles: CAMPAIGN_WRITERS } },
      schema: {
        tags: ['campaigns'],
        summary: 'Delete a campaign and its call list (409 once it has interactions or callbacks)',
        params: CampaignParams,
        response: { 204: Type.Null(), 409: Type.Ref('Problem'), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteCampaign({ db: app.db, principal: principalOf(request), ...request.params });
      return reply.code(204).send(null);
    },
  );
};
