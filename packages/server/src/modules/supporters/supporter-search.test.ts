// Supporter search through the API: every query word is a prefix of one of the
// supporter's terms (supporter_search_terms, kept by PostgreSQL's triggers).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestKit, createCrmTestKit, type Json } from './crm-test-kit.ts';

// Valid codici fiscali (check characters from the engine's fiscalCodeCheckCharacter).
const MARIO_CF = 'RSSMRA80A01H501U';

let k: CrmTestKit;
const ids: Record<string, string> = {};

async function create(org: string, key: string, payload: object) {
  const response = await k.call({ method: 'POST', url: `/api/organizations/${org}/supporters`, payload });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  ids[key] = response.body.id;
  return response.body;
}

async function search(q: string, org = k.alpha, extra = ''): Promise<{ names: string[]; body: Json }> {
  const response = await k.call({
    method: 'GET',
    url: `/api/organizations/${org}/supporters?q=${encodeURIComponent(q)}${extra}`,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return {
    names: response.body.items.map(
      (s: { firstName: string; lastName: string }) => `${s.lastName} ${s.firstName}`,
    ),
    body: response.body,
  };
}
const names = async (q: string, org = k.alpha) => (await search(q, org)).names;

beforeAll(async () => {
  k = await createCrmTestKit();
  await create(k.alpha, 'mario', {
    firstName: 'Mario',
    lastName: 'Rossi',
    fiscalCode: MARIO_CF,
    phones: [{ number: '+39 347 123 4567' }, { number: '06 9876 5432' }],
    emails: [{ email: 'mario.rossi@example.it' }],
  });
  await create(k.alpha, 'maria', { firstName: 'Maria', lastName: 'Rossini' });
  await create(k.alpha, 'grossi', { firstName: 'Anna', lastName: 'Grossi' });
  await create(k.alpha, 'nicolo', {
    firstName: 'Nicolò',
    lastName: "D'Àngelo",
    emails: [{ email: 'n.dangelo@example.org' }],
  });
  await create(k.alpha, 'merged', {
    firstName: 'Mario',
    lastName: 'Rossi',
    emails: [{ email: 'old@example.it' }],
  });
  // Another organization's Rossi, same phone: never in the first one's answers.
  await create(k.beta, 'betaRossi', {
    firstName: 'Mario',
    lastName: 'Rossi',
    phones: [{ number: '+39 347 123 4567' }],
  });
  await k.db.forOrg(k.alpha, (tx) =>
    tx.updateTable('supporters').set({ merged_into: ids.mario! }).where('id', '=', ids.merged!).execute(),
  );
});
afterAll(() => k.close());

describe('supporter search by prefix words', () => {
  it.each([
    ['ross', ['Rossi Mario', 'Rossini Maria']],
    ['rossi', ['Rossi Mario', 'Rossini Maria']],
    ['rossin', ['Rossini Maria']],
    ['grossi', ['Grossi Anna']],
    ['mari', ['Rossi Mario', 'Rossini Maria']],
    ['mario', ['Rossi Mario']],
  ])('a word is a prefix, not a substring: %j finds %j', async (q, expected) => {
    expect(await names(q)).toEqual(expected);
  });

  it.each([
    ['mario rossi'],
    ['Rossi Mario'],
    ['ross mario'],
    ['mar mario ross rossi'],
    ['ROSSI   mario.rossi@'],
    ['rssmra mario'],
  ])('several words in any order, all must match: %j', async (q) => {
    expect(await names(q)).toEqual(['Rossi Mario']);
  });

  it('a word that matches nothing, or only another supporter, finds nobody', async () => {
    expect(await names('mario rossini')).toEqual([]);
    expect(await names('maria rossi')).toEqual(['Rossini Maria']);
    expect(await names('ross mar')).toEqual(['Rossi Mario', 'Rossini Maria']);
    expect(await names('rossi zzz')).toEqual([]);
  });

  it.each([
    ['+39 347 123 4567'],
    ['+393471234567'],
    ['0039 347 1234567'],
    ['393471234567'],
    ['3471234567'],
    ['347 123 4567'],
    ['347/123'],
    ['347 123'],
    ['347123'],
    ['06 9876 5432'],
    ['+39 06 98765432'],
  ])('phone %j (with or without +39, spaces, a prefix)', async (q) => {
    expect(await names(q)).toEqual(['Rossi Mario']);
  });

  it.each([
    ['mario.rossi@example.it', ['Rossi Mario']],
    ['MARIO.ROSSI@EXAMPLE.IT', ['Rossi Mario']],
    ['mario.rossi', ['Rossi Mario']],
    ['mario.rossi@ex', ['Rossi Mario']],
    ['n.dangelo', ["D'Àngelo Nicolò"]],
    ['example.it', []],
  ])('e-mail %j finds %j (the address starts with the word)', async (q, expected) => {
    expect(await names(q)).toEqual(expected);
  });

  it.each([[MARIO_CF], [MARIO_CF.toLowerCase()], ['RSSMRA80'], ['rssmra']])('fiscal code %j', async (q) => {
    expect(await names(q)).toEqual(['Rossi Mario']);
  });

  it.each([["d'angelo"], ['DANGELO'], ['d’àngelo nicolò'], ["NICOLO'"], ['nicolo dang']])(
    'accents and apostrophes do not matter: %j',
    async (q) => {
      expect(await names(q)).toEqual(["D'Àngelo Nicolò"]);
    },
  );

  it('never finds a merged supporter, and finds it again when the merge is undone', async () => {
    expect(await names('old@example.it')).toEqual([]);
    expect(await names('rossi mario')).toEqual(['Rossi Mario']);
    await k.db.forOrg(k.alpha, (tx) =>
      tx.updateTable('supporters').set({ merged_into: null }).where('id', '=', ids.merged!).execute(),
    );
    expect(await names('old@example.it')).toEqual(['Rossi Mario']);
    await k.db.forOrg(k.alpha, (tx) =>
      tx.updateTable('supporters').set({ merged_into: ids.mario! }).where('id', '=', ids.merged!).execute(),
    );
    expect(await names('old@example.it')).toEqual([]);
  });

  it("never finds another organization's supporters", async () => {
    const inAlpha = await search('347 123 4567');
    expect(inAlpha.body.items.map((s: { id: string }) => s.id)).toEqual([ids.mario]);
    const inBeta = await search('347 123 4567', k.beta);
    expect(inBeta.body.items.map((s: { id: string }) => s.id)).toEqual([ids.betaRossi]);
    const terms = await k.db.readForOrg(k.beta, (tx) =>
      tx.selectFrom('supporter_search_terms').select(['supporter_id', 'org_id']).execute(),
    );
    expect(new Set(terms.map((t) => t.supporter_id))).toEqual(new Set([ids.betaRossi]));
  });

  it('follows a change: found by the new name and not by the old one', async () => {
    const created = await create(k.alpha, 'renamed', { firstName: 'Ugo', lastName: 'Tognazzi' });
    expect(await names('tognazzi')).toEqual(['Tognazzi Ugo']);
    const changed = await k.call({
      method: 'PATCH',
      url: `/api/organizations/${k.alpha}/supporters/${created.id}`,
      payload: { version: created.version, lastName: 'Gassman', firstName: 'Vittorio' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(await names('tognazzi')).toEqual([]);
    expect(await names('ugo')).toEqual([]);
    expect(await names('gassman vitt')).toEqual(['Gassman Vittorio']);
  });

  it('pages through many matches in list order, with more distinct words than it reads one by one', async () => {
    // 70 different surnames under one prefix ("zz…"): more than the 64 words
    // read a page each, so the search reads all matches instead.
    const surnames = Array.from(
      { length: 70 },
      (_, i) => `Zz${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`,
    );
    await k.db.forOrg(k.alpha, (tx) =>
      sql`insert into supporters (org_id, first_name, last_name, search_text)
          select ${k.alpha}::uuid, 'Pia', s, lower(s) || ' pia' from unnest(${surnames}::text[]) s`.execute(
        tx,
      ),
    );
    const all = [...surnames].sort().map((s) => `${s} Pia`);
    for (const [q, limit] of [
      ['zz', 30],
      ['pia zz', 50],
      ['zzc', 3],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { names: string[]; body: Json } = await search(
          q,
          k.alpha,
          `&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.names.length).toBeLessThanOrEqual(limit);
        seen.push(...page.names);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen, q).toEqual(all.filter((name) => name.toLowerCase().startsWith(q.replace('pia ', ''))));
    }
  });

  it('pages through a frequent word across several name words and e-mails without repeats', async () => {
    const payloads = Array.from({ length: 9 }, (_, i) => ({
      firstName: ['Luca', 'Lucia', 'Luciano'][i % 3]!,
      lastName: `Bianchi${'ni'.repeat(i % 2)}`,
      emails: [{ email: `luca.bianchi${i}@example.it` }],
    }));
    for (const [i, payload] of payloads.entries()) await create(k.alpha, `luca${i}`, payload);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { names: string[]; body: Json } = await search(
        'luc bianchi',
        k.alpha,
        `&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.body.items.map((s: { id: string }) => s.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
  });

  it('tests the other words on every term, also past the 2,000 characters kept with each term', async () => {
    const tail = Array.from({ length: 400 }, (_, i) => `w${i}x`).join(' ');
    await k.db.forOrg(k.alpha, (tx) =>
      sql`insert into supporters (org_id, first_name, last_name, search_text)
          values (${k.alpha}::uuid, 'Lunga', 'Lista', ${`lista lunga | ${tail} | ultimoindirizzo@example.it`})`.execute(
        tx,
      ),
    );
    const kept = await k.db.readForOrg(k.alpha, (tx) =>
      sql<{ words: string }>`select words from supporter_search_terms where term = 'lista'`.execute(tx),
    );
    expect(kept.rows[0]!.words).toHaveLength(2000);
    expect(kept.rows[0]!.words).not.toContain('w399x');
    expect(await names('lista w399x')).toEqual(['Lista Lunga']);
    expect(await names('ultimoind w399x lunga')).toEqual(['Lista Lunga']);
    expect(await names('lista w400x')).toEqual([]);
  });

  it('builds the terms of every row of a many-row insert (statement-level trigger)', async () => {
    await k.db.forOrg(k.alpha, (tx) =>
      sql`insert into supporters (org_id, first_name, last_name, search_text)
          select ${k.alpha}::uuid, 'Ada', 'Multipla' || i, 'multipla' || i || ' ada | ' || (3330000000 + i)
          from generate_series(1, 120) i`.execute(tx),
    );
    const found = await search('ada multipla', k.alpha, '&limit=200');
    expect(found.names).toHaveLength(120);
    expect(await names('3330000077')).toEqual(['Multipla77 Ada']);
  });
});
