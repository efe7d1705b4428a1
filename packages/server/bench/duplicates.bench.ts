// Probable duplicates at 1,000,000 supporters under row-level security:
// findDuplicates() — the service behind GET /api/organizations/:orgId/duplicates —
// walking the organization in id order, a window of 1,000 supporters per
// statement, 20,000 supporters per request (the time budget lifted). Figures: time per full
// request (20,000 supporters examined), supporters examined per second (so
// the time to walk the whole organization), and, in the same process, the
// ratio to a bare read of the same 20,000 ids with their blocking keys (the
// least any method must do). The plan of the candidate statement is checked:
// no window may read a whole table of the organization (a hash join over all
// e-mails made each window cost a full scan before the lookups became
// correlated).
//
// Data, generated set-based in SQL: Italian names drawn from short lists (so
// many people share a surname and a birth date, as in life), 60 % with an
// e-mail, 85 % with a mobile, 70 % with an address; then 1 % duplicates of
// existing supporters (same fiscal code, same e-mail with a typo in the first
// name, same phone, same place with the names swapped). A second organization
// of 100,000 shares the indexes.
//
// PostgreSQL needs CENTRALINO_BENCH_DATABASE_URL (a fresh schema per run;
// DEDUPE_BENCH_SUPPORTERS overrides 1,000,000). PGlite runs with
// DEDUPE_BENCH_PGLITE_SUPPORTERS (default 100,000; DEDUPE_BENCH_PGLITE=0 skips it).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { BenchContext } from '../../../bench/lib.ts';
import { percentile } from '../../../bench/lib.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import {
  candidatePairsQuery,
  findDuplicates,
  MAX_SCANNED,
} from '../src/modules/dedupe/duplicates.service.ts';
import { createOrganization } from '../src/modules/organizations/organizations.service.ts';

export const title = 'Duplicates: findDuplicates() walking 1,000,000 supporters under row-level security';

const BATCH = 50_000;
const FIRST = [
  'Giuseppe',
  'Maria',
  'Giovanni',
  'Anna',
  'Antonio',
  'Rosa',
  'Mario',
  'Lucia',
  'Luigi',
  'Paola',
  'Francesco',
  'Giulia',
  'Marco',
  'Laura',
  'Luca',
  'Sara',
  'Andrea',
  'Chiara',
  'Paolo',
  'Elena',
];
const LAST = [
  'Rossi',
  'Russo',
  'Ferrari',
  'Esposito',
  'Bianchi',
  'Romano',
  'Colombo',
  'Ricci',
  'Marino',
  'Greco',
  'Bruno',
  'Gallo',
  'Conti',
  'De Luca',
  'Mancini',
  'Costa',
  'Giordano',
  'Rizzo',
  'Lombardi',
  'Moretti',
];

export async function generate(db: Database, orgId: string, count: number, seed: number) {
  for (let done = 0, batch = 0; done < count; done += BATCH, batch++) {
    const n = Math.min(BATCH, count - done);
    await db.forOrg(orgId, async (tx) => {
      await sql`select setseed(${((seed * 7919 + batch) % 1000) / 1000})`.execute(tx);
      await sql`
        create temp table gen on commit drop as
        select gen_random_uuid() id,
               (${FIRST}::text[])[1 + floor(random() * ${FIRST.length}::int)::int] first_name,
               (${LAST}::text[])[1 + floor(power(random(), 1.3) * ${LAST.length}::int)::int] last_name,
               date '1935-01-01' + floor(random() * 26000)::int birth,
               case when random() < 0.7 then 'X' || lpad(floor(random() * 1e9)::bigint::text, 10, '0') end fiscal_code,
               case when random() < 0.6 then 'u' || floor(random() * 1e9)::bigint || '@example.it' end email,
               case when random() < 0.85 then '+3934' || lpad(floor(random() * 1e8)::bigint::text, 8, '0') end phone,
               case when random() < 0.7 then lpad((10 + floor(random() * 89990))::int::text, 5, '0') end cap
        from generate_series(1, ${n}::int)`.execute(tx);
      await sql`
        insert into supporters (id, org_id, first_name, last_name, birth_date, fiscal_code, addresses)
        select id, ${orgId}::uuid, first_name, last_name, birth, fiscal_code,
               case when cap is null then '[]'::jsonb
                    else jsonb_build_array(jsonb_build_object('line1', 'Via Roma 1', 'postalCode', cap)) end
        from gen`.execute(tx);
      await sql`insert into supporter_phones (org_id, supporter_id, number, kind, valid, is_primary)
                select ${orgId}::uuid, id, phone, 'mobile', true, true from gen where phone is not null`.execute(
        tx,
      );
      await sql`insert into supporter_emails (org_id, supporter_id, email, valid, is_primary)
                select ${orgId}::uuid, id, email, true, true from gen where email is not null`.execute(tx);
      // 1 % duplicates of this batch's people, one kind of evidence each.
      await sql`
        create temp table dup on commit drop as
        select g.*, gen_random_uuid() new_id, (row_number() over ()) % 4 kind
        from gen g tablesample bernoulli (1) repeatable (${seed + batch})`.execute(tx);
      await sql`
        insert into supporters (id, org_id, first_name, last_name, birth_date, fiscal_code, addresses)
        select new_id, ${orgId}::uuid,
               case kind when 1 then left(first_name, -1) || 'a' when 3 then last_name else first_name end,
               case kind when 3 then first_name else last_name end,
               case when kind in (0, 2) then birth end,
               case when kind = 0 then fiscal_code end,
               case when kind = 3 and cap is not null
                    then jsonb_build_array(jsonb_build_object('line1', 'Via Roma 2', 'postalCode', cap)) else '[]' end
        from dup`.execute(tx);
      await sql`insert into supporter_emails (org_id, supporter_id, email, valid, is_primary)
                select ${orgId}::uuid, new_id, upper(email), true, true from dup
                where kind = 1 and email is not null`.execute(tx);
      await sql`insert into supporter_phones (org_id, supporter_id, number, kind, valid, is_primary)
                select ${orgId}::uuid, new_id, phone, 'mobile', true, true from dup
                where kind = 2 and phone is not null`.execute(tx);
    });
  }
  await db.forOrg(orgId, (tx) => sql`analyze supporters, supporter_phones, supporter_emails`.execute(tx));
}

export async function run(ctx: BenchContext) {
  const targets: {
    name: string;
    supporters: number;
    open: () => Promise<{ db: Database; cleanup: () => Promise<void> }>;
  }[] = [];
  const pgUrl = process.env.CENTRALINO_BENCH_DATABASE_URL;
  if (pgUrl) {
    targets.push({
      name: 'postgres',
      supporters: Number(process.env.DEDUPE_BENCH_SUPPORTERS ?? 1_000_000),
      open: async () => {
        const schema = `bench_dedupe_${randomBytes(4).toString('hex')}`;
        const db = await openDatabase({ databaseUrl: pgUrl, schema, poolSize: 2 });
        return {
          db,
          cleanup: async () => {
            await sql.raw(`drop schema ${schema} cascade`).execute(db.kysely);
            await db.close();
          },
        };
      },
    });
  } else ctx.log('CENTRALINO_BENCH_DATABASE_URL not set: PostgreSQL skipped');
  if (process.env.DEDUPE_BENCH_PGLITE !== '0') {
    targets.push({
      name: 'pglite',
      supporters: Number(process.env.DEDUPE_BENCH_PGLITE_SUPPORTERS ?? 100_000),
      open: async () => {
        const db = await openDatabase({ dataDir: 'memory://' });
        return { db, cleanup: () => db.close() };
      },
    });
  }

  for (const target of targets) {
    const { db, cleanup } = await target.open();
    try {
      const suffix = randomBytes(3).toString('hex');
      const main = await createOrganization({
        db,
        principal: null,
        slug: `dedupe-${suffix}`,
        name: 'Dedupe',
      });
      const other = await createOrganization({ db, principal: null, slug: `other-${suffix}`, name: 'Other' });
      const buildStart = performance.now();
      await generate(db, main.id, target.supporters, 1);
      await generate(db, other.id, Math.round(target.supporters / 10), 2);
      const total = await db.readForOrg(main.id, (tx) =>
        sql<{ n: number }>`select count(*)::int n from supporters`.execute(tx),
      );
      const supporters = total.rows[0]?.n ?? 0;
      ctx.log(
        `${target.name}: ${supporters} supporters in ${((performance.now() - buildStart) / 1000).toFixed(0)} s`,
      );
      const parameters = { database: target.name, supporters, scannedPerRequest: MAX_SCANNED };

      // Every key lookup of the candidate statement goes through an index: no
      // statement of a window may read a whole table of the organization.
      const plan = await db.readForOrg(main.id, async (tx) => {
        const ids = (
          await sql<{ id: string }>`select id from supporters order by id limit 1000`.execute(tx)
        ).rows.map((row) => row.id);
        const text = await sql<{ 'QUERY PLAN': string }>`explain ${candidatePairsQuery(ids)}`.execute(tx);
        return text.rows.map((row) => row['QUERY PLAN'].replace(/'\{[^}]*\}'/, "'{…}'")).join('\n');
      });
      const seqScan = /Seq Scan on (supporters|supporter_emails|supporter_phones)\b/.test(plan);
      ctx.log(`candidate statement plan (1,000 supporters):\n${plan}`);
      if (seqScan) ctx.log('WARNING: a window reads a whole table');

      // A first page as a person asks for it.
      const firstStart = performance.now();
      const first = await findDuplicates({ db, orgId: main.id, limit: 50, minScore: 0.5 });
      const firstPageMs = performance.now() - firstStart;
      const pairs = first.items.length;
      // Then the walk: minScore 1 keeps pages from filling up, so every request
      // examines MAX_SCANNED supporters (candidates are still found and scored).
      const requestMs: number[] = [];
      let scannedMs = 0;
      let cursor: string | undefined;
      const requests = Math.min(10, Math.floor(supporters / MAX_SCANNED));
      for (let i = 0; i < requests; i++) {
        const start = performance.now();
        const page = await findDuplicates({
          db,
          orgId: main.id,
          limit: 200,
          cursor,
          minScore: 1,
          maxMillis: Number.POSITIVE_INFINITY,
        });
        requestMs.push(performance.now() - start);
        cursor = page.nextCursor ?? undefined;
        if (!cursor) break;
      }
      // Baseline: the same ids and keys read bare, window by window.
      const baseStart = performance.now();
      await db.readForOrg(main.id, async (tx) => {
        let from: string | null = null;
        for (let read = 0; read < MAX_SCANNED * requestMs.length; read += 1000) {
          const rows: { id: string }[] = (
            await sql<{
              id: string;
            }>`select id, fiscal_code, dedupe_last_name, birth_date, dedupe_place from supporters
              where merged_into is null ${from ? sql`and id > ${from}` : sql``} order by id limit 1000`.execute(
              tx,
            )
          ).rows;
          if (rows.length === 0) break;
          from = rows.at(-1)?.id ?? null;
        }
      });
      scannedMs = performance.now() - baseStart;
      const median = percentile(requestMs, 50);
      const perSecond = (MAX_SCANNED * 1000) / median;
      ctx.record({
        name: `${target.name}: request examining ${MAX_SCANNED} supporters (median)`,
        value: Math.round(median),
        unit: 'ms',
        parameters,
      });
      ctx.record({
        name: `${target.name}: supporters examined per second`,
        value: Math.round(perSecond),
        unit: '/s',
        parameters,
      });
      ctx.record({
        name: `${target.name}: whole organization walked (estimate)`,
        value: Math.round(supporters / perSecond),
        unit: 's',
        parameters,
      });
      ctx.record({
        name: `${target.name}: ratio to a bare read of the same windows`,
        value: Math.round((requestMs.reduce((a, b) => a + b, 0) / scannedMs) * 10) / 10,
        unit: 'x',
        parameters,
      });
      ctx.record({
        name: `${target.name}: first page of 50 pairs`,
        value: Math.round(firstPageMs),
        unit: 'ms',
        parameters,
      });
      ctx.record({
        name: `${target.name}: pairs on the first page`,
        value: pairs,
        unit: 'pairs',
        parameters,
      });
      ctx.record({
        name: `${target.name}: windows read by index only (1 = yes)`,
        value: seqScan ? 0 : 1,
        unit: 'bool',
        goal: { op: '>=', value: 1 },
        parameters,
      });
    } finally {
      await cleanup();
    }
  }
}
