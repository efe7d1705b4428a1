// Public entry points of service-level contracts (see README.md): validation,
// evaluation over a month from KPI rollups, and the credit arithmetic.

export { SlaError, type SlaErrorCode, type SlaIssue } from './sla.errors.ts';
export { type EvaluateSlaInput, evaluateSla } from './sla.evaluate.ts';
export { type SlaAlert, type SlaLiveMetric, slaAlerts, slaLiveStatus } from './sla.live.ts';
export { shareOfInvoiceCents, splitCreditCents } from './sla.money.ts';
export type * from './sla.types.ts';
export { validateSlaContract } from './sla.validate.ts';
