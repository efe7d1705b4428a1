// Property tests on randomly generated histories around the October change of
// time (a 25-hour day): (1) figures read from rollups equal figures computed from
// the raw records for every grouping; (2) rollups of adjacent periods added
// together equal the rollup of the whole; (3) the main inbound figures per local
// day equal a naive computation written independently below (Intl for the day).

import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { buildRollup, computeKpis, type KpiGrouping, kpisFromRollup, mergeRollups } from './kpi.rollup.ts';
import { ms, ORG } from './kpi.test-support.ts';
import type { AgentStateInterval, InteractionRecord, KpiSettings } from './kpi.types.ts';

const START = ms('2026-10-23T00:00:00+02:00');
const END = ms('2026-10-28T00:00:00+01:00');

function history(seed: number) {
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const records: InteractionRecord[] = [];
  for (let i = 0; i < 300; i++) {
    const queuedAt = START + Math.floor(random() * (END - START - 3_600_000));
    // Waits cluster on the edges that matter: exactly 5 s and exactly 20 s.
    const wait = pick([0, 3, 5, 5, 6, 12, 20, 20, 21, 45, 300]) * 1000 + (random() < 0.2 ? 1 : 0);
    const outcome = random();
    const record: InteractionRecord = {
      id: `in-${i}`,
      orgId: ORG,
      channel: pick(['voice', 'voice', 'chat']),
      direction: 'inbound',
      queue: pick(['care', 'donations']),
      supporterId: random() < 0.8 ? `s${Math.floor(random() * 40)}` : null,
      createdAt: queuedAt - 4000,
      queuedAt,
    };
    if (outcome < 0.7) {
      record.answeredAt = queuedAt + wait;
      record.operator = pick(['op-1', 'op-2', 'op-3']);
      record.transferred = random() < 0.1;
      if (random() < 0.9) {
        const hold = random() < 0.3 ? Math.floor(random() * 60) : 0;
        record.holdSeconds = hold;
        record.endedAt = record.answeredAt + (30 + Math.floor(random() * 600) + hold) * 1000;
        if (random() < 0.8) record.wrapEndedAt = record.endedAt + Math.floor(random() * 120_000);
      }
    } else if (outcome < 0.95) {
      record.abandonedAt = queuedAt + wait;
    }
    records.push(record);
  }
  for (let i = 0; i < 150; i++) {
    const dialedAt = START + Math.floor(random() * (END - START - 3_600_000));
    const answeredBy = pick(['human', 'human', 'machine', 'none', 'busy'] as const);
    const record: InteractionRecord = {
      id: `out-${i}`,
      orgId: ORG,
      channel: 'voice',
      direction: 'outbound',
      campaign: pick(['upgrade', 'welcome']),
      listRecordId: `r${Math.floor(random() * 120)}`,
      createdAt: dialedAt,
      dialedAt,
      answeredBy,
      amdFalsePositive: answeredBy === 'machine' && random() < 0.2,
    };
    record.cycleType = record.campaign as 'upgrade' | 'welcome';
    if (record.cycleType === 'welcome')
      record.cycleStartedAt = dialedAt - Math.floor(random() * 10 * 86_400_000);
    if (answeredBy === 'human') {
      record.calleeAnsweredAt = dialedAt + 8000;
      if (random() < 0.9) {
        record.answeredAt = (record.calleeAnsweredAt as number) + Math.floor(random() * 3000);
        record.operator = pick(['op-1', 'op-2', 'op-3']);
        record.endedAt = record.answeredAt + 120_000;
        record.rightPartyContact = random() < 0.7;
        record.successful = record.rightPartyContact && random() < 0.3;
        if (record.successful) record.outcomeAmountCents = 100 * (1 + Math.floor(random() * 10));
      }
    }
    records.push(record);
  }
  const agentStates: AgentStateInterval[] = [];
  for (const operator of ['op-1', 'op-2', 'op-3']) {
    let t = START;
    while (t < END) {
      const length = Math.floor(random() * 40 * 60_000);
      const state = pick(['available', 'busy', 'wrap_up', 'not_ready', 'offline', 'reserved'] as const);
      agentStates.push({
        operator,
        state,
        from: t,
        to: Math.min(END, t + length),
        orgId: ORG,
        reason: 'training',
      });
      t += length;
    }
  }
  return { records, agentStates };
}

const SETTINGS: Partial<KpiSettings>[] = [
  {},
  {
    serviceLevelFormula: 'answered_within_excluding_abandoned_within',
    serviceLevelExcludesShortAbandons: true,
  },
  {
    countBy: 'answered',
    fcrWindow: 'same_day',
    conversionDenominator: 'dials',
    billableNotReadyReasons: ['training'],
  },
];

const GROUPINGS: KpiGrouping[] = [
  { time: 'interval' },
  { time: 'day', by: ['queue'] },
  { time: 'day', by: ['operator', 'channel'] },
  { time: 'month', by: ['campaign', 'direction'] },
  { time: 'all' },
];

describe('rollups against raw records', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: every figure of every grouping is identical`, () => {
      const { records, agentStates } = history(seed);
      for (const settings of SETTINGS) {
        const rollup = buildRollup({ records, agentStates, settings });
        for (const grouping of GROUPINGS) {
          const fromRollup = kpisFromRollup({ rollup, settings, grouping, context: { listRecords: 120 } });
          const fromRecords = computeKpis({
            records,
            agentStates,
            settings,
            grouping,
            context: { listRecords: 120 },
            drillDown: false,
          });
          expect(fromRollup).toEqual(fromRecords);
        }
      }
    });
  }

  it('rollups of adjacent periods added together are the rollup of the whole', () => {
    const { records, agentStates } = history(4);
    const cut = ms('2026-10-25T02:30:00+01:00'); // inside the repeated hour
    const whole = buildRollup({ records, agentStates, period: { fromMs: START, toMs: END } });
    const first = buildRollup({ records, agentStates, period: { fromMs: START, toMs: cut } });
    const second = buildRollup({ records, agentStates, period: { fromMs: cut, toMs: END } });
    expect(mergeRollups([first, second])).toEqual(whole);
    expect(first.rows.length).toBeGreaterThan(0);
    expect(second.rows.length).toBeGreaterThan(0);
  });

  it('rollups built with another T cannot be read with this one', () => {
    const rollup = buildRollup({ records: [], settings: { serviceLevelThresholdSeconds: 30 } });
    expect(() => kpisFromRollup({ rollup, grouping: { time: 'all' } })).toThrow(/rebuild/);
  });
});

describe('against a naive computation per local day', () => {
  const romeDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Rome', dateStyle: 'short' });

  it('service level, abandon rate, ASA and AHT for each day of a 25-hour-day week', () => {
    const { records } = history(5);
    // Welcome cohorts reach back before the week (their sign-up days): keep the week.
    const period = { fromMs: START, toMs: END };
    const days = computeKpis({
      records,
      period,
      filter: { direction: 'inbound' },
      grouping: { time: 'day' },
      drillDown: false,
    });
    expect(days.map((d) => d.label)).toEqual([
      '2026-10-23',
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
      '2026-10-27',
    ]);
    for (const day of days) {
      const mine = records.filter(
        (r) => r.direction === 'inbound' && romeDay.format(new Date(r.queuedAt as number)) === day.label,
      );
      const wait = (r: InteractionRecord) =>
        ((r.answeredAt ?? r.abandonedAt) as number) - (r.queuedAt as number);
      const answered = mine.filter((r) => r.answeredAt != null);
      const abandoned = mine.filter((r) => r.abandonedAt != null);
      const short = abandoned.filter((r) => wait(r) <= 5000);
      const within = [...answered, ...abandoned].filter((r) => wait(r) <= 20_000);
      const handled = answered.filter((r) => r.endedAt != null);
      const handle = handled.map((r) => ((r.wrapEndedAt ?? r.endedAt) as number) - (r.answeredAt as number));
      const f = day.figures;
      expect(f.offered.value).toBe(mine.length);
      expect(f.service_level.numerator).toBe(within.length);
      expect(f.service_level.denominator).toBe(answered.length + abandoned.length);
      expect(f.abandon_rate.value).toBeCloseTo(
        (abandoned.length - short.length) / (answered.length + abandoned.length - short.length),
        12,
      );
      expect(f.asa.value).toBeCloseTo(answered.reduce((s, r) => s + wait(r), 0) / answered.length / 1000, 9);
      expect(f.aht.value).toBeCloseTo(handle.reduce((s, x) => s + x, 0) / handled.length / 1000, 9);
    }
  });
});
