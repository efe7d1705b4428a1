// Builders for the KPI tests: contacts described by their offsets in seconds
// from a base instant, so each expected value can be worked out by hand.

import type { AgentStateInterval, InteractionRecord } from './kpi.types.ts';

export const ORG = 'org-1';

/** Epoch ms of an ISO text with offset. */
export function ms(iso: string): number {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new Error(`bad test instant ${iso}`);
  return value;
}

type InboundSpec = {
  id: string;
  /** Queued at base + this many seconds (default 0). */
  at?: number;
  answerAfter?: number;
  abandonAfter?: number;
  /** Talk seconds (excluding hold) after the answer; the contact ends then. */
  talk?: number;
  hold?: number;
  wrap?: number;
  transferred?: boolean;
  supporterId?: string;
  queue?: string;
  operator?: string;
  channel?: string;
};

export function inbound(baseMs: number, spec: InboundSpec): InteractionRecord {
  const queuedAt = baseMs + (spec.at ?? 0) * 1000;
  const record: InteractionRecord = {
    id: spec.id,
    orgId: ORG,
    channel: spec.channel ?? 'voice',
    direction: 'inbound',
    queue: spec.queue ?? 'care',
    operator: spec.operator ?? null,
    supporterId: spec.supporterId ?? null,
    createdAt: queuedAt - 5000,
    queuedAt,
  };
  if (spec.answerAfter !== undefined) {
    record.answeredAt = queuedAt + spec.answerAfter * 1000;
    record.operator = spec.operator ?? 'op-1';
    if (spec.talk !== undefined) {
      const hold = spec.hold ?? 0;
      record.endedAt = record.answeredAt + (spec.talk + hold) * 1000;
      record.holdSeconds = hold;
      if (spec.wrap !== undefined) record.wrapEndedAt = record.endedAt + spec.wrap * 1000;
    }
  }
  if (spec.abandonAfter !== undefined) record.abandonedAt = queuedAt + spec.abandonAfter * 1000;
  if (spec.transferred) record.transferred = true;
  return record;
}

export function agentState(
  operator: string,
  state: AgentStateInterval['state'],
  fromIso: string,
  toIso: string,
  extra: Partial<AgentStateInterval> = {},
): AgentStateInterval {
  return { operator, state, from: fromIso, to: toIso, orgId: ORG, ...extra };
}
