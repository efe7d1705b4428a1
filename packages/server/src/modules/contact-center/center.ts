// The center's own organization row: center-wide changes are audited under it.
import type { Tx } from '../../db/database.ts';

/** Needs the center scope (a tenant unit cannot see the center's row). */
export async function centerOrgId(tx: Tx): Promise<string> {
  const center = await tx
    .selectFrom('organizations')
    .select('id')
    .where('kind', '=', 'center')
    .executeTakeFirstOrThrow();
  return center.id;
}
