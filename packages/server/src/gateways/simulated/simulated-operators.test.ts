import { describe, expect, it } from 'vitest';
import { createManualClock, type LiveClock } from '../../live/clock.ts';
import type { CallId, TelephonyGateway } from '../gateway.ts';
import type { OperatorActions, OperatorOffer, OperatorSeat } from '../operator-seat.ts';
import { createSimulatedGateway } from './simulated-gateway.ts';
import { createSimulatedOperators, type SimulatedOperatorProfile } from './simulated-operators.ts';

const START = Date.UTC(2026, 2, 2, 7); // 08:00 in Rome
const HOUR = 3_600_000;
const OFFER_TIMEOUT_MS = 15_000;

type Log = { at: number; operatorId: string; action: string; detail?: string };

/**
 * A minimal runtime for the test: one FIFO queue, offers to the longest-idle
 * available operator, bridges on accept, tells seats what happens. The real
 * runtime (live/runtime.ts) does this with engine/routing and the database.
 */
function miniRuntime(clock: LiveClock, gateway: TelephonyGateway) {
  const log: Log[] = [];
  const seats = new Map<string, OperatorSeat>();
  const idleSince = new Map<string, number>();
  const presence = new Map<string, string>();
  const waiting: CallId[] = [];
  const offers = new Map<string, { operatorId: string; callId: CallId; timer: number }>();
  const talking = new Map<CallId, { operatorId: string; offerId: string }>();
  let offerSeq = 0;

  const dispatch = () => {
    while (waiting.length > 0 && idleSince.size > 0) {
      const [operatorId] = [...idleSince].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0]!;
      idleSince.delete(operatorId);
      const callId = waiting.shift()!;
      const offerId = `task-${offerSeq++}`;
      const at = clock.now();
      const timer = clock.setTimer(at + OFFER_TIMEOUT_MS, () => {
        offers.delete(offerId);
        log.push({ at: clock.now(), operatorId, action: 'offer_timed_out' });
        idleSince.set(operatorId, clock.now());
        // The seat may pause at once (a break that fell due while the offer rang).
        seats.get(operatorId)!.offerWithdrawn({ offerId, reason: 'timed_out', at: clock.now() });
        waiting.unshift(callId);
        dispatch();
      });
      offers.set(offerId, { operatorId, callId, timer });
      const offer: OperatorOffer = {
        offerId,
        callId,
        direction: 'inbound',
        orgId: 'org-1',
        queueId: 'donors',
        campaignId: null,
        cycleType: null,
        dispositions: ['reached', 'call_back', 'do_not_call'],
        at,
        expiresAt: at + OFFER_TIMEOUT_MS,
      };
      log.push({ at, operatorId, action: 'offered' });
      seats.get(operatorId)!.offer(offer);
    }
  };

  const record = (operatorId: string, action: string, detail?: string) =>
    log.push({ at: clock.now(), operatorId, action, detail });

  const actions: OperatorActions = {
    async accept({ operatorId, offerId }) {
      const offer = offers.get(offerId);
      if (!offer || offer.operatorId !== operatorId) throw new Error(`offer ${offerId} is not open`);
      clock.clearTimer(offer.timer);
      offers.delete(offerId);
      record(operatorId, 'accept');
      talking.set(offer.callId, { operatorId, offerId });
      await gateway.bridge({ callId: offer.callId, endpoint: `operator:${operatorId}` });
    },
    async reject({ operatorId, offerId }) {
      record(operatorId, 'reject', offerId);
    },
    async hold({ operatorId, callId }) {
      record(operatorId, 'hold');
      await gateway.hold({ callId });
    },
    async unhold({ operatorId, callId }) {
      record(operatorId, 'unhold');
      await gateway.unhold({ callId });
    },
    async hangUp({ callId }) {
      await gateway.hangUp({ callId });
    },
    async transfer({ operatorId }) {
      // Simulated operators never transfer.
      throw new Error(`operator ${operatorId} transferred`);
    },
    async submitDisposition({ operatorId, code }) {
      record(operatorId, 'disposition', code);
    },
    async endWrapUp({ operatorId }) {
      record(operatorId, 'wrap_ended');
      // As engine/routing does: a pause asked for during the wrap-up starts when it ends.
      if (presence.get(operatorId) === 'available') idleSince.set(operatorId, clock.now());
      dispatch();
    },
    async setPresence({ operatorId, presence: state, reason }) {
      record(operatorId, state, reason);
      presence.set(operatorId, state);
      const busy = [...offers.values(), ...talking.values()].some((o) => o.operatorId === operatorId);
      if (state === 'available' && !busy) idleSince.set(operatorId, clock.now());
      else idleSince.delete(operatorId);
      dispatch();
    },
  };

  gateway.subscribe((e) => {
    if (e.type === 'call.offered') {
      void gateway.answer({ callId: e.callId });
      waiting.push(e.callId);
      dispatch();
    } else if (e.type === 'call.bridged') {
      const t = talking.get(e.callId)!;
      seats.get(t.operatorId)!.connected({ offerId: t.offerId, callId: e.callId, at: e.at });
    } else if (e.type === 'call.hangup') {
      const queued = waiting.indexOf(e.callId);
      if (queued >= 0) waiting.splice(queued, 1);
      for (const [offerId, offer] of offers)
        if (offer.callId === e.callId) {
          clock.clearTimer(offer.timer);
          offers.delete(offerId);
          idleSince.set(offer.operatorId, e.at);
          seats.get(offer.operatorId)!.offerWithdrawn({ offerId, reason: 'task_abandoned', at: e.at });
        }
      const t = talking.get(e.callId);
      if (t) {
        talking.delete(e.callId);
        record(t.operatorId, 'call_ended');
        seats
          .get(t.operatorId)!
          .callEnded({ offerId: t.offerId, callId: e.callId, endedBy: e.endedBy, at: e.at });
      }
    }
  });

  return { actions, seats, log, dispatch };
}

const profile: Partial<SimulatedOperatorProfile> = {
  acceptDelay: { kind: 'fixed', seconds: 2 },
  missRate: 0.1,
  holdRate: 0.5,
  holdAfter: { kind: 'fixed', seconds: 30 },
  holdTime: { kind: 'fixed', seconds: 20 },
  wrapUp: { kind: 'fixed', seconds: 20 },
  outcomes: { default: { reached: 3, call_back: 1, not_allowed_here: 50 } },
  breakEvery: { kind: 'fixed', seconds: 3600 },
  breakLength: { kind: 'fixed', seconds: 600 },
};

async function runCenter(seed: number) {
  const clock = createManualClock({ start: START });
  const gateway = createSimulatedGateway({
    clock,
    seed,
    inbound: [
      {
        number: '+39800123456',
        callsPerHour: Array(24).fill(120),
        patience: { kind: 'exponential', meanSeconds: 300 },
        talkTime: { kind: 'lognormal', meanSeconds: 180, sdSeconds: 90 },
      },
    ],
  });
  const runtime = miniRuntime(clock, gateway);
  const operators = createSimulatedOperators({
    clock,
    seed,
    actions: runtime.actions,
    operators: Array.from({ length: 8 }, (_, i) => ({ operatorId: `op-${i}` })),
    profile,
  });
  for (const seat of operators.seats) runtime.seats.set(seat.operatorId, seat);
  await operators.start();
  await clock.advanceToAsync(START + 8 * HOUR);
  operators.stop();
  await gateway.close();
  return { log: runtime.log, operators, gateway };
}

describe('simulated operators', () => {
  it('accept after their delay, miss some offers, hold, wrap up, record outcomes by weight, take breaks', async () => {
    const { log, operators, gateway } = await runCenter(5);
    const count = (action: string, detail?: string) =>
      log.filter((l) => l.action === action && (detail === undefined || l.detail === detail)).length;
    const offered = count('offered');
    expect(offered).toBeGreaterThan(700);

    // Missed offers ring until the runtime times them out; the rest are accepted 2 s after the offer.
    const timedOut = count('offer_timed_out');
    const binomial = (k: number, n: number, p: number) =>
      expect(Math.abs(k - n * p)).toBeLessThanOrEqual(4 * Math.sqrt(n * p * (1 - p)));
    binomial(timedOut, offered, 0.1);
    const lastOffer = new Map<string, number>();
    for (const l of log) {
      if (l.action === 'offered') lastOffer.set(l.operatorId, l.at);
      if (l.action === 'accept') expect(l.at - lastOffer.get(l.operatorId)!).toBe(2_000);
    }

    // Outcomes: only codes the offer allows (not_allowed_here is not), in the weights 3 : 1.
    const reached = count('disposition', 'reached');
    const callBack = count('disposition', 'call_back');
    expect(count('disposition', 'not_allowed_here')).toBe(0);
    binomial(reached, reached + callBack, 0.75);

    // Wrap-up: 20 s from the end of the call to the end of the wrap-up, and one disposition each.
    expect(count('disposition')).toBe(count('wrap_ended'));
    const endedAt = new Map<string, number>();
    for (const l of log) {
      if (l.action === 'call_ended') endedAt.set(l.operatorId, l.at);
      if (l.action === 'wrap_ended') expect(l.at - endedAt.get(l.operatorId)!).toBe(20_000);
    }

    // Holds: about half the conversations long enough (> 30 s) have one, 20 s long.
    const holds = count('hold');
    expect(holds).toBeGreaterThan(0.3 * count('accept'));
    expect(holds).toBeLessThan(0.6 * count('accept'));
    // Each hold ends with the operator taking the caller back, or the caller hanging up on hold.
    expect(count('unhold') + gateway.stats().inbound.abandonedOnHold).toBe(holds);

    // Breaks: due every hour of work, taken when idle or after the wrap-up, 10 minutes each.
    for (let i = 0; i < 8; i++) {
      const mine = log.filter((l) => l.operatorId === `op-${i}`);
      const breaks = mine.filter((l) => l.action === 'not_ready' && l.detail === 'break');
      expect(breaks.length).toBeGreaterThanOrEqual(6);
      expect(breaks.length).toBeLessThanOrEqual(8);
      for (const b of breaks) {
        const back = mine.find((l) => l.action === 'available' && l.at > b.at)!;
        expect(back.at - b.at).toBe(600_000);
        // Nothing is offered to an operator on a break.
        expect(mine.some((l) => l.action === 'offered' && l.at > b.at && l.at < back.at)).toBe(false);
      }
      expect(operators.stats(`op-${i}`).refusedActions).toBe(0);
    }
  });

  it('same seed, same behaviour', async () => {
    const a = await runCenter(9);
    const b = await runCenter(9);
    expect(b.log).toEqual(a.log);
    expect(b.log.length).toBeGreaterThan(1_000);
  });

  it('a refused action is counted and reported, not thrown', async () => {
    const clock = createManualClock({ start: START });
    const refused: string[] = [];
    const actions = {
      accept: async () => {
        throw new Error('offer already timed out');
      },
      setPresence: async () => {},
    } as unknown as OperatorActions;
    const operators = createSimulatedOperators({
      clock,
      seed: 1,
      actions,
      operators: [{ operatorId: 'op-1', profile: { missRate: 0, breakEvery: null } }],
      onRefused: (_error, { action }) => refused.push(action),
    });
    await operators.start();
    operators.seat('op-1').offer({
      offerId: 't1',
      callId: 'sim-in-0',
      direction: 'inbound',
      orgId: 'org-1',
      queueId: 'q',
      campaignId: null,
      cycleType: null,
      dispositions: ['reached'],
      at: START,
      expiresAt: START + 15_000,
    });
    await clock.advanceToAsync(START + 60_000);
    expect(refused).toEqual(['accept']);
    expect(operators.stats('op-1')).toMatchObject({ offers: 1, accepted: 1, refusedActions: 1 });
  });
});
