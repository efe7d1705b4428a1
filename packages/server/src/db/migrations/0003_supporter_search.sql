-- Supporter search (issue 5): the words a supporter can be found by, one row
-- each, kept by PostgreSQL itself from supporters.search_text (written by the
-- application with search-text.ts: normalized name words, fiscal code,
-- e-mails, phone digits with and without +39).
--
-- Why a table and not an index on search_text: under row-level security only
-- leakproof operators can be index conditions. ILIKE and pg_trgm's operators
-- are not, so a trigram index is never used by a tenant query; a btree range
-- on text_pattern_ops (~>=~ / ~<~, both leakproof) is. A query word w matches
-- the terms in [w, w with its last character incremented).
--
-- Each row carries the supporter's list order (last name, first name, id), so
-- a search reads its page from the index alone: for one name term the index
-- is already in page order (it stops after a page), and rows are split in two
-- kinds so that the many near-unique keys (e-mails, phones, fiscal codes)
-- never stand between a prefix and its few distinct name words.
-- Merged supporters have no terms: they are never found.

CREATE TABLE supporter_search_terms (
  org_id        uuid NOT NULL,
  supporter_id  uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  term          text NOT NULL,
  -- 'name': a word of the name; 'key': a term with a digit or '@' (fiscal
  -- code, e-mail, phone digits), nearly unique per supporter.
  kind          text NOT NULL CHECK (kind IN ('name', 'key')),
  last_name     text NOT NULL,
  first_name    text NOT NULL,
  -- All of the supporter's terms, each after a space (' rossi mario …'), at
  -- most 2,000 characters: a query's other words are tested on the row the
  -- first word found (strpos of ' ' || word), without another lookup.
  words         text NOT NULL,
  PRIMARY KEY (supporter_id, term)
);
-- Leads with the looked-up term (kind is one of two values), never org_id:
-- see the note on indexes in 0002_crm.sql. Everything a search reads is in it.
CREATE INDEX supporter_search_terms_term ON supporter_search_terms
  (kind, term text_pattern_ops, org_id, last_name, first_name, supporter_id) INCLUDE (words);

ALTER TABLE supporter_search_terms ENABLE ROW LEVEL SECURITY;
ALTER TABLE supporter_search_terms FORCE ROW LEVEL SECURITY;
CREATE POLICY supporter_search_terms_tenant ON supporter_search_terms
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

-- The distinct terms of a search_text: words split on spaces and '|'.
CREATE FUNCTION supporter_search_terms_of(search_text text) RETURNS TABLE (term text, kind text)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT DISTINCT word, CASE WHEN word ~ '[0-9@]' THEN 'key' ELSE 'name' END
    FROM string_to_table(translate(search_text, '|', ' '), ' ') AS word
    WHERE word <> ''
  $$;

CREATE FUNCTION supporter_search_words(search_text text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT left(' ' || regexp_replace(btrim(translate(search_text, '|', ' ')), ' +', ' ', 'g'), 2000) $$;

-- Statement-level triggers with transition tables: an import inserts 2,000
-- supporters per statement and their terms follow in one set-based insert.
-- (PostgreSQL allows no column list on an UPDATE trigger with transition
-- tables, so every update statement runs it; it touches only the rows whose
-- search text, name or merge state changed.)
CREATE FUNCTION supporter_search_terms_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    -- The words are computed once per supporter (OFFSET 0 keeps the planner
    -- from inlining them into every term row), not once per term.
    INSERT INTO supporter_search_terms (org_id, supporter_id, term, kind, last_name, first_name, words)
    SELECT s.org_id, s.id, t.term, t.kind, s.last_name, s.first_name, w.words
    FROM inserted_supporters s
         CROSS JOIN LATERAL (SELECT supporter_search_words(s.search_text) AS words OFFSET 0) w
         CROSS JOIN LATERAL supporter_search_terms_of(s.search_text) t
    WHERE s.merged_into IS NULL;
    RETURN NULL;
  END
  $$;

CREATE FUNCTION supporter_search_terms_updated() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    DELETE FROM supporter_search_terms t
    USING old_supporters o JOIN new_supporters n ON n.id = o.id
    WHERE t.supporter_id = o.id
      AND (n.search_text, n.last_name, n.first_name, n.merged_into IS NULL)
          IS DISTINCT FROM (o.search_text, o.last_name, o.first_name, o.merged_into IS NULL);
    INSERT INTO supporter_search_terms (org_id, supporter_id, term, kind, last_name, first_name, words)
    SELECT n.org_id, n.id, t.term, t.kind, n.last_name, n.first_name, w.words
    FROM old_supporters o JOIN new_supporters n ON n.id = o.id
         CROSS JOIN LATERAL (SELECT supporter_search_words(n.search_text) AS words OFFSET 0) w
         CROSS JOIN LATERAL supporter_search_terms_of(n.search_text) t
    WHERE n.merged_into IS NULL
      AND (n.search_text, n.last_name, n.first_name, n.merged_into IS NULL)
          IS DISTINCT FROM (o.search_text, o.last_name, o.first_name, o.merged_into IS NULL);
    RETURN NULL;
  END
  $$;

CREATE TRIGGER supporters_search_terms_insert AFTER INSERT ON supporters
  REFERENCING NEW TABLE AS inserted_supporters
  FOR EACH STATEMENT EXECUTE FUNCTION supporter_search_terms_inserted();
CREATE TRIGGER supporters_search_terms_update AFTER UPDATE ON supporters
  REFERENCING OLD TABLE AS old_supporters NEW TABLE AS new_supporters
  FOR EACH STATEMENT EXECUTE FUNCTION supporter_search_terms_updated();
