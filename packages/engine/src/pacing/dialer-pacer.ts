// Dialer pacing (issue 4): how many calls a campaign places now. Pure and
// deterministic: the caller passes the clock (nowMs) and the state; nothing here
// reads the time or draws random numbers.
//
// Predictive pacing treats the next few seconds as a balance: live answers
// L ~ Binomial(calls in flight + new calls, live-answer rate) against free
// operators M = idle + Σ P(busy operator i finishes within the time to answer).
// Expected drops are E[(L − M)+], with L − M taken as normal (mean and variance
// add); it places the most calls whose expected drops stay within a target share
// of expected live answers. The target shrinks as the rolling 24 h / 30 day
// budget is used, and the pacer falls back to progressive when it is spent.

import { createAnswerRate, type PacingAnswerRateOptions } from './answer-rate.ts';
import { createDropBudget, type PacingDropWindow } from './drop-budget.ts';
import { createFinishProbability, normalCdf, normalPdf, type PacingHandleTime } from './handle-time.ts';

export type DialerPacingMode = 'preview' | 'progressive' | 'power' | 'predictive';

/** What the pacer sees at a tick, for one campaign. */
export type DialerSnapshot = {
  /** List the next records come from (answer rates are kept per list and hour). */
  listId: string;
  /** Operators logged in to the campaign with nothing to do. */
  availableOperators: number;
  /** Elapsed handle time (ms) of each operator busy on a contact of the campaign. */
  busyOperatorsElapsedMs: readonly number[];
  /** Calls dialled and not yet answered, failed or given up. */
  callsInFlight: number;
  /**
   * Optional, time since each call in flight was dialled (ms). A call still
   * ringing after 20 s is most likely a no-answer; with these ages the pacer
   * counts such calls at their lower live chance instead of the list's rate.
   */
  callsInFlightElapsedMs?: readonly number[];
  /** Live-answered calls waiting for an operator (the 2 s are running). */
  callsWaiting?: number;
};

export type DialerOutcome =
  | { kind: 'dial'; listId: string }
  /** A person answered ringMs after the dial. */
  | { kind: 'live'; listId: string; ringMs: number }
  /** afterMs: from the dial to the outcome (optional; feeds the in-flight live chance). */
  | { kind: 'machine'; listId: string; afterMs?: number }
  | { kind: 'no_answer'; listId: string; afterMs?: number }
  | { kind: 'connect' }
  /** A live answer not connected within 2 s, or an AMD false positive (record its `live` too). */
  | { kind: 'drop'; reason: 'not_connected_in_time' | 'amd_false_positive' };

export type DialerPacerOptions = {
  mode: DialerPacingMode;
  /** Drop-rate ceiling over 24 h and over 30 days (default 0.03, DOMAIN.md §4). */
  ceiling?: number;
  /** Power mode: calls per available operator (default 2). */
  ratio?: number;
  /** Predictive: share of the ceiling it aims for when the budget is untouched (default 0.6). */
  targetShare?: number;
  /** Predictive: handle-time model (default lognormal, mean 150 s, sigma 0.7). */
  handleTime?: PacingHandleTime;
  /** Predictive: at most this many calls in flight per operator (default 4). */
  maxLinesPerOperator?: number;
  /** Expected ring time to a live answer before any is recorded (default 10 s). */
  ringMsPrior?: number;
  /** Time a live answer may wait for an operator before it is a drop (default 2 s, DOMAIN.md §4). */
  connectAllowanceMs?: number;
  answerRate?: PacingAnswerRateOptions;
  /** Hour of day (0–23) of a clock value; default UTC. Calling-window time zones belong to the caller. */
  hourOfDay?: (nowMs: number) => number;
};

export type DialerPacerStatus = {
  mode: DialerPacingMode;
  /** The mode the last decision used: predictive falls back to progressive when its budget is spent. */
  effectiveMode: DialerPacingMode;
  day: PacingDropWindow;
  month: PacingDropWindow;
};

export type DialerPacer = {
  /** Number of new calls to place now (integer ≥ 0). */
  decide(snapshot: DialerSnapshot, nowMs: number): number;
  record(outcome: DialerOutcome, nowMs: number): void;
  /** Live-answer rate the pacer currently assumes for a list at a time. */
  answerRate(listId: string, nowMs: number): number;
  status(nowMs: number): DialerPacerStatus;
};

export function createDialerPacer(options: DialerPacerOptions): DialerPacer {
  const mode = options.mode;
  const ceiling = options.ceiling ?? 0.03;
  const ratio = options.ratio ?? 2;
  const targetShare = options.targetShare ?? 0.6;
  const maxLines = options.maxLinesPerOperator ?? 4;
  const allowanceMs = options.connectAllowanceMs ?? 2000;
  const hourOfDay = options.hourOfDay ?? ((ms: number) => Math.floor(ms / 3_600_000) % 24);
  const finishProbability = createFinishProbability(
    options.handleTime ?? { kind: 'lognormal', meanMs: 150_000, sigma: 0.7 },
  );
  const rates = createAnswerRate(options.answerRate);
  const budget = createDropBudget();
  // Mean ring time to a live answer, smoothed like the answer rate (prior worth 20 answers).
  let ringMsSum = (options.ringMsPrior ?? 10_000) * 20;
  let ringCount = 20;
  let effectiveMode: DialerPacingMode = mode;
  // Outcomes by whole seconds from the dial (last slot: that long or longer), for
  // P(live | still unresolved at age a) by Bayes' rule:
  // p·S_live(a) / (p·S_live(a) + (1 − p)·S_other(a)), S = share resolving later than a.
  const AGE_SLOTS = 121;
  const liveByAge = new Float64Array(AGE_SLOTS);
  const otherByAge = new Float64Array(AGE_SLOTS);
  let liveAged = 0;
  let otherAged = 0;
  const ageSlot = (ms: number) => Math.min(AGE_SLOTS - 1, Math.max(0, Math.floor(ms / 1000)));
  const liveLater = new Float64Array(AGE_SLOTS);
  const otherLater = new Float64Array(AGE_SLOTS);
  function liveChanceInFlight(p: number, elapsedMs: readonly number[] | undefined, count: number): number {
    if (!elapsedMs || liveAged + otherAged === 0) return count * p;
    // Survival shares once per decision; until an outcome of a kind is known, it can still come (1).
    let live = 0;
    let other = 0;
    for (let i = AGE_SLOTS - 1; i >= 0; i--) {
      live += liveByAge[i]!;
      other += otherByAge[i]!;
      liveLater[i] = liveAged > 0 ? live / liveAged : 1;
      otherLater[i] = otherAged > 0 ? other / otherAged : 1;
    }
    let expected = 0;
    for (const ms of elapsedMs) {
      const slot = ageSlot(ms);
      const liveWeight = p * liveLater[slot]!;
      const otherWeight = (1 - p) * otherLater[slot]!;
      expected += liveWeight + otherWeight > 0 ? liveWeight / (liveWeight + otherWeight) : 0;
    }
    return expected;
  }

  const progressive = (s: DialerSnapshot) =>
    Math.max(0, s.availableOperators - (s.callsWaiting ?? 0) - s.callsInFlight);

  // Share of the budget left in a window: 1 untouched, ≤ 0 spent. One drop is
  // held in reserve, since calls already ringing may still drop one; so a young
  // campaign dials progressively until it has 1 / ceiling live answers (34 at 3 %)
  // and its allowance grows with its live answers.
  function budgetLeft(window: PacingDropWindow): number {
    const allowed = ceiling * window.liveAnswers;
    return allowed > 0 ? (allowed - window.drops - 1) / allowed : 0;
  }

  function predictive(s: DialerSnapshot, nowMs: number): number {
    const floor = progressive(s);
    const left = Math.min(budgetLeft(budget.day(nowMs)), budgetLeft(budget.month(nowMs)));
    if (left <= 0) {
      effectiveMode = 'progressive';
      return floor;
    }
    effectiveMode = 'predictive';
    // Aim lower as the budget is used: the full target while half is left, then linearly to 0.
    const targetRate = ceiling * targetShare * Math.min(1, left / 0.5);
    const p = rates.estimate(s.listId, hourOfDay(nowMs));
    const horizonMs = ringMsSum / ringCount + allowanceMs;
    let freeMean = s.availableOperators - (s.callsWaiting ?? 0);
    let freeVariance = 0;
    for (const elapsedMs of s.busyOperatorsElapsedMs) {
      const q = finishProbability(elapsedMs, horizonMs);
      freeMean += q;
      freeVariance += q * (1 - q);
    }
    const operators = s.availableOperators + s.busyOperatorsElapsedMs.length;
    const maxNew = Math.max(0, maxLines * operators - s.callsInFlight);
    // Lives expected from the calls already ringing; their variance is taken as
    // binomial at their mean chance (slightly high: a sum of Bernoullis varies less).
    const inFlightLives = liveChanceInFlight(p, s.callsInFlightElapsedMs, s.callsInFlight);
    const inFlightChance = s.callsInFlight > 0 ? inFlightLives / s.callsInFlight : 0;
    const inFlightVariance = s.callsInFlight * inFlightChance * (1 - inFlightChance);
    const withinTarget = (n: number) => {
      const lives = inFlightLives + n * p;
      const mean = lives - freeMean;
      const sd = Math.sqrt(inFlightVariance + n * p * (1 - p) + freeVariance);
      // E[X+] for X ~ N(mean, sd²) = mean·Φ(mean/sd) + sd·φ(mean/sd).
      const expectedDrops =
        sd > 0 ? mean * normalCdf(mean / sd) + sd * normalPdf(mean / sd) : Math.max(0, mean);
      return expectedDrops <= targetRate * lives;
    };
    // Expected drops per live answer grow with the calls placed, so the largest
    // n within target is found by bisection.
    let best = 0;
    let high = maxNew;
    while (best < high) {
      const mid = (best + high + 1) >>> 1;
      if (withinTarget(mid)) best = mid;
      else high = mid - 1;
    }
    return Math.max(best, floor);
  }

  return {
    decide(snapshot, nowMs) {
      switch (mode) {
        case 'preview':
          // The operator reads the record and dials: the pacer places nothing.
          effectiveMode = 'preview';
          return 0;
        case 'progressive':
          effectiveMode = 'progressive';
          return progressive(snapshot);
        case 'power':
          effectiveMode = 'power';
          return Math.max(
            0,
            Math.floor(ratio * (snapshot.availableOperators - (snapshot.callsWaiting ?? 0))) -
              snapshot.callsInFlight,
          );
        case 'predictive':
          return predictive(snapshot, nowMs);
      }
    },
    record(outcome, nowMs) {
      switch (outcome.kind) {
        case 'live':
          rates.add(outcome.listId, hourOfDay(nowMs), true);
          budget.addLiveAnswer(nowMs);
          ringMsSum += outcome.ringMs;
          ringCount++;
          liveByAge[ageSlot(outcome.ringMs)]! += 1;
          liveAged++;
          break;
        case 'machine':
        case 'no_answer':
          rates.add(outcome.listId, hourOfDay(nowMs), false);
          if (outcome.afterMs !== undefined) {
            otherByAge[ageSlot(outcome.afterMs)]! += 1;
            otherAged++;
          }
          break;
        case 'drop':
          budget.addDrop(nowMs);
          break;
        case 'dial':
        case 'connect':
          break;
      }
    },
    answerRate: (listId, nowMs) => rates.estimate(listId, hourOfDay(nowMs)),
    status: (nowMs) => ({ mode, effectiveMode, day: budget.day(nowMs), month: budget.month(nowMs) }),
  };
}
