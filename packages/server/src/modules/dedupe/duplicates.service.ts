// Probable duplicates of an organization, without comparing all pairs: the
// supporters are walked in id order, a window at a time; for each window one
// set-based statement finds the other records sharing a blocking key (fiscal
// code, e-mail, phone, folded last name + birth date, place + initials)
// through indexes that lead with the key, and the pairs are scored in JS
// (duplicate-score.ts). A pair is reported once, under its smaller id, so
// pages follow (a, b) order; a request examines at most MAX_SCANNED
// supporters and stops starting new windows after MAX_MILLIS (PGlite serves
// every request on one connection), so a page may hold fewer than `limit`
// pairs while nextCursor is not null.
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { actorText } from '../supporters/supporters.service.ts';
import { dedupeErrors } from './dedupe.errors.ts';
import { type DedupeRecord, type DuplicateReason, scoreDuplicate } from './duplicate-score.ts';

/** A key held by more supporters than this (a placeholder e-mail, a switchboard) is no evidence. */
export const BLOCK_MAX = 50;
const WINDOW = 1000;
export const MAX_SCANNED = 20_000;
export const MAX_MILLIS = 1_000;
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type DuplicateSide = {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  fiscalCode: string | null;
  version: number;
};

export type DuplicatePair = { a: DuplicateSide; b: DuplicateSide; score: number; reasons: DuplicateReason[] };

function encodeCursor(a: string, b: string): string {
  return Buffer.from(JSON.stringify([a, b])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw dedupeErrors.cursorInvalid();
  }
  if (!Array.isArray(key) || key.length !== 2 || !key.every((k) => typeof k === 'string' && UUID.test(k))) {
    throw dedupeErrors.cursorInvalid();
  }
  return key as [string, string];
}

/** Pairs (a < b) with a in `ids` sharing at least one blocking key, not dismissed (the benchmark explains it). */
export function candidatePairsQuery(ids: readonly string[]) {
  const cap = BLOCK_MAX + 1;
  return sql<{ a: string; b: string }>`
    with w as materialized (
      -- The window's own e-mails and phones by correlated lookups: as a join,
      -- the planner would read the organization's whole e-mail and phone tables.
      select s.id, s.fiscal_code, s.dedupe_last_name, s.birth_date, s.dedupe_place,
             array(select e.email_key from supporter_emails e where e.supporter_id = s.id) as emails,
             array(select p.number from supporter_phones p where p.supporter_id = s.id) as phones
      from supporters s where s.id = any(${ids}::uuid[])
    ),
    keyed as (
      select w.id as a, m.id as b, count(*) over (partition by w.id) as block
      from w cross join lateral (
        select s.id from supporters s
        where s.fiscal_code = w.fiscal_code and s.merged_into is null limit ${cap}) m
      where w.fiscal_code is not null
      union all
      select w.id, m.id, count(*) over (partition by w.id)
      from w cross join lateral (
        select s.id from supporters s
        where s.dedupe_last_name = w.dedupe_last_name and s.birth_date = w.birth_date
          and s.birth_date is not null and s.merged_into is null limit ${cap}) m
      where w.birth_date is not null and w.dedupe_last_name <> ''
      union all
      select w.id, m.id, count(*) over (partition by w.id)
      from w cross join lateral (
        select s.id from supporters s
        where s.dedupe_place = w.dedupe_place and s.merged_into is null limit ${cap}) m
      where w.dedupe_place is not null
      union all
      select w.id, m.supporter_id, count(*) over (partition by w.id, e.email_key)
      from w cross join unnest(w.emails) as e(email_key)
      cross join lateral (
        select e2.supporter_id from supporter_emails e2 join supporters s on s.id = e2.supporter_id
        where e2.email_key = e.email_key and s.merged_into is null limit ${cap}) m
      union all
      select w.id, m.supporter_id, count(*) over (partition by w.id, p.number)
      from w cross join unnest(w.phones) as p(number)
      cross join lateral (
        select p2.supporter_id from supporter_phones p2 join supporters s on s.id = p2.supporter_id
        where p2.number = p.number and s.merged_into is null limit ${cap}) m
    )
    select distinct k.a, k.b from keyed k
    where k.block <= ${BLOCK_MAX} and k.b > k.a
      and not exists (select from supporter_not_duplicates n where n.a = k.a and n.b = k.b)`;
}

async function candidatePairs(tx: Tx, ids: readonly string[]): Promise<{ a: string; b: string }[]> {
  return (await candidatePairsQuery(ids).execute(tx)).rows;
}

type DetailRow = {
  id: string;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  fiscal_code: string | null;
  dedupe_place: string | null;
  dedupe_last_name: string;
  version: number;
  emails: string[];
  phones: string[];
};

async function loadDetails(tx: Tx, ids: readonly string[]) {
  const result = await sql<DetailRow>`
    select s.id, s.first_name, s.last_name, s.birth_date, s.fiscal_code, s.dedupe_place, s.dedupe_last_name,
           s.version,
           coalesce((select array_agg(e.email_key) from supporter_emails e where e.supporter_id = s.id),
                    '{}') as emails,
           coalesce((select array_agg(p.number) from supporter_phones p where p.supporter_id = s.id),
                    '{}') as phones
    from supporters s where s.id = any(${ids}::uuid[])`.execute(tx);
  return new Map(result.rows.map((row) => [row.id, row]));
}

const toRecord = (row: DetailRow): DedupeRecord => ({
  id: row.id,
  firstName: row.first_name,
  lastName: row.last_name,
  birthDate: row.birth_date,
  fiscalCode: row.fiscal_code,
  emails: row.emails,
  phones: row.phones,
  place: row.dedupe_place,
  lastNameKey: row.dedupe_last_name,
});

const toSide = (row: DetailRow): DuplicateSide => ({
  id: row.id,
  firstName: row.first_name,
  lastName: row.last_name,
  birthDate: row.birth_date,
  fiscalCode: row.fiscal_code,
  version: row.version,
});

export async function findDuplicates(options: {
  db: Database;
  orgId: string;
  limit: number;
  cursor?: string | undefined;
  minScore: number;
  /** Supporters per statement and per request; tests make them small. */
  windowSize?: number;
  maxScanned?: number;
  maxMillis?: number;
}): Promise<{ items: DuplicatePair[]; nextCursor: string | null }> {
  const windowSize = options.windowSize ?? WINDOW;
  const maxScanned = options.maxScanned ?? MAX_SCANNED;
  const deadline = performance.now() + (options.maxMillis ?? MAX_MILLIS);
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  return options.db.readForOrg(options.orgId, async (tx) => {
    const found: DuplicatePair[] = [];
    let from = after?.[0];
    // A cursor ending a window (b = MAX_UUID) means every pair of its supporter is done.
    let inclusive = after !== undefined && after[1] !== MAX_UUID;
    let scanned = 0;
    let exhausted = false;
    while (
      found.length <= options.limit &&
      scanned < maxScanned &&
      (scanned === 0 || performance.now() < deadline)
    ) {
      const window = await sql<{ id: string }>`
        select id from supporters
        where merged_into is null ${from ? (inclusive ? sql`and id >= ${from}` : sql`and id > ${from}`) : sql``}
        order by id limit ${windowSize}`.execute(tx);
      const ids = window.rows.map((row) => row.id);
      scanned += ids.length;
      if (ids.length > 0) {
        const pairs = (await candidatePairs(tx, ids)).filter(
          (p) => !after || p.a > after[0] || (p.a === after[0] && p.b > after[1]),
        );
        const details = await loadDetails(tx, [...new Set(pairs.flatMap((p) => [p.a, p.b]))]);
        for (const pair of pairs) {
          const a = details.get(pair.a);
          const b = details.get(pair.b);
          if (!a || !b) continue;
          const { score, reasons } = scoreDuplicate(toRecord(a), toRecord(b));
          if (reasons.length > 0 && score >= options.minScore)
            found.push({ a: toSide(a), b: toSide(b), score, reasons });
        }
        from = ids.at(-1) as string;
        inclusive = false;
      }
      if (ids.length < windowSize) {
        exhausted = true;
        break;
      }
    }
    found.sort((x, y) => (x.a.id === y.a.id ? (x.b.id < y.b.id ? -1 : 1) : x.a.id < y.a.id ? -1 : 1));
    const items = found.slice(0, options.limit);
    const last = items.at(-1);
    let nextCursor: string | null = null;
    if (found.length > options.limit && last) nextCursor = encodeCursor(last.a.id, last.b.id);
    // Scan budget spent: go on after every pair of the last supporter examined.
    else if (!exhausted && from) nextCursor = encodeCursor(from, MAX_UUID);
    return { items, nextCursor };
  });
}

/** Marks a pair "not the same supporter": the duplicates list leaves it out from now on. */
export async function dismissDuplicate(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  a: string;
  b: string;
}) {
  if (options.a === options.b) throw dedupeErrors.sameSupporter('body.b');
  const [a, b] = options.a < options.b ? [options.a, options.b] : [options.b, options.a];
  return options.db.forOrg(options.orgId, async (tx) => {
    const existing = await tx.selectFrom('supporters').select('id').where('id', 'in', [a, b]).execute();
    for (const [field, id] of [
      ['body.a', options.a],
      ['body.b', options.b],
    ] as const) {
      if (!existing.some((row) => row.id === id)) throw dedupeErrors.supporterNotFound(field);
    }
    const inserted = await tx
      .insertInto('supporter_not_duplicates')
      .values({ org_id: options.orgId, a, b, created_by: actorText(options.principal) })
      .onConflict((oc) => oc.columns(['a', 'b']).doNothing())
      .returning('created_at')
      .executeTakeFirst();
    if (inserted) {
      await recordAudit(tx, {
        orgId: options.orgId,
        principal: options.principal,
        action: 'supporter.duplicate_dismissed',
        target: a,
        details: { a, b },
      });
    }
    const row = await tx
      .selectFrom('supporter_not_duplicates')
      .select(['created_at', 'created_by'])
      .where('a', '=', a)
      .where('b', '=', b)
      .executeTakeFirstOrThrow();
    return { a, b, dismissedAt: row.created_at.toISOString(), dismissedBy: row.created_by };
  });
}
