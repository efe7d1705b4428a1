// Public entry points of the routing engine (see README.md).

export type { OpenHours as QueueOpenHours, Weekday as QueueWeekday } from './open-hours.ts';
export { type CompiledOpenHours, compileOpenHours } from './open-hours.ts';
export { createRouter } from './router.ts';
export { RoutingError, type RoutingErrorCode, type RoutingIssue } from './routing.errors.ts';
export * from './routing.types.ts';
export {
  type AttributeValue as AgentAttributeValue,
  parseSkillExpression,
  type SkillExpression,
  type SkillSubject,
} from './skill-expression.ts';
