// Behaviour of simulate(): reproducibility, the two loops agreeing, shifts and
// occupancy accounting, routing priorities, outbound dialing, and the shape of the
// result. Formula agreement is in simulate.validation.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLongestIdleRouter, type SimulationRouterFactory } from './simulate.router.ts';
import { simulate } from './simulate.ts';
import type { SimulationEstimate, SimulationResult } from './simulate.types.ts';

const EXAMPLE = readFileSync(new URL('../../../../examples/simulate-scenario.json', import.meta.url), 'utf8');

// Scenarios are edited freely as JSON in these tests.
// biome-ignore lint/suspicious/noExplicitAny: JSON fixtures
type Json = Record<string, any>;

/** One queue of the fictional Fondazione Aurora, with overrides. */
function oneQueue(overrides: Json = {}): Json {
  return {
    intervalMinutes: 15,
    intervals: 16,
    organizations: [{ id: 'fondazione-aurora' }],
    queues: [
      {
        id: 'donors',
        organization: 'fondazione-aurora',
        callsPerInterval: [20, 30, 45, 60, 70, 80, 75, 70, 60, 55, 60, 70, 50, 40, 30, 20],
        handleTime: { kind: 'lognormal', meanSeconds: 200, sdSeconds: 110 },
        wrapUp: { kind: 'empirical', valuesSeconds: [10, 20, 30, 60], weights: [4, 3, 2, 1] },
        patience: { kind: 'lognormal', meanSeconds: 100, sdSeconds: 70 },
      },
    ],
    operators: [
      // An early team with a break, a late team, and one operator added per interval from a schedule.
      {
        id: 'early',
        count: 9,
        skills: ['donors'],
        shifts: [
          { startMinutes: 0, endMinutes: 100 },
          { startMinutes: 115, endMinutes: 180 },
        ],
      },
      { id: 'late', count: 8, skills: ['donors'], shifts: [{ startMinutes: 60, endMinutes: 240 }] },
      {
        id: 'scheduled',
        countPerInterval: [0, 1, 2, 3, 4, 4, 4, 3, 2, 2, 3, 4, 4, 3, 2, 1],
        skills: ['donors'],
      },
    ],
    ...overrides,
  };
}

const values = (rows: { [k: string]: unknown }[], key: string) =>
  rows.map((row) => (row[key] as SimulationEstimate).value);

function expectSameNumbers(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    // The loops add the same numbers, sometimes in another order: equal up to rounding.
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a)));
  } else if (a !== null && typeof a === 'object') {
    expect(Object.keys(b as object), path).toEqual(Object.keys(a));
    for (const key of Object.keys(a)) expectSameNumbers((a as Json)[key], (b as Json)[key], `${path}.${key}`);
  } else {
    expect(b, path).toEqual(a);
  }
}

describe('reproducibility', () => {
  it('the same seed gives the same result, another seed another one', () => {
    const a = simulate({ scenario: EXAMPLE, replications: 3, seed: 42 });
    const b = simulate({ scenario: JSON.parse(EXAMPLE), replications: 3, seed: 42 });
    const c = simulate({ scenario: EXAMPLE, replications: 3, seed: 43 });
    expect(b).toEqual(a);
    expect(c.center.totals.offered).not.toEqual(a.center.totals.offered);
  });

  it('replication r is the same whatever the number of replications', () => {
    // Replication streams derive from (seed, r): one replication of seed s is the first of three.
    const one = simulate({ scenario: oneQueue(), replications: 1, seed: 5, detail: 'totals' });
    const many = simulate({ scenario: oneQueue(), replications: 3, seed: 5, detail: 'totals' });
    expect(one.events.arrivals).toBeLessThan(many.events.arrivals);
    const first = simulate({ scenario: oneQueue(), replications: 1, seed: 5, detail: 'totals' });
    expect(first).toEqual(one);
  });
});

describe('the single-queue loop and the general loop', () => {
  it('give the same numbers for one queue with shifts, breaks, schedules and overtime', () => {
    const fast = simulate({ scenario: oneQueue(), replications: 4, seed: 8 });
    const general = simulate({ scenario: oneQueue(), replications: 4, seed: 8, fastPath: false });
    expect(fast.engine).toBe('single-queue');
    expect(general.engine).toBe('general');
    expectSameNumbers({ ...fast, engine: '' }, { ...general, engine: '' });
  });

  it('also without abandonment and with calls left waiting at the end', () => {
    const scenario = oneQueue({
      operators: [
        { id: 'early', count: 6, skills: ['donors'], shifts: [{ startMinutes: 0, endMinutes: 120 }] },
      ],
    });
    scenario.queues[0].patience = { kind: 'infinite' };
    const fast = simulate({ scenario, replications: 2, seed: 3 });
    const general = simulate({ scenario, replications: 2, seed: 3, fastPath: false });
    expect(fast.center.totals.unresolved.value).toBeGreaterThan(0);
    expectSameNumbers({ ...fast, engine: '' }, { ...general, engine: '' });
  });
});

describe('operators, shifts and occupancy', () => {
  it('logged-in time is the schedule plus overtime; handle time never exceeds it', () => {
    const result = simulate({ scenario: oneQueue(), replications: 3, seed: 1 });
    const early = result.operatorGroups[0]!.intervals;
    const quarter = 0.25;
    // Early team: 9 operators from 0 to 100 min (intervals 0-5, then 10 min of interval 6), break until 115, back until 180.
    for (const k of [0, 1, 2, 3, 4, 5]) expect(early[k]!.loggedInHours.value).toBeCloseTo(9 * quarter, 9);
    // Interval 6 (90-105 min): 10 scheduled minutes each, plus the calls running into the break.
    expect(early[6]!.loggedInHours.value!).toBeGreaterThan((9 * 10) / 60);
    for (const group of result.operatorGroups) {
      for (const row of group.intervals) {
        expect(row.handleHours.value!).toBeLessThanOrEqual(row.loggedInHours.value! + 1e-9);
      }
    }
    const scheduled = result.operatorGroups[2]!.intervals;
    expect(scheduled[0]!.loggedInHours.value).toBe(0);
    expect(scheduled[4]!.loggedInHours.value!).toBeGreaterThanOrEqual(4 * quarter);
  });

  it('an operator finishes the call running at the end of the shift (overtime), then logs off', () => {
    // One operator, 10-minute calls back to back from 0 to 30 min; nobody afterwards.
    const result = simulate({
      scenario: {
        intervalMinutes: 15,
        intervals: 4,
        queues: [
          {
            id: 'q',
            organization: 'o',
            callsPerInterval: [60, 0, 0, 0],
            handleTime: { kind: 'fixed', seconds: 600 },
            patience: { kind: 'infinite' },
          },
        ],
        organizations: [{ id: 'o' }],
        operators: [{ id: 'solo', count: 1, skills: ['q'], shifts: [{ startMinutes: 0, endMinutes: 30 }] }],
      },
      replications: 2,
      seed: 4,
    });
    const rows = result.operatorGroups[0]!.intervals;
    // The third call starts before 30 min (the first arrival comes within seconds) and ends after it.
    const overtime = rows[2]!.loggedInHours.value!;
    expect(overtime).toBeGreaterThan(0);
    expect(overtime).toBeLessThanOrEqual(600 / 3600);
    expect(rows[2]!.handleHours.value).toBeCloseTo(overtime, 12);
    expect(rows[3]!.loggedInHours.value).toBe(0);
    expect(result.queues[0]!.totals.answered.value).toBe(3);
    expect(result.queues[0]!.totals.unresolved.value).toBeGreaterThan(50);
    expect(result.warnings.join(' ')).toMatch(/still waiting/);
  });

  it('operators on duty at the end of the horizon stay until the queue is empty', () => {
    const scenario = oneQueue({ operators: [{ id: 'all-day', count: 12, skills: ['donors'] }] });
    scenario.queues[0].patience = { kind: 'infinite' };
    const totals = simulate({ scenario, replications: 2, seed: 2 }).queues[0]!.totals;
    expect(totals.unresolved.value).toBe(0);
    expect(totals.answered.value).toBe(totals.offered.value);
  });

  it('with nobody to take calls in an interval, its callers abandon', () => {
    const result = simulate({ scenario: oneQueue(), replications: 2, seed: 6 });
    const scheduled = simulate({
      scenario: oneQueue({
        operators: [
          { id: 'late', count: 5, skills: ['donors'], shifts: [{ startMinutes: 60, endMinutes: 240 }] },
        ],
      }),
      replications: 2,
      seed: 6,
    });
    expect(result.queues[0]!.intervals[0]!.abandoned.value).toBeLessThan(
      scheduled.queues[0]!.intervals[0]!.abandoned.value!,
    );
    expect(scheduled.queues[0]!.intervals[0]!.answered.value).toBe(0);
  });
});

describe('KPIs over intervals and replications', () => {
  const result = simulate({ scenario: oneQueue({ warmupIntervals: 2 }), replications: 6, seed: 10 });
  const queue = result.queues[0]!;
  const rows = queue.intervals.filter((row) => !row.warmup);

  it('counts are means per replication; totals leave out the warm-up', () => {
    expect(queue.intervals.filter((row) => row.warmup).map((row) => row.index)).toEqual([0, 1]);
    const sum = values(rows, 'offered').reduce((a, b) => a! + b!, 0)!;
    expect(queue.totals.offered.value).toBeCloseTo(sum, 9);
  });

  it('the total service level is a ratio of expectations: Σ numerators / Σ denominators', () => {
    // SL_k × mean denominator_k = mean numerator_k, so weighting by A + Ab gives the total exactly.
    let numerator = 0;
    let denominator = 0;
    let meanOfRatios = 0;
    for (const row of rows) {
      const handled = row.answered.value! + row.abandoned.value!;
      numerator += row.serviceLevel.value! * handled;
      denominator += handled;
      meanOfRatios += row.serviceLevel.value! / rows.length;
    }
    expect(queue.totals.serviceLevel.value).toBeCloseTo(numerator / denominator, 9);
    expect(Math.abs(queue.totals.serviceLevel.value! - meanOfRatios)).toBeGreaterThan(1e-4);
  });

  it('each figure lies inside its confidence interval; more replications narrow it', () => {
    for (const key of ['serviceLevel', 'asaSeconds', 'abandonRate', 'ahtSeconds', 'offered'] as const) {
      const e = queue.totals[key];
      expect(e.low!).toBeLessThanOrEqual(e.value!);
      expect(e.high!).toBeGreaterThanOrEqual(e.value!);
    }
    const more = simulate({
      scenario: oneQueue({ warmupIntervals: 2 }),
      replications: 24,
      seed: 10,
      detail: 'totals',
    });
    const width = (e: SimulationEstimate) => e.high! - e.low!;
    expect(width(more.queues[0]!.totals.serviceLevel)).toBeLessThan(width(queue.totals.serviceLevel));
  });

  it('one replication has no interval, and says so', () => {
    const one = simulate({ scenario: oneQueue(), replications: 1, seed: 10, detail: 'totals' });
    expect(one.queues[0]!.totals.serviceLevel.low).toBeNull();
    expect(one.warnings).toContain('one replication: confidence intervals need at least two');
  });

  it('labels intervals with their start', () => {
    const labelled = simulate({ scenario: oneQueue({ start: '2025-03-03T08:00:00Z' }), replications: 2 });
    expect(labelled.queues[0]!.intervals[2]!.start).toBe('2025-03-03T08:30:00.000Z');
    expect(labelled.queues[0]!.intervals[2]!.startMinutes).toBe(30);
  });

  it('a threshold set on the queue overrides the scenario threshold', () => {
    const sl = (kpi: Json, queueThreshold?: number) => {
      const scenario = oneQueue({ kpi });
      if (queueThreshold !== undefined) scenario.queues[0].thresholdSeconds = queueThreshold;
      return simulate({ scenario, replications: 2, seed: 3, detail: 'totals' }).queues[0]!.totals.serviceLevel
        .value!;
    };
    expect(sl({ thresholdSeconds: 0 })).toBeLessThan(sl({ thresholdSeconds: 20 }));
    expect(sl({ thresholdSeconds: 0 }, 20)).toBe(sl({ thresholdSeconds: 20 }));
    expect(sl({ thresholdSeconds: 600 })).toBe(1);
  });

  it('changes the service level definition on request', () => {
    const base = simulate({ scenario: oneQueue(), replications: 2, seed: 3, detail: 'totals' }).queues[0]!
      .totals;
    const answeredOnly = simulate({
      scenario: oneQueue({ kpi: { serviceLevelDefinition: 'answered_within_of_answered' } }),
      replications: 2,
      seed: 3,
      detail: 'totals',
    }).queues[0]!.totals;
    expect(answeredOnly.offered).toEqual(base.offered);
    expect(answeredOnly.serviceLevel.value).not.toBe(base.serviceLevel.value);
  });
});

describe('several queues, organizations and skills', () => {
  const scenario = (priorityOfB: number) => ({
    intervalMinutes: 30,
    intervals: 8,
    organizations: [{ id: 'fondazione-aurora' }, { id: 'lega-verde' }],
    queues: [
      {
        id: 'a',
        organization: 'fondazione-aurora',
        callsPerInterval: 90,
        handleTime: { kind: 'exponential', meanSeconds: 200 },
        patience: { kind: 'exponential', meanSeconds: 120 },
      },
      {
        id: 'b',
        organization: 'lega-verde',
        callsPerInterval: 90,
        handleTime: { kind: 'exponential', meanSeconds: 200 },
        patience: { kind: 'exponential', meanSeconds: 120 },
      },
    ],
    operators: [
      {
        id: 'shared',
        count: 20,
        skills: [
          { queue: 'a', priority: 1 },
          { queue: 'b', priority: priorityOfB },
        ],
      },
    ],
  });

  it('a free operator takes the queue of better priority first', () => {
    const result = simulate({ scenario: scenario(2), replications: 4, seed: 1, detail: 'totals' });
    const [a, b] = result.queues;
    expect(a!.totals.asaSeconds.value!).toBeLessThan(b!.totals.asaSeconds.value! / 2);
    expect(a!.totals.serviceLevel.value!).toBeGreaterThan(b!.totals.serviceLevel.value!);
  });

  it('with equal priorities, the longest-waiting contact: both queues fare alike', () => {
    const result = simulate({ scenario: scenario(1), replications: 8, seed: 1, detail: 'totals' });
    const [a, b] = result.queues;
    expect(Math.abs(a!.totals.serviceLevel.value! - b!.totals.serviceLevel.value!)).toBeLessThan(0.03);
  });

  it('sums queues into their organization and the center', () => {
    const result = simulate({ scenario: scenario(2), replications: 2, seed: 1, detail: 'totals' });
    expect(result.organizations.map((o) => o.id)).toEqual(['fondazione-aurora', 'lega-verde']);
    expect(result.organizations[1]!.totals).toEqual(result.queues[1]!.totals);
    expect(result.center.totals.offered.value).toBeCloseTo(
      result.queues[0]!.totals.offered.value! + result.queues[1]!.totals.offered.value!,
      9,
    );
  });

  it('drives a router of the caller’s own through the same interface', () => {
    let decisions = 0;
    const counting: SimulationRouterFactory = (model) => {
      const inner = createLongestIdleRouter(model);
      return {
        name: 'counting',
        contactQueued: (c, q, now) => {
          decisions++;
          return inner.contactQueued(c, q, now);
        },
        contactAbandoned: (c, q, now) => inner.contactAbandoned(c, q, now),
        operatorAvailable: (o, now) => {
          decisions++;
          return inner.operatorAvailable(o, now);
        },
        operatorLoggedOff: (o, now) => inner.operatorLoggedOff(o, now),
      };
    };
    const custom = simulate({
      scenario: scenario(2),
      replications: 2,
      seed: 1,
      router: counting,
      detail: 'totals',
    });
    const builtIn = simulate({ scenario: scenario(2), replications: 2, seed: 1, detail: 'totals' });
    expect(custom.router).toBe('counting');
    expect(decisions).toBeGreaterThan(custom.events.arrivals);
    expect(custom.queues).toEqual(builtIn.queues);
  });
});

describe('through the live routing engine (engine/routing)', () => {
  it('routes one queue with shifts and breaks exactly as the built-in longest-idle router', () => {
    // Both pick the longest-idle operator and the longest-waiting contact: same decisions, same numbers.
    const engine = simulate({ scenario: oneQueue(), replications: 2, seed: 12, router: 'routing-engine' });
    const builtIn = simulate({ scenario: oneQueue(), replications: 2, seed: 12, fastPath: false });
    expect(engine.router).toBe('routing-engine');
    expect(engine.engine).toBe('general');
    expectSameNumbers({ ...engine, router: '' }, { ...builtIn, router: '' });
  });

  it('runs the example: several organizations, blended operators, a campaign', () => {
    const result = simulate({
      scenario: EXAMPLE,
      replications: 2,
      seed: 3,
      router: 'routing-engine',
      detail: 'totals',
    });
    for (const queue of result.queues) expect(queue.totals.answered.value!).toBeGreaterThan(0);
    expect(result.campaigns[0]!.totals.connects.value!).toBeGreaterThan(0);
    expect(result.center.totals.unresolved.value).toBe(0);
  });
});

describe('outbound dialing', () => {
  const campaignScenario = (campaign: Json, operators?: Json[]): Json => ({
    intervalMinutes: 30,
    intervals: 8,
    organizations: [{ id: 'fondazione-aurora' }],
    campaigns: [
      {
        id: 'welcome',
        organization: 'fondazione-aurora',
        answerRate: 0.4,
        machineRate: 0.2,
        rightPartyRate: 0.8,
        successRate: 0.5,
        handleTime: { kind: 'exponential', meanSeconds: 180 },
        wrapUp: { kind: 'fixed', seconds: 30 },
        ...campaign,
      },
    ],
    operators: operators ?? [{ id: 'callers', count: 10, skills: [{ campaign: 'welcome' }] }],
  });

  it('progressive dialing with dedicated operators never drops a call', () => {
    const result = simulate({ scenario: campaignScenario({}), replications: 4, seed: 1, detail: 'totals' });
    const t = result.campaigns[0]!.totals;
    expect(t.drops.value).toBe(0);
    expect(t.connects.value).toBe(t.liveAnswers.value);
    // Live answers and machines are shares of the dials; RPC a share of connects.
    expect(t.liveAnswers.value! / t.dials.value!).toBeCloseTo(0.4, 1);
    expect(t.machines.value! / t.dials.value!).toBeCloseTo(0.2, 1);
    expect(t.contactRate.value).toBeCloseTo(t.rightPartyContacts.value! / t.dials.value!, 9);
    expect(t.conversionRate.value!).toBeCloseTo(0.5, 1);
    expect(result.center.totals.occupancy.value!).toBeGreaterThan(0.5);
    expect(result.events.dials).toBeGreaterThan(0);
  });

  it('power dialing at three lines per operator drops calls; the drop rate is drops / live answers', () => {
    const result = simulate({
      scenario: campaignScenario({ pacing: { kind: 'power', linesPerAgent: 3 } }),
      replications: 4,
      seed: 1,
      detail: 'totals',
    });
    const t = result.campaigns[0]!.totals;
    expect(t.drops.value!).toBeGreaterThan(0);
    expect(t.dropRate.value).toBeCloseTo(t.drops.value! / t.liveAnswers.value!, 9);
    expect(t.connects.value! + t.drops.value!).toBeCloseTo(t.liveAnswers.value!, 9);
  });

  it('answering-machine detection: machines are not put through, false positives are drops', () => {
    const result = simulate({
      scenario: campaignScenario({ amd: { falsePositiveRate: 0.1 } }),
      replications: 4,
      seed: 2,
      detail: 'totals',
    });
    const t = result.campaigns[0]!.totals;
    expect(t.dropRate.value!).toBeGreaterThan(0.05);
    expect(t.dropRate.value!).toBeLessThan(0.15);
    // Without detection, machines take operators' time too: fewer dials in the same hours.
    const noAmd = simulate({ scenario: campaignScenario({}), replications: 4, seed: 2, detail: 'totals' });
    expect(t.dials.value!).toBeGreaterThan(noAmd.campaigns[0]!.totals.dials.value!);
  });

  it('a list runs out: penetration, saturation and the attempts limit', () => {
    const result = simulate({
      scenario: campaignScenario({ records: 300, maxAttempts: 2, retryMinutes: 30 }),
      replications: 3,
      seed: 3,
      detail: 'totals',
    });
    const c = result.campaigns[0]!;
    expect(c.listPenetration.value).toBe(1);
    expect(c.totals.dials.value!).toBeLessThanOrEqual(600);
    expect(c.saturation.value).toBeCloseTo(c.totals.dials.value! / 300, 9);
    expect(c.saturation.value!).toBeGreaterThan(1);
  });

  it('never dials outside the calling windows', () => {
    const result = simulate({
      scenario: campaignScenario({ windows: [{ startMinutes: 60, endMinutes: 150 }] }),
      replications: 2,
      seed: 4,
    });
    const dials = values(result.campaigns[0]!.intervals, 'dials');
    expect(dials.slice(0, 2)).toEqual([0, 0]);
    expect(dials.slice(2, 5).every((d) => d! > 0)).toBe(true);
    expect(dials.slice(5)).toEqual([0, 0, 0]);
  });

  it('blended operators answer inbound first; the dialer uses the idle time', () => {
    const scenario = campaignScenario({}, [
      {
        id: 'blended',
        count: 12,
        skills: [
          { queue: 'donors', priority: 1 },
          { campaign: 'welcome', priority: 2 },
        ],
      },
    ]);
    scenario.queues = [
      {
        id: 'donors',
        organization: 'fondazione-aurora',
        callsPerInterval: 60,
        handleTime: { kind: 'exponential', meanSeconds: 200 },
        patience: { kind: 'exponential', meanSeconds: 120 },
      },
    ];
    const result = simulate({ scenario, replications: 3, seed: 5, detail: 'totals' });
    expect(result.queues[0]!.totals.serviceLevel.value!).toBeGreaterThan(0.8);
    expect(result.campaigns[0]!.totals.connects.value!).toBeGreaterThan(50);
    expect(result.center.totals.occupancy.value!).toBeGreaterThan(0.8);
  });

  it('predictive pacing (engine/pacing) connects more than progressive and keeps to its drop ceiling', () => {
    const run = (pacing: Json, seed = 1) =>
      simulate({
        scenario: campaignScenario({ pacing }, [
          { id: 'callers', count: 30, skills: [{ campaign: 'welcome' }] },
        ]),
        replications: 4,
        seed,
        detail: 'totals',
      }).campaigns[0]!.totals;
    const progressive = run({ kind: 'progressive' });
    const predictive = run({ kind: 'predictive', maxDropRate: 0.03 });
    // Progressive already keeps these operators 84 % busy; predictive also counts those about to finish.
    expect(predictive.connects.value!).toBeGreaterThan(1.03 * progressive.connects.value!);
    expect(predictive.drops.value!).toBeGreaterThan(0);
    expect(predictive.dropRate.value!).toBeLessThanOrEqual(0.03);
    // A stricter ceiling dials less; the same seed replays exactly.
    const strict = run({ kind: 'predictive', maxDropRate: 0.01 });
    expect(strict.dropRate.value!).toBeLessThanOrEqual(0.01);
    expect(strict.connects.value!).toBeLessThan(predictive.connects.value!);
    expect(run({ kind: 'predictive', maxDropRate: 0.03 })).toEqual(predictive);
  });
});

describe('the result', () => {
  const progress: number[] = [];
  const result = simulate({
    scenario: EXAMPLE,
    replications: 4,
    seed: 9,
    onProgress: (f) => progress.push(f),
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('reports progress from 0 to 1, never backwards', () => {
    expect(progress.length).toBeGreaterThan(20);
    expect(progress.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
  });

  it('names its definitions and every scope of the example', () => {
    const r: SimulationResult = result;
    expect(r.definitions.countedIn).toBe('queued interval');
    expect(r.queues.map((q) => q.id)).toEqual(['aurora-donors', 'aurora-drtv', 'verde-care']);
    expect(r.organizations.map((o) => o.id)).toEqual(['fondazione-aurora', 'lega-verde']);
    expect(r.operatorGroups).toHaveLength(5);
    expect(r.campaigns[0]!.intervals).toHaveLength(48);
    expect(r.center.intervals[20]!.occupancy.value!).toBeGreaterThan(0);
  });
});
