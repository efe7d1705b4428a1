// KPI example: `npx node packages/engine/src/kpi/kpi.example.ts` (Node 24).
// Five inbound calls of one morning, KPIs per interval from the raw records, then
// the same day read back from its 15-minute rollup, with a figure's drill-down.
import { buildRollup, computeKpis, type InteractionRecord, kpisFromRollup } from '../index.ts';

const call = (
  id: string,
  queued: string,
  answeredAfter: number | null,
  abandonedAfter?: number,
): InteractionRecord => {
  const queuedAt = Date.parse(queued);
  return {
    id,
    orgId: 'bisturi-gentile',
    channel: 'voice',
    direction: 'inbound',
    queue: 'donor-care',
    createdAt: queuedAt - 8000,
    queuedAt,
    ...(answeredAfter === null
      ? { abandonedAt: queuedAt + (abandonedAfter ?? 0) * 1000 }
      : {
          operator: 'giulia',
          answeredAt: queuedAt + answeredAfter * 1000,
          endedAt: queuedAt + (answeredAfter + 240) * 1000,
          wrapEndedAt: queuedAt + (answeredAfter + 270) * 1000,
        }),
  };
};

const records = [
  call('c1', '2026-03-02T09:03:00+01:00', 12),
  call('c2', '2026-03-02T09:08:00+01:00', 35),
  call('c3', '2026-03-02T09:14:58+01:00', 20), // queued at 09:14:58: counts in 09:00, answered at T exactly
  call('c4', '2026-03-02T09:21:00+01:00', null, 3), // a short abandon (≤ 5 s)
  call('c5', '2026-03-02T09:24:00+01:00', null, 45),
];

const fmt = (value: number | null, unit = '') =>
  value === null ? 'absent' : `${Number(value.toFixed(3))}${unit}`;
for (const group of computeKpis({ records, grouping: { time: 'interval' } })) {
  const f = group.figures;
  console.log(
    group.label,
    `offered ${f.offered.value}`,
    `SL ${fmt(f.service_level.value)} (${f.service_level.numerator}/${f.service_level.denominator})`,
    `abandon ${fmt(f.abandon_rate.value)}`,
    `ASA ${fmt(f.asa.value, ' s')}`,
    `AHT ${fmt(f.aht.value, ' s')}`,
  );
}

const rollup = buildRollup({ records });
const [day] = kpisFromRollup({ rollup, grouping: { time: 'day' } });
const sl = day!.figures.service_level;
console.log(
  day!.label,
  `${rollup.rows.length} rollup rows`,
  `SL ${fmt(sl.value)}`,
  sl.definition.formula,
  sl.definition.parameters,
);
const [drill] = computeKpis({ records, only: ['service_level'] });
console.log('within T:', drill!.figures.service_level.drillDown);
