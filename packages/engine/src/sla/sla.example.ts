// SLA example: `npx node packages/engine/src/sla/sla.example.ts` (Node 24).
// DOMAIN.md §8's worked example: invoice 200,000 €, 10 % at risk; the service
// level (40 %) and the abandon rate (20 %) miss their minimums → 12,000 € credit.
import { buildRollup, evaluateSla, type InteractionRecord } from '../index.ts';

// Two days of March 2026. Day 1: 6 calls answered in 10 s, 2 in 30 s, 2 abandoned
// after 40 s. Day 2: 10 answered in 10 s. Month: SL 16/20 = 0.8, abandon rate 2/20.
const records: InteractionRecord[] = [];
const add = (day: string, n: number, answerAfter: number | null, abandonAfter = 0) => {
  for (let i = 0; i < n; i++) {
    const queuedAt = Date.parse(`2026-03-0${day}T10:00:00+01:00`) + records.length * 1000;
    records.push({
      id: `call-${records.length + 1}`,
      orgId: 'bisturi-gentile',
      channel: 'voice',
      direction: 'inbound',
      queue: 'donor-care',
      createdAt: queuedAt,
      queuedAt,
      ...(answerAfter === null
        ? { abandonedAt: queuedAt + abandonAfter * 1000 }
        : { answeredAt: queuedAt + answerAfter * 1000, endedAt: queuedAt + (answerAfter + 180) * 1000 }),
    });
  }
};
add('2', 6, 10);
add('2', 2, 30);
add('2', 2, null, 40);
add('3', 10, 10);

const result = evaluateSla({
  contract: {
    atRiskPercent: 10,
    metrics: [
      {
        kpi: 'service_level',
        minimum: 0.85,
        target: 0.9,
        window: 'month',
        kind: 'critical',
        allocationPercent: 40,
      },
      {
        kpi: 'abandon_rate',
        minimum: 0.05,
        target: 0.03,
        window: 'month',
        kind: 'critical',
        allocationPercent: 20,
      },
      { kpi: 'asa', minimum: 20, target: 15, window: 'month', kind: 'critical', allocationPercent: 40 },
      { kpi: 'service_level', id: 'sl_daily', minimum: 0.8, target: 0.9, window: 'day', kind: 'key' },
    ],
    bonusRules: [{ id: 'excellence', percentOfInvoice: 2 }],
  },
  rollup: buildRollup({ records }),
  month: '2026-03',
  invoiceCents: 200_000_00,
});

for (const m of result.metrics) {
  console.log(
    m.id.padEnd(14),
    String(Number(m.value?.toFixed(3))).padStart(6),
    m.status.padEnd(13),
    `days met ${m.days.metMinimum}/${m.days.withData} of ${m.days.windows}`,
    `credit ${m.creditPercent} % = ${(m.creditCents ?? 0) / 100} €`,
  );
}
console.log(
  `credit ${result.creditPercent} % = ${result.creditCents! / 100} €; bonus: ${result.bonuses[0]!.reason}`,
);
