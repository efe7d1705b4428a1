// The organization's IVR flows, validated as graphs, under
// /api/organizations/:orgId/ivr-flows.
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import {
  CONFIG_WRITERS,
  CreateIvrFlowBody,
  IvrFlow,
  IvrFlowParams,
  LINE_READERS,
  UpdateIvrFlowBody,
} from './contact-center.schemas.ts';
import {
  createIvrFlow,
  deleteIvrFlow,
  getIvrFlow,
  listIvrFlows,
  updateIvrFlow,
} from './ivr-flows.service.ts';
import {
  type ContactCenterApp,
  type ContactCenterRouteContext,
  conflict,
  items,
  noContent,
} from './routes-common.ts';

export function registerIvrFlowRoutes(
  app: ContactCenterApp,
  { org, configurationChanged }: ContactCenterRouteContext,
) {
  app.get(
    `${org}/ivr-flows`,
    {
      config: { access: { roles: LINE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "The organization's IVR flows",
        params: OrgParams,
        response: { 200: items(IvrFlow), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listIvrFlows({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    `${org}/ivr-flows`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary:
          'Create an IVR flow, validated as a graph (targets exist, every node reached and reaching an end)',
        params: OrgParams,
        body: CreateIvrFlowBody,
        response: { 201: IvrFlow, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const flow = await createIvrFlow({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        ...request.body,
      });
      await configurationChanged();
      return reply.code(201).send(flow);
    },
  );
  app.get(
    `${org}/ivr-flows/:ivrFlowId`,
    {
      config: { access: { roles: LINE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: 'One IVR flow',
        params: IvrFlowParams,
        response: { 200: IvrFlow, ...ProblemResponses },
      },
    },
    async (request) => getIvrFlow({ db: app.db, ...request.params }),
  );
  app.patch(
    `${org}/ivr-flows/:ivrFlowId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Rename an IVR flow or replace its definition (validated again)',
        params: IvrFlowParams,
        body: UpdateIvrFlowBody,
        response: { 200: IvrFlow, ...ProblemResponses },
      },
    },
    async (request) => {
      const flow = await updateIvrFlow({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      });
      await configurationChanged();
      return flow;
    },
  );
  app.delete(
    `${org}/ivr-flows/:ivrFlowId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Delete an IVR flow (409 while a number uses it)',
        params: IvrFlowParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteIvrFlow({ db: app.db, principal: principalOf(request), ...request.params });
      await configurationChanged();
      return reply.code(204).send(null);
    },
  );
}
