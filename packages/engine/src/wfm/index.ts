// Public entry points of the workforce mathematics: Erlang B/C/A, staffing,
// forecasting and dimensioning. Shift scheduling exports from ./schedule.ts.
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
