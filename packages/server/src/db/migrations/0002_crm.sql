-- Supporter CRM (issue 5): supporters with their phones, e-mails and external
-- ids, consents, the do-not-call list and national register checks, regular
-- gifts (commitments) with their SEPA mandates, gifts, the change log behind the
-- timeline, imports, webhooks and the outbox. Every table belongs to one
-- organization and is isolated by row-level security like the foundation's.

-- Indexes: row-level security adds `org_id = app_current_org()` to every
-- query, and the planner cannot know that value's selectivity; an index that
-- leads with org_id looks selective and gets picked for a lookup by another
-- column (scanning the whole organization per row). So lookup indexes lead
-- with the looked-up column (e-mail, phone, supporter id) and org_id stays a
-- filter; only listings in an organization's order lead with org_id.

-- Per-organization CRM settings: the SEPA creditor identifier, how imports
-- find duplicates, how fresh a register check must be.
CREATE TABLE crm_settings (
  org_id                      uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  creditor_id                 text,
  dedupe_rules                jsonb NOT NULL DEFAULT '["email", "phone", "fiscal_code", "name_birth_date"]',
  register_check_max_age_days integer NOT NULL DEFAULT 30 CHECK (register_check_max_age_days BETWEEN 1 AND 365),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);

-- Custom supporter fields an organization defines; values live in
-- supporters.custom_fields and are validated against these definitions.
CREATE TABLE custom_field_definitions (
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  key         text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label       text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  type        text NOT NULL CHECK (type IN ('text', 'number', 'date', 'boolean')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, key)
);

CREATE TABLE supporters (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id         uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  first_name     text NOT NULL DEFAULT '' CHECK (length(first_name) <= 100),
  last_name      text NOT NULL DEFAULT '' CHECK (length(last_name) <= 100),
  birth_date     date,
  fiscal_code    text CHECK (fiscal_code ~ '^[A-Z0-9]{11,16}$'),
  language       text NOT NULL DEFAULT 'it' CHECK (language ~ '^[a-z]{2}$'),
  source         text CHECK (source IN ('face_to_face', 'drtv', 'web', 'event', 'lead_generation', 'telephone', 'other')),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lapsed', 'deceased', 'do_not_contact')),
  -- [{ kind, line1, line2, postalCode, city, province, country }]
  addresses      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(addresses) = 'array'),
  tags           text[] NOT NULL DEFAULT '{}',
  custom_fields  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
  -- Normalized name, fiscal code, e-mails and phone digits, kept by the
  -- application; its words are the search terms (0003_supporter_search.sql).
  search_text    text NOT NULL DEFAULT '',
  -- Set when this record was merged into another (see supporter_merges).
  merged_into    uuid REFERENCES supporters(id),
  import_job_id  uuid,
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supporters_org_id ON supporters (org_id, id);
CREATE INDEX supporters_org_name ON supporters (org_id, last_name, first_name, id);
-- The self-reference needs its index: deleting a supporter checks who was merged into it.
CREATE INDEX supporters_merged_into ON supporters (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX supporters_fiscal_code ON supporters (fiscal_code) WHERE fiscal_code IS NOT NULL;

CREATE TABLE supporter_phones (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  supporter_id  uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  -- E.164 when the number is valid; otherwise the raw text, kept so nothing is lost.
  number        text NOT NULL CHECK (length(number) BETWEEN 1 AND 40),
  kind          text NOT NULL DEFAULT 'unknown' CHECK (kind IN ('mobile', 'fixed_line', 'voip', 'toll_free', 'other', 'unknown')),
  valid         boolean NOT NULL,
  is_primary    boolean NOT NULL DEFAULT false,
  -- Set when a call proved the number wrong (disposition "wrong number").
  invalid_since timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (supporter_id, number)
);
CREATE INDEX supporter_phones_number ON supporter_phones (number);

CREATE TABLE supporter_emails (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  supporter_id  uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  valid         boolean NOT NULL,
  is_primary    boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (supporter_id, email)
);
CREATE INDEX supporter_emails_email ON supporter_emails (email);

-- The supporter's id in each of the organization's own systems.
CREATE TABLE supporter_external_ids (
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  system        text NOT NULL CHECK (system ~ '^[A-Za-z0-9_.-]{1,40}$'),
  external_id   text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
  supporter_id  uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, system, external_id)
);
CREATE INDEX supporter_external_ids_supporter ON supporter_external_ids (supporter_id, system);

-- Consent history, append-only: the current consent for a channel and purpose
-- is the latest event, and at equal time a revocation wins (DOMAIN.md §7).
CREATE TABLE consent_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  supporter_id  uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  channel       text NOT NULL CHECK (channel IN ('phone', 'sms', 'email', 'post')),
  purpose       text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9_]{0,39}$'),
  granted       boolean NOT NULL,
  source        text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
  evidence      text NOT NULL DEFAULT '' CHECK (length(evidence) <= 2000),
  recorded_at   timestamptz NOT NULL,
  interaction_id uuid,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_current ON consent_events (supporter_id, channel, purpose, recorded_at DESC, granted);

-- The organization's own do-not-call list, by phone number.
CREATE TABLE dnc_entries (
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  number      text NOT NULL,
  reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
  source      text NOT NULL DEFAULT '' CHECK (length(source) <= 100),
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, number)
);

-- Registro Pubblico delle Opposizioni: each check of a number, with its date
-- and result, as imported from the register's answer file.
CREATE TABLE register_checks (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  number      text NOT NULL,
  checked_on  date NOT NULL,
  registered  boolean NOT NULL,
  source      text NOT NULL DEFAULT '' CHECK (length(source) <= 200),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, number, checked_on)
);
CREATE INDEX register_checks_latest ON register_checks (number, checked_on DESC);

-- Regular gifts. Amounts are integer cents.
CREATE TABLE commitments (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id         uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  supporter_id   uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  external_id    text CHECK (length(external_id) BETWEEN 1 AND 100),
  amount_cents   integer NOT NULL CHECK (amount_cents > 0),
  currency       text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  frequency      text NOT NULL CHECK (frequency IN ('monthly', 'bimonthly', 'quarterly', 'semiannual', 'annual')),
  method         text NOT NULL CHECK (method IN ('sepa_direct_debit', 'card', 'bank_transfer', 'postal')),
  start_date     date NOT NULL,
  end_date       date CHECK (end_date IS NULL OR end_date >= start_date),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'cancelled', 'lapsed')),
  campaign_code  text CHECK (length(campaign_code) <= 60),
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commitments_supporter ON commitments (supporter_id);
CREATE UNIQUE INDEX commitments_external_id ON commitments (org_id, external_id) WHERE external_id IS NOT NULL;

-- Every status and amount change of a commitment, with its reason and the
-- interaction that caused it (an upgrade call, for example).
CREATE TABLE commitment_events (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id             uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  commitment_id      uuid NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
  supporter_id       uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  at                 timestamptz NOT NULL DEFAULT now(),
  kind               text NOT NULL CHECK (kind IN ('created', 'status_changed', 'amount_changed')),
  from_status        text,
  to_status          text,
  from_amount_cents  integer,
  to_amount_cents    integer,
  effective_date     date,
  reason             text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
  interaction_id     uuid,
  actor              text NOT NULL DEFAULT ''
);
CREATE INDEX commitment_events_commitment ON commitment_events (commitment_id, at DESC);
CREATE INDEX commitment_events_supporter ON commitment_events (supporter_id, at DESC);

-- SEPA mandates. The IBAN is stored encrypted (AES-256-GCM, bound to the
-- organization) with its country and last four characters in clear for display.
CREATE TABLE mandates (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id           uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  commitment_id    uuid NOT NULL UNIQUE REFERENCES commitments(id) ON DELETE CASCADE,
  creditor_id      text NOT NULL,
  reference        text NOT NULL CHECK (length(reference) BETWEEN 1 AND 35),
  signature_date   date NOT NULL,
  iban_encrypted   text NOT NULL,
  iban_country     text NOT NULL CHECK (iban_country ~ '^[A-Z]{2}$'),
  iban_last4       text NOT NULL CHECK (iban_last4 ~ '^[A-Z0-9]{4}$'),
  sequence_type    text NOT NULL DEFAULT 'FRST' CHECK (sequence_type IN ('FRST', 'RCUR', 'OOFF', 'FNAL')),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'expired')),
  last_collection_on date,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, creditor_id, reference)
);

CREATE TABLE gifts (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id         uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  supporter_id   uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  commitment_id  uuid REFERENCES commitments(id) ON DELETE SET NULL,
  external_id    text CHECK (length(external_id) BETWEEN 1 AND 100),
  gift_date      date NOT NULL,
  amount_cents   integer NOT NULL CHECK (amount_cents > 0),
  currency       text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  method         text NOT NULL CHECK (method IN ('sepa_direct_debit', 'card', 'bank_transfer', 'postal', 'cash', 'other')),
  status         text NOT NULL DEFAULT 'collected' CHECK (status IN ('collected', 'failed', 'refunded')),
  return_code    text CHECK (return_code ~ '^[A-Z0-9]{4}$'),
  campaign_code  text CHECK (length(campaign_code) <= 60),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'failed') OR return_code IS NULL OR status = 'refunded')
);
CREATE INDEX gifts_supporter ON gifts (supporter_id, gift_date DESC);
CREATE INDEX gifts_org_date ON gifts (org_id, gift_date);
CREATE UNIQUE INDEX gifts_external_id ON gifts (org_id, external_id) WHERE external_id IS NOT NULL;

-- Changes to a supporter's own record (field diffs, status, merges). With
-- consent_events, commitment_events and gifts it makes the timeline.
CREATE TABLE supporter_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  supporter_id  uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  at            timestamptz NOT NULL DEFAULT now(),
  kind          text NOT NULL CHECK (kind ~ '^[a-z_.]{1,60}$'),
  details       jsonb NOT NULL DEFAULT '{}',
  actor         text NOT NULL DEFAULT ''
);
CREATE INDEX supporter_events_supporter ON supporter_events (supporter_id, at DESC);

-- A merge moves the duplicate's rows to the kept supporter; `moved` lists
-- them by table so the merge can be undone record by record.
CREATE TABLE supporter_merges (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id       uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kept_id      uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  merged_id    uuid NOT NULL REFERENCES supporters(id) ON DELETE CASCADE,
  moved        jsonb NOT NULL,
  merged_at    timestamptz NOT NULL DEFAULT now(),
  merged_by    text NOT NULL DEFAULT '',
  undone_at    timestamptz,
  undone_by    text
);
CREATE INDEX supporter_merges_kept ON supporter_merges (kept_id);

-- Column mappings saved per organization and import kind.
CREATE TABLE import_presets (
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kind        text NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  mapping     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, kind, name)
);

-- One row per import run. Rows are committed in batches together with
-- rows_done, so after a crash the job shows how far it got; a re-run of the
-- same file changes nothing for the rows already in (imports are idempotent).
CREATE TABLE import_jobs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('supporters', 'commitments', 'gifts', 'consents', 'dnc', 'register')),
  file_name     text NOT NULL DEFAULT '',
  file_sha256   text NOT NULL DEFAULT '',
  dry_run       boolean NOT NULL DEFAULT false,
  status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  rows_read     integer NOT NULL DEFAULT 0,
  created       integer NOT NULL DEFAULT 0,
  updated       integer NOT NULL DEFAULT 0,
  unchanged     integer NOT NULL DEFAULT 0,
  rejected      integer NOT NULL DEFAULT 0,
  errors        jsonb NOT NULL DEFAULT '[]',
  error         text,
  started_by    text NOT NULL DEFAULT '',
  started_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX import_jobs_org ON import_jobs (org_id, started_at DESC);

-- Webhook subscriptions. The signing secret is stored encrypted: it must be
-- readable to sign, so it cannot be hashed.
CREATE TABLE webhook_subscriptions (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id            uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  url               text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  events            text[] NOT NULL,
  secret_encrypted  text NOT NULL,
  description       text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_org ON webhook_subscriptions (org_id);

-- The outbox: one row per domain event, written in the same transaction as
-- the change. The webhook dispatcher fans it out to deliveries.
CREATE TABLE outbox_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  event_id    uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  type        text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz
);
CREATE INDEX outbox_events_pending ON outbox_events (id) WHERE dispatched_at IS NULL;

CREATE TABLE webhook_deliveries (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id            uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  subscription_id   uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
  outbox_event_id   bigint NOT NULL REFERENCES outbox_events(id) ON DELETE CASCADE,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  last_status_code  integer,
  last_error        text,
  -- Start of the retry window (24 h); a manual redelivery starts a new one.
  first_attempt_at  timestamptz,
  delivered_at      timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, outbox_event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (org_id, subscription_id, id DESC);

-- Row-level security: every CRM table is the organization's alone. The
-- background dispatcher works across organizations in the 'center' scope, on
-- the outbox and webhook tables only (no bank data lives there).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'crm_settings', 'custom_field_definitions', 'supporters', 'supporter_phones', 'supporter_emails',
    'supporter_external_ids', 'consent_events', 'dnc_entries', 'register_checks', 'commitments',
    'commitment_events', 'mandates', 'gifts', 'supporter_events', 'supporter_merges',
    'import_presets', 'import_jobs'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())',
      t || '_tenant', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['webhook_subscriptions', 'outbox_events', 'webhook_deliveries'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org() OR app_scope() = ''center'') '
      'WITH CHECK (org_id = app_current_org() OR app_scope() = ''center'')',
      t || '_tenant', t);
  END LOOP;
END $$;

-- Seeing a full IBAN is a permission of its own, granted per account or API
-- key (DOMAIN.md §6); without it IBANs are always masked. Each reveal is audited.
ALTER TABLE users ADD COLUMN bank_data_access boolean NOT NULL DEFAULT false;
ALTER TABLE api_keys ADD COLUMN bank_data_access boolean NOT NULL DEFAULT false;
