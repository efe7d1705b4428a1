// API keys of an organization, for its integrations. The key is returned once,
// at creation; only its SHA-256 and visible prefix are stored.
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { newApiKey, sha256 } from '../auth/tokens.ts';
import { apiKeyErrors } from './api-keys.errors.ts';

export type ApiKeyInfo = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  bankDataAccess: boolean;
};

export async function createApiKey(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  name: string;
  /** May see full IBANs when asking explicitly (DOMAIN.md §6). */
  bankDataAccess?: boolean | undefined;
}) {
  const bankDataAccess = options.bankDataAccess ?? false;
  const { key, prefix } = newApiKey();
  const row = await options.db.forOrg(options.orgId, async (tx) => {
    const created = await tx
      .insertInto('api_keys')
      .values({
        org_id: options.orgId,
        name: options.name,
        prefix,
        key_hash: sha256(key),
        created_by: options.principal?.kind === 'user' ? options.principal.userId : null,
        bank_data_access: bankDataAccess,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'api_key.created',
      target: created.id,
      details: { name: options.name, prefix, bankDataAccess },
    });
    return created;
  });
  return {
    id: row.id,
    name: options.name,
    prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    bankDataAccess,
    key,
  };
}

export async function listApiKeys(options: { db: Database; orgId: string }): Promise<ApiKeyInfo[]> {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx
      .selectFrom('api_keys')
      .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at', 'bank_data_access'])
      .orderBy('created_at', 'desc')
      .execute(),
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    bankDataAccess: row.bank_data_access,
  }));
}

export async function revokeApiKey(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  keyId: string;
}) {
  const revoked = await options.db.forOrg(options.orgId, async (tx) => {
    const row = await tx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', options.keyId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (row) {
      await recordAudit(tx, {
        orgId: options.orgId,
        principal: options.principal,
        action: 'api_key.revoked',
        target: row.id,
      });
    }
    return row;
  });
  if (!revoked) throw apiKeyErrors.notFound();
}
