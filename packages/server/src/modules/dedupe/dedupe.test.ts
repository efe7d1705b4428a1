import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditorId, sepaCommitment, setCreditorId } from '../giving/giving.fixtures.ts';
import { type CrmTestKit, createCrmTestKit, type Json } from '../supporters/crm-test-kit.ts';
import { findDuplicates } from './duplicates.service.ts';
import { MOVED_TABLES } from './merges.service.ts';

let k: CrmTestKit;
beforeAll(async () => {
  k = await createCrmTestKit();
  await setCreditorId(k.db, k.alpha, creditorId());
});
afterAll(() => k.close());

const org = () => `/api/organizations/${k.alpha}`;

async function supporter(input: object, orgId = k.alpha): Promise<Json> {
  const response = await k.call({
    method: 'POST',
    url: `/api/organizations/${orgId}/supporters`,
    payload: input,
  });
  expect([response.status, response.body.detail]).toEqual([201, undefined]);
  return response.body;
}

async function duplicates(query = '', role: Parameters<CrmTestKit['call']>[1] = 'admin') {
  const response = await k.call({ method: 'GET', url: `${org()}/duplicates?limit=200${query}` }, role);
  expect(response.status).toBe(200);
  return response.body as { items: Json[]; nextCursor: string | null };
}

const pairOf = (items: Json[], x: string, y: string) =>
  items.find((p) => (p.a.id === x && p.b.id === y) || (p.a.id === y && p.b.id === x));

function merge(keptId: string, body: object, role: Parameters<CrmTestKit['call']>[1] = 'admin') {
  return k.call({ method: 'POST', url: `${org()}/supporters/${keptId}/merge`, payload: body }, role);
}
const undo = (mergeId: string) => k.call({ method: 'POST', url: `${org()}/merges/${mergeId}/undo` });

describe('finding probable duplicates', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const s = async (name: string, input: object) => {
      ids[name] = (await supporter(input)).id;
    };
    await s('fiscal1', { firstName: 'Mario', lastName: 'Rossi', fiscalCode: 'RSSMRA85T10A562S' });
    await s('fiscal2', { firstName: 'Mario', lastName: 'Rossi', fiscalCode: 'rssmra85t10a562s' });
    // The API keeps an e-mail's local part as typed; the match ignores case.
    await s('email1', {
      firstName: 'Giulia',
      lastName: 'Bianchi',
      emails: [{ email: 'Giulia.B@Example.it' }],
    });
    await s('email2', {
      firstName: 'Giulia',
      lastName: 'Bianchi',
      emails: [{ email: 'giulia.b@example.it' }],
    });
    await s('phone1', { firstName: 'Luca', lastName: 'Verdi', phones: [{ number: '347 123 4567' }] });
    await s('phone2', { firstName: 'Luca', lastName: 'Verde', phones: [{ number: '+39 3471234567' }] });
    await s('birth1', { firstName: 'Anna Maria', lastName: "D'Angelo", birthDate: '1980-05-03' });
    await s('birth2', { firstName: 'Annamaria', lastName: 'Dangelo', birthDate: '1980-05-03' });
    await s('place1', {
      firstName: 'Giuseppe',
      lastName: 'Romano',
      addresses: [{ line1: 'Via Merulana 1', postalCode: '00184', city: 'Roma' }],
    });
    await s('place2', {
      firstName: 'Romani',
      lastName: 'Giuseppe',
      addresses: [{ line1: 'Via Merulana 3', postalCode: '00184', city: 'Roma' }],
    });
    await s('spouse1', {
      firstName: 'Marco',
      lastName: 'Gallo',
      emails: [{ email: 'casa.gallo@example.it' }],
    });
    await s('spouse2', {
      firstName: 'Laura',
      lastName: 'Gallo',
      emails: [{ email: 'casa.gallo@example.it' }],
    });
    await s('twin1', { firstName: 'Marco', lastName: 'Conti', birthDate: '1990-01-01' });
    await s('twin2', { firstName: 'Giulia', lastName: 'Conti', birthDate: '1990-01-01' });
    await s('other', { firstName: 'Paolo', lastName: 'Ferrari', fiscalCode: 'FRRPLA70A01H501R' });
    await supporter({ firstName: 'Mario', lastName: 'Rossi', fiscalCode: 'RSSMRA85T10A562S' }, k.beta);
  });

  it('finds a pair per rule, with its reasons and score', async () => {
    const { items } = await duplicates();
    const expectations: [string, string, string, number][] = [
      // [first, second, rule, score] — scores from duplicate-score.ts (see its tests).
      ['fiscal1', 'fiscal2', 'fiscal_code', 0.97],
      ['email1', 'email2', 'email', 0.95],
      ['phone1', 'phone2', 'phone', 0.827],
      ['birth1', 'birth2', 'name_birth_date', 0.935],
      ['place1', 'place2', 'name_place', 0.767],
      ['spouse1', 'spouse2', 'email', 0.583],
    ];
    for (const [x, y, rule, score] of expectations) {
      const pair = pairOf(items, ids[x] as string, ids[y] as string);
      expect({ x, rules: pair?.reasons.map((r: Json) => r.rule) }).toEqual({ x, rules: [rule] });
      expect(pair.score).toBeCloseTo(score, 3);
      expect(pair.a.id < pair.b.id).toBe(true);
    }
    expect(pairOf(items, ids.fiscal1 as string, ids.fiscal2 as string).reasons[0]).toMatchObject({
      value: 'RSSMRA85T10A562S',
      nameSimilarity: 1,
    });
    expect(pairOf(items, ids.phone1 as string, ids.phone2 as string).reasons[0].value).toBe('+393471234567');
    // Twins (same last name and birth date, different first names) are not a pair; nor is beta's Mario Rossi.
    expect(pairOf(items, ids.twin1 as string, ids.twin2 as string)).toBeUndefined();
    expect(items.flatMap((p) => [p.a.id, p.b.id]).every((id) => Object.values(ids).includes(id))).toBe(true);
    expect(items).toHaveLength(expectations.length);
  });

  it('minScore leaves out weaker pairs (spouses sharing an e-mail)', async () => {
    const { items } = await duplicates('&minScore=0.7');
    expect(pairOf(items, ids.spouse1 as string, ids.spouse2 as string)).toBeUndefined();
    expect(items).toHaveLength(5);
  });

  it('pages through the pairs with a cursor, also when the scan budget ends a page early', async () => {
    const all = (await duplicates()).items.map((p) => `${p.a.id}/${p.b.id}`);
    const walked: string[] = [];
    let cursor: string | undefined;
    let requests = 0;
    do {
      const page = await findDuplicates({
        db: k.db,
        orgId: k.alpha,
        limit: 2,
        cursor,
        minScore: 0.5,
        windowSize: 2,
        maxScanned: 4,
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items.map((p) => `${p.a.id}/${p.b.id}`));
      cursor = page.nextCursor ?? undefined;
      requests++;
    } while (cursor && requests < 50);
    expect(cursor).toBeUndefined();
    expect(walked).toEqual(all);
    expect(requests).toBeGreaterThan(3);
    // The time budget: with none left, a request still examines one window, then stops.
    const timed: string[] = [];
    const supporters = (
      await k.db.readForOrg(k.alpha, (tx) => tx.selectFrom('supporters').select('id').execute())
    ).length;
    let timedRequests = 0;
    cursor = undefined;
    do {
      const page = await findDuplicates({
        db: k.db,
        orgId: k.alpha,
        limit: 200,
        cursor,
        minScore: 0.5,
        windowSize: 3,
        maxMillis: 0,
      });
      timed.push(...page.items.map((p) => `${p.a.id}/${p.b.id}`));
      cursor = page.nextCursor ?? undefined;
      timedRequests++;
    } while (cursor && timedRequests < 100);
    expect(timed).toEqual(all);
    expect(timedRequests).toBe(Math.ceil((supporters + 1) / 3));
    const bad = await k.call({ method: 'GET', url: `${org()}/duplicates?cursor=nonsense` });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'querystring.cursor', message: expect.any(String) }]);
  });

  it('a pair marked "not a duplicate" leaves the list (either order), once', async () => {
    const dismiss = (a: string, b: string) =>
      k.call({ method: 'POST', url: `${org()}/duplicates/dismiss`, payload: { a, b } });
    const first = await dismiss(ids.spouse2 as string, ids.spouse1 as string);
    expect(first.status).toBe(200);
    expect(first.body.a < first.body.b).toBe(true);
    expect((await dismiss(ids.spouse1 as string, ids.spouse2 as string)).status).toBe(200);
    expect(pairOf((await duplicates()).items, ids.spouse1 as string, ids.spouse2 as string)).toBeUndefined();
    const audit = await k.db.forOrg(k.alpha, (tx) =>
      tx
        .selectFrom('audit_events')
        .select('action')
        .where('action', '=', 'supporter.duplicate_dismissed')
        .execute(),
    );
    expect(audit).toHaveLength(1);

    const same = await dismiss(ids.other as string, ids.other as string);
    expect(same.status).toBe(400);
    expect(same.body.code).toBe('MERGE_SAME_SUPPORTER');
    const [betaSupporter] = await k.db.forOrg(k.beta, (tx) =>
      tx.selectFrom('supporters').select('id').execute(),
    );
    const foreign = await dismiss(ids.other as string, betaSupporter?.id as string);
    expect(foreign.status).toBe(404);
    expect(foreign.body.errors[0].field).toBe('body.b');
  });

  it('a merged supporter is no longer a candidate', async () => {
    expect((await merge(ids.email1 as string, { mergedId: ids.email2 })).status).toBe(200);
    expect(pairOf((await duplicates()).items, ids.email1 as string, ids.email2 as string)).toBeUndefined();
  });

  it('is refused to operators and planners; client viewers may review', async () => {
    expect((await k.call({ method: 'GET', url: `${org()}/duplicates` }, 'operator')).status).toBe(403);
    expect((await k.call({ method: 'GET', url: `${org()}/duplicates` }, 'planner')).status).toBe(403);
    expect((await duplicates('', 'client_viewer')).items.length).toBeGreaterThan(0);
  });
});

/** Every row that belongs to the two supporters, keyed by table, for exact comparisons. */
async function snapshot(ids: string[]) {
  return k.db.forOrg(k.alpha, async (tx) => {
    const out: Record<string, unknown[]> = {};
    out.supporters = (
      await sql`select * from supporters where id = any(${ids}::uuid[]) order by id`.execute(tx)
    ).rows.map((row) => {
      const { version: _v, updated_at: _u, search_text: _s, ...rest } = row as Record<string, unknown>;
      return rest;
    });
    for (const table of Object.keys(MOVED_TABLES)) {
      const order = table === 'supporter_external_ids' ? sql`system, external_id` : sql`id`;
      const filter = table === 'supporter_events' ? sql`and kind not in ('merged', 'merge_undone')` : sql``;
      out[table] = (
        await sql`select * from ${sql.table(table)} where supporter_id = any(${ids}::uuid[]) ${filter}
                  order by ${order}`.execute(tx)
      ).rows;
    }
    out.mandates = (
      await sql`select m.* from mandates m join commitments c on c.id = m.commitment_id
                where c.supporter_id = any(${ids}::uuid[]) order by m.id`.execute(tx)
    ).rows;
    return out;
  });
}

describe('merging two supporters', () => {
  let kept: Json;
  let dup: Json;
  let commitment: Json;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let mergeId: string;

  beforeAll(async () => {
    kept = await supporter({
      firstName: 'Maria',
      lastName: 'Esposito',
      phones: [{ number: '+393331112222' }],
      emails: [{ email: 'maria.esposito@example.it' }],
      tags: ['f2f'],
    });
    dup = await supporter({
      firstName: 'Maria',
      lastName: 'Esposito',
      birthDate: '1975-04-12',
      fiscalCode: 'SPSMRA75D52F839Q',
      source: 'web',
      phones: [{ number: '+393331112222' }, { number: '+393339998888', primary: true }],
      emails: [{ email: 'Maria.Esposito@example.it' }, { email: 'm.esposito@example.org' }],
      externalIds: [{ system: 'legacy', externalId: 'L-42' }],
      addresses: [{ line1: 'Via Toledo 10', postalCode: '80134', city: 'Napoli' }],
      tags: ['web', 'f2f'],
    });
    const consent = (granted: boolean, recordedAt: string) =>
      k.call({
        method: 'POST',
        url: `${org()}/supporters/${dup.id}/consents`,
        payload: { channel: 'email', purpose: 'newsletter', granted, source: 'web form', recordedAt },
      });
    expect((await consent(true, '2025-01-10T10:00:00Z')).status).toBe(201);
    expect((await consent(false, '2025-02-10T10:00:00Z')).status).toBe(201);
    const created = await k.call({
      method: 'POST',
      url: `${org()}/supporters/${dup.id}/commitments`,
      payload: sepaCommitment(),
    });
    expect(created.status).toBe(201);
    commitment = created.body;
    const upgraded = await k.call({
      method: 'PATCH',
      url: `${org()}/commitments/${commitment.id}`,
      payload: { version: 1, amountCents: 2000, reason: 'upgrade call' },
    });
    expect(upgraded.status).toBe(200);
    for (const giftDate of ['2025-03-05', '2025-04-05']) {
      const gift = await k.call({
        method: 'POST',
        url: `${org()}/supporters/${dup.id}/gifts`,
        payload: { giftDate, amountCents: 1500, method: 'sepa_direct_debit', commitmentId: commitment.id },
      });
      expect(gift.status).toBe(201);
    }
    const renamed = await k.call({
      method: 'PATCH',
      url: `${org()}/supporters/${dup.id}`,
      payload: { version: 1, language: 'en' },
    });
    expect(renamed.status).toBe(200);
    dup = renamed.body;
    before = await snapshot([kept.id, dup.id]);
  });

  it('every table holding a supporter_id is one a merge moves', async () => {
    const tables = await k.db.forOrg(k.alpha, async (tx) =>
      (
        await sql<{ table_name: string }>`
          select table_name from information_schema.columns
          where column_name = 'supporter_id' and table_schema = current_schema() order by table_name`.execute(
          tx,
        )
      ).rows.map((row) => row.table_name),
    );
    // Derived from supporters by triggers (0003_supporter_search.sql), not owned rows.
    const derived = ['supporter_search_terms'];
    expect(tables.filter((table) => !(table in MOVED_TABLES) && !derived.includes(table))).toEqual([]);
  });

  it('moves history, commitments, consents, gifts and contacts to the kept supporter and fills its fields', async () => {
    const response = await merge(kept.id, { mergedId: dup.id, keptVersion: 1, mergedVersion: 2 });
    expect([response.status, response.body.detail]).toEqual([200, undefined]);
    mergeId = response.body.id;
    expect(response.body).toMatchObject({
      keptId: kept.id,
      mergedId: dup.id,
      undoneAt: null,
      keptVersion: 2,
      mergedVersion: 3,
      moved: {
        phones: 1,
        emails: 1,
        externalIds: 1,
        consentEvents: 2,
        commitments: 1,
        commitmentEvents: 2,
        gifts: 2,
        supporterEvents: 2,
      },
      // The kept record had the same phone and (ignoring case) the same e-mail.
      skipped: { phones: 1, emails: 1 },
      fields: {
        birthDate: { before: null, after: '1975-04-12' },
        fiscalCode: { before: null, after: 'SPSMRA75D52F839Q' },
        source: { before: null, after: 'web' },
        addresses: { before: [], after: [expect.objectContaining({ city: 'Napoli' })] },
        tags: { before: ['f2f'], after: ['f2f', 'web'] },
      },
    });
    // The kept record's own language stays (not empty): only empty fields are filled.
    expect(response.body.fields.language).toBeUndefined();

    const keptNow = (await k.call({ method: 'GET', url: `${org()}/supporters/${kept.id}` })).body;
    expect(keptNow.phones.map((p: Json) => [p.number, p.primary])).toEqual([
      ['+393331112222', true],
      ['+393339998888', false],
    ]);
    expect(keptNow.emails.map((e: Json) => e.email)).toEqual([
      'maria.esposito@example.it',
      'm.esposito@example.org',
    ]);
    expect(keptNow.externalIds).toEqual([{ system: 'legacy', externalId: 'L-42' }]);
    expect(keptNow.consents).toMatchObject([{ channel: 'email', purpose: 'newsletter', granted: false }]);
    expect(keptNow).toMatchObject({ birthDate: '1975-04-12', fiscalCode: 'SPSMRA75D52F839Q', version: 2 });

    const commitments = (await k.call({ method: 'GET', url: `${org()}/supporters/${kept.id}/commitments` }))
      .body;
    expect(commitments.items).toMatchObject([
      { id: commitment.id, supporterId: kept.id, amountCents: 2000, mandate: { ibanLast4: '3456' } },
    ]);
    const history = (await k.call({ method: 'GET', url: `${org()}/commitments/${commitment.id}/history` }))
      .body;
    expect(history.items.map((e: Json) => e.kind)).toEqual(
      expect.arrayContaining(['created', 'amount_changed']),
    );
    const gifts = (await k.call({ method: 'GET', url: `${org()}/supporters/${kept.id}/gifts` })).body;
    expect(gifts.items).toHaveLength(2);

    const merged = (await k.call({ method: 'GET', url: `${org()}/supporters/${dup.id}` })).body;
    expect(merged).toMatchObject({ mergedInto: kept.id, version: 3, language: 'en' });
    expect(merged.phones.map((p: Json) => p.number)).toEqual(['+393331112222']);
    const patch = await k.call({
      method: 'PATCH',
      url: `${org()}/supporters/${dup.id}`,
      payload: { version: 3, firstName: 'X' },
    });
    expect(patch.body.code).toBe('SUPPORTER_MERGED');

    // Search: the merged record is gone from lists, its phone now finds the kept one.
    const found = (await k.call({ method: 'GET', url: `${org()}/supporters?q=3339998888` })).body;
    expect(found.items.map((s: Json) => s.id)).toEqual([kept.id]);
  });

  it("the kept supporter's timeline shows the merged one's history", async () => {
    const timeline = (
      await k.call({ method: 'GET', url: `${org()}/supporters/${kept.id}/timeline?limit=100` })
    ).body;
    const kinds = timeline.items.map((e: Json) => `${e.type}:${e.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'supporter:merged',
        'supporter:updated', // the merged record's language change
        'consent:consent.granted',
        'consent:consent.revoked',
        'commitment:commitment.created',
        'commitment:commitment.amount_changed',
        'gift:gift.collected',
      ]),
    );
    expect(kinds.filter((kind: string) => kind === 'supporter:created')).toHaveLength(2);
    expect(timeline.items[0]).toMatchObject({
      type: 'supporter',
      kind: 'merged',
      details: { mergeId, role: 'kept', mergedId: dup.id },
    });
    const mergedTimeline = (await k.call({ method: 'GET', url: `${org()}/supporters/${dup.id}/timeline` }))
      .body;
    expect(mergedTimeline.items.map((e: Json) => e.kind)).toEqual(['merged']);
  });

  it('writes supporter.merged to the outbox and the audit trail', async () => {
    const rows = await k.db.forOrg(k.alpha, async (tx) => ({
      outbox: await tx
        .selectFrom('outbox_events')
        .select('payload')
        .where('type', '=', 'supporter.merged')
        .where(sql<boolean>`payload->>'mergeId' = ${mergeId}`)
        .execute(),
      audit: await tx
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('target', '=', mergeId)
        .execute(),
    }));
    expect(rows.outbox).toHaveLength(1);
    expect(rows.outbox[0]?.payload).toMatchObject({
      keptId: kept.id,
      mergedId: dup.id,
      keptVersion: 2,
      commitmentIds: [commitment.id],
      externalIds: [{ system: 'legacy', externalId: 'L-42' }],
    });
    expect(JSON.stringify(rows.outbox[0]?.payload)).not.toContain('IT60X054');
    expect(rows.audit).toMatchObject([{ action: 'supporter.merged' }]);
  });

  it('refuses a second merge of the same record, into itself, across organizations, or on stale versions', async () => {
    const other = await supporter({ firstName: 'Other', lastName: 'Person' });
    const again = await merge(other.id, { mergedId: dup.id });
    expect([again.status, again.body.code, again.body.errors[0].field]).toEqual([
      409,
      'SUPPORTER_MERGED',
      'body.mergedId',
    ]);
    const intoMerged = await merge(dup.id, { mergedId: other.id });
    expect([intoMerged.status, intoMerged.body.errors[0].field]).toEqual([409, 'params.keptId']);
    const self = await merge(other.id, { mergedId: other.id });
    expect([self.status, self.body.code]).toEqual([400, 'MERGE_SAME_SUPPORTER']);
    const third = await supporter({ firstName: 'Third', lastName: 'Person' });
    const stale = await merge(other.id, { mergedId: third.id, keptVersion: 1, mergedVersion: 7 });
    expect([stale.status, stale.body.code, stale.body.errors[0].field]).toEqual([
      409,
      'VERSION_CONFLICT',
      'body.mergedVersion',
    ]);
    const betaOne = await supporter({ lastName: 'Beta' }, k.beta);
    const foreign = await merge(other.id, { mergedId: betaOne.id });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'SUPPORTER_NOT_FOUND']);
    const unknownKept = await merge(randomUUID(), { mergedId: third.id });
    expect([unknownKept.status, unknownKept.body.errors[0].field]).toEqual([404, 'params.keptId']);
    const badField = await merge(other.id, { mergedId: third.id, fields: { iban: 'merged' } });
    expect(badField.status).toBe(400);
    // Nothing of the refused attempts changed the records.
    expect(
      (await k.call({ method: 'GET', url: `${org()}/supporters/${third.id}` })).body.mergedInto,
    ).toBeNull();
  });

  it('undo moves exactly the recorded rows back and restores the fields', async () => {
    const response = await undo(mergeId);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: mergeId,
      undoneAt: expect.any(String),
      keptVersion: 3,
      mergedVersion: 4,
      notRestored: { fields: [], rows: {} },
    });
    expect(await snapshot([kept.id, dup.id])).toEqual(before);
    const found = (await k.call({ method: 'GET', url: `${org()}/supporters?q=3339998888` })).body;
    expect(found.items.map((s: Json) => s.id)).toEqual([dup.id]);
    const again = await undo(mergeId);
    expect([again.status, again.body.code]).toEqual([409, 'MERGE_ALREADY_UNDONE']);
    const list = (await k.call({ method: 'GET', url: `${org()}/merges?supporterId=${kept.id}` })).body;
    expect(list.items).toMatchObject([
      { id: mergeId, undoneAt: expect.any(String), undoneBy: expect.any(String) },
    ]);
  });
});

describe('undo rules and choices', () => {
  it('a later merge involving the same supporter must be undone first', async () => {
    const a = await supporter({ firstName: 'Sara', lastName: 'Ricci' });
    const b = await supporter({ firstName: 'Sara', lastName: 'Ricci', birthDate: '1990-02-02' });
    const c = await supporter({ firstName: 'Sara', lastName: 'Ricci', fiscalCode: 'RCCSRA90B42H501N' });
    const first = (await merge(a.id, { mergedId: b.id })).body;
    const second = (await merge(a.id, { mergedId: c.id })).body;
    const refused = await undo(first.id);
    expect([refused.status, refused.body.code]).toEqual([409, 'MERGE_SUPERSEDED']);
    expect(refused.body.detail).toContain(second.id);
    expect((await undo(second.id)).status).toBe(200);
    expect((await undo(first.id)).status).toBe(200);
    const now = (await k.call({ method: 'GET', url: `${org()}/supporters/${a.id}` })).body;
    expect(now).toMatchObject({ birthDate: null, fiscalCode: null, mergedInto: null });
  });

  it('fields changed since the merge are left as they are and reported', async () => {
    const a = await supporter({ firstName: 'Pietro', lastName: 'Marino', status: 'active' });
    const b = await supporter({
      firstName: 'Piero',
      lastName: 'Marino',
      birthDate: '1960-06-06',
      status: 'do_not_contact',
    });
    const merged = await merge(a.id, { mergedId: b.id, fields: { firstName: 'merged' } });
    expect(merged.body.fields).toEqual({
      firstName: { before: 'Pietro', after: 'Piero' },
      birthDate: { before: null, after: '1960-06-06' },
      // A do-not-contact request on either record survives the merge.
      status: { before: 'active', after: 'do_not_contact' },
    });
    const edited = await k.call({
      method: 'PATCH',
      url: `${org()}/supporters/${a.id}`,
      payload: { version: merged.body.keptVersion, birthDate: '1960-06-07' },
    });
    expect(edited.status).toBe(200);
    const undone = await undo(merged.body.id);
    expect(undone.body.notRestored).toEqual({ fields: ['birthDate'], rows: {} });
    const now = (await k.call({ method: 'GET', url: `${org()}/supporters/${a.id}` })).body;
    expect(now).toMatchObject({ firstName: 'Pietro', birthDate: '1960-06-07', status: 'active' });
  });

  it('two merges of the same duplicate at once: one wins, the other gets 409', async () => {
    const x = await supporter({ firstName: 'Elena', lastName: 'Greco' });
    const y = await supporter({ firstName: 'Elena', lastName: 'Greco' });
    const z = await supporter({ firstName: 'Elena', lastName: 'Greco' });
    const results = await Promise.all([merge(x.id, { mergedId: z.id }), merge(y.id, { mergedId: z.id })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const merges = (await k.call({ method: 'GET', url: `${org()}/merges?supporterId=${z.id}` })).body;
    expect(merges.items).toHaveLength(1);
  });

  it('lists merges newest first with a cursor; roles', async () => {
    const all = (await k.call({ method: 'GET', url: `${org()}/merges?limit=200` })).body.items;
    expect(all.length).toBeGreaterThan(3);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = (
        await k.call({ method: 'GET', url: `${org()}/merges?limit=2${cursor ? `&cursor=${cursor}` : ''}` })
      ).body;
      walked.push(...page.items.map((m: Json) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.map((m: Json) => m.id));
    const times = all.map((m: Json) => m.mergedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await k.call({ method: 'GET', url: `${org()}/merges` }, 'client_viewer')).status).toBe(200);
    const viewerMerge = await merge(randomUUID(), { mergedId: randomUUID() }, 'client_viewer');
    expect(viewerMerge.status).toBe(403);
    expect((await undo(randomUUID())).status).toBe(404);
  });
});
