// The simulated gateway: a TelephonyGateway whose calls are simulated callers
// and callees, over a LiveClock and seeded random streams. Inbound callers
// arrive on the configured numbers at per-hour rates, wait with a patience and
// hang up when it runs out, answer IVR menus with keys, talk once bridged;
// outbound dials ring and are answered by people or machines, are busy,
// unanswered or fail. It knows the truth the runtime cannot (who really
// answered, why a caller left) and reports it only through `stats()`.
import {
  type CompiledDistribution,
  compileDistribution,
  createSampler,
  type SimulationDistribution,
  type SimulationPatience,
} from '@centralino/engine';
import type { TimerId } from '../../live/clock.ts';
import {
  type AnsweredBy,
  type CallDirection,
  type CallId,
  type DtmfDigit,
  GatewayError,
  type GatewayEvent,
  type GatewayListener,
  type GatherId,
  type HangupCause,
  type HangupSide,
  type OperatorEndpoint,
  type OriginateOptions,
  type PlaybackId,
  type PromptId,
  type RecordingId,
  type TelephonyGateway,
  type TransferTarget,
} from '../gateway.ts';
import { nextArrivalAt } from './arrivals.ts';
import { createHourOfDay } from './hour-of-day.ts';
import {
  createStream,
  STREAM_ARRIVALS,
  STREAM_INBOUND_CALL,
  STREAM_OUTBOUND_CALL,
} from './random-streams.ts';
import {
  DEFAULT_AMD_DETECTION,
  DEFAULT_AMD_FALSE_NEGATIVE_RATE,
  DEFAULT_AMD_FALSE_POSITIVE_RATE,
  DEFAULT_ANSWER_DELAY,
  DEFAULT_FAILURE_CAUSES,
  DEFAULT_HOLD_PATIENCE,
  DEFAULT_INBOUND_PATIENCE,
  DEFAULT_INBOUND_TALK,
  DEFAULT_INTER_DIGIT_MS,
  DEFAULT_MACHINE_ANSWER_DELAY,
  DEFAULT_OUTBOUND_TALK,
  DEFAULT_PERSON_PATIENCE,
  DEFAULT_PROMPT_MS,
  DEFAULT_REACTION,
  type SimulatedGatewayOptions,
  type SimulatedInboundLine,
  type SimulatedMenu,
  validateSimulatedGatewayOptions,
} from './simulated-gateway.options.ts';

/** Ground truth of the run, which a real gateway could not know. */
export type SimulatedGatewayStats = {
  inbound: {
    offered: number;
    answered: number;
    /** Hung up while unanswered or waiting for an operator (patience ran out). */
    abandonedWaiting: number;
    /** Chose to hang up at an IVR menu. */
    hungUpInIvr: number;
    abandonedOnHold: number;
    /** Hung up at the end of the conversation. */
    talkCompleted: number;
  };
  outbound: {
    originated: number;
    /** Who or what the attempt really reached. */
    human: number;
    machine: number;
    busy: number;
    noAnswer: number;
    failed: number;
    /** People answering-machine detection called machines (drops: DOMAIN.md §4). */
    amdFalsePositives: number;
    /** Machines answering-machine detection called people. */
    amdFalseNegatives: number;
    /** People who hung up waiting in silence for an operator. */
    personHungUpWaiting: number;
    talkCompleted: number;
    machineHungUp: number;
  };
};

export type SimulatedGateway = TelephonyGateway & {
  stats(): SimulatedGatewayStats;
  /** Calls not yet ended. */
  liveCalls(): number;
};

type Gather = {
  id: GatherId;
  maxDigits: number;
  timeoutMs: number;
  digits: string;
  /** Keys the caller is still going to press. */
  pending: string;
  timeoutTimer: TimerId | null;
  keyTimer: TimerId | null;
};

type SimCall = {
  id: CallId;
  direction: CallDirection;
  random: () => number;
  state: 'offered' | 'dialing' | 'up' | 'ended';
  line: ResolvedLine | null;
  /** Outbound: who really answered. */
  reached: AnsweredBy | null;
  endpoint: OperatorEndpoint | null;
  held: boolean;
  timers: Set<TimerId>;
  /** Waiting tolerance left (ms, may be infinite); runs while waiting unanswered or unbridged. */
  patienceLeftMs: number;
  waitingSince: number | null;
  patienceTimer: TimerId | null;
  /** Conversation left (ms) once bridged; null before the first bridge and for machines. */
  talkLeftMs: number | null;
  talkingSince: number | null;
  talkTimer: TimerId | null;
  holdTimer: TimerId | null;
  gather: Gather | null;
  playbacks: Map<PlaybackId, { prompt: PromptId; timer: TimerId }>;
  recordings: Map<RecordingId, number>;
  lastPrompt: PromptId | null;
  nextChildId: number;
};

type ResolvedLine = {
  options: SimulatedInboundLine;
  random: () => number;
  patience: CompiledDistribution;
  talk: CompiledDistribution;
  timer: TimerId | null;
};

const ID_PATTERN = /^sim-(in|out)-(\d+)$/;
const E164 = /^\+[1-9]\d{5,14}$/;

function draw(d: CompiledDistribution, random: () => number): number {
  return createSampler(d, random)();
}

/** A draw in seconds as whole milliseconds (infinite stays infinite). */
function drawMs(d: CompiledDistribution, random: () => number): number {
  const seconds = draw(d, random);
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : seconds;
}

function compile(d: SimulationDistribution | SimulationPatience): CompiledDistribution {
  return compileDistribution(d);
}

/** Index chosen with probability weight / total; `random` in [0, 1). */
function pickWeighted(weights: readonly number[], random: () => number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  // Rounding can leave u at 0 after the last positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return 0;
}

export function createSimulatedGateway(options: SimulatedGatewayOptions): SimulatedGateway {
  validateSimulatedGatewayOptions(options);
  const { clock, seed } = options;
  const hourOf = createHourOfDay(options.timeZone ?? 'Europe/Rome');
  const ivr = options.ivr ?? {};
  const reaction = compile(ivr.reactionTime ?? DEFAULT_REACTION);
  const interDigitMs = ivr.interDigitMs ?? DEFAULT_INTER_DIGIT_MS;
  const holdPatience = compile(options.holdPatience ?? DEFAULT_HOLD_PATIENCE);
  const out = options.outbound;
  const outbound = out && {
    options: out,
    answerDelay: compile(out.answerDelay ?? DEFAULT_ANSWER_DELAY),
    machineAnswerDelay: compile(out.machineAnswerDelay ?? DEFAULT_MACHINE_ANSWER_DELAY),
    amdDetection: compile(out.amdDetectionTime ?? DEFAULT_AMD_DETECTION),
    personPatience: compile(out.personPatience ?? DEFAULT_PERSON_PATIENCE),
    talk: compile(out.talkTime ?? DEFAULT_OUTBOUND_TALK),
    failureCauses: Object.entries(out.failureCauses ?? DEFAULT_FAILURE_CAUSES) as [HangupCause, number][],
  };

  const listeners: GatewayListener[] = [];
  const calls = new Map<CallId, SimCall>();
  const gatewayTimers = new Set<TimerId>();
  let inboundCount = 0;
  let outboundCount = 0;
  let closed = false;
  let inCommand = false;
  let outbox: GatewayEvent[] = [];
  let flushTimer: TimerId | null = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  /** Inside a timer callback: the instant it was due, so a late real timer still stamps its own time. */
  let timerTime: number | null = null;

  const stats: SimulatedGatewayStats = {
    inbound: {
      offered: 0,
      answered: 0,
      abandonedWaiting: 0,
      hungUpInIvr: 0,
      abandonedOnHold: 0,
      talkCompleted: 0,
    },
    outbound: {
      originated: 0,
      human: 0,
      machine: 0,
      busy: 0,
      noAnswer: 0,
      failed: 0,
      amdFalsePositives: 0,
      amdFalseNegatives: 0,
      personHungUpWaiting: 0,
      talkCompleted: 0,
      machineHungUp: 0,
    },
  };

  // Whole milliseconds, also on an accelerated clock whose factor is not an integer.
  const now = () => timerTime ?? Math.floor(clock.now());

  const setTimer = (owner: Set<TimerId>, at: number, fn: () => void): TimerId => {
    const id = clock.setTimer(at, (due) => {
      owner.delete(id);
      const outer = timerTime;
      timerTime = due;
      try {
        fn();
      } finally {
        timerTime = outer;
      }
    });
    owner.add(id);
    return id;
  };
  const callTimer = (call: SimCall, at: number, fn: () => void) => setTimer(call.timers, at, fn);
  const cancel = (call: SimCall, id: TimerId | null) => {
    if (id === null) return;
    clock.clearTimer(id);
    call.timers.delete(id);
  };

  const deliver = (event: GatewayEvent) => {
    for (const listener of [...listeners]) listener(event);
  };
  /** Delivers what commands emitted, in order (and what listeners' commands emit meanwhile). */
  const flush = () => {
    while (outbox.length > 0) {
      const batch = outbox;
      outbox = [];
      for (const e of batch) deliver(e);
    }
    if (flushTimer !== null) {
      clock.clearTimer(flushTimer);
      gatewayTimers.delete(flushTimer);
      flushTimer = null;
    }
  };
  // Events caused by a command wait in the outbox for a timer at the same instant:
  // a listener never hears about a call before the command that created it has
  // returned. Any later event first delivers the outbox, so delivery keeps the
  // order of emission even when a late real timer fires behind a command.
  const emit = (event: GatewayEvent) => {
    // On a paced clock a late timer stamps its due time, which a command issued
    // meanwhile may have passed: `at` is kept from going back.
    if (event.at < lastAt) event.at = lastAt;
    else lastAt = event.at;
    if (inCommand) {
      outbox.push(event);
      if (flushTimer === null)
        flushTimer = setTimer(gatewayTimers, now(), () => {
          flushTimer = null;
          flush();
        });
      return;
    }
    flush();
    deliver(event);
  };

  // ---- waiting, talking, holding -------------------------------------------------

  const isWaiting = (call: SimCall) => {
    if (call.gather !== null || call.endpoint !== null) return false;
    if (call.direction === 'inbound') return call.state === 'offered' || call.state === 'up';
    return call.state === 'up' && call.reached === 'human';
  };

  /** Stops the patience and talk clocks, keeping what is left of each. */
  const settle = (call: SimCall) => {
    const t = now();
    if (call.waitingSince !== null) {
      call.patienceLeftMs -= t - call.waitingSince;
      call.waitingSince = null;
      cancel(call, call.patienceTimer);
      call.patienceTimer = null;
    }
    if (call.talkingSince !== null) {
      call.talkLeftMs! -= t - call.talkingSince;
      call.talkingSince = null;
      cancel(call, call.talkTimer);
      call.talkTimer = null;
    }
  };

  /** Re-derives the patience and talk timers from the call's state (after any change). */
  const sync = (call: SimCall) => {
    settle(call);
    const t = now();
    if (call.state === 'ended') return;
    if (isWaiting(call)) {
      call.waitingSince = t;
      if (Number.isFinite(call.patienceLeftMs))
        call.patienceTimer = callTimer(call, t + Math.max(0, call.patienceLeftMs), () => {
          call.patienceTimer = null;
          if (call.direction === 'inbound') stats.inbound.abandonedWaiting++;
          else stats.outbound.personHungUpWaiting++;
          end(call, 'normal_clearing', 'remote');
        });
    }
    if (call.state === 'up' && call.endpoint !== null && !call.held && call.talkLeftMs !== null) {
      call.talkingSince = t;
      call.talkTimer = callTimer(call, t + Math.max(0, call.talkLeftMs), () => {
        call.talkTimer = null;
        if (call.direction === 'inbound') stats.inbound.talkCompleted++;
        else stats.outbound.talkCompleted++;
        end(call, 'normal_clearing', 'remote');
      });
    }
  };

  const end = (call: SimCall, cause: HangupCause, endedBy: HangupSide) => {
    const at = now();
    if (call.gather !== null) {
      const gather = call.gather;
      call.gather = null;
      emit({
        type: 'call.gather_ended',
        callId: call.id,
        at,
        gatherId: gather.id,
        digits: gather.digits,
        reason: 'hangup',
      });
    }
    for (const [playbackId, playback] of call.playbacks)
      emit({
        type: 'call.prompt_ended',
        callId: call.id,
        at,
        playbackId,
        prompt: playback.prompt,
        reason: 'hangup',
      });
    call.playbacks.clear();
    call.state = 'ended';
    sync(call);
    for (const id of call.timers) clock.clearTimer(id);
    call.timers.clear();
    calls.delete(call.id);
    emit({ type: 'call.hangup', callId: call.id, at, cause, endedBy });
  };

  // ---- inbound arrivals ----------------------------------------------------------

  const lines: ResolvedLine[] = (options.inbound ?? []).map((line, index) => ({
    options: line,
    random: createStream(seed, STREAM_ARRIVALS, index),
    patience: compile(line.patience ?? DEFAULT_INBOUND_PATIENCE),
    talk: compile(line.talkTime ?? DEFAULT_INBOUND_TALK),
    timer: null,
  }));

  const callerIdFor = (line: SimulatedInboundLine, random: () => number): string | null => {
    const ids = line.callerIds ?? {};
    const u = random();
    const knownShare = ids.knownShare ?? 0;
    if (u < knownShare) return ids.known![Math.floor(random() * ids.known!.length)]!;
    if (u < knownShare + (ids.anonymousShare ?? 0.05)) return null;
    // An Italian mobile: +39 3xx xxx xxxx.
    let digits = '';
    for (let i = 0; i < 9; i++) digits += Math.floor(random() * 10);
    return `+393${digits}`;
  };

  const newCall = (direction: CallDirection, random: () => number, line: ResolvedLine | null): SimCall => {
    const seq = direction === 'inbound' ? inboundCount++ : outboundCount++;
    const call: SimCall = {
      id: `sim-${direction === 'inbound' ? 'in' : 'out'}-${seq}`,
      direction,
      random,
      state: direction === 'inbound' ? 'offered' : 'dialing',
      line,
      reached: null,
      endpoint: null,
      held: false,
      timers: new Set(),
      patienceLeftMs: Number.POSITIVE_INFINITY,
      waitingSince: null,
      patienceTimer: null,
      talkLeftMs: null,
      talkingSince: null,
      talkTimer: null,
      holdTimer: null,
      gather: null,
      playbacks: new Map(),
      recordings: new Map(),
      lastPrompt: null,
      nextChildId: 1,
    };
    calls.set(call.id, call);
    return call;
  };

  const scheduleArrival = (line: ResolvedLine, from: number) => {
    const exact = nextArrivalAt({
      from,
      callsPerHour: line.options.callsPerHour,
      hourOf,
      random: line.random,
    });
    if (exact === null) return;
    // Events carry whole milliseconds; the process itself goes on from the exact time.
    const at = Math.round(exact);
    line.timer = setTimer(gatewayTimers, at, () => {
      line.timer = null;
      scheduleArrival(line, exact);
      const call = newCall('inbound', createStream(seed, STREAM_INBOUND_CALL, inboundCount), line);
      const callerId = callerIdFor(line.options, call.random);
      call.patienceLeftMs = drawMs(line.patience, call.random);
      stats.inbound.offered++;
      emit({ type: 'call.offered', callId: call.id, at, number: line.options.number, callerId });
      sync(call);
    });
  };
  const startAt = clock.now();
  for (const line of lines) scheduleArrival(line, startAt);

  // ---- outbound ------------------------------------------------------------------

  const answerOutbound = (call: SimCall, reached: AnsweredBy, detectMachine: boolean) => {
    const at = now();
    call.state = 'up';
    call.reached = reached;
    if (reached === 'human') stats.outbound.human++;
    else stats.outbound.machine++;
    emit({ type: 'call.answered', callId: call.id, at, direction: 'outbound' });
    const o = outbound!;
    if (reached === 'human') {
      call.patienceLeftMs = drawMs(o.personPatience, call.random);
    } else {
      callTimer(call, at + (o.options.machineHangupSeconds ?? 45) * 1000, () => {
        stats.outbound.machineHungUp++;
        end(call, 'normal_clearing', 'remote');
      });
    }
    if (detectMachine) {
      const wrong =
        call.random() <
        (reached === 'human'
          ? (o.options.amdFalsePositiveRate ?? DEFAULT_AMD_FALSE_POSITIVE_RATE)
          : (o.options.amdFalseNegativeRate ?? DEFAULT_AMD_FALSE_NEGATIVE_RATE));
      const verdict: AnsweredBy = wrong ? (reached === 'human' ? 'machine' : 'human') : reached;
      callTimer(call, at + drawMs(o.amdDetection, call.random), () => {
        if (wrong && reached === 'human') stats.outbound.amdFalsePositives++;
        if (wrong && reached === 'machine') stats.outbound.amdFalseNegatives++;
        emit({ type: 'call.answered_by', callId: call.id, at: now(), answeredBy: verdict });
      });
    }
    sync(call);
  };

  const dialFails = (call: SimCall, reason: 'busy' | 'no_answer' | 'failed', cause: HangupCause) => {
    if (reason === 'busy') stats.outbound.busy++;
    else if (reason === 'no_answer') stats.outbound.noAnswer++;
    else stats.outbound.failed++;
    emit({ type: 'call.dial_failed', callId: call.id, at: now(), reason, cause });
    end(call, cause, 'network');
  };

  // ---- commands --------------------------------------------------------------------

  const run = <T>(fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new GatewayError('GATEWAY_CLOSED', 'the simulated gateway is closed'));
    inCommand = true;
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    } finally {
      inCommand = false;
    }
  };

  const liveCall = (callId: CallId): SimCall => {
    const call = calls.get(callId);
    if (call) return call;
    const match = ID_PATTERN.exec(callId);
    const issued = match !== null && Number(match[2]) < (match[1] === 'in' ? inboundCount : outboundCount);
    if (issued) throw new GatewayError('GATEWAY_CALL_ENDED', `call ${callId} has ended`, { callId });
    throw new GatewayError('GATEWAY_CALL_NOT_FOUND', `no call ${callId}`, { callId });
  };

  const upCall = (callId: CallId, command: string): SimCall => {
    const call = liveCall(callId);
    if (call.state !== 'up')
      throw new GatewayError(
        'GATEWAY_INVALID_STATE',
        `${command}: call ${callId} is ${call.state === 'offered' ? 'not answered yet' : 'still dialing'}`,
        { callId },
      );
    return call;
  };

  const bridgedCall = (callId: CallId, command: string): SimCall => {
    const call = upCall(callId, command);
    if (call.endpoint === null)
      throw new GatewayError(
        'GATEWAY_INVALID_STATE',
        `${command}: call ${callId} is not bridged to an operator`,
        {
          callId,
        },
      );
    return call;
  };

  const invalid = (message: string, callId?: CallId) =>
    new GatewayError('GATEWAY_INVALID_INPUT', message, { callId, issues: [] });

  const promptMs = (prompt: PromptId) =>
    ivr.promptDurationsMs?.[prompt] ?? ivr.defaultPromptMs ?? DEFAULT_PROMPT_MS;

  const connect = (call: SimCall, endpoint: OperatorEndpoint, freshConversation: boolean) => {
    settle(call);
    call.endpoint = endpoint;
    if (call.reached !== 'machine' && (call.talkLeftMs === null || freshConversation)) {
      const talk = call.direction === 'inbound' ? call.line!.talk : outbound!.talk;
      call.talkLeftMs = drawMs(talk, call.random);
    }
    emit({ type: 'call.bridged', callId: call.id, at: now(), endpoint });
    sync(call);
  };

  const endHold = (call: SimCall) => {
    call.held = false;
    cancel(call, call.holdTimer);
    call.holdTimer = null;
  };

  const finishGather = (call: SimCall, reason: 'max_digits' | 'timeout') => {
    const gather = call.gather!;
    cancel(call, gather.timeoutTimer);
    cancel(call, gather.keyTimer);
    call.gather = null;
    emit({
      type: 'call.gather_ended',
      callId: call.id,
      at: now(),
      gatherId: gather.id,
      digits: gather.digits,
      reason,
    });
    sync(call);
  };

  const armGatherTimeout = (call: SimCall, gather: Gather, at: number) => {
    cancel(call, gather.timeoutTimer);
    gather.timeoutTimer = callTimer(call, at, () => {
      gather.timeoutTimer = null;
      finishGather(call, 'timeout');
    });
  };

  const pressNextKey = (call: SimCall, gather: Gather, at: number) => {
    gather.keyTimer = callTimer(call, at, () => {
      gather.keyTimer = null;
      const digit = gather.pending[0] as DtmfDigit;
      gather.pending = gather.pending.slice(1);
      gather.digits += digit;
      emit({ type: 'call.dtmf', callId: call.id, at, digit });
      if (gather.digits.length >= gather.maxDigits) return finishGather(call, 'max_digits');
      armGatherTimeout(call, gather, at + gather.timeoutMs);
      if (gather.pending.length > 0) pressNextKey(call, gather, at + interDigitMs);
    });
  };

  /** What the caller does at a menu: keys to press, nothing, or hang up. */
  const chooseAtMenu = (
    menu: SimulatedMenu | undefined,
    random: () => number,
  ): string | 'no_input' | 'hang_up' => {
    if (!menu) return 'no_input';
    const choices = Object.entries(menu.choices);
    const picked = pickWeighted([...choices.map(([, w]) => w), menu.noInput ?? 0, menu.hangUp ?? 0], random);
    if (picked < choices.length) return choices[picked]![0];
    return picked === choices.length ? 'no_input' : 'hang_up';
  };

  const gateway: SimulatedGateway = {
    subscribe(listener) {
      listeners.push(listener);
      return () => {
        const i = listeners.indexOf(listener);
        if (i >= 0) listeners.splice(i, 1);
      };
    },

    answer: ({ callId }) =>
      run(() => {
        const call = liveCall(callId);
        if (call.direction !== 'inbound' || call.state !== 'offered')
          throw new GatewayError(
            'GATEWAY_INVALID_STATE',
            `answer: call ${callId} is not an unanswered inbound call`,
            {
              callId,
            },
          );
        call.state = 'up';
        stats.inbound.answered++;
        emit({ type: 'call.answered', callId, at: now(), direction: 'inbound' });
        sync(call);
      }),

    originate: (o: OriginateOptions) =>
      run(() => {
        if (!outbound) throw invalid('originate: the simulated gateway has no outbound options');
        if (!E164.test(o.number)) throw invalid(`originate: number must be E.164, got ${o.number}`);
        if (!E164.test(o.callerId)) throw invalid(`originate: callerId must be E.164, got ${o.callerId}`);
        if (!(o.timeoutMs > 0) || !Number.isFinite(o.timeoutMs))
          throw invalid(`originate: timeoutMs must be > 0, got ${o.timeoutMs}`);
        const call = newCall('outbound', createStream(seed, STREAM_OUTBOUND_CALL, outboundCount), null);
        stats.outbound.originated++;
        const at = now();
        emit({ type: 'call.dialing', callId: call.id, at, number: o.number, callerId: o.callerId });
        const rates = outbound.options;
        const live =
          typeof rates.liveAnswerRate === 'number' ? rates.liveAnswerRate : rates.liveAnswerRate[hourOf(at)]!;
        const fate = pickWeighted(
          [
            live,
            rates.machineRate,
            rates.busyRate,
            rates.failedRate,
            Math.max(0, 1 - live - rates.machineRate - rates.busyRate - rates.failedRate),
          ],
          call.random,
        );
        const ringAt = at + (rates.ringAfterMs ?? 2_000);
        const ring = (when: number) =>
          callTimer(call, when, () => emit({ type: 'call.ringing', callId: call.id, at: when }));
        if (fate === 2) {
          callTimer(call, at + (rates.busyAfterMs ?? 3_000), () => dialFails(call, 'busy', 'user_busy'));
        } else if (fate === 3) {
          const cause =
            outbound.failureCauses[
              pickWeighted(
                outbound.failureCauses.map(([, w]) => w),
                call.random,
              )
            ]![0];
          callTimer(call, at + (rates.failedAfterMs ?? 1_500), () => dialFails(call, 'failed', cause));
        } else {
          const reached: AnsweredBy | null = fate === 0 ? 'human' : fate === 1 ? 'machine' : null;
          const pickupMs =
            reached === null
              ? Number.POSITIVE_INFINITY
              : drawMs(reached === 'human' ? outbound.answerDelay : outbound.machineAnswerDelay, call.random);
          if (pickupMs < o.timeoutMs) {
            ring(Math.min(ringAt, at + pickupMs));
            callTimer(call, at + pickupMs, () => answerOutbound(call, reached!, o.detectMachine === true));
          } else {
            // Nobody picks up before the dialer gives up (also a person or machine slower than the timeout).
            if (ringAt < at + o.timeoutMs) ring(ringAt);
            callTimer(call, at + o.timeoutMs, () => dialFails(call, 'no_answer', 'no_answer'));
          }
        }
        return { callId: call.id };
      }),

    bridge: ({ callId, endpoint }) =>
      run(() => {
        const call = upCall(callId, 'bridge');
        if (!endpoint) throw invalid('bridge: endpoint is empty', callId);
        if (call.endpoint !== null)
          throw new GatewayError(
            'GATEWAY_INVALID_STATE',
            `bridge: call ${callId} is already bridged to ${call.endpoint} (transfer it instead)`,
            { callId },
          );
        connect(call, endpoint, false);
      }),

    playPrompt: ({ callId, prompt }) =>
      run(() => {
        const call = upCall(callId, 'playPrompt');
        if (!prompt) throw invalid('playPrompt: prompt is empty', callId);
        const playbackId = `${callId}/playback-${call.nextChildId++}`;
        call.lastPrompt = prompt;
        const timer = callTimer(call, now() + promptMs(prompt), () => {
          call.playbacks.delete(playbackId);
          emit({ type: 'call.prompt_ended', callId, at: now(), playbackId, prompt, reason: 'finished' });
        });
        call.playbacks.set(playbackId, { prompt, timer });
        return { playbackId };
      }),

    gatherDigits: ({ callId, maxDigits, timeoutMs, prompt }) =>
      run(() => {
        const call = upCall(callId, 'gatherDigits');
        if (!Number.isInteger(maxDigits) || maxDigits < 1 || maxDigits > 32)
          throw invalid(`gatherDigits: maxDigits must be an integer 1–32, got ${maxDigits}`, callId);
        if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs))
          throw invalid(`gatherDigits: timeoutMs must be > 0, got ${timeoutMs}`, callId);
        if (call.gather !== null)
          throw new GatewayError(
            'GATEWAY_INVALID_STATE',
            `gatherDigits: call ${callId} is already gathering`,
            {
              callId,
            },
          );
        if (prompt !== undefined) call.lastPrompt = prompt;
        const gather: Gather = {
          id: `${callId}/gather-${call.nextChildId++}`,
          maxDigits,
          timeoutMs,
          digits: '',
          pending: '',
          timeoutTimer: null,
          keyTimer: null,
        };
        call.gather = gather;
        const listenFrom = now() + (prompt === undefined ? 0 : promptMs(prompt));
        armGatherTimeout(call, gather, listenFrom + timeoutMs);
        const menu = call.lastPrompt === null ? undefined : ivr.menus?.[call.lastPrompt];
        const choice = chooseAtMenu(menu, call.random);
        if (choice !== 'no_input') {
          const actAt = listenFrom + drawMs(reaction, call.random);
          if (choice === 'hang_up') {
            // Held as the gather's key timer: a menu that times out first takes the decision with it.
            gather.keyTimer = callTimer(call, actAt, () => {
              stats.inbound.hungUpInIvr++;
              end(call, 'normal_clearing', 'remote');
            });
          } else {
            gather.pending = choice;
            pressNextKey(call, gather, actAt);
          }
        }
        sync(call);
        return { gatherId: gather.id };
      }),

    hold: ({ callId }) =>
      run(() => {
        const call = bridgedCall(callId, 'hold');
        if (call.held)
          throw new GatewayError('GATEWAY_INVALID_STATE', `hold: call ${callId} is already on hold`, {
            callId,
          });
        call.held = true;
        // Each hold draws a tolerance afresh: waiting on hold is not waiting in the queue.
        const toleranceMs = drawMs(holdPatience, call.random);
        if (Number.isFinite(toleranceMs))
          call.holdTimer = callTimer(call, now() + toleranceMs, () => {
            call.holdTimer = null;
            if (call.direction === 'inbound') stats.inbound.abandonedOnHold++;
            end(call, 'normal_clearing', 'remote');
          });
        sync(call);
      }),

    unhold: ({ callId }) =>
      run(() => {
        const call = bridgedCall(callId, 'unhold');
        if (!call.held)
          throw new GatewayError('GATEWAY_INVALID_STATE', `unhold: call ${callId} is not on hold`, {
            callId,
          });
        endHold(call);
        sync(call);
      }),

    transfer: ({ callId, target }: { callId: CallId; target: TransferTarget }) =>
      run(() => {
        const call = upCall(callId, 'transfer');
        if (target.kind === 'number') {
          if (!E164.test(target.number))
            throw invalid(`transfer: number must be E.164, got ${target.number}`, callId);
          emit({ type: 'call.transferred', callId, at: now(), target });
          end(call, 'normal_clearing', 'transfer');
          return;
        }
        if (!target.endpoint) throw invalid('transfer: endpoint is empty', callId);
        emit({ type: 'call.transferred', callId, at: now(), target });
        endHold(call);
        // The customer explains again to the new operator: a conversation of its own.
        connect(call, target.endpoint, true);
      }),

    startRecording: ({ callId }) =>
      run(() => {
        const call = upCall(callId, 'startRecording');
        const recordingId = `${callId}/recording-${call.nextChildId++}`;
        call.recordings.set(recordingId, now());
        return { recordingId };
      }),

    stopRecording: ({ callId, recordingId }) =>
      run(() => {
        const call = liveCall(callId);
        const startedAt = call.recordings.get(recordingId);
        if (startedAt === undefined)
          throw invalid(`stopRecording: no recording ${recordingId} running on call ${callId}`, callId);
        call.recordings.delete(recordingId);
        return { durationMs: now() - startedAt };
      }),

    hangUp: ({ callId, cause }) =>
      run(() => {
        const call = liveCall(callId);
        end(call, cause ?? 'normal_clearing', 'local');
      }),

    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      for (const id of gatewayTimers) clock.clearTimer(id);
      gatewayTimers.clear();
      for (const call of calls.values()) for (const id of call.timers) clock.clearTimer(id);
      calls.clear();
      outbox = [];
      listeners.length = 0;
      return Promise.resolve();
    },

    stats: () => structuredClone(stats),
    liveCalls: () => calls.size,
  };
  return gateway;
}
