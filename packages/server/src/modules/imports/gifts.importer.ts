// Gifts import: one payment per row, matched on its external id (unique per
// organization): a new id is a new gift, a known one is brought up to date —
// the usual case being a collection the bank later returned (status failed
// with its SEPA reason code) or refunded. Empty cells keep what is stored. A
// gift never moves to another supporter through an import.
//
// Like the API, a collected SEPA direct debit under a commitment moves its
// mandate's last collection forward and FRST to RCUR. Gift files are the
// largest (years of monthly debits), so everything is set-based per batch:
// three lookups, one insert, one update, one mandate update.
import { randomUUID } from 'node:crypto';
import { sepaReturnReason } from '@centralino/engine';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { GiftMethod, GiftStatus } from '../../db/schema.ts';
import type { BatchOutcome, ImportContext, Importer, PreparedRow, RowIssue } from './import.types.ts';
import { type Cell, rowReader } from './import-values.ts';
import type { ImportField, ResolvedMapping } from './mapping.ts';
import type { TableRow } from './reader/table-reader.ts';
import { resolveSupporters, SUPPORTER_REF_ALIASES, unknownSupporter } from './supporter-refs.ts';

export type GiftRecord = {
  externalId: string;
  supporter: Cell;
  giftDate: string;
  amountCents: number;
  method: GiftMethod;
  /** Null: collected for a new gift, unchanged for a known one. */
  status: GiftStatus | null;
  returnCode: string | null;
  campaignCode: string | null;
  commitment: Cell | null;
};

export const COMMITMENT_REF_ALIASES = [
  'commitmentid',
  'commitmentexternalid',
  'idimpegno',
  'codiceimpegno',
  'impegno',
  'idsostegno',
  'codicesostegno',
  'idadesione',
  'codiceadesione',
  'iddonazioneregolare',
];

export const CAMPAIGN_ALIASES = [
  'campaigncode',
  'campaign',
  'campagna',
  'codicecampagna',
  'codcampagna',
  'sourcecode',
  'codicefonte',
  'iniziativa',
];

export const GIFT_FIELDS: readonly ImportField[] = [
  {
    name: 'external_id',
    aliases: [
      'externalid',
      'giftid',
      'iddono',
      'codicedono',
      'iddonazione',
      'codicedonazione',
      'idversamento',
      'codiceversamento',
      'idpagamento',
      'paymentid',
      'idtransazione',
      'transactionid',
      'idmovimento',
    ],
    required: true,
  },
  { name: 'supporter_id', aliases: SUPPORTER_REF_ALIASES, required: true },
  {
    name: 'gift_date',
    aliases: [
      'giftdate',
      'date',
      'data',
      'datadono',
      'datadonazione',
      'datapagamento',
      'dataversamento',
      'dataincasso',
      'datavaluta',
      'paymentdate',
    ],
    required: true,
  },
  {
    name: 'amount',
    aliases: ['amount', 'importo', 'importodono', 'importoversato', 'somma', 'euro'],
    required: true,
  },
  {
    name: 'method',
    aliases: [
      'method',
      'paymentmethod',
      'metodo',
      'metodopagamento',
      'modalitapagamento',
      'mezzodipagamento',
      'strumento',
    ],
    required: true,
  },
  { name: 'status', aliases: ['status', 'stato', 'esito', 'statopagamento'] },
  {
    name: 'return_code',
    aliases: [
      'returncode',
      'reasoncode',
      'codiceritorno',
      'codicestorno',
      'codiceinsoluto',
      'causaleinsoluto',
      'causalestorno',
      'motivoinsoluto',
      'rcode',
    ],
  },
  { name: 'campaign_code', aliases: CAMPAIGN_ALIASES },
  { name: 'commitment_id', aliases: COMMITMENT_REF_ALIASES },
];

/** Payment methods as Italian and English exports write them (enumKey form). */
export const METHODS: Readonly<Record<string, GiftMethod>> = {
  sepa_direct_debit: 'sepa_direct_debit',
  sepa: 'sepa_direct_debit',
  sepa_dd: 'sepa_direct_debit',
  sdd: 'sepa_direct_debit',
  rid: 'sepa_direct_debit',
  direct_debit: 'sepa_direct_debit',
  addebito_diretto: 'sepa_direct_debit',
  addebito_sepa: 'sepa_direct_debit',
  domiciliazione: 'sepa_direct_debit',
  domiciliazione_bancaria: 'sepa_direct_debit',
  card: 'card',
  credit_card: 'card',
  carta: 'card',
  carta_di_credito: 'card',
  carta_credito: 'card',
  bank_transfer: 'bank_transfer',
  transfer: 'bank_transfer',
  bonifico: 'bank_transfer',
  bonifico_bancario: 'bank_transfer',
  postal: 'postal',
  bollettino: 'postal',
  bollettino_postale: 'postal',
  conto_corrente_postale: 'postal',
  ccp: 'postal',
  cash: 'cash',
  contanti: 'cash',
  other: 'other',
  altro: 'other',
};
export const METHODS_EXPECTED = 'SDD/RID/sepa, carta/card, bonifico/bank transfer, bollettino/postal';

const STATUSES: Readonly<Record<string, GiftStatus>> = {
  collected: 'collected',
  incassato: 'collected',
  riscosso: 'collected',
  pagato: 'collected',
  paid: 'collected',
  ok: 'collected',
  failed: 'failed',
  fallito: 'failed',
  insoluto: 'failed',
  respinto: 'failed',
  rifiutato: 'failed',
  returned: 'failed',
  rejected: 'failed',
  refunded: 'refunded',
  rimborsato: 'refunded',
  stornato: 'refunded',
  refund: 'refunded',
};

export function createGiftsImporter(): Importer<GiftRecord> {
  return { kind: 'gifts', fields: GIFT_FIELDS, tables: ['gifts'], prepare: prepareGift, apply: applyGifts };
}

export function prepareGift(
  row: TableRow,
  mapping: ResolvedMapping,
  context: ImportContext,
): PreparedRow<GiftRecord> {
  const read = rowReader(row, mapping);
  const externalId = read.text('external_id', 100, "the gift's id");
  const supporter = read.cell('supporter_id');
  if (!supporter) read.refuse(read.columnOf('supporter_id'), '', 'the supporter id is missing');
  const giftDate = read.date('gift_date', { required: 'the date', notAfter: context.today, label: 'date' });
  const amountCents = read.amount('amount', 'the amount');
  const method = read.choice('method', METHODS, {
    label: 'payment method',
    expected: `${METHODS_EXPECTED}, contanti/cash, altro/other`,
    required: 'the payment method',
  });
  const status = read.choice('status', STATUSES, {
    label: 'status',
    expected: 'incassato/collected, insoluto/failed, rimborsato/refunded',
  });
  let returnCode: string | null = null;
  const code = read.cell('return_code');
  if (code) {
    const known = sepaReturnReason(code.value);
    if (!known)
      read.refuse(code.column, code.value, 'unknown SEPA return reason code (AC01, AM04, MD06, MS02 …)');
    else if (status === null || status === 'collected')
      read.refuse(code.column, code.value, 'a return code needs the status failed or refunded');
    else returnCode = known.code;
  } else if (status === 'failed' && method === 'sepa_direct_debit') {
    read.refuse(read.columnOf('return_code'), '', 'a failed SEPA direct debit needs its return reason code');
  }
  const campaignCode = read.text('campaign_code', 60);
  const commitment = read.cell('commitment_id') ?? null;
  if (
    read.issues.length > 0 ||
    externalId === null ||
    !supporter ||
    giftDate === null ||
    amountCents === null ||
    method === null
  ) {
    return { line: read.line, issues: read.issues };
  }
  return {
    line: read.line,
    record: {
      externalId,
      supporter,
      giftDate,
      amountCents,
      method,
      status,
      returnCode,
      campaignCode,
      commitment,
    },
  };
}

type StoredGift = {
  id: string;
  supporter_id: string;
  commitment_id: string | null;
  external_id: string;
  gift_date: string;
  amount_cents: number;
  method: GiftMethod;
  status: GiftStatus;
  return_code: string | null;
  campaign_code: string | null;
};

async function applyGifts(
  tx: Tx,
  rows: readonly { line: number; record: GiftRecord }[],
  context: ImportContext,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { created: 0, updated: 0, unchanged: 0, rejected: [] };
  const supporters = await resolveSupporters(
    tx,
    context,
    rows.map((r) => r.record.supporter.value),
  );
  const commitmentRefs = [
    ...new Set(rows.flatMap((r) => (r.record.commitment ? [r.record.commitment.value] : []))),
  ];
  const commitments = new Map<string, { id: string; supporter_id: string }>();
  if (commitmentRefs.length > 0) {
    const found = await sql<{ id: string; supporter_id: string; external_id: string }>`
      select id, supporter_id, external_id from commitments
      where org_id = ${context.orgId}::uuid and external_id = any(${commitmentRefs}::text[])`.execute(tx);
    for (const row of found.rows) commitments.set(row.external_id, row);
  }
  const stored = await sql<StoredGift>`
    select id, supporter_id, commitment_id, external_id, to_char(gift_date, 'YYYY-MM-DD') as gift_date,
           amount_cents, method, status, return_code, campaign_code
    from gifts
    where org_id = ${context.orgId}::uuid and external_id = any(${rows.map((r) => r.record.externalId)}::text[])`.execute(
    tx,
  );
  // Each gift as this batch leaves it, by external id: later rows of the file see earlier ones.
  const gifts = new Map<string, { base: StoredGift | null; current: StoredGift }>(
    stored.rows.map((row) => [row.external_id, { base: row, current: row }]),
  );
  const reject = (issue: RowIssue) => outcome.rejected.push(issue);

  for (const { line, record } of rows) {
    const supporterId = supporters.get(record.supporter.value);
    if (!supporterId) {
      reject(unknownSupporter(line, record.supporter, context));
      continue;
    }
    let commitmentId: string | null = null;
    if (record.commitment) {
      const commitment = commitments.get(record.commitment.value);
      if (!commitment) {
        reject({
          line,
          ...record.commitment,
          reason: 'no commitment has this id (import the commitments first)',
        });
        continue;
      }
      if (commitment.supporter_id !== supporterId) {
        reject({ line, ...record.commitment, reason: 'this commitment belongs to another supporter' });
        continue;
      }
      commitmentId = commitment.id;
    }
    const known = gifts.get(record.externalId);
    if (!known) {
      const current: StoredGift = {
        id: randomUUID(),
        supporter_id: supporterId,
        commitment_id: commitmentId,
        external_id: record.externalId,
        gift_date: record.giftDate,
        amount_cents: record.amountCents,
        method: record.method,
        status: record.status ?? 'collected',
        return_code: record.returnCode,
        campaign_code: record.campaignCode,
      };
      gifts.set(record.externalId, { base: null, current });
      outcome.created++;
      continue;
    }
    if (known.current.supporter_id !== supporterId) {
      reject({
        line,
        ...record.supporter,
        reason: `gift ${record.externalId} belongs to another supporter; an import does not move gifts`,
      });
      continue;
    }
    const next: StoredGift = {
      ...known.current,
      gift_date: record.giftDate,
      amount_cents: record.amountCents,
      method: record.method,
      status: record.status ?? known.current.status,
      return_code: record.status ? record.returnCode : known.current.return_code,
      campaign_code: record.campaignCode ?? known.current.campaign_code,
      commitment_id: commitmentId ?? known.current.commitment_id,
    };
    if (sameGift(next, known.current)) outcome.unchanged++;
    else {
      known.current = next;
      outcome.updated++;
    }
  }

  const all = [...gifts.values()];
  const creates = all.filter((g) => g.base === null).map((g) => g.current);
  const updates = all.filter((g) => g.base !== null && !sameGift(g.base, g.current)).map((g) => g.current);
  if (creates.length > 0) {
    await sql`
      insert into gifts (id, org_id, supporter_id, commitment_id, external_id, gift_date, amount_cents, method, status,
                         return_code, campaign_code)
      select id, ${context.orgId}::uuid, supporter_id, commitment_id, external_id, gift_date, amount_cents, method, status,
             return_code, campaign_code
      from ${giftArrays(creates)}`.execute(tx);
  }
  if (updates.length > 0) {
    await sql`
      update gifts g set supporter_id = v.supporter_id, commitment_id = v.commitment_id, gift_date = v.gift_date,
        amount_cents = v.amount_cents, method = v.method, status = v.status, return_code = v.return_code,
        campaign_code = v.campaign_code
      from ${giftArrays(updates)}
      where g.id = v.id`.execute(tx);
  }
  // What insertGift does for one gift, for the batch: the latest collection per commitment.
  const collected = [...creates, ...updates].filter(
    (g) => g.commitment_id !== null && g.method === 'sepa_direct_debit' && g.status === 'collected',
  );
  if (collected.length > 0) {
    await sql`
      update mandates m set
        last_collection_on = greatest(m.last_collection_on, v.last_on),
        sequence_type = case when m.sequence_type = 'FRST' then 'RCUR' else m.sequence_type end,
        updated_at = now()
      from (select commitment_id, max(gift_date) as last_on
            from unnest(${collected.map((g) => g.commitment_id)}::uuid[], ${collected.map((g) => g.gift_date)}::date[])
              as u(commitment_id, gift_date)
            group by commitment_id) v
      where m.commitment_id = v.commitment_id`.execute(tx);
  }
  return outcome;
}

function sameGift(a: StoredGift, b: StoredGift): boolean {
  return (
    a.supporter_id === b.supporter_id &&
    a.commitment_id === b.commitment_id &&
    a.gift_date === b.gift_date &&
    a.amount_cents === b.amount_cents &&
    a.method === b.method &&
    a.status === b.status &&
    a.return_code === b.return_code &&
    a.campaign_code === b.campaign_code
  );
}

function giftArrays(items: readonly StoredGift[]) {
  const col = <T>(pick: (g: StoredGift) => T) => items.map(pick);
  return sql`unnest(${col((g) => g.id)}::uuid[], ${col((g) => g.supporter_id)}::uuid[], ${col((g) => g.commitment_id)}::uuid[],
                ${col((g) => g.external_id)}::text[], ${col((g) => g.gift_date)}::date[], ${col((g) => g.amount_cents)}::integer[],
                ${col((g) => g.method)}::text[], ${col((g) => g.status)}::text[], ${col((g) => g.return_code)}::text[],
                ${col((g) => g.campaign_code)}::text[])
      as v(id, supporter_id, commitment_id, external_id, gift_date, amount_cents, method, status, return_code, campaign_code)`;
}
