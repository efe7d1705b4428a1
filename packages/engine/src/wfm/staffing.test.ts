import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { erlangA, erlangB, erlangC } from './erlang.ts';
import {
  requiredAgents,
  requiredLines,
  scheduledAgents,
  smallestSatisfying,
  staffIntervals,
} from './staffing.ts';
import { WfmError } from './wfm.errors.ts';

const vectors = JSON.parse(
  readFileSync(new URL('../../../../../shared/testdata/erlang-vectors.json', import.meta.url), 'utf8'),
);

describe('erlang-vectors.json staffing cases', () => {
  it('Erlang B: fewest lines for a blocking target', () => {
    for (const v of vectors.erlangB.filter((c: { maxBlocking?: number }) => c.maxBlocking !== undefined)) {
      expect(requiredLines({ trafficErlangs: v.trafficErlangs, maxBlocking: v.maxBlocking }).lines).toBe(
        v.expectLines,
      );
    }
  });

  it('Erlang C: required agents, with shrinkage, with a maximum occupancy', () => {
    for (const v of vectors.erlangC.filter(
      (c: { expectRequiredAgents?: number }) => c.expectRequiredAgents,
    )) {
      const base = {
        calls: v.calls,
        intervalSeconds: v.intervalSeconds,
        ahtSeconds: v.ahtSeconds,
        thresholdSeconds: v.thresholdSeconds,
        targetServiceLevel: v.targetServiceLevel,
      };
      const plain = requiredAgents({ ...base, shrinkage: v.withShrinkage.shrinkage });
      expect(plain.agents).toBe(v.expectRequiredAgents);
      expect(plain.scheduledAgents).toBe(v.withShrinkage.expectScheduledAgents);
      expect(plain.bindingTarget).toBe('service_level');
      const capped = requiredAgents({
        ...base,
        maxOccupancy: v.withMaxOccupancy.maxOccupancy,
        shrinkage: 0.3,
      });
      expect(capped.agents).toBe(v.withMaxOccupancy.expectRequiredAgents);
      expect(capped.scheduledAgents).toBe(v.withMaxOccupancy.expectScheduledAgentsAtShrinkage30);
      expect(capped.bindingTarget).toBe('occupancy');
    }
  });
});

describe('requiredAgents', () => {
  it('is the smallest number meeting each target (one fewer fails it)', () => {
    const load = { trafficErlangs: 230, ahtSeconds: 270 };
    const cases = [
      { targetServiceLevel: 0.8, thresholdSeconds: 20 },
      { targetServiceLevel: 0.95, thresholdSeconds: 0 },
      { targetAsaSeconds: 15 },
      { targetServiceLevel: 0.8, patienceSeconds: 90 },
      { maxAbandonRate: 0.03, patienceSeconds: 90 },
      { targetAsaSeconds: 10, patienceSeconds: 600 },
      {
        targetServiceLevel: 0.7,
        serviceLevelDefinition: 'answered_or_abandoned_within' as const,
        patienceSeconds: 40,
      },
    ];
    for (const targets of cases) {
      const r = requiredAgents({ ...load, ...targets });
      const measure = (n: number) =>
        targets.patienceSeconds === undefined
          ? erlangC({ ...load, agents: n, thresholdSeconds: targets.thresholdSeconds })
          : erlangA({
              ...load,
              agents: n,
              thresholdSeconds: targets.thresholdSeconds,
              patienceSeconds: targets.patienceSeconds,
            });
      const meets = (n: number) => {
        const m = measure(n);
        if (!m.stable) return false;
        const sl = m.serviceLevels[targets.serviceLevelDefinition ?? 'answered_within'];
        return (
          (targets.targetServiceLevel === undefined || sl >= targets.targetServiceLevel) &&
          (targets.targetAsaSeconds === undefined || m.asaSeconds! <= targets.targetAsaSeconds) &&
          (targets.maxAbandonRate === undefined || m.probabilityOfAbandon <= targets.maxAbandonRate)
        );
      };
      expect(meets(r.agents)).toBe(true);
      expect(meets(r.agents - 1)).toBe(false);
      expect(r.metrics.agents).toBe(r.agents);
    }
  });

  it('with abandonment finds solutions below the offered load where they exist', () => {
    // 100 Erlangs, callers who wait 30 s on average, half answered within 20 s: the
    // abandonments relieve the queue enough that fewer than 100 agents suffice.
    const r = requiredAgents({
      trafficErlangs: 100,
      ahtSeconds: 300,
      patienceSeconds: 30,
      targetServiceLevel: 0.5,
    });
    expect(r.model).toBe('erlang-a');
    expect(r.agents).toBeLessThan(100);
    expect(r.metrics.serviceLevel).toBeGreaterThanOrEqual(0.5);
    const fewer = erlangA({
      trafficErlangs: 100,
      ahtSeconds: 300,
      patienceSeconds: 30,
      agents: r.agents - 1,
    });
    expect(fewer.serviceLevel).toBeLessThan(0.5);
    // Erlang C cannot: its queue needs more agents than Erlangs.
    expect(
      requiredAgents({ trafficErlangs: 100, ahtSeconds: 300, targetServiceLevel: 0.5 }).agents,
    ).toBeGreaterThan(100);
  });

  it('is finite and ordered from 0.01 to 100,000 Erlangs; patience lowers the requirement', () => {
    let previous = 0;
    for (const a of [0.01, 1, 10, 100, 1000, 10_000, 100_000]) {
      const c = requiredAgents({ trafficErlangs: a, ahtSeconds: 300, targetServiceLevel: 0.8 });
      const withPatience = requiredAgents({
        trafficErlangs: a,
        ahtSeconds: 300,
        patienceSeconds: 120,
        targetServiceLevel: 0.8,
      });
      expect(c.agents).toBeGreaterThan(a);
      expect(c.agents).toBeGreaterThanOrEqual(previous);
      expect(withPatience.agents).toBeLessThanOrEqual(c.agents);
      previous = c.agents;
    }
  });

  it('zero traffic needs no agents; an unreachable limit is WFM_NO_SOLUTION', () => {
    expect(requiredAgents({ trafficErlangs: 0, ahtSeconds: 300, targetServiceLevel: 0.8 }).agents).toBe(0);
    try {
      requiredAgents({ trafficErlangs: 500, ahtSeconds: 300, targetServiceLevel: 0.8, maxAgents: 400 });
      expect.unreachable();
    } catch (error) {
      expect((error as WfmError).code).toBe('WFM_NO_SOLUTION');
      expect((error as WfmError).message).toContain('targetServiceLevel');
    }
  });

  it('rejects bad targets naming the field', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ trafficErlangs: 10, ahtSeconds: 300 }, 'targetServiceLevel'],
      [{ trafficErlangs: 10, ahtSeconds: 300, targetServiceLevel: 1.2 }, 'targetServiceLevel'],
      [{ trafficErlangs: 10, ahtSeconds: 300, maxAbandonRate: 0.05 }, 'maxAbandonRate'],
      [{ trafficErlangs: 10, ahtSeconds: 300, targetServiceLevel: 0.8, shrinkage: 1 }, 'shrinkage'],
      [
        { trafficErlangs: 10, ahtSeconds: 300, targetServiceLevel: 0.8, serviceLevelDefinition: 'x' },
        'serviceLevelDefinition',
      ],
      [
        { calls: 10, intervalSeconds: 900, ahtSeconds: 300, targetServiceLevel: 0.8, thresholdSeconds: 1000 },
        'thresholdSeconds',
      ],
      [{ trafficErlangs: -3, ahtSeconds: 300, targetServiceLevel: 0.8 }, 'trafficErlangs'],
    ];
    for (const [options, field] of bad) {
      expect(() => requiredAgents(options as never)).toThrow(WfmError);
      try {
        requiredAgents(options as never);
      } catch (error) {
        expect((error as WfmError).issues.map((i) => i.field)).toContain(field);
      }
    }
  });
});

describe('scheduledAgents', () => {
  it('is ceil(N / (1 − shrinkage)) without floating-point overshoot', () => {
    expect(scheduledAgents({ agents: 14, shrinkage: 0.3 })).toBe(20); // 14 / 0.7 = 20.000000000000004
    expect(scheduledAgents({ agents: 15, shrinkage: 0.3 })).toBe(22);
    expect(scheduledAgents({ agents: 0, shrinkage: 0.35 })).toBe(0);
    expect(scheduledAgents({ agents: 7, shrinkage: 0 })).toBe(7);
    expect(() => scheduledAgents({ agents: 7, shrinkage: -0.1 })).toThrow(/shrinkage/);
  });
});

describe('staffIntervals', () => {
  it('staffs every interval exactly as requiredAgents would, and totals the hours', () => {
    const intervals = [0, 3, 40, 180, 420, 390, 120, 10].map((calls) => ({ calls, ahtSeconds: 280 }));
    const targets = { patienceSeconds: 150, targetServiceLevel: 0.8, thresholdSeconds: 20, shrinkage: 0.25 };
    const result = staffIntervals({ intervalSeconds: 900, intervals, ...targets });
    expect(result.requiredAgents).toEqual(
      intervals.map((i) => requiredAgents({ ...i, intervalSeconds: 900, ...targets }).agents),
    );
    expect(result.totals.agentHours).toBeCloseTo(result.requiredAgents.reduce((s, n) => s + n, 0) / 4, 12);
    expect(result.totals.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(result.intervals[0]!.agents).toBe(0);
    expect(() => staffIntervals({ intervalSeconds: 900, intervals: [], ...targets })).toThrow(/intervals/);
  });
});

describe('smallestSatisfying', () => {
  it('finds the threshold from any guess, or null when out of range', () => {
    for (const guess of [1, 37, 38, 500, 1000]) {
      expect(smallestSatisfying((n) => n >= 38, 1, guess, 1000)).toBe(38);
    }
    expect(smallestSatisfying((n) => n >= 2000, 1, 10, 1000)).toBeNull();
    expect(smallestSatisfying(() => true, 5, 50, 100)).toBe(5);
  });

  it('Erlang B lines search agrees with a linear scan', () => {
    for (const a of [0.5, 7, 63]) {
      const { lines } = requiredLines({ trafficErlangs: a, maxBlocking: 0.01 });
      let n = 1;
      while (erlangB({ trafficErlangs: a, lines: n }).blockingProbability > 0.01) n++;
      expect(lines).toBe(n);
    }
  });
});
