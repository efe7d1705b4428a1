// The evaluation of an organization's SLA contract over a month (or a period):
// the contract version in effect on the first day of the period's month, the
// KPI rollups of the period, and engine/sla's evaluateSla — per metric the
// value, status, share of days and intervals that met it, the credit; the
// bonuses (all or nothing on the minimums) and the total against the invoice
// (DOMAIN.md §8). Every figure carries its definition.
import {
  evaluateSla,
  type KpiSettings,
  localMonthBounds,
  localMonthOf,
  SlaError,
  type SlaEvaluation,
  type SlaMetricResult,
} from '@centralino/engine';
import type { Database, Tx } from '../../db/database.ts';
import { loadKpiSettings } from '../kpis/kpi-settings.service.ts';
import { slaErrors } from './sla.errors.ts';
import { contractForMonth, type SlaContractVersion } from './sla-contracts.service.ts';
import { loadSlaRollup } from './sla-rollup.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The rules every evaluation applies, as text beside the numbers (DOMAIN.md §8). */
export const SLA_DEFINITIONS = {
  status:
    'month window: the period figure against minimum and target; interval and day windows: the share of the windows with data that met the level, against requiredShare (default 1: every window). A value exactly at a level meets it; a window without contacts is neither met nor missed.',
  credit:
    'a critical metric below its minimum costs invoice × at-risk % × its allocation %; key metrics are reported only; no data costs nothing. Rounded once to the cent, half up.',
  bonus:
    'all or nothing: no bonus unless every critical metric reached its minimum; then a rule pays its % of the invoice when its metrics (default every critical metric) are at target, never for merely meeting the minimums.',
  total: 'net = bonus − credit, as % of the invoice and in cents of invoiceCents',
} as const;

export type SlaMetricEvaluation = SlaMetricResult & {
  definition: {
    figure: SlaMetricResult['figure']['definition'];
    status: string;
    credit: string;
  };
};

export type SlaEvaluationReport = Omit<SlaEvaluation, 'metrics'> & {
  contract: { id: string; name: string; version: number; effectiveFrom: string; terms: SlaContractVersion };
  period: { label: string; from: string; to: string; timeZone: string; month: string };
  metrics: SlaMetricEvaluation[];
  definitions: typeof SLA_DEFINITIONS;
  settings: KpiSettings;
};

export type SlaPeriodInput = { month: string } | { fromMs: number; toMs: number };

export function checkMonthText(month: string): string {
  if (!MONTH.test(month)) throw slaErrors.periodInvalid(`period must be a month YYYY-MM, got ${month}`);
  return month;
}

/** Evaluates inside a unit of work (the dashboard reuses it for the month so far). */
export async function evaluateSlaIn(
  tx: Tx,
  options: { orgId: string; period: SlaPeriodInput; invoiceCents: number | null; settings?: KpiSettings },
): Promise<SlaEvaluationReport> {
  const { orgId, period, invoiceCents } = options;
  const settings = options.settings ?? (await loadKpiSettings(tx, orgId));
  const zone = settings.timeZone;
  const month = 'month' in period ? checkMonthText(period.month) : localMonthOf(period.fromMs, zone);
  const bounds = 'month' in period ? localMonthBounds(period.month, zone) : period;
  const found = await contractForMonth(tx, orgId, month);
  if (!found) throw slaErrors.noContractFor(month);
  const rollup = await loadSlaRollup(tx, {
    orgId,
    settings,
    fromMs: bounds.fromMs,
    toMs: bounds.toMs,
    filters: found.terms.metrics.map((m) => m.filter ?? {}),
  });
  let evaluation: SlaEvaluation;
  try {
    evaluation = evaluateSla({
      contract: found.terms,
      rollup,
      settings,
      ...('month' in period ? { month: period.month } : { period }),
      invoiceCents,
    });
  } catch (error) {
    if (error instanceof SlaError)
      throw slaErrors.inputInvalid(error.issues.map((i) => ({ field: i.field, message: i.message })));
    throw error;
  }
  return {
    ...evaluation,
    contract: {
      id: found.id,
      name: found.name,
      version: found.terms.version,
      effectiveFrom: found.terms.effectiveFrom,
      terms: found.terms,
    },
    period: {
      label: evaluation.label,
      from: new Date(evaluation.fromMs).toISOString(),
      to: new Date(evaluation.toMs).toISOString(),
      timeZone: zone,
      month,
    },
    metrics: evaluation.metrics.map((m) => ({
      ...m,
      definition: {
        figure: m.figure.definition,
        status:
          m.window === 'month'
            ? `the ${month} figure against minimum ${m.minimum} and target ${m.target} (${m.better} is better)`
            : `at least ${m.requiredShare * 100} % of the ${m.window === 'day' ? 'days' : 'intervals'} with data meet the minimum ${m.minimum} (target ${m.target}; ${m.better} is better)`,
        credit:
          m.kind === 'critical'
            ? `below minimum: at-risk ${found.terms.atRiskPercent} % × allocation ${m.allocationPercent} % of the invoice`
            : 'key metric: reported, no credit',
      },
    })),
    definitions: SLA_DEFINITIONS,
    settings,
  };
}

export async function evaluateSlaPeriod(options: {
  db: Database;
  orgId: string;
  period: SlaPeriodInput;
  invoiceCents: number | null;
}): Promise<SlaEvaluationReport> {
  return options.db.readForOrg(options.orgId, (tx) => evaluateSlaIn(tx, options));
}

/** An amount in euros with at most two decimals ("12000.00", "12000,5") → cents. */
export function parseInvoice(text: string): number | undefined {
  const match = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
