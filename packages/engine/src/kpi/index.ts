// Public entry points of the KPI area (see README.md): interaction records and
// agent-state intervals in, figures with their definitions and drill-down out,
// and the additive 15-minute rollups reports are read from.

export { CDR_COLUMNS, type CdrIssue, type CdrRowResult, interactionFromCdrRow } from './kpi.cdr.ts';
export {
  agentStateContributions,
  type ContactFlags,
  type Contribution,
  countingInstant,
  interactionContributions,
  isDrop,
  isLiveAnswer,
  type RollupKey,
  shiftContributions,
} from './kpi.contributions.ts';
export {
  addCounters,
  COUNTER_NAMES,
  type CounterName,
  emptyCounters,
  type KpiCounters,
  sumCounters,
} from './kpi.counters.ts';
export { DIALER_DROP_CEILING, type DialerDropWindow, dialerDropRates } from './kpi.drop-rate.ts';
export { KpiError, type KpiErrorCode, type KpiIssue } from './kpi.errors.ts';
export {
  figuresFromCounters,
  KPI_IDS,
  type KpiContext,
  kpiDefinitions,
  type RecordCounters,
} from './kpi.figures.ts';
export { deriveContactFlags, isWithinFcrWindow } from './kpi.flags.ts';
export {
  type NormalizedAgentState,
  type NormalizedInteraction,
  type NormalizedShift,
  normalizeAgentStates,
  normalizeInteractions,
  normalizeShifts,
} from './kpi.records.ts';
export {
  buildRollup,
  type ComputeKpisInput,
  computeKpis,
  type KpiGroup,
  type KpiGroupFigures,
  type KpiGrouping,
  type KpiPeriod,
  type KpiRollup,
  type KpisFromRollupInput,
  kpisFromRollup,
  mergeRollups,
  ROLLUP_DIMENSIONS,
  type RollupDimension,
  type RollupFilter,
  type RollupRow,
} from './kpi.rollup.ts';
export {
  type CountingSettings,
  countingSettingsOf,
  DEFAULT_KPI_SETTINGS,
  resolveKpiSettings,
  sameCountingSettings,
} from './kpi.settings.ts';
export {
  DEFAULT_TIME_ZONE as KPI_DEFAULT_TIME_ZONE,
  INTERVAL_MS as KPI_INTERVAL_MS,
  intervalStartOf,
  intervalsOfLocalDay,
  localDateOf,
  localDayBounds,
  localMonthBounds,
  localMonthOf,
  toEpochMs,
} from './kpi.time.ts';
export type * from './kpi.types.ts';
