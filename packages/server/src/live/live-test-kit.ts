// A demo-like center for live tests, configured through the API: a toll-free
// number whose IVR (Mon–Fri 08–20, "press 1") leads to a queue that needs
// donor_care ≥ 5; one operator with the skill, one without, one of the other
// organization; a supporter whose phone the simulated callers sometimes use.
import { createRandom } from '@centralino/engine';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { testSecrets } from '../../test/test-app.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { SimulatedInboundLine } from '../gateways/simulated/simulated-gateway.options.ts';
import { createSimulatedGateway, type SimulatedGateway } from '../gateways/simulated/simulated-gateway.ts';
import { createLogger } from '../http/logger.ts';
import { type CrmTestKit, createCrmTestKit } from '../modules/supporters/crm-test-kit.ts';
import { createUser } from '../modules/users/users.service.ts';
import { createManualClock, type ManualClock } from './clock.ts';
import { createLiveRuntime, type LiveRuntime } from './runtime.ts';

export const START = Date.UTC(2026, 2, 2, 7); // Monday 08:00 in Rome
export const MINUTE = 60_000;
export const NUMBER = '+39800123456';
export const KNOWN_CALLER = '+393471234567';
const PASSWORD = 'correct horse battery';

export type Center = {
  k: CrmTestKit;
  queueId: string;
  supporterId: string;
  skilled: string;
  unskilled: string;
  otherOrg: string;
};

async function userId(k: CrmTestKit, email: string): Promise<string> {
  const row = await k.db.asCenter((tx) =>
    tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow(),
  );
  return row.id;
}

async function ok(promise: ReturnType<CrmTestKit['call']>, status = 201) {
  const response = await promise;
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

/** A demo-like line: Mon–Fri 08–20, "press 1 for donor care", a queue that needs donor_care ≥ 5. */
export async function buildCenter(): Promise<Center> {
  const k = await createCrmTestKit();
  const post = (url: string, payload: object) => k.call({ method: 'POST', url, payload });
  const put = (url: string, payload: object) => k.call({ method: 'PUT', url, payload });
  await ok(post('/api/skills', { key: 'donor_care', label: 'Donor care' }));
  const queue = await ok(
    post(`/api/organizations/${k.alpha}/queues`, {
      key: 'donor-care',
      name: 'Donor care',
      skillExpression: 'donor_care >= 5',
      wrapUpSeconds: 60,
    }),
  );
  // The other organization has a queue of the same key that its own operator could take.
  await ok(post(`/api/organizations/${k.beta}/queues`, { key: 'donor-care', name: 'Beta care' }));
  const flow = await ok(
    post(`/api/organizations/${k.alpha}/ivr-flows`, {
      name: 'Aurora main',
      definition: {
        entry: 'hours',
        nodes: {
          hours: {
            type: 'hours',
            hours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '20:00' }] },
            open: 'main',
            closed: 'closed',
          },
          main: {
            type: 'menu',
            prompt: 'ivr/aurora-main',
            digits: { '1': 'care' },
            timeoutSeconds: 5,
            retries: 1,
          },
          care: { type: 'queue', queue: 'donor-care' },
          closed: { type: 'message', prompt: 'ivr/aurora-closed' },
        },
      },
    }),
  );
  await ok(
    post(`/api/organizations/${k.alpha}/numbers`, { e164: NUMBER, kind: 'toll_free', ivrFlowId: flow.id }),
  );
  const supporter = await ok(
    post(`/api/organizations/${k.alpha}/supporters`, {
      firstName: 'Maria',
      lastName: 'Rossi',
      phones: [{ number: KNOWN_CALLER }],
    }),
  );
  const skilled = await userId(k, 'operator@example.test');
  const unskilled = (
    await createUser({
      db: k.db,
      principal: null,
      email: 'unskilled@example.test',
      role: 'operator',
      password: PASSWORD,
      organizationIds: [k.alpha],
    })
  ).id;
  const otherOrg = (
    await createUser({
      db: k.db,
      principal: null,
      email: 'beta-operator@example.test',
      role: 'operator',
      password: PASSWORD,
      organizationIds: [k.beta],
    })
  ).id;
  await ok(put(`/api/operators/${skilled}/skills`, { skills: [{ skillKey: 'donor_care', level: 7 }] }), 200);
  await ok(put(`/api/operators/${otherOrg}/skills`, { skills: [{ skillKey: 'donor_care', level: 9 }] }), 200);
  return { k, queueId: queue.id, supporterId: supporter.id, skilled, unskilled, otherOrg };
}

/** `lines`: more numbers callers dial (e.g. one an admin adds while the center runs). */
export function gatewayFor(
  clock: ManualClock,
  seed: number,
  patienceSeconds: number,
  lines: readonly SimulatedInboundLine[] = [],
): SimulatedGateway {
  return createSimulatedGateway({
    clock,
    seed,
    inbound: [
      {
        number: NUMBER,
        callsPerHour: Array(24).fill(20),
        patience: { kind: 'fixed', seconds: patienceSeconds },
        talkTime: { kind: 'fixed', seconds: 120 },
        callerIds: { known: [KNOWN_CALLER], knownShare: 0.3, anonymousShare: 0.1 },
      },
      ...lines,
    ],
    ivr: { menus: { 'ivr/aurora-main': { choices: { '1': 1 } } } },
  });
}

/**
 * The HTTP app over the center's database with a live runtime on a manual clock
 * at START (or `at`) and the simulated gateway of `gatewayFor` (or one of the
 * test's own, e.g. callees of an outbound campaign): what the API tests of the
 * live center (operators, transfers, dispositions, campaigns) drive through inject().
 */
export async function buildLiveApp(
  center: Center,
  options: (
    | { seed: number; patienceSeconds: number; lines?: readonly SimulatedInboundLine[] }
    | { gateway: (clock: ManualClock) => SimulatedGateway }
  ) & { at?: number },
): Promise<{ app: FastifyInstance; clock: ManualClock; gateway: SimulatedGateway; runtime: LiveRuntime }> {
  const clock = createManualClock({ start: options.at ?? START });
  const gateway =
    'gateway' in options
      ? options.gateway(clock)
      : gatewayFor(clock, options.seed, options.patienceSeconds, options.lines);
  let runtime: LiveRuntime | undefined;
  const app = await buildApp({
    db: center.k.db,
    config: { ...loadConfig({}), loginRateLimitPerMinute: 10_000 },
    logger: createLogger({ level: 'silent' }),
    secrets: testSecrets,
    liveRuntime: ({ hub }) => {
      runtime = createLiveRuntime({
        db: center.k.db,
        clock,
        gateway,
        hub,
        logger: center.k.app.log,
        random: createRandom(1),
      });
      return runtime;
    },
  });
  await app.ready();
  if (!runtime) throw new Error('the app did not start its live runtime');
  return { app, clock, gateway, runtime };
}

/**
 * Moves a manual clock to `to` one timer instant at a time, letting the
 * runtime finish its reads and writes after each: what a real clock gives a
 * runtime whose database answers in milliseconds, whatever the database here.
 */
export async function advanceLive(
  clock: ManualClock,
  runtime: { drain(): Promise<void> },
  to: number,
  done: () => boolean = () => false,
): Promise<void> {
  for (;;) {
    await runtime.drain();
    if (done()) return;
    const next = clock.nextTimerAt();
    if (next === null || next > to) break;
    clock.advanceTo(next);
  }
  if (clock.now() < to) clock.advanceTo(to);
  await runtime.drain();
}
