// The live runtime's writes: interaction rows (one per contact, the timing
// phases of DOMAIN.md §2) and operators' state intervals. Each write is a small
// transaction of its own; closing an interaction writes its last phases, its
// disposition and the `interaction.completed` outbox event in one transaction,
// so a webhook exists exactly when the close committed (modules/webhooks/outbox.ts);
// the KPI rollups are brought up to date in that transaction too.
import { type Insertable, sql, type Updateable } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import type { AgentState, Channel, InteractionsTable } from '../db/schema.ts';
import { recordDialOutcome } from '../modules/campaigns/dialing.service.ts';
import { recordInteractionClosed } from '../modules/kpis/kpi-rollups.service.ts';
import {
  applyContactOutcome,
  type ContactOutcomeEffect,
} from '../modules/supporters/contact-outcomes.service.ts';
import { applyCycleOutcome } from '../modules/supporters/cycle-outcomes.service.ts';
import type { CycleOutcomeDetails } from '../modules/supporters/disposition-details.ts';
import { emitEvent, emitEvents } from '../modules/webhooks/outbox.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { type CallbackOutcome, setCallbackStatus } from './callbacks.store.ts';
import { openPendingEffect, type PendingEffect } from './pending-effect.ts';

export type InteractionPatch = Updateable<InteractionsTable>;

export type InsertInteractionOptions = {
  db: Database;
  orgId: string;
  id: string;
  number: string;
  remoteNumber: string | null;
  supporterId: string | null;
  createdAt: Date;
  /** An outbound call a person answered (its campaign, contact and dial phases), or a callback's dial. */
  outbound?: OutboundFields;
  /** Later phases already known when the row is written (the batched writer merges them in). */
  phases?: InteractionPatch;
};

/** The row `insertInteraction` writes. */
export function interactionRowValues(
  options: Omit<InsertInteractionOptions, 'db'>,
): Insertable<InteractionsTable> {
  return {
    id: options.id,
    org_id: options.orgId,
    channel: 'voice',
    direction: options.outbound ? 'outbound' : 'inbound',
    number: options.number,
    remote_number: options.remoteNumber,
    supporter_id: options.supporterId,
    created_at: options.createdAt,
    transfers: JSON.stringify([]) as never,
    ...options.outbound,
    ...(options.phases as Partial<Insertable<InteractionsTable>>),
  };
}

export async function insertInteraction(options: InsertInteractionOptions): Promise<void> {
  await options.db.forOrg(options.orgId, (tx) =>
    tx.insertInto('interactions').values(interactionRowValues(options)).execute(),
  );
}

type OutboundFields = Pick<
  Insertable<InteractionsTable>,
  | 'campaign_id'
  | 'campaign_contact_id'
  | 'attempt_number'
  | 'dialed_at'
  | 'callee_answered_at'
  | 'answered_by'
  | 'queue_id'
  | 'queued_at'
  | 'callback_id'
  | 'offered_at'
  | 'operator_id'
>;

export async function updateInteraction(options: {
  db: Database;
  orgId: string;
  id: string;
  patch: InteractionPatch;
}): Promise<void> {
  await options.db.forOrg(options.orgId, (tx) =>
    tx.updateTable('interactions').set(options.patch).where('id', '=', options.id).execute(),
  );
}

/** A giving effect of the disposition (upgrade, conversion, recapture, call back), already checked at submit. */
export type CycleOutcomeToApply = {
  details: CycleOutcomeDetails;
  operatorId: string;
  /** Seals a conversion's IBAN. */
  secrets: SecretBox | null;
};

/** Why a disposition's effect was not applied (the CRM changed between the submit and the close). */
export type EffectFailure = { code: string; message: string };

/**
 * The interaction's last phases, disposition and end cause, the disposition's
 * CRM effect on the identified supporter (if any) and the outbox event, atomically.
 *
 * A giving effect (`cycleOutcome`) was checked when the operator submitted it;
 * if it fails now (the commitment was deleted or changed meanwhile, the
 * creditor identifier removed…), its transaction rolls back whole — no amount
 * without its history, no commitment without its mandate — and the interaction
 * is closed again without it in a second transaction, which records the
 * failure (a `disposition.effect_failed` entry in the supporter's history and
 * `effectError` on the `interaction.completed` event): the contact and its
 * disposition are never lost to a refused effect.
 */
export type CloseInteractionOptions = {
  db: Database;
  orgId: string;
  id: string;
  patch: InteractionPatch;
  effect?: { effect: ContactOutcomeEffect; operatorId: string } | null;
  cycleOutcome?: CycleOutcomeToApply | null;
  /** An outbound call's contact: its call-list state moves with the close (done, retry, do not call, call back). */
  dialOutcome?: Omit<Parameters<typeof recordDialOutcome>[1], 'orgId' | 'at'> | null;
  /** A callback's dial attempt: its callback is done, waits again or is given up, with the close. */
  callbackOutcome?: CallbackOutcome | null;
  /** Told when the giving effect was refused and the interaction closed without it. */
  onEffectFailure?: (failure: EffectFailure) => void;
};

/** Resolves true when this call closed the interaction, false when it was closed already. */
export async function closeInteraction(options: CloseInteractionOptions): Promise<boolean> {
  if (!options.cycleOutcome) return closeIn(options, null);
  try {
    return await closeIn(options, options.cycleOutcome);
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    const effectFailure = {
      code: typeof e.code === 'string' ? e.code : 'EFFECT_FAILED',
      message: typeof e.message === 'string' ? e.message : String(error),
    };
    const closed = await closeIn(options, null, { failure: effectFailure, outcome: options.cycleOutcome });
    options.onEffectFailure?.(effectFailure);
    return closed;
  }
}

/** The call's date in the center's time zone (a mandate signed on the call is dated so). */
const centerDate = (at: Date) => at.toLocaleDateString('en-CA', { timeZone: 'Europe/Rome' });

async function closeIn(
  options: CloseInteractionOptions,
  cycleOutcome: CycleOutcomeToApply | null,
  failed?: { failure: EffectFailure; outcome: CycleOutcomeToApply },
): Promise<boolean> {
  const id = await options.db.forOrg(options.orgId, (tx) =>
    closeRowIn(tx, options, cycleOutcome, failed, true),
  );
  return id !== null;
}

/**
 * A close without a giving effect inside the caller's transaction of the
 * organization (the batched writer): the same writes as `closeInteraction`,
 * the KPI rollups left to the caller (`recordInteractionsClosed` once for
 * all) when `rollups` is false. Returns the closed row's id, or null when it
 * was already closed.
 */
export async function closeInteractionIn(
  tx: Tx,
  options: CloseInteractionOptions,
  o: { rollups: boolean },
): Promise<string | null> {
  if (options.cycleOutcome) throw new Error('closeInteractionIn: a giving effect needs closeInteraction');
  return closeRowIn(tx, options, null, undefined, o.rollups);
}

/**
 * A flush's phase updates of one organization's rows in one UPDATE (the
 * batched writer): each row gets the columns of its own patch, the others
 * stay as they are. A statement per row cost the writer a round trip each —
 * at 500 contacts a second, most of its time (README, live load).
 */
export async function updateInteractionsIn(
  tx: Tx,
  orgId: string,
  patches: readonly (readonly [string, InteractionPatch])[],
): Promise<void> {
  const { records, columns } = patchRecords(patches);
  if (columns.length === 0) return;
  await sql`${patchUpdate(orgId, records, columns)}`.execute(tx);
}

/**
 * Closes of one organization's rows that carry nothing but their fields (no
 * CRM effect, call-list or callback outcome: those go through
 * `closeInteractionIn`), in one UPDATE and one INSERT of their outbox events,
 * inside the batched writer's transaction; the KPI rollups are the caller's.
 * Returns the ids it closed, in the order given (a row closed already is
 * skipped, as `closeInteractionIn` does).
 */
export async function closeInteractionsIn(
  tx: Tx,
  orgId: string,
  closes: readonly { id: string; patch: InteractionPatch }[],
): Promise<string[]> {
  if (closes.length === 0) return [];
  const { records, columns } = patchRecords(closes.map((close) => [close.id, close.patch] as const));
  if (columns.length === 0) throw new Error('closeInteractionsIn: a close sets its fields');
  const { rows } = await sql<InteractionRow>`${patchUpdate(orgId, records, columns)}
    and i.end_cause is null
    returning i.*`.execute(tx);
  const order = new Map(closes.map((close, index) => [close.id, index]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  await emitEvents(tx, 'interaction.completed', rows.map(completedPayload));
  return rows.map((row) => row.id);
}

// jsonb columns reach the writer as JSON text (as kysely sends them); the
// batched statement reads the values as JSON, so they go in parsed.
const JSONB_COLUMNS = new Set(['transfers', 'pending_effect']);
const COLUMN_NAME = /^[a-z][a-z0-9_]*$/;

function patchRecords(patches: readonly (readonly [string, InteractionPatch])[]) {
  const columns = new Set<string>();
  const records = patches.map(([id, patch]) => {
    const record: Record<string, unknown> = { id };
    for (const [column, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      // Names come from the typed patch; checked anyway, as they are spliced into the statement.
      if (!COLUMN_NAME.test(column) || column === 'id' || column === 'org_id')
        throw new Error(`not an interaction column to patch: ${column}`);
      columns.add(column);
      record[column] = JSONB_COLUMNS.has(column) && typeof value === 'string' ? JSON.parse(value) : value;
    }
    return record;
  });
  return { records, columns: [...columns] };
}

/**
 * `update interactions … where` for many rows: jsonb_populate_record lays each
 * row's JSON over the row as it is, so a column its patch does not name keeps
 * its value (and an explicit null sets null, as a single-row update would).
 */
function patchUpdate(orgId: string, records: Record<string, unknown>[], columns: string[]) {
  const targets = sql.join(columns.map((column) => sql.ref(column)));
  const values = sql.join(columns.map((column) => sql.ref(`r.${column}`)));
  return sql`update interactions as i
    set (${targets}) = (select ${values} from jsonb_populate_record(i, e.p) as r)
    from jsonb_array_elements(${JSON.stringify(records)}::jsonb) as e(p)
    where i.id = (e.p ->> 'id')::uuid and i.org_id = ${orgId}`;
}

async function closeRowIn(
  tx: Tx,
  options: CloseInteractionOptions,
  cycleOutcome: CycleOutcomeToApply | null,
  failed: { failure: EffectFailure; outcome: CycleOutcomeToApply } | undefined,
  rollups: boolean,
): Promise<string | null> {
  let row = await tx
    .updateTable('interactions')
    .set(options.patch)
    .where('id', '=', options.id)
    .where('end_cause', 'is', null)
    .returningAll()
    .executeTakeFirst();
  // Already closed (a recovery raced a late event): nothing is counted twice.
  if (!row) return null;
  if (options.effect && row.supporter_id !== null)
    await applyContactOutcome(tx, {
      orgId: options.orgId,
      supporterId: row.supporter_id,
      effect: options.effect.effect,
      phone: row.remote_number,
      at: row.wrap_ended_at ?? row.ended_at ?? new Date(),
      interactionId: row.id,
      actor: `user:${options.effect.operatorId}`,
    });
  if (cycleOutcome) {
    const result = await applyCycleOutcome(tx, {
      contact: {
        orgId: options.orgId,
        interactionId: row.id,
        supporterId: row.supporter_id,
        queueId: row.queue_id,
        campaignId: row.campaign_id,
        remoteNumber: row.remote_number,
        operatorId: cycleOutcome.operatorId,
        callDate: centerDate(row.answered_at ?? row.created_at),
        notes: row.notes,
      },
      details: cycleOutcome.details,
      secrets: cycleOutcome.secrets,
    });
    if (result.outcomeAmountCents !== null)
      row = await tx
        .updateTable('interactions')
        .set({ outcome_amount_cents: result.outcomeAmountCents })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
  }
  if (options.dialOutcome) {
    const at = row.wrap_ended_at ?? row.ended_at ?? new Date();
    await recordDialOutcome(tx, { ...options.dialOutcome, orgId: options.orgId, at });
    // Reaching the supporter fulfils the campaign's call backs that were due.
    if (row.answered_at !== null && row.supporter_id !== null && row.campaign_id !== null)
      await tx
        .updateTable('callbacks')
        .set({ status: 'completed', updated_at: at })
        .where('campaign_id', '=', row.campaign_id)
        .where('supporter_id', '=', row.supporter_id)
        .where('status', '=', 'waiting')
        .where('due_at', '<=', at)
        .execute();
  }
  if (options.callbackOutcome)
    await setCallbackStatus(tx, options.callbackOutcome, row.wrap_ended_at ?? row.ended_at ?? new Date());
  if (failed && row.supporter_id !== null)
    await tx
      .insertInto('supporter_events')
      .values({
        org_id: options.orgId,
        supporter_id: row.supporter_id,
        kind: 'disposition.effect_failed',
        actor: `user:${failed.outcome.operatorId}`,
        details: JSON.stringify({
          interactionId: row.id,
          disposition: row.disposition,
          effect: failed.outcome.details.effect,
          ...failed.failure,
        }),
      })
      .execute();
  // The KPI rollups (issue 7) count the interaction in the same commit as its close.
  if (rollups) await recordInteractionClosed(tx, { orgId: options.orgId, interactionId: row.id });
  await emitEvent(tx, 'interaction.completed', {
    ...completedPayload(row),
    ...(failed ? { effectError: failed.failure } : {}),
  });
  return row.id;
}

type InteractionRow = {
  id: string;
  direction: string;
  campaign_id: string | null;
  number: string | null;
  remote_number: string | null;
  queue_id: string | null;
  operator_id: string | null;
  supporter_id: string | null;
  created_at: Date;
  queued_at: Date | null;
  answered_at: Date | null;
  abandoned_at: Date | null;
  ended_at: Date | null;
  wrap_ended_at: Date | null;
  outcome: string | null;
  disposition: string | null;
  end_cause: string | null;
};

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

function completedPayload(row: InteractionRow): Record<string, unknown> {
  return {
    interactionId: row.id,
    direction: row.direction,
    campaignId: row.campaign_id,
    number: row.number,
    remoteNumber: row.remote_number,
    queueId: row.queue_id,
    operatorId: row.operator_id,
    supporterId: row.supporter_id,
    createdAt: iso(row.created_at),
    queuedAt: iso(row.queued_at),
    answeredAt: iso(row.answered_at),
    abandonedAt: iso(row.abandoned_at),
    endedAt: iso(row.ended_at),
    wrapEndedAt: iso(row.wrap_ended_at),
    outcome: row.outcome,
    disposition: row.disposition,
    endCause: row.end_cause,
  };
}

/**
 * Closes the operator's open interval at `at` and, unless the new state is
 * `offline` (logged-out time is not the center's), opens the next one.
 */
export async function switchAgentState(options: {
  db: Database;
  userId: string;
  at: Date;
  state: AgentState;
  reason: string | null;
  orgId: string | null;
  queueId: string | null;
  channel: Channel | null;
}): Promise<void> {
  await options.db.asCenter(async (tx) => {
    const closed = await tx
      .updateTable('agent_state_intervals')
      .set({ ended_at: options.at })
      .where('user_id', '=', options.userId)
      .where('ended_at', 'is', null)
      .returningAll()
      .execute();
    await emitIntervalEvents(tx, closed);
    if (options.state === 'offline') return;
    await tx
      .insertInto('agent_state_intervals')
      .values({
        user_id: options.userId,
        org_id: options.orgId,
        state: options.state,
        reason: options.reason,
        queue_id: options.queueId,
        channel: options.channel,
        started_at: options.at,
      })
      .execute();
  });
}

/** A closed interval of the agent-state log, as the outbox reports it. */
export type ClosedInterval = {
  user_id: string;
  org_id: string | null;
  state: string;
  reason: string | null;
  queue_id: string | null;
  channel: string | null;
  started_at: Date;
  ended_at: Date | null;
};

/**
 * The agent-state log through the outbox (`agent.state_interval`): each
 * interval an operator spent on an organization's work, once closed, for that
 * organization's webhooks and reporting. Time serving no organization
 * (available, paused) is the center's and has no organization to go to.
 * In a center unit of work (the log is the center's).
 */
export async function emitIntervalEvents(tx: Tx, intervals: readonly ClosedInterval[]): Promise<void> {
  const events = intervals
    .filter((row) => row.org_id !== null && row.ended_at !== null)
    .map((row) => ({
      orgId: row.org_id,
      userId: row.user_id,
      state: row.state,
      reason: row.reason,
      queueId: row.queue_id,
      channel: row.channel,
      startedAt: row.started_at.toISOString(),
      endedAt: row.ended_at!.toISOString(),
    }));
  if (events.length === 0) return;
  await sql`insert into outbox_events (org_id, type, payload)
            select (e->>'orgId')::uuid, 'agent.state_interval', e - 'orgId'
            from jsonb_array_elements(${JSON.stringify(events)}::jsonb) as e`.execute(tx);
}

export type RecoveryReport = { interactionsClosed: number; intervalsClosed: number };

/**
 * After a stop (even SIGKILL): every interaction still open is closed with
 * end_cause `system_restart` (its ended_at kept if the call had ended, else
 * `at`), with its outbox event; every open state interval is closed at `at`,
 * so operators start logged out. Safe to run twice.
 *
 * A contact whose disposition was recorded is closed with what the close
 * would have done: its CRM effect (`pending_effect`, live/pending-effect.ts;
 * refused by the CRM → closed without it and the failure recorded, as at a
 * live close), its call-list contact done or called back, its callback
 * completed. The others are closed together.
 */
export async function recoverOpenWork(options: {
  db: Database;
  at: Date;
  secrets?: SecretBox | null;
  logger?: { warn(details: object, message: string): void };
}): Promise<RecoveryReport> {
  const open = await options.db.asCenter((tx) =>
    tx
      .selectFrom('interactions')
      .select([
        'id',
        'org_id',
        'disposition',
        'pending_effect',
        'ended_at',
        'campaign_contact_id',
        'callback_id',
      ])
      .where('end_cause', 'is', null)
      .execute(),
  );
  let interactionsClosed = 0;
  for (const row of open.filter((r) => r.disposition !== null)) {
    if (await closeRecordedContact(options, row)) interactionsClosed += 1;
  }
  const byOrg = Map.groupBy(
    open.filter((r) => r.disposition === null),
    (row) => row.org_id,
  );
  for (const [orgId, rows] of byOrg) {
    interactionsClosed += await options.db.forOrg(orgId, async (tx) => {
      const closed = await tx
        .updateTable('interactions')
        .set((eb) => ({
          end_cause: 'system_restart',
          ended_at: eb.fn.coalesce('ended_at', eb.val(options.at)),
        }))
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .where('end_cause', 'is', null)
        .returningAll()
        .execute();
      for (const row of closed) await recordInteractionClosed(tx, { orgId, interactionId: row.id });
      await emitEvents(tx, 'interaction.completed', closed.map(completedPayload));
      return closed.length;
    });
  }
  const intervals = await options.db.asCenter((tx) =>
    tx
      .updateTable('agent_state_intervals')
      .set((eb) => ({
        // An interval opened after `at` (a clock ahead of this one) ends where it started.
        ended_at: eb.fn('greatest', ['started_at', eb.val(options.at)]),
      }))
      .where('ended_at', 'is', null)
      .returningAll()
      .execute()
      .then(async (rows) => {
        await emitIntervalEvents(tx, rows);
        return rows;
      }),
  );
  return { interactionsClosed, intervalsClosed: intervals.length };
}

/** One open contact with its disposition recorded, closed by recovery as its live close would have. */
async function closeRecordedContact(
  options: Parameters<typeof recoverOpenWork>[0],
  row: {
    id: string;
    org_id: string;
    pending_effect: unknown;
    ended_at: Date | null;
    campaign_contact_id: string | null;
    callback_id: string | null;
  },
): Promise<boolean> {
  const orgId = row.org_id;
  let pending: PendingEffect | null = null;
  let unreadable: EffectFailure | null = null;
  if (row.pending_effect !== null) {
    try {
      pending = openPendingEffect(row.pending_effect, orgId, options.secrets ?? null);
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      unreadable = {
        code: typeof e.code === 'string' ? e.code : 'PENDING_EFFECT_UNREADABLE',
        message: typeof e.message === 'string' ? e.message : String(error),
      };
    }
  }
  const details = pending?.details ?? null;
  const patch = {
    end_cause: 'system_restart' as const,
    ended_at: row.ended_at ?? options.at,
    pending_effect: null,
  };
  const warn = (failure: EffectFailure, message: string) =>
    options.logger?.warn({ interactionId: row.id, ...failure }, message);
  if (unreadable)
    warn(
      unreadable,
      'disposition effect left by a stopped process could not be read; contact closed without it',
    );
  try {
    return await closeInteraction({
      db: options.db,
      orgId,
      id: row.id,
      patch,
      effect: pending?.effect ? { effect: pending.effect, operatorId: pending.operatorId } : null,
      cycleOutcome:
        pending && details
          ? { details, operatorId: pending.operatorId, secrets: options.secrets ?? null }
          : null,
      // A disposition means the supporter was reached: the contact is done, or called back when asked.
      dialOutcome:
        row.campaign_contact_id === null
          ? null
          : pending?.effect === 'do_not_call'
            ? { contactId: row.campaign_contact_id, outcome: 'do_not_call' }
            : details?.effect === 'call_back'
              ? {
                  contactId: row.campaign_contact_id,
                  outcome: 'reached',
                  callBackAt: new Date(details.at),
                  ownerUserId: details.owner === 'me' ? pending!.operatorId : null,
                }
              : { contactId: row.campaign_contact_id, outcome: 'reached' },
      callbackOutcome: row.callback_id === null ? null : { callbackId: row.callback_id, status: 'completed' },
      onEffectFailure: (failure) => warn(failure, 'disposition effect refused at recovery'),
    });
  } catch (error) {
    // The contact effect or the call list refused it (the supporter or contact deleted meanwhile):
    // the start must not fail on one contact, which closes with its disposition alone.
    const e = error as { code?: unknown; message?: unknown };
    warn(
      {
        code: typeof e.code === 'string' ? e.code : 'EFFECT_FAILED',
        message: typeof e.message === 'string' ? e.message : String(error),
      },
      'disposition effect refused at recovery; contact closed without it',
    );
    return closeInteraction({ db: options.db, orgId, id: row.id, patch });
  }
}

/** A preview contact taken but never dialed (its task left the queue): due again, its attempt counted. */
export async function releaseContact(options: {
  db: Database;
  orgId: string;
  contactId: string;
  at: Date;
}): Promise<void> {
  await options.db.forOrg(options.orgId, (tx) =>
    tx
      .updateTable('campaign_contacts')
      .set({ status: 'pending', updated_at: options.at })
      .where('id', '=', options.contactId)
      .where('status', '=', 'in_progress')
      .execute(),
  );
}
