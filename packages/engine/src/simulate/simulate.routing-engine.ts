// Adapter point: drives the live routing engine (engine/routing) behind the
// SimulationRouter interface. Until that engine is part of the build, asking for
// it is answered with SIMULATION_UNSUPPORTED.
import { SimulationError } from './simulate.errors.ts';
import type { SimulationRouter, SimulationRouterModel } from './simulate.router.ts';

export function routingEngineAvailable(): boolean {
  return false;
}

export function createRoutingEngineRouter(
  _model: SimulationRouterModel,
  _start: string | null,
): SimulationRouter {
  throw new SimulationError('SIMULATION_UNSUPPORTED', [
    { field: 'router', message: 'the routing engine (engine/routing) is not available in this build' },
  ]);
}
