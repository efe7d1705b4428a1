// Hand-built interactions for the SLA tests, stored closed as a history import
// stores them and counted by a rebuild of the KPI rollups.
//
// November 2026, Europe/Rome (+01:00; 30 days, 2,880 intervals), queue "care":
//   Monday 2 November 10:00: 8 answered after 10 s, 2 abandoned after 40 s
//     → day SL (8 + 0) / (8 + 2) = 0.8, abandon rate 2 / 10 = 0.2
//   Tuesday 3 November 10:00: 10 answered after 10 s → SL 1, abandon rate 0
//   Month: A = 18, A≤T = 18, Ab = 2, Ab≤T = 0 → SL 18 / 20 = 0.9 (DOMAIN.md §3's
//   default (A≤T + Ab≤T) / (A + Ab), T = 20 s); abandon rate (2 − 0 short) / 20 = 0.1;
//   ASA 18 × 10 / 18 = 10 s.
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { rebuildKpiRollups } from '../kpis/kpi-rollups.service.ts';

export const NOVEMBER_FROM = Date.parse('2026-11-01T00:00:00+01:00');
export const NOVEMBER_TO = Date.parse('2026-12-01T00:00:00+01:00');

type Call = { queuedAt: number; answerAfterS?: number; abandonAfterS?: number };

export function novemberCalls(): Call[] {
  const mon = Date.parse('2026-11-02T10:00:00+01:00');
  const tue = Date.parse('2026-11-03T10:00:00+01:00');
  return [
    ...Array.from({ length: 8 }, (_, i) => ({ queuedAt: mon + i * 60_000, answerAfterS: 10 })),
    ...Array.from({ length: 2 }, (_, i) => ({ queuedAt: mon + (8 + i) * 60_000, abandonAfterS: 40 })),
    ...Array.from({ length: 10 }, (_, i) => ({ queuedAt: tue + i * 60_000, answerAfterS: 10 })),
  ];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Inserts calls of queue "care"; open (end_cause NULL) when `open`, to be closed by the caller. */
export async function insertCalls(
  db: Database,
  orgId: string,
  calls: readonly Call[],
  options: { open?: boolean } = {},
): Promise<string[]> {
  return db.forOrg(orgId, async (tx) => {
    const ids: string[] = [];
    for (const call of calls) {
      const answeredAt = call.answerAfterS === undefined ? null : call.queuedAt + call.answerAfterS * 1000;
      const abandonedAt = call.abandonAfterS === undefined ? null : call.queuedAt + call.abandonAfterS * 1000;
      const endedAt = answeredAt === null ? abandonedAt! : answeredAt + 120_000;
      const row = await sql<{ id: string }>`
        insert into interactions (org_id, direction, source_queue, created_at, queued_at, answered_at,
                                  abandoned_at, ended_at, end_cause)
        values (${orgId}::uuid, 'inbound', 'care', ${iso(call.queuedAt)}::timestamptz, ${iso(call.queuedAt)}::timestamptz,
                ${answeredAt === null ? null : iso(answeredAt)}::timestamptz,
                ${abandonedAt === null ? null : iso(abandonedAt)}::timestamptz, ${iso(endedAt)}::timestamptz,
                ${options.open ? null : answeredAt === null ? 'abandoned' : 'completed'})
        returning id`.execute(tx);
      ids.push(row.rows[0]!.id);
    }
    return ids;
  });
}

/** November's calls, counted in the rollups. */
export async function seedNovember(db: Database, orgId: string): Promise<void> {
  await insertCalls(db, orgId, novemberCalls());
  await db.forOrg(orgId, (tx) => rebuildKpiRollups(tx, { orgId, fromMs: NOVEMBER_FROM, toMs: NOVEMBER_TO }));
}

/** DOMAIN.md §8: a contract of four metrics, 10 % of the invoice at risk. */
export const NOVEMBER_CONTRACT = {
  name: 'Servizio donatori 2026',
  validFrom: '2026-10',
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
    { id: 'sl_daily', kpi: 'service_level', minimum: 0.85, target: 0.9, window: 'day', kind: 'key' },
  ],
  bonusRules: [{ id: 'excellence', percentOfInvoice: 2 }],
};
