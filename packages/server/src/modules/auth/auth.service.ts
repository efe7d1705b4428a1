// Sign-in, sessions and credential resolution. Stateful only through the
// short-lived verification caches (see auth-cache.ts).
import type { Database } from '../../db/database.ts';
import { authErrors } from './auth.errors.ts';
import { type AuthCache, createAuthCache } from './auth-cache.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import type { ApiKeyPrincipal, UserPrincipal } from './principal.ts';
import { csrfTokenFor, parseApiKey, randomToken, safeEqual, sha256 } from './tokens.ts';

export type AuthSettings = {
  sessionTtlHours: number;
  loginMaxFailures: number;
  loginLockoutMinutes: number;
};

export type Authenticator = ReturnType<typeof createAuthenticator>;

const CACHE_TTL_MS = 30_000;
const API_KEY_TOUCH_INTERVAL_MS = 60_000;

export function createAuthenticator(options: { db: Database; settings: AuthSettings; now?: () => Date }) {
  const { db, settings } = options;
  const now = options.now ?? (() => new Date());
  const sessions: AuthCache<UserPrincipal & { expiresAtMs: number }> = createAuthCache({
    ttlMs: CACHE_TTL_MS,
    maxEntries: 50_000,
  });
  const apiKeys: AuthCache<ApiKeyPrincipal> = createAuthCache({ ttlMs: CACHE_TTL_MS, maxEntries: 50_000 });

  async function loadUserPrincipal(
    userId: string,
    sessionToken: string,
    tx: Parameters<Parameters<Database['forAuth']>[0]>[0],
  ): Promise<UserPrincipal | undefined> {
    const user = await tx
      .selectFrom('users')
      .select(['id', 'email', 'display_name', 'role', 'org_id', 'disabled_at', 'bank_data_access'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user || user.disabled_at) return undefined;
    let orgIds: string[] = [];
    if (user.org_id) orgIds = [user.org_id];
    else if (user.role !== 'admin') {
      const rows = await tx
        .selectFrom('user_organizations')
        .select('org_id')
        .where('user_id', '=', userId)
        .execute();
      orgIds = rows.map((row) => row.org_id);
    }
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      displayName: user.display_name,
      role: user.role,
      allOrganizations: user.role === 'admin',
      orgIds,
      sessionHash: sha256(sessionToken),
      csrfToken: csrfTokenFor(sessionToken),
      bankDataAccess: user.bank_data_access,
    };
  }

  return {
    /** Checks the password (outside any transaction: scrypt must not hold PGlite's one connection). */
    async login(input: { email: string; password: string; userAgent: string }) {
      const email = input.email.trim().toLowerCase();
      const user = await db.forAuth((tx) =>
        tx
          .selectFrom('users')
          .select(['id', 'password_hash', 'locked_until', 'disabled_at'])
          .where('email', '=', email)
          .executeTakeFirst(),
      );
      if (!user) {
        await verifyPassword(input.password, await dummyPasswordHash());
        throw authErrors.invalidCredentials();
      }
      const at = now();
      if (user.locked_until && user.locked_until > at) throw authErrors.accountLocked(user.locked_until);
      const passwordOk = await verifyPassword(input.password, user.password_hash);
      if (!passwordOk || user.disabled_at) {
        const lockedUntil = new Date(at.getTime() + settings.loginLockoutMinutes * 60_000);
        // Counted in SQL so concurrent failures cannot undercount.
        const updated = await db.forAuth((tx) =>
          tx
            .updateTable('users')
            .set((eb) => ({
              failed_login_count: eb('failed_login_count', '+', 1),
              locked_until: eb
                .case()
                .when('failed_login_count', '>=', settings.loginMaxFailures - 1)
                .then(lockedUntil)
                .else(eb.ref('locked_until'))
                .end(),
            }))
            .where('id', '=', user.id)
            .returning(['locked_until'])
            .executeTakeFirst(),
        );
        if (updated?.locked_until && updated.locked_until > at)
          throw authErrors.accountLocked(updated.locked_until);
        throw authErrors.invalidCredentials();
      }
      const token = randomToken();
      const expiresAt = new Date(at.getTime() + settings.sessionTtlHours * 3_600_000);
      const principal = await db.forAuth(async (tx) => {
        await tx
          .updateTable('users')
          .set({ failed_login_count: 0, locked_until: null })
          .where('id', '=', user.id)
          .execute();
        await tx
          .insertInto('sessions')
          .values({
            token_hash: sha256(token),
            user_id: user.id,
            expires_at: expiresAt,
            user_agent: input.userAgent.slice(0, 300),
          })
          .execute();
        return loadUserPrincipal(user.id, token, tx);
      });
      if (!principal) throw authErrors.invalidCredentials();
      return { token, expiresAt, principal };
    },

    async resolveSession(token: string): Promise<UserPrincipal | undefined> {
      const hash = sha256(token);
      const nowMs = now().getTime();
      const cached = sessions.get(hash, nowMs);
      if (cached) return cached;
      const principal = await db.forAuth(async (tx) => {
        const session = await tx
          .selectFrom('sessions')
          .select(['user_id', 'expires_at'])
          .where('token_hash', '=', hash)
          .executeTakeFirst();
        if (!session || session.expires_at.getTime() <= nowMs) return undefined;
        const user = await loadUserPrincipal(session.user_id, token, tx);
        return user && { ...user, expiresAtMs: session.expires_at.getTime() };
      });
      if (principal) sessions.set(hash, principal, nowMs, principal.expiresAtMs);
      return principal;
    },

    async logout(sessionHash: string) {
      sessions.delete(sessionHash);
      await db.forAuth((tx) => tx.deleteFrom('sessions').where('token_hash', '=', sessionHash).execute());
    },

    async resolveApiKey(key: string): Promise<ApiKeyPrincipal | undefined> {
      const parsed = parseApiKey(key);
      if (!parsed) return undefined;
      const hash = sha256(key);
      const at = now();
      const cached = apiKeys.get(hash, at.getTime());
      if (cached) return cached;
      const principal = await db.forAuth(async (tx) => {
        const row = await tx
          .selectFrom('api_keys')
          .select(['id', 'org_id', 'name', 'key_hash', 'revoked_at', 'last_used_at', 'bank_data_access'])
          .where('prefix', '=', parsed.prefix)
          .executeTakeFirst();
        if (!row || row.revoked_at || !safeEqual(row.key_hash, hash)) return undefined;
        if (!row.last_used_at || at.getTime() - row.last_used_at.getTime() > API_KEY_TOUCH_INTERVAL_MS) {
          await tx.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', row.id).execute();
        }
        return {
          kind: 'api_key',
          keyId: row.id,
          keyName: row.name,
          role: 'integration',
          orgId: row.org_id,
          bankDataAccess: row.bank_data_access,
        } as const;
      });
      if (principal) apiKeys.set(hash, principal, at.getTime());
      return principal;
    },

    /** After a change of the account's permissions: forget its verified sessions on this node. */
    evictUser(userId: string) {
      sessions.deleteWhere((principal) => principal.userId === userId);
    },

    /** After a revocation: forget what was verified. */
    evictApiKey(keyId: string) {
      apiKeys.deleteWhere((principal) => principal.keyId === keyId);
    },
  };
}
