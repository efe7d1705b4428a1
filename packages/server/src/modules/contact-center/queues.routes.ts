// The organization's queues, validated by the routing engine, under
// /api/organizations/:orgId/queues.
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import {
  CreateQueueBody,
  QUEUE_READERS,
  QUEUE_WRITERS,
  QueueParams,
  UpdateQueueBody,
} from './contact-center.schemas.ts';
import { createQueue, deleteQueue, getQueue, listQueues, updateQueue } from './queues.service.ts';
import {
  type ContactCenterApp,
  type ContactCenterRouteContext,
  conflict,
  items,
  noContent,
} from './routes-common.ts';

export function registerQueueRoutes(
  app: ContactCenterApp,
  { org, configurationChanged, queueRef }: ContactCenterRouteContext,
) {
  app.get(
    `${org}/queues`,
    {
      config: { access: { roles: QUEUE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "The organization's queues by key",
        params: OrgParams,
        response: { 200: items(queueRef), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listQueues({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    `${org}/queues`,
    {
      config: { access: { roles: QUEUE_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Create a queue, validated by the routing engine (a bad skill expression names its column)',
        params: OrgParams,
        body: CreateQueueBody,
        response: { 201: queueRef, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { key, ...input } = request.body;
      const queue = await createQueue({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        key,
        input,
      });
      await configurationChanged();
      return reply.code(201).send(queue);
    },
  );
  app.get(
    `${org}/queues/:queueId`,
    {
      config: { access: { roles: QUEUE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: 'One queue',
        params: QueueParams,
        response: { 200: queueRef, ...ProblemResponses },
      },
    },
    async (request) => getQueue({ db: app.db, ...request.params }),
  );
  app.patch(
    `${org}/queues/:queueId`,
    {
      config: { access: { roles: QUEUE_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Change a queue (not its key), validated by the routing engine with the other queues',
        params: QueueParams,
        body: UpdateQueueBody,
        response: { 200: queueRef, ...ProblemResponses },
      },
    },
    async (request) => {
      const queue = await updateQueue({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      });
      await configurationChanged();
      return queue;
    },
  );
  app.delete(
    `${org}/queues/:queueId`,
    {
      config: { access: { roles: QUEUE_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary:
          'Delete a queue (409 while a queue, IVR flow, campaign, callback or interaction refers to it)',
        params: QueueParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteQueue({ db: app.db, principal: principalOf(request), ...request.params });
      await configurationChanged();
      return reply.code(204).send(null);
    },
  );
}
