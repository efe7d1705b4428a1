// Do-not-call list import: one phone number per row, normalized to E.164,
// added to the organization's own list (dnc_entries). A number already on the
// list is left as it is (its first reason and source stay): "unchanged".
// Any number the engine can read is accepted, even one outside the ranges
// libphonenumber knows as assigned: a do-not-call list errs on the side of
// blocking. One INSERT … ON CONFLICT DO NOTHING per batch.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { BatchOutcome, ImportContext, Importer, PreparedRow } from './import.types.ts';
import { rowReader } from './import-values.ts';
import type { ImportField, ResolvedMapping } from './mapping.ts';
import type { TableRow } from './reader/table-reader.ts';

export type DncRecord = { number: string; reason: string; source: string };

export const DNC_FIELDS: readonly ImportField[] = [
  {
    name: 'number',
    aliases: [
      'number',
      'numero',
      'phone',
      'phonenumber',
      'telefono',
      'numerotelefono',
      'numeroditelefono',
      'tel',
      'cellulare',
      'mobile',
      'msisdn',
      'utenza',
      'numerazione',
    ],
    required: true,
  },
  { name: 'reason', aliases: ['reason', 'motivo', 'motivazione', 'causale', 'note', 'nota'] },
  { name: 'source', aliases: ['source', 'fonte', 'origine', 'provenienza'] },
];

export function createDncImporter(): Importer<DncRecord> {
  return { kind: 'dnc', fields: DNC_FIELDS, tables: ['dnc_entries'], prepare: prepareDnc, apply: applyDnc };
}

export function prepareDnc(
  row: TableRow,
  mapping: ResolvedMapping,
  context: ImportContext,
): PreparedRow<DncRecord> {
  const read = rowReader(row, mapping);
  const number = read.phone('number', 'the phone number');
  const reason = read.text('reason', 500) ?? '';
  // Where the entry came from: the file's name unless the file says.
  const source = read.text('source', 100) ?? context.fileName.slice(0, 100);
  if (read.issues.length > 0 || number === null) return { line: read.line, issues: read.issues };
  return { line: read.line, record: { number, reason, source } };
}

async function applyDnc(
  tx: Tx,
  rows: readonly { line: number; record: DncRecord }[],
  context: ImportContext,
): Promise<BatchOutcome> {
  const inserted = await sql<{ number: string }>`
    insert into dnc_entries (org_id, number, reason, source)
    select ${context.orgId}::uuid, number, reason, source
    from unnest(${rows.map((r) => r.record.number)}::text[], ${rows.map((r) => r.record.reason)}::text[],
                ${rows.map((r) => r.record.source)}::text[]) with ordinality as v(number, reason, source, n)
    order by n
    on conflict (org_id, number) do nothing
    returning number`.execute(tx);
  const created = inserted.rows.length;
  return { created, updated: 0, unchanged: rows.length - created, rejected: [] };
}
