// How a simulated operator fills the outcome form (gateways/simulated/
// simulated-operators.ts `dispositionDetails`): like a person, from the
// record on the screen. An upgrade raises the supporter's active regular gift
// by 2–10 € from the first of next month; a recapture reactivates a cancelled,
// lapsed or paused one; a conversion signs a monthly SEPA gift of 10–30 € on a
// generated Italian IBAN with the call's recording as consent evidence; a
// call back is due tomorrow at the same time, for anyone. A record that does
// not allow the outcome (no commitment to upgrade, a shared number) gets
// `not_interested`, as the conversation would have ended.
import type { Database } from '../db/database.ts';
import type { DispositionFiller } from '../gateways/simulated/simulated-operators.ts';

const DAY_MS = 86_400_000;
const RECAPTURABLE = ['cancelled', 'lapsed', 'paused'] as const;

const romeDate = (ms: number) => new Date(ms).toLocaleDateString('en-CA', { timeZone: 'Europe/Rome' });
const firstOfNextMonth = (ms: number) => {
  const [year, month] = romeDate(ms).split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
};
const digits = (random: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

export function createSimulatedDispositionFiller(options: {
  db: Database;
  /** An Italian IBAN for a conversion (the demo's generator: valid check digits and CIN). */
  iban: (random: () => number) => string;
}): DispositionFiller {
  const { db } = options;
  const supporterOf = (orgId: string, interactionId: string) =>
    db.forOrg(orgId, (tx) =>
      tx
        .selectFrom('interactions')
        .select('supporter_id')
        .where('id', '=', interactionId)
        .executeTakeFirst()
        .then((row) => row?.supporter_id ?? null),
    );
  const commitmentOf = (orgId: string, supporterId: string, statuses: readonly string[]) =>
    db.forOrg(orgId, (tx) =>
      tx
        .selectFrom('commitments')
        .select(['id', 'amount_cents'])
        .where('supporter_id', '=', supporterId)
        .where('status', 'in', statuses as never)
        .orderBy('start_date', 'desc')
        .executeTakeFirst(),
    );
  const declined = { code: 'not_interested' };

  return async ({ offer, code, at, random }) => {
    switch (code) {
      case 'call_back':
        return { code, details: { at: new Date(at + DAY_MS).toISOString(), owner: 'anyone' } };
      case 'upgrade_accepted':
      case 'recapture_accepted': {
        const supporterId = await supporterOf(offer.orgId, offer.offerId);
        if (supporterId === null) return declined;
        const upgrade = code === 'upgrade_accepted';
        const commitment = await commitmentOf(offer.orgId, supporterId, upgrade ? ['active'] : RECAPTURABLE);
        if (!commitment) return declined;
        const raise = (2 + Math.floor(random() * 9)) * 100;
        return upgrade
          ? {
              code,
              details: {
                commitmentId: commitment.id,
                newAmountCents: commitment.amount_cents + raise,
                effectiveDate: firstOfNextMonth(at),
              },
            }
          : { code, details: { commitmentId: commitment.id } };
      }
      case 'conversion_accepted': {
        if ((await supporterOf(offer.orgId, offer.offerId)) === null) return declined;
        return {
          code,
          details: {
            amountCents: (10 + 5 * Math.floor(random() * 5)) * 100,
            frequency: 'monthly',
            iban: options.iban(random),
            signatureConsent: { recorded: true, evidence: `recording of call ${offer.offerId}` },
          },
        };
      }
      default:
        return { code };
    }
  };
}

/** A fresh valid Italian IBAN from the simulation's random stream. */
export const simulatedIban =
  (italianIban: (abi: string, cab: string, account: string) => string) => (random: () => number) =>
    italianIban(`0${digits(random, 4)}`, digits(random, 5), digits(random, 12));
