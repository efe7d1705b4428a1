-- The live contact center (issue 6, docs/live-center.md "Storage"): its
-- configuration (skills, operators' skills and profiles, queues, numbers, IVR
-- flows, calling windows, dispositions, campaigns) and what it records
-- (campaign contacts, callbacks, interactions, the agent-state log).
--
-- Conventions of 0002_crm.sql: lookup indexes lead with the looked-up column
-- (row-level security adds `org_id = app_current_org()`, which the planner
-- cannot estimate, so an index led by org_id looks selective and gets picked
-- for lookups it does not serve); only listings in an organization's order
-- lead with org_id. Tables pointing at a supporter reference
-- (org_id, supporter_id) → supporters (org_id, id), and the same for every
-- reference between tenant tables (0006_supporter_children_keys.sql): a
-- foreign-key check bypasses row-level security, and the composite key makes
-- "a row belongs to the organization of what it points at" a constraint.
--
-- Scopes: the tenant tables answer to their organization and to the 'center'
-- scope, because the live runtime is one process serving every organization:
-- a call arriving on a number is looked up before its organization is known,
-- and recovery at start closes what every organization left open. Operators'
-- skills, profiles and time are the center's (operators are center accounts,
-- like users in 0001_foundation.sql): only the center scope sees them.

-- ---- skills and operators ----------------------------------------------------

-- Skills an expression may test (`donor_care >= 5`). org_id NULL: a
-- center-wide skill (languages, general care) every organization may use.
-- Keys are unique across the center, not per organization: an operator's
-- level is stored once per key (operator_skills), so the same key in two
-- organizations would be the same skill.
CREATE TABLE skills (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid REFERENCES organizations(id) ON DELETE CASCADE,
  key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label       text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX skills_org ON skills (org_id) WHERE org_id IS NOT NULL;

-- An operator's proficiency per skill, 1–10 (the routing engine's agent skills).
-- Deleting a skill an operator holds is refused: the operator's level would
-- silently vanish from routing.
CREATE TABLE operator_skills (
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  skill_key   text NOT NULL REFERENCES skills(key),
  level       integer NOT NULL CHECK (level BETWEEN 1 AND 10),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, skill_key)
);
CREATE INDEX operator_skills_skill ON operator_skills (skill_key);

-- What the router needs about an operator besides skills: concurrent tasks per
-- channel (`{"voice": 1, "chat": 3}`), a cap over all channels, attributes
-- expressions may test (`{"language": ["it", "en"]}`). The organizations an
-- operator serves are user_organizations.
CREATE TABLE operator_profiles (
  user_id     uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  capacity    jsonb NOT NULL DEFAULT '{"voice": 1}' CHECK (jsonb_typeof(capacity) = 'object'),
  max_tasks   integer CHECK (max_tasks BETWEEN 1 AND 50),
  attributes  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- ---- queues, IVR, numbers, calling windows ------------------------------------

-- A queue is the engine's RoutingQueueSpec (engine/routing), validated by
-- building it with the router before it is stored. Other queues are named by
-- key (overflow `addQueues`, max-wait and closed targets): keys never change,
-- and configuration reads the same in the API, an export or a file.
CREATE TABLE queues (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id                 uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  key                    text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  channel                text NOT NULL DEFAULT 'voice' CHECK (channel IN ('voice', 'chat', 'email', 'sms', 'social')),
  direction              text NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),
  -- '' = any operator of the organization with capacity on the channel.
  skill_expression       text NOT NULL DEFAULT '' CHECK (length(skill_expression) <= 1000),
  strategy               text NOT NULL DEFAULT 'longest-idle' CHECK (strategy IN (
                           'longest-idle', 'least-occupied', 'best-skill-then-longest-idle', 'round-robin',
                           'fewest-contacts', 'random', 'ring-all')),
  priority               integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -100 AND 100),
  max_wait_seconds       integer CHECK (max_wait_seconds > 0),
  max_wait_queue_key     text,
  -- [{ afterSeconds, skills?, addQueues?: [key] }]
  overflow               jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(overflow) = 'array'),
  -- { timeZone?, weekly: [{ days, from, to }], closedDates? }; NULL = always open.
  hours                  jsonb CHECK (hours IS NULL OR jsonb_typeof(hours) = 'object'),
  closed_behaviour       text NOT NULL DEFAULT 'reject' CHECK (closed_behaviour IN ('reject', 'hold', 'transfer')),
  closed_queue_key       text,
  wrap_up_seconds        integer NOT NULL DEFAULT 0 CHECK (wrap_up_seconds BETWEEN 0 AND 3600),
  service_level_seconds  integer NOT NULL DEFAULT 20 CHECK (service_level_seconds BETWEEN 1 AND 3600),
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CHECK ((closed_behaviour = 'transfer') = (closed_queue_key IS NOT NULL)),
  UNIQUE (key, org_id),
  UNIQUE (org_id, id)
);

-- An IVR flow: a graph of nodes (hours, menu, queue, message, callback_offer,
-- voicemail, hangup) from an entry node, validated as a graph by the API
-- (contact-center/ivr-flow.ts) before it is stored.
CREATE TABLE ivr_flows (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  definition  jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id)
);

-- Numbers callers dial (toll-free, DRTV response lines). A number belongs to
-- one organization and is unique across the center: the runtime finds the
-- organization of an arriving call by it. A flow in use cannot be deleted.
CREATE TABLE numbers (
  e164         text PRIMARY KEY CHECK (e164 ~ '^\+[1-9][0-9]{5,14}$'),
  org_id       uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('toll_free', 'drtv', 'geographic')),
  label        text NOT NULL DEFAULT '' CHECK (length(label) <= 100),
  ivr_flow_id  uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (org_id, ivr_flow_id) REFERENCES ivr_flows (org_id, id)
);
CREATE INDEX numbers_ivr_flow ON numbers (ivr_flow_id) WHERE ivr_flow_id IS NOT NULL;

-- When outbound calls may be placed (checked at dial time): weekly periods on
-- the local clock and holidays (local dates), in an IANA time zone.
CREATE TABLE calling_windows (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  time_zone   text NOT NULL DEFAULT 'Europe/Rome' CHECK (length(time_zone) BETWEEN 1 AND 64),
  -- [{ days: ['mon', …], from: 'HH:MM', to: 'HH:MM' }]
  weekly      jsonb NOT NULL CHECK (jsonb_typeof(weekly) = 'array'),
  -- ['YYYY-MM-DD', …]
  holidays    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(holidays) = 'array'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id)
);

-- ---- dispositions ------------------------------------------------------------

-- What an operator records at the end of a contact, and what it does to the
-- CRM (`effect`, applied in the same transaction as the interaction close).
-- org_id NULL: built in, the same for every organization; cycle_type NULL:
-- offered in every contact cycle (and inbound).
CREATE TABLE dispositions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid REFERENCES organizations(id) ON DELETE CASCADE,
  cycle_type  text CHECK (cycle_type IN ('welcome', 'thank_you', 'loyalty', 'upgrade', 'conversion', 'recapture', 'one_off', 'custom', 'inbound')),
  code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  label_it    text NOT NULL CHECK (length(label_it) BETWEEN 1 AND 100),
  label_en    text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 100),
  effect      text NOT NULL CHECK (effect IN (
                'none', 'upgrade_accepted', 'conversion_accepted', 'recapture_accepted', 'not_interested',
                'call_back', 'wrong_number', 'do_not_call', 'deceased', 'reached')),
  -- Counts as a success of the campaign in the KPIs (conversion, issue 7).
  successful  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- A code means one thing in an organization, whichever cycle offers it; the
-- API also refuses a custom code equal to a built-in one.
CREATE UNIQUE INDEX dispositions_code ON dispositions (code, org_id) NULLS NOT DISTINCT;

-- Seeded before row-level security is enabled: on a PostgreSQL server the
-- migration runs as the tables' owner, whom FORCE ROW LEVEL SECURITY binds.
INSERT INTO dispositions (org_id, cycle_type, code, label_it, label_en, effect, successful) VALUES
  (NULL, 'upgrade',    'upgrade_accepted',    'Aumento accettato',       'Upgrade accepted',    'upgrade_accepted',    true),
  (NULL, 'conversion', 'conversion_accepted', 'Conversione accettata',   'Conversion accepted', 'conversion_accepted', true),
  (NULL, 'recapture',  'recapture_accepted',  'Riattivazione accettata', 'Recapture accepted',  'recapture_accepted',  true),
  (NULL, NULL,         'not_interested',      'Non interessato',         'Not interested',      'not_interested',      false),
  (NULL, NULL,         'call_back',           'Richiamare',              'Call back',           'call_back',           false),
  (NULL, NULL,         'wrong_number',        'Numero errato',           'Wrong number',        'wrong_number',        false),
  (NULL, NULL,         'do_not_call',         'Non chiamare più',        'Do not call',         'do_not_call',         false),
  (NULL, NULL,         'deceased',            'Deceduto',                'Deceased',            'deceased',            false),
  (NULL, NULL,         'reached',             'Contattato',              'Reached',             'reached',             true);

-- ---- campaigns, their contacts, callbacks --------------------------------------

-- An outbound contact cycle. eligibility: a list of declarative filters over
-- CRM data; pacing: { mode: preview | progressive | power | predictive, … }
-- (engine/pacing); retry_policy: per outcome (no_answer, busy, machine,
-- failed) the delay before the next attempt.
CREATE TABLE campaigns (
  id                           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id                       uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name                         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  cycle_type                   text NOT NULL CHECK (cycle_type IN ('welcome', 'thank_you', 'loyalty', 'upgrade', 'conversion', 'recapture', 'one_off', 'custom')),
  status                       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'completed')),
  eligibility                  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(eligibility) = 'array'),
  refresh_minutes              integer NOT NULL DEFAULT 60 CHECK (refresh_minutes BETWEEN 5 AND 10080),
  priority                     integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -100 AND 100),
  pacing                       jsonb NOT NULL DEFAULT '{"mode": "preview"}' CHECK (jsonb_typeof(pacing) = 'object'),
  retry_policy                 jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(retry_policy) = 'object'),
  max_attempts                 integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 50),
  -- NULL: the organization's crm_settings.register_check_max_age_days.
  register_check_max_age_days  integer CHECK (register_check_max_age_days BETWEEN 1 AND 365),
  script                       text NOT NULL DEFAULT '' CHECK (length(script) <= 20000),
  queue_id                     uuid,
  calling_window_id            uuid,
  created_at                   timestamptz NOT NULL DEFAULT now(),
  updated_at                   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, queue_id) REFERENCES queues (org_id, id),
  FOREIGN KEY (org_id, calling_window_id) REFERENCES calling_windows (org_id, id)
);
CREATE INDEX campaigns_queue ON campaigns (queue_id) WHERE queue_id IS NOT NULL;
CREATE INDEX campaigns_calling_window ON campaigns (calling_window_id) WHERE calling_window_id IS NOT NULL;

-- A campaign's call list: one row per supporter, refreshed from the
-- eligibility rules; the dialer takes the due ones. blocked_reason says why a
-- contact is not dialed (consent, do-not-call, register check missing or stale).
CREATE TABLE campaign_contacts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id           uuid NOT NULL,
  campaign_id      uuid NOT NULL,
  supporter_id     uuid NOT NULL,
  phone            text NOT NULL CHECK (length(phone) BETWEEN 1 AND 40),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'blocked', 'exhausted', 'removed')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz,
  last_outcome     text CHECK (last_outcome IN ('reached', 'no_answer', 'busy', 'machine', 'failed', 'dropped', 'blocked')),
  blocked_reason   text CHECK (length(blocked_reason) <= 200),
  -- A contact reserved for one operator (a personal callback); NULL = anyone.
  owner_user_id    uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, supporter_id),
  FOREIGN KEY (org_id, campaign_id) REFERENCES campaigns (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, supporter_id) REFERENCES supporters (org_id, id) ON DELETE CASCADE
);
-- The dialer's next records: due pending contacts of a campaign in time order.
CREATE INDEX campaign_contacts_due ON campaign_contacts (campaign_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX campaign_contacts_supporter ON campaign_contacts (supporter_id);

-- A callback is a task that keeps its place: `queued_since` is when the
-- caller's wait began, so a callback re-enters its queue ahead of later callers.
CREATE TABLE callbacks (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id          uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  supporter_id    uuid,
  phone           text NOT NULL CHECK (length(phone) BETWEEN 1 AND 40),
  queue_id        uuid,
  campaign_id     uuid,
  due_at          timestamptz NOT NULL,
  queued_since    timestamptz NOT NULL DEFAULT now(),
  owner_user_id   uuid REFERENCES users(id) ON DELETE SET NULL,
  status          text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'in_progress', 'completed', 'cancelled')),
  -- The interaction that asked for it (IVR offer, operator's "call back at").
  interaction_id  uuid,
  notes           text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((queue_id IS NULL) <> (campaign_id IS NULL)),
  FOREIGN KEY (org_id, supporter_id) REFERENCES supporters (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, queue_id) REFERENCES queues (org_id, id),
  FOREIGN KEY (org_id, campaign_id) REFERENCES campaigns (org_id, id)
);
-- Due callbacks for the runtime (and recovery re-queues the waiting ones).
CREATE INDEX callbacks_due ON callbacks (due_at) WHERE status = 'waiting';
-- Open callbacks on the screen pop.
CREATE INDEX callbacks_supporter ON callbacks (supporter_id, due_at);
CREATE INDEX callbacks_owner ON callbacks (owner_user_id, due_at) WHERE status = 'waiting';
CREATE INDEX callbacks_queue ON callbacks (queue_id) WHERE queue_id IS NOT NULL;
CREATE INDEX callbacks_campaign ON callbacks (campaign_id) WHERE campaign_id IS NOT NULL;

-- ---- interactions and the agent-state log ----------------------------------------

-- One row per contact with the timing phases of DOMAIN.md §2 and what the KPIs
-- read (engine/kpi InteractionRecord). A phase that did not happen stays NULL.
-- end_cause is written when the interaction is closed for good (after wrap-up,
-- or at once when no operator was involved): a NULL end_cause is an open
-- interaction, which recovery at start closes with 'system_restart'.
-- Queues and campaigns with interactions cannot be deleted (history keeps them).
CREATE TABLE interactions (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id               uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  channel              text NOT NULL DEFAULT 'voice' CHECK (channel IN ('voice', 'chat', 'email', 'sms', 'social')),
  direction            text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  -- The center's number: the one dialed (inbound) or presented (outbound).
  number               text CHECK (length(number) <= 40),
  -- The supporter's side: caller id (inbound) or number dialed (outbound).
  remote_number        text CHECK (length(remote_number) <= 40),
  queue_id             uuid,
  campaign_id          uuid,
  -- Not foreign keys: a list refresh may remove the contact, a callback may be
  -- deleted, and the interaction must stay as it happened.
  campaign_contact_id  uuid,
  attempt_number       integer CHECK (attempt_number >= 1),
  callback_id          uuid,
  operator_id          uuid REFERENCES users(id) ON DELETE SET NULL,
  supporter_id         uuid,
  created_at           timestamptz NOT NULL DEFAULT now(),
  ivr_started_at       timestamptz,
  ivr_ended_at         timestamptz,
  queued_at            timestamptz,
  offered_at           timestamptz,
  answered_at          timestamptz,
  abandoned_at         timestamptz,
  dialed_at            timestamptz,
  callee_answered_at   timestamptz,
  answered_by          text CHECK (answered_by IN ('human', 'machine', 'none', 'busy', 'failed')),
  amd_false_positive   boolean,
  dropped              boolean,
  connected_at         timestamptz,
  ended_at             timestamptz,
  wrap_ended_at        timestamptz,
  hold_seconds         integer NOT NULL DEFAULT 0 CHECK (hold_seconds >= 0),
  -- [{ at, fromOperatorId?, toOperatorId?, toQueueId? }], in order.
  transfers            jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(transfers) = 'array'),
  outcome              text CHECK (outcome IN (
                         'answered', 'abandoned', 'timed_out', 'closed', 'ivr_completed', 'callback_requested',
                         'voicemail', 'reached', 'no_answer', 'busy', 'machine', 'failed', 'dropped', 'blocked')),
  -- The disposition code the operator recorded, and what the KPIs need of it.
  disposition          text CHECK (disposition ~ '^[a-z][a-z0-9_]{0,39}$'),
  successful           boolean,
  right_party_contact  boolean,
  outcome_amount_cents integer CHECK (outcome_amount_cents >= 0),
  notes                text NOT NULL DEFAULT '' CHECK (length(notes) <= 10000),
  end_cause            text CHECK (end_cause IN (
                         'completed', 'caller_hangup', 'operator_hangup', 'abandoned', 'timed_out', 'closed',
                         'rejected', 'failed', 'system_restart')),
  CHECK (end_cause IS NULL OR ended_at IS NOT NULL),
  FOREIGN KEY (org_id, supporter_id) REFERENCES supporters (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, queue_id) REFERENCES queues (org_id, id),
  FOREIGN KEY (org_id, campaign_id) REFERENCES campaigns (org_id, id)
);
-- An organization's interactions by time (reports, exports, the KPI rollups).
CREATE INDEX interactions_org_created ON interactions (org_id, created_at);
-- The supporter's timeline and the screen pop's last interactions.
CREATE INDEX interactions_supporter ON interactions (supporter_id, created_at DESC);
-- An operator's own history.
CREATE INDEX interactions_operator ON interactions (operator_id, created_at) WHERE operator_id IS NOT NULL;
-- What recovery closes at start; few rows at any time, so the index stays small.
CREATE INDEX interactions_open ON interactions (created_at) WHERE end_cause IS NULL;
-- The foreign keys' own lookups (deleting a queue or campaign checks them).
CREATE INDEX interactions_queue ON interactions (queue_id, created_at) WHERE queue_id IS NOT NULL;
CREATE INDEX interactions_campaign ON interactions (campaign_id, created_at) WHERE campaign_id IS NOT NULL;

-- The agent-state log: one state of one operator over [started_at, ended_at);
-- ended_at NULL is the current state. The operator's time is the center's;
-- org_id is set while the operator serves one organization (DOMAIN.md §10).
CREATE TABLE agent_state_intervals (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  org_id       uuid REFERENCES organizations(id) ON DELETE CASCADE,
  state        text NOT NULL CHECK (state IN ('offline', 'available', 'reserved', 'busy', 'wrap_up', 'not_ready')),
  reason       text CHECK (length(reason) <= 60),
  queue_id     uuid REFERENCES queues(id) ON DELETE SET NULL,
  campaign_id  uuid REFERENCES campaigns(id) ON DELETE SET NULL,
  channel      text CHECK (channel IN ('voice', 'chat', 'email', 'sms', 'social')),
  started_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX agent_state_intervals_user ON agent_state_intervals (user_id, started_at DESC);
-- Reports over a period; the open intervals recovery closes at start.
CREATE INDEX agent_state_intervals_started ON agent_state_intervals (started_at);
CREATE INDEX agent_state_intervals_open ON agent_state_intervals (user_id) WHERE ended_at IS NULL;
CREATE INDEX agent_state_intervals_queue ON agent_state_intervals (queue_id) WHERE queue_id IS NOT NULL;
CREATE INDEX agent_state_intervals_campaign ON agent_state_intervals (campaign_id) WHERE campaign_id IS NOT NULL;

-- ---- row-level security ------------------------------------------------------------

DO $$
DECLARE
  t text;
BEGIN
  -- The organization's own rows, and every organization's for the center scope (the runtime).
  FOREACH t IN ARRAY ARRAY[
    'queues', 'ivr_flows', 'numbers', 'calling_windows', 'campaigns', 'campaign_contacts', 'callbacks',
    'interactions'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org() OR app_scope() = ''center'') '
      'WITH CHECK (org_id = app_current_org() OR app_scope() = ''center'')',
      t || '_tenant', t);
  END LOOP;
  -- Shared rows (org_id NULL: center-wide skills, built-in dispositions) are
  -- read by every organization and changed only in the center scope: reading
  -- is a policy of its own, because a single policy's USING also decides which
  -- rows a DELETE may remove.
  FOREACH t IN ARRAY ARRAY['skills', 'dispositions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org() OR app_scope() = ''center'') '
      'WITH CHECK (org_id = app_current_org() OR app_scope() = ''center'')',
      t || '_tenant', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (org_id IS NULL)', t || '_shared_read', t);
  END LOOP;
  -- The center's own: operators and their time, like users (0001_foundation.sql).
  FOREACH t IN ARRAY ARRAY['operator_skills', 'operator_profiles', 'agent_state_intervals'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (app_scope() = ''center'')', t || '_center', t);
  END LOOP;
END $$;
