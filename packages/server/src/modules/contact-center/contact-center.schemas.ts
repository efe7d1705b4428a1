// Request and answer schemas of the contact-center configuration (TypeBox →
// validation and OpenAPI), and who may read and change each part.
import { ROUTING_STRATEGIES } from '@centralino/engine';
import { Type } from 'typebox';
import { Uuid } from '../../http/schemas.ts';
import type { Role } from '../auth/principal.ts';

// ---- roles ----
/**
 * Queues: everyone who works with them reads them (operators log in to them,
 * planners size them, quality reviews their calls, an integration maps its
 * reports); a client viewer reads its own organization's queues too, since
 * their hours, service-level target and overflow are what the client is
 * promised. Admins and supervisors change them (supervisors run the floor).
 */
export const QUEUE_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'planner',
  'quality',
  'operator',
  'client_viewer',
  'integration',
];
export const QUEUE_WRITERS: readonly Role[] = ['admin', 'supervisor'];
/** Skills and calling windows: who plans and supervises; numbers and IVR flows: who runs the lines. */
export const SKILL_READERS: readonly Role[] = ['admin', 'supervisor', 'planner'];
export const CALLING_WINDOW_READERS: readonly Role[] = ['admin', 'supervisor', 'planner'];
export const LINE_READERS: readonly Role[] = ['admin', 'supervisor'];
/** Dispositions: operators record them, quality reviews them, an integration maps them to its CRM. */
export const DISPOSITION_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'quality',
  'operator',
  'integration',
];
export const CONFIG_WRITERS: readonly Role[] = ['admin'];
/** Operators' routing profiles (center accounts): supervisors read them, admins change them. */
export const OPERATOR_READERS: readonly Role[] = ['admin', 'supervisor'];

// ---- shared ----
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const CHANNELS = ['voice', 'chat', 'email', 'sms', 'social'] as const;
export const Channel = Type.Enum(CHANNELS);
export const SkillKey = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', examples: ['donor_care'] });
export const QueueKey = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', examples: ['donor-care'] });
const Label = Type.String({ minLength: 1, maxLength: 100 });

// Clock times and dates are checked by weekly-hours.ts, which names the failing field.
export const WeeklyPeriod = Type.Object(
  {
    days: Type.Array(Type.Enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const), { maxItems: 7 }),
    from: Type.String({ maxLength: 5, description: 'HH:MM, local time' }),
    to: Type.String({ maxLength: 5, description: 'HH:MM, local time; 24:00 ends the day' }),
  },
  { additionalProperties: false },
);
const LocalDates = Type.Array(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }), { maxItems: 366 });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone, e.g. Europe/Rome',
});
export const OpeningHours = Type.Object(
  {
    timeZone: Type.Optional(TimeZone),
    weekly: Type.Array(WeeklyPeriod, { maxItems: 50 }),
    closedDates: Type.Optional(LocalDates),
  },
  { additionalProperties: false },
);

// ---- skills ----
export const Skill = Type.Object({
  key: Type.String(),
  label: Type.String(),
  scope: Type.Enum(['center', 'organization'] as const),
  createdAt: DateTime,
});
export const CreateSkillBody = Type.Object({ key: SkillKey, label: Label }, { additionalProperties: false });
export const UpdateSkillBody = Type.Object({ label: Label }, { additionalProperties: false });

// ---- queues ----
const OverflowStep = Type.Object(
  {
    afterSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
    skills: Type.Optional(
      Type.String({ maxLength: 1000, description: 'Skill expression of the agents this step adds' }),
    ),
    addQueues: Type.Optional(
      Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20, description: 'Queue keys' }),
    ),
  },
  { additionalProperties: false },
);
const queueFields = {
  name: Label,
  channel: Channel,
  direction: Type.Enum(['inbound', 'outbound'] as const),
  skillExpression: Type.String({
    maxLength: 1000,
    description:
      "Skill expression (engine/routing), e.g. language == 'it' && donor_care >= 5; empty: any operator",
    examples: ["donor_care >= 5 && language == 'it'"],
  }),
  strategy: Type.Enum(ROUTING_STRATEGIES as readonly (typeof ROUTING_STRATEGIES)[number][]),
  priority: Type.Integer({ minimum: -100, maximum: 100 }),
  maxWaitSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 86_400 })),
  maxWaitQueueKey: Nullable(Type.String({ maxLength: 40 })),
  overflow: Type.Array(OverflowStep, { maxItems: 10 }),
  hours: Nullable(OpeningHours),
  closedBehaviour: Type.Enum(['reject', 'hold', 'transfer'] as const),
  closedQueueKey: Nullable(Type.String({ maxLength: 40 })),
  wrapUpSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
  serviceLevelSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
};
export const Queue = Type.Object(
  { id: Uuid, key: Type.String(), ...queueFields, createdAt: DateTime, updatedAt: DateTime },
  { $id: 'Queue' },
);
// Creation: a key and a name; everything else has the engine's default.
export const CreateQueueBody = Type.Object(
  {
    key: QueueKey,
    name: Label,
    channel: Type.Optional(queueFields.channel),
    direction: Type.Optional(queueFields.direction),
    skillExpression: Type.Optional(queueFields.skillExpression),
    strategy: Type.Optional(queueFields.strategy),
    priority: Type.Optional(queueFields.priority),
    maxWaitSeconds: Type.Optional(queueFields.maxWaitSeconds),
    maxWaitQueueKey: Type.Optional(queueFields.maxWaitQueueKey),
    overflow: Type.Optional(queueFields.overflow),
    hours: Type.Optional(queueFields.hours),
    closedBehaviour: Type.Optional(queueFields.closedBehaviour),
    closedQueueKey: Type.Optional(queueFields.closedQueueKey),
    wrapUpSeconds: Type.Optional(queueFields.wrapUpSeconds),
    serviceLevelSeconds: Type.Optional(queueFields.serviceLevelSeconds),
  },
  { additionalProperties: false },
);
export const UpdateQueueBody = Type.Partial(Type.Object(queueFields, { additionalProperties: false }));
export const QueueParams = Type.Object({ orgId: Uuid, queueId: Uuid }, { additionalProperties: false });

// ---- numbers ----
export const NumberKind = Type.Enum(['toll_free', 'drtv', 'geographic'] as const);
export const CenterNumber = Type.Object({
  e164: Type.String(),
  kind: NumberKind,
  label: Type.String(),
  ivrFlowId: Nullable(Uuid),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const CreateNumberBody = Type.Object(
  {
    e164: Type.String({
      minLength: 3,
      maxLength: 40,
      description: 'The number; Italian national format is accepted and stored as E.164',
      examples: ['+39800123456'],
    }),
    kind: NumberKind,
    label: Type.Optional(Type.String({ maxLength: 100 })),
    ivrFlowId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
export const UpdateNumberBody = Type.Object(
  {
    kind: Type.Optional(NumberKind),
    label: Type.Optional(Type.String({ maxLength: 100 })),
    ivrFlowId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
export const NumberParams = Type.Object(
  { orgId: Uuid, e164: Type.String({ minLength: 3, maxLength: 40, description: 'E.164 (URL-encode "+")' }) },
  { additionalProperties: false },
);

// ---- IVR flows ----
const IvrDefinition = Type.Object(
  {
    entry: Type.String({ description: 'The first node' }),
    nodes: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), {
      description:
        'Nodes by id: hours, menu, queue, message, callback_offer, voicemail, hangup (see the README); validated as a graph',
    }),
  },
  { additionalProperties: false },
);
export const IvrFlow = Type.Object({
  id: Uuid,
  name: Type.String(),
  definition: IvrDefinition,
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const CreateIvrFlowBody = Type.Object(
  { name: Label, definition: IvrDefinition },
  { additionalProperties: false },
);
export const UpdateIvrFlowBody = Type.Object(
  { name: Type.Optional(Label), definition: Type.Optional(IvrDefinition) },
  { additionalProperties: false },
);
export const IvrFlowParams = Type.Object({ orgId: Uuid, ivrFlowId: Uuid }, { additionalProperties: false });

// ---- calling windows ----
const callingWindowFields = {
  name: Label,
  timeZone: TimeZone,
  weekly: Type.Array(WeeklyPeriod, { minItems: 1, maxItems: 50 }),
  holidays: LocalDates,
};
export const CallingWindow = Type.Object({
  id: Uuid,
  ...callingWindowFields,
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const CreateCallingWindowBody = Type.Object(
  {
    name: Label,
    timeZone: Type.Optional(TimeZone),
    weekly: callingWindowFields.weekly,
    holidays: Type.Optional(LocalDates),
  },
  { additionalProperties: false },
);
export const UpdateCallingWindowBody = Type.Partial(
  Type.Object(callingWindowFields, { additionalProperties: false }),
);
export const CallingWindowParams = Type.Object(
  { orgId: Uuid, callingWindowId: Uuid },
  { additionalProperties: false },
);

// ---- dispositions ----
export const DispositionEffect = Type.Enum([
  'none',
  'upgrade_accepted',
  'conversion_accepted',
  'recapture_accepted',
  'not_interested',
  'call_back',
  'wrong_number',
  'do_not_call',
  'deceased',
  'reached',
] as const);
export const DispositionCycle = Type.Enum([
  'welcome',
  'thank_you',
  'loyalty',
  'upgrade',
  'conversion',
  'recapture',
  'one_off',
  'custom',
  'inbound',
] as const);
export const Disposition = Type.Object({
  id: Uuid,
  code: Type.String(),
  labelIt: Type.String(),
  labelEn: Type.String(),
  effect: DispositionEffect,
  cycleType: Nullable(DispositionCycle),
  successful: Type.Boolean(),
  builtIn: Type.Boolean(),
  createdAt: DateTime,
});
export const CreateDispositionBody = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', examples: ['moved_abroad'] }),
    labelIt: Label,
    labelEn: Label,
    effect: DispositionEffect,
    cycleType: Type.Optional(Nullable(DispositionCycle)),
    successful: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const UpdateDispositionBody = Type.Object(
  {
    labelIt: Type.Optional(Label),
    labelEn: Type.Optional(Label),
    effect: Type.Optional(DispositionEffect),
    cycleType: Type.Optional(Nullable(DispositionCycle)),
    successful: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const DispositionParams = Type.Object(
  { orgId: Uuid, dispositionId: Uuid },
  { additionalProperties: false },
);

// ---- operators ----
export const OperatorParams = Type.Object({ userId: Uuid }, { additionalProperties: false });
export const OperatorSkill = Type.Object(
  { skillKey: Type.String({ maxLength: 40 }), level: Type.Integer({ minimum: 1, maximum: 10 }) },
  { additionalProperties: false },
);
export const OperatorSkillsBody = Type.Object(
  { skills: Type.Array(OperatorSkill, { maxItems: 200 }) },
  { additionalProperties: false },
);
const Capacity = Type.Object(
  Object.fromEntries(
    CHANNELS.map((c) => [c, Type.Optional(Type.Integer({ minimum: 0, maximum: 20 }))]),
  ) as Record<(typeof CHANNELS)[number], ReturnType<typeof Type.Optional<ReturnType<typeof Type.Integer>>>>,
  { additionalProperties: false, description: 'Concurrent tasks per channel, e.g. {"voice": 1, "chat": 3}' },
);
const Attribute = Type.Union([
  Type.String({ maxLength: 100 }),
  Type.Number(),
  Type.Boolean(),
  Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }),
]);
const Attributes = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), Attribute, {
  maxProperties: 50,
  description: 'Facts skill expressions may test, e.g. {"language": ["it", "en"]}',
});
export const OperatorProfileBody = Type.Object(
  {
    capacity: Capacity,
    maxTasks: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 50 }))),
    attributes: Type.Optional(Attributes),
  },
  { additionalProperties: false },
);
export const OperatorProfile = Type.Object({
  userId: Uuid,
  capacity: Type.Record(Type.String(), Type.Integer()),
  maxTasks: Nullable(Type.Integer()),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  updatedAt: Nullable(DateTime),
});
