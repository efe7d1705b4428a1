// Business hours and holidays of an IVR flow in the live center, on PGlite or
// PostgreSQL under a manual clock: outside the hours and on a closed date the
// caller hears the closed message and the call ends, recorded as closed,
// without reaching a queue; inside them the same number leads to the queue.
import { afterEach, describe, expect, it } from 'vitest';
import { interactionsOf, post, type Running, startRuntime } from './live-runtime-test-kit.ts';
import { advanceLive, buildCenter, type Center, MINUTE, START } from './live-test-kit.ts';

const HOUR = 60 * MINUTE;
const NUMBER = '+39800777010';
/** Tuesday 3 March 2026, a closed date of the flow (START is Monday 2 March, 08:00 in Rome). */
const CLOSED_DATE = '2026-03-03';

let running: Running | null = null;
let center: Center | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  await center?.k.close();
  center = null;
});

async function lineWithHours(c: Center) {
  const flow = await post(c, `/api/organizations/${c.k.alpha}/ivr-flows`, {
    name: 'Weekdays 09–18',
    definition: {
      entry: 'hours',
      nodes: {
        hours: {
          type: 'hours',
          hours: {
            weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
            closedDates: [CLOSED_DATE],
          },
          open: 'care',
          closed: 'closed',
        },
        care: { type: 'queue', queue: 'donor-care' },
        closed: { type: 'message', prompt: 'ivr/closed' },
      },
    },
  });
  await post(c, `/api/organizations/${c.k.alpha}/numbers`, {
    e164: NUMBER,
    kind: 'toll_free',
    ivrFlowId: flow.id,
  });
}

/** Callers on the line for 30 minutes from `at`; the interactions of those calls, all closed. */
async function callsFrom(c: Center, at: number) {
  running = await startRuntime(c, {
    seed: 5,
    at,
    gateway: {
      inbound: [
        {
          number: NUMBER,
          callsPerHour: Array(24).fill(20),
          patience: { kind: 'fixed', seconds: 60 },
          callerIds: { known: [], knownShare: 0, anonymousShare: 1 },
        },
      ],
      ivr: { promptDurationsMs: { 'ivr/closed': 4000 } },
    },
  });
  await advanceLive(running.clock, running.runtime, at + 30 * MINUTE);
  const rows = (await interactionsOf(c)).filter(
    (row) =>
      row.number === NUMBER &&
      row.created_at.getTime() >= at &&
      row.created_at.getTime() < at + 30 * MINUTE &&
      row.end_cause !== null,
  );
  await running.stop();
  running = null;
  return rows;
}

describe('IVR business hours in the live center', () => {
  it('closed before opening time and on a closed date: the message, then the end; open: the queue', async () => {
    center = await buildCenter();
    const c = center;
    await lineWithHours(c);

    const early = await callsFrom(c, START); // Monday 08:00–08:30
    const holiday = await callsFrom(c, START + 26 * HOUR); // Tuesday 10:00–10:30, a closed date
    for (const rows of [early, holiday]) {
      expect(rows.length).toBeGreaterThan(3);
      for (const row of rows) {
        expect(row).toMatchObject({ outcome: 'closed', end_cause: 'closed', queue_id: null });
        expect(row.queued_at).toBeNull();
      }
    }

    const open = await callsFrom(c, START + 2 * HOUR); // Monday 10:00–10:30
    expect(open.length).toBeGreaterThan(3);
    for (const row of open) {
      expect(row.queue_id).toBe(c.queueId);
      expect(row.queued_at).not.toBeNull();
    }
  }, 90_000);
});
