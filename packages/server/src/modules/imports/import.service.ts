// The import pipeline, the same for the CLI and the API: open the file
// (streaming; encoding, delimiter and format detected), resolve the column
// mapping, then read rows in batches. Each batch is validated here and applied
// by the kind's importer in ONE transaction that also advances the job row, so
// a crash loses at most the batch in flight and never leaves half of one.
// Bad rows go to the report (line, column, value, reason) and the good rows of
// the same batch still land. A dry run applies every batch inside a single
// transaction and rolls it back: it sees its own earlier rows (so duplicates
// within the file are reported as they would be) and writes nothing.
//
// While a batch is in the database, the next one is read and validated, so on
// PostgreSQL the two processes work in parallel.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { ImportKind } from '../../db/schema.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import type { BatchOutcome, ImportContext, Importer, RowIssue } from './import.types.ts';
import { createImportReport, type ImportReport, maskBankData } from './import-report.ts';
import { importerFor } from './importers.ts';
import { type ColumnMapping, type ResolvedMapping, resolveMapping } from './mapping.ts';
import { type OpenedTable, openTable, type TableFormat } from './reader/table-reader.ts';

export type ImportOptions = {
  db: Database;
  secrets: SecretBox;
  orgId: string;
  kind: ImportKind;
  path: string;
  /** Name shown in the job list (default: the file's base name). */
  fileName?: string;
  mapping?: ColumnMapping;
  /** A saved mapping of the organization, used when `mapping` is absent. */
  preset?: string;
  /** External-id system the file's ids belong to (default "import"). */
  system?: string;
  dryRun?: boolean;
  actor: string;
  /** Where to write the CSV of rejected rows (always written when given, header only when none). */
  reportPath?: string;
  onProgress?: (progress: { rowsRead: number; bytesRead: number | undefined }) => void;
  batchSize?: number;
  now?: () => Date;
};

export type ImportSummary = {
  jobId: string;
  kind: ImportKind;
  dryRun: boolean;
  format: TableFormat;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  ignoredColumns: string[];
  /** The first rejected rows (all of them are in the report file). */
  errors: RowIssue[];
};

/** Errors kept on the job row for the API; the report file has them all. */
export const JOB_ERROR_LIMIT = 1000;
const DEFAULT_BATCH = 2000;

class DryRunRollback extends Error {}

/** Runs an import to the end (the CLI). */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const { done } = await startImport(options);
  return done;
}

/**
 * Creates the job row and starts the import; `done` settles when it ends
 * (the API answers with the job id at once and lets clients poll it).
 */
export async function startImport(
  options: ImportOptions,
): Promise<{ jobId: string; done: Promise<ImportSummary> }> {
  const { db, orgId, kind } = options;
  const now = options.now ?? (() => new Date());
  const dryRun = options.dryRun ?? false;
  const fileSha256 = await sha256File(options.path);
  const jobId = await db.forOrg(orgId, async (tx) => {
    const row = await tx
      .insertInto('import_jobs')
      .values({
        org_id: orgId,
        kind,
        file_name: options.fileName ?? basename(options.path),
        file_sha256: fileSha256,
        dry_run: dryRun,
        started_by: options.actor,
        errors: '[]',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
  const fail = (error: unknown) =>
    db
      .forOrg(orgId, (tx) =>
        tx
          .updateTable('import_jobs')
          .set({ status: 'failed', error: (error as Error).message.slice(0, 1000), finished_at: now() })
          .where('id', '=', jobId)
          .execute(),
      )
      .catch(() => undefined);
  // The file and the mapping are checked before the job is handed back, so
  // an unreadable file or a wrong mapping is an immediate, clear error.
  let opened: Opened;
  try {
    opened = await openImport(options);
  } catch (error) {
    await fail(error);
    throw error;
  }
  const done = (async () => {
    const report = options.reportPath ? await createImportReport(options.reportPath) : undefined;
    try {
      const summary = await importRows({ ...options, dryRun, now }, jobId, opened, report);
      await report?.close();
      return summary;
    } catch (error) {
      await report?.close().catch(() => undefined);
      await opened.table.close().catch(() => undefined);
      await fail(error);
      throw error;
    }
  })();
  return { jobId, done };
}

type Opened = {
  table: OpenedTable;
  mapping: ResolvedMapping;
  importer: Importer<unknown>;
  settings: Awaited<ReturnType<typeof loadSettings>>;
};

async function openImport(options: ImportOptions): Promise<Opened> {
  const { db, orgId, kind } = options;
  const settings = await db.readForOrg(orgId, (tx) => loadSettings(tx, orgId, options.preset, kind));
  const importer: Importer<unknown> = importerFor(kind, settings.dedupeRules);
  const table = await openTable(options.path);
  try {
    const mapping = resolveMapping(kind, table.headers, options.mapping ?? settings.presetMapping ?? {});
    return { table, mapping, importer, settings };
  } catch (error) {
    await table.close();
    throw error;
  }
}

async function importRows(
  options: ImportOptions & { dryRun: boolean; now: () => Date },
  jobId: string,
  opened: Opened,
  report: ImportReport | undefined,
): Promise<ImportSummary> {
  const { db, orgId, kind, dryRun } = options;
  const { table, mapping, importer, settings } = opened;
  const context: ImportContext = {
    orgId,
    jobId,
    today: settings.today,
    system: options.system ?? 'import',
    fileName: options.fileName ?? basename(options.path),
    secrets: options.secrets,
    actor: options.actor,
  };
  const totals = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const errors: RowIssue[] = [];
  const reject = (issues: readonly RowIssue[]) => {
    if (issues.length === 0) return;
    // One rejected row may have several reasons: it counts once.
    totals.rejected += new Set(issues.map((issue) => issue.line)).size;
    for (const issue of issues) {
      // The job's errors are shown by the API and the CLI: bank data masked there too, as in the report.
      if (errors.length < JOB_ERROR_LIMIT) errors.push({ ...issue, value: maskBankData(issue.value) });
      report?.write(issue);
    }
  };
  const batchSize = options.batchSize ?? DEFAULT_BATCH;

  const applyBatch = async (tx: Tx, batch: { line: number; record: unknown }[]) => {
    const outcome: BatchOutcome =
      batch.length > 0 ? await importer.apply(tx, batch, context) : emptyOutcome();
    totals.created += outcome.created;
    totals.updated += outcome.updated;
    totals.unchanged += outcome.unchanged;
    reject(outcome.rejected);
    if (!dryRun) {
      await tx
        .updateTable('import_jobs')
        .set({ ...jobCounts(totals), heartbeat_at: options.now() })
        .where('id', '=', jobId)
        .execute();
    }
  };

  async function* batches() {
    let batch: { line: number; record: unknown }[] = [];
    for await (const row of table.rows) {
      totals.read++;
      const prepared = importer.prepare(row, mapping, context);
      if ('issues' in prepared) reject(prepared.issues);
      else batch.push(prepared);
      if (totals.read % batchSize === 0) {
        yield batch;
        batch = [];
        options.onProgress?.({ rowsRead: totals.read, bytesRead: table.bytesRead() });
      }
    }
    yield batch;
  }

  if (dryRun) {
    try {
      await db.forOrg(orgId, async (tx) => {
        for await (const batch of batches()) await applyBatch(tx, batch);
        throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
  } else {
    // Apply batch N while batch N+1 is read and validated (and, for an importer
    // that allows it, applied too: concurrentBatches).
    const depth = Math.max(1, importer.concurrentBatches ?? 1);
    const inFlight: Promise<void>[] = [];
    const statistics = createStatisticsRefresh(db, orgId, importer.tables);
    try {
      for await (const batch of batches()) {
        while (inFlight.length >= depth) await inFlight.shift();
        await statistics.maybeRefresh(totals.created);
        const applied = db.forOrg(orgId, (tx) => applyBatch(tx, batch));
        // Observed below, in order; this keeps a failure meanwhile from being unhandled.
        applied.catch(() => undefined);
        inFlight.push(applied);
      }
    } finally {
      // A read error must not leave a batch's transaction running unobserved.
      await Promise.allSettled(inFlight);
    }
    for (const applied of inFlight) await applied;
  }
  options.onProgress?.({ rowsRead: totals.read, bytesRead: table.bytesRead() });

  await db.forOrg(orgId, async (tx) => {
    await tx
      .updateTable('import_jobs')
      .set({
        ...jobCounts(totals),
        status: 'completed',
        errors: JSON.stringify(errors),
        finished_at: options.now(),
        heartbeat_at: options.now(),
      })
      .where('id', '=', jobId)
      .execute();
    if (!dryRun) {
      await emitEvent(tx, 'import.completed', {
        importJobId: jobId,
        kind,
        rowsRead: totals.read,
        created: totals.created,
        updated: totals.updated,
        unchanged: totals.unchanged,
        rejected: totals.rejected,
      });
    }
  });
  return {
    jobId,
    kind,
    dryRun,
    format: table.format,
    ...totals,
    ignoredColumns: mapping.ignored,
    errors,
  };
}

/**
 * Refreshes planner statistics when an import has doubled what the tables
 * held at the last refresh. Row-level security makes every query filter on
 * `org_id = app_current_org()`, whose selectivity the planner can only know
 * from statistics; without them it takes an organization-wide index scan for
 * a lookup and each batch costs as much as the whole table (measured: 150
 * rows/s instead of thousands at 20,000 rows). PostgreSQL's autovacuum
 * refreshes them too, but minutes later; embedded PGlite has no autovacuum.
 */
function createStatisticsRefresh(db: Database, orgId: string, tables: readonly string[]) {
  let nextAt = 1000;
  return {
    async maybeRefresh(created: number) {
      if (created < nextAt || tables.length === 0) return;
      nextAt = created * 2;
      await db.forOrg(orgId, (tx) => sql.raw(`analyze ${tables.join(', ')}`).execute(tx));
    },
  };
}

function emptyOutcome(): BatchOutcome {
  return { created: 0, updated: 0, unchanged: 0, rejected: [] };
}

function jobCounts(totals: {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}) {
  return {
    rows_read: totals.read,
    created: totals.created,
    updated: totals.updated,
    unchanged: totals.unchanged,
    rejected: totals.rejected,
  };
}

async function loadSettings(tx: Tx, orgId: string, preset: string | undefined, kind: ImportKind) {
  const result = await sql<{ rules: string[] | null; today: string; mapping: ColumnMapping | null }>`
    select (select dedupe_rules from crm_settings where org_id = ${orgId}) as rules,
           to_char((now() at time zone o.time_zone)::date, 'YYYY-MM-DD') as today,
           (select mapping from import_presets p where p.org_id = ${orgId} and p.kind = ${kind} and p.name = ${preset ?? ''}) as mapping
    from organizations o where o.id = ${orgId}`.execute(tx);
  const row = result.rows[0];
  if (!row) throw new Error('Organization not found');
  if (preset !== undefined && !row.mapping) throw new ImportPresetNotFoundError(preset);
  return {
    dedupeRules: row.rules ?? ['fiscal_code', 'email', 'phone', 'name_birth_date'],
    today: row.today,
    presetMapping: row.mapping ?? undefined,
  };
}

export class ImportPresetNotFoundError extends Error {
  readonly code = 'IMPORT_PRESET_NOT_FOUND';
  constructor(name: string) {
    super(`No saved mapping named "${name}" for this kind of import`);
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A job still "running" whose heartbeat stopped is a crashed import: shown as
 * interrupted. Its committed batches stay; running the file again finishes it,
 * and the rows already in count as unchanged.
 */
export const STALE_HEARTBEAT_MS = 2 * 60 * 1000;
