// Kysely table types, kept by hand beside the SQL migrations they describe.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type OrganizationKind = 'center' | 'client';
export type UserRole = 'admin' | 'supervisor' | 'planner' | 'quality' | 'operator' | 'client_viewer';
export const USER_ROLES: readonly UserRole[] = [
  'admin',
  'supervisor',
  'planner',
  'quality',
  'operator',
  'client_viewer',
];

export type OrganizationsTable = {
  id: Generated<string>;
  kind: ColumnType<OrganizationKind, OrganizationKind | undefined, never>;
  slug: string;
  name: string;
  time_zone: ColumnType<string, string | undefined, string>;
  locale: ColumnType<'it' | 'en', 'it' | 'en' | undefined, 'it' | 'en'>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type UsersTable = {
  id: Generated<string>;
  email: string;
  display_name: ColumnType<string, string | undefined, string>;
  role: UserRole;
  org_id: string | null;
  password_hash: string;
  failed_login_count: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
  bank_data_access: ColumnType<boolean, boolean | undefined, boolean>;
};

export type UserOrganizationsTable = { user_id: string; org_id: string };

export type SessionsTable = {
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  user_agent: ColumnType<string, string | undefined, string>;
};

export type ApiKeysTable = {
  id: Generated<string>;
  org_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  bank_data_access: ColumnType<boolean, boolean | undefined, boolean>;
};

export type AuditEventsTable = {
  id: ColumnType<string, never, never>;
  org_id: string;
  at: CreatedAt;
  actor_kind: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  target: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
};

export type InstanceSettingsTable = {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type SchemaMigrationsTable = {
  version: string;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
};

export type DB = {
  organizations: OrganizationsTable;
  users: UsersTable;
  user_organizations: UserOrganizationsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  instance_settings: InstanceSettingsTable;
  schema_migrations: SchemaMigrationsTable;
  crm_settings: CrmSettingsTable;
  custom_field_definitions: CustomFieldDefinitionsTable;
  supporters: SupportersTable;
  supporter_phones: SupporterPhonesTable;
  supporter_emails: SupporterEmailsTable;
  supporter_external_ids: SupporterExternalIdsTable;
  consent_events: ConsentEventsTable;
  dnc_entries: DncEntriesTable;
  register_checks: RegisterChecksTable;
  commitments: CommitmentsTable;
  commitment_events: CommitmentEventsTable;
  mandates: MandatesTable;
  gifts: GiftsTable;
  supporter_events: SupporterEventsTable;
  supporter_merges: SupporterMergesTable;
  supporter_search_terms: SupporterSearchTermsTable;
  supporter_not_duplicates: SupporterNotDuplicatesTable;
  import_presets: ImportPresetsTable;
  import_jobs: ImportJobsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  outbox_events: OutboxEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  skills: SkillsTable;
  operator_skills: OperatorSkillsTable;
  operator_profiles: OperatorProfilesTable;
  queues: QueuesTable;
  ivr_flows: IvrFlowsTable;
  numbers: NumbersTable;
  calling_windows: CallingWindowsTable;
  dispositions: DispositionsTable;
  campaigns: CampaignsTable;
  campaign_contacts: CampaignContactsTable;
  callbacks: CallbacksTable;
  interactions: InteractionsTable;
  agent_state_intervals: AgentStateIntervalsTable;
  sla_contracts: SlaContractsTable;
  sla_contract_versions: SlaContractVersionsTable;
  sla_alerts: SlaAlertsTable;
};

// ---- CRM (0002_crm.sql) ----
// Dates (SQL date) are read as 'YYYY-MM-DD' strings: the PGlite dialect and
// the pg pool are both configured to leave them unparsed (see database.ts).
type DateOnly = string;
type Json<T> = ColumnType<T, string | undefined, string>;
type Default<T> = ColumnType<T, T | undefined, T>;
type Identity = ColumnType<string, never, never>;

export type SupporterSource =
  | 'face_to_face'
  | 'drtv'
  | 'web'
  | 'event'
  | 'lead_generation'
  | 'telephone'
  | 'other';
export type SupporterStatus = 'active' | 'lapsed' | 'deceased' | 'do_not_contact';
export type PhoneKind = 'mobile' | 'fixed_line' | 'voip' | 'toll_free' | 'other' | 'unknown';
export type ConsentChannel = 'phone' | 'sms' | 'email' | 'post';
export type CommitmentFrequency = 'monthly' | 'bimonthly' | 'quarterly' | 'semiannual' | 'annual';
export type CommitmentMethod = 'sepa_direct_debit' | 'card' | 'bank_transfer' | 'postal';
export type CommitmentStatus = 'active' | 'paused' | 'cancelled' | 'lapsed';
export type GiftMethod = CommitmentMethod | 'cash' | 'other';
export type GiftStatus = 'collected' | 'failed' | 'refunded';
export type SequenceType = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';
export type ImportKind =
  | 'supporters'
  | 'commitments'
  | 'gifts'
  | 'consents'
  | 'dnc'
  | 'register'
  | 'interactions';
export type SupporterAddress = {
  kind?: string;
  line1: string;
  line2?: string;
  postalCode?: string;
  city?: string;
  province?: string;
  country?: string;
};

export type CrmSettingsTable = {
  org_id: string;
  creditor_id: string | null;
  dedupe_rules: Json<string[]>;
  register_check_max_age_days: Default<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type CustomFieldDefinitionsTable = {
  org_id: string;
  key: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'boolean';
  created_at: CreatedAt;
};

export type SupportersTable = {
  id: Generated<string>;
  org_id: string;
  first_name: Default<string>;
  last_name: Default<string>;
  birth_date: DateOnly | null;
  fiscal_code: string | null;
  language: Default<string>;
  source: SupporterSource | null;
  status: Default<SupporterStatus>;
  addresses: Json<SupporterAddress[]>;
  tags: Default<string[]>;
  custom_fields: Json<Record<string, unknown>>;
  search_text: Default<string>;
  /** Blocking keys for duplicates (0004_dedupe.sql), computed by PostgreSQL. */
  dedupe_last_name: ColumnType<string, never, never>;
  dedupe_place: ColumnType<string | null, never, never>;
  merged_into: string | null;
  import_job_id: string | null;
  version: Default<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

/**
 * Written only by PostgreSQL's triggers on supporters (0003_supporter_search.sql); no foreign key
 * since 0012: a statement-level delete trigger removes a deleted supporter's terms.
 */
export type SupporterSearchTermsTable = {
  org_id: ColumnType<string, never, never>;
  supporter_id: ColumnType<string, never, never>;
  term: ColumnType<string, never, never>;
  kind: ColumnType<'name' | 'key' | 'head' | 'pair', never, never>;
  last_name: ColumnType<string, never, never>;
  first_name: ColumnType<string, never, never>;
  words: ColumnType<string, never, never>;
};

export type SupporterPhonesTable = {
  id: Generated<string>;
  org_id: string;
  supporter_id: string;
  number: string;
  kind: Default<PhoneKind>;
  valid: boolean;
  is_primary: Default<boolean>;
  invalid_since: Timestamp | null;
  created_at: CreatedAt;
};

export type SupporterEmailsTable = {
  id: Generated<string>;
  org_id: string;
  supporter_id: string;
  email: string;
  /** lower(email), computed by PostgreSQL (0004_dedupe.sql). */
  email_key: ColumnType<string, never, never>;
  valid: boolean;
  is_primary: Default<boolean>;
  created_at: CreatedAt;
};

export type SupporterExternalIdsTable = {
  org_id: string;
  system: string;
  external_id: string;
  supporter_id: string;
  created_at: CreatedAt;
};

export type ConsentEventsTable = {
  id: Identity;
  org_id: string;
  supporter_id: string;
  channel: ConsentChannel;
  purpose: string;
  granted: boolean;
  source: string;
  evidence: Default<string>;
  recorded_at: Timestamp;
  interaction_id: string | null;
  created_at: CreatedAt;
};

export type DncEntriesTable = {
  org_id: string;
  number: string;
  reason: Default<string>;
  source: Default<string>;
  added_at: CreatedAt;
};

export type RegisterChecksTable = {
  id: Identity;
  org_id: string;
  number: string;
  checked_on: DateOnly;
  registered: boolean;
  source: Default<string>;
  created_at: CreatedAt;
};

export type CommitmentsTable = {
  id: Generated<string>;
  org_id: string;
  supporter_id: string;
  external_id: string | null;
  amount_cents: number;
  currency: Default<string>;
  frequency: CommitmentFrequency;
  method: CommitmentMethod;
  start_date: DateOnly;
  end_date: DateOnly | null;
  status: Default<CommitmentStatus>;
  campaign_code: string | null;
  version: Default<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type CommitmentEventsTable = {
  id: Identity;
  org_id: string;
  commitment_id: string;
  supporter_id: string;
  at: CreatedAt;
  kind: 'created' | 'status_changed' | 'amount_changed';
  from_status: CommitmentStatus | null;
  to_status: CommitmentStatus | null;
  from_amount_cents: number | null;
  to_amount_cents: number | null;
  effective_date: DateOnly | null;
  reason: Default<string>;
  interaction_id: string | null;
  actor: Default<string>;
};

export type MandatesTable = {
  id: Generated<string>;
  org_id: string;
  commitment_id: string;
  creditor_id: string;
  reference: string;
  signature_date: DateOnly;
  iban_encrypted: string;
  iban_country: string;
  iban_last4: string;
  sequence_type: Default<SequenceType>;
  status: Default<'active' | 'revoked' | 'expired'>;
  last_collection_on: DateOnly | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type GiftsTable = {
  id: Generated<string>;
  org_id: string;
  supporter_id: string;
  commitment_id: string | null;
  external_id: string | null;
  gift_date: DateOnly;
  amount_cents: number;
  currency: Default<string>;
  method: GiftMethod;
  status: Default<GiftStatus>;
  return_code: string | null;
  campaign_code: string | null;
  created_at: CreatedAt;
};

export type SupporterEventsTable = {
  id: Identity;
  org_id: string;
  supporter_id: string;
  at: CreatedAt;
  kind: string;
  details: Json<Record<string, unknown>>;
  actor: Default<string>;
};

export type SupporterMergesTable = {
  id: Generated<string>;
  org_id: string;
  kept_id: string;
  merged_id: string;
  moved: Json<Record<string, string[]>>;
  merged_at: CreatedAt;
  merged_by: Default<string>;
  undone_at: Timestamp | null;
  undone_by: string | null;
  /** The kept record's changed columns: { column: { before, after } } (0004_dedupe.sql). */
  fields: Json<Record<string, { before: unknown; after: unknown }>>;
  /** Rows left on the merged record because the kept one had them: ids per table. */
  skipped: Json<Record<string, string[]>>;
};

// ---- Duplicates (0004_dedupe.sql) ----
export type SupporterNotDuplicatesTable = {
  org_id: string;
  /** The smaller id of the pair. */
  a: string;
  b: string;
  created_at: CreatedAt;
  created_by: Default<string>;
};

export type ImportPresetsTable = {
  org_id: string;
  kind: ImportKind;
  name: string;
  mapping: Json<Record<string, string>>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type ImportJobsTable = {
  id: Generated<string>;
  org_id: string;
  kind: ImportKind;
  file_name: Default<string>;
  file_sha256: Default<string>;
  dry_run: Default<boolean>;
  status: Default<'running' | 'completed' | 'failed' | 'interrupted'>;
  rows_read: Default<number>;
  created: Default<number>;
  updated: Default<number>;
  unchanged: Default<number>;
  rejected: Default<number>;
  errors: Json<unknown[]>;
  error: string | null;
  started_by: Default<string>;
  started_at: CreatedAt;
  heartbeat_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: Timestamp | null;
};

export type WebhookSubscriptionsTable = {
  id: Generated<string>;
  org_id: string;
  url: string;
  events: string[];
  secret_encrypted: string;
  description: Default<string>;
  active: Default<boolean>;
  created_at: CreatedAt;
};

export type OutboxEventsTable = {
  id: Identity;
  org_id: string;
  event_id: Generated<string>;
  type: string;
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  dispatched_at: Timestamp | null;
};

export type WebhookDeliveriesTable = {
  id: Identity;
  org_id: string;
  subscription_id: string;
  outbox_event_id: string;
  status: Default<'pending' | 'delivered' | 'failed'>;
  attempts: Default<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_status_code: number | null;
  last_error: string | null;
  first_attempt_at: Timestamp | null;
  delivered_at: Timestamp | null;
  created_at: CreatedAt;
};

// ---- Live contact center (0007_live_center.sql) ----
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type Channel = 'voice' | 'chat' | 'email' | 'sms' | 'social';
export type QueueDirection = 'inbound' | 'outbound';
export type QueueStrategy =
  | 'longest-idle'
  | 'least-occupied'
  | 'best-skill-then-longest-idle'
  | 'round-robin'
  | 'fewest-contacts'
  | 'random'
  | 'ring-all';
export type ClosedBehaviour = 'reject' | 'hold' | 'transfer';
export type NumberKind = 'toll_free' | 'drtv' | 'geographic';
export type CycleType =
  | 'welcome'
  | 'thank_you'
  | 'loyalty'
  | 'upgrade'
  | 'conversion'
  | 'recapture'
  | 'one_off'
  | 'custom';
export type DispositionEffect =
  | 'none'
  | 'upgrade_accepted'
  | 'conversion_accepted'
  | 'recapture_accepted'
  | 'not_interested'
  | 'call_back'
  | 'wrong_number'
  | 'do_not_call'
  | 'deceased'
  | 'reached';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export type WeeklyPeriod = { days: Weekday[]; from: string; to: string };
export type OpeningHours = { timeZone?: string; weekly: WeeklyPeriod[]; closedDates?: string[] };
export type QueueOverflowStep = { afterSeconds: number; skills?: string; addQueues?: string[] };
export type AgentState = 'offline' | 'available' | 'reserved' | 'busy' | 'wrap_up' | 'not_ready';

export type SkillsTable = {
  id: Generated<string>;
  org_id: string | null;
  key: string;
  label: string;
  created_at: CreatedAt;
};

export type OperatorSkillsTable = {
  user_id: string;
  skill_key: string;
  level: number;
  updated_at: UpdatedAt;
};

export type OperatorProfilesTable = {
  user_id: string;
  capacity: Json<Partial<Record<Channel, number>>>;
  max_tasks: number | null;
  attributes: Json<Record<string, string | number | boolean | string[]>>;
  updated_at: UpdatedAt;
};

export type QueuesTable = {
  id: Generated<string>;
  org_id: string;
  key: string;
  name: string;
  channel: Default<Channel>;
  direction: Default<QueueDirection>;
  skill_expression: Default<string>;
  strategy: Default<QueueStrategy>;
  priority: Default<number>;
  max_wait_seconds: number | null;
  max_wait_queue_key: string | null;
  overflow: Json<QueueOverflowStep[]>;
  hours: ColumnType<OpeningHours | null, string | null | undefined, string | null>;
  closed_behaviour: Default<ClosedBehaviour>;
  closed_queue_key: string | null;
  wrap_up_seconds: Default<number>;
  service_level_seconds: Default<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type IvrFlowsTable = {
  id: Generated<string>;
  org_id: string;
  name: string;
  definition: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type NumbersTable = {
  e164: string;
  org_id: string;
  kind: NumberKind;
  label: Default<string>;
  ivr_flow_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type CallingWindowsTable = {
  id: Generated<string>;
  org_id: string;
  name: string;
  time_zone: Default<string>;
  weekly: Json<WeeklyPeriod[]>;
  holidays: Json<string[]>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type DispositionsTable = {
  id: Generated<string>;
  org_id: string | null;
  cycle_type: CycleType | 'inbound' | null;
  code: string;
  label_it: string;
  label_en: string;
  effect: DispositionEffect;
  successful: Default<boolean>;
  created_at: CreatedAt;
};

export type CampaignsTable = {
  id: Generated<string>;
  org_id: string;
  name: string;
  cycle_type: CycleType;
  status: Default<'draft' | 'active' | 'paused' | 'completed'>;
  eligibility: Json<unknown[]>;
  refresh_minutes: Default<number>;
  priority: Default<number>;
  pacing: Json<Record<string, unknown>>;
  retry_policy: Json<Record<string, unknown>>;
  max_attempts: Default<number>;
  register_check_max_age_days: number | null;
  script: Default<string>;
  queue_id: string | null;
  calling_window_id: string | null;
  /** When the call list was last rebuilt (0011_call_lists.sql); NULL: never. */
  list_refreshed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type CampaignContactStatus =
  | 'pending'
  | 'in_progress'
  | 'completed'
  | 'blocked'
  | 'exhausted'
  | 'removed';
export type DialOutcome = 'reached' | 'no_answer' | 'busy' | 'machine' | 'failed' | 'dropped' | 'blocked';

export type CampaignContactsTable = {
  id: Generated<string>;
  org_id: string;
  campaign_id: string;
  supporter_id: string;
  phone: string;
  status: Default<CampaignContactStatus>;
  attempts: Default<number>;
  next_attempt_at: Timestamp | null;
  last_outcome: DialOutcome | null;
  blocked_reason: string | null;
  owner_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type CallbacksTable = {
  id: Generated<string>;
  org_id: string;
  supporter_id: string | null;
  phone: string;
  queue_id: string | null;
  campaign_id: string | null;
  due_at: Timestamp;
  queued_since: ColumnType<Date, Date | string | undefined, Date | string>;
  owner_user_id: string | null;
  status: Default<'waiting' | 'in_progress' | 'completed' | 'cancelled'>;
  interaction_id: string | null;
  notes: Default<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type InteractionOutcome =
  | 'answered'
  | 'abandoned'
  | 'timed_out'
  | 'closed'
  | 'ivr_completed'
  | 'callback_requested'
  | 'voicemail'
  | DialOutcome;
export type InteractionEndCause =
  | 'completed'
  | 'caller_hangup'
  | 'operator_hangup'
  | 'abandoned'
  | 'timed_out'
  | 'closed'
  | 'rejected'
  | 'failed'
  | 'system_restart';

export type InteractionsTable = {
  id: Generated<string>;
  org_id: string;
  channel: Default<Channel>;
  direction: QueueDirection;
  number: string | null;
  remote_number: string | null;
  queue_id: string | null;
  campaign_id: string | null;
  campaign_contact_id: string | null;
  attempt_number: number | null;
  callback_id: string | null;
  operator_id: string | null;
  supporter_id: string | null;
  created_at: CreatedAt;
  ivr_started_at: Timestamp | null;
  ivr_ended_at: Timestamp | null;
  queued_at: Timestamp | null;
  offered_at: Timestamp | null;
  answered_at: Timestamp | null;
  abandoned_at: Timestamp | null;
  dialed_at: Timestamp | null;
  callee_answered_at: Timestamp | null;
  answered_by: 'human' | 'machine' | 'none' | 'busy' | 'failed' | null;
  amd_false_positive: boolean | null;
  dropped: boolean | null;
  connected_at: Timestamp | null;
  ended_at: Timestamp | null;
  wrap_ended_at: Timestamp | null;
  hold_seconds: Default<number>;
  transfers: Json<Record<string, unknown>[]>;
  outcome: InteractionOutcome | null;
  disposition: string | null;
  successful: boolean | null;
  right_party_contact: boolean | null;
  outcome_amount_cents: number | null;
  notes: Default<string>;
  end_cause: InteractionEndCause | null;
  /** The disposition's effect from the submit until the close applies it (live/pending-effect.ts). */
  pending_effect: ColumnType<unknown, string | null | undefined, string | null>;
};

export type AgentStateIntervalsTable = {
  id: Identity;
  user_id: string;
  org_id: string | null;
  state: AgentState;
  reason: string | null;
  queue_id: string | null;
  campaign_id: string | null;
  channel: Channel | null;
  started_at: Timestamp;
  ended_at: Timestamp | null;
};

// ---- SLA contracts (0010_sla_contracts.sql) ----
// Months are first days of local months (SQL date, read as 'YYYY-MM-DD').

export type SlaContractsTable = {
  id: Generated<string>;
  org_id: string;
  name: string;
  valid_from: DateOnly;
  valid_to: DateOnly | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type SlaContractVersionsTable = {
  id: Generated<string>;
  contract_id: string;
  org_id: string;
  version: number;
  effective_from: DateOnly;
  /** numeric(5,2): read as text. */
  at_risk_percent: ColumnType<string, number | string, number | string>;
  /** engine SlaMetric[] as given (validated by validateSlaContract). */
  metrics: Json<Record<string, unknown>[]>;
  bonus_rules: Json<Record<string, unknown>[]>;
  created_at: CreatedAt;
  created_by: string | null;
};

export type SlaAlertsTable = {
  id: Identity;
  org_id: string;
  contract_id: string;
  version: number;
  metric_id: string;
  kpi: string;
  window: 'interval' | 'day' | 'month';
  window_label: string;
  kind: 'below_minimum' | 'recovered';
  value: number | null;
  minimum: number;
  raised_at: CreatedAt;
  published_at: Timestamp | null;
};
