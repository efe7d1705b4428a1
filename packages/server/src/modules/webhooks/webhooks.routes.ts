import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses, Uuid } from '../../http/schemas.ts';
import type { Role } from '../auth/principal.ts';
import { EVENT_TYPES } from './outbox.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  rotateWebhookSecret,
  sendPing,
  updateWebhook,
} from './webhooks.service.ts';

const MANAGE: readonly Role[] = ['admin', 'integration'];
const READ: readonly Role[] = ['admin', 'supervisor', 'integration'];

const EventName = Type.Union([...EVENT_TYPES.map((type) => Type.Literal(type)), Type.Literal('*')], {
  description: "An event type, or '*' for all of them (including types added later)",
});
const Events = Type.Array(EventName, { minItems: 1, maxItems: EVENT_TYPES.length + 1, uniqueItems: true });
const Url = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'https URL; plain http only for localhost, 127.0.0.1 or [::1]',
});
const Description = Type.String({ maxLength: 200 });

const WebhookProperties = {
  id: Uuid,
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Type.String(),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
};
const Webhook = Type.Object(WebhookProperties);
const WebhookWithSecret = Type.Object({
  ...WebhookProperties,
  secret: Type.String({
    description: 'The signing secret (whsec_…), shown in this answer only; store it now',
  }),
});

const DeliveryStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
]);
const DateTimeOrNull = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const Delivery = Type.Object({
  id: Type.String({ description: 'Also sent as the Centralino-Delivery header' }),
  eventId: Uuid,
  eventType: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer({ description: 'Attempts since the delivery was created or last redelivered' }),
  nextAttemptAt: DateTimeOrNull,
  firstAttemptAt: DateTimeOrNull,
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: DateTimeOrNull,
  createdAt: Type.String({ format: 'date-time' }),
});

const WebhookParams = Type.Object({ orgId: Uuid, webhookId: Uuid }, { additionalProperties: false });
const DeliveryParams = Type.Object(
  { orgId: Uuid, webhookId: Uuid, deliveryId: Type.String({ pattern: '^[0-9]{1,18}$' }) },
  { additionalProperties: false },
);

const BASE = '/api/organizations/:orgId/webhooks';

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    BASE,
    {
      config: { access: { roles: READ } },
      schema: {
        tags: ['webhooks'],
        summary: "The organization's webhook subscriptions (never their secrets)",
        params: OrgParams,
        response: { 200: Type.Object({ items: Type.Array(Webhook) }), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listWebhooks({ db: app.db, orgId: request.params.orgId }) }),
  );

  app.post(
    BASE,
    {
      config: { access: { roles: MANAGE } },
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe an endpoint to events; the signing secret is in this answer only',
        params: OrgParams,
        body: Type.Object(
          {
            url: Url,
            events: Events,
            description: Type.Optional(Description),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: WebhookWithSecret, ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createWebhook({
          db: app.db,
          secrets: app.secrets,
          principal: principalOf(request),
          orgId: request.params.orgId,
          ...request.body,
        }),
      ),
  );

  app.get(
    `${BASE}/:webhookId`,
    {
      config: { access: { roles: READ } },
      schema: {
        tags: ['webhooks'],
        summary: 'One webhook subscription',
        params: WebhookParams,
        response: { 200: Webhook, ...ProblemResponses },
      },
    },
    async (request) =>
      getWebhook({ db: app.db, orgId: request.params.orgId, webhookId: request.params.webhookId }),
  );

  app.patch(
    `${BASE}/:webhookId`,
    {
      config: { access: { roles: MANAGE } },
      schema: {
        tags: ['webhooks'],
        summary: 'Change the URL, events, description, or (de)activate a subscription',
        params: WebhookParams,
        body: Type.Object(
          {
            url: Type.Optional(Url),
            events: Type.Optional(Events),
            description: Type.Optional(Description),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Webhook, ...ProblemResponses },
      },
    },
    async (request) =>
      updateWebhook({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        webhookId: request.params.webhookId,
        changes: request.body,
      }),
  );

  app.delete(
    `${BASE}/:webhookId`,
    {
      config: { access: { roles: MANAGE } },
      schema: {
        tags: ['webhooks'],
        summary: 'Delete a subscription and its delivery log',
        params: WebhookParams,
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteWebhook({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        webhookId: request.params.webhookId,
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${BASE}/:webhookId/rotate-secret`,
    {
      config: { access: { roles: MANAGE } },
      schema: {
        tags: ['webhooks'],
        summary: 'Replace the signing secret; the new one is in this answer only and signs from now on',
        params: WebhookParams,
        response: { 200: WebhookWithSecret, ...ProblemResponses },
      },
    },
    async (request) =>
      rotateWebhookSecret({
        db: app.db,
        secrets: app.secrets,
        principal: principalOf(request),
        orgId: request.params.orgId,
        webhookId: request.params.webhookId,
      }),
  );

  app.get(
    `${BASE}/:webhookId/deliveries`,
    {
      config: { access: { roles: READ } },
      schema: {
        tags: ['webhooks'],
        summary: 'Delivery log of a subscription, newest first',
        params: WebhookParams,
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(
              Type.String({ pattern: '^[0-9]{1,18}$', description: 'nextCursor of the previous page' }),
            ),
            status: Type.Optional(DeliveryStatus),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Delivery),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...ProblemResponses,
        },
      },
    },
    async (request) =>
      listDeliveries({
        db: app.db,
        orgId: request.params.orgId,
        webhookId: request.params.webhookId,
        limit: request.query.limit,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        ...(request.query.status ? { status: request.query.status } : {}),
      }),
  );

  app.post(
    `${BASE}/:webhookId/deliveries/:deliveryId/redeliver`,
    {
      config: { access: { roles: MANAGE } },
      schema: {
        tags: ['webhooks'],
        summary: 'Send a delivery again: pending, due now, with a new 24 h retry window',
        params: DeliveryParams,
        response: { 202: Delivery, 409: Type.Ref('Problem'), ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(202).send(
        await redeliver({
          db: app.db,
          principal: principalOf(request),
          orgId: request.params.orgId,
          webhookId: request.params.webhookId,
          deliveryId: request.params.deliveryId,
        }),
      ),
  );

  app.post(
    `${BASE}/:webhookId/test`,
    {
      config: { access: { roles: MANAGE } },
      schema: {
        tags: ['webhooks'],
        summary:
          'Send a webhook.ping event to this endpoint now; answers with the delivery after the attempt',
        params: WebhookParams,
        response: { 200: Delivery, ...ProblemResponses },
      },
    },
    async (request) =>
      sendPing({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        webhookId: request.params.webhookId,
        delivery: { secrets: app.secrets, logger: request.log },
      }),
  );
};
