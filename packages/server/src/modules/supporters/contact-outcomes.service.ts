// What an operator's disposition changes in the CRM (issue 6), applied by the
// live runtime inside the transaction that closes the interaction, so the
// outcome and its effect commit together or not at all. This slice covers the
// effects that touch one supporter's own data: do not call (the phone consent
// revoked), wrong number (the dialed phone marked invalid) and deceased (the
// supporter's status). Upgrades, conversions and recaptures come with the
// outbound cycles.
import type { Tx } from '../../db/database.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import { loadSupporter } from './supporters.repository.ts';

export type ContactOutcomeEffect = 'do_not_call' | 'wrong_number' | 'deceased';
export const CONTACT_OUTCOME_EFFECTS: readonly string[] = ['do_not_call', 'wrong_number', 'deceased'];

/** Consent purpose revoked by "do not call": the one phone calls for fundraising rely on. */
const PHONE_PURPOSE = 'marketing';

/**
 * Applies `effect` to the supporter in `tx` (a unit of work of the
 * supporter's organization). Returns whether anything changed: a number
 * already invalid or a supporter already deceased is left as it is.
 */
export async function applyContactOutcome(
  tx: Tx,
  options: {
    orgId: string;
    supporterId: string;
    effect: ContactOutcomeEffect;
    /** The number of the contact (caller id or number dialed). */
    phone: string | null;
    at: Date;
    interactionId: string;
    /** Who recorded it, for the supporter's history. */
    actor: string;
  },
): Promise<boolean> {
  const { orgId, supporterId, at } = options;
  if (options.effect === 'do_not_call') {
    await tx
      .insertInto('consent_events')
      .values({
        org_id: orgId,
        supporter_id: supporterId,
        channel: 'phone',
        purpose: PHONE_PURPOSE,
        granted: false,
        source: 'operator',
        evidence: 'disposition do_not_call',
        recorded_at: at,
        interaction_id: options.interactionId,
      })
      .execute();
    await emitEvent(tx, 'consent.changed', {
      supporterId,
      channel: 'phone',
      purpose: PHONE_PURPOSE,
      granted: false,
      source: 'operator',
      recordedAt: at.toISOString(),
    });
    return true;
  }

  let changedFields: string[];
  let details: { kind: string; details: Record<string, unknown> };
  if (options.effect === 'wrong_number') {
    if (options.phone === null) return false;
    const marked = await tx
      .updateTable('supporter_phones')
      .set({ valid: false, invalid_since: at })
      .where('supporter_id', '=', supporterId)
      .where('number', '=', options.phone)
      .where('valid', '=', true)
      .returning('number')
      .execute();
    if (marked.length === 0) return false;
    changedFields = ['phones'];
    details = { kind: 'updated', details: { changes: { phoneInvalid: options.phone } } };
  } else {
    const before = await tx
      .selectFrom('supporters')
      .select('status')
      .where('id', '=', supporterId)
      .executeTakeFirst();
    if (!before || before.status === 'deceased') return false;
    await tx.updateTable('supporters').set({ status: 'deceased' }).where('id', '=', supporterId).execute();
    changedFields = ['status'];
    details = { kind: 'status_changed', details: { from: before.status, to: 'deceased' } };
  }
  await tx
    .updateTable('supporters')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', supporterId)
    .execute();
  await tx
    .insertInto('supporter_events')
    .values({
      org_id: orgId,
      supporter_id: supporterId,
      kind: details.kind,
      actor: options.actor,
      details: JSON.stringify({ ...details.details, interactionId: options.interactionId }),
    })
    .execute();
  const updated = await loadSupporter(tx, supporterId);
  await emitEvent(tx, 'supporter.updated', {
    supporterId,
    version: updated?.version,
    changedFields,
    status: updated?.status,
    externalIds: updated?.externalIds,
  });
  return true;
}
