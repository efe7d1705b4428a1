// A supporter's timeline: every change and every gift, newest first, in one
// statement — a UNION ALL over supporter_events, consent_events,
// commitment_events and gifts (interactions join when they exist). The
// supporter row drives a LEFT JOIN LATERAL, so the same statement tells an
// unknown supporter (no row) from one without events (one row of nulls).
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { supporterErrors } from './supporters.errors.ts';

export type TimelineEntry = {
  /** supporter | consent | commitment | gift */
  type: string;
  id: string;
  at: string;
  kind: string;
  actor: string;
  details: Record<string, unknown>;
};

type Row = {
  supporter_id: string;
  type: string | null;
  id: string | null;
  at_key: string | null;
  sort_key: string | null;
  kind: string | null;
  actor: string | null;
  details: Record<string, unknown> | null;
};

// Timestamps travel as text with microseconds: a JS Date would round them to
// milliseconds and a cursor could then skip or repeat rows.
const AT = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

export async function supporterTimeline(options: {
  db: Database;
  orgId: string;
  supporterId: string;
  limit: number;
  cursor?: string | undefined;
}) {
  const after = options.cursor ? decodeCursor(options.cursor, 3) : undefined;
  if (after && (Number.isNaN(Date.parse(after[0] as string)) || !/^[a-z]+$/.test(after[1] as string))) {
    throw supporterErrors.cursorInvalid();
  }
  const id = options.supporterId;
  const before = after
    ? sql`where (t.at, t.type, t.sort_key) < (${after[0]}::timestamptz, ${after[1]}, ${after[2]})`
    : sql``;
  const result = await options.db.readForOrg(options.orgId, (tx) =>
    sql<Row>`
      select s.id as supporter_id, t.type, t.id, ${AT('t.at')} as at_key, t.sort_key, t.kind, t.actor, t.details
      from supporters s
      left join lateral (
        select * from (
          select 'supporter' as type, e.id::text as id, lpad(e.id::text, 20, '0') as sort_key, e.at, e.kind,
                 e.actor, e.details
          from supporter_events e where e.supporter_id = s.id
          union all
          select 'consent', c.id::text, lpad(c.id::text, 20, '0'), c.recorded_at,
                 case when c.granted then 'consent.granted' else 'consent.revoked' end, '',
                 jsonb_build_object('channel', c.channel, 'purpose', c.purpose, 'source', c.source,
                                    'evidence', c.evidence, 'interactionId', c.interaction_id)
          from consent_events c where c.supporter_id = s.id
          union all
          select 'commitment', ce.id::text, lpad(ce.id::text, 20, '0'), ce.at, 'commitment.' || ce.kind, ce.actor,
                 jsonb_strip_nulls(jsonb_build_object('commitmentId', ce.commitment_id, 'fromStatus', ce.from_status,
                                    'toStatus', ce.to_status, 'fromAmountCents', ce.from_amount_cents,
                                    'toAmountCents', ce.to_amount_cents, 'effectiveDate', ce.effective_date,
                                    'reason', ce.reason, 'interactionId', ce.interaction_id))
          from commitment_events ce where ce.supporter_id = s.id
          union all
          select 'gift', g.id::text, g.id::text, g.gift_date::timestamp at time zone 'UTC', 'gift.' || g.status, '',
                 jsonb_strip_nulls(jsonb_build_object('giftDate', g.gift_date, 'amountCents', g.amount_cents,
                                    'currency', g.currency, 'method', g.method, 'status', g.status,
                                    'returnCode', g.return_code, 'campaignCode', g.campaign_code,
                                    'commitmentId', g.commitment_id))
          from gifts g where g.supporter_id = s.id
        ) t
        ${before}
        order by t.at desc, t.type desc, t.sort_key desc
        limit ${options.limit + 1}
      ) t on true
      where s.id = ${id}`.execute(tx),
  );
  if (result.rows.length === 0) throw supporterErrors.notFound();
  const rows = result.rows.filter((row) => row.type !== null);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map(
      (row): TimelineEntry => ({
        type: row.type as string,
        id: row.id as string,
        at: row.at_key as string,
        kind: row.kind as string,
        actor: row.actor ?? '',
        details: row.details ?? {},
      }),
    ),
    nextCursor:
      rows.length > options.limit && last
        ? encodeCursor([last.at_key as string, last.type as string, last.sort_key as string])
        : null,
  };
}
