// What 0007_live_center.sql itself guarantees, whatever the code above it does:
// rows cannot point across organizations, the operators' tables are the
// center's alone, and a merge of two supporters takes their interactions,
// callbacks and call-list rows along (and an undo brings them back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedPeople, type TestApp } from '../../../test/test-app.ts';
import { mergeSupporters, undoMerge } from '../dedupe/merges.service.ts';

let t: TestApp;
let alpha: string;
let beta: string;
let operatorId: string;

const supporter = (orgId: string, lastName: string) =>
  t.db.forOrg(orgId, (tx) =>
    tx
      .insertInto('supporters')
      .values({ org_id: orgId, last_name: lastName })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => row.id),
  );

beforeAll(async () => {
  t = await createTestApp();
  const people = await seedPeople(t.db);
  alpha = people.alpha.id;
  beta = people.beta.id;
  operatorId = await t.db.asCenter((tx) =>
    tx
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'operator@example.test')
      .executeTakeFirstOrThrow()
      .then((row) => row.id),
  );
});
afterAll(() => t.close());

describe('0007_live_center.sql', () => {
  it("refuses an interaction of one organization on another organization's supporter or queue", async () => {
    const betaSupporter = await supporter(beta, 'Beta');
    const betaQueue = await t.db.forOrg(beta, (tx) =>
      tx
        .insertInto('queues')
        .values({ org_id: beta, key: 'care', name: 'Care' })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    await expect(
      t.db.forOrg(alpha, (tx) =>
        tx
          .insertInto('interactions')
          .values({ org_id: alpha, direction: 'inbound', supporter_id: betaSupporter })
          .execute(),
      ),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      t.db.forOrg(alpha, (tx) =>
        tx
          .insertInto('interactions')
          .values({ org_id: alpha, direction: 'inbound', queue_id: betaQueue.id })
          .execute(),
      ),
    ).rejects.toMatchObject({ code: '23503' });
  });

  it('keeps operator skills, profiles and agent-state intervals out of tenant units of work', async () => {
    await t.db.asCenter(async (tx) => {
      await tx.insertInto('skills').values({ org_id: null, key: 'storage_test', label: 'S' }).execute();
      await tx
        .insertInto('operator_skills')
        .values({ user_id: operatorId, skill_key: 'storage_test', level: 4 })
        .execute();
      await tx.insertInto('operator_profiles').values({ user_id: operatorId }).execute();
      await tx
        .insertInto('agent_state_intervals')
        .values({ user_id: operatorId, org_id: alpha, state: 'available', started_at: new Date() })
        .execute();
    });
    const seen = await t.db.forOrg(alpha, async (tx) => [
      (await tx.selectFrom('operator_skills').selectAll().execute()).length,
      (await tx.selectFrom('operator_profiles').selectAll().execute()).length,
      (await tx.selectFrom('agent_state_intervals').selectAll().execute()).length,
      // The center-wide skill itself is readable by every organization.
      (await tx.selectFrom('skills').selectAll().where('key', '=', 'storage_test').execute()).length,
    ]);
    expect(seen).toEqual([0, 0, 0, 1]);
    await expect(
      t.db.forOrg(alpha, (tx) =>
        tx
          .insertInto('agent_state_intervals')
          .values({ user_id: operatorId, org_id: alpha, state: 'busy', started_at: new Date() })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('an interaction is open until its end cause is recorded, and then needs its end', async () => {
    await expect(
      t.db.forOrg(alpha, (tx) =>
        tx
          .insertInto('interactions')
          .values({ org_id: alpha, direction: 'inbound', end_cause: 'completed' })
          .execute(),
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('a merge moves interactions, callbacks and call-list rows, and an undo moves them back', async () => {
    const kept = await supporter(alpha, 'Kept');
    const merged = await supporter(alpha, 'Merged');
    const rows = await t.db.forOrg(alpha, async (tx) => {
      const queue = await tx
        .insertInto('queues')
        .values({ org_id: alpha, key: 'merge-test', name: 'Merge' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const [both, onlyMerged] = await tx
        .insertInto('campaigns')
        .values([
          { org_id: alpha, name: 'Both', cycle_type: 'welcome' },
          { org_id: alpha, name: 'Only merged', cycle_type: 'upgrade' },
        ])
        .returning('id')
        .execute();
      const contacts = await tx
        .insertInto('campaign_contacts')
        .values([
          { org_id: alpha, campaign_id: both!.id, supporter_id: kept, phone: '+393471111111' },
          { org_id: alpha, campaign_id: both!.id, supporter_id: merged, phone: '+393472222222' },
          { org_id: alpha, campaign_id: onlyMerged!.id, supporter_id: merged, phone: '+393472222222' },
        ])
        .returning('id')
        .execute();
      const interaction = await tx
        .insertInto('interactions')
        .values({ org_id: alpha, direction: 'inbound', supporter_id: merged, queue_id: queue.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      const callback = await tx
        .insertInto('callbacks')
        .values({
          org_id: alpha,
          supporter_id: merged,
          phone: '+393472222222',
          queue_id: queue.id,
          due_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { contacts: contacts.map((c) => c.id), interaction: interaction.id, callback: callback.id };
    });
    const owners = () =>
      t.db.forOrg(alpha, async (tx) => ({
        contacts: (
          await tx
            .selectFrom('campaign_contacts')
            .select(['id', 'supporter_id'])
            .where('id', 'in', rows.contacts)
            .execute()
        )
          .sort((a, b) => rows.contacts.indexOf(a.id) - rows.contacts.indexOf(b.id))
          .map((c) => c.supporter_id),
        interaction: (
          await tx
            .selectFrom('interactions')
            .select('supporter_id')
            .where('id', '=', rows.interaction)
            .executeTakeFirstOrThrow()
        ).supporter_id,
        callback: (
          await tx
            .selectFrom('callbacks')
            .select('supporter_id')
            .where('id', '=', rows.callback)
            .executeTakeFirstOrThrow()
        ).supporter_id,
      }));
    const merge = await mergeSupporters({
      db: t.db,
      principal: null,
      orgId: alpha,
      keptId: kept,
      mergedId: merged,
    });
    // The contact in a campaign both are in stays with the merged record (a list has a supporter once).
    expect(await owners()).toEqual({ contacts: [kept, merged, kept], interaction: kept, callback: kept });
    expect(merge.moved).toMatchObject({ interactions: 1, callbacks: 1, campaignContacts: 1 });
    expect(merge.skipped).toMatchObject({ campaignContacts: 1 });
    await undoMerge({ db: t.db, principal: null, orgId: alpha, mergeId: merge.id });
    expect(await owners()).toEqual({
      contacts: [kept, merged, merged],
      interaction: merged,
      callback: merged,
    });
  });
});
