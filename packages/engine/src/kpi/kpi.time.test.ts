// Intervals and days in Europe/Rome: contacts spanning interval and day
// boundaries, and the two daylight-saving changes of 2026 (29 March 02:00 → 03:00,
// 25 October 03:00 → 02:00; EU rule: last Sunday of March and of October, 01:00 UTC).

import { describe, expect, it } from 'vitest';
import { computeKpis } from './kpi.rollup.ts';
import { agentState, inbound, ms } from './kpi.test-support.ts';
import { intervalsOfLocalDay, localDateOf, localDayBounds, localMonthBounds, toEpochMs } from './kpi.time.ts';

describe('local days in Europe/Rome', () => {
  it.each([
    ['2026-03-28', 96, '2026-03-28T00:00:00+01:00'],
    ['2026-03-29', 92, '2026-03-29T00:00:00+01:00'], // 23 hours: 02:00–03:00 does not exist
    ['2026-03-30', 96, '2026-03-30T00:00:00+02:00'],
    ['2026-10-25', 100, '2026-10-25T00:00:00+02:00'], // 25 hours: 02:00–03:00 twice
    ['2026-10-26', 96, '2026-10-26T00:00:00+01:00'],
  ])('%s has %d intervals from %s', (date, count, midnight) => {
    const intervals = intervalsOfLocalDay(date);
    expect(intervals).toHaveLength(count);
    expect(intervals[0]).toBe(ms(midnight));
    expect(localDayBounds(date).toMs - localDayBounds(date).fromMs).toBe(count * 15 * 60_000);
  });

  it('a month is its local days: March 2026 = 31 × 96 − 4 intervals', () => {
    const { fromMs, toMs } = localMonthBounds('2026-03');
    expect(fromMs).toBe(ms('2026-03-01T00:00:00+01:00'));
    expect(toMs).toBe(ms('2026-04-01T00:00:00+02:00'));
    expect((toMs - fromMs) / 900_000).toBe(31 * 96 - 4);
  });

  it('the repeated hour of October belongs to one day', () => {
    expect(localDateOf(ms('2026-10-25T02:30:00+02:00'))).toBe('2026-10-25');
    expect(localDateOf(ms('2026-10-25T02:30:00+01:00'))).toBe('2026-10-25');
    expect(localDateOf(ms('2026-10-25T23:59:59+01:00'))).toBe('2026-10-25');
    expect(localDateOf(ms('2026-10-26T00:00:00+01:00'))).toBe('2026-10-26');
  });

  it('timestamps: epoch ms or ISO with an offset; none without', () => {
    expect(toEpochMs('2026-03-29T03:00:00+02:00')).toBe(ms('2026-03-29T01:00:00Z'));
    expect(toEpochMs('2026-03-29T03:00:00+0200')).toBe(ms('2026-03-29T01:00:00Z'));
    expect(toEpochMs('2026-03-29 03:00:00Z')).toBe(ms('2026-03-29T03:00:00Z'));
    expect(toEpochMs('2026-03-29T03:00:00')).toBeUndefined();
    expect(toEpochMs(Number.NaN)).toBeUndefined();
  });
});

describe('a contact counts in the interval it was queued (DOMAIN.md §3)', () => {
  // Queued 09:14:50, answered 09:15:10 (wait 20 s), talk 600 s, ends 09:25:10.
  const spanning = inbound(ms('2026-03-02T09:14:50+01:00'), { id: 's1', answerAfter: 20, talk: 600 });

  it('queued-based: all of it in 09:00, nothing in 09:15', () => {
    const groups = computeKpis({ records: [spanning], grouping: { time: 'interval' } });
    expect(groups.map((g) => g.label)).toEqual(['2026-03-02T08:00:00.000Z']);
    expect(groups[0]!.figures.aht.value).toBe(600);
    expect(groups[0]!.figures.service_level.value).toBe(1); // wait 20 s = T
  });

  it('answer-based variant: in 09:15', () => {
    const groups = computeKpis({
      records: [spanning],
      grouping: { time: 'interval' },
      settings: { countBy: 'answered' },
    });
    expect(groups.map((g) => g.label)).toEqual(['2026-03-02T08:15:00.000Z']);
  });

  it('a contact queued before midnight and answered after counts in the day before', () => {
    const late = inbound(ms('2026-03-28T23:59:55+01:00'), { id: 'm1', answerAfter: 15, talk: 60 });
    const groups = computeKpis({ records: [late], grouping: { time: 'day' } });
    expect(groups.map((g) => g.label)).toEqual(['2026-03-28']);
    expect(groups[0]!.figures.answered.value).toBe(1);
  });

  it('across the spring change: queued 01:59:50 (+01:00), answered 03:00:30 (+02:00) is a 40 s wait', () => {
    const dst = inbound(ms('2026-03-29T01:59:50+01:00'), { id: 'd1', answerAfter: 40, talk: 30 });
    expect(dst.answeredAt).toBe(ms('2026-03-29T03:00:30+02:00'));
    const [day] = computeKpis({ records: [dst], grouping: { time: 'day' } });
    expect(day!.label).toBe('2026-03-29');
    expect(day!.figures.asa.value).toBe(40);
    expect(day!.figures.service_level.value).toBe(0); // 40 s > T
    expect(day!.toMs - day!.fromMs).toBe(23 * 3_600_000);
  });

  it('the two 02:30 of 25 October are two intervals of one 100-interval day', () => {
    const first = inbound(ms('2026-10-25T02:30:00+02:00'), { id: 'o1', answerAfter: 5 });
    const second = inbound(ms('2026-10-25T02:30:00+01:00'), { id: 'o2', answerAfter: 25 });
    const intervals = computeKpis({ records: [first, second], grouping: { time: 'interval' } });
    expect(intervals.map((g) => g.label)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
    const [day] = computeKpis({ records: [first, second], grouping: { time: 'day' } });
    expect(day!.figures.service_level.value).toBe(0.5); // o1 within 20 s, o2 not
    expect(day!.toMs - day!.fromMs).toBe(25 * 3_600_000);
  });
});

describe('agent time is shared between the intervals it spans', () => {
  // available 09:10–09:20, busy 09:20–09:25, wrap-up 09:25–09:27, not ready 09:27–09:30.
  const states = [
    agentState('op-1', 'available', '2026-03-02T09:10:00+01:00', '2026-03-02T09:20:00+01:00'),
    agentState('op-1', 'busy', '2026-03-02T09:20:00+01:00', '2026-03-02T09:25:00+01:00'),
    agentState('op-1', 'wrap_up', '2026-03-02T09:25:00+01:00', '2026-03-02T09:27:00+01:00'),
    agentState('op-1', 'not_ready', '2026-03-02T09:27:00+01:00', '2026-03-02T09:30:00+01:00', {
      reason: 'training',
    }),
  ];
  const shifts = [
    { operator: 'op-1', from: '2026-03-02T09:00:00+01:00', to: '2026-03-02T09:30:00+01:00', orgId: 'org-1' },
  ];

  it('occupancy and utilisation per interval', () => {
    const [first, second] = computeKpis({ agentStates: states, shifts, grouping: { time: 'interval' } });
    // 09:00: available 300 s, busy 0 → occupancy 0 / 300 = 0; logged in 300 of 900 scheduled.
    expect(first!.figures.occupancy.value).toBe(0);
    // No contact offered in these intervals: the service level is absent, not 0 or 100 %.
    expect(first!.figures.service_level.value).toBeNull();
    expect(first!.figures.utilisation.value).toBeCloseTo(300 / 900, 12);
    // 09:15: available 300, busy 300 + wrap 120 → 420 / 720; logged in 900 of 900.
    expect(second!.figures.occupancy.value).toBeCloseTo(420 / 720, 12);
    expect([second!.figures.occupancy.numerator, second!.figures.occupancy.denominator]).toEqual([420, 720]);
    expect(second!.figures.utilisation.value).toBe(1);
  });

  it('billable hours: productive time plus the billable not-ready reasons (DOMAIN.md §10)', () => {
    const [plain] = computeKpis({ agentStates: states });
    expect(plain!.figures.billable_hours.value).toBeCloseTo(1020 / 3600, 12); // 600 available + 300 busy + 120 wrap
    const [training] = computeKpis({
      agentStates: states,
      settings: { billableNotReadyReasons: ['training'] },
    });
    expect(training!.figures.billable_hours.value).toBeCloseTo(1200 / 3600, 12); // + 180 s of training
  });

  it('a shift across midnight is split between the days', () => {
    const night = [agentState('op-2', 'available', '2026-03-02T23:50:00+01:00', '2026-03-03T00:20:00+01:00')];
    const days = computeKpis({ agentStates: night, grouping: { time: 'day' } });
    expect(days.map((d) => [d.label, d.counters.agentAvailableMs])).toEqual([
      ['2026-03-02', 600_000],
      ['2026-03-03', 1_200_000],
    ]);
  });
});
