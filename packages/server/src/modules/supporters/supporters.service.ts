// Supporters: the people an organization cares for. Every change is one unit
// of work that also writes its supporter_events row (the timeline) and its
// outbox event (webhooks), so neither exists without the other.
import type { Database, Tx } from '../../db/database.ts';
import type { PhoneKind, SupporterAddress, SupporterSource, SupporterStatus } from '../../db/schema.ts';
import type { ProblemField } from '../../http/errors.ts';
import type { Principal } from '../auth/principal.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import { checkEmail, checkFiscalCode, checkPhone } from './crm-validation.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { type CustomFieldType, customFieldTypes, validateCustomFields } from './custom-fields.service.ts';
import { searchTerms } from './search.ts';
import { supporterSearchText } from './search-text.ts';
import { isUniqueViolation, supporterErrors } from './supporters.errors.ts';
import {
  loadSupporter,
  type SupporterFilters,
  type SupporterListKey,
  type SupporterRecord,
  selectSupporterPage,
} from './supporters.repository.ts';

export type SupporterInput = {
  firstName?: string | undefined;
  lastName?: string | undefined;
  birthDate?: string | null | undefined;
  fiscalCode?: string | null | undefined;
  language?: string | undefined;
  source?: SupporterSource | null | undefined;
  status?: SupporterStatus | undefined;
  phones?: { number: string; kind?: PhoneKind | undefined; primary?: boolean | undefined }[] | undefined;
  emails?: { email: string; primary?: boolean | undefined }[] | undefined;
  externalIds?: { system: string; externalId: string }[] | undefined;
  addresses?: SupporterAddress[] | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
};

export type NormalizedPhone = { number: string; kind: PhoneKind; valid: boolean; primary: boolean };
export type NormalizedEmail = { email: string; valid: boolean; primary: boolean };

export type NormalizedSupporterInput = Omit<SupporterInput, 'phones' | 'emails'> & {
  phones?: NormalizedPhone[];
  emails?: NormalizedEmail[];
};

/** Text for supporter_events.actor. */
export function actorText(principal: Principal | null): string {
  if (!principal) return 'system';
  return principal.kind === 'user' ? `user:${principal.userId}` : `api_key:${principal.keyId}`;
}

function withPrimary<T extends { primary: boolean }>(items: T[]): T[] {
  const first = items.findIndex((item) => item.primary);
  return items.map((item, index) => ({ ...item, primary: index === (first === -1 ? 0 : first) }));
}

/**
 * Validates and normalizes supporter fields. Phones become E.164 with their
 * kind, e-mails and fiscal codes their canonical form. In 'api' mode an invalid
 * phone or e-mail is a problem (the caller can fix it); in 'import' mode it is
 * kept with valid=false (raw text when it could not be normalized) so no data is
 * lost. Problems name the field, e.g. `body.phones[1].number`.
 */
export function normalizeSupporterInput(
  input: SupporterInput,
  options: {
    mode: 'api' | 'import';
    customFieldTypes: ReadonlyMap<string, CustomFieldType>;
    fieldPrefix?: string;
  },
): { value: NormalizedSupporterInput; problems: ProblemField[] } {
  const prefix = options.fieldPrefix ?? 'body';
  const problems: ProblemField[] = [];
  const { phones, emails, ...rest } = input;
  const value: NormalizedSupporterInput = { ...rest };
  if (input.firstName !== undefined) value.firstName = input.firstName.trim();
  if (input.lastName !== undefined) value.lastName = input.lastName.trim();
  if (typeof input.fiscalCode === 'string') {
    const checked = checkFiscalCode(input.fiscalCode);
    if (checked.ok) value.fiscalCode = checked.value;
    else problems.push({ field: `${prefix}.fiscalCode`, message: checked.message });
  }
  if (phones) {
    const seen = new Map<string, NormalizedPhone>();
    phones.forEach((phone, index) => {
      const checked = checkPhone(phone.number);
      if (!checked.valid && (options.mode === 'api' || checked.number === '')) {
        problems.push({
          field: `${prefix}.phones[${index}].number`,
          message: checked.message ?? 'is invalid',
        });
        return;
      }
      if (!seen.has(checked.number)) {
        seen.set(checked.number, {
          number: checked.number,
          kind: phone.kind ?? checked.kind,
          valid: checked.valid,
          primary: phone.primary === true,
        });
      }
    });
    value.phones = withPrimary([...seen.values()]);
  }
  if (emails) {
    const seen = new Map<string, NormalizedEmail>();
    emails.forEach((email, index) => {
      const checked = checkEmail(email.email);
      const raw = email.email.trim();
      if (!checked.ok && (options.mode === 'api' || raw.length < 3 || raw.length > 254)) {
        problems.push({
          field: `${prefix}.emails[${index}].email`,
          message: checked.ok ? 'is invalid' : checked.message,
        });
        return;
      }
      const address = checked.ok ? checked.value : raw;
      const key = address.toLowerCase();
      if (!seen.has(key))
        seen.set(key, { email: address, valid: checked.ok, primary: email.primary === true });
    });
    value.emails = withPrimary([...seen.values()]);
  }
  if (input.externalIds) {
    const seen = new Set<string>();
    value.externalIds = input.externalIds.filter((x) => {
      const key = `${x.system}\u0000${x.externalId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (input.tags) value.tags = [...new Set(input.tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
  if (input.customFields) {
    problems.push(
      ...validateCustomFields(input.customFields, options.customFieldTypes, `${prefix}.customFields`),
    );
  }
  return { value, problems };
}

async function typesIfNeeded(tx: Tx, input: SupporterInput) {
  return input.customFields && Object.keys(input.customFields).length > 0
    ? customFieldTypes(tx)
    : new Map<string, CustomFieldType>();
}

async function assertExternalIdsFree(
  tx: Tx,
  externalIds: readonly { system: string; externalId: string }[],
  supporterId: string | null,
) {
  if (externalIds.length === 0) return;
  const taken = await tx
    .selectFrom('supporter_external_ids')
    .select(['system', 'external_id', 'supporter_id'])
    .where((eb) =>
      eb.or(
        externalIds.map((x) => eb.and([eb('system', '=', x.system), eb('external_id', '=', x.externalId)])),
      ),
    )
    .execute();
  for (const row of taken) {
    if (row.supporter_id === supporterId) continue;
    const index = externalIds.findIndex((x) => x.system === row.system && x.externalId === row.external_id);
    throw supporterErrors.externalIdTaken(
      `body.externalIds[${index}].externalId`,
      row.system,
      row.external_id,
      row.supporter_id,
    );
  }
}

async function writePhones(tx: Tx, orgId: string, supporterId: string, phones: NormalizedPhone[]) {
  let remove = tx.deleteFrom('supporter_phones').where('supporter_id', '=', supporterId);
  if (phones.length > 0)
    remove = remove.where(
      'number',
      'not in',
      phones.map((p) => p.number),
    );
  await remove.execute();
  if (phones.length === 0) return;
  await tx
    .insertInto('supporter_phones')
    .values(
      phones.map((p) => ({
        org_id: orgId,
        supporter_id: supporterId,
        number: p.number,
        kind: p.kind,
        valid: p.valid,
        is_primary: p.primary,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['supporter_id', 'number']).doUpdateSet((eb) => ({
        kind: eb.ref('excluded.kind'),
        valid: eb.ref('excluded.valid'),
        is_primary: eb.ref('excluded.is_primary'),
      })),
    )
    .execute();
}

async function writeEmails(tx: Tx, orgId: string, supporterId: string, emails: NormalizedEmail[]) {
  let remove = tx.deleteFrom('supporter_emails').where('supporter_id', '=', supporterId);
  if (emails.length > 0)
    remove = remove.where(
      'email',
      'not in',
      emails.map((e) => e.email),
    );
  await remove.execute();
  if (emails.length === 0) return;
  await tx
    .insertInto('supporter_emails')
    .values(
      emails.map((e) => ({
        org_id: orgId,
        supporter_id: supporterId,
        email: e.email,
        valid: e.valid,
        is_primary: e.primary,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['supporter_id', 'email']).doUpdateSet((eb) => ({
        valid: eb.ref('excluded.valid'),
        is_primary: eb.ref('excluded.is_primary'),
      })),
    )
    .execute();
}

async function writeExternalIds(
  tx: Tx,
  orgId: string,
  supporterId: string,
  externalIds: { system: string; externalId: string }[],
) {
  await assertExternalIdsFree(tx, externalIds, supporterId);
  await tx.deleteFrom('supporter_external_ids').where('supporter_id', '=', supporterId).execute();
  if (externalIds.length === 0) return;
  await tx
    .insertInto('supporter_external_ids')
    .values(
      externalIds.map((x) => ({
        org_id: orgId,
        system: x.system,
        external_id: x.externalId,
        supporter_id: supporterId,
      })),
    )
    .execute();
}

/**
 * Creates a supporter inside a unit of work the caller opened (imports use it
 * with mode 'import'): the row, its phones, e-mails and external ids, the
 * 'created' event and supporter.created.
 */
export async function insertSupporter(
  tx: Tx,
  options: { orgId: string; actor: string; data: NormalizedSupporterInput; importJobId?: string },
): Promise<string> {
  const { data, orgId } = options;
  const phones = data.phones ?? [];
  const emails = data.emails ?? [];
  const externalIds = data.externalIds ?? [];
  await assertExternalIdsFree(tx, externalIds, null);
  const customFields = Object.fromEntries(
    Object.entries(data.customFields ?? {}).filter(([, value]) => value !== null),
  );
  const { id } = await tx
    .insertInto('supporters')
    .values({
      org_id: orgId,
      first_name: data.firstName ?? '',
      last_name: data.lastName ?? '',
      birth_date: data.birthDate ?? null,
      fiscal_code: data.fiscalCode ?? null,
      ...(data.language ? { language: data.language } : {}),
      source: data.source ?? null,
      ...(data.status ? { status: data.status } : {}),
      addresses: JSON.stringify(data.addresses ?? []),
      tags: data.tags ?? [],
      custom_fields: JSON.stringify(customFields),
      search_text: supporterSearchText({
        firstName: data.firstName ?? '',
        lastName: data.lastName ?? '',
        fiscalCode: data.fiscalCode ?? null,
        emails: emails.map((e) => e.email),
        phones: phones.map((p) => p.number),
      }),
      import_job_id: options.importJobId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writePhones(tx, orgId, id, phones);
  await writeEmails(tx, orgId, id, emails);
  await writeExternalIds(tx, orgId, id, externalIds);
  await tx
    .insertInto('supporter_events')
    .values({
      org_id: orgId,
      supporter_id: id,
      kind: 'created',
      actor: options.actor,
      details: JSON.stringify({ status: data.status ?? 'active', source: data.source ?? null }),
    })
    .execute();
  await emitEvent(tx, 'supporter.created', { supporterId: id, version: 1, externalIds });
  return id;
}

export async function createSupporter(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  input: SupporterInput;
}): Promise<SupporterRecord> {
  try {
    return await options.db.forOrg(options.orgId, async (tx) => {
      const { value, problems } = normalizeSupporterInput(options.input, {
        mode: 'api',
        customFieldTypes: await typesIfNeeded(tx, options.input),
      });
      if (problems.length > 0) throw supporterErrors.invalid(problems);
      const id = await insertSupporter(tx, {
        orgId: options.orgId,
        actor: actorText(options.principal),
        data: value,
      });
      return (await loadSupporter(tx, id)) as SupporterRecord;
    });
  } catch (error) {
    // Two requests racing for the same external id: the loser gets the same answer as a pre-check.
    if (isUniqueViolation(error)) throw supporterErrors.externalIdRace();
    throw error;
  }
}

export async function getSupporter(options: { db: Database; orgId: string; supporterId: string }) {
  const supporter = await options.db.readForOrg(options.orgId, (tx) =>
    loadSupporter(tx, options.supporterId),
  );
  if (!supporter) throw supporterErrors.notFound();
  return supporter;
}

type Change = { from: unknown; to: unknown };

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/**
 * Applies changes with optimistic concurrency: `expectedVersion` must be the
 * supporter's current version, else VERSION_CONFLICT (409). Lists (phones,
 * e-mails, external ids, addresses, tags) are replaced when given; custom fields
 * are merged key by key (null clears one). A change that changes nothing
 * writes nothing and keeps the version.
 */
export async function updateSupporter(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  supporterId: string;
  expectedVersion: number;
  changes: SupporterInput;
}): Promise<SupporterRecord> {
  const { orgId, supporterId, changes } = options;
  return options.db.forOrg(orgId, async (tx) => {
    const locked = await tx
      .selectFrom('supporters')
      .select(['version', 'merged_into'])
      .where('id', '=', supporterId)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) throw supporterErrors.notFound();
    if (locked.merged_into) throw supporterErrors.merged(locked.merged_into);
    if (locked.version !== options.expectedVersion) {
      throw supporterErrors.versionConflict(locked.version, options.expectedVersion);
    }
    const current = (await loadSupporter(tx, supporterId)) as SupporterRecord;
    const { value, problems } = normalizeSupporterInput(changes, {
      mode: 'api',
      customFieldTypes: await typesIfNeeded(tx, changes),
    });
    if (problems.length > 0) throw supporterErrors.invalid(problems);

    const diff: Record<string, Change> = {};
    const scalars = [
      'firstName',
      'lastName',
      'birthDate',
      'fiscalCode',
      'language',
      'source',
      'status',
    ] as const;
    for (const field of scalars) {
      const next = value[field];
      if (next !== undefined && next !== current[field]) diff[field] = { from: current[field], to: next };
    }
    if (value.addresses && stable(value.addresses) !== stable(current.addresses)) {
      diff.addresses = { from: current.addresses, to: value.addresses };
    }
    if (value.tags && stable([...value.tags].sort()) !== stable([...current.tags].sort())) {
      diff.tags = { from: current.tags, to: value.tags };
    }
    const phoneKey = (p: { number: string; kind: string; primary: boolean }) =>
      `${p.number}|${p.kind}|${p.primary}`;
    if (
      value.phones &&
      stable(value.phones.map(phoneKey).sort()) !== stable(current.phones.map(phoneKey).sort())
    ) {
      diff.phones = { from: current.phones.map((p) => p.number), to: value.phones.map((p) => p.number) };
    }
    const emailKey = (e: { email: string; primary: boolean }) => `${e.email}|${e.primary}`;
    if (
      value.emails &&
      stable(value.emails.map(emailKey).sort()) !== stable(current.emails.map(emailKey).sort())
    ) {
      diff.emails = { from: current.emails.map((e) => e.email), to: value.emails.map((e) => e.email) };
    }
    const externalKey = (x: { system: string; externalId: string }) => `${x.system}:${x.externalId}`;
    if (
      value.externalIds &&
      stable(value.externalIds.map(externalKey).sort()) !==
        stable(current.externalIds.map(externalKey).sort())
    ) {
      diff.externalIds = {
        from: current.externalIds.map(externalKey),
        to: value.externalIds.map(externalKey),
      };
    }
    const customFields = { ...current.customFields };
    for (const [key, next] of Object.entries(value.customFields ?? {})) {
      const before = current.customFields[key] ?? null;
      if (next === null) delete customFields[key];
      else customFields[key] = next;
      if (stable(before) !== stable(next)) diff[`customFields.${key}`] = { from: before, to: next };
    }

    const changedFields = Object.keys(diff);
    if (changedFields.length === 0) return current;

    const firstName = (value.firstName ?? current.firstName) as string;
    const lastName = (value.lastName ?? current.lastName) as string;
    const fiscalCode = value.fiscalCode !== undefined ? value.fiscalCode : current.fiscalCode;
    const emails = value.emails ?? current.emails;
    const phones = value.phones ?? current.phones;
    await tx
      .updateTable('supporters')
      .set((eb) => ({
        ...(diff.firstName ? { first_name: firstName } : {}),
        ...(diff.lastName ? { last_name: lastName } : {}),
        ...(diff.birthDate ? { birth_date: value.birthDate ?? null } : {}),
        ...(diff.fiscalCode ? { fiscal_code: fiscalCode ?? null } : {}),
        ...(diff.language && value.language ? { language: value.language } : {}),
        ...(diff.source ? { source: value.source ?? null } : {}),
        ...(diff.status && value.status ? { status: value.status } : {}),
        ...(diff.addresses ? { addresses: JSON.stringify(value.addresses) } : {}),
        ...(diff.tags ? { tags: value.tags } : {}),
        custom_fields: JSON.stringify(customFields),
        search_text: supporterSearchText({
          firstName,
          lastName,
          fiscalCode: fiscalCode ?? null,
          emails: emails.map((e) => e.email),
          phones: phones.map((p) => p.number),
        }),
        version: eb('version', '+', 1),
        updated_at: new Date(),
      }))
      .where('id', '=', supporterId)
      .execute();
    if (value.phones) await writePhones(tx, orgId, supporterId, value.phones);
    if (value.emails) await writeEmails(tx, orgId, supporterId, value.emails);
    if (diff.externalIds && value.externalIds)
      await writeExternalIds(tx, orgId, supporterId, value.externalIds);

    const actor = actorText(options.principal);
    const { status, ...otherChanges } = diff;
    const events: { kind: string; details: object }[] = [];
    if (Object.keys(otherChanges).length > 0)
      events.push({ kind: 'updated', details: { changes: otherChanges } });
    if (status) events.push({ kind: 'status_changed', details: status });
    await tx
      .insertInto('supporter_events')
      .values(
        events.map((event) => ({
          org_id: orgId,
          supporter_id: supporterId,
          kind: event.kind,
          actor,
          details: JSON.stringify(event.details),
        })),
      )
      .execute();
    const updated = (await loadSupporter(tx, supporterId)) as SupporterRecord;
    await emitEvent(tx, 'supporter.updated', {
      supporterId,
      version: updated.version,
      changedFields,
      status: updated.status,
      externalIds: updated.externalIds,
    });
    return updated;
  });
}

export async function listSupporters(options: {
  db: Database;
  orgId: string;
  limit: number;
  cursor?: string | undefined;
  q?: string | undefined;
  statuses?: SupporterStatus[] | undefined;
  source?: SupporterSource | undefined;
  tag?: string | undefined;
  updatedSince?: string | undefined;
}) {
  const after = options.cursor ? (decodeCursor(options.cursor, 3) as SupporterListKey) : undefined;
  const filters: SupporterFilters = {
    terms: options.q ? searchTerms(options.q) : undefined,
    statuses: options.statuses,
    source: options.source,
    tag: options.tag,
    updatedSince: options.updatedSince ? new Date(options.updatedSince) : undefined,
  };
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    selectSupporterPage(tx, { filters, after, limit: options.limit + 1 }),
  );
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      firstName: row.first_name,
      lastName: row.last_name,
      birthDate: row.birth_date,
      fiscalCode: row.fiscal_code,
      status: row.status,
      source: row.source,
      primaryPhone: row.primary_phone ?? null,
      primaryEmail: row.primary_email ?? null,
      tags: row.tags,
      version: row.version,
      updatedAt: row.updated_at.toISOString(),
    })),
    nextCursor:
      rows.length > options.limit && last ? encodeCursor([last.last_name, last.first_name, last.id]) : null,
  };
}
