-- Supporter search at 1,000,000 supporters (issue 5: p99 under 20 ms). Two
-- more kinds of rows in supporter_search_terms, so that every part of a search
-- reads a page from the term index in list order (last name, first name, id)
-- and stops, instead of reading every match of a short prefix:
--
-- 'head': the first 5 characters of each key (e-mail, phone digits, fiscal
--   code). A word like "mar" matched 37,000 e-mails (marco.…, maria…) that
--   were all read, in term order, to find the first 50 in list order; now it
--   reads a page from each of the few distinct heads in its range ("marco",
--   "maria", "mario"…), like a name word does. Each head starts with how much
--   of the key one of the supporter's own name words already is, in two
--   digits ("05mario" for mario.rossi@… of Mario Rossi, "00rssmr" for a fiscal
--   code): a query word no longer than that finds the supporter by its name
--   word, so the search reads only heads with less ("mari" reads "00mari…" to
--   "03mari…", "giuseppina" "00giuse" to "09giuse"). Most e-mails are made of
--   their owner's names; without this, "mari ri" read 10,000 e-mails of
--   Marias and Marios to find the few of a Ricci.
-- 'pair': two different name words of the same supporter, "a b" (both ways
--   round). "mari ri" read Maria, Mario… in list order and threw away the
--   11,000 rows of each before the surnames starting with "ri"; now it reads a
--   page from each pair "maria ricci", "mario rizzo"… that exists, and every
--   row it reads is a match.
-- Measured with bench/supporter-search.bench.ts; the query side is in
-- src/modules/supporters/search.repository.ts.
--
-- The cost: about twice as many rows per supporter (a supporter with a
-- two-word name, a fiscal code, an e-mail and a mobile has 8 rows instead of
-- 6… see the benchmark's searchTerms figure), paid by every insert and update
-- of a name or contact through the same statement-level triggers.

ALTER TABLE supporter_search_terms DROP CONSTRAINT supporter_search_terms_kind_check;
ALTER TABLE supporter_search_terms ADD CONSTRAINT supporter_search_terms_kind_check
  CHECK (kind IN ('name', 'key', 'head', 'pair'));

-- A head can be the same text as one of the supporter's keys (a key
-- "0001234" and the head of a key "01234…").
ALTER TABLE supporter_search_terms DROP CONSTRAINT supporter_search_terms_pkey;
ALTER TABLE supporter_search_terms ADD PRIMARY KEY (supporter_id, kind, term);

-- The distinct terms of a search_text: words split on spaces and '|', the
-- heads of its keys (after the length of the longest name word each key
-- starts with) and the ordered pairs of its name words. Words hold
-- no space, so "a b" is a pair and nothing else.
CREATE OR REPLACE FUNCTION supporter_search_terms_of(search_text text) RETURNS TABLE (term text, kind text)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    WITH words AS (
      SELECT DISTINCT word, CASE WHEN word ~ '[0-9@]' THEN 'key' ELSE 'name' END AS kind
      FROM string_to_table(translate(search_text, '|', ' '), ' ') AS word
      WHERE word <> ''
    )
    SELECT word, kind FROM words
    UNION ALL
    SELECT DISTINCT lpad(least(coalesce((
             SELECT max(length(n.word)) FROM words n WHERE n.kind = 'name' AND starts_with(k.word, n.word)
           ), 0), 99)::text, 2, '0') || left(k.word, 5), 'head'
    FROM words k WHERE k.kind = 'key'
    UNION ALL
    SELECT a.word || ' ' || b.word, 'pair'
    FROM words a JOIN words b ON a.word <> b.word
    WHERE a.kind = 'name' AND b.kind = 'name'
  $$;

-- The new rows of the supporters already there. The migration's role owns the
-- tables; FORCE ROW LEVEL SECURITY would hold it to one organization (none
-- here), so it is lifted for this transaction's backfill only.
ALTER TABLE supporters NO FORCE ROW LEVEL SECURITY;
ALTER TABLE supporter_search_terms NO FORCE ROW LEVEL SECURITY;
INSERT INTO supporter_search_terms (org_id, supporter_id, term, kind, last_name, first_name, words)
SELECT s.org_id, s.id, t.term, t.kind, s.last_name, s.first_name, w.words
FROM supporters s
     CROSS JOIN LATERAL (SELECT supporter_search_words(s.search_text) AS words OFFSET 0) w
     CROSS JOIN LATERAL supporter_search_terms_of(s.search_text) t
WHERE s.merged_into IS NULL AND t.kind IN ('head', 'pair');
ALTER TABLE supporters FORCE ROW LEVEL SECURITY;
ALTER TABLE supporter_search_terms FORCE ROW LEVEL SECURITY;
