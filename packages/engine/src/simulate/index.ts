// Public entry points of the contact-center simulator (see README.md).

export { type CompiledDistribution, compileDistribution, createSampler } from './simulate.distributions.ts';
export { SimulationError, type SimulationErrorCode, type SimulationIssue } from './simulate.errors.ts';
export {
  createLongestIdleRouter,
  type SimulationRouter,
  type SimulationRouterFactory,
  type SimulationRouterModel,
} from './simulate.router.ts';
export { parseScenario } from './simulate.scenario.ts';
export { type SimulateOptions, type SimulationRouterChoice, simulate } from './simulate.ts';
export * from './simulate.types.ts';
