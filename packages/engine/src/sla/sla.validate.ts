// Contract validation (issue 7): allocations of critical metrics sum to at most
// 100 %, minimum and target on the right side of each other for the KPI's
// direction, ratios within 0–1, windows consistent with the options that depend
// on them, bonus rules naming metrics of the contract. Every failing field is
// reported at once.

import {
  DEFAULT_KPI_SETTINGS,
  KPI_IDS,
  type KpiId,
  kpiDefinitions,
  ROLLUP_DIMENSIONS,
} from '../kpi/index.ts';
import { SlaError, type SlaIssue } from './sla.errors.ts';
import { basisPointsToPercent, toBasisPoints } from './sla.money.ts';
import type { SlaContract, ValidSlaContract } from './sla.types.ts';

const WINDOWS = ['interval', 'day', 'month'] as const;
const DEFINITIONS = kpiDefinitions(DEFAULT_KPI_SETTINGS);

function percent(issues: SlaIssue[], field: string, value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    issues.push({ field, message: `must be a percentage from 0 to 100, got ${JSON.stringify(value)}` });
    return undefined;
  }
  const bp = toBasisPoints(value);
  if (bp === undefined) issues.push({ field, message: `must have at most two decimals, got ${value}` });
  return bp;
}

/** The contract with defaults filled in; throws SLA_INVALID_CONTRACT naming every failing field. */
export function validateSlaContract(contract: SlaContract): ValidSlaContract {
  const issues: SlaIssue[] = [];
  if (typeof contract !== 'object' || contract === null) {
    throw new SlaError('SLA_INVALID_CONTRACT', [{ field: '', message: 'must be an object' }]);
  }
  percent(issues, 'atRiskPercent', contract.atRiskPercent);
  if (!Array.isArray(contract.metrics) || contract.metrics.length === 0) {
    issues.push({ field: 'metrics', message: 'must list at least one metric' });
  }
  const metrics: ValidSlaContract['metrics'] = [];
  const ids = new Set<string>();
  let allocatedBp = 0;
  for (const [i, metric] of (Array.isArray(contract.metrics) ? contract.metrics : []).entries()) {
    const base = `metrics[${i}]`;
    const before = issues.length;
    if (typeof metric !== 'object' || metric === null) {
      issues.push({ field: base, message: 'must be an object' });
      continue;
    }
    if (!KPI_IDS.includes(metric.kpi)) {
      issues.push({ field: `${base}.kpi`, message: `is not a KPI: ${JSON.stringify(metric.kpi)}` });
      continue;
    }
    const definition = DEFINITIONS[metric.kpi as KpiId];
    const id = metric.id ?? metric.kpi;
    if (ids.has(id))
      issues.push({ field: `${base}.id`, message: `${id} appears twice; give each metric its own id` });
    ids.add(id);
    if (!WINDOWS.includes(metric.window)) {
      issues.push({ field: `${base}.window`, message: `must be one of ${WINDOWS.join(', ')}` });
    }
    if (metric.kind !== 'critical' && metric.kind !== 'key') {
      issues.push({ field: `${base}.kind`, message: 'must be critical or key' });
    }
    const better = metric.better ?? definition.better;
    if (better !== 'higher' && better !== 'lower') {
      issues.push({
        field: `${base}.better`,
        message: `is required for ${metric.kpi}: say whether higher or lower is better`,
      });
    }
    for (const field of ['minimum', 'target'] as const) {
      const value = metric[field];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        issues.push({ field: `${base}.${field}`, message: `must be a number, got ${JSON.stringify(value)}` });
      } else if (definition.unit === 'ratio' && (value < 0 || value > 1)) {
        issues.push({
          field: `${base}.${field}`,
          message: `is a ratio: from 0 to 1 (0.8 for 80 %), got ${value}`,
        });
      } else if (value < 0) {
        issues.push({ field: `${base}.${field}`, message: `must not be negative, got ${value}` });
      }
    }
    if (typeof metric.minimum === 'number' && typeof metric.target === 'number') {
      if (better === 'higher' && metric.minimum > metric.target) {
        issues.push({ field: `${base}.minimum`, message: 'is above the target, but higher is better' });
      }
      if (better === 'lower' && metric.minimum < metric.target) {
        issues.push({ field: `${base}.minimum`, message: 'is below the target, but lower is better' });
      }
    }
    let allocationBp = 0;
    if (metric.kind === 'critical') {
      const bp = percent(issues, `${base}.allocationPercent`, metric.allocationPercent);
      if (bp !== undefined) allocationBp = bp;
    } else if (metric.allocationPercent !== undefined && metric.allocationPercent !== 0) {
      issues.push({ field: `${base}.allocationPercent`, message: 'only critical metrics carry credits' });
    }
    const requiredShare = metric.requiredShare ?? 1;
    if (metric.requiredShare !== undefined) {
      if (metric.window === 'month') {
        issues.push({
          field: `${base}.requiredShare`,
          message: 'a monthly window is one window: no share applies',
        });
      } else if (typeof requiredShare !== 'number' || !(requiredShare > 0 && requiredShare <= 1)) {
        issues.push({
          field: `${base}.requiredShare`,
          message: `must be above 0 and at most 1, got ${requiredShare}`,
        });
      }
    }
    for (const dimension of Object.keys(metric.filter ?? {})) {
      if (!(ROLLUP_DIMENSIONS as readonly string[]).includes(dimension)) {
        issues.push({
          field: `${base}.filter.${dimension}`,
          message: `is not one of ${ROLLUP_DIMENSIONS.join(', ')}`,
        });
      }
    }
    if (issues.length > before) continue;
    allocatedBp += allocationBp;
    metrics.push({
      id,
      kpi: metric.kpi,
      minimum: metric.minimum,
      target: metric.target,
      window: metric.window,
      kind: metric.kind,
      allocationPercent: basisPointsToPercent(allocationBp),
      better: better as 'higher' | 'lower',
      requiredShare,
      filter: metric.filter ?? {},
    });
  }
  if (allocatedBp > 10_000) {
    issues.push({
      field: 'metrics',
      message: `allocations of the critical metrics sum to ${basisPointsToPercent(allocatedBp)} %, more than 100 %`,
    });
  }
  const bonusRules: ValidSlaContract['bonusRules'] = [];
  const criticalIds = metrics.filter((m) => m.kind === 'critical').map((m) => m.id);
  for (const [i, rule] of (contract.bonusRules ?? []).entries()) {
    const base = `bonusRules[${i}]`;
    const before = issues.length;
    if (typeof rule.id !== 'string' || rule.id === '')
      issues.push({ field: `${base}.id`, message: 'is required' });
    percent(issues, `${base}.percentOfInvoice`, rule.percentOfInvoice);
    for (const metricId of rule.metrics ?? []) {
      if (!ids.has(metricId))
        issues.push({ field: `${base}.metrics`, message: `names no metric of the contract: ${metricId}` });
    }
    const required = rule.metrics ?? criticalIds;
    if (required.length === 0) {
      issues.push({
        field: `${base}.metrics`,
        message: 'no metric to reach: list some, or make a metric critical',
      });
    }
    if (issues.length === before)
      bonusRules.push({ id: rule.id, percentOfInvoice: rule.percentOfInvoice, metrics: required });
  }
  if (issues.length > 0) throw new SlaError('SLA_INVALID_CONTRACT', issues);
  return { atRiskPercent: contract.atRiskPercent, metrics, bonusRules };
}
