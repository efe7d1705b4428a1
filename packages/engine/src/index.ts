// @centralino/engine: pure, deterministic contact-center mathematics and
// decision logic. No I/O; clock and random are injected by the caller.
// Each area re-exports its public entry points from its own index.

export * from './crm/index.ts';
export * from './kpi/index.ts';
export * from './pacing/index.ts';
export { createRandom } from './random.ts';
export * from './routing/index.ts';
export * from './simulate/index.ts';
export * from './sla/index.ts';
export * from './wfm/index.ts';
export * from './wfm/schedule.ts';
