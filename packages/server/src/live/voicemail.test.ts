// Voicemail end to end on PGlite or PostgreSQL under a manual clock: after its
// prompt the caller is recorded until they hang up or the node's maximum
// length; the message becomes a callback of the node's queue (the recording in
// its notes, the caller's place kept) that an operator is offered.
import { afterEach, describe, expect, it } from 'vitest';
import {
  callbacksOf,
  interactionsOf,
  operate,
  post,
  type Running,
  startRuntime,
} from './live-runtime-test-kit.ts';
import { advanceLive, buildCenter, type Center, KNOWN_CALLER, MINUTE, START } from './live-test-kit.ts';

let running: Running | null = null;
let center: Center | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  await center?.k.close();
  center = null;
});

const start = async (c: Center, options: Parameters<typeof startRuntime>[1]) => {
  running = await startRuntime(c, options);
  return running;
};

describe('voicemail', () => {
  it('records the caller until they hang up or the maximum length, and leaves a callback with the recording for an operator', async () => {
    center = await buildCenter();
    const c = center;
    const lines = [
      { number: '+39800777001', maxSeconds: 60, patienceSeconds: 25 },
      { number: '+39800777002', maxSeconds: 10, patienceSeconds: 120 },
    ];
    for (const [i, line] of lines.entries()) {
      const flow = await post(c, `/api/organizations/${c.k.alpha}/ivr-flows`, {
        name: `Voicemail ${i}`,
        definition: {
          entry: 'vm',
          nodes: {
            vm: { type: 'voicemail', prompt: 'ivr/vm', queue: 'donor-care', maxSeconds: line.maxSeconds },
          },
        },
      });
      await post(c, `/api/organizations/${c.k.alpha}/numbers`, {
        e164: line.number,
        kind: 'toll_free',
        ivrFlowId: flow.id,
      });
    }
    const callsPerHour = Array(24).fill(0);
    callsPerHour[8] = 12;
    const r = await start(c, {
      seed: 3,
      gateway: {
        inbound: lines.map((line) => ({
          number: line.number,
          callsPerHour,
          patience: { kind: 'fixed', seconds: line.patienceSeconds },
          callerIds: { known: [KNOWN_CALLER], knownShare: 0.5, anonymousShare: 0 },
        })),
        ivr: { promptDurationsMs: { 'ivr/vm': 5000 } },
      },
    });
    await advanceLive(r.clock, r.runtime, START + 30 * MINUTE);
    const rows = (await interactionsOf(c)).filter((row) => row.end_cause !== null);
    const callbacks = await callbacksOf(c);
    const byLine = (number: string) => rows.filter((row) => row.number === number);
    expect(byLine(lines[0]!.number).length).toBeGreaterThan(1);
    expect(byLine(lines[1]!.number).length).toBeGreaterThan(1);
    for (const row of rows) {
      const line = lines.find((l) => l.number === row.number)!;
      // Caller hangs up 25 s after arriving (5 s of prompt: ~20 s of message), or the platform
      // stops at the 10 s maximum.
      const seconds = line.maxSeconds === 10 ? 10 : 20;
      expect(row).toMatchObject({ outcome: 'voicemail', end_cause: 'completed' });
      const match = /^voicemail (\S+), (\d+) s$/.exec(row.notes);
      expect(match, row.notes).not.toBeNull();
      expect(Math.abs(Number(match![2]) - seconds)).toBeLessThanOrEqual(1);
      const callback = callbacks.find((cb) => cb.interaction_id === row.id)!;
      expect(callback).toMatchObject({
        status: 'waiting',
        queue_id: c.queueId,
        phone: row.remote_number,
        notes: row.notes,
      });
      expect(callback.queued_since.getTime()).toBe(row.created_at.getTime());
      // A known caller's voicemail carries the supporter for the screen pop.
      if (row.remote_number === KNOWN_CALLER) expect(callback.supporter_id).toBe(c.supporterId);
    }
    // Waiting for an operator, each with its message.
    const stats = r.runtime.queues(c.k.alpha).find((q) => q.queueId === c.queueId)!;
    expect(stats.waiting).toBe(callbacks.length);
    await operate(c, r, 3);
    await advanceLive(r.clock, r.runtime, START + 31 * MINUTE);
    const offer = r.events.find((e) => e.type === 'interaction.offered')!.data as {
      callbackId: string;
      callbackNotes: string;
    };
    expect(offer.callbackNotes).toBe(callbacks.find((cb) => cb.id === offer.callbackId)!.notes);
  }, 90_000);
});
