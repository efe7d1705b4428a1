// The live runtime on the simulated gateway at an accelerated clock (`npm start`
// on the demo, or CENTRALINO_LIVE=simulated). Callers dial every configured
// number: by default at a flat rate, pressing the keys of each menu of its IVR
// flow with equal weight; the demo passes its own hourly profiles, menu
// choices and outbound answer rates (demo/live-demo.ts). Operators whose
// profile has the attribute `simulated: true` are simulated
// (gateways/simulated/simulated-operators.ts): they log in when the runtime
// starts, take offers, talk, record outcomes and take breaks through the same
// actions a web user's clicks become; everyone else is a person who logs in
// through the operator API.
import { createRandom } from '@centralino/engine';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { italianIban } from '../demo/crm-demo.ts';
import type {
  SimulatedInboundLine,
  SimulatedMenu,
  SimulatedOutboundOptions,
} from '../gateways/simulated/simulated-gateway.options.ts';
import { createSimulatedGateway, type SimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import {
  createSimulatedOperators,
  type SimulatedOperatorProfile,
  type SimulatedOperators,
} from '../gateways/simulated/simulated-operators.ts';
import {
  loadRuntimeConfiguration,
  type RuntimeConfiguration,
} from '../modules/contact-center/runtime-config.service.ts';
import type { RealtimeHub } from '../realtime/hub.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { createAcceleratedClock, type LiveClock } from './clock.ts';
import { createLiveRuntime, type LiveRuntime } from './runtime.ts';
import { createSimulatedDispositionFiller, simulatedIban } from './simulated-dispositions.ts';

/** What the simulated callers and operators do; every field has a plain default. */
export type SimulatedTraffic = {
  /** The callers of each number (default: `callsPerHour` every hour, default durations). */
  inbound?: (configuration: RuntimeConfiguration) => SimulatedInboundLine[];
  /** How callers answer menu prompts (default: each key of the menu equally). */
  menus?: Readonly<Record<string, SimulatedMenu>>;
  outbound?: SimulatedOutboundOptions;
  operatorProfile?: Partial<SimulatedOperatorProfile>;
  /** The simulated time the clock starts at (default: now). */
  clockStart?: (configuration: RuntimeConfiguration, now: number) => number;
};

export type SimulatedCenterOptions = {
  db: Database;
  logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Simulated ms per real ms. */
  speed: number;
  seed: number;
  /** Mean calls per hour on each number, every hour of the day (when `traffic.inbound` is not given). */
  callsPerHour: number;
  traffic?: SimulatedTraffic;
  /** A clock to run on instead of the accelerated one (tests: a manual clock). */
  clock?: LiveClock;
  /** Seals the IBAN of mandates taken on calls (conversion dispositions). */
  secrets?: SecretBox;
};

export type SimulatedCenter = {
  runtime: (deps: { hub: RealtimeHub }) => LiveRuntime;
  clock: LiveClock;
  gateway: SimulatedGateway;
  /** What runs: numbers with callers, simulated operators, other operators (people). */
  summary: { numbers: number; simulatedOperators: number; people: number; clockStart: number };
  /** The simulated operators, once the runtime has started. */
  operators(): SimulatedOperators | null;
  close(): Promise<void>;
};

export const isSimulatedOperator = (operator: RuntimeConfiguration['operators'][number]) =>
  operator.attributes.simulated === true;

export async function createSimulatedCenter(options: SimulatedCenterOptions): Promise<SimulatedCenter> {
  const traffic = options.traffic ?? {};
  const configuration = await loadRuntimeConfiguration({ db: options.db });
  // An accelerated clock runs ahead of the wall clock: a second start continues after what the last
  // run left open, so the runtime's recovery never closes a contact before it began.
  const latest = await latestOpenWork(options.db);
  const now = latest === null ? Date.now() : Math.max(Date.now(), latest + 1000);
  const clockStart = traffic.clockStart?.(configuration, now) ?? now;
  const clock = options.clock ?? createAcceleratedClock({ factor: options.speed, start: clockStart });
  const menus: Record<string, SimulatedMenu> = {};
  for (const flow of configuration.ivrFlows)
    for (const node of Object.values(flow.definition.nodes))
      if (node.type === 'menu')
        menus[node.prompt] = traffic.menus?.[node.prompt] ?? {
          choices: Object.fromEntries(Object.keys(node.digits).map((digit) => [digit, 1])),
          noInput: 0.05,
        };
  const inbound =
    traffic.inbound?.(configuration) ??
    configuration.numbers.map((line) => ({
      number: line.e164,
      callsPerHour: Array(24).fill(options.callsPerHour),
    }));
  const gateway = createSimulatedGateway({
    clock,
    seed: options.seed,
    inbound,
    ivr: { menus },
    ...(traffic.outbound ? { outbound: traffic.outbound } : {}),
  });
  const simulatedIds = configuration.operators.filter(isSimulatedOperator).map((op) => op.userId);
  let operators: SimulatedOperators | null = null;

  return {
    clock,
    gateway,
    summary: {
      numbers: inbound.filter((line) => line.callsPerHour.some((rate) => rate > 0)).length,
      simulatedOperators: simulatedIds.length,
      people: configuration.operators.length - simulatedIds.length,
      clockStart: clock.now(),
    },
    operators: () => operators,
    runtime({ hub }) {
      const runtime = createLiveRuntime({
        db: options.db,
        clock,
        gateway,
        hub,
        logger: options.logger,
        random: createRandom(options.seed),
        ...(options.secrets ? { secrets: options.secrets } : {}),
      });
      // The simulated operators log in once the runtime knows them (after its start).
      return {
        ...runtime,
        async start() {
          const report = await runtime.start();
          const known = simulatedIds.filter((id) => runtime.isOperator(id));
          operators = createSimulatedOperators({
            clock,
            seed: options.seed,
            actions: runtime.actions,
            operators: known.map((operatorId) => ({ operatorId })),
            dispositionDetails: createSimulatedDispositionFiller({
              db: options.db,
              iban: simulatedIban(italianIban),
            }),
            // An accept that lost the race with a time-out is part of the simulation; a refused
            // outcome form is a bug in what the simulated operator filled in.
            onRefused: (error, context) => {
              if (context.action === 'submitDisposition')
                options.logger.warn({ err: error, ...context }, 'simulated operator outcome refused');
            },
            ...(traffic.operatorProfile ? { profile: traffic.operatorProfile } : {}),
          });
          for (const seat of operators.seats) runtime.registerSeat(seat);
          await operators.start();
          return report;
        },
        async stop() {
          operators?.stop();
          await runtime.stop();
        },
      };
    },
    async close() {
      operators?.stop();
      await gateway.close();
      clock.stop();
    },
  };
}

/** The latest instant recorded on an interaction or a state interval still open, or null. */
async function latestOpenWork(db: Database): Promise<number | null> {
  return db.asCenter(async (tx) => {
    const interactions = await sql<{ at: Date | string | null }>`
      select max(greatest(created_at, ivr_started_at, ivr_ended_at, queued_at, offered_at, answered_at,
        abandoned_at, dialed_at, connected_at, ended_at, wrap_ended_at)) as at
      from interactions where end_cause is null`.execute(tx);
    const intervals = await sql<{ at: Date | string | null }>`
      select max(started_at) as at from agent_state_intervals where ended_at is null`.execute(tx);
    const times = [interactions.rows[0]?.at, intervals.rows[0]?.at]
      .filter((at) => at !== null && at !== undefined)
      .map((at) => new Date(at!).getTime());
    return times.length === 0 ? null : Math.max(...times);
  });
}
