// The giving effects of a disposition (issue 6, DOMAIN.md §5): an upgrade
// changes a commitment's amount, a conversion creates a SEPA commitment with
// its mandate, a recapture reactivates a commitment, a call back schedules a
// callback. The live runtime checks them when the operator submits
// (`checkCycleOutcome`, read-only) and applies them inside the transaction
// that closes the interaction (`applyCycleOutcome`), which checks again: the
// commitment may have changed in between, and then nothing of the effect is
// written. Commitments and mandates go through the giving module's own
// unit-of-work functions, so history rows and outbox events are theirs.
import type { Tx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import {
  assertSupporterAcceptsGiving,
  COMMITMENT_COLUMNS,
  type CommitmentRow,
  createCommitmentWithMandate,
  updateCommitmentIn,
} from '../giving/commitments.service.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import type { CycleOutcomeDetails } from './disposition-details.ts';

const commitmentField = (message: string) => [{ field: 'body.details.commitmentId', message }];

export const cycleOutcomeErrors = {
  supporterUnknown: () =>
    new AppError(
      'DISPOSITION_SUPPORTER_UNKNOWN',
      422,
      'This disposition changes a supporter’s giving, but the contact is not identified as one supporter: ' +
        'give details.supporterId, one of the screen pop’s matches',
      [{ field: 'body.details.supporterId', message: 'needs an identified supporter' }],
    ),
  supporterNotOnScreenPop: () =>
    new AppError(
      'DISPOSITION_SUPPORTER_NOT_ON_SCREEN_POP',
      422,
      'The supporter is not one of the screen pop’s matches for this contact',
      [{ field: 'body.details.supporterId', message: 'not a match of the caller' }],
    ),
  commitmentNotTheirs: () =>
    new AppError(
      'DISPOSITION_COMMITMENT_INVALID',
      422,
      'The commitment is not one of this supporter’s',
      commitmentField('not a commitment of the supporter of this contact'),
    ),
  commitmentStatus: (status: string, needs: string) =>
    new AppError(
      'DISPOSITION_COMMITMENT_INVALID',
      422,
      `The commitment is ${status}: ${needs}`,
      commitmentField(`is ${status}; ${needs}`),
    ),
  amountNotHigher: (current: number) =>
    new AppError(
      'DISPOSITION_AMOUNT_NOT_HIGHER',
      422,
      `An upgrade raises the amount: the commitment already gives ${current} cents`,
      [{ field: 'body.details.newAmountCents', message: `must be more than ${current}` }],
    ),
  creditorIdMissing: () =>
    new AppError(
      'DISPOSITION_CREDITOR_ID_MISSING',
      422,
      'The organization has no SEPA creditor identifier yet: an admin sets it in the CRM settings before mandates can be taken',
    ),
  callbackNoPhone: () =>
    new AppError(
      'DISPOSITION_CALLBACK_NO_PHONE',
      422,
      'There is no number to call back: the caller withheld it; give details.phone',
      [{ field: 'body.details.phone', message: 'required when the caller id is unknown' }],
    ),
  conversionUnavailable: () =>
    new AppError(
      'DISPOSITION_CONVERSION_UNAVAILABLE',
      503,
      'This live center cannot seal bank data (no secret key configured): a conversion cannot be recorded',
    ),
  callbackNoQueue: () =>
    new AppError(
      'DISPOSITION_CALLBACK_NO_QUEUE',
      422,
      'The contact has neither a queue nor a campaign to call back from',
    ),
};

/** The contact a disposition belongs to, as the close sees it. */
export type OutcomeContact = {
  orgId: string;
  interactionId: string;
  /** The identified supporter; null when the caller is unknown or ambiguous. */
  supporterId: string | null;
  queueId: string | null;
  campaignId: string | null;
  /** Caller id (inbound) or number dialed (outbound). */
  remoteNumber: string | null;
  operatorId: string;
  /** The call's date in the center's time zone: a phone mandate's signature date. */
  callDate: string;
  /** The operator's notes on the contact (a callback carries them: "after 6 pm"). */
  notes?: string;
};

const UPGRADABLE = ['active'];
const RECAPTURABLE = ['cancelled', 'lapsed', 'paused'];

async function commitmentOf(
  tx: Tx,
  contact: OutcomeContact,
  commitmentId: string,
  lock: boolean,
): Promise<CommitmentRow> {
  let query = tx
    .selectFrom('commitments')
    .select(COMMITMENT_COLUMNS)
    .where('org_id', '=', contact.orgId)
    .where('id', '=', commitmentId);
  if (lock) query = query.forUpdate();
  const row = (await query.executeTakeFirst()) as CommitmentRow | undefined;
  if (!row || row.supporter_id !== contact.supporterId) throw cycleOutcomeErrors.commitmentNotTheirs();
  return row;
}

/**
 * Refuses details the CRM cannot take as they stand (422): an unidentified
 * supporter, a commitment of someone else or in the wrong status, an upgrade
 * that does not raise the amount, no creditor identifier for a mandate, no
 * number to call back. Read-only; `applyCycleOutcome` runs the same checks
 * under lock.
 */
export async function checkCycleOutcome(
  tx: Tx,
  contact: OutcomeContact,
  details: CycleOutcomeDetails,
  lock = false,
): Promise<CommitmentRow | null> {
  if (details.effect === 'call_back') {
    if (details.phone === null && contact.remoteNumber === null) throw cycleOutcomeErrors.callbackNoPhone();
    if (contact.queueId === null && contact.campaignId === null) throw cycleOutcomeErrors.callbackNoQueue();
    return null;
  }
  if (contact.supporterId === null) throw cycleOutcomeErrors.supporterUnknown();
  if (details.effect === 'conversion_accepted') {
    await assertSupporterAcceptsGiving(tx, contact.orgId, contact.supporterId);
    const settings = await tx
      .selectFrom('crm_settings')
      .select('creditor_id')
      .where('org_id', '=', contact.orgId)
      .executeTakeFirst();
    if (!settings?.creditor_id) throw cycleOutcomeErrors.creditorIdMissing();
    return null;
  }
  const row = await commitmentOf(tx, contact, details.commitmentId, lock);
  if (details.effect === 'upgrade_accepted') {
    if (!UPGRADABLE.includes(row.status))
      throw cycleOutcomeErrors.commitmentStatus(row.status, 'an upgrade needs an active commitment');
    if (details.newAmountCents <= row.amount_cents)
      throw cycleOutcomeErrors.amountNotHigher(row.amount_cents);
  } else if (!RECAPTURABLE.includes(row.status)) {
    throw cycleOutcomeErrors.commitmentStatus(
      row.status,
      'a recapture needs a cancelled, lapsed or paused commitment',
    );
  }
  return row;
}

/** What the close records on the interaction: the amount the KPIs read (`outcome_amount_cents`). */
export type CycleOutcomeResult = { outcomeAmountCents: number | null };

/**
 * Applies the effect in `tx`, the unit of work that closes the interaction
 * (the supporter's organization). Throws the same 422 problems as
 * `checkCycleOutcome` when the CRM changed since the submit; the caller's
 * transaction then rolls back and nothing of the effect remains.
 */
export async function applyCycleOutcome(
  tx: Tx,
  options: { contact: OutcomeContact; details: CycleOutcomeDetails; secrets: SecretBox | null },
): Promise<CycleOutcomeResult> {
  const { contact, details } = options;
  const actor = `user:${contact.operatorId}`;
  const current = await checkCycleOutcome(tx, contact, details, true);
  switch (details.effect) {
    case 'upgrade_accepted': {
      await updateCommitmentIn(
        tx,
        {
          commitmentId: details.commitmentId,
          reason: 'upgrade',
          effectiveDate: details.effectiveDate,
          interactionId: contact.interactionId,
          actor,
        },
        { amountCents: details.newAmountCents },
      );
      // The KPIs' average upgrade amount is the increase (kpi.figures.ts).
      return { outcomeAmountCents: details.newAmountCents - current!.amount_cents };
    }
    case 'recapture_accepted': {
      const { row } = await updateCommitmentIn(
        tx,
        {
          commitmentId: details.commitmentId,
          reason: 'recapture',
          effectiveDate: details.effectiveDate ?? contact.callDate,
          interactionId: contact.interactionId,
          actor,
        },
        {
          status: 'active',
          ...(details.amountCents !== null ? { amountCents: details.amountCents } : {}),
        },
      );
      return { outcomeAmountCents: row.amount_cents };
    }
    case 'conversion_accepted': {
      if (!options.secrets) throw new Error('a conversion needs the secret box to seal the IBAN');
      const commitment = await createCommitmentWithMandate(tx, options.secrets, {
        orgId: contact.orgId,
        supporterId: contact.supporterId!,
        amountCents: details.amountCents,
        frequency: details.frequency,
        method: 'sepa_direct_debit',
        startDate: details.startDate ?? contact.callDate,
        // Signed on the call by recorded consent; the first collection of a new mandate is FRST (DOMAIN.md §6).
        mandate: { iban: details.iban, signatureDate: contact.callDate, sequenceType: 'FRST' },
        reason: 'conversion',
        interactionId: contact.interactionId,
        actor,
      });
      // How the mandate was signed, in the supporter's history: the consent's evidence and the holder.
      await tx
        .insertInto('supporter_events')
        .values({
          org_id: contact.orgId,
          supporter_id: contact.supporterId!,
          kind: 'mandate.signed',
          actor,
          details: JSON.stringify({
            commitmentId: commitment.id,
            mandateId: commitment.mandate?.id ?? null,
            reference: commitment.mandate?.reference ?? null,
            signatureDate: contact.callDate,
            signature: 'recorded_consent',
            evidence: details.signatureConsent.evidence,
            accountHolder: details.accountHolder,
            interactionId: contact.interactionId,
          }),
        })
        .execute();
      return { outcomeAmountCents: details.amountCents };
    }
    case 'call_back': {
      const phone = details.phone ?? contact.remoteNumber!;
      const callback = await tx
        .insertInto('callbacks')
        .values({
          org_id: contact.orgId,
          supporter_id: contact.supporterId,
          phone,
          // An outbound contact is called back by its campaign, an inbound one by its queue.
          queue_id: contact.campaignId === null ? contact.queueId : null,
          campaign_id: contact.campaignId,
          due_at: new Date(details.at),
          // Its place in the queue is the time asked for (an IVR callback keeps its caller's arrival).
          queued_since: new Date(details.at),
          owner_user_id: details.owner === 'me' ? contact.operatorId : null,
          interaction_id: contact.interactionId,
          // The callbacks table keeps 2,000 characters of notes; the interaction keeps them all.
          notes: (contact.notes ?? '').slice(0, 2000),
        })
        .returning(['id', 'queue_id', 'campaign_id', 'due_at', 'owner_user_id'])
        .executeTakeFirstOrThrow();
      await emitEvent(tx, 'callback.scheduled', {
        callbackId: callback.id,
        supporterId: contact.supporterId,
        queueId: callback.queue_id,
        campaignId: callback.campaign_id,
        dueAt: callback.due_at.toISOString(),
        ownerUserId: callback.owner_user_id,
        interactionId: contact.interactionId,
      });
      return { outcomeAmountCents: null };
    }
  }
}
