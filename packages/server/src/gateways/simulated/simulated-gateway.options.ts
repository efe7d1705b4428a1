// Options of the simulated gateway, their defaults and their validation.
// Durations use the engine simulator's distribution shapes (seconds), so a
// live demo and an `engine/simulate` scenario describe callers the same way.
import type { SimulationDistribution, SimulationPatience } from '@centralino/engine';
import type { LiveClock } from '../../live/clock.ts';
import { GatewayError, type HangupCause, type PromptId } from '../gateway.ts';

export type SimulatedInboundLine = {
  /** The dialed number (E.164), reported as `number` of `call.offered`. */
  number: string;
  /** Mean calls per hour for each local hour 0–23 (time zone of the gateway). */
  callsPerHour: readonly number[];
  /** How long a caller waits unanswered or queued before hanging up (total over the call). */
  patience?: SimulationPatience;
  /** Conversation with the operator, hold time excluded. */
  talkTime?: SimulationDistribution;
  /** Caller ids: a share from `known` (so the CRM can recognise them), a share withheld, the rest random mobiles. */
  callerIds?: { known?: readonly string[]; knownShare?: number; anonymousShare?: number };
};

/** How callers answer one menu prompt: a weight per key sequence, plus pressing nothing or hanging up. */
export type SimulatedMenu = {
  choices: Readonly<Record<string, number>>;
  noInput?: number;
  hangUp?: number;
};

export type SimulatedIvrOptions = {
  /** Caller behaviour per prompt: the menu a `gatherDigits` answers is its prompt, else the last one played. */
  menus?: Readonly<Record<PromptId, SimulatedMenu>>;
  /** Length of each prompt, ms; others last `defaultPromptMs`. */
  promptDurationsMs?: Readonly<Record<PromptId, number>>;
  defaultPromptMs?: number;
  /** From the end of the prompt to the first key. */
  reactionTime?: SimulationDistribution;
  /** Between keys of a sequence. */
  interDigitMs?: number;
};

export type SimulatedOutboundOptions = {
  /** Share of dials a person answers: one number, or 24 (per local hour: people are home in the evening). */
  liveAnswerRate: number | readonly number[];
  /** Share of dials an answering machine (voicemail) answers. */
  machineRate: number;
  busyRate: number;
  /** Share of dials the network refuses (invalid number, congestion); the rest ring unanswered. */
  failedRate: number;
  /** Causes of failed dials, by weight. */
  failureCauses?: Partial<Record<HangupCause, number>>;
  /** From dialing to a person's pickup; a pickup later than the originate timeout is a `no_answer`. */
  answerDelay?: SimulationDistribution;
  machineAnswerDelay?: SimulationDistribution;
  /** From dialing to `call.ringing`. */
  ringAfterMs?: number;
  /** From dialing to the busy tone / the network's refusal. */
  busyAfterMs?: number;
  failedAfterMs?: number;
  /** Share of people answering-machine detection calls machines (they are dropped: DOMAIN.md §4). */
  amdFalsePositiveRate?: number;
  /** Share of machines the detector takes for people. */
  amdFalseNegativeRate?: number;
  /** From the answer to the detector's verdict. */
  amdDetectionTime?: SimulationDistribution;
  /** How long a person who answered waits in silence for an operator before hanging up. */
  personPatience?: SimulationPatience;
  talkTime?: SimulationDistribution;
  /** A machine records until it hangs up on its own, this long after answering. */
  machineHangupSeconds?: number;
};

export type SimulatedGatewayOptions = {
  clock: LiveClock;
  /** Any integer; the same seed and the same commands at the same times give the same events. */
  seed: number;
  /** Time zone of the per-hour profiles (default Europe/Rome). */
  timeZone?: string;
  inbound?: readonly SimulatedInboundLine[];
  ivr?: SimulatedIvrOptions;
  outbound?: SimulatedOutboundOptions;
  /** How long a customer on hold waits before hanging up, each hold afresh (default exponential 600 s). */
  holdPatience?: SimulationPatience;
};

// Defaults. Service times of call centers are close to lognormal (Brown et al.
// 2005, "Statistical analysis of a telephone call center", JASA 100(469)), and
// exponential patience is the Erlang A assumption (Gans, Koole & Mandelbaum
// 2003, "Telephone call centers: tutorial, review, and research prospects");
// the means are typical of a donor-care line, not measured values.
export const DEFAULT_INBOUND_PATIENCE: SimulationPatience = { kind: 'exponential', meanSeconds: 180 };
export const DEFAULT_INBOUND_TALK: SimulationDistribution = {
  kind: 'lognormal',
  meanSeconds: 240,
  sdSeconds: 180,
};
export const DEFAULT_OUTBOUND_TALK: SimulationDistribution = {
  kind: 'lognormal',
  meanSeconds: 180,
  sdSeconds: 120,
};
export const DEFAULT_HOLD_PATIENCE: SimulationPatience = { kind: 'exponential', meanSeconds: 600 };
export const DEFAULT_REACTION: SimulationDistribution = {
  kind: 'lognormal',
  meanSeconds: 2.5,
  sdSeconds: 1.5,
};
export const DEFAULT_PROMPT_MS = 6_000;
export const DEFAULT_INTER_DIGIT_MS = 500;
// About 2–4 rings for a person, 4–6 for voicemail (a ring cycle is 5 s in Italy: 1 s on, 4 s off).
export const DEFAULT_ANSWER_DELAY: SimulationDistribution = {
  kind: 'lognormal',
  meanSeconds: 10,
  sdSeconds: 5,
};
export const DEFAULT_MACHINE_ANSWER_DELAY: SimulationDistribution = {
  kind: 'lognormal',
  meanSeconds: 22,
  sdSeconds: 4,
};
// Asterisk AMD decides within total_analysis_time (5 s); with its defaults
// (greeting 1.5 s, after_greeting_silence 0.8 s) a verdict takes about 2 s.
export const DEFAULT_AMD_DETECTION: SimulationDistribution = {
  kind: 'lognormal',
  meanSeconds: 2,
  sdSeconds: 0.6,
};
// Same default as engine/pacing's dialing simulation.
export const DEFAULT_AMD_FALSE_POSITIVE_RATE = 0.005;
export const DEFAULT_AMD_FALSE_NEGATIVE_RATE = 0.1;
// People hang up on a silent call within seconds: hence the 2-second rule of DOMAIN.md §4.
export const DEFAULT_PERSON_PATIENCE: SimulationPatience = {
  kind: 'lognormal',
  meanSeconds: 6,
  sdSeconds: 4,
};
export const DEFAULT_FAILURE_CAUSES: Partial<Record<HangupCause, number>> = {
  unallocated_number: 4,
  normal_circuit_congestion: 3,
  network_out_of_order: 2,
  normal_temporary_failure: 1,
};

type Issue = { field: string; message: string };

/** Throws `GATEWAY_INVALID_INPUT` listing every failing field. */
export function validateSimulatedGatewayOptions(options: SimulatedGatewayOptions): void {
  const issues: Issue[] = [];
  const fail = (field: string, message: string) => issues.push({ field, message });
  const share = (field: string, v: unknown) => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      fail(field, `must be a share between 0 and 1, got ${v}`);
  };
  const nonNegative = (field: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(field, `must be a number ≥ 0, got ${v}`);
  };
  const distribution = (field: string, d: SimulationPatience | undefined) => {
    if (d === undefined) return;
    switch (d.kind) {
      case 'infinite':
        return;
      case 'fixed':
        return nonNegative(`${field}.seconds`, d.seconds);
      case 'exponential':
        if (!(d.meanSeconds > 0)) fail(`${field}.meanSeconds`, `must be > 0, got ${d.meanSeconds}`);
        return;
      case 'lognormal':
        if (!(d.meanSeconds > 0)) fail(`${field}.meanSeconds`, `must be > 0, got ${d.meanSeconds}`);
        nonNegative(`${field}.sdSeconds`, d.sdSeconds);
        return;
      case 'empirical':
        if (d.valuesSeconds.length === 0) fail(`${field}.valuesSeconds`, 'must not be empty');
        for (const [i, v] of d.valuesSeconds.entries()) nonNegative(`${field}.valuesSeconds[${i}]`, v);
        if (d.weights && d.weights.length !== d.valuesSeconds.length)
          fail(`${field}.weights`, 'must have one weight per value');
        return;
      default:
        fail(field, `unknown distribution kind ${(d as { kind: unknown }).kind}`);
    }
  };
  const weights = (field: string, w: Readonly<Record<string, number | undefined>>, extra = 0) => {
    let total = extra;
    for (const [k, v] of Object.entries(w)) {
      nonNegative(`${field}.${k}`, v);
      total += v ?? 0;
    }
    if (!(total > 0)) fail(field, 'needs at least one positive weight');
  };
  const hourly = (field: string, values: readonly number[], check: (field: string, v: number) => void) => {
    if (values.length !== 24) fail(field, `needs 24 values (one per local hour), got ${values.length}`);
    for (const [i, v] of values.entries()) check(`${field}[${i}]`, v);
  };

  if (!Number.isInteger(options.seed)) fail('seed', `must be an integer, got ${options.seed}`);
  if (options.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: options.timeZone });
    } catch {
      fail('timeZone', `unknown time zone ${options.timeZone}`);
    }
  }
  const seen = new Set<string>();
  options.inbound?.forEach((line, i) => {
    const f = `inbound[${i}]`;
    if (!/^\+[1-9]\d{5,14}$/.test(line.number))
      fail(`${f}.number`, `must be an E.164 number, got ${line.number}`);
    if (seen.has(line.number)) fail(`${f}.number`, `${line.number} is configured twice`);
    seen.add(line.number);
    hourly(`${f}.callsPerHour`, line.callsPerHour, nonNegative);
    distribution(`${f}.patience`, line.patience);
    distribution(`${f}.talkTime`, line.talkTime);
    if (line.callerIds?.knownShare !== undefined)
      share(`${f}.callerIds.knownShare`, line.callerIds.knownShare);
    if (line.callerIds?.anonymousShare !== undefined)
      share(`${f}.callerIds.anonymousShare`, line.callerIds.anonymousShare);
    if ((line.callerIds?.knownShare ?? 0) + (line.callerIds?.anonymousShare ?? 0) > 1)
      fail(`${f}.callerIds`, 'knownShare + anonymousShare must not exceed 1');
    if ((line.callerIds?.knownShare ?? 0) > 0 && (line.callerIds?.known?.length ?? 0) === 0)
      fail(`${f}.callerIds.known`, 'must list numbers when knownShare > 0');
  });
  const ivr = options.ivr;
  if (ivr) {
    for (const [prompt, menu] of Object.entries(ivr.menus ?? {})) {
      const f = `ivr.menus.${prompt}`;
      for (const keys of Object.keys(menu.choices))
        if (!/^[0-9*#A-D]+$/.test(keys)) fail(`${f}.choices`, `"${keys}" is not a sequence of DTMF keys`);
      weights(`${f}.choices`, menu.choices, (menu.noInput ?? 0) + (menu.hangUp ?? 0));
      if (menu.noInput !== undefined) nonNegative(`${f}.noInput`, menu.noInput);
      if (menu.hangUp !== undefined) nonNegative(`${f}.hangUp`, menu.hangUp);
    }
    for (const [prompt, ms] of Object.entries(ivr.promptDurationsMs ?? {}))
      nonNegative(`ivr.promptDurationsMs.${prompt}`, ms);
    if (ivr.defaultPromptMs !== undefined) nonNegative('ivr.defaultPromptMs', ivr.defaultPromptMs);
    if (ivr.interDigitMs !== undefined) nonNegative('ivr.interDigitMs', ivr.interDigitMs);
    distribution('ivr.reactionTime', ivr.reactionTime);
  }
  const out = options.outbound;
  if (out) {
    const live = typeof out.liveAnswerRate === 'number' ? [out.liveAnswerRate] : out.liveAnswerRate;
    if (typeof out.liveAnswerRate === 'number') share('outbound.liveAnswerRate', out.liveAnswerRate);
    else hourly('outbound.liveAnswerRate', out.liveAnswerRate, share);
    share('outbound.machineRate', out.machineRate);
    share('outbound.busyRate', out.busyRate);
    share('outbound.failedRate', out.failedRate);
    const others = out.machineRate + out.busyRate + out.failedRate;
    live.forEach((rate, h) => {
      if (rate + others > 1 + 1e-9)
        fail(
          typeof out.liveAnswerRate === 'number' ? 'outbound' : `outbound.liveAnswerRate[${h}]`,
          `live + machine + busy + failed rates exceed 1 (${(rate + others).toFixed(3)})`,
        );
    });
    if (out.failureCauses) weights('outbound.failureCauses', out.failureCauses);
    for (const key of ['ringAfterMs', 'busyAfterMs', 'failedAfterMs', 'machineHangupSeconds'] as const)
      if (out[key] !== undefined) nonNegative(`outbound.${key}`, out[key]);
    for (const key of ['amdFalsePositiveRate', 'amdFalseNegativeRate'] as const)
      if (out[key] !== undefined) share(`outbound.${key}`, out[key]);
    for (const key of [
      'answerDelay',
      'machineAnswerDelay',
      'amdDetectionTime',
      'personPatience',
      'talkTime',
    ] as const)
      distribution(`outbound.${key}`, out[key]);
  }
  distribution('holdPatience', options.holdPatience);

  if (issues.length > 0) {
    const first = issues[0]!;
    const more =
      issues.length > 1
        ? ` (and ${issues.length - 1} more: ${issues
            .slice(1)
            .map((i) => i.field)
            .join(', ')})`
        : '';
    throw new GatewayError('GATEWAY_INVALID_INPUT', `${first.field}: ${first.message}${more}`, { issues });
  }
}
