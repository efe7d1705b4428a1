// Schemas of the SLA routes (OpenAPI). The terms are checked in depth by the
// engine's validateSlaContract (every failing field at once); the schema only
// fixes the shape.
import { Type } from 'typebox';

export const SLA_READERS = ['admin', 'supervisor', 'planner', 'quality', 'client_viewer'] as const;
export const SLA_WRITERS = ['admin', 'supervisor'] as const;

const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'A local month YYYY-MM' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Metric = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    kpi: Type.String({
      description: 'Any KPI id of the KPI API (service_level, abandon_rate, asa, aht, fcr…)',
    }),
    minimum: Type.Number(),
    target: Type.Number(),
    window: Type.String({ description: 'interval, day or month' }),
    kind: Type.String({ description: 'critical (carries credits) or key (reported only)' }),
    allocationPercent: Type.Optional(Type.Number()),
    better: Type.Optional(Type.String()),
    requiredShare: Type.Optional(Type.Number()),
    filter: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 100 }))),
  },
  { additionalProperties: false },
);
const BonusRule = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 60 }),
    percentOfInvoice: Type.Number(),
    metrics: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
const Terms = {
  atRiskPercent: Type.Number({ description: 'Percent of the monthly invoice at risk (typically 10–12)' }),
  metrics: Type.Array(Metric, { maxItems: 50 }),
  bonusRules: Type.Optional(Type.Array(BonusRule, { maxItems: 20 })),
};

export const CreateSlaContractBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    validFrom: Type.String({ description: 'First month of the contract, YYYY-MM' }),
    validTo: Type.Optional(Nullable(Type.String({ description: 'Last month (inclusive), YYYY-MM' }))),
    ...Terms,
  },
  { additionalProperties: false },
);

export const UpdateSlaContractBody = Type.Object(
  {
    effectiveFrom: Type.Optional(
      Type.String({
        description: 'First month of the new terms (default the current month); never a closed month',
      }),
    ),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    validTo: Type.Optional(Nullable(Type.String())),
    ...Terms,
  },
  { additionalProperties: false },
);

const Version = Type.Object(
  {
    version: Type.Integer(),
    effectiveFrom: Month,
    atRiskPercent: Type.Number(),
    metrics: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    bonusRules: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    createdAt: Type.String(),
    createdBy: Nullable(Type.String()),
  },
  { additionalProperties: true },
);
export const SlaContract = Type.Object({
  id: Type.String(),
  name: Type.String(),
  validFrom: Month,
  validTo: Nullable(Month),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  current: Version,
  versions: Type.Optional(Type.Array(Version)),
});

export const ContractParams = Type.Object(
  { orgId: Type.String({ format: 'uuid' }), contractId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

export const InvoiceQuery = {
  invoiceCents: Type.Optional(
    Type.Integer({ minimum: 0, description: 'The monthly invoice in cents: credits and bonuses as amounts' }),
  ),
};

export const EvaluationQuery = Type.Object(
  {
    period: Type.Optional(Type.String({ description: 'A local month YYYY-MM' })),
    from: Type.Optional(
      Type.String({ description: 'Or an ISO instant with offset on a 15-minute boundary' }),
    ),
    to: Type.Optional(Type.String()),
    ...InvoiceQuery,
  },
  { additionalProperties: false },
);

/** Evaluations are large and nested (engine SlaEvaluation plus definitions): described, not enumerated. */
export const SlaEvaluation = Type.Object(
  {
    contract: Type.Record(Type.String(), Type.Unknown()),
    period: Type.Record(Type.String(), Type.Unknown()),
    metrics: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    minimumsMet: Type.Boolean(),
    bonuses: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    creditPercent: Type.Number(),
    bonusPercent: Type.Number(),
    netPercent: Type.Number(),
    invoiceCents: Nullable(Type.Number()),
    creditCents: Nullable(Type.Number()),
    bonusCents: Nullable(Type.Number()),
    netCents: Nullable(Type.Number()),
    definitions: Type.Record(Type.String(), Type.String()),
  },
  { additionalProperties: true },
);

export const SlaDashboard = Type.Object(
  {
    at: Type.String(),
    month: Type.String(),
    evaluation: SlaEvaluation,
    trend: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    today: Type.Record(Type.String(), Type.Unknown()),
    live: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    alerts: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);
