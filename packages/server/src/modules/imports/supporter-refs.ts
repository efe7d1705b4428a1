// Rows of commitments, gifts and consents name their supporter by the id it has
// in the file's system (supporter_external_ids, the same ids a supporters
// import stores): one lookup per batch.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { ImportContext, RowIssue } from './import.types.ts';

/** Header names of the column that holds the supporter's id in the file's system. */
export const SUPPORTER_REF_ALIASES = [
  'supporterid',
  'supporterexternalid',
  'codicedonatore',
  'iddonatore',
  'donorid',
  'codicesostenitore',
  'idsostenitore',
  'codiceanagrafica',
  'idanagrafica',
  'donatore',
  'sostenitore',
];

/** external id → supporter id, for the ids the organization knows in `context.system`. */
export async function resolveSupporters(
  tx: Tx,
  context: ImportContext,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(externalIds)];
  if (ids.length === 0) return new Map();
  // org_id spelled out: the primary key (org_id, system, external_id) then serves the whole lookup.
  const found = await sql<{ external_id: string; supporter_id: string }>`
    select external_id, supporter_id from supporter_external_ids
    where org_id = ${context.orgId}::uuid and system = ${context.system}
      and external_id = any(${ids}::text[])`.execute(tx);
  return new Map(found.rows.map((row) => [row.external_id, row.supporter_id]));
}

export function unknownSupporter(
  line: number,
  ref: { column: string; value: string },
  context: ImportContext,
): RowIssue {
  return {
    line,
    column: ref.column,
    value: ref.value,
    reason: `no supporter has this id in the system "${context.system}" (import the supporters first)`,
  };
}
