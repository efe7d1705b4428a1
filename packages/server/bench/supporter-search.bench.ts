// Supporter search at 1,000,000 supporters under row-level security: the
// latency of listSupporters({ q }) — the service function behind
// GET /api/organizations/:orgId/supporters?q= — for a mix of searches people
// type (surname prefixes, frequent surnames that match thousands, full names in
// either order, phones in several formats, e-mails, fiscal codes), a page of 50.
//
// The data is generated set-based in SQL (generate_series over arrays of
// Italian names; Rossi, Russo, Ferrari… are the most frequent, as in Italy),
// through the real supporters table, so the search-terms triggers build the
// terms as an import would. A second organization of 100,000 interleaves its
// terms with the first's in the same index.
//
// PostgreSQL needs CENTRALINO_BENCH_DATABASE_URL (a fresh schema per run). On
// PGlite the main organization has SEARCH_BENCH_PGLITE_SUPPORTERS supporters
// (default 200,000: generating 1,000,000 in WebAssembly takes too long).
// SEARCH_BENCH_SUPPORTERS overrides the PostgreSQL count (default 1,000,000);
// SEARCH_BENCH_KEEP=1 keeps the PostgreSQL schema for EXPLAIN sessions.
//
// What a search reads (0005_search_speed.sql, search.repository.ts): a page
// from each of a few index ranges in list order — name words, pairs of name
// words, heads of keys not covered by the owner's name words — and the keys
// only up to the last row of the name page. Before 0005 the p99 was set by
// short prefixes ("mar": 37,000 e-mails read in term order) and two short
// words ("mari ri": 11,000 rows of each Maria, Mario… thrown away before the
// surnames with "ri"). What remains: two short words where the second one
// matches hundreds of fiscal-code heads ("font fr": FRRMRA…), whose keys are
// then tested on the first word's name pages (3,800 buffers), and planning
// the two statements (7–25 ms each on a machine at load 12).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { BenchContext } from '../../../bench/lib.ts';
import { percentile } from '../../../bench/lib.ts';
import { APP_ROLE, type Database, openDatabase } from '../src/db/database.ts';
import { createOrganization } from '../src/modules/organizations/organizations.service.ts';
import { normalizeSearchTerm } from '../src/modules/supporters/search-text.ts';
import { listSupporters } from '../src/modules/supporters/supporters.service.ts';

export const title =
  'Supporter search: listSupporters({ q }) at 1,000,000 supporters under row-level security';

const GOAL_P99_MS = 20;
const PAGE = 50;
const BATCH = 50_000;
/** Rows per statement of the importer (supporters.importer.ts), for the trigger's cost. */
const IMPORT_BATCH = 2_000;

// Most frequent first: the generator draws the index with a skew, so Rossi is
// about 1.5 % of supporters (about 15,000 at 1,000,000).
const LAST_NAMES = [
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
  'Barbieri',
  'Fontana',
  'Santoro',
  'Mariani',
  'Rinaldi',
  'Caruso',
  'Ferrara',
  'Galli',
  'Martini',
  'Leone',
  'Longo',
  'Gentile',
  'Martinelli',
  'Vitale',
  'Lombardo',
  'Serra',
  'Coppola',
  'De Santis',
  "D'Angelo",
  'Marchetti',
  'Parisi',
  'Villa',
  'Conte',
  'Ferraro',
  'Ferri',
  'Fabbri',
  'Bianco',
  'Marini',
  'Grasso',
  'Valentini',
  'Messina',
  'Sala',
  'De Angelis',
  'Gatti',
  'Pellegrini',
  'Palumbo',
  'Sanna',
  'Farina',
  'Rizzi',
  'Monti',
  'Cattaneo',
  'Morelli',
  'Amato',
  'Silvestri',
  'Mazza',
  'Testa',
  'Grassi',
  'Pellegrino',
  'Carbone',
  'Giuliani',
  'Benedetti',
  'Barone',
  'Rossetti',
  'Caputo',
  'Montanari',
  'Guerra',
  'Palmieri',
  'Bernardi',
  'Martino',
  'Fiore',
  'De Rosa',
  'Ferretti',
  'Bellini',
  'Basile',
  'Riva',
  'Donati',
  'Piras',
  'Vitali',
  'Battaglia',
  'Sartori',
  'Neri',
  'Costantini',
  'Milani',
  'Pagano',
  'Ruggiero',
  'Sorrentino',
  "D'Amico",
  'Orlando',
  'Damico',
  'Negri',
  'Rossini',
  'Rossello',
  'Russello',
  'Ferrarini',
  'Bianchini',
  'Colombini',
  'Riccardi',
  'Marinelli',
  'Grecchi',
  'Brunetti',
  'Gallucci',
  'Contini',
  'Mancuso',
  'Costanzo',
  'Giordani',
  'Rizzuto',
  'Lombardini',
  'Morandi',
  'Barbera',
  'Fontanella',
  'Santini',
  'Mariotti',
  'Rinaldini',
  'Carusi',
  'Ferrante',
  'Galletti',
  'Martinez',
  'Leonardi',
  'Longhi',
  'Gentili',
  "Dell'Acqua",
  'Lo Russo',
  'Di Stefano',
  'Di Nicolò',
  'Nicolò',
  'Abate',
  'Zanetti',
  'Zani',
  'Zito',
  'Tosi',
  'Vigano',
  'Pozzi',
  'Bassi',
  'Cirillo',
  'Fumagalli',
  'Cristiani',
  'Cocco',
  'Porcu',
  'Mele',
  'Cuccu',
];
const FIRST_NAMES = [
  ['Giuseppe', 'M'],
  ['Maria', 'F'],
  ['Giovanni', 'M'],
  ['Anna', 'F'],
  ['Antonio', 'M'],
  ['Giuseppina', 'F'],
  ['Mario', 'M'],
  ['Rosa', 'F'],
  ['Luigi', 'M'],
  ['Angela', 'F'],
  ['Francesco', 'M'],
  ['Giovanna', 'F'],
  ['Angelo', 'M'],
  ['Teresa', 'F'],
  ['Vincenzo', 'M'],
  ['Lucia', 'F'],
  ['Pietro', 'M'],
  ['Carmela', 'F'],
  ['Salvatore', 'M'],
  ['Caterina', 'F'],
  ['Carlo', 'M'],
  ['Francesca', 'F'],
  ['Franco', 'M'],
  ['Anna Maria', 'F'],
  ['Domenico', 'M'],
  ['Antonietta', 'F'],
  ['Bruno', 'M'],
  ['Carla', 'F'],
  ['Paolo', 'M'],
  ['Elena', 'F'],
  ['Michele', 'M'],
  ['Concetta', 'F'],
  ['Giorgio', 'M'],
  ['Rita', 'F'],
  ['Aldo', 'M'],
  ['Margherita', 'F'],
  ['Sergio', 'M'],
  ['Franca', 'F'],
  ['Luciano', 'M'],
  ['Paola', 'F'],
  ['Marco', 'M'],
  ['Laura', 'F'],
  ['Alessandro', 'M'],
  ['Giulia', 'F'],
  ['Andrea', 'M'],
  ['Chiara', 'F'],
  ['Luca', 'M'],
  ['Sara', 'F'],
  ['Matteo', 'M'],
  ['Martina', 'F'],
  ['Lorenzo', 'M'],
  ['Alessia', 'F'],
  ['Davide', 'M'],
  ['Federica', 'F'],
  ['Simone', 'M'],
  ['Silvia', 'F'],
  ['Nicolò', 'M'],
  ['Ilaria', 'F'],
  ['Stefano', 'M'],
  ['Valentina', 'F'],
  ['Gian Luca', 'M'],
  ['Maria Grazia', 'F'],
  ['Pierluigi', 'M'],
  ['Noemi', 'F'],
  ['Tommaso', 'M'],
  ['Aurora', 'F'],
  ['Riccardo', 'M'],
  ['Beatrice', 'F'],
  ['Gabriele', 'M'],
  ['Ginevra', 'F'],
  ['Emanuele', 'M'],
  ['Gioia', 'F'],
] as const;
const DOMAINS = [
  'gmail.com',
  'libero.it',
  'yahoo.it',
  'hotmail.it',
  'alice.it',
  'tiscali.it',
  'virgilio.it',
  'outlook.it',
];
const PLACES = ['H501', 'F205', 'F839', 'L219', 'A944', 'G273', 'D612', 'L736', 'B354', 'C351'];

type Sample = {
  firstName: string;
  lastName: string;
  fiscalCode: string | null;
  email: string | null;
  phone: string | null;
};

/**
 * Inserts `count` supporters into `orgId`, `batch` rows per statement for
 * supporters (the terms triggers run per statement), one for their phones,
 * one for their e-mails. Deterministic for a seed.
 */
export async function generateSupporters(
  db: Database,
  orgId: string,
  count: number,
  seed: number,
  batchSize = BATCH,
) {
  const last = LAST_NAMES;
  const lastNorm = LAST_NAMES.map((name) => normalizeSearchTerm(name));
  const first = FIRST_NAMES.map(([name]) => name);
  const firstNorm = first.map((name) => normalizeSearchTerm(name));
  const female = FIRST_NAMES.map(([, sex]) => sex === 'F');
  for (let done = 0, batch = 0; done < count; done += batchSize, batch++) {
    const n = Math.min(batchSize, count - done);
    await db.forOrg(orgId, async (tx) => {
      await sql`select setseed(${(((seed * 7919 + batch) % 1000) / 1000) * 2 - 1})`.execute(tx);
      await sql`
        create temp table gen on commit drop as
        with draw as (
          select i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6,
                 random() r7, random() r8, random() r9, random() r10, random() r11, random() r12
          from generate_series(1, ${n}::int) i
        ), picked as (
          select d.*, 1 + floor(${first.length}::int * power(r1, 1.2))::int fi,
                 1 + floor(${last.length}::int * power(r2, 1.35))::int li,
                 date '1935-01-01' + floor(r3 * 26000)::int birth
          from draw d
        ), named as (
          select p.*, gen_random_uuid() id,
                 (${first}::text[])[fi] first_name, (${firstNorm}::text[])[fi] first_norm,
                 (${female}::boolean[])[fi] female,
                 (${last}::text[])[li] last_name, (${lastNorm}::text[])[li] last_norm
          from picked p
        ), coded as (
          select n.*,
            case when r4 < 0.75 then upper(
              left(regexp_replace(last_norm, '[aeiou ]', '', 'g') || 'xxx', 3)
              || left(regexp_replace(first_norm, '[aeiou ]', '', 'g') || 'xxx', 3)
              || to_char(birth, 'YY') || substr('ABCDEHLMPRST', extract(month from birth)::int, 1)
              || lpad((extract(day from birth)::int + case when female then 40 else 0 end)::text, 2, '0')
              || (${PLACES}::text[])[1 + floor(r11 * ${PLACES.length}::int)::int]
              || chr(65 + floor(r12 * 26)::int)) end fiscal_code,
            case when r5 < 0.6 then
              (case floor(r6 * 4)::int
                 when 0 then replace(first_norm, ' ', '') || '.' || replace(last_norm, ' ', '')
                 when 1 then left(first_norm, 1) || replace(last_norm, ' ', '')
                 when 2 then replace(last_norm, ' ', '') || '.' || replace(first_norm, ' ', '')
                 else replace(first_norm, ' ', '') || replace(last_norm, ' ', '') end)
              || case when r7 < 0.7 then floor(r7 * 1000)::int::text else '' end
              || '@' || (${DOMAINS}::text[])[1 + floor(r8 * ${DOMAINS.length}::int)::int] end email,
            case when r9 < 0.88 then '+393' || (20 + floor(r9 * 1000)::int % 80)::text
                                       || lpad(floor(r10 * 10000000)::int::text, 7, '0') end mobile,
            case when r10 < 0.25 then '+390' || (array['6', '2', '11', '81', '51', '55'])[1 + floor(r10 * 24)::int]
                                       || lpad(floor(r12 * 1000000)::int::text, 7, '0') end landline
          from named n
        )
        select c.*, concat_ws(' | ', last_norm || ' ' || first_norm, lower(fiscal_code), email,
                              substr(mobile, 2), substr(mobile, 4), substr(landline, 2), substr(landline, 4)) search_text
        from coded c`.execute(tx);
      await sql`
        insert into supporters (id, org_id, first_name, last_name, birth_date, fiscal_code, source, search_text)
        select id, ${orgId}::uuid, first_name, last_name, birth, fiscal_code,
               (array['face_to_face', 'drtv', 'web', 'event', 'lead_generation'])[1 + i % 5], search_text
        from gen`.execute(tx);
      await sql`
        insert into supporter_phones (org_id, supporter_id, number, kind, valid, is_primary)
        select ${orgId}::uuid, id, mobile, 'mobile', true, true from gen where mobile is not null
        union all
        select ${orgId}::uuid, id, landline, 'fixed_line', true, mobile is null from gen where landline is not null`.execute(
        tx,
      );
      await sql`
        insert into supporter_emails (org_id, supporter_id, email, valid, is_primary)
        select ${orgId}::uuid, id, email, true, true from gen where email is not null`.execute(tx);
    });
  }
}

/** DDL needs the tables' owner: PGlite's app role is not, its session user is. */
async function asOwner<T>(db: Database, work: () => Promise<T>): Promise<T> {
  if (db.kind === 'pglite') await sql`reset role`.execute(db.kysely);
  try {
    return await work();
  } finally {
    if (db.kind === 'pglite') await sql.raw(`set role ${APP_ROLE}`).execute(db.kysely);
  }
}

const BULK_TABLES = ['supporters', 'supporter_phones', 'supporter_emails', 'supporter_search_terms'];

/**
 * A bulk load the way a database administrator does one: the terms trigger
 * off and the tables' secondary indexes and foreign keys (and the terms
 * table's primary key) dropped while supporters are generated, then the terms
 * of every supporter in one set-based insert (the trigger's own SELECT) and
 * everything rebuilt from its definition as read from the catalog.
 */
async function bulkLoad(db: Database, work: () => Promise<void>, orgIds: string[]) {
  const definitions = await asOwner(db, async () => {
    const result = await sql<{ ddl: string; drop: string }>`
      select pg_get_indexdef(i.indexrelid) || ';' ddl, format('drop index %s;', i.indexrelid::regclass) drop
      from pg_index i
      where i.indrelid = any(${BULK_TABLES}::regclass[])
        and not exists (select from pg_constraint c where c.conindid = i.indexrelid)
      union all
      select format('alter table %s add constraint %I %s;', conrelid::regclass, conname, pg_get_constraintdef(oid)),
             format('alter table %s drop constraint %I;', conrelid::regclass, conname)
      from pg_constraint
      where conrelid = any(${BULK_TABLES}::regclass[])
        and (contype = 'f' or (contype = 'p' and conrelid = 'supporter_search_terms'::regclass))`.execute(
      db.kysely,
    );
    await sql`alter table supporters disable trigger supporters_search_terms_insert`.execute(db.kysely);
    for (const row of result.rows) await sql.raw(row.drop).execute(db.kysely);
    return result.rows.map((row) => row.ddl);
  });
  await work();
  for (const orgId of orgIds) {
    await db.forOrg(orgId, (tx) =>
      sql`insert into supporter_search_terms (org_id, supporter_id, term, kind, last_name, first_name, words)
          select s.org_id, s.id, t.term, t.kind, s.last_name, s.first_name, supporter_search_words(s.search_text)
          from supporters s cross join lateral supporter_search_terms_of(s.search_text) t
          where s.merged_into is null`.execute(tx),
    );
  }
  await asOwner(db, async () => {
    // Primary keys before the foreign keys that need them.
    const ordered = [...definitions].sort(
      (a, b) => Number(a.includes('FOREIGN KEY')) - Number(b.includes('FOREIGN KEY')),
    );
    for (const ddl of ordered) await sql.raw(ddl).execute(db.kysely);
    await sql`alter table supporters enable trigger supporters_search_terms_insert`.execute(db.kysely);
  });
}

async function vacuumAnalyze(db: Database) {
  await sql`vacuum analyze supporters, supporter_phones, supporter_emails, supporter_search_terms`.execute(
    db.kysely,
  );
}

async function samples(db: Database, orgId: string, count: number): Promise<Sample[]> {
  const result = await db.readForOrg(orgId, (tx) =>
    sql<Sample>`
      select s.first_name "firstName", s.last_name "lastName", s.fiscal_code "fiscalCode",
             (select e.email from supporter_emails e where e.supporter_id = s.id limit 1) email,
             (select p.number from supporter_phones p where p.supporter_id = s.id order by p.is_primary desc limit 1) phone
      from supporters s tablesample bernoulli (1) repeatable (42)
      limit ${count}`.execute(tx),
  );
  return result.rows;
}

type Query = { kind: string; q: string };

/** The mix: every kind equally often, drawn from real rows, deterministic. */
export function searchMix(rows: Sample[], perKind: number): Query[] {
  let state = 12345;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const withPhone = rows.filter((row) => row.phone);
  const withEmail = rows.filter((row) => row.email);
  const withCode = rows.filter((row) => row.fiscalCode);
  const frequent = ['Rossi', 'rossi', 'Russo', 'ferrari', 'Esposito', 'bianchi', 'Romano', 'Colombo'];
  const kinds: [string, () => string][] = [
    ['frequent surname', () => pick(frequent)],
    ['surname prefix', () => normalizeSearchTerm(pick(rows).lastName).slice(0, 3 + Math.floor(random() * 3))],
    [
      'full name',
      () => {
        const row = pick(rows);
        return random() < 0.5 ? `${row.firstName} ${row.lastName}` : `${row.lastName} ${row.firstName}`;
      },
    ],
    [
      'name prefixes',
      () => {
        const row = pick(rows);
        return `${normalizeSearchTerm(row.lastName).slice(0, 4)} ${normalizeSearchTerm(row.firstName).slice(0, 2)}`;
      },
    ],
    [
      'phone',
      () => {
        const number = pick(withPhone).phone!;
        const national = number.slice(3);
        return pick([
          number,
          national,
          `+39 ${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`,
          `${national.slice(0, 3)} ${national.slice(3)}`,
          `0039${national}`,
        ]);
      },
    ],
    [
      'e-mail',
      () => {
        const email = pick(withEmail).email!;
        return random() < 0.5 ? email : email.slice(0, email.indexOf('@'));
      },
    ],
    [
      'fiscal code',
      () => {
        const code = pick(withCode).fiscalCode!;
        return random() < 0.7 ? code : code.slice(0, 11);
      },
    ],
  ];
  const queries: Query[] = [];
  for (let i = 0; i < perKind; i++) for (const [kind, make] of kinds) queries.push({ kind, q: make() });
  // Interleaved kinds, shuffled, so caches do not favour a kind.
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }
  return queries;
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
      supporters: Number(process.env.SEARCH_BENCH_SUPPORTERS ?? 1_000_000),
      open: async () => {
        const schema = `bench_search_${randomBytes(4).toString('hex')}`;
        const db = await openDatabase({ databaseUrl: pgUrl, schema, poolSize: 4 });
        return {
          db,
          cleanup: async () => {
            if (process.env.SEARCH_BENCH_KEEP === '1') ctx.log(`kept schema ${schema}`);
            else await sql.raw(`drop schema ${schema} cascade`).execute(db.kysely);
            await db.close();
          },
        };
      },
    });
  } else {
    ctx.log('CENTRALINO_BENCH_DATABASE_URL not set: PostgreSQL skipped');
  }
  if (process.env.SEARCH_BENCH_PGLITE !== '0') {
    targets.push({
      name: 'pglite',
      supporters: Number(process.env.SEARCH_BENCH_PGLITE_SUPPORTERS ?? 200_000),
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
        slug: `search-${suffix}`,
        name: 'Search',
      });
      const other = await createOrganization({ db, principal: null, slug: `other-${suffix}`, name: 'Other' });
      const otherCount = Math.round(target.supporters / 10);
      const buildStart = performance.now();
      await bulkLoad(db, async () => {
        await generateSupporters(db, main.id, target.supporters, 1);
        await generateSupporters(db, other.id, otherCount, 2);
      }, [main.id, other.id]);
      await vacuumAnalyze(db);
      const buildSeconds = (performance.now() - buildStart) / 1000;
      const terms = await db.readForOrg(main.id, (tx) =>
        sql<{ n: string }>`select count(*) n from supporter_search_terms`.execute(tx),
      );
      const parameters = {
        database: target.name,
        supporters: target.supporters,
        otherOrganization: otherCount,
        searchTerms: Number(terms.rows[0]!.n),
        pageSize: PAGE,
      };
      ctx.record({
        name: `${target.name}: build (supporters, phones, e-mails generated in SQL; terms set-based; indexes; vacuum analyze)`,
        value: buildSeconds,
        unit: 's',
        parameters,
      });
      ctx.record({
        name: `${target.name}: build rate`,
        value: (target.supporters + otherCount) / buildSeconds,
        unit: 'supporters/s',
        parameters,
      });
      // The trigger's cost as an import pays it: statements of 2,000 new
      // supporters into the full tables, with the trigger and without it.
      const importRows = 20_000;
      const withTrigger = performance.now();
      await generateSupporters(db, other.id, importRows, 3, IMPORT_BATCH);
      const withTriggerMs = performance.now() - withTrigger;
      const withoutTriggerMs = await asOwner(db, async () => {
        await sql`alter table supporters disable trigger supporters_search_terms_insert`.execute(db.kysely);
        try {
          const start = performance.now();
          await generateSupporters(db, other.id, importRows, 4, IMPORT_BATCH);
          return performance.now() - start;
        } finally {
          await sql`alter table supporters enable trigger supporters_search_terms_insert`.execute(db.kysely);
        }
      });
      // (The other organization's 20,000 inserted without the trigger have no
      // terms: they are never searched here.)
      const importParameters = { ...parameters, rows: importRows, rowsPerStatement: IMPORT_BATCH };
      ctx.record({
        name: `${target.name}: insert 2,000 per statement with the terms trigger`,
        value: (importRows * 1000) / withTriggerMs,
        unit: 'supporters/s',
        parameters: importParameters,
      });
      ctx.record({
        name: `${target.name}: insert 2,000 per statement without the terms trigger`,
        value: (importRows * 1000) / withoutTriggerMs,
        unit: 'supporters/s',
        parameters: importParameters,
      });
      await vacuumAnalyze(db);

      const queries = searchMix(
        await samples(db, main.id, 400),
        Number(process.env.SEARCH_BENCH_PER_KIND ?? 150),
      );
      const search = (q: string) => listSupporters({ db, orgId: main.id, limit: PAGE, q });
      for (const query of queries.slice(0, 100)) await search(query.q); // warm-up
      const byKind = new Map<string, number[]>();
      const all: number[] = [];
      const slowest: (Query & { ms: number })[] = [];
      const found: number[] = [];
      for (const query of queries) {
        const t0 = performance.now();
        const page = await search(query.q);
        const ms = performance.now() - t0;
        all.push(ms);
        slowest.push({ ...query, ms });
        found.push(page.items.length);
        byKind.set(query.kind, [...(byKind.get(query.kind) ?? []), ms]);
      }
      const label = `${target.name}, ${target.supporters.toLocaleString('en-US')} supporters`;
      ctx.record({ name: `${label}: search p50`, value: percentile(all, 50), unit: 'ms', parameters });
      ctx.record({ name: `${label}: search p95`, value: percentile(all, 95), unit: 'ms', parameters });
      ctx.record({
        name: `${label}: search p99`,
        value: percentile(all, 99),
        unit: 'ms',
        ...(target.name === 'postgres' && target.supporters >= 1_000_000
          ? { goal: { op: '<=' as const, value: GOAL_P99_MS } }
          : {}),
        parameters: { ...parameters, searches: all.length },
      });
      for (const [kind, samplesMs] of byKind) {
        ctx.record({
          name: `${label}: ${kind} p99`,
          value: percentile(samplesMs, 99),
          unit: 'ms',
          parameters: { ...parameters, searches: samplesMs.length, p50: percentile(samplesMs, 50) },
        });
      }
      slowest.sort((a, b) => b.ms - a.ms);
      ctx.log(
        `slowest: ${slowest
          .slice(0, 8)
          .map((x) => `${JSON.stringify(x.q)} (${x.kind}) ${x.ms.toFixed(1)} ms`)
          .join('; ')}`,
      );
      ctx.log(
        `${all.length} searches; pages with results ${found.filter((n) => n > 0).length}, ` +
          `full pages ${found.filter((n) => n === PAGE).length}`,
      );
    } finally {
      await cleanup();
    }
  }
}
