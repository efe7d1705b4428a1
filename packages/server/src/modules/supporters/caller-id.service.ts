// Caller identification for the live center's screen pop: the supporters of
// an organization with this phone number (several people can share a home
// line, so the operator gets a list when there is more than one).
import type { Database } from '../../db/database.ts';
import { checkPhone } from './crm-validation.ts';

export type CallerMatch = {
  supporterId: string;
  firstName: string;
  lastName: string;
  status: string;
};

/** At most `limit` matches (default 10), merged records left out; none for a withheld or unreadable number. */
export async function findSupportersByPhone(options: {
  db: Database;
  orgId: string;
  phone: string | null;
  limit?: number;
}): Promise<CallerMatch[]> {
  if (options.phone === null) return [];
  const phone = checkPhone(options.phone);
  if (phone.kind === 'unknown' && !phone.valid) return [];
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx
      .selectFrom('supporter_phones as p')
      .innerJoin('supporters as s', 's.id', 'p.supporter_id')
      .select(['s.id', 's.first_name', 's.last_name', 's.status'])
      .where('p.number', '=', phone.number)
      .where('s.merged_into', 'is', null)
      .distinct()
      .orderBy('s.last_name')
      .orderBy('s.first_name')
      .orderBy('s.id')
      .limit(options.limit ?? 10)
      .execute(),
  );
  return rows.map((row) => ({
    supporterId: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
  }));
}

/**
 * findSupportersByPhone for several numbers at once (the live center under
 * load: the calls arriving together are identified in one read). Numbers
 * are given as callers present them; the answer is keyed the same way.
 */
export async function findSupportersByPhones(options: {
  db: Database;
  orgId: string;
  phones: readonly string[];
  limit?: number;
}): Promise<Map<string, CallerMatch[]>> {
  const limit = options.limit ?? 10;
  const normalized = new Map<string, string>();
  for (const raw of options.phones) {
    const phone = checkPhone(raw);
    if (phone.kind === 'unknown' && !phone.valid) continue;
    normalized.set(raw, phone.number);
  }
  const result = new Map<string, CallerMatch[]>(options.phones.map((raw) => [raw, []]));
  if (normalized.size === 0) return result;
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx
      .selectFrom('supporter_phones as p')
      .innerJoin('supporters as s', 's.id', 'p.supporter_id')
      .select(['p.number', 's.id', 's.first_name', 's.last_name', 's.status'])
      .where('p.number', 'in', [...new Set(normalized.values())])
      .where('s.merged_into', 'is', null)
      .distinct()
      .orderBy('p.number')
      .orderBy('s.last_name')
      .orderBy('s.first_name')
      .orderBy('s.id')
      .execute(),
  );
  const byNumber = Map.groupBy(rows, (row) => row.number);
  for (const [raw, number] of normalized)
    result.set(
      raw,
      (byNumber.get(number) ?? []).slice(0, limit).map((row) => ({
        supporterId: row.id,
        firstName: row.first_name,
        lastName: row.last_name,
        status: row.status,
      })),
    );
  return result;
}
