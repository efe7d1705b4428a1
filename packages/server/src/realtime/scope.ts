// Who receives which event. The scope comes from the principal and is a
// security boundary; the filter is the client's own narrowing (`?orgs=`,
// `?types=`) inside it.
import type { Principal } from '../modules/auth/principal.ts';
import type { RealtimeEvent } from './hub.ts';

export type StreamScope = {
  /** Organizations whose events the connection may receive; 'all' for admins. */
  organizations: ReadonlySet<string> | 'all';
  /** Center-level events (organizationId null): center staff only, never client viewers or API keys. */
  centerEvents: boolean;
  /** Events addressed to this user reach this connection (and no other user's). */
  userId: string | null;
};

export type StreamFilter = {
  /** Only these organizations' events (plus the events addressed to the connected user). */
  orgIds: ReadonlySet<string> | null;
  /** Only event types matching one of these: exact names or prefixes ending in `.*`. */
  types: readonly string[] | null;
};

export function scopeOf(principal: Principal): StreamScope {
  if (principal.kind === 'api_key') {
    return { organizations: new Set([principal.orgId]), centerEvents: false, userId: null };
  }
  return {
    organizations: principal.allOrganizations ? 'all' : new Set(principal.orgIds),
    centerEvents: principal.role !== 'client_viewer',
    userId: principal.userId,
  };
}

/** Whether the principal may see the event at all. */
export function visibleTo(scope: StreamScope, event: RealtimeEvent): boolean {
  if (event.recipientUserId !== null && event.recipientUserId !== scope.userId) return false;
  if (event.organizationId === null) return scope.centerEvents;
  return scope.organizations === 'all' || scope.organizations.has(event.organizationId);
}

/** Whether the client asked for the event (applied after visibleTo). */
export function wanted(filter: StreamFilter, scope: StreamScope, event: RealtimeEvent): boolean {
  if (filter.types && !filter.types.some((pattern) => typeMatches(pattern, event.type))) return false;
  if (filter.orgIds) {
    // A dashboard narrowed to some organizations must not hide an offer addressed to its operator.
    if (event.recipientUserId !== null && event.recipientUserId === scope.userId) return true;
    return event.organizationId !== null && filter.orgIds.has(event.organizationId);
  }
  return true;
}

const TYPE_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$/;

/** `?types=interaction.*,queue.stats` → the patterns, or the ones that are malformed. */
export function parseTypePatterns(raw: string): { patterns: string[]; invalid: string[] } {
  const patterns = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return { patterns, invalid: patterns.filter((pattern) => !TYPE_PATTERN.test(pattern)) };
}

export function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}
