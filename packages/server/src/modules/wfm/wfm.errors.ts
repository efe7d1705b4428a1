import { AppError } from '../../http/errors.ts';
import { PlanningTaskError } from './wfm.runner.ts';

type EngineIssue = { field: string; message: string; line?: number };

const STATUS_BY_CODE: Record<string, number> = {
  SCHEDULE_INVALID_INPUT: 400,
  SCHEDULE_INFEASIBLE: 422,
  SCHEDULE_NO_SOLUTION: 422,
  SCHEDULE_SOLVER_UNAVAILABLE: 503,
  WFM_INVALID_INPUT: 400,
  WFM_NO_SOLUTION: 422,
  WFM_INSUFFICIENT_HISTORY: 422,
  SIMULATION_INVALID_INPUT: 400,
  SIMULATION_UNSUPPORTED: 422,
};

/** Engine errors (invalid input, infeasible plans) as problem details naming the fields. */
export function toAppError(error: unknown, bodyField: string): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  if (!(error instanceof PlanningTaskError || error instanceof Error) || typeof code !== 'string')
    return error;
  const status = STATUS_BY_CODE[code];
  if (!status) return error;
  const issues = (error as { issues?: EngineIssue[] }).issues ?? [];
  return new AppError(
    code,
    status,
    error.message,
    issues.map((issue) => ({
      field: `${bodyField}.${issue.field}${issue.line ? ` (line ${issue.line})` : ''}`,
      message: issue.message,
    })),
  );
}
