import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses, Uuid } from '../../http/schemas.ts';
import { ALL_ROLES } from '../auth/principal.ts';
import {
  createOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from './organizations.service.ts';

const Locale = Type.Union([Type.Literal('it'), Type.Literal('en')]);
const Slug = Type.String({
  pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$',
  description: 'Lower-case letters, digits and dashes; used in URLs, files and the CLI',
});
const Name = Type.String({ minLength: 1, maxLength: 200 });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone, e.g. Europe/Rome',
});

const Organization = Type.Object(
  {
    id: Uuid,
    kind: Type.Union([Type.Literal('center'), Type.Literal('client')]),
    slug: Type.String(),
    name: Type.String(),
    timeZone: Type.String(),
    locale: Locale,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Organization' },
);

export const organizationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Organization);
  const organizationRef = Type.Ref('Organization');
  const staff = ['admin', 'supervisor', 'planner', 'quality', 'operator', 'client_viewer'] as const;

  app.get(
    '/api/organizations',
    {
      config: { access: { roles: staff } },
      schema: {
        tags: ['organizations'],
        summary: 'Organizations the caller works for (all of them for admins)',
        response: { 200: Type.Object({ items: Type.Array(organizationRef) }), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listOrganizations({ db: app.db, principal: principalOf(request) }) }),
  );

  app.post(
    '/api/organizations',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['organizations'],
        summary: 'Create a client organization',
        body: Type.Object(
          { slug: Slug, name: Name, timeZone: Type.Optional(TimeZone), locale: Type.Optional(Locale) },
          { additionalProperties: false },
        ),
        response: { 201: organizationRef, 409: Type.Ref('Problem'), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const organization = await createOrganization({
        db: app.db,
        principal: principalOf(request),
        ...request.body,
      });
      return reply.code(201).send(organization);
    },
  );

  app.get(
    '/api/organizations/:orgId',
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: ['organizations'],
        summary: 'One organization',
        params: OrgParams,
        response: { 200: organizationRef, ...ProblemResponses },
      },
    },
    async (request) => getOrganization({ db: app.db, orgId: request.params.orgId }),
  );

  app.patch(
    '/api/organizations/:orgId',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['organizations'],
        summary: 'Rename an organization or change its time zone or language',
        params: OrgParams,
        body: Type.Object(
          { name: Type.Optional(Name), timeZone: Type.Optional(TimeZone), locale: Type.Optional(Locale) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: organizationRef, ...ProblemResponses },
      },
    },
    async (request) =>
      updateOrganization({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        changes: request.body,
      }),
  );
};
