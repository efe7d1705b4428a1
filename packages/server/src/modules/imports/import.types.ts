// The contract between the import pipeline (import.service.ts) and the
// importer of each kind (supporters.importer.ts, …): an importer turns a file
// row into a validated record, or into the reasons it cannot; then applies a
// batch of records in one transaction, matching them against what the
// organization already has.
import type { Tx } from '../../db/database.ts';
import type { ImportKind } from '../../db/schema.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { ImportField, ResolvedMapping } from './mapping.ts';
import type { TableRow } from './reader/table-reader.ts';

/** One reason a row was refused: the report's line. */
export type RowIssue = { line: number; column: string; value: string; reason: string };

export type PreparedRow<R> = { line: number; record: R } | { line: number; issues: RowIssue[] };

export type BatchOutcome = {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused while applying (for example a match that is ambiguous). */
  rejected: RowIssue[];
};

export type ImportContext = {
  orgId: string;
  jobId: string;
  /** 'YYYY-MM-DD' in the organization's time zone: dates after it are refused where the field is a past date. */
  today: string;
  /** External-id system the file's ids belong to (default "import"). */
  system: string;
  /** The imported file's name as the job shows it (the register answer's source, for example). */
  fileName: string;
  secrets: SecretBox;
  actor: string;
};

export type Importer<R> = {
  kind: ImportKind;
  fields: readonly ImportField[];
  /** Validates and normalizes one row (pure: no database). */
  prepare(row: TableRow, mapping: ResolvedMapping, context: ImportContext): PreparedRow<R>;
  apply(tx: Tx, rows: readonly { line: number; record: R }[], context: ImportContext): Promise<BatchOutcome>;
  /** Tables the importer writes, whose planner statistics are refreshed as they grow. */
  tables: readonly string[];
  /**
   * Batches applied at the same time, each in its own transaction (default 1).
   * Only for an importer whose batches cannot depend on a batch not yet
   * committed, or that orders that dependency itself (interactions: the rollup lock).
   */
  concurrentBatches?: number;
};

/** Reads a mapped field: the first non-empty value among its columns, trimmed. */
export function fieldValue(
  row: TableRow,
  mapping: ResolvedMapping,
  field: string,
): { column: string; value: string } | undefined {
  const columns = mapping.fields.get(field);
  if (!columns) return undefined;
  for (const column of columns) {
    const value = row.values[column]?.trim();
    if (value) return { column, value };
  }
  return undefined;
}

/** Every non-empty value of a field fed by several columns. */
export function fieldValues(
  row: TableRow,
  mapping: ResolvedMapping,
  field: string,
): { column: string; value: string }[] {
  const out: { column: string; value: string }[] = [];
  for (const column of mapping.fields.get(field) ?? []) {
    const value = row.values[column]?.trim();
    if (value) out.push({ column, value });
  }
  return out;
}
