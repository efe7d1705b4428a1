import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { USER_ROLES } from '../../db/schema.ts';
import { principalOf, SESSION_COOKIE } from '../../http/access.ts';
import { ProblemResponses, Uuid } from '../../http/schemas.ts';
import { ALL_ROLES, type Principal } from './principal.ts';

const Session = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('api_key')]),
  id: Uuid,
  name: Type.String({ description: 'E-mail of the user, or name of the API key' }),
  role: Type.Union([...USER_ROLES, 'integration'].map((role) => Type.Literal(role))),
  allOrganizations: Type.Boolean(),
  organizationIds: Type.Array(Uuid),
  bankDataAccess: Type.Boolean({
    description: 'May ask for full IBANs (?reveal=iban); each reveal is audited',
  }),
  csrfToken: Type.Optional(
    Type.String({ description: 'Send it as the x-csrf-token header on every POST/PATCH/PUT/DELETE' }),
  ),
});

function describe(principal: Principal) {
  return principal.kind === 'user'
    ? {
        kind: 'user' as const,
        id: principal.userId,
        name: principal.email,
        role: principal.role,
        allOrganizations: principal.allOrganizations,
        organizationIds: [...principal.orgIds],
        bankDataAccess: principal.bankDataAccess,
        csrfToken: principal.csrfToken,
      }
    : {
        kind: 'api_key' as const,
        id: principal.keyId,
        name: principal.keyName,
        role: principal.role,
        allOrganizations: false,
        organizationIds: [principal.orgId],
        bankDataAccess: principal.bankDataAccess,
      };
}

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cookieOptions = (request: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: app.config.cookieSecure === 'auto' ? request.protocol === 'https' : app.config.cookieSecure,
  });

  app.post(
    '/api/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: { max: app.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; sets an HttpOnly session cookie',
        body: Type.Object(
          {
            email: Type.String({ minLength: 3, maxLength: 254 }),
            password: Type.String({ minLength: 1, maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Session, 423: Type.Ref('Problem'), 429: Type.Ref('Problem'), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { token, expiresAt, principal } = await app.auth.login({
        email: request.body.email,
        password: request.body.password,
        userAgent: request.headers['user-agent'] ?? '',
      });
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(request), expires: expiresAt });
      return describe(principal);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: { roles: USER_ROLES } },
      schema: {
        tags: ['auth'],
        summary: 'End the session',
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind === 'user') await app.auth.logout(principal.sessionHash);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/session',
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: ['auth'],
        summary: 'Who is calling: the signed-in user (with its CSRF token) or the API key',
        response: { 200: Session, ...ProblemResponses },
      },
    },
    async (request) => describe(principalOf(request)),
  );
};
