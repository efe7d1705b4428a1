// A custom disposition reaches the live center without a restart: an admin
// adds one through the API, the next call offers it to the operator and the
// runtime records it; deleted, the next call no longer offers it. Over a live
// runtime on the simulated gateway and a manual clock (PGlite or PostgreSQL).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signIn } from '../../../test/test-app.ts';
import type { SimulatedGateway } from '../../gateways/simulated/simulated-gateway.ts';
import type { ManualClock } from '../../live/clock.ts';
import { advanceLive, buildCenter, buildLiveApp, type Center } from '../../live/live-test-kit.ts';
import type { LiveRuntime } from '../../live/runtime.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of responses
type Json = any;

let center: Center;
let app: FastifyInstance;
let clock: ManualClock;
let gateway: SimulatedGateway;
let runtime: LiveRuntime;
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  center = await buildCenter();
  ({ app, clock, gateway, runtime } = await buildLiveApp(center, { seed: 21, patienceSeconds: 1800 }));
  for (const role of ['admin', 'operator']) headers[role] = asUser(await signIn(app, `${role}@example.test`));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await gateway?.close();
  await center?.k.close();
});

async function call(role: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  const response = await app.inject({
    method,
    url,
    headers: headers[role]!,
    ...(payload ? { payload } : {}),
  });
  return { status: response.statusCode, body: response.body ? (response.json() as Json) : null };
}

/** The operator goes available and is offered the next inbound call: its offer. */
async function nextOffer(operator: string): Promise<Json> {
  const available = await call('operator', 'POST', '/api/operator/state', { state: 'available' });
  expect(available.status).toBe(200);
  const done = () => runtime.session(operator).offer !== null;
  await advanceLive(clock, runtime, clock.now() + 60 * 60_000, done);
  expect(done()).toBe(true);
  return (await call('operator', 'GET', '/api/operator/session')).body.offer;
}

describe('custom dispositions in the live center', () => {
  it('an admin’s new disposition is offered on the next call and recorded; once deleted it is offered no more', async () => {
    const operator = center.skilled;
    const url = `/api/organizations/${center.k.alpha}/dispositions`;
    const created = await call('admin', 'POST', url, {
      code: 'moved_abroad',
      labelIt: 'Trasferito all’estero',
      labelEn: 'Moved abroad',
      effect: 'none',
      cycleType: 'inbound',
    });
    expect(created.status).toBe(201);

    const offer = await nextOffer(operator);
    expect(offer.dispositions).toContain('moved_abroad');
    const accepted = await call('operator', 'POST', `/api/operator/offers/${offer.offerId}/accept`);
    expect(accepted.status).toBe(200);
    const connected = () => runtime.session(operator).interaction?.phase === 'connected';
    await advanceLive(clock, runtime, clock.now() + 10_000, connected);
    const base = `/api/operator/interactions/${offer.offerId}`;
    expect((await call('operator', 'POST', `${base}/hangup`)).status).toBe(200);
    const wrapUp = () => runtime.session(operator).interaction?.phase === 'wrap_up';
    await advanceLive(clock, runtime, clock.now() + 5_000, wrapUp);
    const recorded = await call('operator', 'POST', `${base}/disposition`, { code: 'moved_abroad' });
    expect(recorded.status).toBe(200);
    await runtime.drain();
    const row = await center.k.db.asCenter((tx) =>
      tx
        .selectFrom('interactions')
        .select('disposition')
        .where('id', '=', offer.offerId)
        .executeTakeFirstOrThrow(),
    );
    expect(row.disposition).toBe('moved_abroad');

    expect((await call('admin', 'DELETE', `${url}/${created.body.id}`)).status).toBe(204);
    // The operator may already have the next caller ringing: that offer was made before the deletion.
    const pending = runtime.session(operator).offer;
    if (pending) await call('operator', 'POST', `/api/operator/offers/${pending.offerId}/reject`);
    const after = await nextOffer(operator);
    expect(after.dispositions).toEqual(expect.arrayContaining(['not_interested', 'reached']));
    expect(after.dispositions).not.toContain('moved_abroad');
  }, 180_000);
});
