// Request and answer schemas of outbound campaigns (TypeBox → validation and
// OpenAPI). Eligibility is a list of declarative filters over CRM data, all of
// which a supporter must meet; the list builder (issue 6) turns them into SQL.
import { Type } from 'typebox';
import { Uuid } from '../../http/schemas.ts';
import type { Role } from '../auth/principal.ts';

/**
 * Everyone who works a campaign reads it (operators log in to it, planners
 * size it, quality reviews it); a client viewer reads its own organization's
 * campaigns, which are the contact cycles it commissioned. Admins and
 * supervisors change them.
 */
export const CAMPAIGN_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'planner',
  'quality',
  'operator',
  'client_viewer',
  'integration',
];
export const CAMPAIGN_WRITERS: readonly Role[] = ['admin', 'supervisor'];

export const CYCLE_TYPES = [
  'welcome',
  'thank_you',
  'loyalty',
  'upgrade',
  'conversion',
  'recapture',
  'one_off',
  'custom',
] as const;
export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'completed'] as const;
const CycleType = Type.Enum(CYCLE_TYPES);
const Days = Type.Integer({ minimum: 1, maximum: 3650 });
const filter = <K extends string, P extends Record<string, Parameters<typeof Type.Object>[0][string]>>(
  kind: K,
  properties: P,
  description: string,
) => Type.Object({ kind: Type.Literal(kind), ...properties }, { additionalProperties: false, description });

/** The filters a campaign's eligibility may combine (all must hold). */
export const EligibilityFilter = Type.Union([
  filter(
    'commitment_started_within_days',
    { days: Days },
    'A regular gift started in the last N days (welcome)',
  ),
  filter(
    'commitment_active_for_months',
    { months: Type.Integer({ minimum: 1, maximum: 600 }) },
    'An active regular gift for at least N months (upgrade)',
  ),
  filter(
    'commitment_ended_within_days',
    { days: Days },
    'A regular gift cancelled or lapsed in the last N days, none active (recapture)',
  ),
  filter('no_active_commitment', {}, 'No active regular gift (conversion of one-off donors)'),
  filter(
    'gift_within_days',
    { days: Days, minAmountCents: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })) },
    'A gift in the last N days, of at least minAmountCents (thank you)',
  ),
  filter(
    'no_contact_in_cycle',
    { cycleType: CycleType, withinDays: Type.Optional(Days) },
    'Not reached in a campaign of this cycle (ever, or in the last withinDays)',
  ),
  filter(
    'supporter_status',
    { statuses: Type.Array(Type.Enum(['active', 'lapsed'] as const), { minItems: 1, uniqueItems: true }) },
    'Supporter status (deceased and do-not-contact supporters are never eligible)',
  ),
  filter('tag', { tag: Type.String({ minLength: 1, maxLength: 60 }) }, 'Has this tag'),
  filter(
    'source',
    {
      sources: Type.Array(
        Type.Enum(['face_to_face', 'drtv', 'web', 'event', 'lead_generation', 'telephone', 'other'] as const),
        { minItems: 1, uniqueItems: true },
      ),
    },
    'Came from one of these sources',
  ),
]);

const Retry = Type.Object(
  {
    retryAfterMinutes: Type.Integer({ minimum: 1, maximum: 10_080 }),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export const RetryPolicy = Type.Object(
  {
    noAnswer: Type.Optional(Retry),
    busy: Type.Optional(Retry),
    machine: Type.Optional(Retry),
    failed: Type.Optional(Retry),
    dropped: Type.Optional(Retry),
  },
  {
    additionalProperties: false,
    description:
      'Per outcome: when to try again and at most how many attempts a contact may have (absent: no retry after it; dropped: the noAnswer rule)',
  },
);
export const Pacing = Type.Object(
  {
    mode: Type.Enum(['preview', 'progressive', 'power', 'predictive'] as const),
    ratio: Type.Optional(
      Type.Number({ minimum: 1, maximum: 5, description: 'Power: calls per available operator' }),
    ),
    ceiling: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 0.03,
        description: 'Drop-rate ceiling (default 0.03, the most the rules allow: DOMAIN.md §4)',
      }),
    ),
  },
  { additionalProperties: false, description: 'engine/pacing modes' },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  cycleType: CycleType,
  status: Type.Enum(CAMPAIGN_STATUSES),
  eligibility: Type.Array(EligibilityFilter, { maxItems: 20 }),
  refreshMinutes: Type.Integer({ minimum: 5, maximum: 10_080 }),
  priority: Type.Integer({ minimum: -100, maximum: 100 }),
  pacing: Pacing,
  retryPolicy: RetryPolicy,
  maxAttempts: Type.Integer({ minimum: 1, maximum: 50 }),
  registerCheckMaxAgeDays: Nullable(Type.Integer({ minimum: 1, maximum: 365 })),
  script: Type.String({
    maxLength: 20_000,
    description:
      'With merge fields such as {{firstName}} (engine/crm/merge-fields); an unknown field or a broken placeholder is refused (400 CAMPAIGN_SCRIPT_INVALID)',
  }),
  queueId: Nullable(Uuid),
  callingWindowId: Nullable(Uuid),
};
export const Campaign = Type.Object(
  {
    id: Uuid,
    ...fields,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Campaign' },
);
export const CreateCampaignBody = Type.Object(
  {
    name: fields.name,
    cycleType: fields.cycleType,
    status: Type.Optional(fields.status),
    eligibility: Type.Optional(fields.eligibility),
    refreshMinutes: Type.Optional(fields.refreshMinutes),
    priority: Type.Optional(fields.priority),
    pacing: Type.Optional(fields.pacing),
    retryPolicy: Type.Optional(fields.retryPolicy),
    maxAttempts: Type.Optional(fields.maxAttempts),
    registerCheckMaxAgeDays: Type.Optional(fields.registerCheckMaxAgeDays),
    script: Type.Optional(fields.script),
    queueId: Type.Optional(fields.queueId),
    callingWindowId: Type.Optional(fields.callingWindowId),
  },
  { additionalProperties: false },
);
export const UpdateCampaignBody = Type.Partial(Type.Object(fields, { additionalProperties: false }));
export const CampaignParams = Type.Object({ orgId: Uuid, campaignId: Uuid }, { additionalProperties: false });

/**
 * The call list names supporters and their numbers: the people who run the
 * campaign (admins, supervisors) and the organization's own systems read it.
 * Its progress is read by everyone who reads the campaign, the client included.
 */
export const CALL_LIST_READERS: readonly Role[] = ['admin', 'supervisor', 'integration'];

export const CONTACT_STATUSES = [
  'pending',
  'in_progress',
  'completed',
  'blocked',
  'exhausted',
  'removed',
] as const;
const Count = Type.Integer({ minimum: 0 });
const Timestamp = Type.String({ format: 'date-time' });

export const CallListCounts = Type.Object(
  {
    total: Type.Integer({ minimum: 0, description: 'Contacts in the list (removed ones left out)' }),
    added: Type.Integer({ minimum: 0, description: 'Supporters new to the list or back after a removal' }),
    removed: Type.Integer({ minimum: 0, description: 'Contacts no longer eligible, taken out now' }),
    blocked: Count,
    pending: Count,
    withoutPhone: Type.Integer({ minimum: 0, description: 'Eligible supporters without any phone number' }),
  },
  { $id: 'CallListCounts' },
);

export const CallListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Enum(CONTACT_STATUSES, { description: 'Only this status (default: all but removed)' }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  },
  { additionalProperties: false },
);

export const CallListEntry = Type.Object({
  id: Uuid,
  supporterId: Uuid,
  firstName: Type.String(),
  lastName: Type.String(),
  phone: Type.String(),
  status: Type.Enum(CONTACT_STATUSES),
  attempts: Count,
  nextAttemptAt: Nullable(Timestamp),
  lastOutcome: Nullable(Type.String()),
  blockedReason: Nullable(
    Type.String({
      description:
        'consent_revoked, do_not_call_list, register_check_missing, register_check_stale, registered_in_register, ' +
        'no_valid_phone, phone_invalid, supporter_deceased, supporter_do_not_contact, supporter_merged, do_not_call',
    }),
  ),
  ownerUserId: Nullable(Uuid),
  updatedAt: Timestamp,
});

export const CallListPage = Type.Object({
  items: Type.Array(CallListEntry),
  nextCursor: Nullable(Type.String()),
});

const CountsBy = Type.Record(Type.String(), Count);
export const CampaignProgress = Type.Object(
  {
    campaignId: Uuid,
    listRefreshedAt: Nullable(Timestamp),
    listSize: Count,
    pending: Count,
    due: Count,
    inProgress: Count,
    completed: Count,
    exhausted: Count,
    blocked: Count,
    removed: Count,
    blockedByReason: CountsBy,
    attempted: Count,
    reached: Count,
    attempts: Count,
    penetration: Type.Number({ minimum: 0, description: 'Contacts attempted / list size' }),
    saturation: Type.Number({ minimum: 0, description: 'Attempts / list size' }),
    lastOutcomes: CountsBy,
    interactionOutcomes: CountsBy,
  },
  { $id: 'CampaignProgress' },
);
