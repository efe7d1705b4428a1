// The organization's numbers (toll-free, DRTV, geographic) under
// /api/organizations/:orgId/numbers.
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import {
  CenterNumber,
  CONFIG_WRITERS,
  CreateNumberBody,
  LINE_READERS,
  NumberParams,
  UpdateNumberBody,
} from './contact-center.schemas.ts';
import { createNumber, deleteNumber, getNumber, listNumbers, updateNumber } from './numbers.service.ts';
import {
  type ContactCenterApp,
  type ContactCenterRouteContext,
  conflict,
  items,
  noContent,
} from './routes-common.ts';

export function registerNumberRoutes(
  app: ContactCenterApp,
  { org, configurationChanged }: ContactCenterRouteContext,
) {
  app.get(
    `${org}/numbers`,
    {
      config: { access: { roles: LINE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "The organization's numbers (toll-free, DRTV, geographic) and their IVR flows",
        params: OrgParams,
        response: { 200: items(CenterNumber), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listNumbers({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    `${org}/numbers`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Add a number (stored as E.164; 409 if the center already has it)',
        params: OrgParams,
        body: CreateNumberBody,
        response: { 201: CenterNumber, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const number = await createNumber({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        number: request.body.e164,
        kind: request.body.kind,
        label: request.body.label,
        ivrFlowId: request.body.ivrFlowId,
      });
      await configurationChanged();
      return reply.code(201).send(number);
    },
  );
  app.get(
    `${org}/numbers/:e164`,
    {
      config: { access: { roles: LINE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: 'One number',
        params: NumberParams,
        response: { 200: CenterNumber, ...ProblemResponses },
      },
    },
    async (request) => getNumber({ db: app.db, ...request.params }),
  );
  app.patch(
    `${org}/numbers/:e164`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Change a number: kind, label, IVR flow (null: none)',
        params: NumberParams,
        body: UpdateNumberBody,
        response: { 200: CenterNumber, ...ProblemResponses },
      },
    },
    async (request) => {
      const number = await updateNumber({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      });
      await configurationChanged();
      return number;
    },
  );
  app.delete(
    `${org}/numbers/:e164`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Remove a number',
        params: NumberParams,
        response: { ...noContent, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteNumber({ db: app.db, principal: principalOf(request), ...request.params });
      await configurationChanged();
      return reply.code(204).send(null);
    },
  );
}
