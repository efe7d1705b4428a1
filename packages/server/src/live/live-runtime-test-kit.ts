// Helpers for live tests that drive the runtime on a simulated gateway of their
// own (callbacks, voicemail, transfers, preview dialing): start it under a
// manual clock with the realtime events collected, add one simulated operator
// (the skilled one of live-test-kit's center), read the rows.
import { createRandom } from '@centralino/engine';
import { expect } from 'vitest';
import type { SimulatedGatewayOptions } from '../gateways/simulated/simulated-gateway.options.ts';
import { createSimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import {
  createSimulatedOperators,
  type SimulatedOperatorProfile,
} from '../gateways/simulated/simulated-operators.ts';
import type { RealtimeEvent } from '../realtime/hub.ts';
import { createManualClock, type ManualClock } from './clock.ts';
import { type Center, START } from './live-test-kit.ts';
import { createLiveRuntime, type LiveRuntime } from './runtime.ts';

export type Running = {
  clock: ManualClock;
  runtime: LiveRuntime;
  events: RealtimeEvent[];
  stop: () => Promise<void>;
};

export async function post(c: Center, url: string, payload: object, status = 201) {
  const response = await c.k.call({ method: 'POST', url, payload });
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

export async function startRuntime(
  c: Center,
  options: { seed: number; at?: number; gateway: Omit<SimulatedGatewayOptions, 'clock' | 'seed'> },
): Promise<Running> {
  const clock = createManualClock({ start: options.at ?? START });
  const gateway = createSimulatedGateway({ clock, seed: options.seed, ...options.gateway });
  const runtime = createLiveRuntime({
    db: c.k.db,
    clock,
    gateway,
    hub: c.k.app.realtime,
    logger: c.k.app.log,
    random: createRandom(options.seed),
  });
  const events: RealtimeEvent[] = [];
  const unsubscribe = c.k.app.realtime.subscribe((stored) => events.push(stored.event));
  await runtime.start();
  return {
    clock,
    runtime,
    events,
    stop: async () => {
      unsubscribe();
      await runtime.stop();
      await gateway.close();
    },
  };
}

/** Simulated operators on the running runtime (default: the center's skilled one), stopped with it. */
export async function operate(
  c: Center,
  r: Running,
  seed: number,
  options: { operatorIds?: string[]; profile?: Partial<SimulatedOperatorProfile> } = {},
) {
  const operators = createSimulatedOperators({
    clock: r.clock,
    seed,
    actions: r.runtime.actions,
    operators: (options.operatorIds ?? [c.skilled]).map((operatorId) => ({ operatorId })),
    profile: {
      acceptDelay: { kind: 'fixed', seconds: 2 },
      missRate: 0,
      holdRate: 0,
      holdAfter: { kind: 'fixed', seconds: 30 },
      holdTime: { kind: 'fixed', seconds: 15 },
      wrapUp: { kind: 'fixed', seconds: 10 },
      outcomes: { default: { reached: 1 } },
      breakEvery: null,
      ...options.profile,
    },
    onRefused: (error, context) => {
      throw new Error(`${context.action} refused: ${(error as Error).message}`);
    },
  });
  for (const seat of operators.seats) r.runtime.registerSeat(seat);
  await operators.start();
  const stop = r.stop;
  r.stop = async () => {
    operators.stop();
    await stop();
  };
  return operators;
}

export const callbacksOf = (c: Center) =>
  c.k.db.asCenter((tx) => tx.selectFrom('callbacks').selectAll().orderBy('queued_since').execute());
export const interactionsOf = (c: Center) =>
  c.k.db.asCenter((tx) => tx.selectFrom('interactions').selectAll().orderBy('created_at').execute());
