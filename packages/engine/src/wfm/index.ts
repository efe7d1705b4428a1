// Public entry points of the workforce mathematics: Erlang B/C/A, staffing,
// forecasting and dimensioning. Shift scheduling exports from ./schedule.ts.

export { dimensionCenter, validateDimensionPlan } from './dimension.ts';
export type {
  CycleAudience,
  CycleKind,
  CycleMonth,
  DimensionCycle,
  DimensionEmail,
  DimensionFigures,
  DimensionInbound,
  DimensionOrganization,
  DimensionPlan,
  DimensionResult,
  InboundMonth,
  OrganizationMonth,
} from './dimension.types.ts';
export {
  type ErlangAOptions,
  type ErlangBOptions,
  type ErlangBResult,
  erlangA,
  erlangB,
  erlangC,
  type QueueMetrics,
  type QueueOptions,
  SERVICE_LEVEL_DEFINITIONS,
  type ServiceLevelDefinition,
  type TrafficOptions,
} from './erlang.ts';
export { type ForecastCsvResult, formatForecastHistoryCsv, parseForecastHistoryCsv } from './forecast.csv.ts';
export {
  defaultIntradayProfile,
  generateSyntheticHistory,
  type SyntheticHistory,
  type SyntheticHistoryOptions,
} from './forecast.synthetic.ts';
export { forecast } from './forecast.ts';
export {
  type BacktestScore,
  FORECAST_METHODS,
  type ForecastInterval,
  type ForecastMethod,
  type ForecastObservation,
  type ForecastOptions,
  type ForecastResult,
  type QueueForecast,
} from './forecast.types.ts';
export {
  type RequiredAgentsOptions,
  type RequiredAgentsResult,
  requiredAgents,
  requiredLines,
  type StaffedInterval,
  type StaffIntervalsOptions,
  type StaffIntervalsResult,
  type StaffingTarget,
  type StaffingTargets,
  scheduledAgents,
  staffIntervals,
} from './staffing.ts';
export { WfmError, type WfmErrorCode, type WfmIssue } from './wfm.errors.ts';
