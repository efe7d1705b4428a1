// What an operator must say with a disposition whose effect changes giving
// (issue 6): the new amount of an upgrade, the IBAN and the recorded consent
// of a conversion, the commitment of a recapture, the time of a call back.
// Checked here, before the wrap-up ends, so the operator hears of a mistake
// while the donor's words are still fresh; the close applies them
// (cycle-outcomes.service.ts).
import type { CommitmentFrequency } from '../../db/schema.ts';
import { AppError, type ProblemField } from '../../http/errors.ts';
import { validateIban } from '../giving/crm-engine.ts';
import { checkPhone } from './crm-validation.ts';

export type CycleOutcomeEffect =
  | 'upgrade_accepted'
  | 'conversion_accepted'
  | 'recapture_accepted'
  | 'call_back';
export const CYCLE_OUTCOME_EFFECTS: readonly string[] = [
  'upgrade_accepted',
  'conversion_accepted',
  'recapture_accepted',
  'call_back',
];

const FREQUENCIES: readonly CommitmentFrequency[] = [
  'monthly',
  'bimonthly',
  'quarterly',
  'semiannual',
  'annual',
];

export type UpgradeDetails = {
  effect: 'upgrade_accepted';
  commitmentId: string;
  newAmountCents: number;
  effectiveDate: string;
};
export type ConversionDetails = {
  effect: 'conversion_accepted';
  amountCents: number;
  frequency: CommitmentFrequency;
  /** Validated and normalized (no spaces, upper case). */
  iban: string;
  accountHolder: string | null;
  signatureConsent: { recorded: true; evidence: string };
  startDate: string | null;
};
export type RecaptureDetails = {
  effect: 'recapture_accepted';
  commitmentId: string;
  amountCents: number | null;
  effectiveDate: string | null;
};
export type CallBackDetails = {
  effect: 'call_back';
  at: string;
  owner: 'me' | 'anyone';
  /** Another number than the caller's, when the donor asks for it. */
  phone: string | null;
};
export type CycleOutcomeDetails = UpgradeDetails | ConversionDetails | RecaptureDetails | CallBackDetails;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Integer cents: at most 1,000,000.00 € an instalment, a bound no regular gift reaches. */
const MAX_AMOUNT_CENTS = 100_000_000;

export const dispositionDetailErrors = {
  invalid: (fields: ProblemField[]) =>
    new AppError(
      'DISPOSITION_DETAILS_INVALID',
      400,
      `The disposition's details are incomplete or invalid: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
      fields,
    ),
  ibanInvalid: (reason: string, message: string) =>
    new AppError('IBAN_INVALID', 400, `The IBAN is invalid (${reason}): ${message}`, [
      { field: 'body.details.iban', message: `${reason}: ${message}` },
    ]),
};

const isValidDate = (value: string) =>
  DATE.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

/**
 * The details `effect` needs, typed; throws a 400 problem naming each missing
 * or invalid field (`body.details.<name>`). Effects without details take none:
 * details sent with them are refused rather than silently dropped.
 * `now` is the call's clock: a call back must be due after it.
 */
export function parseDispositionDetails(
  effect: string,
  details: Readonly<Record<string, unknown>> | undefined,
  now: Date,
): CycleOutcomeDetails | null {
  const d = details ?? {};
  const fields: ProblemField[] = [];
  const fail = (name: string, message: string) => fields.push({ field: `body.details.${name}`, message });
  const uuid = (name: string, required: boolean): string | null => {
    const value = d[name];
    if (value === undefined || value === null) {
      if (required) fail(name, 'is required');
      return null;
    }
    if (typeof value !== 'string' || !UUID.test(value)) fail(name, 'must be a uuid');
    return typeof value === 'string' ? value : null;
  };
  const amount = (name: string, required: boolean): number | null => {
    const value = d[name];
    if (value === undefined || value === null) {
      if (required) fail(name, 'is required');
      return null;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) fail(name, 'must be an integer (cents)');
    else if (value <= 0) fail(name, 'must be greater than 0');
    else if (value > MAX_AMOUNT_CENTS) fail(name, `must be at most ${MAX_AMOUNT_CENTS}`);
    return typeof value === 'number' ? value : null;
  };
  const date = (name: string, required: boolean): string | null => {
    const value = d[name];
    if (value === undefined || value === null) {
      if (required) fail(name, 'is required');
      return null;
    }
    if (typeof value !== 'string' || !isValidDate(value)) fail(name, 'must be a date YYYY-MM-DD');
    return typeof value === 'string' ? value : null;
  };
  const allowOnly = (names: readonly string[]) => {
    for (const key of Object.keys(d))
      if (!names.includes(key)) fail(key, 'is not a detail of this disposition');
  };

  let parsed: CycleOutcomeDetails | null;
  switch (effect) {
    case 'upgrade_accepted': {
      allowOnly(['commitmentId', 'newAmountCents', 'effectiveDate']);
      parsed = {
        effect,
        commitmentId: uuid('commitmentId', true)!,
        newAmountCents: amount('newAmountCents', true)!,
        effectiveDate: date('effectiveDate', true)!,
      };
      break;
    }
    case 'conversion_accepted': {
      allowOnly(['amountCents', 'frequency', 'iban', 'accountHolder', 'signatureConsent', 'startDate']);
      const frequency = d.frequency;
      if (frequency === undefined) fail('frequency', 'is required');
      else if (typeof frequency !== 'string' || !FREQUENCIES.includes(frequency as CommitmentFrequency))
        fail('frequency', `must be one of ${FREQUENCIES.join(', ')}`);
      const holder = d.accountHolder;
      if (
        holder !== undefined &&
        holder !== null &&
        (typeof holder !== 'string' || holder.trim() === '' || holder.length > 140)
      )
        fail('accountHolder', 'must be a name of 1 to 140 characters');
      const consent = d.signatureConsent as { recorded?: unknown; evidence?: unknown } | undefined;
      if (consent === undefined || consent === null || typeof consent !== 'object')
        fail('signatureConsent', 'is required: the donor consented to the mandate on the recorded call');
      else {
        if (consent.recorded !== true)
          fail('signatureConsent.recorded', 'must be true: a mandate by phone needs recorded consent');
        if (
          typeof consent.evidence !== 'string' ||
          consent.evidence.trim() === '' ||
          consent.evidence.length > 500
        )
          fail(
            'signatureConsent.evidence',
            'is required (the recording or interaction reference), at most 500 characters',
          );
      }
      const amountCents = amount('amountCents', true);
      const startDate = date('startDate', false);
      let iban = '';
      if (typeof d.iban !== 'string' || d.iban.trim() === '') fail('iban', 'is required');
      else if (fields.length === 0) {
        const checked = validateIban(d.iban);
        if (!checked.ok) throw dispositionDetailErrors.ibanInvalid(checked.reason, checked.message);
        iban = checked.iban;
      }
      parsed = {
        effect,
        amountCents: amountCents!,
        frequency: frequency as CommitmentFrequency,
        iban,
        accountHolder: typeof holder === 'string' ? holder.trim() : null,
        signatureConsent: { recorded: true, evidence: String(consent?.evidence ?? '').trim() },
        startDate,
      };
      break;
    }
    case 'recapture_accepted': {
      allowOnly(['commitmentId', 'amountCents', 'effectiveDate']);
      parsed = {
        effect,
        commitmentId: uuid('commitmentId', true)!,
        amountCents: amount('amountCents', false),
        effectiveDate: date('effectiveDate', false),
      };
      break;
    }
    case 'call_back': {
      allowOnly(['at', 'owner', 'phone']);
      const at = d.at;
      if (at === undefined) fail('at', 'is required');
      else if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !/T/.test(at))
        fail('at', 'must be an ISO date-time, e.g. 2026-03-02T15:30:00+01:00');
      else if (Date.parse(at) <= now.getTime()) fail('at', 'must be in the future');
      const owner = d.owner;
      if (owner !== 'me' && owner !== 'anyone') fail('owner', "must be 'me' or 'anyone'");
      const phone = d.phone;
      let number: string | null = null;
      if (phone !== undefined && phone !== null) {
        const checked = typeof phone === 'string' ? checkPhone(phone) : null;
        if (!checked?.valid)
          fail('phone', `must be a phone number${checked?.message ? ` (${checked.message})` : ''}`);
        else number = checked.number;
      }
      parsed = {
        effect,
        at: typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : '',
        owner: owner as 'me' | 'anyone',
        phone: number,
      };
      break;
    }
    default:
      allowOnly([]);
      parsed = null;
  }
  if (fields.length > 0) throw dispositionDetailErrors.invalid(fields);
  return parsed;
}
