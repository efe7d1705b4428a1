import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { USER_ROLES } from '../../db/schema.ts';
import { principalOf } from '../../http/access.ts';
import { ProblemResponses, Uuid } from '../../http/schemas.ts';
import { createUser, listUsers, updateUser } from './users.service.ts';

const Role = Type.Union(USER_ROLES.map((role) => Type.Literal(role)));
const User = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    displayName: Type.String(),
    role: Role,
    organizationIds: Type.Array(Uuid),
    createdAt: Type.String({ format: 'date-time' }),
    lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    disabled: Type.Boolean(),
    bankDataAccess: Type.Boolean({ description: 'May ask for full IBANs (?reveal=iban)' }),
  },
  { $id: 'User' },
);

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(User);
  const userRef = Type.Ref('User');

  app.get(
    '/api/users',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['users'],
        summary: 'All user accounts',
        response: { 200: Type.Object({ items: Type.Array(userRef) }), ...ProblemResponses },
      },
    },
    async () => ({ items: await listUsers({ db: app.db }) }),
  );

  app.post(
    '/api/users',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['users'],
        summary: 'Create a user account',
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 254 }),
            role: Role,
            password: Type.String({ minLength: 10, maxLength: 1024 }),
            displayName: Type.Optional(Type.String({ maxLength: 200 })),
            organizationIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000, uniqueItems: true })),
          },
          { additionalProperties: false },
        ),
        response: { 201: userRef, 409: Type.Ref('Problem'), ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createUser({ db: app.db, principal: principalOf(request), ...request.body })),
  );

  app.patch(
    '/api/users/:userId',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['users'],
        summary: 'Grant or withdraw the permission to see full IBANs (audited)',
        params: Type.Object({ userId: Uuid }, { additionalProperties: false }),
        body: Type.Object({ bankDataAccess: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: userRef, ...ProblemResponses },
      },
    },
    async (request) => {
      const user = await updateUser({
        db: app.db,
        principal: principalOf(request),
        userId: request.params.userId,
        bankDataAccess: request.body.bankDataAccess,
      });
      app.auth.evictUser(user.id);
      return user;
    },
  );
};
