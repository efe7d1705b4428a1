// A disposition's CRM effect between the operator's submit and the close.
//
// The close of an interaction applies its disposition's effect (do not call,
// wrong number, deceased, an upgrade, a conversion with its mandate, a
// recapture, a call back) in the transaction that closes it, at the end of the
// wrap-up. Until then the effect lives in the runtime's memory, and a stop in
// between (even SIGKILL) would lose it: the supporter who asked not to be
// called again would be called. So the submit also writes the effect on the
// open interaction (`interactions.pending_effect`, migration 0014) and recovery
// applies it when it closes the contact; the close clears it. A conversion's
// IBAN is stored sealed (AES-256-GCM, the organization as context), never in
// clear, and is gone from the row once the close has applied it.
import type { ContactOutcomeEffect } from '../modules/supporters/contact-outcomes.service.ts';
import type { CycleOutcomeDetails } from '../modules/supporters/disposition-details.ts';
import type { SecretBox } from '../security/secret-box.ts';

export type PendingEffect = {
  /** Who recorded the disposition: the actor of its effect. */
  operatorId: string;
  /** A contact outcome (do not call, wrong number, deceased), applied to the supporter. */
  effect: ContactOutcomeEffect | null;
  /** A giving effect's details, checked at submit. */
  details: CycleOutcomeDetails | null;
};

/** The JSON stored: a conversion's IBAN replaced by its sealed form. */
type StoredPendingEffect = {
  operatorId: string;
  effect: ContactOutcomeEffect | null;
  details: (Record<string, unknown> & { effect: string }) | null;
};

export class PendingEffectError extends Error {
  readonly code = 'PENDING_EFFECT_UNREADABLE';
}

/** The column's value for `pending`: null when the disposition has no effect to apply. */
export function sealPendingEffect(
  pending: PendingEffect,
  orgId: string,
  secrets: SecretBox | null,
): string | null {
  if (pending.effect === null && pending.details === null) return null;
  let details: StoredPendingEffect['details'] = pending.details;
  if (pending.details?.effect === 'conversion_accepted') {
    // The submit refuses a conversion without a secret box; this guards the invariant.
    if (!secrets) throw new PendingEffectError('a conversion needs the secret box to keep its IBAN');
    const { iban, ...rest } = pending.details;
    details = { ...rest, ibanSealed: secrets.seal(iban, orgId) };
  }
  const stored: StoredPendingEffect = { operatorId: pending.operatorId, effect: pending.effect, details };
  return JSON.stringify(stored);
}

/** The effect as recorded; throws PendingEffectError when it cannot be read (a conversion without its key). */
export function openPendingEffect(stored: unknown, orgId: string, secrets: SecretBox | null): PendingEffect {
  const value = (typeof stored === 'string' ? JSON.parse(stored) : stored) as StoredPendingEffect;
  if (!value || typeof value.operatorId !== 'string')
    throw new PendingEffectError('not a recorded disposition effect');
  if (value.details?.effect !== 'conversion_accepted')
    return {
      operatorId: value.operatorId,
      effect: value.effect,
      details: value.details as CycleOutcomeDetails | null,
    };
  const { ibanSealed, ...rest } = value.details;
  if (!secrets || typeof ibanSealed !== 'string')
    throw new PendingEffectError("the conversion's IBAN cannot be opened without the secret key");
  return {
    operatorId: value.operatorId,
    effect: value.effect,
    details: { ...rest, iban: secrets.open(ibanSealed, orgId) } as CycleOutcomeDetails,
  };
}
