import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dimensionCenter, validateDimensionPlan } from './dimension.ts';
import type { DimensionPlan } from './dimension.types.ts';
import { requiredAgents } from './staffing.ts';
import { WfmError } from './wfm.errors.ts';

function plan(overrides: Partial<DimensionPlan['organizations'][number]> = {}): DimensionPlan {
  return {
    startMonth: '2026-01',
    months: 3,
    workforce: { paidHoursPerOperatorMonth: 160, shrinkage: 0.25, occupancy: 0.8, operatorsPerSeat: 1.5 },
    organizations: [
      {
        id: 'fondazione-a',
        name: 'Fondazione A (fictional)',
        supporters: { regular: 12_000, oneOff: 0, lapsed: 0 },
        cycles: [
          {
            cycle: 'loyalty',
            perYear: 1,
            withinDays: 6,
            reachRate: 0.5,
            attemptsPerRecord: 3,
            talkSeconds: 300,
            wrapSeconds: 60,
            attemptSeconds: 30,
          },
        ],
        ...overrides,
      },
    ],
  };
}

describe('dimensionCenter', () => {
  it('a loyalty cycle by hand', () => {
    // 12,000 regular donors called once a year: 1,000 records arise a month. Worked
    // within 6 days, 6/60 = 10 % of a month's records cross into the next month, so
    // month 1 works 900, later months 900 + 100 = 1,000. Month 2:
    //   attempts 3,000, contacts 500; seconds = 500 × 360 + 2,500 × 30 = 255,000 → 70.83 h
    //   staffed 70.83 / 0.8 = 88.54 h; paid / 0.75 = 118.06 h; FTE / 160 = 0.7378
    //   operators ⌈0.7378⌉ = 1; seats ⌈0.7378 / 1.5⌉ = 1.
    const result = dimensionCenter(plan());
    const [first, second] = result.organizations[0]!.months;
    expect(first!.cycles[0]!.records).toBeCloseTo(900, 9);
    expect(second!.cycles[0]!.records).toBeCloseTo(1000, 9);
    expect(second!.attempts).toBeCloseTo(3000, 9);
    expect(second!.contacts).toBeCloseTo(500, 9);
    expect(second!.productiveHours).toBeCloseTo(255_000 / 3600, 9);
    expect(second!.staffedHours).toBeCloseTo(255_000 / 3600 / 0.8, 9);
    expect(second!.paidHours).toBeCloseTo(255_000 / 3600 / 0.8 / 0.75, 9);
    expect(second!.operatorsFte).toBeCloseTo(255_000 / 3600 / 0.8 / 0.75 / 160, 9);
    expect(second!.operators).toBe(1);
    expect(second!.seats).toBe(1);
    expect(result.months).toEqual(['2026-01', '2026-02', '2026-03']);
  });

  it('moves supporters: new regular donors, attrition to lapsed, recapture of the newly lapsed', () => {
    const result = dimensionCenter(
      plan({
        supporters: { regular: 10_000, oneOff: 5_000, lapsed: 1_000 },
        growth: {
          newRegularPerMonth: [500, 400, 300],
          regularAttritionPerMonth: 0.02,
          lapsedExitPerMonth: 0.1,
        },
        cycles: [
          {
            cycle: 'welcome',
            withinDays: 1,
            reachRate: 0.7,
            attemptsPerRecord: 2,
            talkSeconds: 200,
            wrapSeconds: 40,
          },
          {
            cycle: 'recapture',
            withinDays: 1,
            reachRate: 0.4,
            attemptsPerRecord: 3,
            talkSeconds: 250,
            wrapSeconds: 60,
            successRate: 0.25,
          },
        ],
      }),
    );
    const months = result.organizations[0]!.months;
    // Month 2 starts from month 1: regular 10,000 − 200 + 500 = 10,300; lapsed 1,000 × 0.9 + 200 = 1,100.
    expect(months[1]!.supporters).toEqual({ regular: 10_300, oneOff: 5_000, lapsed: 1_100 });
    // Welcome calls the month's new donors (1/60 of them spill over at withinDays 1).
    const spill = 1 / 60;
    expect(months[1]!.cycles[0]!.records).toBeCloseTo(400 * (1 - spill) + 500 * spill, 9);
    // Recapture calls the donors who lapsed that month: 2 % of 10,300 = 206.
    expect(months[1]!.cycles[1]!.records).toBeCloseTo(206 * (1 - spill) + 200 * spill, 9);
    expect(months[1]!.cycles[1]!.successes).toBeCloseTo(months[1]!.cycles[1]!.contacts * 0.25, 9);
    expect(months[1]!.cycles[0]!.successes).toBeNull();
  });

  it('runs a cycle only in its active months', () => {
    const result = dimensionCenter(
      plan({
        cycles: [
          {
            cycle: 'one_off',
            share: 0.5,
            perYear: 12,
            withinDays: 30,
            activeMonths: ['2026-02'],
            reachRate: 0.5,
            attemptsPerRecord: 2,
            talkSeconds: 180,
            wrapSeconds: 30,
          },
        ],
      }),
    );
    // 6,000 records arise in February; half of them (withinDays 30) are worked in March.
    expect(result.organizations[0]!.months.map((m) => m.cycles[0]!.records)).toEqual([0, 3000, 3000]);
  });

  it('staffs inbound lines with Erlang and pools operators across organizations in the total', () => {
    const base = plan({
      inbound: [
        {
          name: 'toll_free',
          callsPerMonth: 4400,
          ahtSeconds: 240,
          openHoursPerMonth: 220,
          patienceSeconds: 120,
        },
      ],
      email: { emailsPerMonth: [300, 300, 600], handleSeconds: 240 },
    });
    base.organizations.push({
      ...base.organizations[0]!,
      id: 'fondazione-b',
      name: 'Fondazione B (fictional)',
    });
    const result = dimensionCenter(base);
    const line = result.organizations[0]!.months[0]!.inbound[0]!;
    // 4,400 calls × 240 s over 220 h = 1.333 Erlangs on average, 2.133 at the 1.6 peak.
    const average = requiredAgents({
      trafficErlangs: (4400 * 240) / 3600 / 220,
      ahtSeconds: 240,
      patienceSeconds: 120,
      targetServiceLevel: 0.8,
    });
    expect(line.agentsAtAverageLoad).toBe(average.agents);
    expect(line.staffedHours).toBe(average.agents * 220);
    expect(line.occupancy).toBeCloseTo((4400 * 240) / 3600 / (average.agents * 220), 12);
    const month = result.organizations[0]!.months[2]!;
    expect(month.emails).toBe(600);
    expect(month.contacts).toBeCloseTo(month.cycles[0]!.contacts + 4400 + 600, 9);
    expect(month.seats).toBeGreaterThanOrEqual(line.agentsAtPeak);
    for (let m = 0; m < 3; m++) {
      const a = result.organizations[0]!.months[m]!;
      const b = result.organizations[1]!.months[m]!;
      const total = result.total[m]!;
      expect(total.operatorsFte).toBeCloseTo(a.operatorsFte + b.operatorsFte, 9);
      expect(total.operators).toBeLessThanOrEqual(a.operators + b.operators);
      expect(total.operators).toBe(Math.ceil(total.operatorsFte));
    }
  });

  it('the example plan in examples/ is valid and dimensions to finite figures', () => {
    const example = JSON.parse(
      readFileSync(new URL('../../../../examples/dimension-plan.json', import.meta.url), 'utf8'),
    );
    const result = dimensionCenter(example);
    expect(result.total).toHaveLength(example.months);
    for (const t of result.total) {
      for (const value of Object.values(t))
        if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
      expect(t.operators).toBeGreaterThan(0);
    }
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('validateDimensionPlan', () => {
  it('names every failing field with its path', () => {
    const bad = plan();
    const o = bad.organizations[0]! as unknown as Record<string, unknown>;
    (bad as unknown as Record<string, unknown>).startMonth = '2026-13';
    bad.workforce.shrinkage = 1;
    o.cycles = [
      {
        cycle: 'welcome',
        withinDays: 0,
        reachRate: 1.2,
        attemptsPerRecord: 0.5,
        talkSeconds: -1,
        wrapSeconds: 0,
      },
    ];
    o.inbound = [{ name: 'toll_free', callsPerMonth: [1, 2], ahtSeconds: 200, openHoursPerMonth: 200 }];
    try {
      validateDimensionPlan(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WfmError);
      expect((error as WfmError).issues.map((i) => i.field)).toEqual([
        'startMonth',
        'workforce.shrinkage',
        'organizations[0].cycles[0].withinDays',
        'organizations[0].cycles[0].reachRate',
        'organizations[0].cycles[0].attemptsPerRecord',
        'organizations[0].cycles[0].talkSeconds',
        'organizations[0].inbound[0].callsPerMonth',
      ]);
    }
    expect(() => validateDimensionPlan([])).toThrow(/plan/);
  });
});
