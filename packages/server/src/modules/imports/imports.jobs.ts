// Import jobs and saved mappings as the API shows them.
import type { Database } from '../../db/database.ts';
import type { ImportKind } from '../../db/schema.ts';
import { AppError } from '../../http/errors.ts';
import type { Principal } from '../auth/principal.ts';
import { STALE_HEARTBEAT_MS } from './import.service.ts';
import type { RowIssue } from './import.types.ts';
import { type ColumnMapping, MappingError, resolveMapping } from './mapping.ts';

const JOB_COLUMNS = [
  'id',
  'kind',
  'file_name',
  'file_sha256',
  'dry_run',
  'status',
  'rows_read',
  'created',
  'updated',
  'unchanged',
  'rejected',
  'error',
  'started_by',
  'started_at',
  'heartbeat_at',
  'finished_at',
] as const;

type JobRow = {
  id: string;
  kind: ImportKind;
  file_name: string;
  file_sha256: string;
  dry_run: boolean;
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  rows_read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  error: string | null;
  started_by: string;
  started_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
};

/** "user:<id>", "api_key:<id>": who started an import, as stored on the job. */
export function importActor(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.userId}` : `api_key:${principal.keyId}`;
}

function toJob(row: JobRow, now: number) {
  // A running job whose heartbeat stopped belongs to a process that died.
  const stale = row.status === 'running' && now - row.heartbeat_at.getTime() > STALE_HEARTBEAT_MS;
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    dryRun: row.dry_run,
    status: stale ? ('interrupted' as const) : row.status,
    read: row.rows_read,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    error: stale
      ? 'The import stopped before the end (the process ended); run the file again to finish it'
      : row.error,
    startedBy: row.started_by,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

type JobQuery = {
  db: Database;
  orgId: string;
  jobId: string;
  /** Clock for the staleness check (ms since the epoch). */
  now?: number;
};
export async function getImportJob(
  options: JobQuery & { withErrors?: false },
): Promise<ReturnType<typeof toJob>>;
export async function getImportJob(
  options: JobQuery & { withErrors: true },
): Promise<ReturnType<typeof toJob> & { errors: RowIssue[] }>;
export async function getImportJob(options: JobQuery & { withErrors?: boolean }) {
  const row = await options.db.readForOrg(options.orgId, (tx) =>
    tx
      .selectFrom('import_jobs')
      .select([...JOB_COLUMNS, 'errors'])
      .where('id', '=', options.jobId)
      .executeTakeFirst(),
  );
  if (!row) throw new AppError('IMPORT_JOB_NOT_FOUND', 404, 'No such import job in this organization');
  const job = toJob(row as JobRow, options.now ?? Date.now());
  return options.withErrors ? { ...job, errors: row.errors as RowIssue[] } : job;
}

export async function listImportJobs(options: {
  db: Database;
  orgId: string;
  limit: number;
  cursor: string | undefined;
}) {
  const before = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const rows = await options.db.readForOrg(options.orgId, (tx) => {
    let query = tx
      .selectFrom('import_jobs')
      .select([...JOB_COLUMNS])
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit + 1);
    if (before) {
      query = query.where((eb) =>
        eb.or([
          eb('started_at', '<', before.at),
          eb.and([eb('started_at', '=', before.at), eb('id', '<', before.id)]),
        ]),
      );
    }
    return query.execute();
  });
  const now = Date.now();
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toJob(row as JobRow, now)),
    nextCursor:
      rows.length > options.limit && last
        ? Buffer.from(JSON.stringify([last.started_at.toISOString(), last.id])).toString('base64url')
        : null,
  };
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error();
    return { at: date, id };
  } catch {
    throw new AppError('CURSOR_INVALID', 400, 'The cursor is not one this API gave out');
  }
}

export async function listPresets(options: { db: Database; orgId: string }) {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx
      .selectFrom('import_presets')
      .select(['kind', 'name', 'mapping'])
      .orderBy('kind')
      .orderBy('name')
      .execute(),
  );
  return rows.map((row) => ({ kind: row.kind, name: row.name, mapping: row.mapping as ColumnMapping }));
}

export async function savePreset(options: {
  db: Database;
  orgId: string;
  kind: ImportKind;
  name: string;
  mapping: ColumnMapping;
}) {
  // Check the field names now: a preset that fails at import time helps nobody.
  try {
    resolveMapping(options.kind, Object.keys(options.mapping), options.mapping);
  } catch (error) {
    if (error instanceof MappingError) throw new AppError('IMPORT_MAPPING_INVALID', 400, error.message);
    throw error;
  }
  await options.db.forOrg(options.orgId, (tx) =>
    tx
      .insertInto('import_presets')
      .values({
        org_id: options.orgId,
        kind: options.kind,
        name: options.name,
        mapping: JSON.stringify(options.mapping),
      })
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'kind', 'name'])
          .doUpdateSet({ mapping: JSON.stringify(options.mapping), updated_at: new Date() }),
      )
      .execute(),
  );
  return { kind: options.kind, name: options.name, mapping: options.mapping };
}

export async function deletePreset(options: { db: Database; orgId: string; kind: ImportKind; name: string }) {
  const result = await options.db.forOrg(options.orgId, (tx) =>
    tx
      .deleteFrom('import_presets')
      .where('kind', '=', options.kind)
      .where('name', '=', options.name)
      .executeTakeFirst(),
  );
  if (result.numDeletedRows === 0n)
    throw new AppError('IMPORT_PRESET_NOT_FOUND', 404, 'No saved mapping with that name');
}
