-- Supporter import speed (issue 5): search terms without a foreign key.
--
-- supporter_search_terms is derived data: only the statement-level triggers
-- on supporters (0003) write it, from the supporters the same statement wrote,
-- so a term can never name a supporter that does not exist. Its foreign key
-- still checked that for every term row — about 12 rows per supporter, each
-- check an index probe of supporters (measured on PostgreSQL 15: 3–4 µs per
-- row, 70–100 ms of every 2,000-supporter import batch, a sixth of the batch).
--
-- What the key did besides checking was ON DELETE CASCADE: a statement-level
-- trigger takes that over, one set-based delete per statement. Row-level
-- security holds the trigger's delete to the unit of work's organization, but
-- a supporter can also go without one: deleting an organization cascades to
-- its supporters (foreign-key actions ignore row-level security) from a
-- center-scope transaction. So the trigger deletes organization by
-- organization of the supporters actually deleted, with app.org_id set to
-- each in turn, and puts the setting back: it can only reach the terms of
-- rows the statement was already allowed to delete.
-- (TRUNCATE supporters no longer refuses to run while terms exist: nothing
-- truncates it, and tests that do must truncate both.)

ALTER TABLE supporter_search_terms DROP CONSTRAINT supporter_search_terms_supporter_id_fkey;

CREATE FUNCTION supporter_search_terms_deleted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    unit_org text := current_setting('app.org_id', true);
    org uuid;
  BEGIN
    FOR org IN SELECT DISTINCT d.org_id FROM deleted_supporters d LOOP
      PERFORM set_config('app.org_id', org::text, true);
      DELETE FROM supporter_search_terms t
      USING deleted_supporters d
      WHERE d.org_id = org AND t.supporter_id = d.id;
    END LOOP;
    PERFORM set_config('app.org_id', coalesce(unit_org, ''), true);
    RETURN NULL;
  END
  $$;

CREATE TRIGGER supporters_search_terms_delete AFTER DELETE ON supporters
  REFERENCING OLD TABLE AS deleted_supporters
  FOR EACH STATEMENT EXECUTE FUNCTION supporter_search_terms_deleted();
