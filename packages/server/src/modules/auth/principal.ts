// Who is calling: a signed-in user or an organization's API key.
import type { UserRole } from '../../db/schema.ts';

export type Role = UserRole | 'integration';
export const ALL_ROLES: readonly Role[] = [
  'admin',
  'supervisor',
  'planner',
  'quality',
  'operator',
  'client_viewer',
  'integration',
];

export type UserPrincipal = {
  kind: 'user';
  userId: string;
  email: string;
  displayName: string;
  role: UserRole;
  /** Admins work for every organization; everyone else for their assignments. */
  allOrganizations: boolean;
  orgIds: readonly string[];
  sessionHash: string;
  csrfToken: string;
  /** May see full IBANs when asking explicitly (DOMAIN.md §6); each reveal is audited. */
  bankDataAccess: boolean;
};

export type ApiKeyPrincipal = {
  kind: 'api_key';
  keyId: string;
  keyName: string;
  role: 'integration';
  orgId: string;
  /** May see full IBANs when asking explicitly (DOMAIN.md §6); each reveal is audited. */
  bankDataAccess: boolean;
};

export type Principal = UserPrincipal | ApiKeyPrincipal;

export function canAccessOrganization(principal: Principal, orgId: string): boolean {
  if (principal.kind === 'api_key') return principal.orgId === orgId;
  return principal.allOrganizations || principal.orgIds.includes(orgId);
}

export function actorOf(principal: Principal | null): {
  actor_kind: 'user' | 'api_key' | 'system';
  actor_id: string | null;
} {
  if (!principal) return { actor_kind: 'system', actor_id: null };
  return principal.kind === 'user'
    ? { actor_kind: 'user', actor_id: principal.userId }
    : { actor_kind: 'api_key', actor_id: principal.keyId };
}
