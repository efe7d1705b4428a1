// Regular gifts (commitments): creation with their SEPA mandate, status
// transitions and amount changes. Every status and amount change writes a
// commitment_events row (reason, effective date, interaction, actor) and a
// `commitment.changed` outbox event in the caller's unit of work, so the live
// call dispositions can change a commitment inside their own transaction.
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type {
  CommitmentFrequency,
  CommitmentMethod,
  CommitmentStatus,
  CommitmentsTable,
} from '../../db/schema.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { Principal } from '../auth/principal.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import { givingErrors, isUniqueViolation } from './giving.errors.ts';
import {
  auditIbanReveal,
  insertMandate,
  MANDATE_COLUMNS,
  type Mandate,
  type MandateInput,
  type MandateRow,
  mandateView,
} from './mandates.service.ts';

export type Commitment = {
  id: string;
  supporterId: string;
  externalId: string | null;
  amountCents: number;
  currency: string;
  frequency: CommitmentFrequency;
  method: CommitmentMethod;
  startDate: string;
  endDate: string | null;
  status: CommitmentStatus;
  campaignCode: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  mandate: Mandate | null;
};

export type CommitmentEvent = {
  id: string;
  at: string;
  /** mandate_revoked / mandate_expired: the commitment's SEPA mandate ended (see mandate-lifecycle.service.ts). */
  kind: 'created' | 'status_changed' | 'amount_changed' | 'mandate_revoked' | 'mandate_expired';
  fromStatus: CommitmentStatus | null;
  toStatus: CommitmentStatus | null;
  fromAmountCents: number | null;
  toAmountCents: number | null;
  effectiveDate: string | null;
  reason: string;
  interactionId: string | null;
  actor: string;
};

/**
 * Allowed status changes. Cancelled → active is a reactivation and lapsed → active a
 * recapture (DOMAIN.md §5); a paused commitment resumes, is cancelled, but does not lapse
 * (it is not expected to pay).
 */
export const STATUS_TRANSITIONS: Readonly<Record<CommitmentStatus, readonly CommitmentStatus[]>> = {
  active: ['paused', 'cancelled', 'lapsed'],
  paused: ['active', 'cancelled'],
  cancelled: ['active'],
  lapsed: ['active'],
};

/** How a change is attributed in commitment_events.actor: `user:<id>`, `api_key:<id>` or `system`. */
export function actorLabel(principal: Principal | null): string {
  if (!principal) return 'system';
  return principal.kind === 'user' ? `user:${principal.userId}` : `api_key:${principal.keyId}`;
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function utcDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export const COMMITMENT_COLUMNS = [
  'id',
  'org_id',
  'supporter_id',
  'external_id',
  'amount_cents',
  'currency',
  'frequency',
  'method',
  'start_date',
  'end_date',
  'status',
  'campaign_code',
  'version',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof CommitmentsTable)[];

export type CommitmentRow = {
  id: string;
  org_id: string;
  supporter_id: string;
  external_id: string | null;
  amount_cents: number;
  currency: string;
  frequency: CommitmentFrequency;
  method: CommitmentMethod;
  start_date: string;
  end_date: string | null;
  status: CommitmentStatus;
  campaign_code: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
};

export function toCommitment(row: CommitmentRow, mandate: Mandate | null): Commitment {
  return {
    id: row.id,
    supporterId: row.supporter_id,
    externalId: row.external_id,
    amountCents: row.amount_cents,
    currency: row.currency,
    frequency: row.frequency,
    method: row.method,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    campaignCode: row.campaign_code,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    mandate,
  };
}

/** What a `commitment.changed` event carries: the commitment's state and the change, never bank data. */
export function changedPayload(row: CommitmentRow, changes: Record<string, unknown>[]) {
  return {
    commitmentId: row.id,
    supporterId: row.supporter_id,
    externalId: row.external_id,
    status: row.status,
    amountCents: row.amount_cents,
    currency: row.currency,
    frequency: row.frequency,
    method: row.method,
    startDate: row.start_date,
    endDate: row.end_date,
    campaignCode: row.campaign_code,
    version: row.version,
    changes,
  };
}

export async function assertSupporterExists(tx: Tx, orgId: string, supporterId: string): Promise<void> {
  const supporter = await tx
    .selectFrom('supporters')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', '=', supporterId)
    .executeTakeFirst();
  if (!supporter) throw givingErrors.supporterNotFound();
}

/**
 * Before money is attached to a supporter: it must exist (404) and not have been
 * merged into another record (409 SUPPORTER_MERGED naming the kept one). A merged
 * record is hidden from supporter lists and search: money recorded on it would be out
 * of sight, and counted in donor metrics as a second donor instead of the kept one.
 */
export async function assertSupporterAcceptsGiving(
  tx: Tx,
  orgId: string,
  supporterId: string,
): Promise<void> {
  const supporter = await tx
    .selectFrom('supporters')
    .select('merged_into')
    .where('org_id', '=', orgId)
    .where('id', '=', supporterId)
    .executeTakeFirst();
  if (!supporter) throw givingErrors.supporterNotFound();
  if (supporter.merged_into) throw givingErrors.supporterMerged(supporter.merged_into);
}

export type NewCommitment = {
  orgId: string;
  supporterId: string;
  amountCents: number;
  currency?: string | undefined;
  frequency: CommitmentFrequency;
  method: CommitmentMethod;
  startDate: string;
  endDate?: string | null | undefined;
  /** Default active; an import may bring a commitment that is already paused, cancelled or lapsed. */
  status?: CommitmentStatus | undefined;
  campaignCode?: string | null | undefined;
  externalId?: string | null | undefined;
  /** Required with method sepa_direct_debit, refused otherwise. */
  mandate?: MandateInput | undefined;
  reason?: string | undefined;
  interactionId?: string | null | undefined;
  actor: string;
};

/**
 * Creates a commitment (and its mandate when paid by SEPA direct debit) in the caller's
 * unit of work, with its `created` event and a `commitment.changed` outbox event.
 * The supporter must exist in the organization (404 otherwise) and not be merged (409).
 */
export async function createCommitmentWithMandate(
  tx: Tx,
  secrets: SecretBox,
  input: NewCommitment,
): Promise<Commitment> {
  if (input.method === 'sepa_direct_debit' && !input.mandate) throw givingErrors.mandateRequired();
  if (input.method !== 'sepa_direct_debit' && input.mandate) throw givingErrors.mandateNotAllowed();
  if (input.endDate && input.endDate < input.startDate) throw givingErrors.datesInvalid();
  await assertSupporterAcceptsGiving(tx, input.orgId, input.supporterId);
  if (input.externalId) {
    const taken = await tx
      .selectFrom('commitments')
      .select('id')
      .where('org_id', '=', input.orgId)
      .where('external_id', '=', input.externalId)
      .executeTakeFirst();
    if (taken) throw givingErrors.commitmentExternalIdTaken();
  }
  let row: CommitmentRow;
  try {
    row = await tx
      .insertInto('commitments')
      .values({
        org_id: input.orgId,
        supporter_id: input.supporterId,
        external_id: input.externalId ?? null,
        amount_cents: input.amountCents,
        currency: input.currency ?? 'EUR',
        frequency: input.frequency,
        method: input.method,
        start_date: input.startDate,
        end_date: input.endDate ?? null,
        status: input.status ?? 'active',
        campaign_code: input.campaignCode ?? null,
      })
      .returning(COMMITMENT_COLUMNS)
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error, 'commitments_external_id')) throw givingErrors.commitmentExternalIdTaken();
    throw error;
  }
  let mandate: MandateRow | null = null;
  if (input.mandate) {
    try {
      mandate = await insertMandate(tx, secrets, {
        orgId: input.orgId,
        commitmentId: row.id,
        mandate: input.mandate,
      });
    } catch (error) {
      // Two creations racing for one reference: the index decides.
      if (isUniqueViolation(error, 'mandates_org_id_creditor_id_reference_key')) {
        throw givingErrors.mandateReferenceTaken(input.mandate.reference ?? '');
      }
      throw error;
    }
  }
  const change = {
    kind: 'created' as const,
    toStatus: row.status,
    toAmountCents: row.amount_cents,
    effectiveDate: row.start_date,
    reason: input.reason ?? '',
    interactionId: input.interactionId ?? null,
  };
  await tx
    .insertInto('commitment_events')
    .values({
      org_id: input.orgId,
      commitment_id: row.id,
      supporter_id: row.supporter_id,
      kind: 'created',
      to_status: change.toStatus,
      to_amount_cents: change.toAmountCents,
      effective_date: change.effectiveDate,
      reason: change.reason,
      interaction_id: change.interactionId,
      actor: input.actor,
    })
    .execute();
  await emitEvent(tx, 'commitment.changed', changedPayload(row, [{ ...change, actor: input.actor }]));
  return toCommitment(row, mandate && mandateView(mandate, { secrets, orgId: input.orgId }));
}

export type CommitmentChanges = {
  status?: CommitmentStatus | undefined;
  amountCents?: number | undefined;
  frequency?: CommitmentFrequency | undefined;
  endDate?: string | null | undefined;
  campaignCode?: string | null | undefined;
  externalId?: string | null | undefined;
};

export type ChangeContext = {
  commitmentId: string;
  /** Why: required for a status or an amount change. */
  reason?: string | undefined;
  /** When the change takes effect, `YYYY-MM-DD`; default today (UTC). */
  effectiveDate?: string | undefined;
  /** The call or contact that caused the change (an upgrade call, for example). */
  interactionId?: string | null | undefined;
  actor: string;
  /** Optimistic concurrency: the version the caller saw (409 when it changed). */
  expectedVersion?: number | undefined;
  /**
   * Changes to the commitment's own parts made in the same unit of work (its mandate
   * revoked or expired), announced first in the same `commitment.changed` event.
   */
  related?: Record<string, unknown>[] | undefined;
};

/**
 * Applies the changes in the caller's unit of work: one version increment, one
 * commitment_events row per status or amount change, one `commitment.changed` event.
 * A change to the current value is no change (no version increment, no event).
 */
export async function updateCommitmentIn(
  tx: Tx,
  context: ChangeContext,
  changes: CommitmentChanges,
): Promise<{ row: CommitmentRow; changed: boolean }> {
  const current = (await tx
    .selectFrom('commitments')
    .select(COMMITMENT_COLUMNS)
    .where('id', '=', context.commitmentId)
    .forUpdate()
    .executeTakeFirst()) as CommitmentRow | undefined;
  if (!current) throw givingErrors.commitmentNotFound();
  if (context.expectedVersion !== undefined && context.expectedVersion !== current.version) {
    throw givingErrors.versionConflict(current.version);
  }
  const statusChange =
    changes.status !== undefined && changes.status !== current.status ? changes.status : undefined;
  const amountChange =
    changes.amountCents !== undefined && changes.amountCents !== current.amount_cents
      ? changes.amountCents
      : undefined;
  const set: Partial<Record<keyof CommitmentRow, unknown>> = {};
  if (statusChange !== undefined) {
    if (!STATUS_TRANSITIONS[current.status].includes(statusChange)) {
      throw givingErrors.transitionInvalid(current.status, statusChange);
    }
    set.status = statusChange;
  }
  if (amountChange !== undefined) set.amount_cents = amountChange;
  if (changes.frequency !== undefined && changes.frequency !== current.frequency) {
    set.frequency = changes.frequency;
  }
  if (changes.endDate !== undefined && changes.endDate !== current.end_date) {
    if (changes.endDate !== null && changes.endDate < current.start_date) throw givingErrors.datesInvalid();
    set.end_date = changes.endDate;
  }
  if (changes.campaignCode !== undefined && changes.campaignCode !== current.campaign_code) {
    set.campaign_code = changes.campaignCode;
  }
  if (changes.externalId !== undefined && changes.externalId !== current.external_id) {
    if (changes.externalId !== null) {
      const taken = await tx
        .selectFrom('commitments')
        .select('id')
        .where('org_id', '=', current.org_id)
        .where('external_id', '=', changes.externalId)
        .executeTakeFirst();
      if (taken) throw givingErrors.commitmentExternalIdTaken();
    }
    set.external_id = changes.externalId;
  }
  if (Object.keys(set).length === 0) return { row: current, changed: false };
  const reason = context.reason?.trim() ?? '';
  if ((statusChange !== undefined || amountChange !== undefined) && reason === '') {
    throw givingErrors.reasonRequired();
  }
  const effectiveDate = context.effectiveDate ?? utcDate();
  const interactionId = context.interactionId ?? null;

  const row = (await tx
    .updateTable('commitments')
    .set({ ...(set as object), version: current.version + 1, updated_at: new Date() })
    .where('id', '=', current.id)
    .returning(COMMITMENT_COLUMNS)
    .executeTakeFirstOrThrow()) as CommitmentRow;

  const base = {
    org_id: current.org_id,
    commitment_id: current.id,
    supporter_id: current.supporter_id,
    effective_date: effectiveDate,
    reason,
    interaction_id: interactionId,
    actor: context.actor,
  };
  const events: Record<string, unknown>[] = [];
  if (statusChange !== undefined) {
    await tx
      .insertInto('commitment_events')
      .values({ ...base, kind: 'status_changed', from_status: current.status, to_status: statusChange })
      .execute();
    events.push({ kind: 'status_changed', fromStatus: current.status, toStatus: statusChange });
  }
  if (amountChange !== undefined) {
    await tx
      .insertInto('commitment_events')
      .values({
        ...base,
        kind: 'amount_changed',
        from_amount_cents: current.amount_cents,
        to_amount_cents: amountChange,
      })
      .execute();
    events.push({
      kind: 'amount_changed',
      fromAmountCents: current.amount_cents,
      toAmountCents: amountChange,
    });
  }
  const fields = Object.keys(set).filter((key) => key !== 'status' && key !== 'amount_cents');
  if (fields.length > 0) {
    events.push({
      kind: 'updated',
      fields: fields.map((key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase())),
    });
  }
  await emitEvent(
    tx,
    'commitment.changed',
    changedPayload(row, [
      ...(context.related ?? []),
      ...events.map((event) => ({ ...event, effectiveDate, reason, interactionId, actor: context.actor })),
    ]),
  );
  return { row, changed: true };
}

export async function loadMandate(tx: Tx, commitmentId: string): Promise<MandateRow | undefined> {
  return tx
    .selectFrom('mandates')
    .select(MANDATE_COLUMNS)
    .where('commitment_id', '=', commitmentId)
    .executeTakeFirst();
}

/** Changes the amount of a commitment in the caller's unit of work (an upgrade or a downgrade). */
export async function changeCommitmentAmount(
  tx: Tx,
  options: Omit<ChangeContext, 'reason'> & { amountCents: number; reason: string },
): Promise<{ commitmentId: string; amountCents: number; version: number; changed: boolean }> {
  const { row, changed } = await updateCommitmentIn(tx, options, { amountCents: options.amountCents });
  return { commitmentId: row.id, amountCents: row.amount_cents, version: row.version, changed };
}

/** Moves a commitment to another status (see STATUS_TRANSITIONS) in the caller's unit of work. */
export async function setCommitmentStatus(
  tx: Tx,
  options: Omit<ChangeContext, 'reason'> & { status: CommitmentStatus; reason: string },
): Promise<{ commitmentId: string; status: CommitmentStatus; version: number; changed: boolean }> {
  const { row, changed } = await updateCommitmentIn(tx, options, { status: options.status });
  return { commitmentId: row.id, status: row.status, version: row.version, changed };
}

// ---- API-facing functions: each one unit of work ----

export async function createCommitment(
  options: { db: Database; secrets: SecretBox } & NewCommitment,
): Promise<Commitment> {
  const { db, secrets, ...input } = options;
  return db.forOrg(input.orgId, (tx) => createCommitmentWithMandate(tx, secrets, input));
}

export async function updateCommitment(options: {
  db: Database;
  secrets: SecretBox;
  orgId: string;
  context: ChangeContext;
  changes: CommitmentChanges;
}): Promise<Commitment> {
  return options.db.forOrg(options.orgId, async (tx) => {
    let result: Awaited<ReturnType<typeof updateCommitmentIn>>;
    try {
      result = await updateCommitmentIn(tx, options.context, options.changes);
    } catch (error) {
      if (isUniqueViolation(error, 'commitments_external_id')) throw givingErrors.commitmentExternalIdTaken();
      throw error;
    }
    const mandate = await loadMandate(tx, result.row.id);
    return toCommitment(
      result.row,
      mandate ? mandateView(mandate, { secrets: options.secrets, orgId: options.orgId }) : null,
    );
  });
}

/**
 * One commitment with its mandate, the IBAN masked. With `revealIban`, the principal
 * must have bank-data access (403 otherwise) and the reveal is audited; a reveal is a
 * write (the audit row), so it runs in a read-write unit.
 */
export async function getCommitment(options: {
  db: Database;
  secrets: SecretBox;
  orgId: string;
  commitmentId: string;
  principal: Principal;
  revealIban?: boolean;
}): Promise<Commitment> {
  const { orgId, secrets, principal } = options;
  if (options.revealIban && !principal.bankDataAccess) {
    throw givingErrors.bankDataAccessRequired();
  }
  const work = async (tx: Tx) => {
    const row = (await tx
      .selectFrom('commitments')
      .select(COMMITMENT_COLUMNS)
      .where('id', '=', options.commitmentId)
      .executeTakeFirst()) as CommitmentRow | undefined;
    if (!row) throw givingErrors.commitmentNotFound();
    const mandate = await loadMandate(tx, row.id);
    if (mandate && options.revealIban) {
      await auditIbanReveal(tx, { orgId, principal, mandateId: mandate.id, commitmentId: row.id });
    }
    return toCommitment(
      row,
      mandate ? mandateView(mandate, { secrets, orgId, reveal: options.revealIban ?? false }) : null,
    );
  };
  return options.revealIban ? options.db.forOrg(orgId, work) : options.db.readForOrg(orgId, work);
}

export async function listSupporterCommitments(options: {
  db: Database;
  secrets: SecretBox;
  orgId: string;
  supporterId: string;
}): Promise<Commitment[]> {
  const { orgId, secrets } = options;
  return options.db.readForOrg(orgId, async (tx) => {
    await assertSupporterExists(tx, orgId, options.supporterId);
    const rows = (await tx
      .selectFrom('commitments')
      .select(COMMITMENT_COLUMNS)
      .where('org_id', '=', orgId)
      .where('supporter_id', '=', options.supporterId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()) as CommitmentRow[];
    const mandates =
      rows.length === 0
        ? []
        : await tx
            .selectFrom('mandates')
            .select(MANDATE_COLUMNS)
            .where(
              'commitment_id',
              'in',
              rows.map((row) => row.id),
            )
            .execute();
    const byCommitment = new Map(mandates.map((mandate) => [mandate.commitment_id, mandate]));
    return rows.map((row) => {
      const mandate = byCommitment.get(row.id);
      return toCommitment(row, mandate ? mandateView(mandate, { secrets, orgId }) : null);
    });
  });
}

/**
 * The commitment's history, newest first: its own events (creation, status and amount
 * changes) and the end of its mandate (revoked, expired), which is recorded in the
 * supporter's timeline (supporter_events) and shown here too. At the same instant a
 * mandate's end sorts below the status change it caused.
 */
export async function commitmentHistory(options: {
  db: Database;
  orgId: string;
  commitmentId: string;
}): Promise<CommitmentEvent[]> {
  return options.db.readForOrg(options.orgId, async (tx) => {
    const commitment = await tx
      .selectFrom('commitments')
      .select(['id', 'supporter_id'])
      .where('id', '=', options.commitmentId)
      .executeTakeFirst();
    if (!commitment) throw givingErrors.commitmentNotFound();
    const rows = await tx
      .selectFrom('commitment_events')
      .selectAll()
      .where('org_id', '=', options.orgId)
      .where('commitment_id', '=', options.commitmentId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    const mandateRows = await tx
      .selectFrom('supporter_events')
      .select(['id', 'at', 'kind', 'details', 'actor'])
      .where('supporter_id', '=', commitment.supporter_id)
      .where('kind', 'in', MANDATE_END_KINDS)
      .where(sql<boolean>`details->>'commitmentId' = ${options.commitmentId}`)
      .execute();
    const own: CommitmentEvent[] = rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      kind: row.kind,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      fromAmountCents: row.from_amount_cents,
      toAmountCents: row.to_amount_cents,
      effectiveDate: row.effective_date,
      reason: row.reason,
      interactionId: row.interaction_id,
      actor: row.actor,
    }));
    const mandate: CommitmentEvent[] = mandateRows.map((row) => {
      const details = row.details as MandateEndDetails;
      return {
        // Another table's sequence: prefixed so that ids stay unique in the list.
        id: `mandate-${row.id}`,
        at: row.at.toISOString(),
        kind: row.kind === 'mandate.revoked' ? 'mandate_revoked' : 'mandate_expired',
        fromStatus: null,
        toStatus: null,
        fromAmountCents: null,
        toAmountCents: null,
        effectiveDate: details.effectiveDate ?? null,
        reason: details.reason ?? '',
        interactionId: details.interactionId ?? null,
        actor: row.actor,
      };
    });
    return [...own, ...mandate].sort((x, y) => {
      const at = Date.parse(y.at) - Date.parse(x.at);
      if (at !== 0) return at;
      // Same instant: the commitment's own events above the mandate's end that caused them.
      return Number(x.id.startsWith('mandate-')) - Number(y.id.startsWith('mandate-'));
    });
  });
}

/** Kinds of the supporter_events rows that record the end of a mandate. */
export const MANDATE_END_KINDS = ['mandate.revoked', 'mandate.expired'] as const;

/** What such a row's details hold (written by mandate-lifecycle.service.ts). */
export type MandateEndDetails = {
  mandateId: string;
  commitmentId: string;
  reference: string;
  effectiveDate: string;
  reason: string;
  interactionId: string | null;
};
