// Search terms are derived rows (0003, 0005) with no foreign key since 0012:
// these tests hold the triggers to what the key guaranteed. An import's terms
// are the ones a row-by-row insert writes; deleting a supporter, in its
// organization or by deleting the organization from the center, leaves no
// term behind and touches no other organization's. PGlite and PostgreSQL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../../test/test-app.ts';
import { openTestDatabase, testDatabaseKind } from '../../../test/test-database.ts';
import type { Database, Tx } from '../../db/database.ts';
import { timeOrderedId } from '../../db/time-ordered-id.ts';
import { runImport } from '../imports/import.service.ts';
import { createOrganization } from '../organizations/organizations.service.ts';

let db: Database;
let alpha: string;
let beta: string;
let gamma: string;
const dir = mkdtempSync(join(tmpdir(), 'centralino-terms-'));

const CSV = [
  'Codice;Nome;Cognome;Codice fiscale;E-mail;Cellulare',
  'A1;Mario;Rossi;RSSMRA80A01H501U;mario.rossi@example.it;347 123 4567',
  'A2;Maria Grazia;De Luca;;mg.deluca@example.it;+39 333 765 4321',
  'A3;Giuseppe;Verdi;;;06 1234567',
  'A4;;Bianchi;;bianchi@example.it;',
  // Same person as A1 by fiscal code: merged into it in the same batch.
  ';Mario;Rossi;RSSMRA80A01H501U;m.rossi@example.it;',
].join('\r\n');

type Term = {
  term: string;
  kind: string;
  last_name: string;
  first_name: string;
  words: string;
  name: string;
};

/** Terms of an organization, keyed by the supporter's full name instead of its id (ids differ between orgs). */
const termsOf = (orgId: string) =>
  db.readForOrg(orgId, async (tx) => {
    const { rows } = await sql<Term>`
      select t.term, t.kind, t.last_name, t.first_name, t.words, s.first_name || ' ' || s.last_name as name
      from supporter_search_terms t join supporters s on s.id = t.supporter_id
      order by name, t.kind, t.term`.execute(tx);
    return rows;
  });

const termCount = (orgId: string) =>
  db.readForOrg(orgId, async (tx) => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from supporter_search_terms`.execute(
      tx,
    );
    return rows[0]!.n;
  });

const orphanCount = (orgId: string) =>
  db.readForOrg(orgId, async (tx) => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from supporter_search_terms t
      where not exists (select from supporters s where s.id = t.supporter_id)`.execute(tx);
    return rows[0]!.n;
  });

beforeAll(async () => {
  db = await openTestDatabase();
  alpha = (await createOrganization({ db, principal: null, slug: 'alpha', name: 'Alpha' })).id;
  beta = (await createOrganization({ db, principal: null, slug: 'beta', name: 'Beta' })).id;
  gamma = (await createOrganization({ db, principal: null, slug: 'gamma', name: 'Gamma' })).id;
  const path = join(dir, 'supporters.csv');
  writeFileSync(path, `${CSV}\r\n`);
  for (const orgId of [alpha, gamma]) {
    const summary = await runImport({
      db,
      secrets: testSecrets,
      orgId,
      kind: 'supporters',
      path,
      actor: 'test',
    });
    expect(summary).toMatchObject({ created: 4, updated: 1, rejected: 0 });
  }
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`search terms without a foreign key on ${testDatabaseKind}`, () => {
  it('an import writes exactly the terms a row-by-row insert of the same supporters writes', async () => {
    const imported = await db.readForOrg(alpha, async (tx) => {
      const { rows } = await sql<{
        first_name: string;
        last_name: string;
        fiscal_code: string | null;
        search_text: string;
      }>`select first_name, last_name, fiscal_code, search_text from supporters order by last_name`.execute(
        tx,
      );
      return rows;
    });
    expect(imported).toHaveLength(4);
    // One statement per supporter into another organization.
    for (const s of imported) {
      await db.forOrg(beta, (tx: Tx) =>
        sql`insert into supporters (id, org_id, first_name, last_name, fiscal_code, search_text)
            values (${timeOrderedId()}, ${beta}, ${s.first_name}, ${s.last_name}, ${s.fiscal_code}, ${s.search_text})`.execute(
          tx,
        ),
      );
    }
    const fromImport = await termsOf(alpha);
    expect(fromImport.length).toBeGreaterThan(20);
    expect(fromImport.map((t) => t.kind)).toEqual(expect.arrayContaining(['name', 'key', 'head', 'pair']));
    expect(await termsOf(beta)).toEqual(fromImport);
    // And they are what the SQL function derives from each supporter's search text.
    const derived = await db.readForOrg(alpha, async (tx) => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from (
          select s.id, t.term, t.kind from supporters s cross join lateral supporter_search_terms_of(s.search_text) t
          except
          select supporter_id, term, kind from supporter_search_terms) missing`.execute(tx);
      return rows[0]!.n;
    });
    expect(derived).toBe(0);
  });

  it("deleting supporters in an organization removes their terms and no other organization's", async () => {
    const gammaBefore = await termCount(gamma);
    expect(gammaBefore).toBeGreaterThan(0);
    const alphaBefore = await termCount(alpha);
    await db.forOrg(alpha, (tx) => tx.deleteFrom('supporters').where('last_name', '=', 'Verdi').execute());
    const alphaAfter = await termCount(alpha);
    expect(alphaAfter).toBeGreaterThan(0);
    expect(alphaAfter).toBeLessThan(alphaBefore);
    expect(await orphanCount(alpha)).toBe(0);
    // No filter at all: row-level security confines the delete, and so its terms.
    const setting = await db.forOrg(alpha, async (tx) => {
      await tx.deleteFrom('supporters').execute();
      const { rows } = await sql<{ org: string }>`select current_setting('app.org_id') as org`.execute(tx);
      return rows[0]!.org;
    });
    expect(setting).toBe(alpha);
    expect(await termCount(alpha)).toBe(0);
    expect(await termCount(gamma)).toBe(gammaBefore);
    expect(await orphanCount(gamma)).toBe(0);
  });

  it("deleting an organization from the center removes its supporters' terms (and restores the scope)", async () => {
    const betaBefore = await termCount(beta);
    expect(betaBefore).toBeGreaterThan(0);
    const gammaBefore = await termCount(gamma);
    const setting = await db.asCenter(async (tx) => {
      await tx.deleteFrom('organizations').where('id', '=', gamma).execute();
      const { rows } = await sql<{ org: string; scope: string }>`
        select current_setting('app.org_id') as org, current_setting('app.scope') as scope`.execute(tx);
      return rows[0]!;
    });
    expect(setting).toEqual({ org: '', scope: 'center' });
    expect(gammaBefore).toBeGreaterThan(0);
    expect(await termCount(gamma)).toBe(0);
    expect(await termCount(beta)).toBe(betaBefore);
  });
});
