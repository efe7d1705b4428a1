// The dashboard's live status and alerts: a metric crossing its minimum within
// its current window, recovering in it, and a new window starting clean.

import { describe, expect, it } from 'vitest';
import { buildRollup } from '../kpi/kpi.rollup.ts';
import { inbound, ms } from '../kpi/kpi.test-support.ts';
import type { InteractionRecord } from '../kpi/kpi.types.ts';
import { slaAlerts, slaLiveStatus } from './sla.live.ts';
import type { SlaContract } from './sla.types.ts';

const contract: SlaContract = {
  atRiskPercent: 10,
  metrics: [
    { id: 'sl_interval', kpi: 'service_level', minimum: 0.8, target: 0.9, window: 'interval', kind: 'key' },
    {
      id: 'sl_day',
      kpi: 'service_level',
      minimum: 0.8,
      target: 0.9,
      window: 'day',
      kind: 'critical',
      allocationPercent: 50,
    },
  ],
};

const nine = ms('2026-03-02T09:00:00+01:00');
// 09:00:00 c1 answered in 10 s; 09:06:00 c2 abandoned after 40 s; 09:10:00 c3–c10
// answered in 5 s; 09:16:00 c11 abandoned after 60 s.
const records: InteractionRecord[] = [
  inbound(nine, { id: 'c1', at: 0, answerAfter: 10, talk: 60 }),
  inbound(nine, { id: 'c2', at: 360, abandonAfter: 40 }),
  ...Array.from({ length: 8 }, (_, i) =>
    inbound(nine, { id: `c${i + 3}`, at: 600 + i, answerAfter: 5, talk: 60 }),
  ),
  inbound(nine, { id: 'c11', at: 960, abandonAfter: 60 }),
];

function reading(atIso: string) {
  const nowMs = ms(atIso);
  const closed = records.filter((r) => ((r.answeredAt ?? r.abandonedAt) as number) <= nowMs);
  return { nowMs, live: slaLiveStatus({ contract, rollup: buildRollup({ records: closed }), nowMs }) };
}

describe('live SLA status and alerts', () => {
  const t1 = reading('2026-03-02T09:05:00+01:00'); // c1: SL 1/1
  const t2 = reading('2026-03-02T09:08:00+01:00'); // c1, c2: SL 1/2 = 0.5
  const t3 = reading('2026-03-02T09:12:00+01:00'); // c1–c10: SL 9/10 = 0.9
  const t4 = reading('2026-03-02T09:18:00+01:00'); // interval 09:15: c11 → 0/1; day 9/11 ≈ 0.818

  it('status of each metric in its current window', () => {
    expect(t1.live.map((m) => [m.windowLabel, m.value, m.status])).toEqual([
      ['2026-03-02T08:00:00.000Z', 1, 'at_target'],
      ['2026-03-02', 1, 'at_target'],
    ]);
    expect(t3.live.map((m) => m.value)).toEqual([0.9, 0.9]);
    expect(t4.live.map((m) => [m.windowLabel, m.status])).toEqual([
      ['2026-03-02T08:15:00.000Z', 'below_minimum'],
      ['2026-03-02', 'between'],
    ]);
    expect(t4.live[1]!.value).toBeCloseTo(9 / 11, 12);
  });

  it('alerts when a metric falls below its minimum and when it recovers', () => {
    expect(slaAlerts(t1.live, t2.live, t2.nowMs).map((a) => [a.metricId, a.kind, a.value])).toEqual([
      ['sl_interval', 'below_minimum', 0.5],
      ['sl_day', 'below_minimum', 0.5],
    ]);
    expect(slaAlerts(t2.live, t3.live, t3.nowMs).map((a) => [a.metricId, a.kind])).toEqual([
      ['sl_interval', 'recovered'],
      ['sl_day', 'recovered'],
    ]);
    expect(slaAlerts(t2.live, t2.live, t2.nowMs)).toEqual([]); // no change, no alert
  });

  it('a new interval starts clean: its first reading below the minimum alerts; the day did not cross', () => {
    const alerts = slaAlerts(t3.live, t4.live, t4.nowMs);
    expect(alerts.map((a) => [a.metricId, a.windowLabel, a.kind])).toEqual([
      ['sl_interval', '2026-03-02T08:15:00.000Z', 'below_minimum'],
    ]);
  });
});
