// Accounts of the center's staff and of the clients' read-only viewers.
import type { Database } from '../../db/database.ts';
import type { UserRole } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { hashPassword, NO_PASSWORD, passwordProblem } from '../auth/passwords.ts';
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
  /** null: an account nobody signs in to (no password verifies; see NO_PASSWORD). */
  password: string | null;
  /** The hash of `password` when the caller has it already (the demo's accounts share one password). */
  passwordHash?: string | undefined;
  displayName?: string | undefined;
  /** Assignments of center staff; for a client_viewer exactly one: the organization it belongs to. */
  organizationIds?: readonly string[] | undefined;
}): Promise<User> {
  const email = options.email.trim().toLowerCase();
  const organizationIds = [...new Set(options.organizationIds ?? [])];
  const weak = options.password === null ? undefined : passwordProblem(options.password);
  if (weak) throw userErrors.passwordWeak(weak);
  if (options.role === 'client_viewer' && organizationIds.length !== 1) {
    throw userErrors.organizationsInvalid('A client_viewer belongs to exactly one organization');
  }
  if (options.role === 'admin' && organizationIds.length > 0) {
    throw userErrors.organizationsInvalid(
      'An admin works for every organization; do not assign organizations',
    );
  }
  const passwordHash =
    options.password === null
      ? NO_PASSWORD
      : (options.passwordHash ?? (await hashPassword(options.password)));
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

/**
 * Changes an account: the permission to see full IBANs (DOMAIN.md §6), the role
 * among the center's staff roles, the organizations it works for, or disables
 * (enables) it. Audited. A client_viewer's role and organization are fixed.
 */
export async function updateUser(options: {
  db: Database;
  principal: Principal;
  userId: string;
  bankDataAccess?: boolean | undefined;
  role?: UserRole | undefined;
  organizationIds?: readonly string[] | undefined;
  disabled?: boolean | undefined;
}): Promise<User> {
  const organizationIds = options.organizationIds && [...new Set(options.organizationIds)];
  await options.db.asCenter(async (tx) => {
    const user = await tx
      .selectFrom('users')
      .select(['id', 'role', 'disabled_at'])
      .where('id', '=', options.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!user) throw userErrors.notFound();
    const role = options.role ?? user.role;
    // Disabling or demoting the last active admin would leave nobody to manage the center.
    if (
      user.role === 'admin' &&
      user.disabled_at === null &&
      (options.disabled === true || role !== 'admin')
    ) {
      // Every active admin locked: two admins disabling each other at once cannot both succeed.
      const others = await tx
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .where('id', '!=', options.userId)
        .forUpdate()
        .execute();
      if (others.length === 0) throw userErrors.lastAdmin();
    }
    if (
      (options.role !== undefined || organizationIds) &&
      (role === 'client_viewer') !== (user.role === 'client_viewer')
    )
      throw userErrors.roleInvalid('A client_viewer stays a client_viewer; create a new account instead');
    if (user.role === 'client_viewer' && organizationIds)
      throw userErrors.organizationsInvalid('A client_viewer belongs to the organization it was created for');
    if (role === 'admin' && organizationIds && organizationIds.length > 0)
      throw userErrors.organizationsInvalid(
        'An admin works for every organization; do not assign organizations',
      );
    if (organizationIds && organizationIds.length > 0) {
      const known = await tx
        .selectFrom('organizations')
        .select(['id', 'kind'])
        .where('id', 'in', organizationIds)
        .execute();
      if (known.length !== organizationIds.length || known.some((org) => org.kind !== 'client'))
        throw userErrors.organizationsInvalid(
          'Every organization id must name an existing client organization',
        );
    }
    const changes = {
      ...(options.bankDataAccess === undefined ? {} : { bank_data_access: options.bankDataAccess }),
      ...(options.role === undefined ? {} : { role: options.role }),
      ...(options.disabled === undefined ? {} : { disabled_at: options.disabled ? new Date() : null }),
    };
    if (Object.keys(changes).length > 0)
      await tx.updateTable('users').set(changes).where('id', '=', options.userId).execute();
    // An admin works for every organization: assignments would only mislead.
    const assignments = role === 'admin' ? [] : organizationIds;
    if (assignments) {
      await tx.deleteFrom('user_organizations').where('user_id', '=', options.userId).execute();
      if (assignments.length > 0)
        await tx
          .insertInto('user_organizations')
          .values(assignments.map((orgId) => ({ user_id: options.userId, org_id: orgId })))
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
      action: 'user.updated',
      target: options.userId,
      details: {
        ...(options.bankDataAccess === undefined ? {} : { bankDataAccess: options.bankDataAccess }),
        ...(options.role === undefined ? {} : { role: options.role }),
        ...(organizationIds === undefined ? {} : { organizationIds }),
        ...(options.disabled === undefined ? {} : { disabled: options.disabled }),
      },
    });
  });
  const users = await listUsers({ db: options.db });
  return users.find((user) => user.id === options.userId)!;
}
