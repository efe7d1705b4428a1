// What each export contains: its columns (Italian and English headers that the
// import's column mapping recognises, so an exported file imports again as it
// is) and its rows, read a keyset page at a time, each page its own short
// read-only unit of work (a slow download never holds a transaction open).
// The filters are the list APIs' own: supporters through the supporters
// module's selectSupporterPage, gifts through listGifts, do-not-call through
// listDncEntries, segments through listSegment.
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type {
  CommitmentMethod,
  CommitmentStatus,
  GiftStatus,
  SupporterSource,
  SupporterStatus,
} from '../../db/schema.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { listSegment, type Segment } from '../giving/donor-metrics.service.ts';
import { listGifts } from '../giving/gifts.service.ts';
import { listDncEntries } from '../supporters/dnc.service.ts';
import { searchTerms } from '../supporters/search.ts';
import {
  type SupporterFilters,
  type SupporterListKey,
  selectSupporterPage,
} from '../supporters/supporters.repository.ts';
import type { Cell, ExportColumn } from './export-format.ts';

export const EXPORT_LISTS = ['supporters', 'commitments', 'gifts', 'consents', 'dnc', 'segment'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];

export type ExportFilters = {
  q?: string | undefined;
  /** Supporter statuses for supporters, commitment statuses for commitments, gift statuses for gifts. */
  status?: string[] | undefined;
  source?: SupporterSource | undefined;
  tag?: string | undefined;
  updatedSince?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  channel?: string | undefined;
  segment?: Segment | undefined;
  year?: number | undefined;
  /** The external-id system whose ids fill the external id columns; default the first by name. */
  system?: string | undefined;
};

export type ExportSource = {
  db: Database;
  secrets: SecretBox;
  orgId: string;
  filters: ExportFilters;
  revealIban: boolean;
  /** 'YYYY-MM-DD', for segments. */
  today: string;
  pageSize: number;
};

export type ListDefinition = {
  columns: readonly ExportColumn[];
  /** Query parameters the list understands (the others are refused). */
  filters: readonly (keyof ExportFilters)[];
  pages(source: ExportSource): AsyncGenerator<Cell[][]>;
};

const col = (key: string, it: string, en: string, kind: ExportColumn['kind'] = 'text'): ExportColumn => ({
  key,
  it,
  en,
  kind,
});

// Columns the import does not read are named so that no import alias matches them.
const CENTRALINO_ID = col('centralino_id', 'ID Centralino', 'Centralino id');
const SUPPORTER_ID = col('supporter_centralino_id', 'ID Centralino sostenitore', 'Supporter Centralino id');
const SUPPORTER_EXTERNAL_ID = col('supporter_external_id', 'ID sostenitore', 'Supporter external id');
const FIRST_NAME = col('first_name', 'Nome', 'First name');
const LAST_NAME = col('last_name', 'Cognome', 'Last name');

type SupporterExtras = {
  id: string;
  first_name: string;
  last_name: string;
  language: string;
  addresses: { line1?: string; postalCode?: string; city?: string; province?: string; country?: string }[];
  updated_at: Date;
  phones: string[];
  emails: string[];
  external_id: string | null;
};

/**
 * Names, contacts, first address and external id of a page of supporters, in
 * one statement (each sub-select by supporter id, served by the lookup indexes).
 */
async function supporterExtras(
  tx: Tx,
  ids: readonly string[],
  system: string | undefined,
): Promise<Map<string, SupporterExtras>> {
  if (ids.length === 0) return new Map();
  const result = await sql<SupporterExtras>`
    select s.id, s.first_name, s.last_name, s.language, s.addresses, s.updated_at,
           array(select p.number from supporter_phones p where p.supporter_id = s.id
                 order by p.is_primary desc, p.created_at, p.number limit 2) as phones,
           array(select e.email from supporter_emails e where e.supporter_id = s.id
                 order by e.is_primary desc, e.created_at, e.email limit 2) as emails,
           (select x.external_id from supporter_external_ids x where x.supporter_id = s.id
              ${system ? sql`and x.system = ${system}` : sql``}
            order by x.system, x.external_id limit 1) as external_id
    from supporters s
    where s.id = any(${sql.val(ids)}::uuid[])`.execute(tx);
  return new Map(result.rows.map((row) => [row.id, row]));
}

const supporters: ListDefinition = {
  columns: [
    col('external_id', 'ID esterno', 'External id'),
    FIRST_NAME,
    LAST_NAME,
    col('birth_date', 'Data di nascita', 'Birth date', 'date'),
    col('fiscal_code', 'Codice fiscale', 'Fiscal code'),
    col('phone', 'Telefono', 'Phone'),
    col('phone_2', 'Telefono 2', 'Phone 2'),
    col('email', 'Email', 'Email'),
    col('email_2', 'Email 2', 'Email 2'),
    col('language', 'Lingua', 'Language'),
    col('source', 'Fonte', 'Source'),
    col('status', 'Stato', 'Status'),
    col('address', 'Indirizzo', 'Address'),
    col('postal_code', 'CAP', 'Postal code'),
    col('city', 'Città', 'City'),
    col('province', 'Provincia', 'Province'),
    col('country', 'Nazione', 'Country'),
    col('tags', 'Tag', 'Tags'),
    CENTRALINO_ID,
    col('updated_at', 'Aggiornato il', 'Updated at', 'datetime'),
  ],
  filters: ['q', 'status', 'source', 'tag', 'updatedSince', 'system'],
  async *pages(source) {
    const { filters: f } = source;
    const filters: SupporterFilters = {
      terms: f.q ? searchTerms(f.q) : undefined,
      statuses: f.status as SupporterStatus[] | undefined,
      source: f.source,
      tag: f.tag,
      updatedSince: f.updatedSince ? new Date(f.updatedSince) : undefined,
    };
    let after: SupporterListKey | undefined;
    for (;;) {
      const { rows, extras } = await source.db.readForOrg(source.orgId, async (tx) => {
        const rows = await selectSupporterPage(tx, { filters, after, limit: source.pageSize });
        const extras = await supporterExtras(
          tx,
          rows.map((row) => row.id),
          f.system,
        );
        return { rows, extras };
      });
      if (rows.length === 0) return;
      yield rows.map((row) => {
        const extra = extras.get(row.id) as SupporterExtras;
        const address = extra.addresses[0] ?? {};
        return [
          extra.external_id,
          row.first_name,
          row.last_name,
          row.birth_date,
          row.fiscal_code,
          extra.phones[0] ?? null,
          extra.phones[1] ?? null,
          extra.emails[0] ?? null,
          extra.emails[1] ?? null,
          extra.language,
          row.source,
          row.status,
          address.line1 ?? null,
          address.postalCode ?? null,
          address.city ?? null,
          address.province ?? null,
          address.country ?? null,
          row.tags.join(', '),
          row.id,
          row.updated_at,
        ];
      });
      if (rows.length < source.pageSize) return;
      const last = rows.at(-1) as (typeof rows)[number];
      after = [last.last_name, last.first_name, last.id];
    }
  },
};

type CommitmentRow = {
  id: string;
  supporter_id: string;
  external_id: string | null;
  amount_cents: number;
  currency: string;
  frequency: string;
  method: CommitmentMethod;
  start_date: string;
  end_date: string | null;
  status: CommitmentStatus;
  campaign_code: string | null;
  first_name: string;
  last_name: string;
  supporter_external_id: string | null;
  reference: string | null;
  signature_date: string | null;
  creditor_id: string | null;
  iban_encrypted: string | null;
  iban_country: string | null;
  iban_last4: string | null;
  sequence_type: string | null;
  mandate_status: string | null;
};

const commitments: ListDefinition = {
  columns: [
    col('external_id', 'ID impegno', 'External id'),
    SUPPORTER_EXTERNAL_ID,
    FIRST_NAME,
    LAST_NAME,
    col('amount', 'Importo', 'Amount', 'amount'),
    col('currency', 'Valuta', 'Currency'),
    col('frequency', 'Frequenza', 'Frequency'),
    col('method', 'Metodo', 'Method'),
    col('start_date', 'Data inizio', 'Start date', 'date'),
    col('end_date', 'Data fine', 'End date', 'date'),
    col('status', 'Stato', 'Status'),
    col('campaign_code', 'Codice campagna', 'Campaign code'),
    col('mandate_reference', 'Riferimento mandato', 'Mandate reference'),
    col('mandate_signature_date', 'Data firma mandato', 'Mandate signature date', 'date'),
    col('iban', 'IBAN', 'IBAN'),
    col('creditor_id', 'ID creditore', 'Creditor id'),
    col('sequence_type', 'Tipo sequenza', 'Sequence type'),
    col('mandate_status', 'Stato mandato', 'Mandate status'),
    CENTRALINO_ID,
    SUPPORTER_ID,
  ],
  filters: ['status', 'system'],
  async *pages(source) {
    const { orgId, filters } = source;
    let after: string | undefined;
    for (;;) {
      const rows = await source.db.readForOrg(orgId, async (tx) => {
        const result = await sql<CommitmentRow>`
          select c.id, c.supporter_id, c.external_id, c.amount_cents, c.currency, c.frequency, c.method,
                 c.start_date, c.end_date, c.status, c.campaign_code, s.first_name, s.last_name,
                 (select x.external_id from supporter_external_ids x where x.supporter_id = s.id
                    ${filters.system ? sql`and x.system = ${filters.system}` : sql``}
                  order by x.system, x.external_id limit 1) as supporter_external_id,
                 m.reference, m.signature_date, m.creditor_id, m.iban_encrypted, m.iban_country,
                 m.iban_last4, m.sequence_type, m.status as mandate_status
          from commitments c
          join supporters s on s.id = c.supporter_id
          left join mandates m on m.commitment_id = c.id
          where true
            ${after ? sql`and c.id > ${after}::uuid` : sql``}
            ${filters.status?.length ? sql`and c.status = any(${sql.val(filters.status)}::text[])` : sql``}
          order by c.id
          limit ${source.pageSize}`.execute(tx);
        return result.rows;
      });
      if (rows.length === 0) return;
      yield rows.map((row) => [
        row.external_id,
        row.supporter_external_id,
        row.first_name,
        row.last_name,
        row.amount_cents,
        row.currency,
        row.frequency,
        row.method,
        row.start_date,
        row.end_date,
        row.status,
        row.campaign_code,
        row.reference,
        row.signature_date,
        ibanCell(row, source),
        row.creditor_id,
        row.sequence_type,
        row.mandate_status,
        row.id,
        row.supporter_id,
      ]);
      if (rows.length < source.pageSize) return;
      after = (rows.at(-1) as CommitmentRow).id;
    }
  },
};

/**
 * The masked IBAN (`IT…1234`, the same text as the engine's maskIban) comes from
 * the stored country and last four characters without opening the sealed IBAN;
 * the full one is opened only for a permitted reveal.
 */
function ibanCell(row: CommitmentRow, source: ExportSource): string | null {
  if (!row.iban_encrypted) return null;
  if (source.revealIban) return source.secrets.open(row.iban_encrypted, source.orgId);
  return `${row.iban_country}…${row.iban_last4}`;
}

const gifts: ListDefinition = {
  columns: [
    col('external_id', 'ID donazione', 'External id'),
    SUPPORTER_EXTERNAL_ID,
    FIRST_NAME,
    LAST_NAME,
    col('gift_date', 'Data', 'Date', 'date'),
    col('amount', 'Importo', 'Amount', 'amount'),
    col('currency', 'Valuta', 'Currency'),
    col('method', 'Metodo', 'Method'),
    col('status', 'Stato', 'Status'),
    col('return_code', 'Codice di ritorno', 'Return code'),
    col('campaign_code', 'Codice campagna', 'Campaign code'),
    col('commitment_external_id', 'ID impegno', 'Commitment id'),
    CENTRALINO_ID,
    SUPPORTER_ID,
  ],
  filters: ['from', 'to', 'status', 'system'],
  async *pages(source) {
    const { orgId, filters } = source;
    const statuses = filters.status as GiftStatus[] | undefined;
    let cursor: string | undefined;
    for (;;) {
      // listGifts pages newest first; a status filter is applied to its pages here.
      const page = await listGifts({
        db: source.db,
        orgId,
        from: filters.from,
        to: filters.to,
        limit: source.pageSize,
        cursor,
      });
      const items = statuses?.length ? page.items.filter((g) => statuses.includes(g.status)) : page.items;
      if (items.length > 0) {
        const { extras, commitmentIds } = await source.db.readForOrg(orgId, async (tx) => {
          const extras = await supporterExtras(
            tx,
            [...new Set(items.map((g) => g.supporterId))],
            filters.system,
          );
          const linked = [...new Set(items.flatMap((g) => (g.commitmentId ? [g.commitmentId] : [])))];
          const rows = linked.length
            ? await tx
                .selectFrom('commitments')
                .select(['id', 'external_id'])
                .where('id', 'in', linked)
                .execute()
            : [];
          return { extras, commitmentIds: new Map(rows.map((row) => [row.id, row.external_id])) };
        });
        yield items.map((gift) => {
          const extra = extras.get(gift.supporterId);
          return [
            gift.externalId,
            extra?.external_id ?? null,
            extra?.first_name ?? null,
            extra?.last_name ?? null,
            gift.giftDate,
            gift.amountCents,
            gift.currency,
            gift.method,
            gift.status,
            gift.returnCode,
            gift.campaignCode,
            // The import links a gift to its commitment by the commitment's external id.
            gift.commitmentId ? (commitmentIds.get(gift.commitmentId) ?? null) : null,
            gift.id,
            gift.supporterId,
          ];
        });
      }
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  },
};

type ConsentRow = {
  supporter_id: string;
  channel: string;
  purpose: string;
  granted: boolean;
  source: string;
  evidence: string;
  recorded_at: Date;
};

const consents: ListDefinition = {
  columns: [
    SUPPORTER_EXTERNAL_ID,
    FIRST_NAME,
    LAST_NAME,
    col('channel', 'Canale', 'Channel'),
    col('purpose', 'Finalità', 'Purpose'),
    col('granted', 'Consenso', 'Granted'),
    col('source', 'Fonte', 'Source'),
    col('evidence', 'Prova', 'Evidence'),
    col('recorded_at', 'Registrato il', 'Recorded at', 'datetime'),
    SUPPORTER_ID,
  ],
  filters: ['channel', 'system'],
  async *pages(source) {
    const { orgId, filters } = source;
    let after: [string, string, string] | undefined;
    for (;;) {
      const { rows, extras } = await source.db.readForOrg(orgId, async (tx) => {
        // The current consent per supporter, channel and purpose (latest wins, a
        // revocation wins a tie), as currentConsentsQuery does for one supporter;
        // keyset on the group so a page never splits one.
        const result = await sql<ConsentRow>`
          select distinct on (c.supporter_id, c.channel, c.purpose)
                 c.supporter_id, c.channel, c.purpose, c.granted, c.source, c.evidence, c.recorded_at
          from consent_events c
          where true
            ${after ? sql`and (c.supporter_id, c.channel, c.purpose) > (${after[0]}::uuid, ${after[1]}, ${after[2]})` : sql``}
            ${filters.channel ? sql`and c.channel = ${filters.channel}` : sql``}
          order by c.supporter_id, c.channel, c.purpose, c.recorded_at desc, c.granted asc, c.id desc
          limit ${source.pageSize}`.execute(tx);
        const extras = await supporterExtras(
          tx,
          [...new Set(result.rows.map((r) => r.supporter_id))],
          filters.system,
        );
        return { rows: result.rows, extras };
      });
      if (rows.length === 0) return;
      yield rows.map((row) => {
        const extra = extras.get(row.supporter_id);
        return [
          extra?.external_id ?? null,
          extra?.first_name ?? null,
          extra?.last_name ?? null,
          row.channel,
          row.purpose,
          row.granted ? 'true' : 'false',
          row.source,
          row.evidence,
          row.recorded_at,
          row.supporter_id,
        ];
      });
      if (rows.length < source.pageSize) return;
      const last = rows.at(-1) as ConsentRow;
      after = [last.supporter_id, last.channel, last.purpose];
    }
  },
};

const dnc: ListDefinition = {
  columns: [
    col('number', 'Telefono', 'Phone'),
    col('reason', 'Motivo', 'Reason'),
    col('source', 'Fonte', 'Source'),
    col('added_at', 'Aggiunto il', 'Added at', 'datetime'),
  ],
  filters: [],
  async *pages(source) {
    let cursor: string | undefined;
    for (;;) {
      const page = await listDncEntries({
        db: source.db,
        orgId: source.orgId,
        limit: source.pageSize,
        cursor,
      });
      if (page.items.length > 0)
        yield page.items.map((entry) => [entry.number, entry.reason, entry.source, new Date(entry.addedAt)]);
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  },
};

const segment: ListDefinition = {
  columns: [
    col('external_id', 'ID esterno', 'External id'),
    FIRST_NAME,
    LAST_NAME,
    col('phone', 'Telefono', 'Phone'),
    col('email', 'Email', 'Email'),
    col('last_gift_date', 'Ultima donazione', 'Last gift', 'date'),
    CENTRALINO_ID,
  ],
  filters: ['segment', 'year', 'system'],
  async *pages(source) {
    const { orgId, filters } = source;
    let cursor: string | undefined;
    for (;;) {
      const page = await listSegment({
        db: source.db,
        orgId,
        segment: filters.segment as Segment,
        year: filters.year ?? Number(source.today.slice(0, 4)),
        today: source.today,
        limit: source.pageSize,
        cursor,
      });
      if (page.items.length > 0) {
        const extras = await source.db.readForOrg(orgId, (tx) =>
          supporterExtras(
            tx,
            page.items.map((member) => member.supporterId),
            filters.system,
          ),
        );
        yield page.items.map((member) => {
          const extra = extras.get(member.supporterId);
          return [
            extra?.external_id ?? null,
            member.firstName,
            member.lastName,
            extra?.phones[0] ?? null,
            extra?.emails[0] ?? null,
            member.lastGiftDate,
            member.supporterId,
          ];
        });
      }
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  },
};

export const LISTS: Record<ExportList, ListDefinition> = {
  supporters,
  commitments,
  gifts,
  consents,
  dnc,
  segment,
};
