// Custom supporter fields an organization defines; supporters' values are
// validated against these definitions (see validateCustomFields).
import { parseIsoDate } from '@centralino/engine';
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { ProblemField } from '../../http/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { isUniqueViolation, supporterErrors } from './supporters.errors.ts';

export type CustomFieldType = 'text' | 'number' | 'date' | 'boolean';
export type CustomFieldDefinition = { key: string; label: string; type: CustomFieldType; createdAt: string };

function toDefinition(row: { key: string; label: string; type: CustomFieldType; created_at: Date }) {
  return { key: row.key, label: row.label, type: row.type, createdAt: row.created_at.toISOString() };
}

export async function customFieldTypes(tx: Tx): Promise<Map<string, CustomFieldType>> {
  const rows = await tx.selectFrom('custom_field_definitions').select(['key', 'type']).execute();
  return new Map(rows.map((row) => [row.key, row.type]));
}

/** Problems of custom-field values against the definitions; null values (clearing) are always fine. */
export function validateCustomFields(
  values: Record<string, unknown>,
  types: ReadonlyMap<string, CustomFieldType>,
  fieldPrefix = 'body.customFields',
): ProblemField[] {
  const problems: ProblemField[] = [];
  for (const [key, value] of Object.entries(values)) {
    const field = `${fieldPrefix}.${key}`;
    const type = types.get(key);
    if (!type) {
      problems.push({ field, message: 'is not a custom field of this organization' });
      continue;
    }
    if (value === null) continue;
    const ok =
      type === 'text'
        ? typeof value === 'string' && value.length <= 1000
        : type === 'number'
          ? typeof value === 'number' && Number.isFinite(value)
          : type === 'boolean'
            ? typeof value === 'boolean'
            : typeof value === 'string' && parseIsoDate(value) !== undefined;
    if (!ok) {
      const expected =
        type === 'text'
          ? 'text of at most 1000 characters'
          : type === 'date'
            ? 'a date YYYY-MM-DD'
            : `a ${type}`;
      problems.push({ field, message: `must be ${expected}` });
    }
  }
  return problems;
}

export async function listCustomFields(options: { db: Database; orgId: string }) {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('custom_field_definitions').selectAll().orderBy('key').execute(),
  );
  return rows.map(toDefinition);
}

export async function createCustomField(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  key: string;
  label: string;
  type: CustomFieldType;
}) {
  try {
    const row = await options.db.forOrg(options.orgId, async (tx) => {
      const created = await tx
        .insertInto('custom_field_definitions')
        .values({ org_id: options.orgId, key: options.key, label: options.label, type: options.type })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        orgId: options.orgId,
        principal: options.principal,
        action: 'custom_field.created',
        target: options.key,
        details: { label: options.label, type: options.type },
      });
      return created;
    });
    return toDefinition(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw supporterErrors.customFieldTaken(options.key);
    throw error;
  }
}

/** Only the label changes: a new type would invalidate the values already stored. */
export async function updateCustomField(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  key: string;
  label: string;
}) {
  const row = await options.db.forOrg(options.orgId, async (tx) => {
    const updated = await tx
      .updateTable('custom_field_definitions')
      .set({ label: options.label })
      .where('key', '=', options.key)
      .returningAll()
      .executeTakeFirst();
    if (updated) {
      await recordAudit(tx, {
        orgId: options.orgId,
        principal: options.principal,
        action: 'custom_field.updated',
        target: options.key,
        details: { label: options.label },
      });
    }
    return updated;
  });
  if (!row) throw supporterErrors.customFieldNotFound();
  return toDefinition(row);
}

/** Refused while supporters hold a value for it, so no value is silently orphaned. */
export async function deleteCustomField(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  key: string;
}) {
  await options.db.forOrg(options.orgId, async (tx) => {
    const existing = await tx
      .selectFrom('custom_field_definitions')
      .select('key')
      .where('key', '=', options.key)
      .forUpdate()
      .executeTakeFirst();
    if (!existing) throw supporterErrors.customFieldNotFound();
    const { count } = await tx
      .selectFrom('supporters')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where(sql<boolean>`custom_fields ? ${options.key}`)
      .executeTakeFirstOrThrow();
    if (Number(count) > 0) throw supporterErrors.customFieldInUse(options.key, Number(count));
    await tx.deleteFrom('custom_field_definitions').where('key', '=', options.key).execute();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'custom_field.deleted',
      target: options.key,
    });
  });
}
