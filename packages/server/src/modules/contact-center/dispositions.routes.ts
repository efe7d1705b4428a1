// Dispositions under /api/organizations/:orgId/dispositions: the built-in ones
// (read-only) and the organization's own.
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import {
  CONFIG_WRITERS,
  CreateDispositionBody,
  DISPOSITION_READERS,
  Disposition,
  DispositionCycle,
  DispositionParams,
  UpdateDispositionBody,
} from './contact-center.schemas.ts';
import {
  createDisposition,
  deleteDisposition,
  listDispositions,
  updateDisposition,
} from './dispositions.service.ts';
import {
  type ContactCenterApp,
  type ContactCenterRouteContext,
  conflict,
  items,
  noContent,
} from './routes-common.ts';

export function registerDispositionRoutes(
  app: ContactCenterApp,
  { org, dispositionsChanged }: ContactCenterRouteContext,
) {
  app.get(
    `${org}/dispositions`,
    {
      config: { access: { roles: DISPOSITION_READERS } },
      schema: {
        tags: ['contact center'],
        summary:
          'Built-in dispositions (read-only) and the organization’s own; cycleType keeps those offered in it',
        params: OrgParams,
        querystring: Type.Object(
          { cycleType: Type.Optional(DispositionCycle) },
          { additionalProperties: false },
        ),
        response: { 200: items(Disposition), ...ProblemResponses },
      },
    },
    async (request) => ({
      items: await listDispositions({
        db: app.db,
        orgId: request.params.orgId,
        cycleType: request.query.cycleType,
      }),
    }),
  );
  app.post(
    `${org}/dispositions`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Create a custom disposition with one of the built-in effects (or none)',
        params: OrgParams,
        body: CreateDispositionBody,
        response: { 201: Disposition, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const created = await createDisposition({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        input: {
          ...request.body,
          cycleType: request.body.cycleType ?? null,
          successful: request.body.successful ?? false,
        },
      });
      await dispositionsChanged();
      return reply.code(201).send(created);
    },
  );
  app.patch(
    `${org}/dispositions/:dispositionId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Change a custom disposition (built-in ones answer 409)',
        params: DispositionParams,
        body: UpdateDispositionBody,
        response: { 200: Disposition, ...conflict, ...ProblemResponses },
      },
    },
    async (request) => {
      const updated = await updateDisposition({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      });
      await dispositionsChanged();
      return updated;
    },
  );
  app.delete(
    `${org}/dispositions/:dispositionId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Delete a custom disposition (built-in ones answer 409)',
        params: DispositionParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteDisposition({ db: app.db, principal: principalOf(request), ...request.params });
      await dispositionsChanged();
      return reply.code(204).send(null);
    },
  );
}
