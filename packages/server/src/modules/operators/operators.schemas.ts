// Schemas and roles of the operator API and the supervisor's live views.
import { Type } from 'typebox';
import type { Role } from '../auth/principal.ts';

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
export const InteractionParams = Type.Object(
  { interactionId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export const DispositionBody = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', examples: ['reached'] }),
    notes: Type.Optional(Type.String({ maxLength: 10_000 })),
    endWrapUp: Type.Optional(
      Type.Boolean({ default: true, description: 'End the wrap-up with it (after the call); default true' }),
    ),
  },
  { additionalProperties: false },
);
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
