// The end of a SEPA mandate: revoked by the donor, or expired after 36 months
// without a collection (DOMAIN.md §6). Either way the commitment it pays can no
// longer be collected, so an active commitment is paused ("mandate revoked" /
// "mandate expired") for the center to call the donor for a new mandate; a
// paused, cancelled or lapsed one keeps its status. DOMAIN.md says nothing more:
// pausing rather than cancelling keeps the donor's intention to give on record.
//
// One unit of work writes the mandate's new status, the commitment's status
// change (commitment_events), the supporter's timeline entry (supporter_events
// `mandate.revoked` / `mandate.expired`, also listed in the commitment's
// history), the audit entry and one `commitment.changed` outbox event.
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import {
  actorLabel,
  COMMITMENT_COLUMNS,
  type Commitment,
  type CommitmentRow,
  changedPayload,
  type MandateEndDetails,
  toCommitment,
  updateCommitmentIn,
  utcDate,
} from './commitments.service.ts';
import { mandateExpiryDate } from './crm-engine.ts';
import { givingErrors } from './giving.errors.ts';
import { MANDATE_COLUMNS, type MandateRow, mandateView } from './mandates.service.ts';

/** The reasons written on the commitment's status change: stable words integrations can match. */
export const PAUSE_REASONS = { revoked: 'mandate revoked', expired: 'mandate expired' } as const;

type MandateEnd = {
  orgId: string;
  mandate: MandateRow;
  status: 'revoked' | 'expired';
  /** The day the mandate stopped being usable: the revocation date or the expiry date. */
  effectiveDate: string;
  /** Why, in the donor's or the system's words. */
  reason: string;
  interactionId: string | null;
  principal: Principal | null;
};

/** Ends an active mandate in the caller's unit of work; returns the commitment as it is now. */
async function endMandate(tx: Tx, end: MandateEnd): Promise<CommitmentRow> {
  const { mandate, status, effectiveDate, reason, interactionId } = end;
  const actor = actorLabel(end.principal);
  await tx
    .updateTable('mandates')
    .set({ status, updated_at: new Date() })
    .where('id', '=', mandate.id)
    .execute();
  const commitment = (await tx
    .selectFrom('commitments')
    .select(COMMITMENT_COLUMNS)
    .where('id', '=', mandate.commitment_id)
    .forUpdate()
    .executeTakeFirstOrThrow()) as CommitmentRow;
  const details: MandateEndDetails = {
    mandateId: mandate.id,
    commitmentId: commitment.id,
    reference: mandate.reference,
    effectiveDate,
    reason,
    interactionId,
  };
  const change = { kind: `mandate_${status}`, ...details, actor };
  let row = commitment;
  if (commitment.status === 'active') {
    ({ row } = await updateCommitmentIn(
      tx,
      {
        commitmentId: commitment.id,
        reason: PAUSE_REASONS[status],
        effectiveDate,
        interactionId,
        actor,
        related: [change],
      },
      { status: 'paused' },
    ));
  } else {
    // The commitment's row does not change, but what it answers does (its mandate).
    await emitEvent(tx, 'commitment.changed', changedPayload(commitment, [change]));
  }
  await tx
    .insertInto('supporter_events')
    .values({
      org_id: end.orgId,
      supporter_id: commitment.supporter_id,
      kind: `mandate.${status}`,
      details: JSON.stringify({ ...details, commitmentStatus: row.status }),
      actor,
    })
    .execute();
  await recordAudit(tx, {
    orgId: end.orgId,
    principal: end.principal,
    action: `mandate.${status}`,
    target: mandate.id,
    details: {
      commitmentId: commitment.id,
      reference: mandate.reference,
      effectiveDate,
      reason,
      commitmentStatus: { from: commitment.status, to: row.status },
    },
  });
  return row;
}

/**
 * The donor revokes the mandate (on `revokedOn`, default today UTC). Its commitment
 * is paused when active. A second call for a revoked mandate changes nothing and
 * answers the commitment as it is (`changed: false`), so a retried request is safe;
 * an expired mandate cannot be revoked (409 MANDATE_EXPIRED).
 */
export async function revokeMandate(options: {
  db: Database;
  secrets: SecretBox;
  orgId: string;
  mandateId: string;
  reason: string;
  revokedOn?: string | undefined;
  interactionId?: string | null | undefined;
  principal: Principal | null;
  /** The clock, for the default date and the check against the future. */
  now?: () => Date;
}): Promise<{ commitment: Commitment; changed: boolean }> {
  const { orgId, secrets } = options;
  const today = utcDate(options.now?.() ?? new Date());
  const reason = options.reason.trim();
  return options.db.forOrg(orgId, async (tx) => {
    const mandate = (await tx
      .selectFrom('mandates')
      .select(MANDATE_COLUMNS)
      .where('id', '=', options.mandateId)
      .forUpdate()
      .executeTakeFirst()) as MandateRow | undefined;
    if (!mandate) throw givingErrors.mandateNotFound();
    let changed = false;
    let row: CommitmentRow;
    if (mandate.status === 'revoked') {
      row = (await tx
        .selectFrom('commitments')
        .select(COMMITMENT_COLUMNS)
        .where('id', '=', mandate.commitment_id)
        .executeTakeFirstOrThrow()) as CommitmentRow;
    } else {
      if (mandate.status === 'expired') {
        throw givingErrors.mandateExpired(
          mandateExpiryDate({
            signedOn: mandate.signature_date,
            ...(mandate.last_collection_on ? { lastCollectionOn: mandate.last_collection_on } : {}),
          }) ?? null,
        );
      }
      if (reason === '') throw givingErrors.revocationReasonRequired();
      const revokedOn = options.revokedOn ?? today;
      if (revokedOn > today) throw givingErrors.revocationDateInvalid(`${revokedOn} is in the future`);
      if (revokedOn < mandate.signature_date) {
        throw givingErrors.revocationDateInvalid(
          `${revokedOn} is before the signature date ${mandate.signature_date}`,
        );
      }
      row = await endMandate(tx, {
        orgId,
        mandate,
        status: 'revoked',
        effectiveDate: revokedOn,
        reason,
        interactionId: options.interactionId ?? null,
        principal: options.principal,
      });
      mandate.status = 'revoked';
      changed = true;
    }
    return { commitment: toCommitment(row, mandateView(mandate, { secrets, orgId })), changed };
  });
}

/**
 * Marks as expired every active mandate of the organization with no collection for
 * 36 months (since the last collection, or the signature if never used), as of
 * `today` (EPC016-09 SDD Core Rulebook; the same rule as the engine's
 * `mandateExpiryDate`), with everything an end of mandate writes (see above).
 * Returns the ids it expired. PostgreSQL's `date + interval 'n months'` clamps to the
 * end of a shorter month, like the engine's addMonths. Works in units of
 * `batchSize` mandates, so a first run over years of data holds no long transaction.
 */
export async function expireDormantMandates(options: {
  db: Database;
  orgId: string;
  today: string;
  batchSize?: number;
}): Promise<string[]> {
  const batchSize = options.batchSize ?? 200;
  const expired: string[] = [];
  for (;;) {
    const batch = await options.db.forOrg(options.orgId, async (tx) => {
      const mandates = (await tx
        .selectFrom('mandates')
        .select(MANDATE_COLUMNS)
        .where('org_id', '=', options.orgId)
        .where('status', '=', 'active')
        .where(
          sql<boolean>`(greatest(signature_date, coalesce(last_collection_on, signature_date)) + interval '36 months')::date <= ${options.today}::date`,
        )
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .execute()) as MandateRow[];
      for (const mandate of mandates) {
        const expiredOn = mandateExpiryDate({
          signedOn: mandate.signature_date,
          ...(mandate.last_collection_on ? { lastCollectionOn: mandate.last_collection_on } : {}),
        });
        await endMandate(tx, {
          orgId: options.orgId,
          mandate,
          status: 'expired',
          effectiveDate: expiredOn ?? options.today,
          reason: `no collection for 36 months (last ${mandate.last_collection_on ? `collection ${mandate.last_collection_on}` : `signature ${mandate.signature_date}`})`,
          interactionId: null,
          principal: null,
        });
      }
      return mandates.map((mandate) => mandate.id);
    });
    expired.push(...batch);
    if (batch.length < batchSize) return expired;
  }
}
