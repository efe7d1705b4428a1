// The demo's live center: its configuration goes in through the services (so
// it passes the API's validation), once, and a second run or a run after an
// interrupted one adds nothing; started on the simulated gateway, its
// simulated operators answer the demo lines' callers and close the contacts
// with dispositions. Runs on PGlite or PostgreSQL (CENTRALINO_TEST_DATABASE_URL).
import { sql } from 'kysely';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../test/test-app.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import type { Database } from '../db/database.ts';
import { createManualClock } from '../live/clock.ts';
import { advanceLive } from '../live/live-test-kit.ts';
import { createSimulatedCenter } from '../live/simulated-center.ts';
import { refreshCallList } from '../modules/campaigns/call-list.service.ts';
import {
  CYCLE_TYPES,
  EligibilityFilter,
  Pacing,
  RetryPolicy,
} from '../modules/campaigns/campaigns.schemas.ts';
import { validateIvrFlow } from '../modules/contact-center/ivr-flow.ts';
import { loadRuntimeConfiguration } from '../modules/contact-center/runtime-config.service.ts';
import { createOrganization } from '../modules/organizations/organizations.service.ts';
import { createUser } from '../modules/users/users.service.ts';
import { createRealtimeHub } from '../realtime/hub.ts';
import { seedCrmDemo } from './crm-demo.ts';
import {
  DEMO_LIVE_ORGANIZATIONS,
  DEMO_REAL_OPERATORS,
  demoClockStart,
  demoLiveTraffic,
  easterSunday,
  italianHolidays,
  SIMULATED_OPERATOR_COUNT,
  seedDemoLiveCenter,
} from './live-demo.ts';

const MONDAY_10_ROME = Date.UTC(2026, 2, 2, 9); // Monday 2 March 2026, 10:00 in Rome (CET)
const MINUTE = 60_000;
let db: Database;
const orgIds: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  for (const [i, org] of DEMO_LIVE_ORGANIZATIONS.entries()) {
    const orgId = (await createOrganization({ db, principal: null, slug: org.slug, name: org.slug })).id;
    orgIds.push(orgId);
    await seedCrmDemo({
      db,
      secrets: testSecrets,
      orgId,
      prefix: `T${i}`,
      supporters: 150,
      seed: 11 + i,
      today: new Date(MONDAY_10_ROME),
    });
  }
  for (const email of DEMO_REAL_OPERATORS)
    await createUser({
      db,
      principal: null,
      email,
      role: 'operator',
      password: 'correct horse battery',
      organizationIds: orgIds,
    });
}, 60_000);
afterAll(() => db.close());

const seed = () =>
  seedDemoLiveCenter({ db, realOperatorEmails: DEMO_REAL_OPERATORS, today: new Date(MONDAY_10_ROME) });

const TABLES = [
  'skills',
  'queues',
  'ivr_flows',
  'numbers',
  'calling_windows',
  'campaigns',
  'dispositions',
  'users',
  'operator_skills',
  'operator_profiles',
  'user_organizations',
  'register_checks',
] as const;

const NEW_CYCLES = ['loyalty', 'conversion', 'one_off', 'custom'] as const;

async function taggedSupporters() {
  let n = 0;
  for (const orgId of orgIds) {
    const row = await db.readForOrg(orgId, (tx) =>
      sql<{ n: string }>`select count(*) as n from supporters where 'donatore_emergenza' = any(tags)`.execute(
        tx,
      ),
    );
    n += Number(row.rows[0]!.n);
  }
  return n;
}

async function counts() {
  const result: Record<string, number> = {};
  await db.asCenter(async (tx) => {
    for (const table of TABLES) {
      const row = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(tx);
      result[table] = Number(row.rows[0]!.n);
    }
  });
  return result;
}

describe('demo live configuration', () => {
  it('is seeded once through the services, and a second or an interrupted run adds nothing', async () => {
    expect(await seed()).toBe(true);
    const first = await counts();
    expect(await seed()).toBe(false);
    expect(await counts()).toEqual(first);
    // A start killed half way left no marker: the next one finds each item and finishes.
    await db.asCenter((tx) =>
      tx.deleteFrom('instance_settings').where('key', '=', 'demo_live_seeded_at').execute(),
    );
    expect(await seed()).toBe(true);
    expect(await counts()).toEqual(first);

    // A demo seeded with the four cycles' campaigns of the first version: its next start adds the
    // other cycles' campaigns, their dispositions and the appeal's tag, once.
    const tagged = await taggedSupporters();
    expect(tagged).toBeGreaterThan(0);
    await db.asCenter(async (tx) => {
      await tx.deleteFrom('instance_settings').where('key', '=', 'demo_live_all_cycles_seeded_at').execute();
      await tx.deleteFrom('campaigns').where('cycle_type', 'in', NEW_CYCLES).execute();
      await tx
        .deleteFrom('dispositions')
        .where('cycle_type', 'in', NEW_CYCLES)
        .where('org_id', 'is not', null)
        .execute();
    });
    for (const orgId of orgIds)
      await db.forOrg(orgId, (tx) => sql`update supporters set tags = '{}'`.execute(tx));
    expect(await seed()).toBe(true);
    expect(await counts()).toEqual(first);
    expect(await taggedSupporters()).toBe(tagged);
    // Done once: a demo campaign the user deleted afterwards stays deleted.
    await db.asCenter((tx) => tx.deleteFrom('campaigns').where('cycle_type', '=', 'custom').execute());
    expect(await seed()).toBe(false);
    expect((await counts()).campaigns).toBe(first.campaigns! - orgIds.length);
    await db.asCenter((tx) =>
      tx.deleteFrom('instance_settings').where('key', '=', 'demo_live_seeded_at').execute(),
    );
    expect(await seed()).toBe(true);
    expect(await counts()).toEqual(first);

    const configuration = await loadRuntimeConfiguration({ db });
    for (const orgId of orgIds) {
      const queues = configuration.queues.filter((q) => q.orgId === orgId);
      expect(queues.map((q) => `${q.key}:${q.direction}`).sort()).toEqual([
        'donor-care:inbound',
        'drtv-response:inbound',
        'information:inbound',
        'outbound:outbound',
      ]);
      const flows = configuration.ivrFlows.filter((f) => f.orgId === orgId);
      expect(flows).toHaveLength(2);
      for (const flow of flows) {
        const keys = new Set(queues.map((q) => q.key));
        expect(validateIvrFlow(flow.definition, { queueKeys: keys })).toEqual([]);
        const hours = flow.definition.nodes.hours;
        expect(hours?.type === 'hours' && hours.hours.closedDates).toContain('2026-12-25');
      }
      const numbers = configuration.numbers.filter((n) => n.orgId === orgId);
      expect(numbers).toHaveLength(3);
      expect(numbers.every((n) => n.ivrFlowId !== null)).toBe(true);

      const campaigns = await db.readForOrg(orgId, (tx) =>
        tx.selectFrom('campaigns').selectAll().orderBy('cycle_type').execute(),
      );
      // Every contact cycle runs in the demo.
      expect(campaigns.map((c) => c.cycle_type)).toEqual([...CYCLE_TYPES].sort());
      const outbound = queues.find((q) => q.key === 'outbound')!;
      for (const campaign of campaigns) {
        expect(campaign.status).toBe('active');
        expect(campaign.queue_id).toBe(outbound.id);
        expect(campaign.calling_window_id).not.toBeNull();
        // What the API's schema would accept: the demo is configured as a user could configure it.
        for (const filter of campaign.eligibility) expect(Value.Check(EligibilityFilter, filter)).toBe(true);
        expect(Value.Check(Pacing, campaign.pacing)).toBe(true);
        expect(Value.Check(RetryPolicy, campaign.retry_policy)).toBe(true);
      }
      expect(campaigns.find((c) => c.cycle_type === 'welcome')!.eligibility).toEqual([
        { kind: 'commitment_started_within_days', days: 7 },
        { kind: 'no_contact_in_cycle', cycleType: 'welcome' },
      ]);
      expect(new Set(campaigns.map((c) => (c.pacing as { mode: string }).mode))).toEqual(
        new Set(['preview', 'progressive', 'power', 'predictive']),
      );
      // The cycles without a built-in success have the organization's own outcomes.
      const own = await db.readForOrg(orgId, (tx) =>
        tx.selectFrom('dispositions').select(['code', 'cycle_type']).where('org_id', '=', orgId).execute(),
      );
      expect(
        own
          .filter((d) => d.cycle_type === 'custom')
          .map((d) => d.code)
          .sort(),
      ).toEqual(['survey_completed', 'survey_declined']);
      expect(own.filter((d) => d.cycle_type === 'one_off').map((d) => d.code)).toEqual(['gift_pledged']);
      // The register checks let the campaigns' lists have numbers to dial, and some blocked with a reason.
      // Each campaign's eligibility selects supporters of the demo's CRM data.
      let pending = 0;
      for (const campaign of campaigns) {
        const counts = await refreshCallList(db, {
          orgId,
          campaignId: campaign.id,
          at: new Date(MONDAY_10_ROME),
        });
        // Every cycle selects from the demo's CRM data, relative to its today, even at this test's 150
        // supporters: a regular gift started this week (welcome), a gift of 100 € in two (thank you),
        // one ended in the last 90 days (recapture), and the standing cycles.
        expect(counts.pending, campaign.name).toBeGreaterThan(0);
        pending += counts.pending;
      }
      const registered = Number(
        (
          await db.readForOrg(orgId, (tx) =>
            tx
              .selectFrom('campaign_contacts')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('blocked_reason', '=', 'registered_in_register')
              .executeTakeFirstOrThrow(),
          )
        ).n,
      );
      expect(pending).toBeGreaterThan(10);
      expect(registered).toBeGreaterThan(0);
      const window = await db.readForOrg(orgId, (tx) =>
        tx.selectFrom('calling_windows').selectAll().executeTakeFirstOrThrow(),
      );
      expect(window.time_zone).toBe('Europe/Rome');
    }

    const simulated = configuration.operators.filter((op) => op.attributes.simulated === true);
    expect(simulated).toHaveLength(SIMULATED_OPERATOR_COUNT);
    // Some serve one organization, some both; every one can take the donor-care queue's calls or its overflow.
    expect(new Set(simulated.map((op) => op.organizationIds.length))).toEqual(new Set([1, 2]));
    for (const op of simulated) expect(op.skills.lang_it).toBeGreaterThanOrEqual(5);
    const people = configuration.operators.filter((op) => op.attributes.simulated !== true);
    expect(people).toHaveLength(DEMO_REAL_OPERATORS.length);
    for (const op of people) expect(op.skills).toEqual({ donor_care: 7, lang_en: 6, lang_it: 9 });
  });

  it('runs live: simulated operators answer the callers and close the contacts with dispositions', async () => {
    const clock = createManualClock({ start: MONDAY_10_ROME });
    const hub = createRealtimeHub();
    const problems: unknown[] = [];
    const center = await createSimulatedCenter({
      db,
      logger: { info() {}, warn: (o: unknown) => problems.push(o), error: (o: unknown) => problems.push(o) },
      speed: 10,
      seed: 5,
      callsPerHour: 0,
      traffic: await demoLiveTraffic({ db }),
      clock,
      // As `npm start` runs it: a conversion's IBAN is sealed.
      secrets: testSecrets,
    });
    expect(center.summary).toMatchObject({ numbers: 6, simulatedOperators: 20, people: 2 });
    const runtime = center.runtime({ hub });
    await runtime.start();
    try {
      await advanceLive(clock, runtime, MONDAY_10_ROME + 10 * MINUTE);
      const states = new Set(runtime.operators().map((op) => op.state));
      // People (the two real logins) are logged out; the simulated ones are working.
      expect(states.has('offline')).toBe(true);
      expect([...states].filter((s) => s !== 'offline').length).toBeGreaterThanOrEqual(2);
      const answered = orgIds.reduce(
        (sum, orgId) => sum + runtime.queues(orgId).reduce((s, q) => s + q.answeredToday, 0),
        0,
      );
      expect(answered).toBeGreaterThan(10);
    } finally {
      await runtime.stop();
      await center.close();
    }
    const rows = await db.asCenter((tx) =>
      tx
        .selectFrom('interactions')
        .select(['operator_id', 'answered_at', 'disposition', 'end_cause', 'queue_id', 'org_id', 'direction'])
        .execute(),
    );
    const simulatedIds = new Set(
      (await loadRuntimeConfiguration({ db })).operators
        .filter((op) => op.attributes.simulated === true)
        .map((op) => op.userId),
    );
    const closed = rows.filter((row) => row.disposition !== null);
    expect(closed.length).toBeGreaterThan(5);
    for (const row of closed) {
      expect(simulatedIds.has(row.operator_id!)).toBe(true);
      expect(row.answered_at).not.toBeNull();
      expect(row.end_cause).not.toBeNull();
    }
    // Both organizations' lines were answered, with the demo's inbound dispositions among the outcomes.
    expect(new Set(closed.map((row) => row.org_id))).toEqual(new Set(orgIds));
    expect(new Set(closed.map((row) => row.disposition)).size).toBeGreaterThan(1);
    // The campaigns dial too, and every outcome form the simulated operators filled in was accepted.
    expect(rows.filter((row) => row.direction === 'outbound').length).toBeGreaterThan(0);
    const dialed = await db.asCenter((tx) =>
      tx
        .selectFrom('interactions')
        .innerJoin('campaigns', 'campaigns.id', 'interactions.campaign_id')
        .select([
          'campaigns.cycle_type',
          'interactions.disposition',
          'interactions.org_id',
          'interactions.dialed_at',
        ])
        .execute(),
    );
    // The campaigns share the outbound queue's operators in turns (one priority, dialer.ts), so
    // every cycle of each organization dials in the run's first minutes.
    for (const orgId of orgIds) {
      const own = dialed.filter((row) => row.org_id === orgId && row.dialed_at !== null);
      expect(new Set(own.map((row) => row.cycle_type))).toEqual(new Set(CYCLE_TYPES));
    }
    const offered = new Map<string, Set<string>>();
    for (const orgId of orgIds)
      for (const d of await db.readForOrg(orgId, (tx) =>
        tx.selectFrom('dispositions').select(['code', 'cycle_type']).execute(),
      ))
        if (d.cycle_type !== null)
          offered.set(d.code, new Set([...(offered.get(d.code) ?? []), d.cycle_type]));
    // An outcome of a cycle's own (a pledge, a survey answer) is recorded only in its cycle.
    for (const row of dialed)
      if (row.disposition !== null && offered.has(row.disposition))
        expect(offered.get(row.disposition)!.has(row.cycle_type), row.disposition).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('demo calendar', () => {
  it('finds Easter and the Italian national holidays', () => {
    // Easter Sundays from the Roman calendar: 2026-04-05, 2027-03-28, 2028-04-16.
    expect(easterSunday(2026)).toEqual([4, 5]);
    expect(easterSunday(2027)).toEqual([3, 28]);
    expect(easterSunday(2028)).toEqual([4, 16]);
    const holidays = italianHolidays([2026]);
    expect(holidays).toHaveLength(11);
    expect(holidays).toContain('2026-04-06'); // Pasquetta
    expect(holidays).toContain('2026-06-02'); // Festa della Repubblica
  });

  it('starts the simulated day at the next opening of the toll-free line when it is closed', async () => {
    const configuration = await loadRuntimeConfiguration({ db });
    // Open on a Monday at 10:00: now.
    expect(demoClockStart(configuration, MONDAY_10_ROME)).toBe(MONDAY_10_ROME);
    // Sunday 1 March 2026 at 15:00 in Rome: the next opening is Monday at 09:00 (08:00 UTC).
    expect(demoClockStart(configuration, Date.UTC(2026, 2, 1, 14))).toBe(Date.UTC(2026, 2, 2, 8));
    // Christmas Eve 2026 (Thursday) 21:00: Christmas and Santo Stefano closed, Sunday too: Monday 28 at 09:00.
    expect(demoClockStart(configuration, Date.UTC(2026, 11, 24, 20))).toBe(Date.UTC(2026, 11, 28, 8));
  });
});
