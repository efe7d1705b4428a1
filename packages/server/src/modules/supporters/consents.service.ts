// Consents per channel and purpose (DOMAIN.md §7): an append-only history in
// consent_events; the current consent is the latest event, and at equal time
// a revocation wins. Every recorded consent emits consent.changed.
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ConsentChannel } from '../../db/schema.ts';
import type { Principal } from '../auth/principal.ts';
import { emitEvent } from '../webhooks/outbox.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { supporterErrors } from './supporters.errors.ts';
import { type ConsentRecord, currentConsentsQuery, toConsent } from './supporters.repository.ts';

export type ConsentInput = {
  channel: ConsentChannel;
  purpose: string;
  granted: boolean;
  source: string;
  evidence?: string | undefined;
  /** When the supporter gave or revoked it; defaults to now. */
  recordedAt?: string | undefined;
  interactionId?: string | undefined;
};

const COLUMNS = [
  'id',
  'channel',
  'purpose',
  'granted',
  'source',
  'evidence',
  'recorded_at',
  'interaction_id',
] as const;

export async function recordConsent(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  supporterId: string;
  consent: ConsentInput;
  now?: Date;
}): Promise<ConsentRecord> {
  const { consent } = options;
  return options.db.forOrg(options.orgId, async (tx) => {
    const supporter = await tx
      .selectFrom('supporters')
      .select('id')
      .where('id', '=', options.supporterId)
      .executeTakeFirst();
    if (!supporter) throw supporterErrors.notFound();
    const row = await tx
      .insertInto('consent_events')
      .values({
        org_id: options.orgId,
        supporter_id: options.supporterId,
        channel: consent.channel,
        purpose: consent.purpose,
        granted: consent.granted,
        source: consent.source,
        evidence: consent.evidence ?? '',
        recorded_at: consent.recordedAt ?? options.now ?? new Date(),
        interaction_id: consent.interactionId ?? null,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    const recorded = toConsent(row);
    await emitEvent(tx, 'consent.changed', {
      supporterId: options.supporterId,
      channel: recorded.channel,
      purpose: recorded.purpose,
      granted: recorded.granted,
      source: recorded.source,
      recordedAt: recorded.recordedAt,
    });
    return recorded;
  });
}

export async function currentConsents(options: { db: Database; orgId: string; supporterId: string }) {
  return options.db.readForOrg(options.orgId, async (tx) => {
    const exists = await tx
      .selectFrom('supporters')
      .select('id')
      .where('id', '=', options.supporterId)
      .executeTakeFirst();
    if (!exists) throw supporterErrors.notFound();
    const result = await sql<
      Parameters<typeof toConsent>[0]
    >`${currentConsentsQuery(options.supporterId)}`.execute(tx);
    return result.rows.map(toConsent);
  });
}

/** Every consent event of a supporter, newest first (by recordedAt, then id). */
export async function consentHistory(options: {
  db: Database;
  orgId: string;
  supporterId: string;
  limit: number;
  cursor?: string | undefined;
}) {
  const after = options.cursor ? decodeCursor(options.cursor, 2) : undefined;
  const rows = await options.db.readForOrg(options.orgId, async (tx) => {
    const exists = await tx
      .selectFrom('supporters')
      .select('id')
      .where('id', '=', options.supporterId)
      .executeTakeFirst();
    if (!exists) throw supporterErrors.notFound();
    let query = tx
      .selectFrom('consent_events')
      .select(COLUMNS)
      .select(
        sql<string>`to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_key'),
      )
      .where('supporter_id', '=', options.supporterId);
    if (after) {
      const [at, id] = after as [string, string];
      if (!/^\d+$/.test(id) || Number.isNaN(Date.parse(at))) throw supporterErrors.cursorInvalid();
      query = query.where((eb) =>
        eb(
          eb.refTuple('recorded_at', 'id'),
          '<',
          eb.tuple(sql<Date>`${at}::timestamptz`, sql<string>`${id}::bigint`),
        ),
      );
    }
    return query
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .execute();
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map(toConsent),
    nextCursor: rows.length > options.limit && last ? encodeCursor([last.at_key, String(last.id)]) : null,
  };
}
