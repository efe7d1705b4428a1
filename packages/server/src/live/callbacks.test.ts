// Callbacks of queues end to end on PGlite or PostgreSQL under a manual clock:
// callers accept the IVR's callback offer and keep their place in the queue
// (served before callers who queued after they arrived), the runtime dials the
// supporter when an operator accepts and bridges the answer; callbacks due
// later enter the router when due, unanswered ones are tried again and given
// up after three attempts; a stopped process's dial is retried at start; the
// callbacks of campaigns are left to the dialer.
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
import { CALLBACK_MAX_ATTEMPTS, CALLBACK_RETRY_MS, OWNED_CALLBACK_WAIT_SECONDS } from './runtime.ts';

const CALLBACK_LINE = '+39800777000';

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

describe('IVR callback offer', () => {
  it('a caller who accepts keeps the place of their arrival, is dialed when an operator accepts, and is put through', async () => {
    center = await buildCenter();
    const c = center;
    const flow = await post(c, `/api/organizations/${c.k.alpha}/ivr-flows`, {
      name: 'Callback line',
      definition: {
        entry: 'main',
        nodes: {
          main: {
            type: 'menu',
            prompt: 'ivr/cb-main',
            digits: { '1': 'care', '2': 'offer' },
            timeoutSeconds: 5,
            retries: 0,
          },
          offer: { type: 'callback_offer', prompt: 'ivr/cb-offer', queue: 'donor-care' },
          care: { type: 'queue', queue: 'donor-care' },
        },
      },
    });
    await post(c, `/api/organizations/${c.k.alpha}/numbers`, {
      e164: CALLBACK_LINE,
      kind: 'toll_free',
      ivrFlowId: flow.id,
    });
    const callsPerHour = Array(24).fill(0);
    callsPerHour[8] = 24; // 08:00–09:00 in Rome only
    const r = await start(c, {
      seed: 5,
      gateway: {
        inbound: [
          {
            number: CALLBACK_LINE,
            callsPerHour,
            patience: { kind: 'fixed', seconds: 4 * 3600 },
            talkTime: { kind: 'fixed', seconds: 60 },
            callerIds: { known: [KNOWN_CALLER], knownShare: 0, anonymousShare: 0 },
          },
        ],
        ivr: {
          menus: { 'ivr/cb-main': { choices: { '1': 1, '2': 1 } }, 'ivr/cb-offer': { choices: { '1': 1 } } },
          // The offer is long: a caller who asks for a callback does so a minute after arriving.
          promptDurationsMs: { 'ivr/cb-offer': 60_000 },
        },
        outbound: {
          liveAnswerRate: 1,
          machineRate: 0,
          busyRate: 0,
          failedRate: 0,
          answerDelay: { kind: 'fixed', seconds: 5 },
          talkTime: { kind: 'fixed', seconds: 60 },
        },
      },
    });
    // An hour of arrivals with nobody logged in: callers wait in the queue, callbacks pile up.
    await advanceLive(r.clock, r.runtime, START + 60 * MINUTE);
    const requested = await callbacksOf(c);
    const rows = await interactionsOf(c);
    expect(requested.length).toBeGreaterThanOrEqual(3);
    for (const callback of requested) {
      const asking = rows.find((row) => row.id === callback.interaction_id)!;
      // The place is the caller's arrival, not the moment they pressed 1 (a minute later).
      expect(callback.queued_since.getTime()).toBe(asking.created_at.getTime());
      expect(callback.due_at.getTime() - callback.queued_since.getTime()).toBeGreaterThanOrEqual(60_000);
      expect(asking).toMatchObject({ outcome: 'callback_requested', end_cause: 'completed' });
      expect(callback).toMatchObject({ status: 'waiting', queue_id: c.queueId, phone: asking.remote_number });
    }
    const stats = r.runtime.queues(c.k.alpha).find((q) => q.queueId === c.queueId)!;
    const queued = rows.filter((row) => row.queued_at !== null && row.end_cause === null);
    expect(stats.waiting).toBe(requested.length + queued.length);

    await operate(c, r, 5);
    await advanceLive(r.clock, r.runtime, START + 150 * MINUTE);
    const after = await interactionsOf(c);
    const done = await callbacksOf(c);
    expect(done.every((cb) => cb.status === 'completed')).toBe(true);
    for (const callback of done) {
      const attempts = after.filter((row) => row.callback_id === callback.id);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({
        direction: 'outbound',
        queue_id: c.queueId,
        operator_id: c.skilled,
        remote_number: callback.phone,
        attempt_number: 1,
        answered_by: 'human',
        outcome: 'reached',
        disposition: 'reached',
        end_cause: 'completed',
      });
      const a = attempts[0]!;
      expect(a.dialed_at!.getTime()).toBeLessThan(a.callee_answered_at!.getTime());
      expect(a.callee_answered_at!.getTime()).toBeLessThanOrEqual(a.answered_at!.getTime());
    }
    // The operator was offered every waiting contact in the order their waits began.
    const waitStart = new Map<string, number>();
    for (const row of after) {
      if (row.callback_id !== null)
        waitStart.set(row.id, done.find((cb) => cb.id === row.callback_id)!.queued_since.getTime());
      else if (row.queued_at !== null) waitStart.set(row.id, row.queued_at.getTime());
    }
    const offered = r.events
      .filter((e) => e.type === 'interaction.offered')
      .map((e) => (e.data as { offerId: string }).offerId);
    expect(offered.length).toBe(waitStart.size);
    const starts = offered.map((id) => waitStart.get(id)!);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // And at least one callback went before a caller who queued after its caller arrived but
    // before the callback was asked for: enqueued at its request, it would have come after.
    const overtaken = done.some((cb) =>
      after.some(
        (row) =>
          row.callback_id === null &&
          row.queued_at !== null &&
          row.queued_at > cb.queued_since &&
          row.queued_at < cb.due_at,
      ),
    );
    expect(overtaken).toBe(true);
  }, 90_000);
});

describe('callbacks of queues', () => {
  it('enter the router when due, are tried again when unanswered and given up after 3 attempts; at start a stopped dial waits again; campaign callbacks are not taken', async () => {
    center = await buildCenter();
    const c = center;
    const outboundQueue = await post(c, `/api/organizations/${c.k.alpha}/queues`, {
      key: 'welcome-calls',
      name: 'Welcome calls',
      direction: 'outbound',
    });
    const campaign = await post(c, `/api/organizations/${c.k.alpha}/campaigns`, {
      name: 'Benvenuto',
      cycleType: 'welcome',
      status: 'paused',
      eligibility: [{ kind: 'tag', tag: 'welcome' }],
      pacing: { mode: 'progressive' },
      maxAttempts: 3,
      queueId: outboundQueue.id,
    });
    const at = (minutes: number) => new Date(START + minutes * MINUTE);
    const [later, crashed, ofCampaign, owned] = await c.k.db.forOrg(c.k.alpha, async (tx) => {
      const insert = (values: Record<string, unknown>) =>
        tx
          .insertInto('callbacks')
          .values({ org_id: c.k.alpha, ...values } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
      // An operator's "call back at 08:05" on an inbound contact.
      const later = await insert({
        queue_id: c.queueId,
        supporter_id: c.supporterId,
        phone: KNOWN_CALLER,
        due_at: at(5),
        queued_since: at(5),
      });
      // Being dialed when the process stopped: its open attempt is closed by recovery.
      const crashed = await insert({
        queue_id: c.queueId,
        phone: '+393330000001',
        due_at: at(-30),
        queued_since: at(-40),
        status: 'in_progress',
      });
      await tx
        .insertInto('interactions')
        .values({
          org_id: c.k.alpha,
          direction: 'outbound',
          queue_id: c.queueId,
          callback_id: crashed.id,
          attempt_number: 1,
          remote_number: '+393330000001',
          created_at: at(-20),
          dialed_at: at(-20),
          transfers: JSON.stringify([]) as never,
        })
        .execute();
      const ofCampaign = await insert({
        campaign_id: campaign.id,
        supporter_id: c.supporterId,
        phone: KNOWN_CALLER,
        due_at: at(-10),
        queued_since: at(-10),
      });
      // "Call back: me" of a colleague who is not logged in: theirs for 30 minutes, then anyone's.
      const owned = await insert({
        queue_id: c.queueId,
        phone: '+393330000002',
        due_at: at(0),
        queued_since: at(0),
        owner_user_id: c.unskilled,
      });
      return [later.id, crashed.id, ofCampaign.id, owned.id];
    });
    const r = await start(c, {
      seed: 9,
      gateway: { outbound: { liveAnswerRate: 0, machineRate: 0, busyRate: 1, failedRate: 0 } },
    });
    await operate(c, r, 9);
    const attemptsOf = async (id: string) =>
      (await interactionsOf(c)).filter((row) => row.callback_id === id && row.end_cause !== 'system_restart');
    const statusOf = async (id: string) => (await callbacksOf(c)).find((cb) => cb.id === id)!;

    await advanceLive(r.clock, r.runtime, START + 2 * MINUTE);
    expect(await attemptsOf(crashed)).toHaveLength(1);
    expect(await attemptsOf(later)).toHaveLength(0);
    expect((await statusOf(crashed)).status).toBe('waiting');
    // Its earlier attempt counts: this one is the second.
    expect((await attemptsOf(crashed))[0]).toMatchObject({
      attempt_number: 2,
      outcome: 'busy',
      answered_by: 'busy',
      end_cause: 'completed',
      operator_id: c.skilled,
      queue_id: c.queueId,
      direction: 'outbound',
    });

    await advanceLive(r.clock, r.runtime, START + 6 * MINUTE);
    const first = await attemptsOf(later);
    expect(first).toHaveLength(1);
    expect(first[0]!.dialed_at!.getTime()).toBeGreaterThanOrEqual(START + 5 * MINUTE);
    expect(first[0]).toMatchObject({
      outcome: 'busy',
      supporter_id: c.supporterId,
      remote_number: KNOWN_CALLER,
    });
    const waiting = await statusOf(later);
    expect(waiting.status).toBe('waiting');
    expect(waiting.due_at.getTime()).toBe(first[0]!.ended_at!.getTime() + CALLBACK_RETRY_MS);

    await advanceLive(r.clock, r.runtime, START + 45 * MINUTE);
    const all = await attemptsOf(later);
    expect(all.map((row) => row.attempt_number)).toEqual([1, 2, 3]);
    expect(CALLBACK_MAX_ATTEMPTS).toBe(3);
    expect((await statusOf(later)).status).toBe('cancelled');
    expect((await statusOf(crashed)).status).toBe('cancelled');
    // Waited for its owner, then went to the queue's operator.
    const ownedAttempts = await attemptsOf(owned);
    expect(ownedAttempts.length).toBeGreaterThanOrEqual(1);
    expect(ownedAttempts[0]!.dialed_at!.getTime()).toBeGreaterThanOrEqual(
      START + OWNED_CALLBACK_WAIT_SECONDS * 1000,
    );
    expect(ownedAttempts[0]!.operator_id).toBe(c.skilled);
    expect(await attemptsOf(crashed)).toHaveLength(2);
    // The campaign's callback is the dialer's: untouched.
    expect(await attemptsOf(ofCampaign)).toHaveLength(0);
    expect((await statusOf(ofCampaign)).status).toBe('waiting');
    // The operator is free again after every failed dial.
    const session = r.runtime.session(c.skilled);
    expect(session.state).toBe('available');
    expect(session.interaction).toBeNull();
  }, 90_000);
});
