// Outbound KPIs (DOMAIN.md §4), contact cycles (§5) and FCR (§3) on hand-built
// sets; every expected value is worked out in the comment beside it.

import { describe, expect, it } from 'vitest';
import { dialerDropRates } from './kpi.drop-rate.ts';
import { buildRollup, computeKpis } from './kpi.rollup.ts';
import { agentState, inbound, ms, ORG } from './kpi.test-support.ts';
import type { InteractionRecord, KpiSettings } from './kpi.types.ts';

const T0 = ms('2026-03-02T10:00:00+01:00');

function attempt(
  id: string,
  listRecordId: string,
  secondsAfter: number,
  extra: Partial<InteractionRecord> = {},
) {
  const createdAt = T0 + secondsAfter * 1000;
  const record: InteractionRecord = {
    id,
    orgId: ORG,
    channel: 'voice',
    direction: 'outbound',
    campaign: 'care-call',
    listRecordId,
    createdAt,
    dialedAt: createdAt,
    ...extra,
  };
  return record;
}

/** A live answer at `dialedAt + 10 s`, connected to an operator `connectAfter` seconds later (none if undefined). */
function live(
  connectAfter: number | undefined,
  extra: Partial<InteractionRecord> = {},
): Partial<InteractionRecord> {
  return {
    answeredBy: 'human',
    calleeAnsweredAt: `+10`,
    ...(connectAfter === undefined ? {} : { answeredAt: `+${10 + connectAfter}` }),
    ...extra,
  } as Partial<InteractionRecord>;
}

/** Resolves the relative `+seconds` markers of `live` against the attempt's dial time. */
function resolve(record: InteractionRecord): InteractionRecord {
  const base = record.dialedAt as number;
  const out = { ...record };
  for (const field of ['calleeAnsweredAt', 'answeredAt', 'endedAt'] as const) {
    const value = out[field];
    if (typeof value === 'string' && value.startsWith('+')) out[field] = base + Number(value.slice(1)) * 1000;
  }
  return out;
}

// A list of 10 records (r1–r10); eight attempts on six of them:
//   o1 r1 dialed, no answer
//   o2 r1 2nd attempt: live, connected 1.5 s after the greeting, RPC, success
//   o3 r2 live, connected exactly 2 s after: not a drop; wrong party
//   o4 r3 live, connected 3 s after: a drop; RPC, no success
//   o5 r4 live, never connected: a drop
//   o6 r5 answering machine detected, but a person: AMD false positive = live + drop
//   o7 r6 not dialed (blocked before dialing): an attempt only
//   o8 r2 2nd attempt: busy
// attempts 8, dials 7, connects (live) 5 (o2–o6), RPC 2 (o2, o4), successes 1,
// records attempted 6 (r1–r6), drops 3 (o4, o5, o6).
const ATTEMPTS = [
  attempt('o1', 'r1', 0, { answeredBy: 'none' }),
  attempt('o2', 'r1', 60, live(1.5, { rightPartyContact: true, successful: true, outcome: 'donation' })),
  attempt('o3', 'r2', 120, live(2)),
  attempt('o4', 'r3', 180, live(3, { rightPartyContact: true, outcome: 'refused' })),
  attempt('o5', 'r4', 240, live(undefined)),
  attempt('o6', 'r5', 300, { answeredBy: 'machine', amdFalsePositive: true }),
  attempt('o7', 'r6', 360, { dialedAt: null }),
  attempt('o8', 'r2', 420, { answeredBy: 'busy' }),
].map(resolve);

// op-1 logged in 2 hours on the campaign: 30 min busy, 90 min available.
const STATES = [
  agentState('op-1', 'busy', '2026-03-02T10:00:00+01:00', '2026-03-02T10:30:00+01:00', {
    campaign: 'care-call',
  }),
  agentState('op-1', 'available', '2026-03-02T10:30:00+01:00', '2026-03-02T12:00:00+01:00', {
    campaign: 'care-call',
  }),
];

function figures(settings: Partial<KpiSettings> = {}, records = ATTEMPTS) {
  const [all] = computeKpis({ records, agentStates: STATES, settings, context: { listRecords: 10 } });
  return all!.figures;
}

describe('outbound KPIs', () => {
  it('attempts, dials, connects, RPC', () => {
    const f = figures();
    expect([f.attempts.value, f.dials.value, f.connects.value, f.rpc.value]).toEqual([8, 7, 5, 2]);
    expect(f.connects.drillDown?.numerator).toEqual(['o2', 'o3', 'o4', 'o5', 'o6']);
  });

  it('penetration and saturation over the list size', () => {
    const f = figures();
    expect(f.list_penetration.value).toBe(0.6); // 6 records attempted / 10
    expect(f.saturation.value).toBe(0.8); // 8 attempts / 10
    const [unknown] = computeKpis({ records: ATTEMPTS });
    expect(unknown!.figures.list_penetration.value).toBeNull();
    expect(unknown!.figures.list_penetration.reason).toBe('the size of the list is not known');
  });

  it('an attempt number from the dialer wins over the order of the records given', () => {
    // Only the second attempt on r1 is in the set: derived it would be first; the dialer says 2.
    const f = figures({}, [{ ...ATTEMPTS[1]!, attemptNumber: 2 }]);
    expect(f.list_penetration.numerator).toBe(0);
  });

  it('contact rate = RPC / dials; RPC per operator hour', () => {
    const f = figures();
    expect(f.contact_rate.value).toBeCloseTo(2 / 7, 12);
    expect(f.rpc_per_operator_hour.value).toBe(1); // 2 RPC / 2 logged-in hours
    expect(f.rpc_per_operator_hour.denominator).toBe(2);
  });

  it.each([
    ['rpc', 1, 2], // 1 success / 2 RPC
    ['dials', 1, 7],
    ['connects', 1, 5],
  ] as const)('conversion rate with denominator %s = %d / %d', (denominator, num, den) => {
    const f = figures({ conversionDenominator: denominator }).conversion_rate;
    expect([f.numerator, f.denominator]).toEqual([num, den]);
    expect(f.definition.variant).toBe(denominator);
  });

  it('drop rate: late, never connected and AMD false positives over live answers', () => {
    const f = figures().dialer_drop_rate;
    expect([f.numerator, f.denominator, f.value]).toEqual([3, 5, 0.6]);
    expect(f.drillDown?.numerator).toEqual(['o4', 'o5', 'o6']);
    // With a 3-second connect allowance o4 (3 s) is no longer a drop.
    expect(figures({ dropConnectSeconds: 3 }).dialer_drop_rate.numerator).toBe(2);
  });

  it("the dialer's own drop verdict wins over the timestamps", () => {
    const f = figures({}, [{ ...ATTEMPTS[3]!, dropped: false }]).dialer_drop_rate;
    expect(f.numerator).toBe(0);
  });

  it('rolling 24 h and 30 days from the rollup, against the 3 % ceiling', () => {
    // 100 live answers a day for 30 days; 2 drops a day, and 10 drops on the last day.
    const records: InteractionRecord[] = [];
    const day0 = ms('2026-03-01T09:00:00+01:00');
    for (let d = 0; d < 30; d++) {
      for (let i = 0; i < 100; i++) {
        const dialedAt = day0 + d * 86_400_000 + i * 60_000;
        const drops = d === 29 ? 10 : 2;
        records.push({
          id: `d${d}-${i}`,
          orgId: ORG,
          channel: 'voice',
          direction: 'outbound',
          campaign: 'care-call',
          createdAt: dialedAt,
          dialedAt,
          answeredBy: 'human',
          dropped: i < drops,
        });
      }
    }
    const rollup = buildRollup({ records });
    const asOfMs = day0 + 29 * 86_400_000 + 12 * 3_600_000; // 12 h after the last day's first call
    const [day, month] = dialerDropRates({ rollup, campaign: 'care-call', asOfMs });
    expect([day!.figure.numerator, day!.figure.denominator]).toEqual([10, 100]); // only the last day is in 24 h
    expect(day!.aboveCeiling).toBe(true); // 10 % > 3 %
    expect([month!.figure.numerator, month!.figure.denominator]).toEqual([29 * 2 + 10, 3000]); // 68 / 3000
    expect(month!.aboveCeiling).toBe(false); // 2.27 % ≤ 3 %
  });
});

describe('contact cycles (DOMAIN.md §5)', () => {
  const cycle = (id: string, cycleType: InteractionRecord['cycleType'], extra: Partial<InteractionRecord>) =>
    attempt(id, id, 0, { cycleType, campaign: cycleType, answeredBy: 'human', ...extra });
  // Upgrade: u1 +5.00 €, u2 +3.00 € (RPC and success), u3 RPC refused, u4 no answer.
  // Conversion: c1 RPC and a new regular gift, c2 live but wrong party.
  const CYCLES = [
    cycle('u1', 'upgrade', { rightPartyContact: true, successful: true, outcomeAmountCents: 500 }),
    cycle('u2', 'upgrade', { rightPartyContact: true, successful: true, outcomeAmountCents: 300 }),
    cycle('u3', 'upgrade', { rightPartyContact: true }),
    cycle('u4', 'upgrade', { answeredBy: 'none' }),
    cycle('c1', 'conversion', { rightPartyContact: true, successful: true, outcomeAmountCents: 1000 }),
    cycle('c2', 'conversion', {}),
  ];

  it('upgrade rate, average upgrade amount, conversion to regular giving; recapture absent', () => {
    const f = figures({}, CYCLES);
    expect(f.upgrade_rate.value).toBeCloseTo(2 / 3, 12); // 2 upgrades / 3 RPC
    expect(f.average_upgrade_amount.value).toBe(400); // (500 + 300) / 2 cents
    expect(f.regular_giving_conversion_rate.value).toBe(1); // 1 / 1 RPC
    expect(f.recapture_rate.value).toBeNull();
    expect(f.recapture_rate.reason).toBe('no RPC in the recapture cycle');
    const byConnects = figures({ conversionDenominator: 'connects' }, CYCLES);
    expect(byConnects.upgrade_rate.value).toBeCloseTo(2 / 3, 12); // 2 / 3 live (u4 was not)
    expect(byConnects.regular_giving_conversion_rate.value).toBe(0.5); // 1 / 2 live
  });

  it('welcome reach within N days counts the cohort that entered the cycle', () => {
    const signUp = ms('2026-03-02T12:00:00+01:00');
    const day = 86_400_000;
    const welcome = (id: string, who: string, afterMs: number, rpc: boolean): InteractionRecord => ({
      id,
      orgId: ORG,
      channel: 'voice',
      direction: 'outbound',
      campaign: 'welcome',
      cycleType: 'welcome',
      supporterId: who,
      cycleStartedAt: signUp,
      createdAt: signUp + afterMs,
      dialedAt: signUp + afterMs,
      answeredBy: rpc ? 'human' : 'none',
      rightPartyContact: rpc,
    });
    // w1 reached on day 3; w2 reached on day 8 (too late); w3 never reached;
    // w4 reached at exactly 7 days (within). Cohort 4, reached within 7 days 2.
    const records = [
      welcome('w1a', 'w1', 1 * day, false),
      welcome('w1b', 'w1', 3 * day, true),
      welcome('w2a', 'w2', 8 * day, true),
      welcome('w3a', 'w3', 2 * day, false),
      welcome('w4a', 'w4', 7 * day, true),
      welcome('w4b', 'w4', 9 * day, true), // a second RPC is not a second reach
    ];
    const days = computeKpis({ records, grouping: { time: 'day' } });
    const signUpDay = days.find((d) => d.label === '2026-03-02')!;
    expect([signUpDay.figures.welcome_reach.numerator, signUpDay.figures.welcome_reach.denominator]).toEqual([
      2, 4,
    ]);
    expect(signUpDay.figures.welcome_reach.drillDown?.numerator).toEqual(['w1b', 'w4a']);
    const [fiveDays] = computeKpis({ records, settings: { welcomeReachDays: 5 } });
    expect(fiveDays!.figures.welcome_reach.numerator).toBe(1); // only w1
  });
});

describe('FCR with its repeat window (DOMAIN.md §3)', () => {
  // s1 answered day 1 10:00, day 2 09:00 (23 h later), day 4 10:00 (49 h after day 2);
  // s2 answered day 1 10:00 on voice and 18:00 on chat; an anonymous answered
  // contact and an abandoned contact of s3 are not FCR contacts. Contacts: 5.
  const d1 = ms('2026-03-02T10:00:00+01:00');
  const hour = 3_600_000;
  const contacts = [
    inbound(d1, { id: 'f1', answerAfter: 5, talk: 60, supporterId: 's1' }),
    inbound(d1 + 23 * hour, { id: 'f2', answerAfter: 5, talk: 60, supporterId: 's1' }),
    inbound(d1 + 72 * hour, { id: 'f3', answerAfter: 5, talk: 60, supporterId: 's1' }),
    inbound(d1, { id: 'f4', answerAfter: 5, talk: 60, supporterId: 's2' }),
    inbound(d1 + 8 * hour, { id: 'f5', answerAfter: 5, talk: 60, supporterId: 's2', channel: 'chat' }),
    inbound(d1, { id: 'f6', answerAfter: 5, talk: 60 }),
    inbound(d1, { id: 'f7', abandonAfter: 50, supporterId: 's3' }),
  ];
  it.each([
    ['same_day', 1, 4 / 5, ['f5']], // only s2's chat is on the same day
    ['2_days', 2, 3 / 5, ['f2', 'f5']], // + s1 after 23 h; f3 is 49 h after f2
    ['7_days', 3, 2 / 5, ['f2', 'f3', 'f5']],
  ] as const)('W = %s: %d repeats, FCR %d', (fcrWindow, repeats, value, repeatIds) => {
    const [all] = computeKpis({ records: contacts, settings: { fcrWindow } });
    const fcr = all!.figures.fcr;
    expect([fcr.numerator, fcr.denominator]).toEqual([5 - repeats, 5]);
    expect(fcr.value).toBeCloseTo(value, 12);
    expect(fcr.drillDown?.denominator.filter((id) => !fcr.drillDown?.numerator.includes(id))).toEqual(
      repeatIds,
    );
  });

  it('a repeat across days counts in the day of the repeat; history before the period is used', () => {
    const period = { fromMs: ms('2026-03-03T00:00:00+01:00'), toMs: ms('2026-03-04T00:00:00+01:00') };
    const [day2] = computeKpis({ records: contacts, period });
    expect([day2!.figures.fcr.numerator, day2!.figures.fcr.denominator]).toEqual([0, 1]); // f2 repeats f1 of the day before
  });
});
