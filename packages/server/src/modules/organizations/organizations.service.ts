// Organizations: the center's clients (tenants) and the center itself.
import type { Selectable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { OrganizationsTable } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { canAccessOrganization, type Principal } from '../auth/principal.ts';
import { organizationErrors } from './organizations.errors.ts';

export type Organization = {
  id: string;
  kind: 'center' | 'client';
  slug: string;
  name: string;
  timeZone: string;
  locale: 'it' | 'en';
  createdAt: string;
  updatedAt: string;
};

const COLUMNS = ['id', 'kind', 'slug', 'name', 'time_zone', 'locale', 'created_at', 'updated_at'] as const;

function toOrganization(row: Selectable<OrganizationsTable>): Organization {
  return {
    id: row.id,
    kind: row.kind,
    slug: row.slug,
    name: row.name,
    timeZone: row.time_zone,
    locale: row.locale,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function assertTimeZone(timeZone: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw organizationErrors.timeZoneInvalid(timeZone);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/** The organizations a principal may see (center-wide read, filtered to its assignments). */
export async function listOrganizations(options: { db: Database; principal: Principal }) {
  const rows = await options.db.asCenter((tx) =>
    tx.selectFrom('organizations').select(COLUMNS).orderBy('name').execute(),
  );
  return rows.filter((row) => canAccessOrganization(options.principal, row.id)).map(toOrganization);
}

export async function getOrganization(options: { db: Database; orgId: string }) {
  const row = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('organizations').select(COLUMNS).where('id', '=', options.orgId).executeTakeFirst(),
  );
  if (!row) throw organizationErrors.notFound();
  return toOrganization(row);
}

export async function findOrganizationBySlug(options: { db: Database; slug: string }) {
  const row = await options.db.asCenter((tx) =>
    tx.selectFrom('organizations').select(COLUMNS).where('slug', '=', options.slug).executeTakeFirst(),
  );
  return row ? toOrganization(row) : undefined;
}

export async function createOrganization(options: {
  db: Database;
  principal: Principal | null;
  slug: string;
  name: string;
  timeZone?: string | undefined;
  locale?: 'it' | 'en' | undefined;
}) {
  if (options.timeZone) assertTimeZone(options.timeZone);
  try {
    const row = await options.db.asCenter(async (tx) => {
      const created = await tx
        .insertInto('organizations')
        .values({
          slug: options.slug,
          name: options.name,
          ...(options.timeZone ? { time_zone: options.timeZone } : {}),
          ...(options.locale ? { locale: options.locale } : {}),
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        orgId: created.id,
        principal: options.principal,
        action: 'organization.created',
        target: created.id,
        details: { slug: created.slug, name: created.name },
      });
      return created;
    });
    return toOrganization(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw organizationErrors.slugTaken(options.slug);
    throw error;
  }
}

export async function updateOrganization(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  changes: { name?: string | undefined; timeZone?: string | undefined; locale?: 'it' | 'en' | undefined };
}) {
  const { changes } = options;
  if (changes.timeZone) assertTimeZone(changes.timeZone);
  const row = await options.db.forOrg(options.orgId, async (tx) => {
    const updated = await tx
      .updateTable('organizations')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.timeZone !== undefined ? { time_zone: changes.timeZone } : {}),
        ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', options.orgId)
      .returning(COLUMNS)
      .executeTakeFirst();
    if (updated) {
      await recordAudit(tx, {
        orgId: options.orgId,
        principal: options.principal,
        action: 'organization.updated',
        target: options.orgId,
        details: changes,
      });
    }
    return updated;
  });
  if (!row) throw organizationErrors.notFound();
  return toOrganization(row);
}
