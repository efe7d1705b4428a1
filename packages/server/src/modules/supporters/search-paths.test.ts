// Supporter search against a brute-force answer, with enough supporters that
// every path of search.repository.ts runs: pages of name words, pages of pairs
// of name words (and too many pairs), pages of key heads (keys too many to read
// whole, words shorter and longer than a head, too many heads), whole ranges,
// and the bound the name pages put on the key pages. Every page of every query
// is compared with a plain scan of search_text in the same database, so the
// expected order is the database's own (its collation), not JavaScript's.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestKit, createCrmTestKit } from './crm-test-kit.ts';
import { prefixWords, searchTerms } from './search.ts';
import { listSupporters } from './supporters.service.ts';

let k: CrmTestKit;

// Many first names under "ma" and surnames under "ro" and "b", so that "ma ro"
// has many pairs and "ma" and "ro" many e-mails; mixed case to exercise the
// collation's order. 25 × 26 combinations: "a b" has more than 128 pairs.
const FIRST = [
  'Mario',
  'Maria',
  'Marco',
  'Martina',
  'Marta',
  'Matteo',
  'Massimo',
  'Manuela',
  'Anna',
  'Andrea',
  'Alba',
  'Aldo',
  'Alessio',
  'Ada',
  'Agata',
  'Alma',
  'Amos',
  'Anita',
  'Arturo',
  'Asia',
  'Attilio',
  'Aurora',
  'Ave',
  'Azzurra',
  'Lucia',
];
const LAST = [
  'Rossi',
  'Rossini',
  'rossetti',
  'Romano',
  'Rocca',
  'Russo',
  'Bianchi',
  'Bassi',
  'Bruno',
  'Barbieri',
  'Benedetti',
  'Bellini',
  'Basile',
  'Battaglia',
  'Bernardi',
  'Bianco',
  'Borrelli',
  'Bosco',
  'Brambilla',
  'Bonetti',
  'Bertolini',
  'Baldi',
  'Bacci',
  'Boni',
  'Buzzi',
  'De Rossi',
];
const SUPPORTERS = 2000;

beforeAll(async () => {
  k = await createCrmTestKit();
  // search_text as supporterSearchText writes it (names normalized, fiscal
  // code, e-mails, phone digits with and without +39). Most e-mails start with
  // the owner's first name or surname (their heads are covered by a name
  // word), some with "mail" (not covered: "ma" must read them); phones share
  // the prefix 347.
  await k.db.forOrg(k.alpha, (tx) =>
    sql`
      with gen as (
        select i, (${FIRST}::text[])[1 + (i * 7) % ${FIRST.length}::int] first_name,
               (${LAST}::text[])[1 + (i * 11) % ${LAST.length}::int] last_name
        from generate_series(1, ${SUPPORTERS}::int) i
      )
      insert into supporters (org_id, first_name, last_name, search_text)
      select ${k.alpha}::uuid, first_name, last_name,
             concat_ws(' | ', lower(last_name || ' ' || first_name),
               case when i % 3 = 0 then lower(left(replace(last_name, ' ', ''), 3) || left(first_name, 3)) || lpad(i::text, 10, '0') end,
               case i % 4 when 0 then lower(first_name || '.' || replace(last_name, ' ', '')) || i || '@example.it'
                          when 1 then lower(replace(last_name, ' ', '') || first_name) || '@example.org'
                          when 2 then lower(first_name || replace(last_name, ' ', '')) || i || '@example.it'
                          else 'mail' || i || '@example.net' end,
               '39347' || lpad(i::text, 7, '0'), '347' || lpad(i::text, 7, '0'))
      from gen`.execute(tx),
  );
  // Another organization's lookalikes interleave in the same index ranges.
  await k.db.forOrg(k.beta, (tx) =>
    sql`insert into supporters (org_id, first_name, last_name, search_text)
        select ${k.beta}::uuid, 'Mario', 'Rossi', 'rossi mario | mario.rossi' || i || '@example.it | 3473' || lpad(i::text, 6, '0')
        from generate_series(1, 300) i`.execute(tx),
  );
  // A merged supporter is never found, whatever path finds its terms.
  await k.db.forOrg(k.alpha, (tx) =>
    sql`update supporters set merged_into = (select min(id::text)::uuid from supporters where last_name = 'Bosco')
        where id = (select max(id::text)::uuid from supporters where last_name = 'Rossi')`.execute(tx),
  );
}, 120_000);
afterAll(() => k?.close());

/** Every supporter matching the query, in list order, by a scan of every search_text. */
async function bruteForce(q: string): Promise<string[]> {
  const words = prefixWords(searchTerms(q)).map((word) => word.from);
  const result = await k.db.readForOrg(k.alpha, (tx) =>
    sql<{ id: string }>`
      select s.id from supporters s
      where s.merged_into is null
        and (select bool_and(exists (
              select from string_to_table(translate(s.search_text, '|', ' '), ' ') term
              where starts_with(term, w)))
             from unnest(${words}::text[]) w)
      order by s.last_name, s.first_name, s.id`.execute(tx),
  );
  return result.rows.map((row) => row.id);
}

/** Every page of the search, followed by its cursors. */
async function allPages(q: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await listSupporters({ db: k.db, orgId: k.alpha, limit, q, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((item) => item.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('too many pages');
}

describe('supporter search finds what a scan of every supporter finds, in the same order', () => {
  it.each([
    // One name word: pages of name words; its e-mails: pages of key heads
    // (more than 256 keys), bounded by the name page.
    ['ma', 40],
    ['mar', 25],
    ['mario', 25],
    ['ro', 30],
    ['rossi', 25],
    ['b', 60],
    // Two name words: pages of pairs; each word's e-mails bounded.
    ['ma ro', 25],
    ['ro ma', 7],
    ['mario rossi', 10],
    ['rossi mario', 50],
    ['de rossi', 20],
    ['ross mar', 15],
    // More than 128 pairs: pages of the first word's names, the second tested.
    ['a b', 40],
    ['b a', 60],
    // Three words: a pair and a word tested on its rows.
    ['de rossi ma', 10],
    ['ma ro 347', 25],
    // Keys only: a head longer and shorter than the word, few keys read whole,
    // heads with and without a name word, an e-mail's domain is not a prefix.
    ['mario.', 20],
    ['mario.ross', 5],
    ['rossimario', 20],
    ['347', 200],
    ['3470000', 200],
    ['34700001', 5],
    ['+39 347 000 1', 5],
    ['rosmar', 10],
    ['example', 5],
    ['mail', 30],
    ['mail1', 30],
    ['mail12 ro', 5],
    // A name word and a key word.
    ['rossi 347000', 10],
    ['mario 3470000', 10],
  ] as const)('%j, %d a page', async (q, limit) => {
    const expected = await bruteForce(q);
    const found = await allPages(q, limit);
    expect(found).toEqual(expected);
  });

  it('has the paths the cases above are meant to exercise', async () => {
    const counts = await k.db.readForOrg(k.alpha, (tx) =>
      sql<{ keys: string; heads: string; pairs: string }>`
        select (select count(*) from supporter_search_terms where kind = 'key' and term ~>=~ 'ma' and term ~<~ 'mb') keys,
               (select count(distinct term) from supporter_search_terms where kind = 'head' and term ~>=~ '00b' and term ~<~ '00c') heads,
               (select count(distinct term) from supporter_search_terms where kind = 'pair' and term ~ '^a[^ ]* b') pairs`.execute(
        tx,
      ),
    );
    // More keys under "ma" than FEW_KEYS (256), more heads not covered by a
    // name word under "b" than MAX_HEAD_STREAMS (128), more "a… b…" pairs
    // than MAX_PAIR_STREAMS (128).
    expect(Number(counts.rows[0]!.keys)).toBeGreaterThan(256);
    expect(Number(counts.rows[0]!.heads)).toBeGreaterThan(128);
    expect(Number(counts.rows[0]!.pairs)).toBeGreaterThan(128);
    expect(await bruteForce('ma ro')).not.toHaveLength(0);
  });
});
