// GET /api/center/clock: the live center's day when it runs (its clock may be
// simulated, as in the demo), else the server's. PGlite or PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { asUser, createTestApp, seedPeople, signIn } from '../../../test/test-app.ts';
import { buildCenter, buildLiveApp, type Center, START } from '../../live/live-test-kit.ts';

let center: Center | undefined;
afterAll(async () => {
  await center?.k.close();
});

describe('GET /api/center/clock', () => {
  it("gives the live center's now and its day in Rome, not the server's", async () => {
    center = await buildCenter();
    const { app, clock, gateway } = await buildLiveApp(center, { seed: 1, patienceSeconds: 60 });
    try {
      const headers = asUser(await signIn(app, 'operator@example.test'));
      const first = await app.inject({ method: 'GET', url: '/api/center/clock', headers });
      expect(first.json()).toEqual({
        now: new Date(START).toISOString(),
        date: '2026-03-02',
        timeZone: 'Europe/Rome',
        live: true,
      });
      // 23:30 UTC on 2 March is already 3 March in Rome.
      clock.advanceTo(Date.UTC(2026, 2, 2, 23, 30));
      const late = await app.inject({ method: 'GET', url: '/api/center/clock', headers });
      expect(late.json()).toMatchObject({ date: '2026-03-03', live: true });
    } finally {
      await app.close();
      await gateway.close();
    }
  }, 120_000);

  it("without a live center, the server's clock", async () => {
    const t = await createTestApp();
    try {
      await seedPeople(t.db);
      const headers = asUser(await signIn(t.app, 'client_viewer@example.test'));
      const before = Date.now();
      const body = (await t.app.inject({ method: 'GET', url: '/api/center/clock', headers })).json();
      expect(body.live).toBe(false);
      expect(Date.parse(body.now)).toBeGreaterThanOrEqual(before - 1000);
      expect(body.date).toBe(
        new Date(Date.parse(body.now)).toLocaleDateString('en-CA', { timeZone: 'Europe/Rome' }),
      );
      expect((await t.app.inject({ method: 'GET', url: '/api/center/clock' })).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  }, 60_000);
});
