// SQL of the supporters module. Functions take a unit of work (`tx`): row-level
// security already confines them to one organization.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { PhoneKind, SupporterSource, SupporterStatus } from '../../db/schema.ts';
import { searchPageIds } from './search.repository.ts';
import { prefixWords } from './search.ts';

export type ConsentRecord = {
  id: string;
  channel: 'phone' | 'sms' | 'email' | 'post';
  purpose: string;
  granted: boolean;
  source: string;
  evidence: string;
  recordedAt: string;
  interactionId: string | null;
};

export type SupporterRecord = {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  fiscalCode: string | null;
  language: string;
  source: SupporterSource | null;
  status: SupporterStatus;
  phones: {
    number: string;
    kind: PhoneKind;
    valid: boolean;
    primary: boolean;
    invalidSince: string | null;
  }[];
  emails: { email: string; valid: boolean; primary: boolean }[];
  externalIds: { system: string; externalId: string }[];
  addresses: Record<string, string>[];
  tags: string[];
  customFields: Record<string, unknown>;
  consents: ConsentRecord[];
  mergedInto: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

const iso = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** The current consent per channel and purpose: the latest, and at equal time the revocation. */
export function currentConsentsQuery(supporterId: string) {
  return sql`select distinct on (channel, purpose) id, channel, purpose, granted, source, evidence,
                    recorded_at, interaction_id
             from consent_events
             where supporter_id = ${supporterId}
             order by channel, purpose, recorded_at desc, granted asc, id desc`;
}

export function toConsent(row: {
  id: string | number;
  channel: ConsentRecord['channel'];
  purpose: string;
  granted: boolean;
  source: string;
  evidence: string;
  recorded_at: string | Date;
  interaction_id: string | null;
}): ConsentRecord {
  return {
    id: String(row.id),
    channel: row.channel,
    purpose: row.purpose,
    granted: row.granted,
    source: row.source,
    evidence: row.evidence,
    recordedAt: iso(row.recorded_at) as string,
    interactionId: row.interaction_id,
  };
}

type SupporterRow = {
  id: string;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  fiscal_code: string | null;
  language: string;
  source: SupporterSource | null;
  status: SupporterStatus;
  addresses: Record<string, string>[];
  tags: string[];
  custom_fields: Record<string, unknown>;
  merged_into: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  phones: {
    number: string;
    kind: PhoneKind;
    valid: boolean;
    primary: boolean;
    invalidSince: string | null;
  }[];
  emails: SupporterRecord['emails'];
  external_ids: SupporterRecord['externalIds'];
  consents: Parameters<typeof toConsent>[0][];
};

/** One supporter with everything it owns, in one statement. */
export async function loadSupporter(tx: Tx, supporterId: string): Promise<SupporterRecord | undefined> {
  const result = await sql<SupporterRow>`
    select s.id, s.first_name, s.last_name, s.birth_date, s.fiscal_code, s.language, s.source, s.status,
           s.addresses, s.tags, s.custom_fields, s.merged_into, s.version, s.created_at, s.updated_at,
           coalesce((select json_agg(json_build_object('number', p.number, 'kind', p.kind, 'valid', p.valid,
                                     'primary', p.is_primary, 'invalidSince', p.invalid_since)
                                     order by p.is_primary desc, p.created_at, p.number)
                     from supporter_phones p where p.supporter_id = s.id), '[]') as phones,
           coalesce((select json_agg(json_build_object('email', e.email, 'valid', e.valid, 'primary', e.is_primary)
                                     order by e.is_primary desc, e.created_at, e.email)
                     from supporter_emails e where e.supporter_id = s.id), '[]') as emails,
           coalesce((select json_agg(json_build_object('system', x.system, 'externalId', x.external_id)
                                     order by x.system, x.external_id)
                     from supporter_external_ids x where x.supporter_id = s.id), '[]') as external_ids,
           coalesce((select json_agg(c order by c.channel, c.purpose)
                     from (${currentConsentsQuery(supporterId)}) c), '[]') as consents
    from supporters s
    where s.id = ${supporterId}`.execute(tx);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthDate: row.birth_date,
    fiscalCode: row.fiscal_code,
    language: row.language,
    source: row.source,
    status: row.status,
    phones: row.phones.map((p) => ({ ...p, invalidSince: iso(p.invalidSince) })),
    emails: row.emails,
    externalIds: row.external_ids,
    addresses: row.addresses,
    tags: row.tags,
    customFields: row.custom_fields,
    consents: row.consents.map(toConsent),
    mergedInto: row.merged_into,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export type SupporterFilters = {
  /** Query words from searchTerms; each must be a prefix of one of the supporter's search terms. */
  terms?: string[] | undefined;
  statuses?: SupporterStatus[] | undefined;
  source?: SupporterSource | undefined;
  tag?: string | undefined;
  updatedSince?: Date | undefined;
};

export type SupporterListKey = [lastName: string, firstName: string, id: string];

/**
 * A page of supporters in a stable order (last name, first name, id: the
 * supporters_org_name index), after `after`. With search words, the page's
 * ids come from the search terms (searchPageIds); merged records are left out.
 */
export async function selectSupporterPage(
  tx: Tx,
  options: { filters: SupporterFilters; after?: SupporterListKey | undefined; limit: number },
) {
  const { filters } = options;
  const words = prefixWords(filters.terms ?? []);
  const ids = words.length > 0 ? await searchPageIds(tx, { ...options, words }) : undefined;
  if (ids?.length === 0) return [];
  let query = tx
    .selectFrom('supporters as s')
    .select([
      's.id',
      's.first_name',
      's.last_name',
      's.birth_date',
      's.fiscal_code',
      's.status',
      's.source',
      's.tags',
      's.version',
      's.updated_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('supporter_phones as p')
        .select('p.number')
        .whereRef('p.supporter_id', '=', 's.id')
        .orderBy('p.is_primary', 'desc')
        .orderBy('p.created_at')
        .orderBy('p.number')
        .limit(1)
        .as('primary_phone'),
      eb
        .selectFrom('supporter_emails as e')
        .select('e.email')
        .whereRef('e.supporter_id', '=', 's.id')
        .orderBy('e.is_primary', 'desc')
        .orderBy('e.created_at')
        .orderBy('e.email')
        .limit(1)
        .as('primary_email'),
    ]);
  if (ids) {
    // The search applied the filters and the cursor already.
    query = query.where('s.id', '=', sql<string>`any(${ids}::uuid[])`);
  } else {
    query = query.where('s.merged_into', 'is', null);
    if (filters.statuses?.length) query = query.where('s.status', 'in', filters.statuses);
    if (filters.source) query = query.where('s.source', '=', filters.source);
    if (filters.tag) query = query.where(sql<boolean>`s.tags @> array[${filters.tag}]::text[]`);
    if (filters.updatedSince) query = query.where('s.updated_at', '>=', filters.updatedSince);
    const after = options.after;
    if (after) {
      query = query.where((eb) =>
        eb(eb.refTuple('s.last_name', 's.first_name', 's.id'), '>', eb.tuple(after[0], after[1], after[2])),
      );
    }
  }
  return query.orderBy('s.last_name').orderBy('s.first_name').orderBy('s.id').limit(options.limit).execute();
}
