// The SQL of supporter search: the ids of a page of supporters matching every
// query word, in list order (last name, first name, id). It reads
// supporter_search_terms (0003_supporter_search.sql, 0005_search_speed.sql)
// through its one index (kind, term, org_id, last_name, first_name,
// supporter_id) INCLUDE (words), with leakproof operators only (~>=~, ~<~, =,
// row comparisons of text and uuid), so row-level security does not keep the
// index from being used.
//
// The rule that keeps it fast (issue 5: p99 under 20 ms at 1,000,000
// supporters): read a page from a few index ranges that are already in list
// order and stop, never every match of a short word. A union of such pages is
// enough: a supporter in the first page of all matches is in the first page of
// whichever range found it.
import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { SearchWord } from './search.ts';
import type { SupporterFilters, SupporterListKey } from './supporters.repository.ts';

/** More distinct name words than this under one prefix: read all its matches instead of a page per word. */
const MAX_NAME_STREAMS = 64;
/** More distinct pairs than this for two words: read each first word's page and test the second on it. */
const MAX_PAIR_STREAMS = 128;
/** More distinct key heads than this under one prefix: read all its keys. */
const MAX_HEAD_STREAMS = 128;
/** Fewer keys than this in a word's range are read whole (a phone, an e-mail, a fiscal code). */
const FEW_KEYS = 256;
/**
 * Characters of a key kept in its head, after the two digits saying how much
 * of the key is one of the supporter's name words (0005_search_speed.sql).
 */
export const KEY_HEAD_LENGTH = 5;

type PageOptions = {
  filters: SupporterFilters;
  after?: SupporterListKey | undefined;
  limit: number;
};
type Found = { supporter_id: string; last_name: string; first_name: string };

/**
 * The ids of the first `limit` supporters after `after` matching every word,
 * in list order — possibly with some more: the caller orders and cuts them.
 * Two statements: first the supporters whose name words match (pages of name
 * words, or of pairs of name words for two words), then those whose keys
 * (e-mails, phones, fiscal codes) do, only up to the last row of the first
 * statement's full page, which bounds how far the key pages read.
 */
export async function searchPageIds(
  tx: Tx,
  options: PageOptions & { words: SearchWord[] },
): Promise<string[]> {
  const [driver, ...others] = options.words as [SearchWord, ...SearchWord[]];
  const second = others[0];
  const paired = driver.name && second?.name === true ? second : undefined;
  // The plans' costs count their never-run branches (every match of a short
  // prefix) and cross jit_above_cost: PostgreSQL's JIT then spends about
  // 400 ms compiling a query that runs in a few. Off for this transaction.
  await sql`select set_config('jit', 'off', true)`.execute(tx);
  const byName = driver.name ? await nameMatches(tx, { ...options, driver, paired, others }) : [];
  const last = byName.length >= options.limit ? byName[options.limit - 1] : undefined;
  const bound: SupporterListKey | undefined = last && [last.last_name, last.first_name, last.supporter_id];
  // A supporter that two paired words match through name words only is in
  // byName; any other has a key matching the driver or the paired word.
  const keyWords = paired ? [driver, paired] : [driver];
  const byKey = await keyMatches(tx, { ...options, keyWords, driver, bound });
  return [...new Set([...byName, ...byKey].map((row) => row.supporter_id))];
}

/** Ends a word's range: the first string after every string with that prefix. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * The conditions on one term row `t`: every word of `test` is a prefix of one
 * of the supporter's terms, the row is after the cursor and not after the
 * bound, and the supporter passes the filters.
 */
function rowConditions(options: {
  test: SearchWord[];
  filters: SupporterFilters;
  after?: SupporterListKey | undefined;
  bound?: SupporterListKey | undefined;
}): RawBuilder<unknown> {
  const parts = options.test.map(
    // On the row's own words; a supporter whose words were cut at 2,000
    // characters is also looked up by its own terms. (A scalar subquery, so
    // the planner never hashes all of a short word's terms.)
    (word) => sql`(strpos(t.words, ${` ${word.from}`}) > 0
                   or (length(t.words) >= 2000 and coalesce((
                     select true from supporter_search_terms o
                     where o.supporter_id = t.supporter_id and o.kind in ('name', 'key')
                       and o.term ~>=~ ${word.from} and o.term ~<~ ${word.to} limit 1), false)))`,
  );
  const { after, bound } = options;
  if (after)
    parts.push(
      sql`(t.last_name, t.first_name, t.supporter_id) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)`,
    );
  if (bound)
    parts.push(
      sql`(t.last_name, t.first_name, t.supporter_id) <= (${bound[0]}, ${bound[1]}, ${bound[2]}::uuid)`,
    );
  const onSupporter = supporterFilterConditions(options.filters);
  if (onSupporter.length > 0)
    parts.push(
      sql`exists (select from supporters s where s.id = t.supporter_id and ${sql.join(onSupporter, sql` and `)})`,
    );
  return parts.length > 0 ? sql` and ${sql.join(parts, sql` and `)}` : sql``;
}

export function supporterFilterConditions(filters: SupporterFilters) {
  const parts = [];
  if (filters.statuses?.length) parts.push(sql`s.status in (${sql.join(filters.statuses)})`);
  if (filters.source) parts.push(sql`s.source = ${filters.source}`);
  if (filters.tag) parts.push(sql`s.tags @> array[${filters.tag}]::text[]`);
  if (filters.updatedSince) parts.push(sql`s.updated_at >= ${filters.updatedSince}`);
  return parts;
}

const PAGE_COLUMNS = sql`t.supporter_id, t.last_name, t.first_name`;
const LIST_ORDER = sql`t.last_name, t.first_name, t.supporter_id`;

/**
 * The body of a recursive CTE `cte(term)`: the distinct terms of one kind in
 * [from, to), skipping from one to the next through the index (one descent
 * each) instead of reading every row between them.
 */
function distinctTerms(cte: string, kind: string, from: string, to: string) {
  return sql`
      (select t.term from supporter_search_terms t
       where t.kind = ${kind} and t.term ~>=~ ${from} and t.term ~<~ ${to}
       order by t.term using ~<~ limit 1)
      union all
      select (select t.term from supporter_search_terms t
              where t.kind = ${kind} and t.term ~>~ d.term and t.term ~<~ ${to}
              order by t.term using ~<~ limit 1)
      from ${sql.ref(cte)} d where d.term is not null`;
}

/**
 * Supporters one of whose name words starts with the driver, and whose terms
 * start with every other word, first page in list order:
 * - with a paired second word: a page from each distinct pair "a b" of name
 *   words, a starting with the driver and b with the second word (both exact
 *   in the index: every row read is a match for both);
 * - otherwise (or with too many pairs): a page from each distinct name word in
 *   the driver's range ("ross": rossi, rossini, rossetti…), other words tested
 *   on each row;
 * - with too many name words (a one-letter word): every match of the range.
 */
async function nameMatches(
  tx: Tx,
  options: PageOptions & { driver: SearchWord; paired: SearchWord | undefined; others: SearchWord[] },
): Promise<Found[]> {
  const { driver, paired, others, filters, after, limit } = options;
  const rest = others.filter((word) => word !== paired);
  const range = sql`t.term ~>=~ ${driver.from} and t.term ~<~ ${driver.to}`;
  const testOthers = rowConditions({ test: others, filters, after });
  const byWord = sql`
      select page.* from streams cross join lateral (
        select ${PAGE_COLUMNS} from supporter_search_terms t
        where t.kind = 'name' and t.term = streams.term${testOthers}
        order by ${LIST_ORDER} limit ${limit}
      ) page
      where (select count(*) from streams) <= ${MAX_NAME_STREAMS}`;
  const wholeRange = sql`
      select ${PAGE_COLUMNS} from supporter_search_terms t
      where t.kind = 'name' and ${range}${testOthers}
        and (select count(*) from streams) > ${MAX_NAME_STREAMS}`;
  const pairCtes = paired
    ? // The range of each first word's pairs is computed in its own
      // (materialized) CTE: || is not leakproof, so written inside the
      // lookup it would be a filter over every pair, not an index condition.
      sql`, pair_ranges as materialized (
        select s.term || ${` ${paired.from}`} as low, s.term || ${` ${paired.to}`} as high from streams s
        where (select count(*) from streams) <= ${MAX_NAME_STREAMS}
      ), pair_terms(high, term) as (
        select r.high, (
          select t.term from supporter_search_terms t
          where t.kind = 'pair' and t.term ~>=~ r.low and t.term ~<~ r.high
          order by t.term using ~<~ limit 1)
        from pair_ranges r
        union all
        select p.high, (
          select t.term from supporter_search_terms t
          where t.kind = 'pair' and t.term ~>~ p.term and t.term ~<~ p.high
          order by t.term using ~<~ limit 1)
        from pair_terms p where p.term is not null
      ), pairs as (
        select term from pair_terms where term is not null limit ${MAX_PAIR_STREAMS + 1}
      )`
    : sql``;
  const found = paired
    ? sql`
      select page.* from pairs cross join lateral (
        select ${PAGE_COLUMNS} from supporter_search_terms t
        where t.kind = 'pair' and t.term = pairs.term${rowConditions({ test: rest, filters, after })}
        order by ${LIST_ORDER} limit ${limit}
      ) page
      where (select count(*) from pairs) <= ${MAX_PAIR_STREAMS}
      union all
      ${byWord} and (select count(*) from pairs) > ${MAX_PAIR_STREAMS}
      union all ${wholeRange}`
    : sql`${byWord} union all ${wholeRange}`;
  const result = await sql<Found>`
    with recursive name_terms(term) as (${distinctTerms('name_terms', 'name', driver.from, driver.to)}
    ), streams as (
      select term from name_terms where term is not null limit ${MAX_NAME_STREAMS + 1}
    )${pairCtes}, found as (${found})
    select supporter_id, last_name, first_name from found
    group by supporter_id, last_name, first_name
    order by last_name, first_name, supporter_id
    limit ${limit}`.execute(tx);
  return result.rows;
}

/**
 * Supporters one of whose keys (e-mail, phone digits, fiscal code) starts with
 * one of `keyWords`, and whose terms start with every other query word, up to
 * `bound`. For each key word:
 * - fewer than FEW_KEYS keys in its range (a phone, an e-mail, a fiscal
 *   code): all of them;
 * - more (a surname's e-mails, "mar", "347"): a page from each distinct key
 *   head in its range, the word itself tested on each row when it is longer
 *   than a head; every match of the range when there are too many heads.
 */
async function keyMatches(
  tx: Tx,
  options: PageOptions & {
    words: SearchWord[];
    keyWords: SearchWord[];
    driver: SearchWord;
    bound: SupporterListKey | undefined;
  },
): Promise<Found[]> {
  const { words, keyWords, driver, filters, after, bound, limit } = options;
  const ctes: RawBuilder<unknown>[] = [];
  const parts: RawBuilder<unknown>[] = [];
  if (keyWords.length > 1)
    ctes.push(sql`name_terms(term) as (${distinctTerms('name_terms', 'name', driver.from, driver.to)}
      ), streams as (
        select term from name_terms where term is not null limit ${MAX_NAME_STREAMS + 1}
      )`);
  for (const [i, word] of keyWords.entries()) {
    const probe = sql.ref(`probe_${i}`);
    const heads = sql.ref(`heads_${i}`);
    const headTerms = sql.ref(`head_terms_${i}`);
    const others = words.filter((other) => other !== word);
    const long = word.from.length > KEY_HEAD_LENGTH;
    const head = word.from.slice(0, KEY_HEAD_LENGTH);
    const headEnd = long ? prefixEnd(head) : word.to;
    // Heads whose supporter has no name word as long as the word at the
    // start of the key: a shorter word found those by the name word.
    const covered = Array.from({ length: Math.min(word.from.length, 100) }, (_, c) =>
      String(c).padStart(2, '0'),
    );
    const headRanges = sql.ref(`head_ranges_${i}`);
    const range = sql`t.kind = 'key' and t.term ~>=~ ${word.from} and t.term ~<~ ${word.to}`;
    const testOthers = rowConditions({ test: others, filters, after, bound });
    const tooManyHeads = sql`(select n from ${probe}) >= ${FEW_KEYS} and (select count(*) from ${heads}) > ${MAX_HEAD_STREAMS}`;
    const wholeRange = sql`
      select ${PAGE_COLUMNS} from supporter_search_terms t
      where ${range}${testOthers} and ${tooManyHeads}`;
    // The paired word's keys matter only for supporters that the driver
    // matches by a name word (the driver's keys are read whole): with too
    // many heads (a short word over fiscal codes: "fr" has hundreds, FRRMRA…),
    // the driver's name-word pages up to the bound, this word tested on them.
    const pairedFallback = sql`
      select page.* from streams cross join lateral (
        select ${PAGE_COLUMNS} from supporter_search_terms t
        where t.kind = 'name' and t.term = streams.term${rowConditions({
          test: words.filter((other) => other !== driver),
          filters,
          after,
          bound,
        })}
        order by ${LIST_ORDER} limit ${limit}
      ) page
      where ${tooManyHeads} and (select count(*) from streams) <= ${MAX_NAME_STREAMS}
      union all
      ${wholeRange} and (select count(*) from streams) > ${MAX_NAME_STREAMS}`;
    ctes.push(sql`${probe}(n) as (
        select count(*) from (
          select from supporter_search_terms t where ${range} limit ${FEW_KEYS}) few
      ), ${headRanges}(low, high) as (
        values ${sql.join(covered.map((c) => sql`(${`${c}${head}`}::text, ${`${c}${headEnd}`}::text)`))}
      ), ${headTerms}(high, term) as (
        select r.high, (
          select t.term from supporter_search_terms t
          where t.kind = 'head' and t.term ~>=~ r.low and t.term ~<~ r.high
          order by t.term using ~<~ limit 1)
        from ${headRanges} r where (select n from ${probe}) >= ${FEW_KEYS}
        union all
        select h.high, (
          select t.term from supporter_search_terms t
          where t.kind = 'head' and t.term ~>~ h.term and t.term ~<~ h.high
          order by t.term using ~<~ limit 1)
        from ${headTerms} h where h.term is not null
      ), ${heads} as (
        select term from ${headTerms} where term is not null limit ${MAX_HEAD_STREAMS + 1}
      )`);
    parts.push(sql`
      select ${PAGE_COLUMNS} from supporter_search_terms t
      where ${range}${testOthers} and (select n from ${probe}) < ${FEW_KEYS}
      union all
      select page.* from ${heads} cross join lateral (
        select ${PAGE_COLUMNS} from supporter_search_terms t
        where t.kind = 'head' and t.term = ${heads}.term${rowConditions({
          test: long ? words : others,
          filters,
          after,
          bound,
        })}
        order by ${LIST_ORDER} limit ${limit}
      ) page
      where (select count(*) from ${heads}) <= ${MAX_HEAD_STREAMS}
      union all
      ${i > 0 ? pairedFallback : wholeRange}`);
  }
  const result = await sql<Found>`
    with recursive ${sql.join(ctes)}, found as (${sql.join(parts, sql` union all `)})
    select supporter_id, last_name, first_name from found
    group by supporter_id, last_name, first_name
    order by last_name, first_name, supporter_id
    limit ${limit}`.execute(tx);
  return result.rows;
}
