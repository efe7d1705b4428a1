// `npm start` with CENTRALINO_LIVE=simulated: the live runtime on the simulated
// gateway at an accelerated clock. Callers dial every configured number at a
// flat rate and press the keys of each menu of its IVR flow with equal weight;
// operators are the real users who log in through the operator API (simulated
// operators and the demo's call profiles come with the demo wiring, a later slice).
import { createRandom } from '@centralino/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';
import type { SimulatedMenu } from '../gateways/simulated/simulated-gateway.options.ts';
import { createSimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import { loadRuntimeConfiguration } from '../modules/contact-center/runtime-config.service.ts';
import type { RealtimeHub } from '../realtime/hub.ts';
import { createAcceleratedClock } from './clock.ts';
import { createLiveRuntime, type LiveRuntime } from './runtime.ts';

export type SimulatedCenterOptions = {
  db: Database;
  logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Simulated ms per real ms. */
  speed: number;
  seed: number;
  /** Mean calls per hour on each number, every hour of the day. */
  callsPerHour: number;
};

export async function createSimulatedCenter(options: SimulatedCenterOptions) {
  const configuration = await loadRuntimeConfiguration({ db: options.db });
  const clock = createAcceleratedClock({ factor: options.speed });
  const menus: Record<string, SimulatedMenu> = {};
  for (const flow of configuration.ivrFlows)
    for (const node of Object.values(flow.definition.nodes))
      if (node.type === 'menu')
        menus[node.prompt] = {
          choices: Object.fromEntries(Object.keys(node.digits).map((digit) => [digit, 1])),
          noInput: 0.05,
        };
  const gateway = createSimulatedGateway({
    clock,
    seed: options.seed,
    inbound: configuration.numbers.map((line) => ({
      number: line.e164,
      callsPerHour: Array(24).fill(options.callsPerHour),
    })),
    ivr: { menus },
  });
  return {
    runtime: ({ hub }: { hub: RealtimeHub }): LiveRuntime =>
      createLiveRuntime({
        db: options.db,
        clock,
        gateway,
        hub,
        logger: options.logger,
        random: createRandom(options.seed),
      }),
    async close() {
      await gateway.close();
      clock.stop();
    },
  };
}
