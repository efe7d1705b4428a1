// GET /api/operator/stats over hand-built interactions and agent-state
// intervals (PGlite or PostgreSQL): the figures of a Europe/Rome day computed
// by hand from DOMAIN.md §2–§3, a contact queued a minute before local
// midnight counted on the day it was queued, an interval across midnight split
// between the days, the open interval counted up to now, the organizations the
// caller may see (row-level security), and an operator with no contacts.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  type Session,
  seedPeople,
  signIn,
  TEST_PASSWORD,
  testSecrets,
} from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { createLogger } from '../../http/logger.ts';
import { createUser } from '../users/users.service.ts';

// 09:00 in Rome on Tuesday 3 March 2026 (CET, UTC+1): "today" is 2026-03-03.
const NOW = Date.parse('2026-03-03T08:00:00Z');
// Monday 2 March 2026 in Rome: [2026-03-01T23:00Z, 2026-03-02T23:00Z).
const MONDAY = '2026-03-02';

let db: Database;
let app: FastifyInstance;
let alpha: string;
let beta: string;
let multi: string;
let idle: string;
let operatorId: string;
const sessions: Record<string, Session> = {};

type Row = {
  org: string;
  operator: string | null;
  direction: 'inbound' | 'outbound';
  queued?: string;
  dialed?: string;
  calleeAnswered?: string;
  answered?: string;
  ended?: string;
  wrapEnded?: string;
  holdSeconds?: number;
  disposition?: string;
  closed?: boolean;
};

async function interaction(row: Row) {
  const at = (value: string | undefined) => (value === undefined ? null : new Date(value));
  const created = row.queued ?? row.dialed!;
  await db.forOrg(row.org, (tx) =>
    tx
      .insertInto('interactions')
      .values({
        org_id: row.org,
        direction: row.direction,
        operator_id: row.operator,
        created_at: new Date(created),
        queued_at: at(row.queued),
        offered_at: at(row.queued),
        dialed_at: at(row.dialed),
        callee_answered_at: at(row.calleeAnswered),
        answered_by: row.calleeAnswered ? 'human' : null,
        answered_at: at(row.answered),
        connected_at: row.direction === 'outbound' ? at(row.answered) : null,
        ended_at: at(row.ended),
        wrap_ended_at: at(row.wrapEnded),
        hold_seconds: row.holdSeconds ?? 0,
        outcome: row.direction === 'outbound' ? 'reached' : 'answered',
        disposition: row.disposition ?? null,
        end_cause: row.closed === false ? null : 'completed',
      })
      .execute(),
  );
}

async function state(userId: string, state: string, from: string, to: string | null, reason?: string) {
  await db.asCenter((tx) =>
    tx
      .insertInto('agent_state_intervals')
      .values({
        user_id: userId,
        state: state as 'available',
        reason: reason ?? null,
        started_at: new Date(from),
        ended_at: to === null ? null : new Date(to),
      })
      .execute(),
  );
}

beforeAll(async () => {
  db = await openTestDatabase();
  const orgs = await seedPeople(db);
  alpha = orgs.alpha.id;
  beta = orgs.beta.id;
  const operator = async (email: string, organizationIds: string[]) =>
    (
      await createUser({
        db,
        principal: null,
        email,
        role: 'operator',
        password: TEST_PASSWORD,
        organizationIds,
      })
    ).id;
  multi = await operator('multi@example.test', [alpha, beta]);
  idle = await operator('idle@example.test', [alpha]);
  app = await buildApp({
    db,
    config: { ...loadConfig({}), loginRateLimitPerMinute: 10_000 },
    logger: createLogger({ level: 'silent' }),
    secrets: testSecrets,
    now: () => new Date(NOW),
  });
  await app.ready();
  for (const email of ['multi', 'idle', 'operator', 'supervisor', 'admin'])
    sessions[email] = await signIn(app, `${email}@example.test`);
  operatorId = (
    await db.asCenter((tx) =>
      tx
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'operator@example.test')
        .executeTakeFirstOrThrow(),
    )
  ).id;

  // c1, alpha, inbound: talk 300 − 60 hold = 240 s, hold 60 s, wrap 40 s.
  await interaction({
    org: alpha,
    operator: multi,
    direction: 'inbound',
    queued: '2026-03-02T08:00:00Z',
    answered: '2026-03-02T08:00:20Z',
    ended: '2026-03-02T08:05:20Z',
    wrapEnded: '2026-03-02T08:06:00Z',
    holdSeconds: 60,
    disposition: 'reached',
  });
  // c2, beta, outbound connected: talk 180 s, wrap 20 s.
  await interaction({
    org: beta,
    operator: multi,
    direction: 'outbound',
    dialed: '2026-03-02T09:00:00Z',
    calleeAnswered: '2026-03-02T09:00:10Z',
    answered: '2026-03-02T09:00:11Z',
    ended: '2026-03-02T09:03:11Z',
    wrapEnded: '2026-03-02T09:03:31Z',
    disposition: 'upgrade_accepted',
  });
  // c3, alpha: queued at 23:59 in Rome on Sunday 1 March, answered after midnight: Sunday's.
  await interaction({
    org: alpha,
    operator: multi,
    direction: 'inbound',
    queued: '2026-03-01T22:59:00Z',
    answered: '2026-03-01T23:00:30Z',
    ended: '2026-03-01T23:02:30Z',
    wrapEnded: '2026-03-01T23:03:00Z',
    disposition: 'call_back',
  });
  // c4, alpha: queued at 23:59:30 in Rome on Monday, answered on Tuesday: Monday's; talk 120 s, no wrap.
  await interaction({
    org: alpha,
    operator: multi,
    direction: 'inbound',
    queued: '2026-03-02T22:59:30Z',
    answered: '2026-03-02T23:00:10Z',
    ended: '2026-03-02T23:02:10Z',
    disposition: 'not_interested',
  });
  // c5: still open (no end_cause): it counts when it closes.
  await interaction({
    org: alpha,
    operator: multi,
    direction: 'inbound',
    queued: '2026-03-02T10:00:00Z',
    answered: '2026-03-02T10:00:05Z',
    closed: false,
  });
  // c6: a colleague's contact.
  await interaction({
    org: alpha,
    operator: operatorId,
    direction: 'inbound',
    queued: '2026-03-02T11:00:00Z',
    answered: '2026-03-02T11:00:05Z',
    ended: '2026-03-02T11:01:05Z',
    disposition: 'reached',
  });

  // multi's agent-state log (times UTC; Monday in Rome starts at 23:00 on Sunday).
  await state(multi, 'available', '2026-03-01T22:30:00Z', '2026-03-01T23:30:00Z'); // Monday: 1800 s
  await state(multi, 'not_ready', '2026-03-01T23:30:00Z', '2026-03-02T00:00:00Z', 'break'); // 1800 s
  await state(multi, 'available', '2026-03-02T07:55:00Z', '2026-03-02T08:00:00Z'); // 300 s
  await state(multi, 'reserved', '2026-03-02T08:00:00Z', '2026-03-02T08:00:20Z'); // 20 s
  await state(multi, 'busy', '2026-03-02T08:00:20Z', '2026-03-02T08:05:20Z'); // 300 s
  await state(multi, 'wrap_up', '2026-03-02T08:05:20Z', '2026-03-02T08:06:00Z'); // 40 s
  await state(multi, 'not_ready', '2026-03-02T08:06:00Z', '2026-03-02T08:36:00Z', 'training'); // 1800 s
  await state(multi, 'busy', '2026-03-02T09:00:11Z', '2026-03-02T09:03:11Z'); // 180 s
  await state(multi, 'wrap_up', '2026-03-02T09:03:11Z', '2026-03-02T09:03:31Z'); // 20 s
  await state(multi, 'available', '2026-03-02T22:50:00Z', '2026-03-02T23:10:00Z'); // 600 s Monday, 600 s Tuesday
  await state(multi, 'busy', '2026-03-03T07:30:00Z', null); // open: 1800 s by NOW
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of responses
type Json = any;
async function stats(who: string, query = '') {
  const response = await app.inject({
    method: 'GET',
    url: `/api/operator/stats${query}`,
    headers: asUser(sessions[who]!),
  });
  return { status: response.statusCode, body: response.json() as Json };
}

const seconds = (states: { state: string; reason: string | null; seconds: number }[]) =>
  Object.fromEntries(states.map((s) => [s.reason ? `${s.state}:${s.reason}` : s.state, s.seconds]));

describe('GET /api/operator/stats', () => {
  it("gives the operator's figures of a Rome day across their organizations, each with its definition", async () => {
    const { status, body } = await stats('multi', `?date=${MONDAY}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      userId: multi,
      date: MONDAY,
      timeZone: 'Europe/Rome',
      from: '2026-03-01T23:00:00.000Z',
      to: '2026-03-02T23:00:00.000Z',
      asOf: '2026-03-02T23:00:00.000Z',
    });
    expect([...body.organizationIds].sort()).toEqual([alpha, beta].sort());
    const f = body.figures;
    // c1, c2, c4 (c3 is Sunday's, c5 open, c6 a colleague's).
    expect(f.handled).toMatchObject({ value: 3, definition: { unit: 'count' } });
    // Σ talk 240 + 180 + 120 = 540 s, Σ hold 60 s, Σ wrap 40 + 20 + 0 = 60 s; handle 660 s / 3.
    expect(f.aht).toMatchObject({ value: 220, numerator: 660, denominator: 3 });
    expect(f.aht.definition.formula).toContain('Σ (talk + hold + wrap) / handled');
    expect(f.average_talk).toMatchObject({ value: 180, numerator: 540, denominator: 3 });
    expect(f.average_hold).toMatchObject({ value: 20, numerator: 60, denominator: 3 });
    expect(f.average_wrap).toMatchObject({ value: 20, numerator: 60, denominator: 3 });
    // Inbound c1 + c4: (340 + 120) / 2; outbound c2: 200 / 1.
    expect(body.byDirection.inbound.handled.value).toBe(2);
    expect(body.byDirection.inbound.aht).toMatchObject({ value: 230, numerator: 460 });
    expect(body.byDirection.outbound.handled.value).toBe(1);
    expect(body.byDirection.outbound.aht).toMatchObject({ value: 200, numerator: 200 });
    // Busy 300 + 180, wrap-up 40 + 20 = 540 s handling; available 1800 + 300 + 600 and ringing 20 = 2720 s.
    expect(f.occupancy).toMatchObject({ numerator: 540, denominator: 3260 });
    expect(f.occupancy.value).toBeCloseTo(540 / 3260, 12);
    expect(f.occupancy.definition.formula).toContain('handle time / (handle time + available time)');
    expect(body.outcomes.map((o: Json) => [o.code, o.count, o.effect, o.successful])).toEqual([
      ['not_interested', 1, 'not_interested', false],
      ['reached', 1, 'reached', true],
      ['upgrade_accepted', 1, 'upgrade_accepted', true],
    ]);
    expect(body.outcomes[2]).toMatchObject({ labelIt: 'Aumento accettato', labelEn: 'Upgrade accepted' });
    expect(seconds(body.states)).toEqual({
      available: 2700,
      reserved: 20,
      busy: 480,
      wrap_up: 60,
      'not_ready:break': 1800,
      'not_ready:training': 1800,
    });
  });

  it('counts the contact queued before local midnight on the day before', async () => {
    const { body } = await stats('multi', '?date=2026-03-01');
    expect(body.figures.handled.value).toBe(1);
    // c3: talk 120 s, wrap 30 s.
    expect(body.figures.aht).toMatchObject({ value: 150, numerator: 150, denominator: 1 });
    expect(body.outcomes.map((o: Json) => [o.code, o.count])).toEqual([['call_back', 1]]);
    // The Sunday half of the interval across midnight: 23:30–00:00 in Rome.
    expect(seconds(body.states)).toEqual({ available: 1800 });
  });

  it('defaults to today in Rome and counts the open interval up to now', async () => {
    const { status, body } = await stats('multi');
    expect(status).toBe(200);
    expect(body).toMatchObject({ date: '2026-03-03', asOf: '2026-03-03T08:00:00.000Z' });
    expect(body.figures.handled.value).toBe(0);
    expect(body.figures.aht).toMatchObject({ value: null, reason: 'no contact handled in the period' });
    // 600 s available after midnight, 1800 s busy since 07:30Z.
    expect(seconds(body.states)).toEqual({ available: 600, busy: 1800 });
    expect(body.figures.occupancy).toMatchObject({ value: 0.75, numerator: 1800, denominator: 2400 });
  });

  it('answers an operator with no contacts with zero counts and absent averages, never a division by zero', async () => {
    const { status, body } = await stats('idle', `?date=${MONDAY}`);
    expect(status).toBe(200);
    expect(body.userId).toBe(idle);
    expect(body.figures.handled).toMatchObject({ value: 0, numerator: 0 });
    for (const kpi of ['aht', 'average_talk', 'average_hold', 'average_wrap', 'occupancy'])
      expect(body.figures[kpi], kpi).toMatchObject({ value: null, denominator: 0 });
    expect(body.figures.occupancy.reason).toBe('no operator handling or available in the period');
    expect(body.byDirection.outbound.aht.value).toBeNull();
    expect(body.outcomes).toEqual([]);
    expect(body.states).toEqual([]);
  });

  it("lets a supervisor see an operator's figures only in the organizations the supervisor serves", async () => {
    // The supervisor serves alpha only: c1 and c4, not beta's upgrade.
    const { status, body } = await stats('supervisor', `?date=${MONDAY}&userId=${multi}`);
    expect(status).toBe(200);
    expect(body.organizationIds).toEqual([alpha]);
    expect(body.figures.handled.value).toBe(2);
    expect(body.outcomes.map((o: Json) => o.code)).toEqual(['not_interested', 'reached']);
    // An admin sees the operator's own organizations.
    const admin = await stats('admin', `?date=${MONDAY}&userId=${multi}`);
    expect(admin.body.figures.handled.value).toBe(3);
  });

  it('refuses another operator’s figures to an operator, and a malformed day or parameter', async () => {
    const other = await stats('operator', `?userId=${multi}`);
    expect([other.status, other.body.code]).toEqual([403, 'OPERATOR_STATS_OTHERS_FORBIDDEN']);
    const own = await stats('operator', `?date=${MONDAY}&userId=${operatorId}`);
    expect([own.status, own.body.figures.handled.value]).toEqual([200, 1]);
    for (const query of ['?date=yesterday', '?date=2026-02-30', '?userId=nobody', '?days=2']) {
      const bad = await stats('multi', query);
      expect(bad.status, query).toBe(400);
    }
  });
});
