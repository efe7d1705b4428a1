// Simulated operators: seats (../operator-seat.ts) that behave like people.
// Offered a contact, they accept after a human delay or sometimes let it ring;
// while talking some put the customer on hold to look something up; when the
// call ends they spend a wrap-up time, record an outcome drawn from weights
// per contact cycle or queue, and are ready again; every so often they take a
// break. The customer decides when the conversation ends (the simulated
// gateway's talk time), so an operator never hangs up on a person.
import {
  type CompiledDistribution,
  compileDistribution,
  createSampler,
  type SimulationDistribution,
} from '@centralino/engine';
import type { LiveClock, TimerId } from '../../live/clock.ts';
import type { CallId } from '../gateway.ts';
import type { OperatorActions, OperatorOffer, OperatorPresence, OperatorSeat } from '../operator-seat.ts';
import { createStream, STREAM_OPERATOR } from './random-streams.ts';

export type DispositionFiller = (o: {
  operatorId: string;
  offer: OperatorOffer;
  code: string;
  at: number;
  random: () => number;
}) => Promise<{ code: string; details?: Record<string, unknown> } | null>;

export type SimulatedOperatorProfile = {
  /** From the offer to the click on "accept". */
  acceptDelay: SimulationDistribution;
  /** Share of offers left ringing until they time out. */
  missRate: number;
  /** Share of offers declined (after the accept delay). */
  rejectRate: number;
  /** Share of conversations with one hold. */
  holdRate: number;
  /** From the connection to the hold. */
  holdAfter: SimulationDistribution;
  holdTime: SimulationDistribution;
  wrapUp: SimulationDistribution;
  /**
   * Weights of disposition codes by the offer's cycle type, else its queue id,
   * else `default`. Only codes the offer allows are drawn; with no weighted code
   * allowed, one of the offer's codes is drawn uniformly.
   */
  outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Working time between breaks, and the break itself (reason `break`). */
  breakEvery: SimulationDistribution | null;
  breakLength: SimulationDistribution;
};

// Illustrative defaults for a donor-care center, not measured values.
export const DEFAULT_OPERATOR_PROFILE: SimulatedOperatorProfile = {
  acceptDelay: { kind: 'lognormal', meanSeconds: 3, sdSeconds: 1.5 },
  missRate: 0.02,
  rejectRate: 0,
  holdRate: 0.1,
  holdAfter: { kind: 'exponential', meanSeconds: 60 },
  holdTime: { kind: 'lognormal', meanSeconds: 40, sdSeconds: 20 },
  wrapUp: { kind: 'lognormal', meanSeconds: 30, sdSeconds: 15 },
  outcomes: {
    default: { reached: 1 },
    welcome: { reached: 8, call_back: 1, not_interested: 1 },
    upgrade: { upgrade_accepted: 2, not_interested: 5, call_back: 2, reached: 1 },
    conversion: { conversion_accepted: 1, not_interested: 6, call_back: 2 },
    recapture: { recapture_accepted: 2, not_interested: 6, call_back: 2 },
  },
  breakEvery: { kind: 'lognormal', meanSeconds: 2 * 3600, sdSeconds: 1800 },
  breakLength: { kind: 'lognormal', meanSeconds: 600, sdSeconds: 180 },
};

export type SimulatedOperatorStats = {
  offers: number;
  accepted: number;
  missed: number;
  rejected: number;
  holds: number;
  breaks: number;
  dispositions: Record<string, number>;
  /** Actions the runtime refused (e.g. accepting an offer that had just timed out). */
  refusedActions: number;
};

type Compiled = {
  profile: SimulatedOperatorProfile;
  acceptDelay: CompiledDistribution;
  holdAfter: CompiledDistribution;
  holdTime: CompiledDistribution;
  wrapUp: CompiledDistribution;
  breakEvery: CompiledDistribution | null;
  breakLength: CompiledDistribution;
};

type Operator = {
  seat: OperatorSeat;
  compiled: Compiled;
  random: () => number;
  presence: OperatorPresence;
  offer: OperatorOffer | null;
  callId: CallId | null;
  /** Timers of the current offer or call (accept, hold, unhold, wrap-up). */
  timers: Set<TimerId>;
  /** The next break falling due, or the break in progress ending. */
  breakTimers: Set<TimerId>;
  breakDue: boolean;
  stats: SimulatedOperatorStats;
};

export type SimulatedOperators = {
  /** The seats, in the order given, for the runtime to register. */
  seats: readonly OperatorSeat[];
  seat(operatorId: string): OperatorSeat;
  /** Logs every operator in (`available`) and starts their break cycles. */
  start(): Promise<void>;
  /** Cancels every timer; logs nobody out (the runtime does that at shutdown). */
  stop(): void;
  stats(operatorId: string): SimulatedOperatorStats;
};

const draw = (d: CompiledDistribution, random: () => number) => Math.round(createSampler(d, random)() * 1000);

export function createSimulatedOperators(options: {
  clock: LiveClock;
  seed: number;
  actions: OperatorActions;
  operators: readonly { operatorId: string; profile?: Partial<SimulatedOperatorProfile> }[];
  /** Profile fields every operator shares unless their own overrides them. */
  profile?: Partial<SimulatedOperatorProfile>;
  /** Told of every action the runtime refused (they are also counted in `refusedActions`). */
  onRefused?: (error: unknown, context: { operatorId: string; action: string }) => void;
  /**
   * Fills the outcome form as a person would: the fields a disposition needs
   * (the new amount of an upgrade, the commitment, the call-back time) read
   * from the record, or another code when the record does not allow it (no
   * commitment to upgrade). Without it only the code is sent.
   */
  dispositionDetails?: DispositionFiller;
}): SimulatedOperators {
  const { clock, actions } = options;
  const byId = new Map<string, Operator>();
  let stopped = false;

  const compile = (profile: SimulatedOperatorProfile): Compiled => ({
    profile,
    acceptDelay: compileDistribution(profile.acceptDelay),
    holdAfter: compileDistribution(profile.holdAfter),
    holdTime: compileDistribution(profile.holdTime),
    wrapUp: compileDistribution(profile.wrapUp),
    breakEvery: profile.breakEvery && compileDistribution(profile.breakEvery),
    breakLength: compileDistribution(profile.breakLength),
  });

  const timer = (owner: Set<TimerId>, at: number, fn: () => void): TimerId => {
    const id = clock.setTimer(at, () => {
      owner.delete(id);
      if (!stopped) fn();
    });
    owner.add(id);
    return id;
  };
  const clear = (owner: Set<TimerId>) => {
    for (const id of owner) clock.clearTimer(id);
    owner.clear();
  };

  /** Runs an action; a refusal is counted and reported, never thrown into the clock. */
  const act = (op: Operator, action: string, run: () => Promise<void>) => {
    run().catch((error: unknown) => {
      op.stats.refusedActions++;
      options.onRefused?.(error, { operatorId: op.seat.operatorId, action });
    });
  };

  const chooseOutcome = (op: Operator, offer: OperatorOffer): string | null => {
    const outcomes = op.compiled.profile.outcomes;
    const weights =
      (offer.cycleType !== null ? outcomes[offer.cycleType] : undefined) ??
      outcomes[offer.queueId] ??
      outcomes.default;
    const allowed = new Set(offer.dispositions);
    const entries = Object.entries(weights ?? {}).filter(([code, w]) => w > 0 && allowed.has(code));
    if (entries.length === 0)
      return offer.dispositions.length === 0
        ? null
        : offer.dispositions[Math.floor(op.random() * offer.dispositions.length)]!;
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let u = op.random() * total;
    for (const [code, w] of entries) {
      u -= w;
      if (u < 0) return code;
    }
    return entries.at(-1)![0];
  };

  const scheduleBreak = (op: Operator) => {
    const every = op.compiled.breakEvery;
    if (every === null) return;
    timer(op.breakTimers, clock.now() + draw(every, op.random), () => {
      op.breakDue = true;
      maybeBreak(op);
    });
  };

  /** A break falls due: taken at once when idle, else after the current contact's wrap-up. */
  const maybeBreak = (op: Operator) => {
    if (!op.breakDue || op.offer !== null || op.presence !== 'available') return;
    op.breakDue = false;
    op.stats.breaks++;
    const operatorId = op.seat.operatorId;
    op.presence = 'not_ready';
    act(op, 'setPresence', () => actions.setPresence({ operatorId, presence: 'not_ready', reason: 'break' }));
    timer(op.breakTimers, clock.now() + draw(op.compiled.breakLength, op.random), () => {
      if (op.presence !== 'not_ready') return;
      op.presence = 'available';
      act(op, 'setPresence', () => actions.setPresence({ operatorId, presence: 'available' }));
      scheduleBreak(op);
    });
  };

  const createSeat = (operatorId: string): OperatorSeat => ({
    operatorId,
    offer(offer) {
      const op = byId.get(operatorId)!;
      op.stats.offers++;
      op.offer = offer;
      // A dialer connect is accepted by the platform: nothing to click.
      if (offer.autoAccepted) {
        op.stats.accepted++;
        return;
      }
      const { profile } = op.compiled;
      const u = op.random();
      if (u < profile.missRate) {
        // Lets it ring: the runtime times the offer out and withdraws it.
        op.stats.missed++;
        return;
      }
      const decline = u < profile.missRate + profile.rejectRate;
      timer(op.timers, clock.now() + draw(op.compiled.acceptDelay, op.random), () => {
        if (op.offer?.offerId !== offer.offerId) return;
        if (decline) {
          op.stats.rejected++;
          op.offer = null;
          act(op, 'reject', () => actions.reject({ operatorId, offerId: offer.offerId }));
          maybeBreak(op);
        } else {
          op.stats.accepted++;
          act(op, 'accept', () => actions.accept({ operatorId, offerId: offer.offerId }));
        }
      });
    },
    offerWithdrawn({ offerId }) {
      const op = byId.get(operatorId)!;
      if (op.offer?.offerId !== offerId) return;
      clear(op.timers);
      op.offer = null;
      op.callId = null;
      maybeBreak(op);
    },
    connected({ offerId, callId, at }) {
      const op = byId.get(operatorId)!;
      if (op.offer?.offerId !== offerId) return;
      op.callId = callId;
      const c = op.compiled;
      if (op.random() >= c.profile.holdRate) return;
      const holdAt = at + draw(c.holdAfter, op.random);
      timer(op.timers, holdAt, () => {
        op.stats.holds++;
        act(op, 'hold', () => actions.hold({ operatorId, callId }));
        timer(op.timers, holdAt + draw(c.holdTime, op.random), () =>
          act(op, 'unhold', () => actions.unhold({ operatorId, callId })),
        );
      });
    },
    callEnded({ offerId, at }) {
      const op = byId.get(operatorId)!;
      const offer = op.offer;
      if (offer?.offerId !== offerId) return;
      // A pending hold or unhold has nothing left to act on.
      clear(op.timers);
      op.callId = null;
      timer(op.timers, at + draw(op.compiled.wrapUp, op.random), () => {
        const code = chooseOutcome(op, offer);
        const fill = options.dispositionDetails;
        if (code !== null && fill) {
          // The form's fields come from the record (an amount, a commitment): read first, then
          // submit, then end the wrap-up, in that order.
          const at = clock.now();
          op.offer = null;
          maybeBreak(op);
          act(op, 'wrapUp', async () => {
            const chosen = (await fill({ operatorId, offer, code, at, random: op.random })) ?? { code };
            op.stats.dispositions[chosen.code] = (op.stats.dispositions[chosen.code] ?? 0) + 1;
            try {
              await actions.submitDisposition({
                operatorId,
                offerId,
                code: chosen.code,
                ...(chosen.details ? { details: chosen.details } : {}),
              });
            } catch (error) {
              op.stats.refusedActions++;
              options.onRefused?.(error, { operatorId, action: 'submitDisposition' });
            }
            await actions.endWrapUp({ operatorId, offerId });
          });
          return;
        }
        if (code !== null) {
          op.stats.dispositions[code] = (op.stats.dispositions[code] ?? 0) + 1;
          act(op, 'submitDisposition', () => actions.submitDisposition({ operatorId, offerId, code }));
        }
        // Free before ending the wrap-up: the runtime may offer the next contact at once.
        // A break due is asked for first, as "pause after this call" is in the web app.
        op.offer = null;
        maybeBreak(op);
        act(op, 'endWrapUp', () => actions.endWrapUp({ operatorId, offerId }));
      });
    },
    presenceChanged({ presence, forced }) {
      const op = byId.get(operatorId)!;
      if (!forced) return;
      // A supervisor's decision stands: the simulated operator follows it until forced back.
      op.presence = presence;
      clear(op.breakTimers);
      op.breakDue = false;
      if (presence === 'offline') {
        clear(op.timers);
        op.offer = null;
        op.callId = null;
      } else if (presence === 'available') {
        scheduleBreak(op);
      }
    },
  });

  options.operators.forEach(({ operatorId, profile }, index) => {
    if (byId.has(operatorId)) throw new RangeError(`operator ${operatorId} is listed twice`);
    const merged = { ...DEFAULT_OPERATOR_PROFILE, ...options.profile, ...profile };
    for (const key of ['missRate', 'rejectRate', 'holdRate'] as const)
      if (!(merged[key] >= 0 && merged[key] <= 1))
        throw new RangeError(`${operatorId}: ${key} must be a share 0–1`);
    if (merged.missRate + merged.rejectRate > 1)
      throw new RangeError(`${operatorId}: missRate + rejectRate must not exceed 1`);
    byId.set(operatorId, {
      seat: createSeat(operatorId),
      compiled: compile(merged),
      random: createStream(options.seed, STREAM_OPERATOR, index),
      presence: 'offline',
      offer: null,
      callId: null,
      timers: new Set(),
      breakTimers: new Set(),
      breakDue: false,
      stats: {
        offers: 0,
        accepted: 0,
        missed: 0,
        rejected: 0,
        holds: 0,
        breaks: 0,
        dispositions: {},
        refusedActions: 0,
      },
    });
  });

  return {
    seats: [...byId.values()].map((op) => op.seat),
    seat(operatorId) {
      const op = byId.get(operatorId);
      if (!op) throw new RangeError(`no simulated operator ${operatorId}`);
      return op.seat;
    },
    async start() {
      await Promise.all(
        [...byId.values()].map(async (op) => {
          await actions.setPresence({ operatorId: op.seat.operatorId, presence: 'available' });
          op.presence = 'available';
          scheduleBreak(op);
        }),
      );
    },
    stop() {
      stopped = true;
      for (const op of byId.values()) {
        clear(op.timers);
        clear(op.breakTimers);
      }
    },
    stats(operatorId) {
      const op = byId.get(operatorId);
      if (!op) throw new RangeError(`no simulated operator ${operatorId}`);
      return structuredClone(op.stats);
    },
  };
}
