// Merging two supporters and undoing it. A merge is one unit of work: the
// merged record's rows (phones, e-mails, external ids, consent history,
// commitments with their mandates and events, gifts, its own events, its
// interactions, callbacks and campaign contacts) move to
// the kept record, the kept record's empty fields are filled, the merged one
// points to the kept one (merged_into), and supporter_merges records exactly
// which rows moved and which fields changed, so an undo can move those rows
// back and restore those fields — nothing else.
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { SupporterStatus } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { supporterSearchText } from '../supporters/search-text.ts';
import { actorText } from '../supporters/supporters.service.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import { dedupeErrors } from './dedupe.errors.ts';

/** Tables whose rows follow a supporter, by their supporter_id (mandates follow their commitment). */
export const MOVED_TABLES = {
  supporter_phones: 'phones',
  supporter_emails: 'emails',
  supporter_external_ids: 'externalIds',
  consent_events: 'consentEvents',
  commitments: 'commitments',
  commitment_events: 'commitmentEvents',
  gifts: 'gifts',
  supporter_events: 'supporterEvents',
  interactions: 'interactions',
  callbacks: 'callbacks',
  campaign_contacts: 'campaignContacts',
} as const;
type MovedTable = keyof typeof MOVED_TABLES;
const TABLES = Object.keys(MOVED_TABLES) as MovedTable[];
/** Moved phones / e-mails that were primary and lost it because the kept record had a primary one. */
const DEMOTED = {
  supporter_phones: 'supporter_phones.demoted',
  supporter_emails: 'supporter_emails.demoted',
};

export const MERGE_FIELDS = [
  'firstName',
  'lastName',
  'birthDate',
  'fiscalCode',
  'language',
  'source',
  'status',
  'addresses',
  'tags',
  'customFields',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type FieldChoice = 'kept' | 'merged';

const COLUMNS: Record<MergeField, string> = {
  firstName: 'first_name',
  lastName: 'last_name',
  birthDate: 'birth_date',
  fiscalCode: 'fiscal_code',
  language: 'language',
  source: 'source',
  status: 'status',
  addresses: 'addresses',
  tags: 'tags',
  customFields: 'custom_fields',
};

// The stricter status wins unless a person chooses: a do-not-contact request
// or a death recorded on either record must not be lost by a merge.
const STATUS_STRICTNESS: Record<SupporterStatus, number> = {
  active: 0,
  lapsed: 1,
  do_not_contact: 2,
  deceased: 3,
};

type FieldValues = Record<MergeField, unknown>;

type LockedSupporter = {
  id: string;
  version: number;
  merged_into: string | null;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  fiscal_code: string | null;
  language: string;
  source: string | null;
  status: SupporterStatus;
  addresses: unknown[];
  tags: string[];
  custom_fields: Record<string, unknown>;
};

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );

const fieldsOf = (row: LockedSupporter): FieldValues => ({
  firstName: row.first_name,
  lastName: row.last_name,
  birthDate: row.birth_date,
  fiscalCode: row.fiscal_code,
  language: row.language,
  source: row.source,
  status: row.status,
  addresses: row.addresses,
  tags: row.tags,
  customFields: row.custom_fields,
});

const isEmpty = (value: unknown) =>
  value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** The kept record's fields after the merge: chosen ones from that record, empty ones filled. */
export function mergedFields(
  kept: FieldValues,
  merged: FieldValues,
  choices: Partial<Record<MergeField, FieldChoice>>,
): FieldValues {
  const result = { ...kept };
  for (const field of MERGE_FIELDS) {
    const choice = choices[field];
    if (choice) {
      result[field] = choice === 'kept' ? kept[field] : merged[field];
      continue;
    }
    if (field === 'tags') {
      result.tags = [...new Set([...(kept.tags as string[]), ...(merged.tags as string[])])];
    } else if (field === 'customFields') {
      result.customFields = {
        ...(merged.customFields as object),
        ...(kept.customFields as object),
      };
    } else if (field === 'status') {
      const k = kept.status as SupporterStatus;
      const m = merged.status as SupporterStatus;
      result.status = STATUS_STRICTNESS[m] > STATUS_STRICTNESS[k] ? m : k;
    } else if (isEmpty(kept[field])) {
      result[field] = merged[field];
    }
  }
  return result;
}

async function lockPair(tx: Tx, keptId: string, mergedId: string) {
  // Always in id order, so two merges of crossing pairs cannot deadlock.
  const rows = await sql<LockedSupporter>`
    select id, version, merged_into, first_name, last_name, birth_date, fiscal_code, language, source, status,
           addresses, tags, custom_fields
    from supporters where id in (${keptId}, ${mergedId}) order by id for update`.execute(tx);
  return {
    kept: rows.rows.find((row) => row.id === keptId),
    merged: rows.rows.find((row) => row.id === mergedId),
  };
}

async function refreshSearchText(tx: Tx, supporterId: string) {
  const row = await sql<{
    first_name: string;
    last_name: string;
    fiscal_code: string | null;
    emails: string[];
    phones: string[];
  }>`select s.first_name, s.last_name, s.fiscal_code,
            coalesce((select array_agg(e.email order by e.is_primary desc, e.created_at, e.email)
                      from supporter_emails e where e.supporter_id = s.id), '{}') as emails,
            coalesce((select array_agg(p.number order by p.is_primary desc, p.created_at, p.number)
                      from supporter_phones p where p.supporter_id = s.id), '{}') as phones
     from supporters s where s.id = ${supporterId}`.execute(tx);
  const s = row.rows[0];
  if (!s) return;
  await tx
    .updateTable('supporters')
    .set({
      search_text: supporterSearchText({
        firstName: s.first_name,
        lastName: s.last_name,
        fiscalCode: s.fiscal_code,
        emails: s.emails,
        phones: s.phones,
      }),
    })
    .where('id', '=', supporterId)
    .execute();
}

function columnValues(fields: Partial<FieldValues>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields) as [MergeField, unknown][]) {
    values[COLUMNS[field]] =
      field === 'addresses' || field === 'customFields' ? JSON.stringify(value) : value;
  }
  return values;
}

export type MergeRecord = {
  id: string;
  keptId: string;
  mergedId: string;
  mergedAt: string;
  mergedBy: string;
  undoneAt: string | null;
  undoneBy: string | null;
  /** Rows moved to the kept record, per kind. */
  moved: Record<string, number>;
  /** Rows left on the merged record because the kept one had them already. */
  skipped: Record<string, number>;
  /** The kept record's fields the merge changed. */
  fields: Record<string, { before: unknown; after: unknown }>;
};

type MergeRow = {
  id: string;
  kept_id: string;
  merged_id: string;
  moved: Record<string, string[]>;
  skipped: Record<string, string[]>;
  fields: Record<string, { before: unknown; after: unknown }>;
  merged_at: string;
  merged_by: string;
  undone_at: Date | null;
  undone_by: string | null;
};

// merged_at as text with microseconds: list cursors compare it exactly.
const MERGE_COLUMNS = sql`id, kept_id, merged_id, moved, skipped, fields, merged_by, undone_at, undone_by,
  to_char(merged_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as merged_at`;

const counts = (ids: Record<string, string[]>) =>
  Object.fromEntries(
    Object.entries(MOVED_TABLES)
      .filter(([table]) => (ids[table]?.length ?? 0) > 0)
      .map(([table, name]) => [name, ids[table]?.length ?? 0]),
  );

function toMergeRecord(row: MergeRow): MergeRecord {
  return {
    id: row.id,
    keptId: row.kept_id,
    mergedId: row.merged_id,
    mergedAt: new Date(row.merged_at).toISOString(),
    mergedBy: row.merged_by,
    undoneAt: row.undone_at ? new Date(row.undone_at).toISOString() : null,
    undoneBy: row.undone_by,
    moved: counts(row.moved),
    skipped: counts(row.skipped),
    fields: row.fields,
  };
}

async function moveRows(tx: Tx, table: MovedTable, from: string, to: string, ids?: string[]) {
  if (ids && ids.length === 0) return [];
  const only = (column: string) => (ids ? sql`and ${sql.ref(column)}::text = any(${ids}::text[])` : sql``);
  if (table === 'supporter_external_ids') {
    // "system:externalId": systems never contain a colon (their pattern is [A-Za-z0-9_.-]).
    const keys = ids?.map((id) => {
      const at = id.indexOf(':');
      return [id.slice(0, at), id.slice(at + 1)] as const;
    });
    const result = await sql<{ system: string; external_id: string }>`
      update supporter_external_ids set supporter_id = ${to}
      where supporter_id = ${from}
        ${keys ? sql`and (system, external_id) in (select * from unnest(${keys.map((k) => k[0])}::text[], ${keys.map((k) => k[1])}::text[]))` : sql``}
      returning system, external_id`.execute(tx);
    return result.rows.map((row) => `${row.system}:${row.external_id}`);
  }
  // A call list has a supporter once (unique per campaign): a contact of a campaign the other
  // record is already in stays where it is (recorded as skipped by the merge).
  const notInSameCampaign =
    table === 'campaign_contacts'
      ? sql`and not exists (select from campaign_contacts k
                            where k.supporter_id = ${to} and k.campaign_id = campaign_contacts.campaign_id)`
      : sql``;
  const result = await sql<{ id: string }>`
    update ${sql.table(table)} set supporter_id = ${to}
    where supporter_id = ${from} ${only('id')} ${notInSameCampaign}
    returning id::text as id`.execute(tx);
  return result.rows.map((row) => row.id);
}

/**
 * Merges `mergedId` into `keptId` (see the file header). Versions, when
 * given, must be current (409). Refuses a supporter into itself (400), a
 * record already merged (409), and ids of another organization (404).
 */
export async function mergeSupporters(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  keptId: string;
  mergedId: string;
  keptVersion?: number | undefined;
  mergedVersion?: number | undefined;
  fields?: Partial<Record<MergeField, FieldChoice>> | undefined;
}) {
  const { orgId, keptId, mergedId } = options;
  if (keptId === mergedId) throw dedupeErrors.sameSupporter('body.mergedId');
  const actor = actorText(options.principal);
  return options.db.forOrg(orgId, async (tx) => {
    const { kept, merged } = await lockPair(tx, keptId, mergedId);
    if (!kept) throw dedupeErrors.supporterNotFound('params.keptId');
    if (!merged) throw dedupeErrors.supporterNotFound('body.mergedId');
    if (kept.merged_into) throw dedupeErrors.alreadyMerged('params.keptId', keptId, kept.merged_into);
    if (merged.merged_into) throw dedupeErrors.alreadyMerged('body.mergedId', mergedId, merged.merged_into);
    if (options.keptVersion !== undefined && options.keptVersion !== kept.version)
      throw dedupeErrors.versionConflict('body.keptVersion', kept.version, options.keptVersion);
    if (options.mergedVersion !== undefined && options.mergedVersion !== merged.version)
      throw dedupeErrors.versionConflict('body.mergedVersion', merged.version, options.mergedVersion);

    const moved: Record<string, string[]> = {};
    const skipped: Record<string, string[]> = {};
    // Phones and e-mails the kept record already has stay on the merged one (recorded as skipped).
    for (const [table, key] of [
      ['supporter_phones', 'number'],
      ['supporter_emails', 'email_key'],
    ] as const) {
      const hadPrimary = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} where supporter_id = ${keptId} and is_primary`.execute(
        tx,
      );
      const result = await sql<{ id: string; is_primary: boolean }>`
        update ${sql.table(table)} t set supporter_id = ${keptId}
        where t.supporter_id = ${mergedId}
          and not exists (select from ${sql.table(table)} k
                          where k.supporter_id = ${keptId} and k.${sql.ref(key)} = t.${sql.ref(key)})
        returning t.id::text as id, t.is_primary`.execute(tx);
      moved[table] = result.rows.map((row) => row.id);
      const demote = (hadPrimary.rows[0]?.n ?? 0) > 0 ? result.rows.filter((r) => r.is_primary) : [];
      if (demote.length > 0) {
        moved[DEMOTED[table]] = demote.map((row) => row.id);
        await sql`update ${sql.table(table)} set is_primary = false
                  where id = any(${moved[DEMOTED[table]]}::uuid[])`.execute(tx);
      }
      const left = await sql<{ id: string }>`
        select id::text as id from ${sql.table(table)} where supporter_id = ${mergedId}`.execute(tx);
      if (left.rows.length > 0) skipped[table] = left.rows.map((row) => row.id);
    }
    for (const table of TABLES) {
      if (table === 'supporter_phones' || table === 'supporter_emails') continue;
      moved[table] = await moveRows(tx, table, mergedId, keptId);
    }
    const leftContacts = await sql<{ id: string }>`
      select id::text as id from campaign_contacts where supporter_id = ${mergedId}`.execute(tx);
    if (leftContacts.rows.length > 0) skipped.campaign_contacts = leftContacts.rows.map((row) => row.id);

    const before = fieldsOf(kept);
    const after = mergedFields(before, fieldsOf(merged), options.fields ?? {});
    const fields: Record<string, { before: unknown; after: unknown }> = {};
    for (const field of MERGE_FIELDS) {
      if (stable(before[field]) !== stable(after[field]))
        fields[field] = { before: before[field], after: after[field] };
    }
    const changed = Object.fromEntries(
      Object.entries(fields).map(([field, change]) => [field, change.after]),
    );
    const now = new Date();
    const keptRow = await tx
      .updateTable('supporters')
      .set((eb) => ({ ...columnValues(changed), version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', keptId)
      .returning('version')
      .executeTakeFirstOrThrow();
    const mergedRow = await tx
      .updateTable('supporters')
      .set((eb) => ({ merged_into: keptId, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', mergedId)
      .returning('version')
      .executeTakeFirstOrThrow();
    await refreshSearchText(tx, keptId);
    await refreshSearchText(tx, mergedId);

    const merge = await sql<MergeRow>`
      insert into supporter_merges (org_id, kept_id, merged_id, moved, skipped, fields, merged_by)
      values (${orgId}, ${keptId}, ${mergedId}, ${JSON.stringify(moved)}::jsonb, ${JSON.stringify(skipped)}::jsonb,
              ${JSON.stringify(fields)}::jsonb, ${actor})
      returning ${MERGE_COLUMNS}`.execute(tx);
    const record = toMergeRecord(merge.rows[0] as MergeRow);
    await tx
      .insertInto('supporter_events')
      .values([
        {
          org_id: orgId,
          supporter_id: keptId,
          kind: 'merged',
          actor,
          details: JSON.stringify({
            mergeId: record.id,
            role: 'kept',
            mergedId,
            moved: record.moved,
            skipped: record.skipped,
            changedFields: Object.keys(fields),
          }),
        },
        {
          org_id: orgId,
          supporter_id: mergedId,
          kind: 'merged',
          actor,
          details: JSON.stringify({ mergeId: record.id, role: 'merged', keptId }),
        },
      ])
      .execute();
    await emitEvent(tx, 'supporter.merged', {
      mergeId: record.id,
      keptId,
      mergedId,
      keptVersion: keptRow.version,
      mergedVersion: mergedRow.version,
      changedFields: Object.keys(fields),
      moved: record.moved,
      commitmentIds: moved.commitments ?? [],
      externalIds: (moved.supporter_external_ids ?? []).map((key) => ({
        system: key.slice(0, key.indexOf(':')),
        externalId: key.slice(key.indexOf(':') + 1),
      })),
    });
    await recordAudit(tx, {
      orgId,
      principal: options.principal,
      action: 'supporter.merged',
      target: record.id,
      details: { keptId, mergedId, moved: record.moved, skipped: record.skipped, fields },
    });
    return { ...record, keptVersion: keptRow.version, mergedVersion: mergedRow.version };
  });
}

/**
 * Undoes a merge: the recorded rows still on the kept record go back, the
 * kept record's changed fields get their previous value where nobody changed
 * them since (others are listed in notRestored), merged_into is cleared.
 * Refuses an undone merge, and a merge followed by another one involving
 * either supporter (that one must be undone first).
 */
export async function undoMerge(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  mergeId: string;
}) {
  const { orgId } = options;
  const actor = actorText(options.principal);
  return options.db.forOrg(orgId, async (tx) => {
    const found = await sql<MergeRow>`
      select ${MERGE_COLUMNS} from supporter_merges where id = ${options.mergeId} for update`.execute(tx);
    const merge = found.rows[0];
    if (!merge) throw dedupeErrors.mergeNotFound();
    if (merge.undone_at) throw dedupeErrors.alreadyUndone(new Date(merge.undone_at).toISOString());
    const { kept_id: keptId, merged_id: mergedId } = merge;
    const { kept, merged } = await lockPair(tx, keptId, mergedId);
    const later = await sql<{ id: string }>`
      select id from supporter_merges
      where id <> ${merge.id} and undone_at is null and merged_at >= ${merge.merged_at}::timestamptz
        and (kept_id in (${keptId}, ${mergedId}) or merged_id in (${keptId}, ${mergedId}))
      order by merged_at desc limit 1`.execute(tx);
    if (later.rows[0]) throw dedupeErrors.laterMerge(later.rows[0].id);
    if (!kept || !merged || merged.merged_into !== keptId) throw dedupeErrors.notMergedAnymore();

    const notRestoredRows: Record<string, number> = {};
    for (const table of TABLES) {
      const ids = merge.moved[table] ?? [];
      const back = await moveRows(tx, table, keptId, mergedId, ids);
      if (back.length < ids.length) notRestoredRows[MOVED_TABLES[table]] = ids.length - back.length;
    }
    for (const [table, key] of Object.entries(DEMOTED)) {
      const ids = merge.moved[key] ?? [];
      if (ids.length > 0)
        await sql`update ${sql.table(table)} set is_primary = true
                  where supporter_id = ${mergedId} and id = any(${ids}::uuid[])`.execute(tx);
    }

    const current = fieldsOf(kept);
    const restore: Partial<FieldValues> = {};
    const notRestoredFields: string[] = [];
    for (const [field, change] of Object.entries(merge.fields) as [
      MergeField,
      (typeof merge.fields)[string],
    ][]) {
      if (stable(current[field]) === stable(change.after)) restore[field] = change.before;
      else notRestoredFields.push(field);
    }
    const now = new Date();
    const keptRow = await tx
      .updateTable('supporters')
      .set((eb) => ({ ...columnValues(restore), version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', keptId)
      .returning('version')
      .executeTakeFirstOrThrow();
    const mergedRow = await tx
      .updateTable('supporters')
      .set((eb) => ({ merged_into: null, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', mergedId)
      .returning('version')
      .executeTakeFirstOrThrow();
    await refreshSearchText(tx, keptId);
    await refreshSearchText(tx, mergedId);

    const undone = await sql<MergeRow>`
      update supporter_merges set undone_at = ${now}, undone_by = ${actor}
      where id = ${merge.id} returning ${MERGE_COLUMNS}`.execute(tx);
    const record = toMergeRecord(undone.rows[0] as MergeRow);
    const notRestored = { fields: notRestoredFields, rows: notRestoredRows };
    await tx
      .insertInto('supporter_events')
      .values([
        {
          org_id: orgId,
          supporter_id: keptId,
          kind: 'merge_undone',
          actor,
          details: JSON.stringify({ mergeId: merge.id, role: 'kept', mergedId, notRestored }),
        },
        {
          org_id: orgId,
          supporter_id: mergedId,
          kind: 'merge_undone',
          actor,
          details: JSON.stringify({ mergeId: merge.id, role: 'merged', keptId }),
        },
      ])
      .execute();
    // No event type of its own: both records changed, and subscribers of supporter.updated hear it.
    for (const [supporterId, version, changedFields] of [
      [keptId, keptRow.version, Object.keys(restore)],
      [mergedId, mergedRow.version, ['mergedInto']],
    ] as const) {
      await emitEvent(tx, 'supporter.updated', {
        supporterId,
        version,
        changedFields,
        reason: 'merge_undone',
        mergeId: merge.id,
      });
    }
    await recordAudit(tx, {
      orgId,
      principal: options.principal,
      action: 'supporter.merge_undone',
      target: merge.id,
      details: { keptId, mergedId, notRestored },
    });
    return { ...record, keptVersion: keptRow.version, mergedVersion: mergedRow.version, notRestored };
  });
}

export async function listMerges(options: {
  db: Database;
  orgId: string;
  limit: number;
  cursor?: string | undefined;
  supporterId?: string | undefined;
}) {
  let after: [string, string] | undefined;
  if (options.cursor) {
    let key: unknown;
    try {
      key = JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8'));
    } catch {
      throw dedupeErrors.cursorInvalid();
    }
    if (
      !Array.isArray(key) ||
      key.length !== 2 ||
      typeof key[0] !== 'string' ||
      Number.isNaN(Date.parse(key[0])) ||
      typeof key[1] !== 'string' ||
      !/^[0-9a-f-]{36}$/.test(key[1])
    )
      throw dedupeErrors.cursorInvalid();
    after = key as [string, string];
  }
  const rows = await options.db.readForOrg(
    options.orgId,
    async (tx) =>
      (
        await sql<MergeRow>`
          select ${MERGE_COLUMNS} from supporter_merges
          where true
            ${options.supporterId ? sql`and (kept_id = ${options.supporterId} or merged_id = ${options.supporterId})` : sql``}
            ${after ? sql`and (merged_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
          order by merged_at desc, id desc
          limit ${options.limit + 1}`.execute(tx)
      ).rows,
  );
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map(toMergeRecord),
    nextCursor:
      rows.length > options.limit && last
        ? Buffer.from(JSON.stringify([last.merged_at, last.id])).toString('base64url')
        : null,
  };
}
