// The demo's SLA contracts (issue 8: the cruscotto shows something on a fresh
// demo): each client organization gets one contract from the month the demo's
// history starts (history-demo.ts: four weeks before today, so the past month
// is evaluated on real figures) on, unless it already has one — so a restarted
// or older demo gets it too.
import type { Database } from '../db/database.ts';
import {
  createSlaContract,
  listSlaContracts,
  type SlaTermsInput,
} from '../modules/sla/sla-contracts.service.ts';
import { DEMO_HISTORY_DAYS, historyDates } from './history-demo.ts';

/** DOMAIN.md §8: four metrics, 10 % of the invoice at risk, a 2 % bonus. */
export function demoSlaContract(validFrom: string): SlaTermsInput & { name: string; validFrom: string } {
  return {
    name: 'Servizio donatori',
    validFrom,
    atRiskPercent: 10,
    metrics: [
      {
        kpi: 'service_level',
        minimum: 0.75,
        target: 0.8,
        window: 'month',
        kind: 'critical',
        allocationPercent: 40,
      },
      {
        kpi: 'abandon_rate',
        minimum: 0.08,
        target: 0.05,
        window: 'month',
        kind: 'critical',
        allocationPercent: 30,
      },
      { kpi: 'asa', minimum: 30, target: 20, window: 'month', kind: 'critical', allocationPercent: 30 },
      { id: 'sl_daily', kpi: 'service_level', minimum: 0.75, target: 0.8, window: 'day', kind: 'key' },
    ],
    bonusRules: [{ id: 'excellence', percentOfInvoice: 2 }],
  };
}

export async function seedDemoSlaContracts(options: { db: Database; today: Date }): Promise<void> {
  const { db } = options;
  const month = historyDates(options.today, DEMO_HISTORY_DAYS)[0]!.slice(0, 7);
  const organizations = await db.asCenter((tx) =>
    tx.selectFrom('organizations').select('id').where('kind', '=', 'client').execute(),
  );
  for (const { id } of organizations) {
    if ((await listSlaContracts({ db, orgId: id })).length > 0) continue;
    await createSlaContract({ db, orgId: id, input: demoSlaContract(month), actor: null });
  }
}
