import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/test-database.ts';
import { createOrganization } from '../modules/organizations/organizations.service.ts';
import type { Database } from './database.ts';
import { analyzeDatabase } from './statistics.ts';

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('planner statistics', () => {
  it('are gathered for tenant tables by the application role', async () => {
    const org = await createOrganization({ db, principal: null, slug: 'stats', name: 'Stats' });
    await db.forOrg(org.id, (tx) =>
      sql`insert into supporters (org_id, last_name) select ${org.id}::uuid, 'N' || g from generate_series(1, 500) g`.execute(
        tx,
      ),
    );
    await analyzeDatabase(db);
    const rows = await db.asCenter(async (tx) => {
      const result = await sql<{ reltuples: number }>`
        select reltuples from pg_class where relname = 'supporters' and relnamespace = current_schema()::regnamespace`.execute(
        tx,
      );
      return result.rows[0]!.reltuples;
    });
    expect(Number(rows)).toBe(500);
  });
});
