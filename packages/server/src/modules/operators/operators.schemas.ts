// Schemas and roles of the operator API and the supervisor's live views.
import { Type } from 'typebox';
import type { Role } from '../auth/principal.ts';
import { Commitment, Gift } from '../giving/giving.schemas.ts';
import { Consent, Supporter } from '../supporters/supporters.schemas.ts';

/** Accounts that take contacts (the runtime routes operators and supervisors who log in). */
export const OPERATOR_ROLES: readonly Role[] = ['operator', 'supervisor'];
export const LIVE_SUPERVISORS: readonly Role[] = ['admin', 'supervisor'];
/** The live queues of an organization: the center's supervisors and the client's wallboard. */
export const LIVE_QUEUE_READERS: readonly Role[] = ['admin', 'supervisor', 'planner', 'client_viewer'];

export const Presence = Type.Union([
  Type.Literal('available'),
  Type.Literal('not_ready'),
  Type.Literal('offline'),
]);
export const StateBody = Type.Object(
  {
    state: Presence,
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 60, examples: ['break', 'training'] })),
  },
  { additionalProperties: false },
);
export const OfferParams = Type.Object(
  { offerId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export const CallParams = Type.Object(
  {
    callId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "The gateway's call id (session.interaction.callId)",
    }),
  },
  { additionalProperties: false },
);
export const TransferBody = Type.Object(
  {
    to: Type.Union([
      Type.Object(
        { queueId: Type.String({ format: 'uuid', description: 'A queue of the call’s organization' }) },
        { additionalProperties: false },
      ),
      Type.Object(
        { operatorId: Type.String({ format: 'uuid', description: 'An available colleague' }) },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);
export const InteractionParams = Type.Object(
  { interactionId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const Cents = Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Integer cents' });
const IsoDate = Type.String({ format: 'date', examples: ['2026-04-01'] });
/**
 * What a disposition's giving effect needs (README, operator API): checked per
 * effect by the runtime (modules/supporters/disposition-details.ts), which
 * names each missing field; the types are checked here.
 */
export const DispositionDetails = Type.Object(
  {
    supporterId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'Any disposition: which of several screen-pop matches it is about (recorded on the interaction)',
      }),
    ),
    commitmentId: Type.Optional(
      Type.String({ format: 'uuid', description: 'upgrade_accepted, recapture_accepted: the commitment' }),
    ),
    newAmountCents: Type.Optional({
      ...Cents,
      description: 'upgrade_accepted: the new amount per instalment',
    }),
    effectiveDate: Type.Optional({
      ...IsoDate,
      description: 'upgrade_accepted (required), recapture_accepted (default: the call date)',
    }),
    amountCents: Type.Optional({
      ...Cents,
      description: 'conversion_accepted: the amount; recapture_accepted: a new amount (optional)',
    }),
    frequency: Type.Optional(
      Type.Union(
        ['monthly', 'bimonthly', 'quarterly', 'semiannual', 'annual'].map((f) => Type.Literal(f)),
        { description: 'conversion_accepted' },
      ),
    ),
    iban: Type.Optional(
      Type.String({ maxLength: 50, description: 'conversion_accepted: the donor’s IBAN (stored encrypted)' }),
    ),
    accountHolder: Type.Optional(
      Type.String({ maxLength: 140, description: 'conversion_accepted, optional' }),
    ),
    signatureConsent: Type.Optional(
      Type.Object(
        {
          recorded: Type.Boolean({ description: 'must be true: the consent is on the recorded call' }),
          evidence: Type.String({ maxLength: 500, description: 'the recording or interaction reference' }),
        },
        {
          additionalProperties: false,
          description: 'conversion_accepted: the mandate signed by recorded consent',
        },
      ),
    ),
    startDate: Type.Optional({ ...IsoDate, description: 'conversion_accepted (default: the call date)' }),
    at: Type.Optional(
      Type.String({ format: 'date-time', description: 'call_back: when to call back (in the future)' }),
    ),
    owner: Type.Optional(
      Type.Union([Type.Literal('me'), Type.Literal('anyone')], {
        description: 'call_back: this operator, or any operator of the queue / campaign',
      }),
    ),
    phone: Type.Optional(
      Type.String({ maxLength: 40, description: 'call_back: another number than the caller id, optional' }),
    ),
  },
  { additionalProperties: false },
);
export const DispositionBody = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', examples: ['reached'] }),
    notes: Type.Optional(Type.String({ maxLength: 10_000 })),
    details: Type.Optional(DispositionDetails),
    endWrapUp: Type.Optional(
      Type.Boolean({ default: true, description: 'End the wrap-up with it (after the call); default true' }),
    ),
  },
  { additionalProperties: false },
);
export const QueueParams = Type.Object(
  { queueId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export const CampaignParams = Type.Object(
  { campaignId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export const QueueLoginBody = Type.Object({ loggedIn: Type.Boolean() }, { additionalProperties: false });
export const OperatorQueue = Type.Object({
  queueId: Type.String(),
  orgId: Type.String(),
  key: Type.String(),
  name: Type.String(),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  loggedIn: Type.Boolean({ description: 'Offered its contacts (when available); false after a log-out' }),
});
export const UserParams = Type.Object(
  { userId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

const CallerMatch = Type.Object({
  supporterId: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  status: Type.String(),
});
const Offer = Type.Object({
  offerId: Type.String(),
  callId: Type.Union([Type.String(), Type.Null()]),
  direction: Type.String(),
  orgId: Type.String(),
  queueId: Type.String(),
  campaignId: Type.Union([Type.String(), Type.Null()]),
  cycleType: Type.Union([Type.String(), Type.Null()]),
  dispositions: Type.Array(Type.String()),
  at: Type.Number(),
  expiresAt: Type.Number(),
  screenPop: Type.Array(CallerMatch),
});
const Interaction = Type.Object({
  interactionId: Type.String(),
  callId: Type.String(),
  orgId: Type.String(),
  queueId: Type.Union([Type.String(), Type.Null()]),
  phase: Type.String(),
  callerId: Type.Union([Type.String(), Type.Null()]),
  number: Type.String(),
  screenPop: Type.Array(CallerMatch),
  answeredAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  onHold: Type.Boolean(),
  disposition: Type.Union([
    Type.Object({
      code: Type.String(),
      notes: Type.String(),
      successful: Type.Boolean(),
      effect: Type.String(),
    }),
    Type.Null(),
  ]),
  dispositions: Type.Array(Type.String()),
});
export const OperatorStatus = Type.Object({
  userId: Type.String(),
  displayName: Type.String(),
  state: Type.String(),
  presence: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  since: Type.String({ format: 'date-time' }),
});
export const OperatorSession = Type.Intersect([
  OperatorStatus,
  Type.Object({
    offer: Type.Union([Offer, Type.Null()]),
    interaction: Type.Union([Interaction, Type.Null()]),
  }),
]);
export const QueueLiveStats = Type.Object({
  queueId: Type.String(),
  key: Type.String(),
  name: Type.String(),
  waiting: Type.Integer(),
  longestWaitSeconds: Type.Integer(),
  idleOperators: Type.Integer(),
  serviceLevelPercent: Type.Union([Type.Number(), Type.Null()]),
  answeredToday: Type.Integer(),
  abandonedToday: Type.Integer(),
});

export const SupporterQuery = Type.Object(
  {
    supporterId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'One of the screen pop’s matches; needed only when the caller matches several supporters',
      }),
    ),
  },
  { additionalProperties: false },
);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
/** The screen pop's supporter 360 (modules/supporters/supporter-360.service.ts). */
export const Supporter360 = Type.Object({
  // The supporter schema's fields without its $id: it is registered in another plugin.
  supporter: Type.Object(Supporter.properties),
  consents: Type.Array(Consent),
  commitments: Type.Array(Commitment, { description: 'Every commitment, newest first; IBAN masked' }),
  gifts: Type.Array(Gift, { description: 'The last gifts, newest first' }),
  interactions: Type.Array(
    Type.Object({
      id: Type.String(),
      direction: Type.String(),
      createdAt: Type.String(),
      answeredAt: Nullable(Type.String()),
      endedAt: Nullable(Type.String()),
      queueId: Nullable(Type.String()),
      campaignId: Nullable(Type.String()),
      operatorId: Nullable(Type.String()),
      outcome: Nullable(Type.String()),
      disposition: Nullable(Type.String()),
      notes: Type.String(),
    }),
    { description: 'The last contacts, newest first' },
  ),
  callbacks: Type.Array(
    Type.Object({
      id: Type.String(),
      dueAt: Type.String(),
      phone: Type.String(),
      status: Type.String(),
      ownerUserId: Nullable(Type.String()),
      queueId: Nullable(Type.String()),
      campaignId: Nullable(Type.String()),
      interactionId: Nullable(Type.String()),
      notes: Type.String(),
    }),
    { description: 'Callbacks still waiting or in progress' },
  ),
});
