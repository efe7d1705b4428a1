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

export type UserRoutesOptions = {
  /** Called after an account is created or changed: the live runtime reads its operators again. Never rejects. */
  onUsersChanged?: () => Promise<void>;
};

export const userRoutes: FastifyPluginAsyncTypebox<UserRoutesOptions> = async (app, options) => {
  const usersChanged = async () => {
    await options.onUsersChanged?.();
  };
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
    async (request, reply) => {
      const user = await createUser({ db: app.db, principal: principalOf(request), ...request.body });
      await usersChanged();
      return reply.code(201).send(user);
    },
  );

  app.patch(
    '/api/users/:userId',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['users'],
        summary:
          'Change an account (audited): the permission to see full IBANs, its staff role, its organizations, disabled',
        params: Type.Object({ userId: Uuid }, { additionalProperties: false }),
        body: Type.Object(
          {
            bankDataAccess: Type.Optional(Type.Boolean()),
            role: Type.Optional(Role),
            organizationIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000, uniqueItems: true })),
            disabled: Type.Optional(
              Type.Boolean({ description: 'A disabled account cannot sign in and takes no contacts' }),
            ),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: userRef, 409: Type.Ref('Problem'), ...ProblemResponses },
      },
    },
    async (request) => {
      const user = await updateUser({
        db: app.db,
        principal: principalOf(request),
        userId: request.params.userId,
        ...request.body,
      });
      app.auth.evictUser(user.id);
      await usersChanged();
      return user;
    },
  );
};
