// Accounts of the center's staff and of the clients' read-only viewers.
import type { Database } from '../../db/database.ts';
import type { UserRole } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import type { Principal } from '../auth/principal.ts';
import { userErrors } from './users.errors.ts';

export type User = {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  organizationIds: string[];
  createdAt: string;
  lockedUntil: string | null;
  disabled: boolean;
  bankDataAccess: boolean;
};

export async function createUser(options: {
  db: Database;
  principal: Principal | null;
  email: string;
  role: UserRole;
  password: string;
  displayName?: string | undefined;
  /** Assignments of center staff; for a client_viewer exactly one: the organization it belongs to. */
  organizationIds?: readonly string[] | undefined;
}): Promise<User> {
  const email = options.email.trim().toLowerCase();
  const organizationIds = [...new Set(options.organizationIds ?? [])];
  const weak = passwordProblem(options.password);
  if (weak) throw userErrors.passwordWeak(weak);
  if (options.role === 'client_viewer' && organizationIds.length !== 1) {
    throw userErrors.organizationsInvalid('A client_viewer belongs to exactly one organization');
  }
  if (options.role === 'admin' && organizationIds.length > 0) {
    throw userErrors.organizationsInvalid(
      'An admin works for every organization; do not assign organizations',
    );
  }
  const passwordHash = await hashPassword(options.password);
  return options.db.asCenter(async (tx) => {
    const known =
      organizationIds.length === 0
        ? []
        : await tx
            .selectFrom('organizations')
            .select(['id', 'kind'])
            .where('id', 'in', organizationIds)
            .execute();
    if (known.length !== organizationIds.length || known.some((org) => org.kind !== 'client')) {
      throw userErrors.organizationsInvalid(
        'Every organization id must name an existing client organization',
      );
    }
    const existing = await tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) throw userErrors.emailTaken(email);
    const user = await tx
      .insertInto('users')
      .values({
        email,
        role: options.role,
        display_name: options.displayName ?? '',
        password_hash: passwordHash,
        org_id: options.role === 'client_viewer' ? organizationIds[0]! : null,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    if (options.role !== 'client_viewer' && organizationIds.length > 0) {
      await tx
        .insertInto('user_organizations')
        .values(organizationIds.map((orgId) => ({ user_id: user.id, org_id: orgId })))
        .execute();
    }
    const center = await tx
      .selectFrom('organizations')
      .select('id')
      .where('kind', '=', 'center')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: center.id,
      principal: options.principal,
      action: 'user.created',
      target: user.id,
      details: { email, role: options.role, organizationIds },
    });
    return {
      id: user.id,
      email,
      displayName: options.displayName ?? '',
      role: options.role,
      organizationIds,
      createdAt: user.created_at.toISOString(),
      lockedUntil: null,
      disabled: false,
      bankDataAccess: false,
    };
  });
}

export async function listUsers(options: { db: Database }): Promise<User[]> {
  return options.db.asCenter(async (tx) => {
    const users = await tx
      .selectFrom('users')
      .select([
        'id',
        'email',
        'display_name',
        'role',
        'org_id',
        'created_at',
        'locked_until',
        'disabled_at',
        'bank_data_access',
      ])
      .orderBy('email')
      .execute();
    const assignments = await tx.selectFrom('user_organizations').select(['user_id', 'org_id']).execute();
    const byUser = Map.groupBy(assignments, (row) => row.user_id);
    return users.map((user) => ({
      id: user.id,
      email: user.email,
      displayName: user.display_name,
      role: user.role,
      organizationIds: user.org_id ? [user.org_id] : (byUser.get(user.id) ?? []).map((row) => row.org_id),
      createdAt: user.created_at.toISOString(),
      lockedUntil: user.locked_until ? user.locked_until.toISOString() : null,
      disabled: user.disabled_at !== null,
      bankDataAccess: user.bank_data_access,
    }));
  });
}

/** Grants or withdraws the permission to see full IBANs (DOMAIN.md §6); audited. */
export async function updateUser(options: {
  db: Database;
  principal: Principal;
  userId: string;
  bankDataAccess: boolean;
}): Promise<User> {
  await options.db.asCenter(async (tx) => {
    const updated = await tx
      .updateTable('users')
      .set({ bank_data_access: options.bankDataAccess })
      .where('id', '=', options.userId)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw userErrors.notFound();
    const center = await tx
      .selectFrom('organizations')
      .select('id')
      .where('kind', '=', 'center')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: center.id,
      principal: options.principal,
      action: 'user.updated',
      target: options.userId,
      details: { bankDataAccess: options.bankDataAccess },
    });
  });
  const users = await listUsers({ db: options.db });
  return users.find((user) => user.id === options.userId)!;
}
