// Schemas of the KPI routes (OpenAPI): figures carry their definition as data.
import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const KPI_READERS = ['admin', 'supervisor', 'planner', 'quality', 'client_viewer'] as const;
export const KPI_SETTINGS_WRITERS = ['admin', 'supervisor'] as const;

export const KpiDefinition = Type.Object({
  kpi: Type.String(),
  unit: Type.String({ description: 'count, ratio, seconds, hours, per_hour or cents' }),
  better: Nullable(Type.Union([Type.Literal('higher'), Type.Literal('lower')])),
  formula: Type.String(),
  variant: Type.Optional(Type.String()),
  parameters: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The settings the formula used (T, short-abandon threshold, window…)',
  }),
});

export const KpiFigure = Type.Object({
  kpi: Type.String(),
  value: Nullable(Type.Number({ description: 'Absent (null) when it has no meaning, with the reason' })),
  numerator: Type.Number(),
  denominator: Nullable(Type.Number()),
  reason: Type.Optional(Type.String()),
  definition: KpiDefinition,
});

export const KpiFigures = Type.Record(Type.String(), KpiFigure);

const Dimension = Type.String({ minLength: 1, maxLength: 100 });
export const KpiFilterQuery = {
  queue: Type.Optional(Dimension),
  campaign: Type.Optional(Dimension),
  operator: Type.Optional(Dimension),
  channel: Type.Optional(Dimension),
  direction: Type.Optional(Type.Union([Type.Literal('inbound'), Type.Literal('outbound')])),
};
export const PeriodQuery = {
  from: Type.String({ description: 'ISO 8601 instant with offset, on a 15-minute boundary (inclusive)' }),
  to: Type.String({ description: 'ISO 8601 instant with offset, on a 15-minute boundary (exclusive)' }),
};

export const KpiSettingsBody = Type.Object(
  {
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
    serviceLevelThresholdSeconds: Type.Optional(Type.Number()),
    shortAbandonSeconds: Type.Optional(Type.Number()),
    serviceLevelFormula: Type.Optional(Type.String()),
    serviceLevelExcludesShortAbandons: Type.Optional(Type.Boolean()),
    abandonRateIncludesShortAbandons: Type.Optional(Type.Boolean()),
    countBy: Type.Optional(Type.String()),
    fcrWindow: Type.Optional(Type.String()),
    conversionDenominator: Type.Optional(Type.String()),
    dropConnectSeconds: Type.Optional(Type.Number()),
    welcomeReachDays: Type.Optional(Type.Number()),
    billableNotReadyReasons: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export const KpiSettings = Type.Record(Type.String(), Type.Unknown());

export const KpiReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  group: Type.String(),
  timeZone: Type.String(),
  filter: Type.Record(Type.String(), Type.String()),
  settings: KpiSettings,
  groups: Type.Array(
    Type.Object({ label: Type.String(), from: Type.String(), to: Type.String(), figures: KpiFigures }),
  ),
  total: KpiFigures,
});

const Iso = Type.String();
export const KpiInteractionPage = Type.Object({
  figure: KpiFigure,
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      externalId: Nullable(Type.String()),
      channel: Type.String(),
      direction: Type.String(),
      queue: Nullable(Type.String()),
      campaign: Nullable(Type.String()),
      operator: Nullable(Type.String()),
      supporterId: Nullable(Type.String()),
      countedAt: Iso,
      createdAt: Iso,
      queuedAt: Nullable(Iso),
      answeredAt: Nullable(Iso),
      abandonedAt: Nullable(Iso),
      endedAt: Nullable(Iso),
      waitSeconds: Nullable(Type.Number()),
      inNumerator: Type.Boolean(),
      inDenominator: Type.Boolean(),
    }),
  ),
  nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page' })),
});
