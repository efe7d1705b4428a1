// Supporters import: one row per supporter. A row is matched first on its
// external id (within the file's system), then on the organization's dedupe
// rules in order — fiscal code, e-mail, phone, name + birth date — where an
// e-mail, phone or name match also needs the names to agree (Jaro-Winkler),
// since families share e-mails and phones. A match is updated by filling in:
// empty cells never erase, lists (e-mails, phones, tags) grow. A record whose
// merged values equal what is stored is "unchanged", which is what makes a
// second import of the same file change nothing.
//
// Everything is set-based per batch: one lookup per rule for the whole batch,
// one INSERT … SELECT FROM unnest(…) per table, ids generated here so child
// rows need no RETURNING round trip.
import {
  nameSimilarity,
  normalizeFiscalCode,
  normalizePhone,
  type PhoneType,
  parseItalianOrIsoDate,
  validateEmail,
  validateFiscalCode,
} from '@centralino/engine';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { PhoneKind, SupporterSource, SupporterStatus } from '../../db/schema.ts';
import { timeOrderedId } from '../../db/time-ordered-id.ts';
import { supporterSearchText } from '../supporters/search-text.ts';
import {
  type BatchOutcome,
  fieldValue,
  fieldValues,
  type ImportContext,
  type Importer,
  type PreparedRow,
  type RowIssue,
} from './import.types.ts';
import type { ImportField, ResolvedMapping } from './mapping.ts';
import type { TableRow } from './reader/table-reader.ts';

export type SupporterRecord = {
  externalId: string | null;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  fiscalCode: string | null;
  language: string | null;
  source: SupporterSource | null;
  status: SupporterStatus | null;
  emails: string[];
  phones: { number: string; kind: string }[];
  address: { line1: string; postalCode?: string; city?: string; province?: string; country?: string } | null;
  tags: string[];
};

export type DedupeRule = 'fiscal_code' | 'email' | 'phone' | 'name_birth_date';
/** Names must agree at least this much for an e-mail or phone match to count as the same person. */
const CONTACT_NAME_SIMILARITY = 0.85;
/** Name + birth date has no other evidence: the names must agree closely. */
const NAME_BIRTH_SIMILARITY = 0.92;

const SOURCES: Record<string, SupporterSource> = {
  face_to_face: 'face_to_face',
  f2f: 'face_to_face',
  dialogo_diretto: 'face_to_face',
  facetoface: 'face_to_face',
  drtv: 'drtv',
  tv: 'drtv',
  web: 'web',
  online: 'web',
  sito: 'web',
  event: 'event',
  evento: 'event',
  lead_generation: 'lead_generation',
  lead: 'lead_generation',
  leadgeneration: 'lead_generation',
  telephone: 'telephone',
  telefono: 'telephone',
  phone: 'telephone',
  other: 'other',
  altro: 'other',
};
const STATUSES: Record<string, SupporterStatus> = {
  active: 'active',
  attivo: 'active',
  lapsed: 'lapsed',
  inattivo: 'lapsed',
  decaduto: 'lapsed',
  deceased: 'deceased',
  deceduto: 'deceased',
  do_not_contact: 'do_not_contact',
  non_contattare: 'do_not_contact',
};
const LANGUAGES: Record<string, string> = {
  italiano: 'it',
  inglese: 'en',
  english: 'en',
  italian: 'it',
  tedesco: 'de',
  francese: 'fr',
  spagnolo: 'es',
};

function enumKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/[\s-]+/g, '_');
}

export function createSupportersImporter(
  fields: readonly ImportField[],
  rules: readonly DedupeRule[],
): Importer<SupporterRecord> {
  return {
    kind: 'supporters',
    fields,
    tables: [
      'supporters',
      'supporter_emails',
      'supporter_phones',
      'supporter_external_ids',
      'supporter_events',
    ],
    prepare: prepareSupporter,
    apply: (tx, rows, context) => applySupporters(tx, rows, context, rules),
  };
}

export function prepareSupporter(
  row: TableRow,
  mapping: ResolvedMapping,
  context: ImportContext,
): PreparedRow<SupporterRecord> {
  const issues: RowIssue[] = [];
  const line = row.line;
  const refuse = (column: string, value: string, reason: string) =>
    issues.push({ line, column, value, reason });
  if (row.error) refuse('', '', row.error);

  const text = (field: string, max: number) => {
    const cell = fieldValue(row, mapping, field);
    if (cell && cell.value.length > max) {
      refuse(cell.column, cell.value, `longer than ${max} characters`);
      return '';
    }
    return cell?.value ?? '';
  };
  const externalId = text('external_id', 100) || null;
  const firstName = text('first_name', 100);
  const lastName = text('last_name', 100);

  let birthDate: string | null = null;
  const birth = fieldValue(row, mapping, 'birth_date');
  if (birth) {
    const parsed = parseItalianOrIsoDate(birth.value);
    if (!parsed.ok) refuse(birth.column, birth.value, parsed.message);
    else if (parsed.date > context.today || parsed.date < '1900-01-01')
      refuse(birth.column, birth.value, 'birth date out of range');
    else birthDate = parsed.date;
  }

  let fiscalCode: string | null = null;
  const fiscal = fieldValue(row, mapping, 'fiscal_code');
  if (fiscal) {
    const checked = validateFiscalCode(fiscal.value);
    if (!checked.ok) refuse(fiscal.column, fiscal.value, `invalid fiscal code: ${checked.message}`);
    else fiscalCode = normalizeFiscalCode(fiscal.value);
  }

  const emails: string[] = [];
  for (const cell of fieldValues(row, mapping, 'email')) {
    const email = validateEmail(cell.value);
    // Matching ignores case: no provider treats Mario.Rossi@ and mario.rossi@ as two mailboxes.
    const address = email.ok ? email.email.toLowerCase() : '';
    if (!email.ok) refuse(cell.column, cell.value, `invalid e-mail: ${email.message}`);
    else if (!emails.includes(address)) emails.push(address);
  }

  const phones: { number: string; kind: string }[] = [];
  for (const cell of fieldValues(row, mapping, 'phone')) {
    const phone = normalizePhone(cell.value);
    if (!phone.ok) refuse(cell.column, cell.value, `invalid phone number: ${phone.message}`);
    else if (!phones.some((p) => p.number === phone.e164))
      phones.push({ number: phone.e164, kind: phoneKind(phone.type) });
  }

  const enumField = <T extends string>(field: string, table: Record<string, T>, label: string): T | null => {
    const cell = fieldValue(row, mapping, field);
    if (!cell) return null;
    const value = table[enumKey(cell.value)];
    if (!value)
      refuse(
        cell.column,
        cell.value,
        `unknown ${label}; expected one of ${[...new Set(Object.values(table))].join(', ')}`,
      );
    return value ?? null;
  };
  const source = enumField('source', SOURCES, 'source');
  const status = enumField('status', STATUSES, 'status');

  let language: string | null = null;
  const lang = fieldValue(row, mapping, 'language');
  if (lang) {
    const key = enumKey(lang.value);
    language = /^[a-z]{2}$/.test(key) ? key : (LANGUAGES[key] ?? null);
    if (!language)
      refuse(lang.column, lang.value, 'unknown language; use a two-letter code such as it or en');
  }

  const line1 = text('address', 200);
  const address = line1
    ? {
        line1,
        ...optional('postalCode', text('postal_code', 20)),
        ...optional('city', text('city', 100)),
        ...optional('province', text('province', 50).toUpperCase()),
        ...optional('country', text('country', 2).toUpperCase() || 'IT'),
      }
    : null;

  const tags = [
    ...new Set(
      fieldValues(row, mapping, 'tags')
        .flatMap((cell) => cell.value.split(/[,|]/))
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
    ),
  ];

  if (
    issues.length === 0 &&
    !externalId &&
    !lastName &&
    !firstName &&
    emails.length === 0 &&
    phones.length === 0
  ) {
    refuse('', '', 'the row has no name, e-mail, phone or external id');
  }
  if (issues.length > 0) return { line, issues };
  return {
    line,
    record: {
      externalId,
      firstName,
      lastName,
      birthDate,
      fiscalCode,
      language,
      source,
      status,
      emails,
      phones,
      address,
      tags,
    },
  };
}

const PHONE_KINDS: Partial<Record<PhoneType, PhoneKind>> = {
  mobile: 'mobile',
  fixed_line: 'fixed_line',
  voip: 'voip',
  toll_free: 'toll_free',
  unknown: 'unknown',
};
export const phoneKind = (type: PhoneType): PhoneKind => PHONE_KINDS[type] ?? 'other';

function optional<K extends string>(key: K, value: string): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

type Existing = {
  id: string;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  fiscal_code: string | null;
  language: string;
  source: SupporterSource | null;
  status: SupporterStatus;
  addresses: { line1: string }[];
  tags: string[];
  emails: string[];
  phones: string[];
  has_external_id: boolean;
};

/** A supporter as this batch leaves it: the stored state plus every row merged into it. */
type Working = {
  id: string;
  isNew: boolean;
  base: Existing;
  current: Existing;
  phoneKinds: Map<string, string>;
  externalIds: Set<string>;
  changes: Set<string>;
  firstLine: number;
};

const fullName = (first: string, last: string) => `${first} ${last}`.trim();

function emptyExisting(id: string): Existing {
  return {
    id,
    first_name: '',
    last_name: '',
    birth_date: null,
    fiscal_code: null,
    language: 'it',
    source: null,
    status: 'active',
    addresses: [],
    tags: [],
    emails: [],
    phones: [],
    has_external_id: false,
  };
}

async function applySupporters(
  tx: Tx,
  rows: readonly { line: number; record: SupporterRecord }[],
  context: ImportContext,
  rules: readonly DedupeRule[],
): Promise<BatchOutcome> {
  const matches = await findMatches(tx, rows, context, rules);
  const existing = await loadExisting(tx, [...new Set([...matches.values()])], context.system);
  const outcome: BatchOutcome = { created: 0, updated: 0, unchanged: 0, rejected: [] };

  // Supporters this batch touches, and the keys of those it creates, so a
  // later row of the file that is the same person merges into the same record.
  const working = new Map<string, Working>();
  const createdByKey = new Map<string, Working>();
  const keysOf = (record: SupporterRecord) => [
    ...(record.externalId ? [`x:${record.externalId}`] : []),
    ...(record.fiscalCode && rules.includes('fiscal_code') ? [`f:${record.fiscalCode}`] : []),
    ...(rules.includes('email') ? record.emails.map((e) => `e:${e}`) : []),
    ...(rules.includes('phone') ? record.phones.map((p) => `p:${p.number}`) : []),
    ...(rules.includes('name_birth_date') && record.birthDate && record.lastName
      ? [`n:${record.lastName.toLowerCase()}|${record.birthDate}`]
      : []),
  ];

  for (const { line, record } of rows) {
    let target: Working | undefined;
    const matchedId = matches.get(line);
    if (matchedId) {
      const stored = existing.get(matchedId);
      if (!stored) continue;
      target = working.get(matchedId);
      if (!target) {
        target = {
          id: matchedId,
          isNew: false,
          base: stored,
          current: stored,
          phoneKinds: new Map(),
          externalIds: new Set(),
          changes: new Set(),
          firstLine: line,
        };
        working.set(matchedId, target);
      }
    } else {
      target = keysOf(record)
        .map((key) => createdByKey.get(key))
        .find((w) => w !== undefined && sameRecordInFile(w, record));
    }
    if (!target) {
      const id = timeOrderedId();
      const base = emptyExisting(id);
      target = {
        id,
        isNew: true,
        base,
        current: mergeInto(base, record),
        phoneKinds: new Map(record.phones.map((p) => [p.number, p.kind])),
        externalIds: new Set(record.externalId ? [record.externalId] : []),
        changes: new Set(),
        firstLine: line,
      };
      working.set(id, target);
      outcome.created++;
    } else {
      const merged = mergeInto(target.current, record);
      const changes = changedFields(target.current, merged);
      const newId =
        record.externalId !== null &&
        !target.externalIds.has(record.externalId) &&
        !target.current.has_external_id;
      for (const phone of record.phones)
        if (!target.phoneKinds.has(phone.number)) target.phoneKinds.set(phone.number, phone.kind);
      if (newId) target.externalIds.add(record.externalId!);
      for (const change of changes) target.changes.add(change);
      if (newId) target.changes.add('externalId');
      target.current = merged;
      if (changes.length > 0 || newId) outcome.updated++;
      else outcome.unchanged++;
    }
    if (target.isNew)
      for (const key of keysOf(record)) if (!createdByKey.has(key)) createdByKey.set(key, target);
  }

  const all = [...working.values()];
  await writeCreates(
    tx,
    all.filter((w) => w.isNew),
    context,
  );
  await writeUpdates(
    tx,
    all.filter((w) => !w.isNew && w.changes.size > 0),
    context,
  );
  return outcome;
}

/** A row joins a record created earlier in the file unless the names or the external ids disagree. */
function sameRecordInFile(created: Working, record: SupporterRecord): boolean {
  if (record.externalId && created.externalIds.size > 0 && !created.externalIds.has(record.externalId))
    return false;
  const a = fullName(record.firstName, record.lastName);
  const b = fullName(created.current.first_name, created.current.last_name);
  return a === '' || b === '' || nameSimilarity(a, b) >= CONTACT_NAME_SIMILARITY;
}

/** line → id of the existing supporter each row matches, rule by rule. */
async function findMatches(
  tx: Tx,
  rows: readonly { line: number; record: SupporterRecord }[],
  context: ImportContext,
  rules: readonly DedupeRule[],
): Promise<Map<number, string>> {
  const matches = new Map<number, string>();
  const open = () => rows.filter((row) => !matches.has(row.line));

  const withIds = rows.filter((row) => row.record.externalId !== null);
  if (withIds.length > 0) {
    const found = await sql<{ external_id: string; supporter_id: string }>`
      select external_id, supporter_id from supporter_external_ids
      where system = ${context.system} and external_id = any(${withIds.map((r) => r.record.externalId)}::text[])`.execute(
      tx,
    );
    const byId = new Map(found.rows.map((r) => [r.external_id, r.supporter_id]));
    for (const row of withIds) {
      const id = byId.get(row.record.externalId!);
      if (id) matches.set(row.line, id);
    }
  }

  for (const rule of rules) {
    const pending = open();
    if (pending.length === 0) break;
    if (rule === 'fiscal_code') {
      const codes = pending.flatMap((r) => (r.record.fiscalCode ? [r.record.fiscalCode] : []));
      if (codes.length === 0) continue;
      const found = await sql<Candidate & { value: string }>`
        select s.fiscal_code as value, s.id, s.first_name, s.last_name, ${hasIdIn(context.system)} as has_id
        from supporters s
        where s.fiscal_code = any(${codes}::text[]) and s.merged_into is null
        order by s.created_at`.execute(tx);
      const byCode = groupBy(found.rows, (r) => r.value);
      for (const row of pending) {
        const candidate = (byCode.get(row.record.fiscalCode ?? '') ?? []).find((c) =>
          compatible(row.record, c, 0),
        );
        if (candidate) matches.set(row.line, candidate.id);
      }
    } else if (rule === 'email' || rule === 'phone') {
      const values = pending.flatMap((r) =>
        rule === 'email' ? r.record.emails : r.record.phones.map((p) => p.number),
      );
      if (values.length === 0) continue;
      const found =
        rule === 'email'
          ? await sql<Candidate & { value: string }>`
              select e.email as value, s.id, s.first_name, s.last_name, ${hasIdIn(context.system)} as has_id
              from supporter_emails e join supporters s on s.id = e.supporter_id
              where e.email = any(${values}::text[]) and s.merged_into is null
              order by s.created_at`.execute(tx)
          : await sql<Candidate & { value: string }>`
              select p.number as value, s.id, s.first_name, s.last_name, ${hasIdIn(context.system)} as has_id
              from supporter_phones p join supporters s on s.id = p.supporter_id
              where p.number = any(${values}::text[]) and s.merged_into is null
              order by s.created_at`.execute(tx);
      const byValue = groupBy(found.rows, (r) => r.value);
      for (const row of pending) {
        const keys = rule === 'email' ? row.record.emails : row.record.phones.map((p) => p.number);
        for (const key of keys) {
          const candidate = (byValue.get(key) ?? []).find((c) =>
            compatible(row.record, c, CONTACT_NAME_SIMILARITY),
          );
          if (candidate) {
            matches.set(row.line, candidate.id);
            break;
          }
        }
      }
    } else if (rule === 'name_birth_date') {
      const keyed = pending.filter((r) => r.record.birthDate && r.record.lastName);
      if (keyed.length === 0) continue;
      const found = await sql<Candidate & { birth_date: string; input_name: string }>`
        select s.id, s.first_name, s.last_name, s.birth_date, k.last_name as input_name,
               ${hasIdIn(context.system)} as has_id
        from (select supporter_name_key(last_name) as name_key, last_name, birth_date
              from unnest(${keyed.map((r) => r.record.lastName)}::text[], ${keyed.map((r) => r.record.birthDate)}::date[])
                as u(last_name, birth_date)
              offset 0) as k
          -- The folded key column (0004) is indexed; lower() on the stored
          -- name would not be leakproof, so no index could serve it under RLS.
          -- The file's names are folded first (OFFSET 0 keeps that apart): a
          -- join condition calling a non-leakproof function on any column,
          -- even the input's, cannot be an index condition under RLS either,
          -- and the lookup became a scan of the whole table per batch.
          join supporters s on s.dedupe_last_name = k.name_key and s.birth_date = k.birth_date
        where s.merged_into is null and s.birth_date is not null
        order by s.created_at`.execute(tx);
      // Grouped by the file's own spelling: the database folded it to find them.
      const byKey = groupBy(found.rows, (r) => `${r.input_name}|${r.birth_date}`);
      for (const row of keyed) {
        const candidate = (byKey.get(`${row.record.lastName}|${row.record.birthDate}`) ?? []).find((c) =>
          compatible(row.record, c, NAME_BIRTH_SIMILARITY),
        );
        if (candidate) matches.set(row.line, candidate.id);
      }
    }
  }
  return matches;
}

type Candidate = { id: string; first_name: string; last_name: string; has_id: boolean };

/**
 * Whether supporter `s` has an id of the file's system: one probe of
 * (supporter_id, system) per row. Written as a scalar subquery with LIMIT, not
 * EXISTS: the planner may turn an EXISTS into a hashed scan of every external
 * id of the organization, and it did for each batch of a re-import (measured:
 * 300 ms per 2,000-row batch at 200,000 supporters, growing with the table).
 */
const hasIdIn = (system: string) =>
  sql<boolean>`coalesce((select true from supporter_external_ids x where x.supporter_id = s.id and x.system = ${system} limit 1), false)`;

/**
 * A rule's candidate is the row's person unless the names disagree, or both
 * carry an id of the file's system (then the source system says they are two
 * records, and merging them is a decision for the dedupe review, not an import).
 */
function compatible(record: SupporterRecord, candidate: Candidate, minSimilarity: number): boolean {
  if (record.externalId !== null && candidate.has_id) return false;
  if (minSimilarity === 0) return true;
  const name = fullName(record.firstName, record.lastName);
  const theirs = fullName(candidate.first_name, candidate.last_name);
  return name === '' || theirs === '' || nameSimilarity(name, theirs) >= minSimilarity;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

async function loadExisting(tx: Tx, ids: string[], system: string): Promise<Map<string, Existing>> {
  if (ids.length === 0) return new Map();
  const result = await sql<Existing>`
    select s.id, s.first_name, s.last_name, s.birth_date, s.fiscal_code, s.language, s.source, s.status,
           s.addresses, s.tags,
           coalesce((select array_agg(e.email order by e.created_at, e.email) from supporter_emails e where e.supporter_id = s.id), '{}') as emails,
           coalesce((select array_agg(p.number order by p.created_at, p.number) from supporter_phones p where p.supporter_id = s.id), '{}') as phones,
           ${hasIdIn(system)} as has_external_id
    from supporters s where s.id = any(${ids}::uuid[])`.execute(tx);
  return new Map(result.rows.map((row) => [row.id, row]));
}

function mergeInto(current: Existing, record: SupporterRecord): Existing {
  const newEmails = record.emails.filter((email) => !current.emails.includes(email));
  const newPhones = record.phones.map((p) => p.number).filter((number) => !current.phones.includes(number));
  const newTags = record.tags.filter((tag) => !current.tags.includes(tag));
  const address = record.address;
  const knownAddress =
    address !== null && current.addresses.some((a) => a.line1.toLowerCase() === address.line1.toLowerCase());
  return {
    ...current,
    first_name: record.firstName || current.first_name,
    last_name: record.lastName || current.last_name,
    birth_date: record.birthDate ?? current.birth_date,
    fiscal_code: record.fiscalCode ?? current.fiscal_code,
    language: record.language ?? current.language,
    source: record.source ?? current.source,
    status: record.status ?? current.status,
    addresses: address && !knownAddress ? [address, ...current.addresses] : current.addresses,
    tags: newTags.length > 0 ? [...current.tags, ...newTags] : current.tags,
    emails: newEmails.length > 0 ? [...current.emails, ...newEmails] : current.emails,
    phones: newPhones.length > 0 ? [...current.phones, ...newPhones] : current.phones,
  };
}

function changedFields(before: Existing, after: Existing): string[] {
  const changes: string[] = [];
  if (after.first_name !== before.first_name) changes.push('firstName');
  if (after.last_name !== before.last_name) changes.push('lastName');
  if (after.birth_date !== before.birth_date) changes.push('birthDate');
  if (after.fiscal_code !== before.fiscal_code) changes.push('fiscalCode');
  if (after.language !== before.language) changes.push('language');
  if (after.source !== before.source) changes.push('source');
  if (after.status !== before.status) changes.push('status');
  if (after.addresses !== before.addresses) changes.push('addresses');
  if (after.tags !== before.tags) changes.push('tags');
  if (after.emails !== before.emails) changes.push('emails');
  if (after.phones !== before.phones) changes.push('phones');
  return changes;
}

const searchTextOf = (s: Existing) =>
  supporterSearchText({
    firstName: s.first_name,
    lastName: s.last_name,
    fiscalCode: s.fiscal_code,
    emails: s.emails,
    phones: s.phones,
  });

/** Columns of supporters as unnest() arrays, shared by the insert and the update. */
function supporterArrays(items: readonly Working[]) {
  const col = <T>(pick: (s: Existing) => T) => items.map((w) => pick(w.current));
  return sql`unnest(${items.map((w) => w.id)}::uuid[], ${col((s) => s.first_name)}::text[], ${col((s) => s.last_name)}::text[],
                ${col((s) => s.birth_date)}::date[], ${col((s) => s.fiscal_code)}::text[], ${col((s) => s.language)}::text[],
                ${col((s) => s.source)}::text[], ${col((s) => s.status)}::text[],
                ${col((s) => JSON.stringify(s.addresses))}::jsonb[], ${col((s) => JSON.stringify(s.tags))}::jsonb[],
                ${col(searchTextOf)}::text[])
      as v(id, first_name, last_name, birth_date, fiscal_code, language, source, status, addresses, tags_json, search_text)`;
}

async function writeCreates(tx: Tx, creates: Working[], context: ImportContext): Promise<void> {
  if (creates.length === 0) return;
  await sql`
    insert into supporters (id, org_id, first_name, last_name, birth_date, fiscal_code, language, source, status,
                            addresses, tags, search_text, import_job_id)
    select id, ${context.orgId}::uuid, first_name, last_name, birth_date, fiscal_code, language, source, status,
           addresses, array(select jsonb_array_elements_text(tags_json)), search_text, ${context.jobId}::uuid
    from ${supporterArrays(creates)}`.execute(tx);
  await insertChildren(tx, context, creates);
  await insertEvents(
    tx,
    context,
    creates.map((w) => ({
      id: w.id,
      kind: 'created',
      details: { importJobId: context.jobId, line: w.firstLine },
    })),
  );
}

async function writeUpdates(tx: Tx, updates: Working[], context: ImportContext): Promise<void> {
  if (updates.length === 0) return;
  await sql`
    update supporters s set
      first_name = v.first_name, last_name = v.last_name, birth_date = v.birth_date, fiscal_code = v.fiscal_code,
      language = v.language, source = v.source, status = v.status, addresses = v.addresses,
      tags = array(select jsonb_array_elements_text(v.tags_json)), search_text = v.search_text,
      version = s.version + 1, updated_at = now()
    from ${supporterArrays(updates)}
    where s.id = v.id`.execute(tx);
  await insertChildren(tx, context, updates);
  await insertEvents(
    tx,
    context,
    updates.map((w) => ({
      id: w.id,
      kind: 'updated',
      details: { importJobId: context.jobId, line: w.firstLine, changes: [...w.changes] },
    })),
  );
}

/**
 * E-mails, phones and external ids this batch added (the stored ones are
 * skipped). A supporter who had none gets the file's first one as primary:
 * the column order of the file is the organization's order of preference.
 * Their ids are time-ordered too (see time-ordered-id.ts).
 */
async function insertChildren(tx: Tx, context: ImportContext, items: readonly Working[]): Promise<void> {
  const emailRows = items.flatMap((w) =>
    w.current.emails
      .filter((e) => !w.base.emails.includes(e))
      .map((e, i) => [w.id, e, i === 0 && w.base.emails.length === 0] as const),
  );
  if (emailRows.length > 0) {
    await sql`
      insert into supporter_emails (id, org_id, supporter_id, email, valid, is_primary)
      select id, ${context.orgId}::uuid, supporter_id, email, true, is_primary
      from unnest(${emailRows.map(() => timeOrderedId())}::uuid[], ${emailRows.map((r) => r[0])}::uuid[], ${emailRows.map((r) => r[1])}::text[],
                  ${emailRows.map((r) => r[2])}::boolean[]) as v(id, supporter_id, email, is_primary)
      on conflict (supporter_id, email) do nothing`.execute(tx);
  }
  const phoneRows = items.flatMap((w) =>
    w.current.phones
      .filter((p) => !w.base.phones.includes(p))
      .map(
        (p, i) => [w.id, p, w.phoneKinds.get(p) ?? 'unknown', i === 0 && w.base.phones.length === 0] as const,
      ),
  );
  if (phoneRows.length > 0) {
    await sql`
      insert into supporter_phones (id, org_id, supporter_id, number, kind, valid, is_primary)
      select id, ${context.orgId}::uuid, supporter_id, number, kind, true, is_primary
      from unnest(${phoneRows.map(() => timeOrderedId())}::uuid[], ${phoneRows.map((r) => r[0])}::uuid[], ${phoneRows.map((r) => r[1])}::text[], ${phoneRows.map((r) => r[2])}::text[],
                  ${phoneRows.map((r) => r[3])}::boolean[])
        as v(id, supporter_id, number, kind, is_primary)
      on conflict (supporter_id, number) do nothing`.execute(tx);
  }
  const idRows = items.flatMap((w) => [...w.externalIds].map((x) => [x, w.id] as const));
  if (idRows.length > 0) {
    await sql`
      insert into supporter_external_ids (org_id, system, external_id, supporter_id)
      select ${context.orgId}::uuid, ${context.system}, external_id, supporter_id
      from unnest(${idRows.map((r) => r[0])}::text[], ${idRows.map((r) => r[1])}::uuid[]) as v(external_id, supporter_id)
      on conflict do nothing`.execute(tx);
  }
}

async function insertEvents(
  tx: Tx,
  context: ImportContext,
  events: { id: string; kind: string; details: Record<string, unknown> }[],
): Promise<void> {
  if (events.length === 0) return;
  await sql`
    insert into supporter_events (org_id, supporter_id, kind, details, actor)
    select ${context.orgId}::uuid, supporter_id, kind, details, ${context.actor}
    from unnest(${events.map((e) => e.id)}::uuid[], ${events.map((e) => e.kind)}::text[],
                ${events.map((e) => JSON.stringify(e.details))}::jsonb[]) as v(supporter_id, kind, details)`.execute(
    tx,
  );
}
