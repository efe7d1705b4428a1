// Shapes of the live center API (packages/server/src/modules/operators/operators.schemas.ts).

export type CallerMatch = { supporterId: string; firstName: string; lastName: string; status: string };

export type Offer = {
  offerId: string;
  callId: string | null;
  direction: string;
  orgId: string;
  queueId: string;
  campaignId: string | null;
  cycleType: string | null;
  dispositions: string[];
  at: number;
  expiresAt: number;
  screenPop: CallerMatch[];
};

export type Interaction = {
  interactionId: string;
  callId: string;
  orgId: string;
  queueId: string | null;
  phase: string;
  callerId: string | null;
  number: string;
  screenPop: CallerMatch[];
  answeredAt: string | null;
  endedAt: string | null;
  onHold: boolean;
  disposition: { code: string; notes: string; successful: boolean; effect: string } | null;
  dispositions: string[];
  campaignId?: string | null;
  cycleType?: string | null;
};

export type OperatorStatus = {
  userId: string;
  displayName: string;
  state: string;
  presence: string;
  reason: string | null;
  since: string;
};

export type OperatorSession = OperatorStatus & { offer: Offer | null; interaction: Interaction | null };

export type QueueLiveStats = {
  queueId: string;
  key: string;
  name: string;
  waiting: number;
  longestWaitSeconds: number;
  idleOperators: number;
  serviceLevelPercent: number | null;
  answeredToday: number;
  abandonedToday: number;
};

export type Organization = { id: string; name: string; timeZone?: string; kind?: string };

/** Why an offer left the operator (`interaction.offer_withdrawn`, live/runtime.ts). */
export type OfferWithdrawnReason =
  | 'timed_out'
  | 'accepted_elsewhere'
  | 'task_abandoned'
  | 'agent_unavailable'
  | 'dial_failed'
  | 'transferred';

export type OfferWithdrawn = { offerId: string; reason: OfferWithdrawnReason; at: number };

/** `interaction.transferred`: the call handed on to a queue or to a colleague. */
export type InteractionTransferred = {
  interactionId: string;
  queueId: string | null;
  operatorId: string | null;
  fromOperatorId: string;
  at: string;
} & ({ toQueueId: string } | { toOperatorId: string });
