-- Lookups of the KPI rollup maintenance (modules/kpis), so that rebuilding the
-- intervals an import batch or a closing interaction touches reads those
-- intervals, not the organization's whole history.
--
-- Stored generated columns rather than expression indexes: under row-level
-- security the planner keeps a condition on COALESCE/CASE out of an index scan
-- (it cannot prove the expression leak-proof), while a plain column compares
-- with leak-proof operators and uses its index (checked with EXPLAIN on
-- PostgreSQL 16 with 50,000 rows).

ALTER TABLE interactions
  -- The instant that places a contact in an interval (engine countingInstant
  -- with countBy 'queued', the default): outbound at the dial, inbound when queued.
  ADD COLUMN counted_at timestamptz GENERATED ALWAYS AS (
    CASE WHEN direction = 'outbound' THEN coalesce(dialed_at, created_at) ELSE coalesce(queued_at, created_at) END
  ) STORED,
  -- The list record an outbound attempt called (the supporter when the CDR named none):
  -- first attempts and first right-party contacts are per list record.
  ADD COLUMN list_key text GENERATED ALWAYS AS (
    CASE WHEN direction = 'outbound' THEN coalesce(list_record_id, supporter_id::text) END
  ) STORED;

-- Closed interactions of an organization over time: a listing, org_id leads.
CREATE INDEX interactions_counted ON interactions (org_id, counted_at) WHERE end_cause IS NOT NULL;
-- Welcome cohorts count in the interval their cycle started.
CREATE INDEX interactions_cycle_started ON interactions (org_id, cycle_started_at) WHERE cycle_started_at IS NOT NULL;
-- Earlier and later attempts on the same list record: a lookup, led by the looked-up value (0007's rule).
CREATE INDEX interactions_list_key ON interactions (list_key) WHERE list_key IS NOT NULL;
