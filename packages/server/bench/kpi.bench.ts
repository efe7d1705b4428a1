// KPIs and SLA at scale (issue 7, "Acceptance"): one organization with
// 10,000,000 interactions over twelve months on PostgreSQL —
//   1. the data, generated set-based (insert … select … from generate_series),
//      and the 15-minute rollups built by the module's own rebuildKpiRollups;
//   2. a month's KPI report by day (kpiReport, the service of
//      GET /api/organizations/:orgId/kpis?group=day): median and p95, goal < 200 ms;
//   3. the SLA evaluation of that month with a realistic contract
//      (evaluateSlaPeriod, the service of …/sla/evaluation): goal < 500 ms;
//   4. rollup maintenance: closes per second through recordInteractionClosed,
//      one transaction per close as the live runtime does, and a batch of
//      closes per transaction (recordInteractionsClosed), against the bare
//      UPDATE of the close without rollups (same process): goal ≥ 5,000/s;
//   5. the CDR history import (`centralino import interactions`, runImport) of a
//      generated file into a fresh organization, against a raw COPY of the same
//      rows into interactions: goal ≥ 50,000 rows/s.
//
// PostgreSQL needs CENTRALINO_BENCH_DATABASE_URL. Sizes:
//   CENTRALINO_BENCH_KPI_ROWS (default 10,000,000), CENTRALINO_BENCH_KPI_IMPORT_ROWS
//   (default 200,000), CENTRALINO_BENCH_KPI_CLOSES (default 2,000 per way of closing);
//   PGlite (one WebAssembly thread, reduced and reported as such):
//   CENTRALINO_BENCH_KPI_ROWS_PGLITE (default 100,000 over two months),
//   CENTRALINO_BENCH_KPI_IMPORT_ROWS_PGLITE (default 20,000); CENTRALINO_BENCH_KPI_PGLITE=0 skips it.
// CENTRALINO_BENCH_KPI_ONLY=import measures only the import (fresh, then the same file
// again), after generating the history if the kept schema does not hold it yet.
// Keeping the generated data: CENTRALINO_BENCH_KPI_SCHEMA=name uses that schema
// and does not drop it; when it already holds the organization with the
// wanted number of interactions, generation and rebuild are skipped (their
// figures are then not recorded), so a re-run takes minutes, not half an hour.
// The closes and the import run in other organizations' rows or in rows they
// remove afterwards, so the kept data stays as generated.
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { localMonthBounds } from '@centralino/engine';
import { type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type BenchContext, percentile } from '../../../bench/lib.ts';
import { type Database, openDatabase, type Tx } from '../src/db/database.ts';
import { runImport } from '../src/modules/imports/import.service.ts';
import { kpiReport } from '../src/modules/kpis/kpi-report.service.ts';
import * as rollups from '../src/modules/kpis/kpi-rollups.service.ts';
import { createOrganization } from '../src/modules/organizations/organizations.service.ts';
import { createSlaContract } from '../src/modules/sla/sla-contracts.service.ts';
import { evaluateSlaPeriod } from '../src/modules/sla/sla-evaluation.service.ts';
import { createSecretBox } from '../src/security/secret-box.ts';

export const title = 'KPI rollups and SLA: report, evaluation, close maintenance and CDR import at scale';

const GOAL_REPORT_MS = 200;
const GOAL_SLA_MS = 500;
const GOAL_CLOSES_PER_SECOND = 5_000;
const GOAL_IMPORT_ROWS_PER_SECOND = 50_000;
const REPORT_RUNS = 20;
const MONTH = '2026-10';
const ZONE = 'Europe/Rome';
const SLUG = 'bench-kpi';

type Sizes = { rows: number; days: number; supporters: number; importRows: number; closes: number };

export async function run(ctx: BenchContext) {
  const dir = mkdtempSync(join(tmpdir(), 'centralino-kpi-bench-'));
  try {
    const pgUrl = process.env.CENTRALINO_BENCH_DATABASE_URL;
    if (pgUrl) {
      const kept = process.env.CENTRALINO_BENCH_KPI_SCHEMA;
      const schema = kept ?? `bench_${randomBytes(4).toString('hex')}`;
      const db = await openDatabase({ databaseUrl: pgUrl, schema, poolSize: 4 });
      try {
        const rows = Number(process.env.CENTRALINO_BENCH_KPI_ROWS ?? 10_000_000);
        await measure(
          ctx,
          db,
          'PostgreSQL',
          dir,
          {
            rows,
            days: 365,
            supporters: Math.max(1000, Math.round(rows / 20)),
            importRows: Number(process.env.CENTRALINO_BENCH_KPI_IMPORT_ROWS ?? 200_000),
            closes: Number(process.env.CENTRALINO_BENCH_KPI_CLOSES ?? 2_000),
          },
          { url: pgUrl, schema },
        );
      } finally {
        if (!kept) await sql.raw(`drop schema ${schema} cascade`).execute(db.kysely);
        await db.close();
      }
    } else {
      ctx.log('CENTRALINO_BENCH_DATABASE_URL not set: PostgreSQL skipped');
    }
    if (process.env.CENTRALINO_BENCH_KPI_PGLITE !== '0') {
      const db = await openDatabase({ dataDir: 'memory://' });
      try {
        const rows = Number(process.env.CENTRALINO_BENCH_KPI_ROWS_PGLITE ?? 100_000);
        await measure(ctx, db, 'PGlite (reduced)', dir, {
          rows,
          days: 61,
          supporters: Math.max(1000, Math.round(rows / 20)),
          importRows: Number(process.env.CENTRALINO_BENCH_KPI_IMPORT_ROWS_PGLITE ?? 20_000),
          closes: Number(process.env.CENTRALINO_BENCH_KPI_CLOSES_PGLITE ?? 300),
        });
      } finally {
        await db.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(
  ctx: BenchContext,
  db: Database,
  label: string,
  dir: string,
  sizes: Sizes,
  postgres?: { url: string; schema: string },
) {
  const goal = (op: '<=' | '>=', value: number) => (postgres ? { goal: { op, value } } : {});
  const month = localMonthBounds(MONTH, ZONE);
  // The data end with October 2026; they start `days` before.
  const startMs = month.toMs - sizes.days * 86_400_000;
  const params = { database: label, interactions: sizes.rows, days: sizes.days };

  // ---- 1. data and rollups ---------------------------------------------------------------
  let orgId = await findOrg(db);
  const existing = orgId
    ? await db.readForOrg(orgId, async (tx) =>
        Number((await sql<{ n: string }>`select count(*) as n from interactions`.execute(tx)).rows[0]!.n),
      )
    : 0;
  if (orgId && existing === sizes.rows) {
    ctx.log(
      `${label}: reusing ${existing.toLocaleString('en-US')} interactions of schema ${postgres?.schema}`,
    );
  } else {
    if (orgId)
      throw new Error(`schema holds ${existing} interactions, not ${sizes.rows}: drop it or pick another`);
    orgId = (await createOrganization({ db, principal: null, slug: SLUG, name: 'Bench KPI', timeZone: ZONE }))
      .id;
    const org = orgId;
    let start = performance.now();
    await db.forOrg(org, (tx) => insertSupporters(tx, org, sizes.supporters, null));
    await generateInteractions(ctx, db, org, sizes, startMs, label);
    const generated = (performance.now() - start) / 1000;
    ctx.record({
      name: `${label}: generate the interactions (set-based SQL, indexes rebuilt after)`,
      value: sizes.rows / generated,
      unit: 'rows/s',
      parameters: { ...params, seconds: round(generated) },
    });
    start = performance.now();
    const built = await db.forOrg(org, (tx) =>
      rollups.rebuildKpiRollups(tx, { orgId: org, fromMs: startMs - 86_400_000, toMs: null }),
    );
    const rebuilt = (performance.now() - start) / 1000;
    await db.forOrg(org, (tx) => sql`analyze kpi_rollups, kpi_rollups_all_operators`.execute(tx));
    ctx.record({
      name: `${label}: rebuild every rollup (rebuildKpiRollups)`,
      value: built.interactions / rebuilt,
      unit: 'interactions/s',
      parameters: { ...params, rollupRows: built.rows, seconds: round(rebuilt) },
    });
    await createSlaContract({ db, orgId: org, input: CONTRACT, actor: null });
  }
  const org = orgId;
  // Fresh statistics, as autovacuum keeps them on a live database (also when the data are kept
  // from an earlier run, whose closes and imports changed them, or a migration just filled a table).
  await db.forOrg(org, (tx) => sql`analyze kpi_rollups, kpi_rollups_all_operators`.execute(tx));
  const rollupRows = await db.readForOrg(org, async (tx) =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from kpi_rollups where org_id = ${org}::uuid
          and interval_start >= ${iso(month.fromMs)}::timestamptz and interval_start < ${iso(month.toMs)}::timestamptz`.execute(
          tx,
        )
      ).rows[0]!.n,
    ),
  );

  // CENTRALINO_BENCH_KPI_ONLY=import: the import alone, next to the kept history (minutes, not an hour).
  if (process.env.CENTRALINO_BENCH_KPI_ONLY === 'import') {
    await measureImport(ctx, db, label, dir, sizes, month, goal, postgres);
    return;
  }

  // ---- 2. the month's report by day ------------------------------------------------------------
  const report = await timed(REPORT_RUNS, () =>
    kpiReport({ db, orgId: org, fromMs: month.fromMs, toMs: month.toMs, group: 'day', filter: {} }),
  );
  if (report.last.groups.length !== 31) throw new Error(`expected 31 days, got ${report.last.groups.length}`);
  ctx.record({
    name: `${label}: a month's KPI report by day (median)`,
    value: report.median,
    unit: 'ms',
    ...goal('<=', GOAL_REPORT_MS),
    parameters: { ...params, month: MONTH, monthRollupRows: rollupRows, runs: REPORT_RUNS, p95: report.p95 },
  });
  ctx.record({
    name: `${label}: a month's KPI report by day (p95)`,
    value: report.p95,
    unit: 'ms',
    parameters: { ...params, month: MONTH, runs: REPORT_RUNS },
  });

  // ---- 3. the month's SLA evaluation -----------------------------------------------------------
  const sla = await timed(REPORT_RUNS, () =>
    evaluateSlaPeriod({ db, orgId: org, period: { month: MONTH }, invoiceCents: 1_200_000 }),
  );
  ctx.log(
    `${label}: SLA ${MONTH}: ${sla.last.metrics.map((m) => `${m.id}=${m.value === null ? '–' : round(m.value)} ${m.status}`).join(', ')}`,
  );
  ctx.record({
    name: `${label}: the month's SLA evaluation (median)`,
    value: sla.median,
    unit: 'ms',
    ...goal('<=', GOAL_SLA_MS),
    parameters: {
      ...params,
      month: MONTH,
      metrics: CONTRACT.metrics.length,
      runs: REPORT_RUNS,
      p95: sla.p95,
    },
  });
  ctx.record({
    name: `${label}: the month's SLA evaluation (p95)`,
    value: sla.p95,
    unit: 'ms',
    parameters: { ...params, month: MONTH, runs: REPORT_RUNS },
  });

  // ---- 4. closes ------------------------------------------------------------------------------------------
  await measureCloses(ctx, db, label, org, sizes, month.toMs - 86_400_000, goal);

  // ---- 5. CDR import ---------------------------------------------------------------------------
  await measureImport(ctx, db, label, dir, sizes, month, goal, postgres);
}

async function findOrg(db: Database): Promise<string | undefined> {
  return db.asCenter(async (tx) => {
    const row = await tx.selectFrom('organizations').select('id').where('slug', '=', SLUG).executeTakeFirst();
    return row?.id;
  });
}

/** Supporters k = 1…n with ids derived from k (the generator picks them by k); `system` also stores `D<k>` as their external id. */
async function insertSupporters(tx: Tx, orgId: string, n: number, system: string | null) {
  await sql`
    insert into supporters (id, org_id, first_name, last_name)
    select ${supporterId(orgId, sql`k`)}, ${orgId}::uuid, 'Nome' || k, 'Cognome' || k
    from generate_series(1, ${n}::int) k`.execute(tx);
  if (system) {
    await sql`
      insert into supporter_external_ids (org_id, system, external_id, supporter_id)
      select ${orgId}::uuid, ${system}, 'D' || k, ${supporterId(orgId, sql`k`)}
      from generate_series(1, ${n}::int) k`.execute(tx);
  }
}

const supporterId = (orgId: string, k: RawBuilder<unknown>) => sql`md5(${orgId} || ':' || ${k})::uuid`;

const QUEUES = ['assistenza', 'donazioni', 'lasciti', 'eventi', 'amministrazione', 'emergenze'];
const CAMPAIGNS = [
  ['benvenuto-2026', 'welcome'],
  ['upgrade-rid', 'upgrade'],
  ['conversione-one-off', 'conversion'],
  ['recupero-revocati', 'recapture'],
  ['ringraziamento', 'thank_you'],
  ['fidelizzazione', 'loyalty'],
  ['upgrade-natale', 'upgrade'],
  ['emergenza-terremoto', 'one_off'],
] as const;
const textArray = (values: readonly string[]) => sql.raw(`array[${values.map((v) => `'${v}'`).join(', ')}]`);

/**
 * The generated contacts g = from…to as CDR-like rows (one SELECT, random per
 * row): 60 % inbound on six queues (each with a team of seven operators; IVR
 * up to 20 s, waits exponential around 14 s, 8 % abandoned, talk 40 s + ~200 s,
 * wrap 5–65 s, some hold and transfers, 70 % known supporters), 40 % outbound on
 * eight campaigns (teams of five; 35 % reached by a person, 80 % of those the
 * right party, a quarter of those successful, upgrades with an amount; machine,
 * no answer, busy, failed; a few drops; two attempts per list record on
 * average; welcome cycles with their start). Days 08:00–20:00 Europe/Rome
 * (07:00 UTC + 12 h, so the summer-time months shift an hour: harmless).
 */
function generator(o: { from: number; to: number; startMs: number; days: number; supporters: number }) {
  return sql`
    with b as (
      select g, random() < 0.6 as inbound, floor(random() * ${o.days}::int)::int as day, random() as tod,
             random() as u1, random() as u2, random() as u3, random() as u4, random() as u5, random() as u6,
             random() as u7, random() as u8
      from generate_series(${o.from}::int, ${o.to}::int) g
    ), t as (
      select b.*,
             ${iso(o.startMs)}::timestamptz + day * interval '1 day' + interval '7 hours' + tod * interval '12 hours' as created_at,
             floor(u1 * 6)::int as qi, floor(u1 * 8)::int as ci,
             case when u3 < 0.35 then 'human' when u3 < 0.5 then 'machine' when u3 < 0.85 then 'none'
                  when u3 < 0.95 then 'busy' else 'failed' end as answered_by,
             -ln(1 - u5) as e5, -ln(1 - u6) as e6
      from b
    ), p as (
      select t.*,
             -- inbound
             created_at + u3 * interval '20 seconds' as queued_at,
             u4 < 0.08 as abandoned,
             -- outbound
             case when answered_by in ('human', 'machine') then created_at + (5 + u7 * 20) * interval '1 second' end
               as callee_answered_at,
             answered_by = 'human' and u4 < 0.02 as dropped,
             answered_by = 'human' and u4 >= 0.02 and u4 < 0.8 as rpc
      from t
    ), r as (
      select p.*,
             case when inbound and not abandoned then queued_at + e5 * 14 * interval '1 second'
                  when not inbound and answered_by = 'human' and not dropped then callee_answered_at + interval '1 second'
             end as answered_at,
             case when inbound and abandoned then queued_at + e5 * 35 * interval '1 second' end as abandoned_at
      from p
    )
    select g,
           'cdr-' || g as external_id,
           case when inbound and u7 < 0.05 then 'chat' else 'voice' end as channel,
           case when inbound then 'inbound' else 'outbound' end as direction,
           case when inbound then (${textArray(QUEUES)})[qi + 1] end as source_queue,
           case when not inbound then (${textArray(CAMPAIGNS.map((c) => c[0]))})[ci + 1] end as source_campaign,
           case when answered_at is null then null
                when inbound then 'op-' || (${textArray(QUEUES)})[qi + 1] || '-' || floor(u2 * 7)
                else 'op-' || (${textArray(CAMPAIGNS.map((c) => c[0]))})[ci + 1] || '-' || floor(u2 * 5) end as source_operator,
           case when (inbound and u8 < 0.7) or (not inbound and u6 < 0.6)
                then 1 + floor(u2 * 1000003 + u8 * 7919)::int % ${o.supporters}::int end as supporter_k,
           case when inbound then 'inbound' else (${textArray(CAMPAIGNS.map((c) => c[1]))})[ci + 1] end as cycle_type,
           created_at,
           case when inbound then queued_at end as queued_at,
           case when answered_at is not null and inbound then greatest(queued_at, answered_at - interval '3 seconds') end as offered_at,
           answered_at, abandoned_at,
           case when answered_at is not null then answered_at + (40 + e6 * 200) * interval '1 second'
                when abandoned_at is not null then abandoned_at
                when inbound then queued_at
                else coalesce(callee_answered_at, created_at + interval '30 seconds') + interval '2 seconds' end as ended_at,
           case when answered_at is not null then answered_at + (40 + e6 * 200 + 5 + u7 * 60) * interval '1 second' end as wrap_ended_at,
           case when not inbound then created_at end as dialed_at,
           case when not inbound then callee_answered_at end as callee_answered_at,
           case when not inbound then answered_by end as answered_by,
           case when not inbound and answered_by = 'machine' then u4 < 0.05 end as amd_false_positive,
           case when not inbound then dropped end as dropped,
           case when answered_at is not null and u6 > 0.85 then floor(u7 * 40)::int else 0 end as hold_seconds,
           case when inbound and answered_at is not null then u3 > 0.95 end as transferred,
           case when inbound and answered_at is not null then (array['informazioni', 'donazione', 'reclamo', 'variazione'])[1 + floor(u7 * 4)::int]
                when not inbound and rpc then case when u5 < 0.25 then 'accetta' else 'rifiuta' end end as source_outcome,
           case when not inbound and answered_by = 'human' and not dropped then rpc and u5 < 0.25 end as successful,
           case when not inbound and answered_by = 'human' and not dropped then rpc end as right_party_contact,
           case when not inbound then 'L' || ci || '-' || floor(u8 * ${Math.max(100, Math.round((o.supporters * 20 * 0.4) / 16))}::int) end as list_record_id,
           case when not inbound then 1 + floor(u7 * 3)::int end as attempt_number,
           case when not inbound and ci = 0 then created_at - u5 * interval '10 days' end as cycle_started_at,
           case when not inbound and rpc and u5 < 0.25 and ci in (1, 2, 6) then 500 + floor(u6 * 2500)::int end as outcome_amount_cents,
           case when answered_at is not null then 'completed' when abandoned_at is not null then 'abandoned'
                when not inbound and answered_by = 'failed' then 'failed' else 'completed' end as end_cause
    from r`;
}

const INSERT_COLUMNS = `id, org_id, external_id, channel, direction, source_queue, source_campaign, source_operator,
  supporter_id, cycle_type, created_at, queued_at, offered_at, answered_at, abandoned_at, ended_at, wrap_ended_at,
  dialed_at, callee_answered_at, answered_by, amd_false_positive, dropped, hold_seconds, transferred, source_outcome,
  successful, right_party_contact, list_record_id, attempt_number, cycle_started_at, outcome_amount_cents, end_cause`;

/** Inserts the organization's interactions in chunks, with interactions' secondary indexes dropped and rebuilt after. */
async function generateInteractions(
  ctx: BenchContext,
  db: Database,
  orgId: string,
  sizes: Sizes,
  startMs: number,
  label: string,
) {
  const indexes = await db.forOrg(orgId, async (tx) => {
    const found = await sql<{ name: string; definition: string }>`
      select indexname as name, indexdef as definition from pg_indexes
      where tablename = 'interactions' and schemaname = current_schema() and indexname <> 'interactions_pkey'`.execute(
      tx,
    );
    return found.rows;
  });
  // Dropping needs the table's owner: the bench's connection is (migrations ran as it); PGlite's app role is not.
  const owner = db.kind === 'postgres';
  if (owner) for (const i of indexes) await sql.raw(`drop index ${i.name}`).execute(db.kysely);
  const CHUNK = 500_000;
  const started = performance.now();
  for (let from = 1; from <= sizes.rows; from += CHUNK) {
    const to = Math.min(sizes.rows, from + CHUNK - 1);
    await db.forOrg(orgId, (tx) =>
      sql`
        insert into interactions (${sql.raw(INSERT_COLUMNS)})
        select ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, ${orgId}::uuid, external_id, channel,
               direction, source_queue, source_campaign, source_operator,
               case when supporter_k is not null then ${supporterId(orgId, sql`supporter_k`)} end,
               cycle_type, created_at, queued_at, offered_at, answered_at, abandoned_at, ended_at, wrap_ended_at,
               dialed_at, callee_answered_at, answered_by, amd_false_positive, dropped, hold_seconds, transferred,
               source_outcome, successful, right_party_contact, list_record_id, attempt_number, cycle_started_at,
               outcome_amount_cents, end_cause
        from (${generator({ from, to, startMs, days: sizes.days, supporters: sizes.supporters })}) x`.execute(
        tx,
      ),
    );
    if (sizes.rows > CHUNK)
      ctx.log(
        `${label}: ${to.toLocaleString('en-US')} interactions (${round((performance.now() - started) / 1000)} s)`,
      );
  }
  if (owner) {
    for (const i of indexes) await sql.raw(i.definition).execute(db.kysely);
    ctx.log(`${label}: indexes rebuilt (${round((performance.now() - started) / 1000)} s)`);
  }
  await db.forOrg(orgId, (tx) => sql`analyze interactions, supporters`.execute(tx));
}

/** DOMAIN.md §8: a donor-care contract — month SL, abandon rate and ASA paid on, a daily SL and a queue's AHT watched. */
const CONTRACT = {
  name: 'Servizio donatori 2026',
  validFrom: '2025-09',
  atRiskPercent: 10,
  metrics: [
    {
      kpi: 'service_level',
      minimum: 0.7,
      target: 0.8,
      window: 'month',
      kind: 'critical',
      allocationPercent: 40,
    },
    {
      kpi: 'abandon_rate',
      minimum: 0.1,
      target: 0.05,
      window: 'month',
      kind: 'critical',
      allocationPercent: 20,
    },
    { kpi: 'asa', minimum: 20, target: 15, window: 'month', kind: 'critical', allocationPercent: 40 },
    { id: 'sl_daily', kpi: 'service_level', minimum: 0.7, target: 0.8, window: 'day', kind: 'key' },
    {
      id: 'sl_interval_lasciti',
      kpi: 'service_level',
      minimum: 0.6,
      target: 0.8,
      window: 'interval',
      kind: 'key',
      requiredShare: 0.9,
      filter: { queue: 'lasciti' },
    },
  ],
  bonusRules: [{ id: 'excellence', percentOfInvoice: 2 }],
} as unknown as Parameters<typeof createSlaContract>[0]['input'];

async function timed<T>(runs: number, work: () => Promise<T>) {
  let last = await work(); // warm-up: plans and caches
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = await work();
    samples.push(performance.now() - start);
  }
  return { median: percentile(samples, 50), p95: percentile(samples, 95), last };
}

/**
 * Opens `closes` interactions per way of closing, in the last day's busy
 * hours (where the intervals are full), then closes them in time order:
 * the bare UPDATE (baseline), the UPDATE + recordInteractionClosed per
 * transaction, and batches of closes in one transaction. Removed afterwards
 * with their rollups rebuilt, so kept data stay as generated.
 */
async function measureCloses(
  ctx: BenchContext,
  db: Database,
  label: string,
  orgId: string,
  sizes: Sizes,
  dayMs: number,
  goal: (op: '<=' | '>=', value: number) => object,
) {
  const n = sizes.closes;
  const from = dayMs + 9 * 3_600_000; // 09:00 local-ish (UTC+1: 08:00 UTC)
  // The closes of each way are spread over the closing time they would take at
  // the goal's rate (5,000/s): the SLA alert check runs at most once per
  // DEBOUNCE_MS = 5 s of closing time and organization, so a center closing
  // that fast pays it once per 25,000 closes, and so does the bench.
  const span = Math.max(1000, Math.ceil((n / GOAL_CLOSES_PER_SECOND) * 1000));
  const ways = ['bare', 'single', 'batch'] as const;
  const rates: Partial<Record<(typeof ways)[number] | 'maintenance', number>> = {};
  const ids: Record<(typeof ways)[number], string[]> = { bare: [], single: [], batch: [] };
  await db.forOrg(orgId, async (tx) => {
    for (const way of ways) {
      const rows = await sql<{ id: string }>`
        insert into interactions (org_id, direction, source_queue, created_at, queued_at, offered_at, answered_at,
                                  source_operator, channel, cycle_type)
        select ${orgId}::uuid, 'inbound', 'assistenza', t, t, t + interval '8 seconds', t + interval '10 seconds',
               'op-assistenza-' || (k % 7), 'voice', 'inbound'
        from generate_series(1, ${n}::int) k,
             lateral (select ${iso(from)}::timestamptz + (k::float8 / ${n}::int) * ${span}::int * interval '1 millisecond' as t) x
        order by k
        returning id`.execute(tx);
      ids[way] = rows.rows.map((r) => r.id);
    }
  });
  const closeSql = (id: string) => sql`
    update interactions set ended_at = answered_at + interval '3 minutes', wrap_ended_at = answered_at + interval '4 minutes',
                            end_cause = 'completed'
    where id = ${id}::uuid`;
  const params = { database: label, interactions: sizes.rows, closes: n };
  let start = performance.now();
  for (const id of ids.bare) await db.forOrg(orgId, (tx) => closeSql(id).execute(tx));
  rates.bare = n / ((performance.now() - start) / 1000);
  start = performance.now();
  for (const id of ids.single)
    await db.forOrg(orgId, async (tx) => {
      await closeSql(id).execute(tx);
      await rollups.recordInteractionClosed(tx, { orgId, interactionId: id });
    });
  rates.single = n / ((performance.now() - start) / 1000);
  const batchSize = 100;
  const batched = (rollups as Record<string, unknown>).recordInteractionsClosed as
    | ((tx: Tx, o: { orgId: string; interactionIds: string[] }) => Promise<void>)
    | undefined;
  start = performance.now();
  // The rollup maintenance alone (the goal's subject): the batch's recordInteractionsClosed,
  // without the closes' own UPDATEs and the commit.
  let maintenanceMs = 0;
  for (let at = 0; at < n; at += batchSize) {
    const batch = ids.batch.slice(at, at + batchSize);
    await db.forOrg(orgId, async (tx) => {
      for (const id of batch) await closeSql(id).execute(tx);
      const begun = performance.now();
      if (batched) await batched(tx, { orgId, interactionIds: batch });
      else for (const id of batch) await rollups.recordInteractionClosed(tx, { orgId, interactionId: id });
      maintenanceMs += performance.now() - begun;
    });
  }
  rates.batch = n / ((performance.now() - start) / 1000);
  rates.maintenance = n / (maintenanceMs / 1000);
  // Put the kept data back as generated.
  await db.forOrg(orgId, async (tx) => {
    const all = [...ids.bare, ...ids.single, ...ids.batch];
    await sql`delete from interactions where id = any(${all}::uuid[])`.execute(tx);
    await rollups.rebuildKpiRollups(tx, { orgId, fromMs: from - 3_600_000, toMs: from + span + 3_600_000 });
    await sql`delete from sla_alerts`.execute(tx);
    await sql`delete from outbox_events`.execute(tx);
  });
  ctx.record({
    name: `${label}: closes, bare UPDATE per transaction (baseline, no rollups)`,
    value: rates.bare!,
    unit: 'closes/s',
    parameters: params,
  });
  ctx.record({
    // One commit per close: bound by the commit like the baseline; the live runtime
    // batches its closes (live/live-writer.ts), which the next two figures measure.
    name: `${label}: closes, UPDATE + recordInteractionClosed, one transaction each`,
    value: rates.single!,
    unit: 'closes/s',
    parameters: { ...params, ofBaseline: round(rates.single! / rates.bare!) },
  });
  ctx.record({
    name: `${label}: closes, ${batchSize} per transaction (${batched ? 'recordInteractionsClosed' : 'recordInteractionClosed each'})`,
    value: rates.batch!,
    unit: 'closes/s',
    parameters: { ...params, batchSize, ofBaseline: round(rates.batch! / rates.bare!) },
  });
  ctx.record({
    name: `${label}: rollup maintenance of batched closes (recordInteractionsClosed alone, ${batchSize} per transaction)`,
    value: rates.maintenance!,
    unit: 'closes/s',
    ...goal('>=', GOAL_CLOSES_PER_SECOND),
    parameters: { ...params, batchSize },
  });
}

const CDR_COLUMNS_OUT = [
  'id',
  'channel',
  'direction',
  'queue',
  'campaign',
  'operator',
  'supporter_external_id',
  'created_at',
  'queued_at',
  'offered_at',
  'answered_at',
  'abandoned_at',
  'ended_at',
  'wrap_ended_at',
  'hold_seconds',
  'transferred',
  'outcome',
  'successful',
  'dialed_at',
  'callee_answered_at',
  'answered_by',
  'right_party_contact',
  'dropped',
  'amd_false_positive',
  'list_record_id',
  'attempt_number',
  'cycle_type',
  'cycle_started_at',
  'outcome_amount_cents',
];
const RAW_COLUMNS = `external_id, channel, direction, source_queue, source_campaign, source_operator, supporter_id,
  created_at, queued_at, offered_at, answered_at, abandoned_at, ended_at, wrap_ended_at, hold_seconds, transferred,
  source_outcome, successful, dialed_at, callee_answered_at, answered_by, right_party_contact, dropped,
  amd_false_positive, list_record_id, attempt_number, cycle_type, cycle_started_at, outcome_amount_cents, end_cause,
  org_id`;

/**
 * A month of CDR rows from the same generator, written as the CSV a switchboard
 * exports (and, for the baseline, the same rows in interactions' own columns),
 * imported into a fresh organization whose supporters carry the file's ids.
 */
async function measureImport(
  ctx: BenchContext,
  db: Database,
  label: string,
  dir: string,
  sizes: Sizes,
  month: { fromMs: number; toMs: number },
  goal: (op: '<=' | '>=', value: number) => object,
  postgres?: { url: string; schema: string },
) {
  const rows = sizes.importRows;
  const supporters = Math.max(1000, Math.round(rows / 10));
  const slug = `bench-cdr-${randomBytes(3).toString('hex')}`;
  const target = await createOrganization({ db, principal: null, slug, name: 'Bench CDR', timeZone: ZONE });
  const rawOrg = await createOrganization({
    db,
    principal: null,
    slug: `${slug}-raw`,
    name: 'Bench raw',
    timeZone: ZONE,
  });
  await db.forOrg(target.id, (tx) => insertSupporters(tx, target.id, supporters, 'import'));
  await db.forOrg(rawOrg.id, (tx) => insertSupporters(tx, rawOrg.id, supporters, null));
  const cdr = join(dir, `cdr-${label.replace(/\W/g, '')}.csv`);
  const raw = join(dir, `raw-${label.replace(/\W/g, '')}.csv`);
  const days = Math.round((month.toMs - month.fromMs) / 86_400_000);
  const cdrFile = await open(cdr, 'w');
  const rawFile = await open(raw, 'w');
  await cdrFile.write(`${CDR_COLUMNS_OUT.join(',')}\n`);
  const CHUNK = 50_000;
  const text = (v: unknown) => {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'boolean') return v ? '1' : '0';
    return String(v);
  };
  for (let from = 1; from <= rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK - 1);
    const result = await db.readForOrg(target.id, (tx) =>
      sql<Record<string, unknown>>`
        select x.*, ${supporterId(rawOrg.id, sql`x.supporter_k`)} as raw_supporter
        from (${generator({ from, to, startMs: month.fromMs, days, supporters })}) x order by created_at`.execute(
        tx,
      ),
    );
    const cdrLines: string[] = [];
    const rawLines: string[] = [];
    for (const r of result.rows) {
      const v = (c: string) => text(r[c]);
      cdrLines.push(
        [
          v('external_id'),
          v('channel'),
          v('direction'),
          v('source_queue'),
          v('source_campaign'),
          v('source_operator'),
          r.supporter_k == null ? '' : `D${r.supporter_k}`,
          v('created_at'),
          v('queued_at'),
          v('offered_at'),
          v('answered_at'),
          v('abandoned_at'),
          v('ended_at'),
          v('wrap_ended_at'),
          v('hold_seconds'),
          v('transferred'),
          v('source_outcome'),
          v('successful'),
          v('dialed_at'),
          v('callee_answered_at'),
          v('answered_by'),
          v('right_party_contact'),
          v('dropped'),
          v('amd_false_positive'),
          v('list_record_id'),
          v('attempt_number'),
          v('cycle_type'),
          v('cycle_started_at'),
          v('outcome_amount_cents'),
        ].join(','),
      );
      rawLines.push(
        [
          v('external_id'),
          v('channel'),
          v('direction'),
          v('source_queue'),
          v('source_campaign'),
          v('source_operator'),
          r.supporter_k == null ? '' : v('raw_supporter'),
          v('created_at'),
          v('queued_at'),
          v('offered_at'),
          v('answered_at'),
          v('abandoned_at'),
          v('ended_at'),
          v('wrap_ended_at'),
          v('hold_seconds'),
          v('transferred'),
          v('source_outcome'),
          v('successful'),
          v('dialed_at'),
          v('callee_answered_at'),
          v('answered_by'),
          v('right_party_contact'),
          v('dropped'),
          v('amd_false_positive'),
          v('list_record_id'),
          v('attempt_number'),
          v('cycle_type'),
          v('cycle_started_at'),
          v('outcome_amount_cents'),
          v('end_cause'),
          rawOrg.id,
        ].join(','),
      );
    }
    await cdrFile.write(`${cdrLines.join('\n')}\n`);
    await rawFile.write(`${rawLines.join('\n')}\n`);
  }
  await cdrFile.close();
  await rawFile.close();
  const params = { database: label, rows, supporters };
  const secrets = createSecretBox(randomBytes(32));
  await db.forOrg(target.id, (tx) =>
    sql`analyze interactions, kpi_rollups, supporter_external_ids`.execute(tx),
  );
  ctx.log(`${label}: importing ${rows.toLocaleString('en-US')} CDR rows`);
  let start = performance.now();
  const summary = await runImport({
    db,
    secrets,
    orgId: target.id,
    kind: 'interactions',
    path: cdr,
    actor: 'bench',
  });
  const seconds = (performance.now() - start) / 1000;
  if (summary.created !== rows)
    throw new Error(`expected ${rows} created, got ${JSON.stringify(summary).slice(0, 500)}`);
  const rate = rows / seconds;
  ctx.record({
    name: `${label}: CDR history import (runImport, rollups maintained)`,
    value: rate,
    unit: 'rows/s',
    ...goal('>=', GOAL_IMPORT_ROWS_PER_SECOND),
    parameters: { ...params, seconds: round(seconds) },
  });
  // The same file again: every row is known by its id, nothing changes (idempotence).
  start = performance.now();
  const again = await runImport({
    db,
    secrets,
    orgId: target.id,
    kind: 'interactions',
    path: cdr,
    actor: 'bench',
  });
  const againSeconds = (performance.now() - start) / 1000;
  if (again.unchanged !== rows || again.created !== 0)
    throw new Error(`expected ${rows} unchanged, got ${JSON.stringify(again).slice(0, 500)}`);
  ctx.record({
    name: `${label}: CDR history import of the same file again (all unchanged)`,
    value: rows / againSeconds,
    unit: 'rows/s',
    parameters: { ...params, seconds: round(againSeconds) },
  });
  if (postgres) {
    const client = new pg.Client({
      connectionString: postgres.url,
      options: `-c search_path=${postgres.schema}`,
    });
    await client.connect();
    try {
      // COPY refuses a table under row-level security: a copy of interactions
      // with its columns, checks and indexes (not its policies or foreign keys).
      await client.query('create table bench_raw (like interactions including all)');
      start = performance.now();
      const stream = client.query(copyFrom(`copy bench_raw (${RAW_COLUMNS}) from stdin with (format csv)`));
      await pipeline(createReadStream(raw), stream);
      const copySeconds = (performance.now() - start) / 1000;
      const copyRate = rows / copySeconds;
      ctx.record({
        name: `${label}: raw COPY of the same rows into a copy of interactions (baseline)`,
        value: copyRate,
        unit: 'rows/s',
        parameters: { ...params, seconds: round(copySeconds) },
      });
      ctx.record({
        name: `${label}: import ÷ raw COPY`,
        value: rate / copyRate,
        unit: '×',
        parameters: params,
      });
      await client.query('drop table bench_raw');
    } finally {
      await client.end();
    }
  } else {
    ctx.log(`${label}: no raw COPY baseline (the app's PGlite handle has no COPY path)`);
  }
  // The kept schema keeps only the generated organization.
  await db.asCenter(async (tx) => {
    await sql`delete from interactions where org_id = any(${[target.id, rawOrg.id]}::uuid[])`.execute(tx);
    await sql`delete from organizations where id = any(${[target.id, rawOrg.id]}::uuid[])`.execute(tx);
  });
}

const iso = (ms: number) => new Date(ms).toISOString();
const round = (value: number) => Math.round(value * 100) / 100;
