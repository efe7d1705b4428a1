-- KPIs (issue 7): what interactions need beyond 0007_live_center.sql to carry
-- a CDR history import and every field of the engine's InteractionRecord, the
-- organization's counting settings, and the 15-minute KPI rollups reports sum
-- in SQL (engine/kpi README "Rollups"; DOMAIN.md §3, §4, §5, §10).

-- ---- interactions: history import and the remaining KPI fields ----------------

ALTER TABLE interactions
  -- The contact's id in the system it was imported from (CDR `id`): an import
  -- is idempotent on it. NULL for contacts the live runtime recorded.
  ADD COLUMN external_id        text CHECK (length(external_id) BETWEEN 1 AND 200),
  -- Names the source system gave the queue, campaign and operator (CDR text):
  -- history does not need them configured here. The live runtime fills the ids
  -- instead; KPI dimensions read the id's key when there is one (kpi-records.ts).
  ADD COLUMN source_queue       text CHECK (length(source_queue) BETWEEN 1 AND 100),
  ADD COLUMN source_campaign    text CHECK (length(source_campaign) BETWEEN 1 AND 100),
  ADD COLUMN source_operator    text CHECK (length(source_operator) BETWEEN 1 AND 100),
  -- The disposition as the source system wrote it (CDR `outcome`, free text).
  ADD COLUMN source_outcome     text CHECK (length(source_outcome) BETWEEN 1 AND 100),
  -- The contact cycle of an outbound attempt (DOMAIN.md §5); 'inbound' for inbound lines.
  ADD COLUMN cycle_type         text CHECK (cycle_type IN ('welcome', 'thank_you', 'loyalty', 'upgrade', 'conversion', 'recapture', 'one_off', 'custom', 'inbound')),
  ADD COLUMN cycle_started_at   timestamptz,
  -- The list record an attempt called (penetration counts records); NULL = the supporter.
  ADD COLUMN list_record_id     text CHECK (length(list_record_id) BETWEEN 1 AND 200),
  -- Set by an import (CDR `transferred`); NULL: the transfers list decides.
  ADD COLUMN transferred        boolean,
  -- A CDR row without ended_at is stored closed (ended_at = its last
  -- timestamp, so recovery never reopens history) and this says the end was
  -- not known: the KPIs read no end (engine: an answered contact without an
  -- end is not handled, out of AHT).
  ADD COLUMN ended_at_inferred  boolean NOT NULL DEFAULT false;

-- Idempotence of imports; also the drill-down's way from a CDR id to the row.
CREATE UNIQUE INDEX interactions_external_id ON interactions (external_id, org_id) WHERE external_id IS NOT NULL;

-- ---- imports: the new kind ---------------------------------------------------------

ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check
  CHECK (kind IN ('supporters', 'commitments', 'gifts', 'consents', 'dnc', 'register', 'interactions'));

-- ---- counting settings ---------------------------------------------------------------

-- The organization's choices of DOMAIN.md §3–§4 (engine KpiSettings: T, the
-- short-abandon threshold, the service-level variant, the FCR window…), as
-- given; the API validates them with resolveKpiSettings and fills defaults.
-- No row = every default.
CREATE TABLE kpi_settings (
  org_id      uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  settings    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- ---- 15-minute rollups ----------------------------------------------------------------

-- One row per organization, interval start and dimensions, holding the engine's
-- additive counters (COUNTER_NAMES, snake_case): sums and counts, the maximum
-- wait combined by max, never an average. A report SUMs them for any grouping
-- and applies the formula (figuresFromCounters), which equals the computation
-- over raw records. Dimensions are text, '' = none, so the key is a plain
-- unique index. Rows are written only by kpis/rollups.service.ts (maintained as
-- interactions close or are imported, and rebuilt from the raw records).
CREATE TABLE kpi_rollups (
  org_id                     uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  interval_start             timestamptz NOT NULL,
  queue                      text NOT NULL DEFAULT '',
  campaign                   text NOT NULL DEFAULT '',
  operator                   text NOT NULL DEFAULT '',
  channel                    text NOT NULL DEFAULT '',
  -- '' for agent time (it has no direction).
  direction                  text NOT NULL DEFAULT '' CHECK (direction IN ('', 'inbound', 'outbound')),
  offered                    bigint NOT NULL DEFAULT 0,
  answered                   bigint NOT NULL DEFAULT 0,
  abandoned                  bigint NOT NULL DEFAULT 0,
  answered_within_t          bigint NOT NULL DEFAULT 0,
  abandoned_within_t         bigint NOT NULL DEFAULT 0,
  abandoned_short            bigint NOT NULL DEFAULT 0,
  abandoned_short_within_t   bigint NOT NULL DEFAULT 0,
  answered_wait_ms           bigint NOT NULL DEFAULT 0,
  abandoned_wait_ms          bigint NOT NULL DEFAULT 0,
  max_queue_wait_ms          bigint NOT NULL DEFAULT 0,
  operator_answered          bigint NOT NULL DEFAULT 0,
  transferred                bigint NOT NULL DEFAULT 0,
  handled                    bigint NOT NULL DEFAULT 0,
  talk_ms                    bigint NOT NULL DEFAULT 0,
  hold_ms                    bigint NOT NULL DEFAULT 0,
  wrap_ms                    bigint NOT NULL DEFAULT 0,
  fcr_contacts               bigint NOT NULL DEFAULT 0,
  fcr_repeats                bigint NOT NULL DEFAULT 0,
  attempts                   bigint NOT NULL DEFAULT 0,
  dials                      bigint NOT NULL DEFAULT 0,
  connects                   bigint NOT NULL DEFAULT 0,
  rpc                        bigint NOT NULL DEFAULT 0,
  successes                  bigint NOT NULL DEFAULT 0,
  first_attempts             bigint NOT NULL DEFAULT 0,
  drops                      bigint NOT NULL DEFAULT 0,
  upgrade_dials              bigint NOT NULL DEFAULT 0,
  upgrade_connects           bigint NOT NULL DEFAULT 0,
  upgrade_rpc                bigint NOT NULL DEFAULT 0,
  upgrades                   bigint NOT NULL DEFAULT 0,
  upgrade_amount_cents       bigint NOT NULL DEFAULT 0,
  conversion_dials           bigint NOT NULL DEFAULT 0,
  conversion_connects        bigint NOT NULL DEFAULT 0,
  conversion_rpc             bigint NOT NULL DEFAULT 0,
  conversions                bigint NOT NULL DEFAULT 0,
  recapture_dials            bigint NOT NULL DEFAULT 0,
  recapture_connects         bigint NOT NULL DEFAULT 0,
  recapture_rpc              bigint NOT NULL DEFAULT 0,
  recaptures                 bigint NOT NULL DEFAULT 0,
  welcome_records            bigint NOT NULL DEFAULT 0,
  welcome_reached            bigint NOT NULL DEFAULT 0,
  agent_handle_ms            bigint NOT NULL DEFAULT 0,
  agent_available_ms         bigint NOT NULL DEFAULT 0,
  agent_logged_in_ms         bigint NOT NULL DEFAULT 0,
  billable_not_ready_ms      bigint NOT NULL DEFAULT 0,
  scheduled_ms               bigint NOT NULL DEFAULT 0,
  CHECK (extract(epoch FROM interval_start)::bigint % 900 = 0)
);
-- Reports are listings of one organization over a period: org_id leads here
-- (unlike 0002's lookup indexes), and the key makes increments an upsert.
CREATE UNIQUE INDEX kpi_rollups_key
  ON kpi_rollups (org_id, interval_start, queue, campaign, operator, channel, direction);

DO $$
DECLARE
  t text;
BEGIN
  -- The organization's own rows, and every organization's for the center scope
  -- (the live runtime records closes for all of them).
  FOREACH t IN ARRAY ARRAY['kpi_settings', 'kpi_rollups'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org() OR app_scope() = ''center'') '
      'WITH CHECK (org_id = app_current_org() OR app_scope() = ''center'')',
      t || '_tenant', t);
  END LOOP;
END $$;
