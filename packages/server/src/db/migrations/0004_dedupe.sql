-- Duplicates and merges (issue 5): blocking keys for finding probable
-- duplicates, pairs a person marked "not a duplicate", and what a merge needs
-- to be undone exactly.
--
-- Blocking keys are stored generated columns, not expression indexes: under
-- row-level security only leakproof operators can be index conditions, and
-- lower(), translate() or jsonb's ->> are not, so an index on lower(last_name)
-- is never used by a tenant query. A plain column compared with = is.

-- Last name folded for comparison: lower case, common accents removed,
-- apostrophes, spaces, dots and hyphens dropped ("D'Àngelo" = "dangelo").
-- A function, so that queries can fold their input the same way (the import
-- matches a file's last name against the stored column with it).
CREATE FUNCTION supporter_name_key(last_name text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT lower(translate(regexp_replace(last_name, '[''’`[:space:].-]', '', 'g'),
      'àáâäãèéêëìíîïòóôöõùúûüçñÀÁÂÄÃÈÉÊËÌÍÎÏÒÓÔÖÕÙÚÛÜÇÑ',
      'aaaaaeeeeiiiiooooouuuucnAAAAAEEEEIIIIOOOOOUUUUCN'))
  $$;
ALTER TABLE supporters ADD COLUMN dedupe_last_name text GENERATED ALWAYS AS (supporter_name_key(last_name)) STORED;

-- Where and who, roughly: the first address's postal code (its city when it
-- has none) and the two initials in alphabetical order (so "Rossi Mario" and
-- "Mario Rossi" share it). Null without a place or a name.
ALTER TABLE supporters ADD COLUMN dedupe_place text GENERATED ALWAYS AS (
  CASE WHEN coalesce(nullif(btrim(addresses->0->>'postalCode'), ''), nullif(btrim(addresses->0->>'city'), '')) IS NULL
         OR btrim(first_name) = '' OR btrim(last_name) = '' THEN NULL
  ELSE lower(coalesce(nullif(btrim(addresses->0->>'postalCode'), ''), btrim(addresses->0->>'city')))
       || '|' || least(lower(left(btrim(first_name), 1)), lower(left(btrim(last_name), 1)))
       || greatest(lower(left(btrim(first_name), 1)), lower(left(btrim(last_name), 1)))
  END
) STORED;

CREATE INDEX supporters_dedupe_name_birth ON supporters (dedupe_last_name, birth_date) WHERE birth_date IS NOT NULL;
CREATE INDEX supporters_dedupe_place ON supporters (dedupe_place) WHERE dedupe_place IS NOT NULL;

-- E-mail addresses compared without case (the API keeps the local part as
-- typed, imports lower-case it).
ALTER TABLE supporter_emails ADD COLUMN email_key text GENERATED ALWAYS AS (lower(email)) STORED;
CREATE INDEX supporter_emails_key ON supporter_emails (email_key);

-- Pairs a person reviewed and marked "not the same supporter"; a < b.
CREATE TABLE supporter_not_duplicates (
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  a           uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  b           uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL DEFAULT '',
  PRIMARY KEY (a, b),
  CHECK (a < b)
);
CREATE INDEX supporter_not_duplicates_b ON supporter_not_duplicates (b);

-- What an undo needs besides `moved` (row ids per table): the kept record's
-- fields before and after the merge, and the rows left on the merged record
-- because the kept one already had them (phones, e-mails).
ALTER TABLE supporter_merges ADD COLUMN fields jsonb NOT NULL DEFAULT '{}';
ALTER TABLE supporter_merges ADD COLUMN skipped jsonb NOT NULL DEFAULT '{}';
CREATE INDEX supporter_merges_merged ON supporter_merges (merged_id);
CREATE INDEX supporter_merges_org ON supporter_merges (org_id, merged_at DESC, id DESC);

ALTER TABLE supporter_not_duplicates ENABLE ROW LEVEL SECURITY;
ALTER TABLE supporter_not_duplicates FORCE ROW LEVEL SECURITY;
CREATE POLICY supporter_not_duplicates_tenant ON supporter_not_duplicates
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
