// Tenant isolation is enforced by PostgreSQL itself: these tests run SQL that
// "forgets" the org_id filter and show that row-level security still confines
// it to the organization of the unit of work. They run on PGlite and, in CI,
// on a PostgreSQL server (CENTRALINO_TEST_DATABASE_URL).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind } from '../../test/test-database.ts';
import type { Database } from './database.ts';

let db: Database;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  db = await openTestDatabase();
  const ids = await db.asCenter(async (tx) => {
    const rows = await tx
      .insertInto('organizations')
      .values([
        { slug: 'alpha', name: 'Alpha' },
        { slug: 'beta', name: 'Beta' },
      ])
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  });
  orgA = ids[0]!;
  orgB = ids[1]!;
  await db.asCenter(async (tx) => {
    await tx
      .insertInto('audit_events')
      .values([
        { org_id: orgA, actor_kind: 'system', action: 'a.one' },
        { org_id: orgA, actor_kind: 'system', action: 'a.two' },
        { org_id: orgB, actor_kind: 'system', action: 'b.one' },
      ])
      .execute();
  });
  for (const [org, prefix] of [
    [orgA, 'pfxalpha'],
    [orgB, 'pfxbeta0'],
  ] as const) {
    await db.forOrg(org, (tx) =>
      tx.insertInto('api_keys').values({ org_id: org, name: 'k', prefix, key_hash: 'h' }).execute(),
    );
  }
});

afterAll(async () => {
  await db.close();
});

describe(`row-level security on ${testDatabaseKind}`, () => {
  it('connects as a role that neither is a superuser nor bypasses RLS', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
      select rolsuper, rolbypassrls from pg_roles where rolname = current_user`.execute(db.kysely);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('a query without an org filter reads only the current organization', async () => {
    const actions = await db.forOrg(orgA, (tx) => tx.selectFrom('audit_events').select('action').execute());
    expect(actions.map((r) => r.action).sort()).toEqual(['a.one', 'a.two']);
    const orgs = await db.forOrg(orgA, (tx) => tx.selectFrom('organizations').select('id').execute());
    expect(orgs.map((r) => r.id)).toEqual([orgA]);
    const keys = await db.forOrg(orgB, (tx) => tx.selectFrom('api_keys').select('prefix').execute());
    expect(keys.map((r) => r.prefix)).toEqual(['pfxbeta0']);
  });

  it('an update or delete without an org filter touches only the current organization', async () => {
    const updated = await db.forOrg(orgA, (tx) =>
      tx.updateTable('api_keys').set({ name: 'renamed' }).executeTakeFirst(),
    );
    expect(updated.numUpdatedRows).toBe(1n);
    const deleted = await db.forOrg(orgA, (tx) =>
      tx.deleteFrom('audit_events').where('action', 'like', 'b.%').executeTakeFirst(),
    );
    expect(deleted.numDeletedRows).toBe(0n);
    const beta = await db.forOrg(orgB, (tx) => tx.selectFrom('api_keys').select('name').execute());
    expect(beta).toEqual([{ name: 'k' }]);
  });

  it('cannot write a row into another organization', async () => {
    await expect(
      db.forOrg(orgA, (tx) =>
        tx
          .insertInto('audit_events')
          .values({ org_id: orgB, actor_kind: 'system', action: 'intrusion' })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      db.forOrg(orgA, (tx) => tx.updateTable('api_keys').set({ org_id: orgB }).execute()),
    ).rejects.toThrow(/row-level security/);
  });

  it('without a tenant context no tenant row is visible, and accounts stay hidden from tenants', async () => {
    const none = await db.kysely.selectFrom('audit_events').select('id').execute();
    expect(none).toEqual([]);
    const users = await db.forOrg(orgA, (tx) => tx.selectFrom('users').select('id').execute());
    expect(users).toEqual([]);
  });

  it('the context ends with the transaction, even after a failed one', async () => {
    await expect(
      db.forOrg(orgA, async (tx) => {
        await tx.selectFrom('audit_events').select('id').execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await db.kysely.selectFrom('organizations').select('id').execute();
    expect(after).toEqual([]);
    const setting = await sql<{
      org: string | null;
    }>`select current_setting('app.org_id', true) as org`.execute(db.kysely);
    expect(setting.rows[0]?.org ?? '').toBe('');
  });

  it('concurrent units of work for different organizations do not see each other', async () => {
    const reads = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const org = i % 2 === 0 ? orgA : orgB;
        return db.forOrg(org, async (tx) => {
          const rows = await tx.selectFrom('organizations').select('id').execute();
          return rows.map((r) => r.id).join() === org;
        });
      }),
    );
    expect(reads.every(Boolean)).toBe(true);
  });

  it('a read-only unit sees only its organization and refuses writes', async () => {
    const actions = await db.readForOrg(orgB, (tx) =>
      tx.selectFrom('audit_events').select('action').execute(),
    );
    expect(actions.map((r) => r.action)).toEqual(['b.one']);
    await expect(
      db.readForOrg(orgA, (tx) => tx.updateTable('api_keys').set({ name: 'nope' }).execute()),
    ).rejects.toThrow(/read-only transaction/);
  });

  it('read-only units that end without waiting never leak context to the next unit on the connection', async () => {
    // One connection: every unit reuses the previous unit's connection, whose
    // read-only transaction may still be ending.
    const single = await openTestDatabase({ poolSize: 1 });
    try {
      const [a, b] = await single.asCenter(async (tx) => {
        const rows = await tx
          .insertInto('organizations')
          .values([
            { slug: 'gamma', name: 'Gamma' },
            { slug: 'delta', name: 'Delta' },
          ])
          .returning('id')
          .execute();
        return rows.map((row) => row.id);
      });
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) {
        const org = i % 2 === 0 ? a! : b!;
        const rows = await single.readForOrg(org, (tx) =>
          tx.selectFrom('organizations').select('id').execute(),
        );
        seen.push(rows.map((r) => r.id).join() === org ? 'ok' : `leak at ${i}`);
        if (i % 5 === 4) {
          // A write unit right after a read-only one must not be swallowed by its transaction.
          await single.forOrg(org, (tx) =>
            tx
              .insertInto('audit_events')
              .values({ org_id: org, actor_kind: 'system', action: `w${i}` })
              .execute(),
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen.every((s) => s === 'ok')).toBe(true);
      const written = await single.readForOrg(a!, (tx) =>
        tx.selectFrom('audit_events').select('action').execute(),
      );
      expect(written.map((r) => r.action).sort()).toEqual(['w14', 'w24', 'w4']);
      const outside = await single.kysely.selectFrom('organizations').select('id').execute();
      expect(outside).toEqual([]);
    } finally {
      await single.close();
    }
  });

  it('rejects an organization id that is not a UUID before reaching SQL', async () => {
    await expect(db.forOrg("x', true); drop table users; --", async () => 1)).rejects.toThrow(/UUID/);
  });
});

describe(`every table on ${testDatabaseKind}`, () => {
  it('has row-level security enabled and forced (the table owner is no exception)', async () => {
    const tables = await db.asCenter(async (tx) => {
      const result = await sql<{ name: string; enabled: boolean; forced: boolean }>`
        select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
        from pg_class c
        where c.relkind in ('r', 'p') and c.relnamespace = current_schema()::regnamespace
          and c.relname <> 'schema_migrations'
        order by c.relname`.execute(tx);
      return result.rows;
    });
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.filter((t) => !t.enabled || !t.forced).map((t) => t.name)).toEqual([]);
  });

  it('keeps supporters of one organization invisible to another, even when a query forgets the filter', async () => {
    await db.forOrg(orgA, (tx) =>
      tx.insertInto('supporters').values({ org_id: orgA, first_name: 'Maria', last_name: 'Rossi' }).execute(),
    );
    const seenByB = await db.readForOrg(orgB, (tx) => tx.selectFrom('supporters').select('id').execute());
    expect(seenByB).toEqual([]);
    await expect(
      db.forOrg(orgB, (tx) =>
        tx.insertInto('supporters').values({ org_id: orgA, first_name: 'Intruso', last_name: 'X' }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("refuses a phone, e-mail or consent of one organization on another organization's supporter", async () => {
    // Foreign-key checks bypass row-level security: only the composite key
    // (org_id, supporter_id) stops a child row from crossing organizations.
    const supporter = await db.forOrg(orgA, (tx) =>
      tx
        .insertInto('supporters')
        .values({ org_id: orgA, first_name: 'Anna', last_name: 'Bianchi' })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    await expect(
      db.forOrg(orgB, (tx) =>
        tx
          .insertInto('supporter_phones')
          .values({ org_id: orgB, supporter_id: supporter.id, number: '+393471234567', valid: true })
          .execute(),
      ),
    ).rejects.toThrow(/foreign key/);
    await expect(
      db.forOrg(orgB, (tx) =>
        tx
          .insertInto('consent_events')
          .values({
            org_id: orgB,
            supporter_id: supporter.id,
            channel: 'phone',
            purpose: 'fundraising',
            granted: true,
            source: 'test',
            recorded_at: new Date(),
          })
          .execute(),
      ),
    ).rejects.toThrow(/foreign key/);
  });
});
