// The simulated operators' outcome form (simulated-dispositions.ts) must fill
// what the operator API accepts: each filled form is checked by the same
// validator the runtime uses at submit, against a real record.
import { createRandom } from '@centralino/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { italianIban } from '../demo/crm-demo.ts';
import type { OperatorOffer } from '../gateways/operator-seat.ts';
import { createGivingWorld, type GivingWorld, sepaCommitment } from '../modules/giving/giving.fixtures.ts';
import { parseDispositionDetails } from '../modules/supporters/disposition-details.ts';
import { createSimulatedDispositionFiller, simulatedIban } from './simulated-dispositions.ts';

let w: GivingWorld;
const AT = Date.UTC(2026, 10, 17, 10); // 17 November 2026, 11:00 in Rome
let withGift = '';
let withoutSupporter = '';

async function interaction(supporterId: string | null) {
  const row = await w.t.db.forOrg(w.alpha, (tx) =>
    tx
      .insertInto('interactions')
      .values({ org_id: w.alpha, direction: 'outbound', supporter_id: supporterId, created_at: new Date(AT) })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

const offer = (offerId: string): OperatorOffer => ({
  offerId,
  callId: 'call-1',
  direction: 'outbound',
  orgId: w.alpha,
  queueId: 'queue',
  campaignId: null,
  cycleType: 'upgrade',
  dispositions: [],
  at: AT,
  expiresAt: AT + 20_000,
});

beforeAll(async () => {
  w = await createGivingWorld();
  const created = await w.t.app.inject({
    method: 'POST',
    url: `/api/organizations/${w.alpha}/supporters/${w.supporter}/commitments`,
    headers: w.admin,
    payload: sepaCommitment(),
  });
  expect(created.statusCode, created.body).toBe(201);
  withGift = await interaction(w.supporter);
  withoutSupporter = await interaction(null);
});
afterAll(() => w.t.close());

describe('the simulated outcome form', () => {
  const fill = () => createSimulatedDispositionFiller({ db: w.t.db, iban: simulatedIban(italianIban) });
  const check = (effect: string, details: Record<string, unknown> | undefined) =>
    parseDispositionDetails(effect, details, new Date(AT));

  it('fills an upgrade of the active gift, a call back tomorrow and a conversion the API accepts', async () => {
    const random = createRandom(1);
    const upgrade = await fill()({
      operatorId: 'op',
      offer: offer(withGift),
      code: 'upgrade_accepted',
      at: AT,
      random,
    });
    expect(upgrade?.code).toBe('upgrade_accepted');
    expect(upgrade?.details).toMatchObject({ effectiveDate: '2026-12-01' });
    expect(upgrade!.details!.newAmountCents as number).toBeGreaterThan(1500);
    expect(() => check('upgrade_accepted', upgrade!.details)).not.toThrow();

    const callBack = await fill()({
      operatorId: 'op',
      offer: offer(withGift),
      code: 'call_back',
      at: AT,
      random,
    });
    expect(() => check('call_back', callBack!.details)).not.toThrow();

    const conversion = await fill()({
      operatorId: 'op',
      offer: offer(withGift),
      code: 'conversion_accepted',
      at: AT,
      random,
    });
    expect(() => check('conversion_accepted', conversion!.details)).not.toThrow();
  });

  it('declines what the record does not allow: no gift to win back, no supporter identified', async () => {
    const random = createRandom(2);
    expect(
      await fill()({ operatorId: 'op', offer: offer(withGift), code: 'recapture_accepted', at: AT, random }),
    ).toEqual({ code: 'not_interested' });
    expect(
      await fill()({
        operatorId: 'op',
        offer: offer(withoutSupporter),
        code: 'upgrade_accepted',
        at: AT,
        random,
      }),
    ).toEqual({ code: 'not_interested' });
    expect(
      await fill()({ operatorId: 'op', offer: offer(withGift), code: 'reached', at: AT, random }),
    ).toEqual({ code: 'reached' });
  });
});
