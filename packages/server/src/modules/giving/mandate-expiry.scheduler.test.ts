import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.ts';
import {
  createGivingWorld,
  creditorId,
  type GivingWorld,
  IBAN_IT,
  insertSupporter,
  sepaCommitment,
  setCreditorId,
} from './giving.fixtures.ts';
import { type MandateExpiryRun, startMandateExpiry } from './mandate-expiry.scheduler.ts';

let w: GivingWorld;
beforeAll(async () => {
  w = await createGivingWorld();
  await setCreditorId(w.t.db, w.beta, creditorId('09876543210'));
});
afterAll(() => w.t.close());

/** A SEPA commitment signed on `signatureDate`, with a collected gift on `collectedOn` if given. */
async function mandate(orgId: string, signatureDate: string, collectedOn?: string) {
  const supporter = await insertSupporter(w.t.db, orgId);
  const created = await w.t.app.inject({
    method: 'POST',
    url: `/api/organizations/${orgId}/supporters/${supporter}/commitments`,
    headers: w.admin,
    payload: sepaCommitment({ startDate: signatureDate, mandate: { iban: IBAN_IT, signatureDate } }),
  });
  expect(created.statusCode).toBe(201);
  const commitment = created.json();
  if (collectedOn) {
    const gift = await w.t.app.inject({
      method: 'POST',
      url: `/api/organizations/${orgId}/supporters/${supporter}/gifts`,
      headers: w.admin,
      payload: {
        giftDate: collectedOn,
        amountCents: 1500,
        method: 'sepa_direct_debit',
        commitmentId: commitment.id,
      },
    });
    expect(gift.statusCode).toBe(201);
  }
  return { orgId, commitmentId: commitment.id as string, mandateId: commitment.mandate.id as string };
}

async function statusOf(m: { orgId: string; commitmentId: string }) {
  const response = await w.t.app.inject({
    method: 'GET',
    url: `/api/organizations/${m.orgId}/commitments/${m.commitmentId}`,
    headers: w.admin,
  });
  const body = response.json();
  return { commitment: body.status, mandate: body.mandate.status };
}

/** Captured log lines, and the runs the scheduler reports, one promise per run. */
function observer() {
  const lines: { level: string; details: object; message: string }[] = [];
  const runs: MandateExpiryRun[] = [];
  let waiting: ((run: MandateExpiryRun) => void)[] = [];
  return {
    lines,
    logger: {
      info: (details: object, message: string) => lines.push({ level: 'info', details, message }),
      error: (details: object, message: string) => lines.push({ level: 'error', details, message }),
    },
    onRun(run: MandateExpiryRun) {
      runs.push(run);
      const resolve = waiting;
      waiting = [];
      for (const r of resolve) r(run);
    },
    runs,
    /** The first run (past or future) that checked the day `today`. */
    runOn(today: string): Promise<MandateExpiryRun> {
      const done = runs.find((run) => run.today === today);
      if (done) return Promise.resolve(done);
      return new Promise((resolve) => {
        const check = (run: MandateExpiryRun) => {
          if (run.today === today) resolve(run);
          else waiting.push(check);
        };
        waiting.push(check);
      });
    },
  };
}

describe('the mandate expiry scheduler', () => {
  it('expires dormant mandates of every organization at start and then each day by its clock', async () => {
    // Expires 2028-01-01 (signature + 36 months, never collected).
    const dormant = await mandate(w.alpha, '2025-01-01');
    // Collected on 2026-06-01: expires 2029-06-01.
    const recent = await mandate(w.alpha, '2025-01-01', '2026-06-01');
    const betaDormant = await mandate(w.beta, '2025-01-01');

    let clock = new Date('2028-03-01T02:00:00Z');
    const seen = observer();
    const scheduler = startMandateExpiry({
      db: w.t.db,
      logger: seen.logger,
      now: () => clock,
      // "Daily", shortened: the clock decides what a day is.
      intervalMs: 200,
      onRun: (run) => seen.onRun(run),
    });
    try {
      const first = await seen.runOn('2028-03-01');
      expect(seen.runs[0]).toBe(first);
      expect(first).toMatchObject({ today: '2028-03-01', expired: 2, failedOrganizations: 0 });
      expect(first.organizations).toBeGreaterThanOrEqual(2);
      expect(await statusOf(dormant)).toEqual({ commitment: 'paused', mandate: 'expired' });
      expect(await statusOf(betaDormant)).toEqual({ commitment: 'paused', mandate: 'expired' });
      expect(await statusOf(recent)).toEqual({ commitment: 'active', mandate: 'active' });
      expect(seen.lines.filter((line) => line.message === 'mandates expired')).toHaveLength(2);

      // The day before the recent one's expiry nothing happens; on the day it expires.
      clock = new Date('2029-05-31T02:00:00Z');
      expect(await seen.runOn('2029-05-31')).toMatchObject({ expired: 0 });
      expect(await statusOf(recent)).toEqual({ commitment: 'active', mandate: 'active' });
      clock = new Date('2029-06-01T02:00:00Z');
      expect(await seen.runOn('2029-06-01')).toMatchObject({ expired: 1 });
      expect(await statusOf(recent)).toEqual({ commitment: 'paused', mandate: 'expired' });
    } finally {
      await scheduler.stop();
    }
  });

  it('logs an organization that fails and goes on with the others, without throwing', async () => {
    const alphaDormant = await mandate(w.alpha, '2024-01-01');
    const betaDormant = await mandate(w.beta, '2024-01-01');
    const failing: Database = {
      ...w.t.db,
      forOrg: (orgId, work) =>
        orgId === w.beta ? Promise.reject(new Error('connection reset')) : w.t.db.forOrg(orgId, work),
    };
    const seen = observer();
    const scheduler = startMandateExpiry({
      db: failing,
      logger: seen.logger,
      now: () => new Date('2027-02-01T00:00:00Z'),
      intervalMs: 50,
      onRun: (run) => seen.onRun(run),
    });
    try {
      const run = await seen.runOn('2027-02-01');
      expect(run).toMatchObject({ failedOrganizations: 1, expired: 1 });
      expect(seen.lines).toContainEqual({
        level: 'error',
        details: { orgId: w.beta, today: '2027-02-01', err: 'connection reset' },
        message: 'mandate expiry failed',
      });
      expect(await statusOf(alphaDormant)).toEqual({ commitment: 'paused', mandate: 'expired' });
      expect(await statusOf(betaDormant)).toEqual({ commitment: 'active', mandate: 'active' });
    } finally {
      await scheduler.stop();
    }
    // Stopped: no more runs.
    const runs = seen.runs.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.runs.length).toBe(runs);
  });

  it('stop() waits for a pass in progress, so the database can close after it', async () => {
    const seen = observer();
    let listed = false;
    const slow: Database = {
      ...w.t.db,
      asCenter: async (work) => {
        // A slow listing: stop() is called while it runs.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const result = await w.t.db.asCenter(work);
        listed = true;
        return result;
      },
    };
    const scheduler = startMandateExpiry({ db: slow, logger: seen.logger, onRun: (run) => seen.onRun(run) });
    await scheduler.stop();
    expect(listed).toBe(true);
    expect(seen.lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
