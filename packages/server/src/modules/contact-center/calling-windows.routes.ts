// The organization's calling windows (when outbound calls may be placed) under
// /api/organizations/:orgId/calling-windows.
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import {
  createCallingWindow,
  deleteCallingWindow,
  getCallingWindow,
  listCallingWindows,
  updateCallingWindow,
} from './calling-windows.service.ts';
import {
  CALLING_WINDOW_READERS,
  CallingWindow,
  CallingWindowParams,
  CONFIG_WRITERS,
  CreateCallingWindowBody,
  UpdateCallingWindowBody,
} from './contact-center.schemas.ts';
import {
  type ContactCenterApp,
  type ContactCenterRouteContext,
  conflict,
  items,
  noContent,
} from './routes-common.ts';

export function registerCallingWindowRoutes(app: ContactCenterApp, { org }: ContactCenterRouteContext) {
  app.get(
    `${org}/calling-windows`,
    {
      config: { access: { roles: CALLING_WINDOW_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "The organization's calling windows (when outbound calls may be placed)",
        params: OrgParams,
        response: { 200: items(CallingWindow), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listCallingWindows({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    `${org}/calling-windows`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Create a calling window: weekly periods HH:MM, holidays YYYY-MM-DD, IANA time zone',
        params: OrgParams,
        body: CreateCallingWindowBody,
        response: { 201: CallingWindow, ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createCallingWindow({
          db: app.db,
          principal: principalOf(request),
          orgId: request.params.orgId,
          input: {
            name: request.body.name,
            timeZone: request.body.timeZone ?? 'Europe/Rome',
            weekly: request.body.weekly,
            holidays: request.body.holidays ?? [],
          },
        }),
      ),
  );
  app.get(
    `${org}/calling-windows/:callingWindowId`,
    {
      config: { access: { roles: CALLING_WINDOW_READERS } },
      schema: {
        tags: ['contact center'],
        summary: 'One calling window',
        params: CallingWindowParams,
        response: { 200: CallingWindow, ...ProblemResponses },
      },
    },
    async (request) => getCallingWindow({ db: app.db, ...request.params }),
  );
  app.patch(
    `${org}/calling-windows/:callingWindowId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Change a calling window',
        params: CallingWindowParams,
        body: UpdateCallingWindowBody,
        response: { 200: CallingWindow, ...ProblemResponses },
      },
    },
    async (request) =>
      updateCallingWindow({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      }),
  );
  app.delete(
    `${org}/calling-windows/:callingWindowId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Delete a calling window (409 while a campaign uses it)',
        params: CallingWindowParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteCallingWindow({ db: app.db, principal: principalOf(request), ...request.params });
      return reply.code(204).send(null);
    },
  );
}
