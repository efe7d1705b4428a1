// Every /api route declares who may call it (`config.access`); a route without
// a declaration fails at start-up, not in production. This hook authenticates
// the caller (API key or session cookie), checks the role, the organization in
// the path (`:orgId`) and, for cookie sessions, the CSRF token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authErrors } from '../modules/auth/auth.errors.ts';
import type { Authenticator } from '../modules/auth/auth.service.ts';
import { canAccessOrganization, type Principal, type Role } from '../modules/auth/principal.ts';
import { safeEqual } from '../modules/auth/tokens.ts';

export type RouteAccess = 'public' | { roles: readonly Role[] };

export const SESSION_COOKIE = 'centralino_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function registerAccessControl(app: FastifyInstance, auth: Authenticator) {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const isApi = route.url.startsWith('/api/') && !route.url.startsWith('/api/docs');
    if (isApi && !route.config?.access) {
      throw new Error(
        `Route ${route.method} ${route.url} does not declare config.access (roles or 'public')`,
      );
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return;
    const principal = await authenticate(request, auth);
    if (!principal) throw authErrors.unauthenticated();
    request.principal = principal;
    if (!access.roles.includes(principal.role)) throw authErrors.forbidden();
    if (principal.kind === 'user' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, principal.csrfToken)) throw authErrors.csrf();
    }
    const orgId = (request.params as Record<string, string> | undefined)?.orgId;
    if (orgId !== undefined && !canAccessOrganization(principal, orgId))
      throw authErrors.organizationNotFound();
  });
}

async function authenticate(request: FastifyRequest, auth: Authenticator): Promise<Principal | undefined> {
  const authorization = request.headers.authorization;
  const apiKey =
    (typeof authorization === 'string' && authorization.startsWith('Bearer ')
      ? authorization.slice(7)
      : undefined) ??
    (typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : undefined);
  if (apiKey !== undefined) return auth.resolveApiKey(apiKey.trim());
  const token = request.cookies?.[SESSION_COOKIE];
  return token ? auth.resolveSession(token) : undefined;
}

/** The principal of a route that declared roles (the access hook guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw authErrors.unauthenticated();
  return request.principal;
}
