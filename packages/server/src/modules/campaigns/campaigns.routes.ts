// Outbound campaigns under /api/organizations/:orgId/campaigns: their
// configuration, their call list (built from the eligibility filters, with
// the reasons contacts are blocked) and their progress. Dialing is the live
// runtime's (dialing.service.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import { listCallList, refreshCallList } from './call-list.service.ts';
import {
  CALL_LIST_READERS,
  CAMPAIGN_READERS,
  CAMPAIGN_WRITERS,
  CallListCounts,
  CallListPage,
  CallListQuery,
  Campaign,
  CampaignParams,
  CampaignProgress,
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
import { campaignProgress } from './progress.service.ts';

export type CampaignRoutesOptions = {
  /**
   * The center's now (ms): the live runtime's clock when it runs (simulated in
   * the demo and the tests), else the server's. A list refreshed here must be
   * judged on the day the dialer judges it at dial time (register-check age,
   * eligibility dates), and its refresh time must be on the dialer's clock, or
   * the dialer's own periodic refresh comes too early or never.
   */
  now?: () => number;
};

export const campaignRoutes: FastifyPluginAsyncTypebox<CampaignRoutesOptions> = async (app, options) => {
  const now = () => new Date(options.now?.() ?? Date.now());
  app.addSchema(Campaign);
  app.addSchema(CallListCounts);
  app.addSchema(CampaignProgress);
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
  app.post(
    '/api/organizations/:orgId/campaigns/:campaignId/call-list/refresh',
    {
      config: { access: { roles: CAMPAIGN_WRITERS } },
      schema: {
        tags: ['campaigns'],
        summary:
          'Rebuild the call list now from the eligibility filters, with the consent, do-not-call and register checks',
        params: CampaignParams,
        response: { 200: Type.Ref('CallListCounts'), ...ProblemResponses },
      },
    },
    async (request) => refreshCallList(app.db, { ...request.params, at: now() }),
  );
  app.get(
    '/api/organizations/:orgId/campaigns/:campaignId/call-list',
    {
      config: { access: { roles: CALL_LIST_READERS } },
      schema: {
        tags: ['campaigns'],
        summary: 'The call list: status, attempts, next attempt, last outcome and why a contact is blocked',
        params: CampaignParams,
        querystring: CallListQuery,
        response: { 200: CallListPage, ...ProblemResponses },
      },
    },
    async (request) =>
      listCallList({
        db: app.db,
        ...request.params,
        status: request.query.status,
        cursor: request.query.cursor,
        limit: request.query.limit,
      }),
  );
  app.get(
    '/api/organizations/:orgId/campaigns/:campaignId/progress',
    {
      config: { access: { roles: CAMPAIGN_READERS } },
      schema: {
        tags: ['campaigns'],
        summary: 'Progress: list size, pending, attempted, reached, exhausted, blocked by reason, outcomes',
        params: CampaignParams,
        response: { 200: Type.Ref('CampaignProgress'), ...ProblemResponses },
      },
    },
    async (request) => campaignProgress(app.db, { ...request.params, at: now() }),
  );
};
