import { describe, expect, it } from 'vitest';
import type { ApiKeyPrincipal, UserPrincipal } from '../modules/auth/principal.ts';
import type { RealtimeEvent } from './hub.ts';
import { parseTypePatterns, scopeOf, typeMatches, visibleTo, wanted } from './scope.ts';

const A = 'aaaaaaaa-0000-4000-8000-000000000000';
const B = 'bbbbbbbb-0000-4000-8000-000000000000';

function user(role: UserPrincipal['role'], orgIds: string[], userId = `user-${role}`): UserPrincipal {
  return {
    kind: 'user',
    userId,
    email: `${role}@example.test`,
    displayName: role,
    role,
    allOrganizations: role === 'admin',
    orgIds,
    sessionHash: 'h',
    csrfToken: 'c',
    bankDataAccess: false,
  };
}
const key: ApiKeyPrincipal = {
  kind: 'api_key',
  keyId: 'k',
  keyName: 'k',
  role: 'integration',
  orgId: A,
  bankDataAccess: false,
};
function event(organizationId: string | null, recipientUserId: string | null = null, type = 'queue.stats') {
  return { seq: 1, type, createdAt: '', organizationId, recipientUserId, data: {} } satisfies RealtimeEvent;
}

describe('stream scope', () => {
  // [principal, sees A's event, sees B's event, sees a center event]
  const cases = [
    ['admin', user('admin', []), true, true, true],
    ['supervisor of A', user('supervisor', [A]), true, false, true],
    ['operator of A', user('operator', [A]), true, false, true],
    ['client viewer of A', user('client_viewer', [A]), true, false, false],
    ["A's API key", key, true, false, false],
  ] as const;
  for (const [name, principal, seesA, seesB, seesCenter] of cases) {
    it(`${name}: A ${seesA}, B ${seesB}, center ${seesCenter}`, () => {
      const scope = scopeOf(principal);
      expect([visibleTo(scope, event(A)), visibleTo(scope, event(B)), visibleTo(scope, event(null))]).toEqual(
        [seesA, seesB, seesCenter],
      );
    });
  }

  it('an event addressed to a user reaches that user only, and only inside their scope', () => {
    const operator = scopeOf(user('operator', [A], 'op-1'));
    const colleague = scopeOf(user('operator', [A], 'op-2'));
    const admin = scopeOf(user('admin', []));
    expect(visibleTo(operator, event(A, 'op-1'))).toBe(true);
    expect(visibleTo(operator, event(null, 'op-1'))).toBe(true);
    expect(visibleTo(colleague, event(A, 'op-1'))).toBe(false);
    expect(visibleTo(admin, event(A, 'op-1'))).toBe(false);
    // Addressed to the operator but about an organization they do not serve: not delivered.
    expect(visibleTo(operator, event(B, 'op-1'))).toBe(false);
    // A client viewer never receives center events, addressed or not.
    expect(visibleTo(scopeOf(user('client_viewer', [A], 'cv')), event(null, 'cv'))).toBe(false);
  });

  it('filters narrow by organization and type; addressed events pass an organization filter', () => {
    const scope = scopeOf(user('operator', [A, B], 'op-1'));
    const onlyA = { orgIds: new Set([A]), types: null };
    expect(wanted(onlyA, scope, event(A))).toBe(true);
    expect(wanted(onlyA, scope, event(B))).toBe(false);
    expect(wanted(onlyA, scope, event(null))).toBe(false);
    expect(wanted(onlyA, scope, event(null, 'op-1'))).toBe(true);
    const interactions = { orgIds: null, types: ['interaction.*', 'queue.stats'] };
    expect(wanted(interactions, scope, event(A, null, 'interaction.offered'))).toBe(true);
    expect(wanted(interactions, scope, event(A, null, 'queue.stats'))).toBe(true);
    expect(wanted(interactions, scope, event(A, null, 'queue.stats_extra'))).toBe(false);
    expect(wanted(interactions, scope, event(A, null, 'campaign.progress'))).toBe(false);
  });

  it('type patterns: exact names, prefixes ending in .*, or *', () => {
    expect(parseTypePatterns('interaction.*, queue.stats ,*')).toEqual({
      patterns: ['interaction.*', 'queue.stats', '*'],
      invalid: [],
    });
    expect(parseTypePatterns('inter*,queue..stats,a.*.b').invalid).toEqual([
      'inter*',
      'queue..stats',
      'a.*.b',
    ]);
    expect(typeMatches('interaction.*', 'interaction')).toBe(false);
    expect(typeMatches('interaction.*', 'interaction.answered')).toBe(true);
    expect(typeMatches('alert.*', 'alerts.x')).toBe(false);
  });
});
