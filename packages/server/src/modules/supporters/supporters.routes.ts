// The CRM's REST API under /api/organizations/:orgId: supporters (with their
// timeline and consents), custom-field definitions, CRM settings, the
// do-not-call list, register checks and phone compliance.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses, Uuid } from '../../http/schemas.ts';
import { consentHistory, currentConsents, recordConsent } from './consents.service.ts';
import { DEDUPE_RULES, getCrmSettings, updateCrmSettings } from './crm-settings.service.ts';
import {
  createCustomField,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
} from './custom-fields.service.ts';
import {
  addDncEntry,
  getDncEntry,
  getPhoneCompliance,
  listDncEntries,
  recordRegisterCheck,
  removeDncEntry,
} from './dnc.service.ts';
import { supporterErrors } from './supporters.errors.ts';
import {
  Channel,
  Consent,
  CRM_CONFIG_READERS,
  CRM_CONFIG_WRITERS,
  CRM_READERS,
  CRM_WRITERS,
  CreateSupporterBody,
  Cursor,
  DateTime,
  IsoDate,
  Limit,
  ListSupportersQuery,
  Supporter,
  SupporterParams,
  SupporterSummary,
  UpdateSupporterBody,
} from './supporters.schemas.ts';
import { createSupporter, getSupporter, listSupporters, updateSupporter } from './supporters.service.ts';
import { supporterTimeline } from './timeline.service.ts';

const page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
const PageQuery = Type.Object(
  { limit: Limit, cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
const conflict = { 409: Type.Ref('Problem') };

/** `"3"`, `W/"3"` or `3` → 3; anything else is not a version. */
function versionFromIfMatch(header: string | undefined): number | undefined {
  const match = header?.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/);
  return match ? Number(match[1]) : undefined;
}

const CustomField = Type.Object({
  key: Type.String(),
  label: Type.String(),
  type: Type.Union([
    Type.Literal('text'),
    Type.Literal('number'),
    Type.Literal('date'),
    Type.Literal('boolean'),
  ]),
  createdAt: DateTime,
});
const CustomFieldParams = Type.Object(
  { orgId: Uuid, key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', examples: ['shirt_size'] }) },
  { additionalProperties: false },
);
const NumberParams = Type.Object(
  {
    orgId: Uuid,
    number: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'Phone number, E.164 preferred (URL-encode "+")',
    }),
  },
  { additionalProperties: false },
);
const DncEntry = Type.Object({
  number: Type.String(),
  reason: Type.String(),
  source: Type.String(),
  addedAt: DateTime,
});
const DedupeRule = Type.Enum(DEDUPE_RULES);
const CrmSettings = Type.Object({
  creditorId: Type.Union([Type.String(), Type.Null()]),
  dedupeRules: Type.Array(DedupeRule),
  registerCheckMaxAgeDays: Type.Integer(),
  updatedAt: Type.Union([DateTime, Type.Null()]),
});

export const supporterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Supporter);
  const supporterRef = Type.Ref('Supporter');

  // ---- supporters ----
  app.get(
    '/api/organizations/:orgId/supporters',
    {
      config: { access: { roles: CRM_READERS } },
      schema: {
        tags: ['supporters'],
        summary: 'Supporters by name, with filters and search (q: name, phone, e-mail or fiscal code)',
        params: OrgParams,
        querystring: ListSupportersQuery,
        response: { 200: page(SupporterSummary), ...ProblemResponses },
      },
    },
    async (request) => {
      const { query } = request;
      return listSupporters({
        db: app.db,
        orgId: request.params.orgId,
        limit: query.limit,
        cursor: query.cursor,
        q: query.q,
        statuses: query.status,
        source: query.source,
        tag: query.tag,
        updatedSince: query.updatedSince,
      });
    },
  );

  app.post(
    '/api/organizations/:orgId/supporters',
    {
      config: { access: { roles: CRM_WRITERS } },
      schema: {
        tags: ['supporters'],
        summary: 'Create a supporter (phones to E.164, fiscal code and e-mails validated)',
        params: OrgParams,
        body: CreateSupporterBody,
        response: { 201: supporterRef, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const supporter = await createSupporter({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        input: request.body,
      });
      return reply.code(201).header('etag', `"${supporter.version}"`).send(supporter);
    },
  );

  app.get(
    '/api/organizations/:orgId/supporters/:supporterId',
    {
      config: { access: { roles: CRM_READERS } },
      schema: {
        tags: ['supporters'],
        summary:
          'One supporter with phones, e-mails, external ids, addresses, custom fields and current consents',
        params: SupporterParams,
        response: { 200: supporterRef, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const supporter = await getSupporter({ db: app.db, ...request.params });
      return reply.header('etag', `"${supporter.version}"`).send(supporter);
    },
  );

  app.patch(
    '/api/organizations/:orgId/supporters/:supporterId',
    {
      config: { access: { roles: CRM_WRITERS } },
      schema: {
        tags: ['supporters'],
        summary: 'Change a supporter; send the version you read (body or If-Match): 409 if it changed since',
        params: SupporterParams,
        body: UpdateSupporterBody,
        response: { 200: supporterRef, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { version, ...changes } = request.body;
      const expectedVersion = version ?? versionFromIfMatch(request.headers['if-match']);
      if (expectedVersion === undefined) throw supporterErrors.versionRequired();
      const supporter = await updateSupporter({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        expectedVersion,
        changes,
      });
      return reply.header('etag', `"${supporter.version}"`).send(supporter);
    },
  );

  app.get(
    '/api/organizations/:orgId/supporters/:supporterId/timeline',
    {
      config: { access: { roles: CRM_READERS } },
      schema: {
        tags: ['supporters'],
        summary: "A supporter's changes, consents, commitment events and gifts, newest first",
        params: SupporterParams,
        querystring: PageQuery,
        response: {
          200: page(
            Type.Object({
              type: Type.String({ description: 'supporter, consent, commitment or gift' }),
              id: Type.String(),
              at: DateTime,
              kind: Type.String(),
              actor: Type.String(),
              details: Type.Record(Type.String(), Type.Unknown()),
            }),
          ),
          ...ProblemResponses,
        },
      },
    },
    async (request) => supporterTimeline({ db: app.db, ...request.params, ...request.query }),
  );

  // ---- consents ----
  app.post(
    '/api/organizations/:orgId/supporters/:supporterId/consents',
    {
      config: { access: { roles: CRM_WRITERS } },
      schema: {
        tags: ['consents'],
        summary: 'Record a consent or its revocation for a channel and purpose',
        params: SupporterParams,
        body: Type.Object(
          {
            channel: Channel,
            purpose: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', examples: ['marketing'] }),
            granted: Type.Boolean(),
            source: Type.String({ minLength: 1, maxLength: 100, examples: ['phone call'] }),
            evidence: Type.Optional(Type.String({ maxLength: 2000 })),
            recordedAt: Type.Optional(DateTime),
            interactionId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: { 201: Consent, ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await recordConsent({
          db: app.db,
          principal: principalOf(request),
          ...request.params,
          consent: request.body,
        }),
      ),
  );

  app.get(
    '/api/organizations/:orgId/supporters/:supporterId/consents',
    {
      config: { access: { roles: CRM_READERS } },
      schema: {
        tags: ['consents'],
        summary: 'Current consent per channel and purpose (latest; at equal time a revocation wins)',
        params: SupporterParams,
        response: { 200: Type.Object({ items: Type.Array(Consent) }), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await currentConsents({ db: app.db, ...request.params }) }),
  );

  app.get(
    '/api/organizations/:orgId/supporters/:supporterId/consents/history',
    {
      config: { access: { roles: CRM_READERS } },
      schema: {
        tags: ['consents'],
        summary: 'Every consent event of a supporter, newest first',
        params: SupporterParams,
        querystring: PageQuery,
        response: { 200: page(Consent), ...ProblemResponses },
      },
    },
    async (request) => consentHistory({ db: app.db, ...request.params, ...request.query }),
  );

  // ---- custom-field definitions ----
  app.get(
    '/api/organizations/:orgId/custom-fields',
    {
      // Whoever reads supporters reads the definitions, to label and type their values.
      config: { access: { roles: CRM_READERS } },
      schema: {
        tags: ['supporters'],
        summary: "The organization's custom supporter fields (readable by every role that reads supporters)",
        params: OrgParams,
        response: { 200: Type.Object({ items: Type.Array(CustomField) }), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listCustomFields({ db: app.db, orgId: request.params.orgId }) }),
  );

  app.post(
    '/api/organizations/:orgId/custom-fields',
    {
      config: { access: { roles: CRM_CONFIG_WRITERS } },
      schema: {
        tags: ['supporters'],
        summary: 'Define a custom supporter field',
        params: OrgParams,
        body: Type.Object(
          {
            key: CustomFieldParams.properties.key,
            label: Type.String({ minLength: 1, maxLength: 100 }),
            type: CustomField.properties.type,
          },
          { additionalProperties: false },
        ),
        response: { 201: CustomField, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createCustomField({
          db: app.db,
          principal: principalOf(request),
          orgId: request.params.orgId,
          ...request.body,
        }),
      ),
  );

  app.patch(
    '/api/organizations/:orgId/custom-fields/:key',
    {
      config: { access: { roles: CRM_CONFIG_WRITERS } },
      schema: {
        tags: ['supporters'],
        summary: "Rename a custom field's label (its key and type are fixed)",
        params: CustomFieldParams,
        body: Type.Object(
          { label: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: CustomField, ...ProblemResponses },
      },
    },
    async (request) =>
      updateCustomField({ db: app.db, principal: principalOf(request), ...request.params, ...request.body }),
  );

  app.delete(
    '/api/organizations/:orgId/custom-fields/:key',
    {
      config: { access: { roles: CRM_CONFIG_WRITERS } },
      schema: {
        tags: ['supporters'],
        summary: 'Delete a custom field no supporter has a value for',
        params: CustomFieldParams,
        response: { 204: Type.Null(), ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteCustomField({ db: app.db, principal: principalOf(request), ...request.params });
      return reply.code(204).send(null);
    },
  );

  // ---- CRM settings ----
  app.get(
    '/api/organizations/:orgId/crm-settings',
    {
      config: { access: { roles: CRM_CONFIG_READERS } },
      schema: {
        tags: ['supporters'],
        summary: 'SEPA creditor id, import dedupe rules, register check maximum age',
        params: OrgParams,
        response: { 200: CrmSettings, ...ProblemResponses },
      },
    },
    async (request) => getCrmSettings({ db: app.db, orgId: request.params.orgId }),
  );

  app.patch(
    '/api/organizations/:orgId/crm-settings',
    {
      config: { access: { roles: CRM_CONFIG_WRITERS } },
      schema: {
        tags: ['supporters'],
        summary: 'Change the CRM settings (the creditor id is checked: format and mod-97 digits)',
        params: OrgParams,
        body: Type.Object(
          {
            creditorId: Type.Optional(
              Type.Union([
                Type.String({ maxLength: 40, examples: ['IT66ZZZA1B2C3D4E5F6G7H8'] }),
                Type.Null(),
              ]),
            ),
            dedupeRules: Type.Optional(Type.Array(DedupeRule, { maxItems: 4 })),
            registerCheckMaxAgeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: CrmSettings, ...ProblemResponses },
      },
    },
    async (request) =>
      updateCrmSettings({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        changes: request.body,
      }),
  );

  // ---- do-not-call ----
  app.get(
    '/api/organizations/:orgId/dnc',
    {
      config: { access: { roles: CRM_READERS } },
      schema: {
        tags: ['do-not-call'],
        summary: "The organization's do-not-call list, by number",
        params: OrgParams,
        querystring: PageQuery,
        response: { 200: page(DncEntry), ...ProblemResponses },
      },
    },
    async (request) => listDncEntries({ db: app.db, orgId: request.params.orgId, ...request.query }),
  );

  app.post(
    '/api/organizations/:orgId/dnc',
    {
      config: { access: { roles: CRM_WRITERS } },
      schema: {
        tags: ['do-not-call'],
        summary: 'Add a number (normalized to E.164); 200 with the existing entry when already listed',
        params: OrgParams,
        body: Type.Object(
          {
            number: Type.String({ minLength: 1, maxLength: 40, examples: ['+39 347 123 4567'] }),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
            source: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: DncEntry, 201: DncEntry, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { entry, created } = await addDncEntry({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        ...request.body,
      });
      return reply.code(created ? 201 : 200).send(entry);
    },
  );

  app.get(
    '/api/organizations/:orgId/dnc/:number',
    {
      config: { access: { roles: CRM_READERS } },
      schema: {
        tags: ['do-not-call'],
        summary: "Check a number against the organization's list: the entry, or 404",
        params: NumberParams,
        response: { 200: DncEntry, ...ProblemResponses },
      },
    },
    async (request) => getDncEntry({ db: app.db, ...request.params }),
  );

  app.delete(
    '/api/organizations/:orgId/dnc/:number',
    {
      config: { access: { roles: CRM_WRITERS } },
      schema: {
        tags: ['do-not-call'],
        summary: 'Remove a number from the list',
        params: NumberParams,
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await removeDncEntry({ db: app.db, principal: principalOf(request), ...request.params });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/organizations/:orgId/register-checks',
    {
      config: { access: { roles: CRM_WRITERS } },
      schema: {
        tags: ['do-not-call'],
        summary: 'Record a check of a number against the national register (Registro delle Opposizioni)',
        params: OrgParams,
        body: Type.Object(
          {
            number: Type.String({ minLength: 1, maxLength: 40, examples: ['+39 347 123 4567'] }),
            checkedOn: IsoDate,
            registered: Type.Boolean({ description: 'true: the number is in the register (opposed)' }),
            source: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            number: Type.String(),
            checkedOn: Type.String(),
            registered: Type.Boolean(),
            source: Type.String(),
          }),
          ...ProblemResponses,
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await recordRegisterCheck({ db: app.db, orgId: request.params.orgId, ...request.body })),
  );

  app.get(
    '/api/organizations/:orgId/phones/:number/compliance',
    {
      config: { access: { roles: CRM_READERS } },
      schema: {
        tags: ['do-not-call'],
        summary: 'May this number be called? Own list, latest register check and its age',
        params: NumberParams,
        querystring: Type.Object(
          { on: Type.Optional(IsoDate) },
          {
            additionalProperties: false,
            description: 'on: the date to judge (default today, organization time)',
          },
        ),
        response: {
          200: Type.Object({
            number: Type.String(),
            onOrgList: Type.Boolean(),
            lastRegisterCheck: Type.Union([
              Type.Object({ checkedOn: Type.String(), registered: Type.Boolean() }),
              Type.Null(),
            ]),
            stale: Type.Boolean(),
            maxAgeDays: Type.Integer(),
            callable: Type.Boolean(),
            reasons: Type.Array(Type.String()),
          }),
          ...ProblemResponses,
        },
      },
    },
    async (request) => getPhoneCompliance({ db: app.db, ...request.params, on: request.query.on }),
  );
};
