// The outbox: a domain event is a row written in the same transaction as the
// change it describes, so an event exists exactly when its change committed.
// The webhook dispatcher (webhooks.dispatcher.ts) fans the rows out to the
// organization's subscriptions. Payloads never carry a full IBAN.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';

export const EVENT_TYPES = [
  'supporter.created',
  'supporter.updated',
  'supporter.merged',
  'consent.changed',
  'commitment.changed',
  'gift.recorded',
  'import.completed',
  'interaction.completed',
  // A metric of the SLA contract fell below its minimum in its current window, or recovered (modules/sla).
  'alert.sla',
  'callback.scheduled',
  // An operator's closed interval of work for the organization (the agent-state log, live/).
  'agent.state_interval',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Writes one event for the unit of work's organization (`app.org_id`). */
export async function emitEvent(tx: Tx, type: EventType, data: Record<string, unknown>): Promise<void> {
  await sql`insert into outbox_events (org_id, type, payload)
            values (app_current_org(), ${type}, ${JSON.stringify(data)}::jsonb)`.execute(tx);
}

/** Many events of one type in one statement (imports). */
export async function emitEvents(
  tx: Tx,
  type: EventType,
  data: readonly Record<string, unknown>[],
): Promise<void> {
  if (data.length === 0) return;
  await sql`insert into outbox_events (org_id, type, payload)
            select app_current_org(), ${type}, value
            from jsonb_array_elements(${JSON.stringify(data)}::jsonb)`.execute(tx);
}
