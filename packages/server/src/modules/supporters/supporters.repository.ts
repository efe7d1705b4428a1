// SQL of the supporters module. Functions take a unit of work (`tx`): row-level
// security already confines them to one organization.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { PhoneKind, SupporterSource, SupporterStatus } from '../../db/schema.ts';
import { prefixWords, type SearchWord } from './search.ts';

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

/** More distinct name words than this under one prefix: read all its matches instead of a page per word. */
const MAX_NAME_STREAMS = 64;

/**
 * The ids of a page of supporters matching every search word, in list order
 * (last name, first name, id), after `after`. Only leakproof operators touch
 * the term index (~>=~, ~<~, =), so row-level security does not keep it from
 * being used. The driving (longest) word's matches come from two places:
 * - name words: the distinct words in its range (a few for "ross": rossi,
 *   rossini, rossetti…), each read from the index already in page order and
 *   stopping after a page, so "rossi" reads 51 of its 15,000 rows;
 * - keys (e-mails, phones, fiscal codes): nearly one row per term, all read.
 * The other words are tested on each candidate row's `words` (all its terms).
 */
async function searchPageIds(
  tx: Tx,
  options: {
    words: SearchWord[];
    filters: SupporterFilters;
    after?: SupporterListKey | undefined;
    limit: number;
  },
): Promise<string[]> {
  const [driver, ...others] = options.words as [SearchWord, ...SearchWord[]];
  const { filters, after, limit } = options;
  const conditions = (t: string) => {
    const ref = (column: string) => sql.ref(`${t}.${column}`);
    const parts = others.map(
      // On the row itself; a supporter whose words were cut at 2,000
      // characters is also looked up by its own terms.
      // (A scalar subquery, so the planner never hashes all of a short word's terms.)
      (word) => sql`(strpos(${ref('words')}, ${` ${word.from}`}) > 0
                     or (length(${ref('words')}) >= 2000 and coalesce((
                       select true from supporter_search_terms o
                       where o.supporter_id = ${ref('supporter_id')}
                         and o.term ~>=~ ${word.from} and o.term ~<~ ${word.to} limit 1), false)))`,
    );
    if (after)
      parts.push(
        sql`(${ref('last_name')}, ${ref('first_name')}, ${ref('supporter_id')}) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)`,
      );
    const onSupporter = supporterFilterConditions(filters);
    if (onSupporter.length > 0)
      parts.push(
        sql`exists (select from supporters s where s.id = ${ref('supporter_id')} and ${sql.join(onSupporter, sql` and `)})`,
      );
    return parts.length > 0 ? sql` and ${sql.join(parts, sql` and `)}` : sql``;
  };
  const range = sql`t.term ~>=~ ${driver.from} and t.term ~<~ ${driver.to}`;
  const keys = sql`
      select t.supporter_id, t.last_name, t.first_name from supporter_search_terms t
      where t.kind = 'key' and ${range}${conditions('t')}`;
  // A union of pages is enough: a supporter in the first page of all matches
  // is in the first page of whichever stream found it.
  const found = driver.name
    ? sql`
      select page.* from streams cross join lateral (
        select t.supporter_id, t.last_name, t.first_name from supporter_search_terms t
        where t.kind = 'name' and t.term = streams.term${conditions('t')}
        order by t.last_name, t.first_name, t.supporter_id limit ${limit}
      ) page
      where (select count(*) from streams) <= ${MAX_NAME_STREAMS}
      union all
      select t.supporter_id, t.last_name, t.first_name from supporter_search_terms t
      where t.kind = 'name' and ${range}${conditions('t')}
        and (select count(*) from streams) > ${MAX_NAME_STREAMS}
      union all ${keys}`
    : keys;
  // The plan's cost counts its never-run branch (every match of a short
  // prefix) and crosses jit_above_cost: PostgreSQL's JIT then spends about
  // 400 ms compiling a query that runs in a few. Off for this transaction.
  await sql`select set_config('jit', 'off', true)`.execute(tx);
  const result = await sql<{ supporter_id: string }>`
    with recursive name_terms(term) as (
      (select t.term from supporter_search_terms t
       where t.kind = 'name' and ${range}
       order by t.term using ~<~ limit 1)
      union all
      select (select t.term from supporter_search_terms t
              where t.kind = 'name' and t.term ~>~ n.term and t.term ~<~ ${driver.to}
              order by t.term using ~<~ limit 1)
      from name_terms n where n.term is not null
    ), streams as (
      select term from name_terms where term is not null limit ${MAX_NAME_STREAMS + 1}
    ), found as (${found})
    select supporter_id from found
    group by supporter_id, last_name, first_name
    order by last_name, first_name, supporter_id
    limit ${limit}`.execute(tx);
  return result.rows.map((row) => row.supporter_id);
}

function supporterFilterConditions(filters: SupporterFilters) {
  const parts = [];
  if (filters.statuses?.length) parts.push(sql`s.status in (${sql.join(filters.statuses)})`);
  if (filters.source) parts.push(sql`s.source = ${filters.source}`);
  if (filters.tag) parts.push(sql`s.tags @> array[${filters.tag}]::text[]`);
  if (filters.updatedSince) parts.push(sql`s.updated_at >= ${filters.updatedSince}`);
  return parts;
}

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
