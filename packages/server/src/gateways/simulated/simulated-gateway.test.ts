import { describe, expect, it } from 'vitest';
import { createAcceleratedClock, createManualClock } from '../../live/clock.ts';
import {
  type CallId,
  GatewayError,
  type GatewayEvent,
  type GatewayEventType,
  HANGUP_CAUSE_Q850,
  type TelephonyGateway,
} from '../gateway.ts';
import type { SimulatedGatewayOptions, SimulatedInboundLine } from './simulated-gateway.options.ts';
import { createSimulatedGateway, type SimulatedGateway } from './simulated-gateway.ts';

// 2026-03-02 00:00 in Rome (CET, UTC+1): a Monday, far from the changes of time.
const ROME_MIDNIGHT = Date.UTC(2026, 2, 1, 23);
const HOUR = 3_600_000;
const LINE = '+39800123456';
const CALLER_ID = '+390612345678';

function setup(options: Omit<SimulatedGatewayOptions, 'clock'>, start = ROME_MIDNIGHT) {
  const clock = createManualClock({ start });
  const gateway = createSimulatedGateway({ clock, ...options });
  const events: GatewayEvent[] = [];
  gateway.subscribe((e) => events.push(e));
  return { clock, gateway, events };
}

const ofType = <T extends GatewayEventType>(events: GatewayEvent[], type: T) =>
  events.filter((e): e is Extract<GatewayEvent, { type: T }> => e.type === type);
const ofCall = (events: GatewayEvent[], callId: CallId) => events.filter((e) => e.callId === callId);

/** |observed − expected| within k standard deviations (k = 4: a false alarm about once in 16,000 runs). */
function expectWithin(observed: number, expected: number, sd: number, k = 4) {
  expect(
    Math.abs(observed - expected),
    `observed ${observed}, expected ${expected} ± ${k}×${sd.toFixed(2)}`,
  ).toBeLessThanOrEqual(k * sd);
}

/** Binomial share check: `count` of `n` trials with probability p. */
function expectShare(count: number, n: number, p: number) {
  expectWithin(count, n * p, Math.sqrt(n * p * (1 - p)));
}

/** Commands never throw synchronously; collect rejections so a test can assert there were none. */
function fire(errors: unknown[], promise: Promise<unknown>) {
  promise.catch((e) => errors.push(e));
}

/**
 * A small scripted runtime: answers every call, plays the main menu, sends key 1
 * to an operator and the rest to a hang-up, dials a list, bridges people.
 */
function autopilot(gateway: TelephonyGateway, errors: unknown[]) {
  let operator = 0;
  gateway.subscribe((e) => {
    switch (e.type) {
      case 'call.offered':
        fire(errors, gateway.answer({ callId: e.callId }));
        fire(
          errors,
          gateway.gatherDigits({ callId: e.callId, maxDigits: 1, timeoutMs: 8_000, prompt: 'main' }),
        );
        break;
      case 'call.gather_ended':
        if (e.reason === 'hangup') break;
        if (e.digits === '1')
          fire(errors, gateway.bridge({ callId: e.callId, endpoint: `operator:${operator++ % 5}` }));
        else fire(errors, gateway.hangUp({ callId: e.callId }));
        break;
      case 'call.answered_by':
        if (e.answeredBy === 'human')
          fire(errors, gateway.bridge({ callId: e.callId, endpoint: 'operator:9' }));
        else fire(errors, gateway.hangUp({ callId: e.callId }));
        break;
    }
  });
}

const busyCenter: Omit<SimulatedGatewayOptions, 'clock' | 'seed'> = {
  inbound: [
    { number: LINE, callsPerHour: Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 20 ? 60 : 5)) },
    { number: '+39800654321', callsPerHour: Array(24).fill(20), patience: { kind: 'fixed', seconds: 40 } },
  ],
  ivr: { menus: { main: { choices: { '1': 4, '2': 1 }, noInput: 1, hangUp: 0.2 } } },
  outbound: { liveAnswerRate: 0.3, machineRate: 0.2, busyRate: 0.1, failedRate: 0.05 },
};

describe('simulated gateway: determinism', () => {
  const run = (seed: number) => {
    const { clock, gateway, events } = setup({ seed, ...busyCenter });
    const errors: unknown[] = [];
    autopilot(gateway, errors);
    for (let i = 0; i < 40; i++)
      clock.setTimer(ROME_MIDNIGHT + 8 * HOUR + i * 90_000, () =>
        fire(
          errors,
          gateway.originate({
            number: `+39347${String(i).padStart(7, '0')}`,
            callerId: LINE,
            timeoutMs: 25_000,
            detectMachine: true,
          }),
        ),
      );
    clock.advanceTo(ROME_MIDNIGHT + 12 * HOUR);
    return { events, errors, stats: gateway.stats() };
  };

  it('same seed and same commands give the same events; another seed gives others', () => {
    const a = run(7);
    const b = run(7);
    const c = run(8);
    expect(a.errors).toEqual([]);
    expect(a.events.length).toBeGreaterThan(500);
    expect(b.events).toEqual(a.events);
    expect(b.stats).toEqual(a.stats);
    expect(c.events).not.toEqual(a.events);
    // Every event type of a working center appears.
    const types = new Set(a.events.map((e) => e.type));
    for (const type of [
      'call.offered',
      'call.dialing',
      'call.ringing',
      'call.answered',
      'call.answered_by',
      'call.dtmf',
      'call.gather_ended',
      'call.bridged',
      'call.dial_failed',
      'call.hangup',
    ] as const)
      expect(types, type).toContain(type);
  });

  it('every call ends with exactly one hangup, its last event, and time never goes back', () => {
    const { events } = run(3);
    const byCall = new Map<string, GatewayEvent[]>();
    for (const e of events) byCall.set(e.callId, [...(byCall.get(e.callId) ?? []), e]);
    let previous = 0;
    for (const e of events) {
      expect(Number.isInteger(e.at)).toBe(true);
      expect(e.at).toBeGreaterThanOrEqual(previous);
      previous = e.at;
    }
    for (const [callId, list] of byCall) {
      const hangups = list.filter((e) => e.type === 'call.hangup');
      expect(hangups.length, callId).toBeLessThanOrEqual(1);
      if (hangups.length === 1) expect(list.at(-1)!.type, callId).toBe('call.hangup');
    }
  });
});

describe('simulated gateway: inbound arrivals', () => {
  it('arrivals per line and per hour match the configured profile (Poisson, within 4 standard deviations)', () => {
    // A donor line's day: quiet at night, a morning and an evening peak.
    const profile = [2, 1, 0, 0, 0, 1, 5, 20, 60, 90, 80, 70, 50, 60, 70, 80, 70, 60, 90, 120, 60, 20, 8, 4];
    const flat = Array(24).fill(30);
    const days = 4;
    const { clock, events } = setup({
      seed: 11,
      inbound: [
        { number: LINE, callsPerHour: profile },
        { number: '+39800999000', callsPerHour: flat },
      ],
    });
    clock.advanceTo(ROME_MIDNIGHT + days * 24 * HOUR);
    const offered = ofType(events, 'call.offered');
    const perHour = new Array(24).fill(0);
    for (const e of offered.filter((e) => e.number === LINE))
      perHour[(Math.floor((e.at - ROME_MIDNIGHT) / HOUR) + 24) % 24]++;
    // Expected count of a Poisson process = Σ rate × hours; its variance equals its mean.
    const expectedProfile = days * profile.reduce((s, r) => s + r, 0); // 4 × 1,021 = 4,084
    expect(expectedProfile).toBe(4_084);
    expectWithin(
      perHour.reduce((s, n) => s + n, 0),
      expectedProfile,
      Math.sqrt(expectedProfile),
    );
    for (let h = 0; h < 24; h++) {
      const expected = days * profile[h]!;
      if (expected === 0) expect(perHour[h], `hour ${h}`).toBe(0);
      else expectWithin(perHour[h], expected, Math.sqrt(expected));
    }
    const flatCount = offered.filter((e) => e.number === '+39800999000').length;
    expectWithin(flatCount, days * 24 * 30, Math.sqrt(days * 24 * 30));
  });

  it('callers come with known, withheld and random Italian caller ids in the configured shares', () => {
    const known = ['+390211111111', '+390622222222'];
    const { clock, events } = setup({
      seed: 5,
      inbound: [
        {
          number: LINE,
          callsPerHour: Array(24).fill(200),
          callerIds: { known, knownShare: 0.3, anonymousShare: 0.1 },
        },
      ],
    });
    clock.advanceTo(ROME_MIDNIGHT + 10 * HOUR);
    const offered = ofType(events, 'call.offered');
    const n = offered.length;
    expectShare(offered.filter((e) => e.callerId !== null && known.includes(e.callerId)).length, n, 0.3);
    expectShare(offered.filter((e) => e.callerId === null).length, n, 0.1);
    for (const e of offered)
      if (e.callerId !== null && !known.includes(e.callerId)) expect(e.callerId).toMatch(/^\+393\d{9}$/);
  });
});

/**
 * One inbound call at a known time: a line so quiet (one call in 100 hours) that
 * no second caller comes during a test; callers wait forever unless told otherwise.
 */
function firstCall(
  options: Omit<SimulatedGatewayOptions, 'clock' | 'seed' | 'inbound'> & {
    line?: Partial<SimulatedInboundLine>;
  },
) {
  const { line, ...rest } = options;
  const env = setup({
    seed: 1,
    inbound: [{ number: LINE, callsPerHour: Array(24).fill(0.01), patience: { kind: 'infinite' }, ...line }],
    ...rest,
  });
  env.clock.advanceTo(env.clock.nextTimerAt()!);
  const offered = ofType(env.events, 'call.offered')[0]!;
  return { ...env, callId: offered.callId, offeredAt: offered.at };
}

describe('simulated gateway: patience, talk and hold', () => {
  it('a caller left waiting hangs up when patience runs out (unanswered or answered and queued)', async () => {
    const { clock, gateway, events, callId, offeredAt } = firstCall({
      line: { patience: { kind: 'fixed', seconds: 30 } },
    });
    clock.advanceBy(10_000);
    await gateway.answer({ callId });
    clock.advanceTo(offeredAt + 29_999);
    expect(ofType(events, 'call.hangup')).toEqual([]);
    clock.advanceTo(offeredAt + 30_000);
    expect(ofCall(events, callId).map((e) => e.type)).toEqual([
      'call.offered',
      'call.answered',
      'call.hangup',
    ]);
    expect(ofType(events, 'call.hangup')[0]).toMatchObject({
      at: offeredAt + 30_000,
      cause: 'normal_clearing',
      endedBy: 'remote',
    });
    expect(gateway.stats().inbound).toMatchObject({ offered: 1, answered: 1, abandonedWaiting: 1 });
  });

  it('time in a menu does not use up patience; a bridged caller talks, hold pauses the talk', async () => {
    const { clock, gateway, events, callId, offeredAt } = firstCall({
      line: { patience: { kind: 'fixed', seconds: 30 }, talkTime: { kind: 'fixed', seconds: 60 } },
      ivr: { promptDurationsMs: { main: 5_000 }, menus: { main: { choices: {}, noInput: 1 } } },
    });
    await gateway.answer({ callId });
    await gateway.gatherDigits({ callId, maxDigits: 1, timeoutMs: 10_000, prompt: 'main' });
    // 15 s of menu (5 s prompt + 10 s timeout) do not count: the caller now has 30 s again.
    clock.advanceTo(offeredAt + 15_000);
    expect(ofType(events, 'call.gather_ended')[0]).toMatchObject({ reason: 'timeout', digits: '' });
    clock.advanceTo(offeredAt + 40_000);
    await gateway.bridge({ callId, endpoint: 'operator:1' });
    clock.advanceTo(offeredAt + 50_000);
    await gateway.hold({ callId });
    clock.advanceTo(offeredAt + 70_000);
    await gateway.unhold({ callId });
    // 60 s of talk from 40 s, paused 20 s on hold: the caller says goodbye at 120 s.
    clock.advanceTo(offeredAt + 119_999);
    expect(ofType(events, 'call.hangup')).toEqual([]);
    clock.advanceTo(offeredAt + 120_000);
    expect(ofType(events, 'call.hangup')[0]).toMatchObject({ at: offeredAt + 120_000, endedBy: 'remote' });
    expect(gateway.stats().inbound).toMatchObject({ abandonedWaiting: 0, talkCompleted: 1 });
  });

  it('a caller kept on hold too long hangs up', async () => {
    const { clock, gateway, events, callId, offeredAt } = firstCall({
      holdPatience: { kind: 'fixed', seconds: 90 },
    });
    await gateway.answer({ callId });
    await gateway.bridge({ callId, endpoint: 'operator:1' });
    await gateway.hold({ callId });
    clock.advanceTo(offeredAt + 90_000);
    expect(ofType(events, 'call.hangup')[0]).toMatchObject({ at: offeredAt + 90_000, endedBy: 'remote' });
    expect(gateway.stats().inbound.abandonedOnHold).toBe(1);
  });

  it('abandon shares follow the patience distribution: exponential patience, nobody answers', () => {
    // P(abandon before 60 s | exponential mean 120 s) = 1 − e^(−0.5) = 0.3935.
    const { clock, gateway, events } = setup({
      seed: 9,
      inbound: [
        {
          number: LINE,
          callsPerHour: Array(24).fill(300),
          patience: { kind: 'exponential', meanSeconds: 120 },
        },
      ],
    });
    const waitedMs: number[] = [];
    const offeredAt = new Map<string, number>();
    gateway.subscribe((e) => {
      if (e.type === 'call.offered') offeredAt.set(e.callId, e.at);
      if (e.type === 'call.hangup') waitedMs.push(e.at - offeredAt.get(e.callId)!);
    });
    clock.advanceTo(ROME_MIDNIGHT + 8 * HOUR);
    expect(events.length).toBeGreaterThan(4_000);
    expectShare(waitedMs.filter((ms) => ms < 60_000).length, waitedMs.length, 1 - Math.exp(-0.5));
  });
});

describe('simulated gateway: IVR navigation', () => {
  it('callers press keys after the prompt and their reaction time, in the menu shares', () => {
    const { clock, gateway, events } = setup({
      seed: 21,
      inbound: [{ number: LINE, callsPerHour: Array(24).fill(400) }],
      ivr: {
        promptDurationsMs: { main: 5_000 },
        reactionTime: { kind: 'fixed', seconds: 2 },
        menus: { main: { choices: { '1': 6, '2': 3 }, noInput: 1 } },
      },
    });
    const errors: unknown[] = [];
    const offeredAt = new Map<string, number>();
    gateway.subscribe((e) => {
      if (e.type !== 'call.offered') return;
      offeredAt.set(e.callId, e.at);
      fire(errors, gateway.answer({ callId: e.callId }));
      fire(
        errors,
        gateway.gatherDigits({ callId: e.callId, maxDigits: 1, timeoutMs: 8_000, prompt: 'main' }),
      );
    });
    clock.advanceTo(ROME_MIDNIGHT + 6 * HOUR);
    expect(errors).toEqual([]);
    const ended = ofType(events, 'call.gather_ended');
    const n = ended.length;
    expect(n).toBeGreaterThan(2_000);
    expectShare(ended.filter((e) => e.digits === '1').length, n, 0.6);
    expectShare(ended.filter((e) => e.digits === '2').length, n, 0.3);
    for (const e of ofType(events, 'call.dtmf')) expect(e.at - offeredAt.get(e.callId)!).toBe(7_000);
    for (const e of ended) {
      if (e.digits === '')
        expect(e).toMatchObject({ reason: 'timeout', at: offeredAt.get(e.callId)! + 13_000 });
      else expect(e).toMatchObject({ reason: 'max_digits', at: offeredAt.get(e.callId)! + 7_000 });
    }
  });

  it('a sequence of keys up to maxDigits; a gather without prompt answers the last prompt played; hang-ups at a menu', async () => {
    const { clock, gateway, events, callId } = firstCall({
      ivr: {
        promptDurationsMs: { code: 4_000, bye: 3_000 },
        reactionTime: { kind: 'fixed', seconds: 1 },
        interDigitMs: 700,
        menus: { code: { choices: { '12#9': 1 } }, bye: { choices: {}, hangUp: 1 } },
      },
    });
    await gateway.answer({ callId });
    await gateway.playPrompt({ callId, prompt: 'code' });
    clock.advanceBy(4_000);
    const start = clock.now();
    await gateway.gatherDigits({ callId, maxDigits: 3, timeoutMs: 5_000 });
    clock.advanceBy(10_000);
    const dtmf = ofType(events, 'call.dtmf');
    // Keys 1, 2, # at 1 s, 1.7 s, 2.4 s; the fourth is never pressed (max 3 reached).
    expect(dtmf.map((e) => [e.digit, e.at - start])).toEqual([
      ['1', 1_000],
      ['2', 1_700],
      ['#', 2_400],
    ]);
    expect(ofType(events, 'call.gather_ended')[0]).toMatchObject({ digits: '12#', reason: 'max_digits' });
    expect(ofType(events, 'call.prompt_ended')[0]).toMatchObject({
      prompt: 'code',
      reason: 'finished',
      at: start,
    });

    const { gatherId } = await gateway.gatherDigits({
      callId,
      maxDigits: 1,
      timeoutMs: 5_000,
      prompt: 'bye',
    });
    clock.advanceBy(10_000);
    expect(ofType(events, 'call.gather_ended')[1]).toMatchObject({ gatherId, reason: 'hangup', digits: '' });
    expect(ofType(events, 'call.hangup')[0]).toMatchObject({ endedBy: 'remote' });
    expect(gateway.stats().inbound.hungUpInIvr).toBe(1);
  });
});

describe('simulated gateway: IVR timeouts', () => {
  it('a menu that times out before the caller acts takes the decision with it', async () => {
    const { clock, gateway, events, callId } = firstCall({
      ivr: {
        defaultPromptMs: 2_000,
        reactionTime: { kind: 'fixed', seconds: 10 },
        menus: { slow: { choices: { '1': 1 }, hangUp: 1 } },
      },
    });
    await gateway.answer({ callId });
    // Both choices come after 10 s; the menu waits 5 s after its 2 s prompt.
    for (let i = 0; i < 20; i++) {
      await gateway.gatherDigits({ callId, maxDigits: 1, timeoutMs: 5_000, prompt: 'slow' });
      clock.advanceBy(7_000);
    }
    clock.advanceBy(60_000);
    expect(ofType(events, 'call.gather_ended').map((e) => e.reason)).toEqual(Array(20).fill('timeout'));
    expect(ofType(events, 'call.dtmf')).toEqual([]);
    expect(ofType(events, 'call.hangup')).toEqual([]);
  });
});

const outboundRates = { liveAnswerRate: 0.35, machineRate: 0.15, busyRate: 0.1, failedRate: 0.05 };

function dial(
  options: Omit<SimulatedGatewayOptions, 'clock'>,
  count: number,
  at: (i: number) => number,
  detectMachine = false,
) {
  const env = setup(options);
  const errors: unknown[] = [];
  for (let i = 0; i < count; i++)
    env.clock.setTimer(at(i), () =>
      fire(
        errors,
        env.gateway.originate({ number: '+393471234567', callerId: LINE, timeoutMs: 30_000, detectMachine }),
      ),
    );
  return { ...env, errors };
}

describe('simulated gateway: outbound', () => {
  it('outcome shares match the configured rates (the rest ring unanswered)', () => {
    const n = 5_000;
    const { clock, events, errors, gateway } = dial(
      {
        seed: 31,
        outbound: {
          ...outboundRates,
          answerDelay: { kind: 'lognormal', meanSeconds: 8, sdSeconds: 3 },
          machineAnswerDelay: { kind: 'fixed', seconds: 20 },
        },
      },
      n,
      (i) => ROME_MIDNIGHT + 10 * HOUR + i * 1_000,
    );
    clock.advanceTo(ROME_MIDNIGHT + 13 * HOUR);
    expect(errors).toEqual([]);
    const failed = ofType(events, 'call.dial_failed');
    expect(ofType(events, 'call.dialing')).toHaveLength(n);
    expectShare(ofType(events, 'call.answered').length, n, 0.5);
    expectShare(failed.filter((e) => e.reason === 'busy').length, n, 0.1);
    expectShare(failed.filter((e) => e.reason === 'failed').length, n, 0.05);
    // P(lognormal(8, 3) pickup ≥ 30 s) is below 1e-4: no-answers are the 35 % configured.
    expectShare(failed.filter((e) => e.reason === 'no_answer').length, n, 0.35);
    const stats = gateway.stats().outbound;
    expectShare(stats.human, n, 0.35);
    expectShare(stats.machine, n, 0.15);
    expect(stats.human + stats.machine + stats.busy + stats.noAnswer + stats.failed).toBe(n);
  });

  it('the live-answer rate follows the hour of the day', () => {
    const live = Array.from({ length: 24 }, (_, h) => (h === 10 ? 0.2 : h === 19 ? 0.6 : 0.3));
    const n = 2_000;
    const { clock, gateway } = dial(
      { seed: 32, outbound: { liveAnswerRate: live, machineRate: 0.1, busyRate: 0, failedRate: 0 } },
      2 * n,
      // n dials in the 10:00 hour, n in the 19:00 hour (Rome).
      (i) => ROME_MIDNIGHT + (i < n ? 10 : 19) * HOUR + (i % n) * 1_500,
    );
    clock.advanceTo(ROME_MIDNIGHT + 10 * HOUR + n * 1_500 + 120_000);
    const morning = gateway.stats().outbound.human;
    expectShare(morning, n, 0.2);
    clock.advanceTo(ROME_MIDNIGHT + 24 * HOUR);
    expectShare(gateway.stats().outbound.human - morning, n, 0.6);
  });

  it('answering-machine detection: verdicts after the answer, false positives and negatives counted', () => {
    const n = 6_000;
    const { clock, events, gateway } = dial(
      {
        seed: 33,
        outbound: {
          liveAnswerRate: 0.5,
          machineRate: 0.5,
          busyRate: 0,
          failedRate: 0,
          amdFalsePositiveRate: 0.05,
          amdFalseNegativeRate: 0.1,
          personPatience: { kind: 'infinite' },
        },
      },
      n,
      (i) => ROME_MIDNIGHT + 9 * HOUR + i * 500,
      true,
    );
    clock.advanceTo(ROME_MIDNIGHT + 12 * HOUR);
    const stats = gateway.stats().outbound;
    const verdicts = ofType(events, 'call.answered_by');
    expect(verdicts).toHaveLength(stats.human + stats.machine);
    expectShare(stats.amdFalsePositives, stats.human, 0.05);
    expectShare(stats.amdFalseNegatives, stats.machine, 0.1);
    // What the runtime sees agrees with the truth: machines said = true machines − missed + false alarms.
    expect(verdicts.filter((v) => v.answeredBy === 'machine').length).toBe(
      stats.machine - stats.amdFalseNegatives + stats.amdFalsePositives,
    );
    const answeredAt = new Map(ofType(events, 'call.answered').map((e) => [e.callId, e.at]));
    for (const v of verdicts) expect(v.at).toBeGreaterThan(answeredAt.get(v.callId)!);
  });

  it('a person left in silence hangs up (a drop); a machine records, then hangs up on its own', () => {
    const { clock, events, gateway } = dial(
      {
        seed: 34,
        outbound: {
          liveAnswerRate: 0.5,
          machineRate: 0.5,
          busyRate: 0,
          failedRate: 0,
          personPatience: { kind: 'fixed', seconds: 4 },
          machineHangupSeconds: 40,
          answerDelay: { kind: 'fixed', seconds: 6 },
          machineAnswerDelay: { kind: 'fixed', seconds: 18 },
        },
      },
      200,
      (i) => ROME_MIDNIGHT + 9 * HOUR + i * 60_000,
    );
    clock.advanceTo(ROME_MIDNIGHT + 14 * HOUR);
    const stats = gateway.stats().outbound;
    expect(stats.personHungUpWaiting).toBe(stats.human);
    expect(stats.machineHungUp).toBe(stats.machine);
    const dialedAt = new Map(ofType(events, 'call.dialing').map((e) => [e.callId, e.at]));
    const durations = new Set(ofType(events, 'call.hangup').map((e) => e.at - dialedAt.get(e.callId)!));
    // People: 6 s to answer + 4 s of patience; machines: 18 s + 40 s.
    expect([...durations].sort((a, b) => a - b)).toEqual([10_000, 58_000]);
  });
});

describe('simulated gateway: hangup causes', () => {
  const single = (outbound: SimulatedGatewayOptions['outbound']) => {
    const env = setup({ seed: 41, outbound });
    return env;
  };

  it('busy, no answer and network failures end with their Q.850 cause, side network', async () => {
    const busy = single({ liveAnswerRate: 0, machineRate: 0, busyRate: 1, failedRate: 0 });
    const { callId } = await busy.gateway.originate({
      number: '+393471111111',
      callerId: LINE,
      timeoutMs: 20_000,
    });
    busy.clock.advanceBy(60_000);
    expect(ofCall(busy.events, callId).map((e) => e.type)).toEqual([
      'call.dialing',
      'call.dial_failed',
      'call.hangup',
    ]);
    expect(busy.events.at(-1)).toMatchObject({ cause: 'user_busy', endedBy: 'network' });
    expect(HANGUP_CAUSE_Q850.user_busy).toBe(17);

    const silent = single({
      liveAnswerRate: 0,
      machineRate: 0,
      busyRate: 0,
      failedRate: 0,
      ringAfterMs: 2_000,
    });
    const dialed = await silent.gateway.originate({
      number: '+393471111111',
      callerId: LINE,
      timeoutMs: 20_000,
    });
    silent.clock.advanceBy(60_000);
    expect(ofCall(silent.events, dialed.callId).map((e) => [e.type, e.at - ROME_MIDNIGHT])).toEqual([
      ['call.dialing', 0],
      ['call.ringing', 2_000],
      ['call.dial_failed', 20_000],
      ['call.hangup', 20_000],
    ]);
    expect(silent.events.at(-1)).toMatchObject({ cause: 'no_answer', endedBy: 'network' });
    expect(HANGUP_CAUSE_Q850.no_answer).toBe(19);

    // A person slower than the dialer's timeout is an unanswered attempt too.
    const slow = single({
      liveAnswerRate: 1,
      machineRate: 0,
      busyRate: 0,
      failedRate: 0,
      answerDelay: { kind: 'fixed', seconds: 40 },
    });
    await slow.gateway.originate({ number: '+393471111111', callerId: LINE, timeoutMs: 30_000 });
    slow.clock.advanceBy(60_000);
    expect(ofType(slow.events, 'call.dial_failed')[0]).toMatchObject({ reason: 'no_answer' });
    expect(slow.gateway.stats().outbound).toMatchObject({ human: 0, noAnswer: 1 });

    const broken = single({
      liveAnswerRate: 0,
      machineRate: 0,
      busyRate: 0,
      failedRate: 1,
      failureCauses: { unallocated_number: 1, network_out_of_order: 1 },
    });
    for (let i = 0; i < 50; i++)
      await broken.gateway.originate({ number: '+393471111111', callerId: LINE, timeoutMs: 20_000 });
    broken.clock.advanceBy(60_000);
    const causes = new Set(ofType(broken.events, 'call.hangup').map((e) => e.cause));
    expect([...causes].sort()).toEqual(['network_out_of_order', 'unallocated_number']);
  });

  it('our hang-up carries the cause given, side local; a transfer out ends with side transfer', async () => {
    const a = firstCall({});
    await a.gateway.hangUp({ callId: a.callId, cause: 'call_rejected' });
    // Not delivered inside the command: only when the clock moves.
    expect(ofType(a.events, 'call.hangup')).toEqual([]);
    a.clock.advanceBy(0);
    expect(ofType(a.events, 'call.hangup')[0]).toMatchObject({
      cause: 'call_rejected',
      endedBy: 'local',
      at: a.offeredAt,
    });

    const b = firstCall({});
    await b.gateway.answer({ callId: b.callId });
    const rec = await b.gateway.startRecording({ callId: b.callId });
    b.clock.advanceBy(12_000);
    expect(await b.gateway.stopRecording({ callId: b.callId, recordingId: rec.recordingId })).toEqual({
      durationMs: 12_000,
    });
    await b.gateway.transfer({ callId: b.callId, target: { kind: 'number', number: '+390699999999' } });
    b.clock.advanceBy(0);
    expect(ofCall(b.events, b.callId).slice(-2)).toMatchObject([
      { type: 'call.transferred', target: { kind: 'number', number: '+390699999999' } },
      { type: 'call.hangup', cause: 'normal_clearing', endedBy: 'transfer' },
    ]);
  });

  it('a transfer to another operator keeps the caller, bridged anew, with a conversation of its own', async () => {
    const { clock, gateway, events, callId, offeredAt } = firstCall({
      line: { talkTime: { kind: 'fixed', seconds: 100 } },
    });
    await gateway.answer({ callId });
    await gateway.bridge({ callId, endpoint: 'operator:1' });
    clock.advanceBy(30_000);
    await gateway.transfer({ callId, target: { kind: 'endpoint', endpoint: 'operator:2' } });
    clock.advanceBy(99_000);
    expect(ofType(events, 'call.bridged').map((e) => e.endpoint)).toEqual(['operator:1', 'operator:2']);
    expect(ofType(events, 'call.hangup')).toEqual([]);
    clock.advanceBy(1_000);
    expect(ofType(events, 'call.hangup')[0]).toMatchObject({ at: offeredAt + 130_000, endedBy: 'remote' });
  });
});

describe('simulated gateway: errors', () => {
  const expectCode = async (promise: Promise<unknown>, code: string) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code });
  };

  it('commands on unknown, ended or unready calls give typed errors', async () => {
    const { clock, gateway, callId } = firstCall({ line: { patience: { kind: 'fixed', seconds: 5 } } });
    await expectCode(gateway.hold({ callId: 'sim-in-999' }), 'GATEWAY_CALL_NOT_FOUND');
    await expectCode(gateway.hangUp({ callId: 'nonsense' }), 'GATEWAY_CALL_NOT_FOUND');
    await expectCode(gateway.bridge({ callId, endpoint: 'operator:1' }), 'GATEWAY_INVALID_STATE');
    await expectCode(gateway.playPrompt({ callId, prompt: 'main' }), 'GATEWAY_INVALID_STATE');
    await gateway.answer({ callId });
    await expectCode(gateway.answer({ callId }), 'GATEWAY_INVALID_STATE');
    await expectCode(gateway.hold({ callId }), 'GATEWAY_INVALID_STATE');
    await expectCode(
      gateway.gatherDigits({ callId, maxDigits: 0, timeoutMs: 1_000 }),
      'GATEWAY_INVALID_INPUT',
    );
    await expectCode(gateway.stopRecording({ callId, recordingId: 'x' }), 'GATEWAY_INVALID_INPUT');
    await gateway.gatherDigits({ callId, maxDigits: 1, timeoutMs: 1_000 });
    await expectCode(
      gateway.gatherDigits({ callId, maxDigits: 1, timeoutMs: 1_000 }),
      'GATEWAY_INVALID_STATE',
    );
    clock.advanceBy(60_000);
    const ended = gateway.hangUp({ callId });
    await expectCode(ended, 'GATEWAY_CALL_ENDED');
    const error = (await ended.catch((e: GatewayError) => e)) as GatewayError;
    expect(error.callId).toBe(callId);
    expect(error.message).toContain(callId);
    await expectCode(
      gateway.originate({ number: '+393471111111', callerId: LINE, timeoutMs: 1_000 }),
      'GATEWAY_INVALID_INPUT',
    );
    await gateway.close();
    await expectCode(gateway.answer({ callId }), 'GATEWAY_CLOSED');
  });

  it('outbound commands are checked: number format, timeout; bridging twice needs a transfer', async () => {
    const { clock, gateway } = setup({
      seed: 1,
      outbound: {
        liveAnswerRate: 1,
        machineRate: 0,
        busyRate: 0,
        failedRate: 0,
        answerDelay: { kind: 'fixed', seconds: 5 },
      },
    });
    await expectCode(
      gateway.originate({ number: '3471234567', callerId: LINE, timeoutMs: 20_000 }),
      'GATEWAY_INVALID_INPUT',
    );
    await expectCode(
      gateway.originate({ number: '+393471234567', callerId: LINE, timeoutMs: 0 }),
      'GATEWAY_INVALID_INPUT',
    );
    const { callId } = await gateway.originate({
      number: '+393471234567',
      callerId: CALLER_ID,
      timeoutMs: 20_000,
    });
    await expectCode(gateway.bridge({ callId, endpoint: 'operator:1' }), 'GATEWAY_INVALID_STATE');
    clock.advanceBy(5_000);
    await gateway.bridge({ callId, endpoint: 'operator:1' });
    await expectCode(gateway.bridge({ callId, endpoint: 'operator:2' }), 'GATEWAY_INVALID_STATE');
    await expectCode(gateway.unhold({ callId }), 'GATEWAY_INVALID_STATE');
  });

  it('invalid options are refused with every failing field', () => {
    const clock = createManualClock({ start: 0 });
    let error: unknown;
    try {
      createSimulatedGateway({
        clock,
        seed: 1.5,
        inbound: [{ number: '800123', callsPerHour: [1, 2, -3] }],
        ivr: { menus: { main: { choices: { '1x': 1 } } } },
        outbound: { liveAnswerRate: 0.6, machineRate: 0.3, busyRate: 0.2, failedRate: 0 },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('GATEWAY_INVALID_INPUT');
    expect((error as GatewayError).issues.map((i) => i.field)).toEqual([
      'seed',
      'inbound[0].number',
      'inbound[0].callsPerHour',
      'inbound[0].callsPerHour[2]',
      'ivr.menus.main.choices',
      'outbound',
    ]);
  });
});

describe('simulated gateway: paced clocks', () => {
  it('runs accelerated, with events in time order while commands come from outside the clock', async () => {
    // ×600: 100 real ms are one simulated minute, about 600 calls.
    const clock = createAcceleratedClock({ factor: 600, start: ROME_MIDNIGHT });
    const gateway: SimulatedGateway = createSimulatedGateway({
      clock,
      seed: 2,
      inbound: [{ number: LINE, callsPerHour: Array(24).fill(36_000) }],
    });
    let offered = 0;
    const ats: number[] = [];
    gateway.subscribe((e) => {
      ats.push(e.at);
      if (e.type !== 'call.offered') return;
      offered++;
      // Answered a little later, as a runtime awaiting its database would: commands at the clock's own now.
      setTimeout(() => {
        gateway.answer({ callId: e.callId }).catch(() => {});
      }, 1);
    });
    await new Promise((r) => setTimeout(r, 100));
    const simulatedSeconds = (clock.now() - ROME_MIDNIGHT) / 1000;
    await gateway.close();
    clock.stop();
    expect(simulatedSeconds).toBeGreaterThanOrEqual(55);
    // Commands stamped at the clock's now and late timers interleave: `at` still never goes back.
    expect(ats.findIndex((at, i) => i > 0 && at < ats[i - 1]!)).toBe(-1);
    expect(ats.length).toBeGreaterThan(offered);
    // The rate itself is checked on the manual clock; here, that calls flow at the
    // accelerated pace: at least 10 simulated seconds' worth in 100 real ms (a
    // loaded machine delays timers), never more than the clock allows.
    expect(offered).toBeGreaterThanOrEqual(100);
    expect(offered).toBeLessThanOrEqual(10 * simulatedSeconds + 4 * Math.sqrt(10 * simulatedSeconds));
  });
});
