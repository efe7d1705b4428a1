// Commitments (regular gifts) import, with the SEPA mandate of those paid by
// direct debit. A row is matched on the commitment's external id (unique per
// organization). A new id creates the commitment, its mandate and its
// `created` history event. A known one is brought up to date the way the
// giving module changes a commitment: an amount or status change writes a
// commitment_events row (reason "import", the import's actor, effective
// today) and obeys the same status transitions (STATUS_TRANSITIONS); the
// frequency, end date and campaign code follow the file; empty cells keep
// what is stored. What an import does not change: the supporter, the payment
// method, the start date and the bank details of an existing mandate (those
// rows are rejected with the reason, to be handled by a person).
//
// The IBAN is validated by the engine and sealed with the organization's id
// before it is written; only its country and last four characters are stored
// in clear. It never appears in a rejected row's value (masked) nor in a
// reason. Mandate references are unique per creditor: a reference used by
// another commitment is rejected, a missing one generated as the API does.
//
// Set-based per batch: supporters, commitments with their mandates, and the
// references in use are read in three queries; creates, mandates, updates and
// events are written in four. No per-row outbox event: the pipeline emits
// import.completed.
import { randomUUID } from 'node:crypto';
import {
  isSequenceType,
  maskIban,
  validateCreditorId,
  validateIban,
  validateMandateReference,
} from '@centralino/engine';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type {
  CommitmentFrequency,
  CommitmentMethod,
  CommitmentStatus,
  SequenceType,
} from '../../db/schema.ts';
import { STATUS_TRANSITIONS } from '../giving/commitments.service.ts';
import { generatedReference } from '../giving/mandates.service.ts';
import { CAMPAIGN_ALIASES, COMMITMENT_REF_ALIASES, METHODS, METHODS_EXPECTED } from './gifts.importer.ts';
import type { BatchOutcome, ImportContext, Importer, PreparedRow, RowIssue } from './import.types.ts';
import { type Cell, rowReader } from './import-values.ts';
import type { ImportField, ResolvedMapping } from './mapping.ts';
import type { TableRow } from './reader/table-reader.ts';
import { resolveSupporters, SUPPORTER_REF_ALIASES, unknownSupporter } from './supporter-refs.ts';

export type MandateRecord = {
  /** Electronic format, validated. Only ever sealed or masked on its way out. */
  iban: string;
  ibanCountry: string;
  ibanColumn: string;
  reference: Cell | null;
  creditorId: Cell | null;
  signatureDate: string;
  sequenceType: SequenceType | null;
};

export type CommitmentRecord = {
  externalId: string;
  supporter: Cell;
  amountCents: number;
  frequency: CommitmentFrequency;
  method: Cell & { method: CommitmentMethod };
  startDate: Cell & { date: string };
  endDate: string | null;
  status: Cell & { status: CommitmentStatus };
  statusGiven: boolean;
  campaignCode: string | null;
  mandate: MandateRecord | null;
};

export const COMMITMENT_FIELDS: readonly ImportField[] = [
  { name: 'external_id', aliases: ['externalid', ...COMMITMENT_REF_ALIASES], required: true },
  { name: 'supporter_id', aliases: SUPPORTER_REF_ALIASES, required: true },
  {
    name: 'amount',
    aliases: ['amount', 'importo', 'importorata', 'importomensile', 'quota', 'rata', 'amountcents'],
    required: true,
  },
  { name: 'frequency', aliases: ['frequency', 'frequenza', 'periodicita', 'cadenza'], required: true },
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
  {
    name: 'start_date',
    aliases: ['startdate', 'datainizio', 'inizio', 'dataattivazione', 'decorrenza'],
    required: true,
  },
  { name: 'end_date', aliases: ['enddate', 'datafine', 'fine', 'scadenza', 'datacessazione'] },
  { name: 'status', aliases: ['status', 'stato', 'statoimpegno'] },
  { name: 'campaign_code', aliases: CAMPAIGN_ALIASES },
  { name: 'iban', aliases: ['iban', 'codiceiban', 'contoiban'] },
  {
    name: 'mandate_reference',
    aliases: [
      'mandatereference',
      'mandateref',
      'mandateid',
      'umr',
      'riferimentomandato',
      'rifmandato',
      'codicemandato',
      'idmandato',
      'mandato',
    ],
  },
  {
    name: 'signature_date',
    aliases: ['signaturedate', 'mandatesignaturedate', 'datafirma', 'datafirmamandato', 'datasottoscrizione'],
  },
  { name: 'sequence_type', aliases: ['sequencetype', 'seqtype', 'tiposequenza', 'sequenza', 'tipoaddebito'] },
  {
    name: 'creditor_id',
    aliases: ['creditorid', 'codicecreditore', 'idcreditore', 'cid', 'creditoridentifier'],
  },
];

const FREQUENCIES: Readonly<Record<string, CommitmentFrequency>> = {
  monthly: 'monthly',
  mensile: 'monthly',
  mese: 'monthly',
  m: 'monthly',
  bimonthly: 'bimonthly',
  bimestrale: 'bimonthly',
  quarterly: 'quarterly',
  trimestrale: 'quarterly',
  semiannual: 'semiannual',
  semestrale: 'semiannual',
  half_yearly: 'semiannual',
  annual: 'annual',
  annuale: 'annual',
  yearly: 'annual',
  annually: 'annual',
  anno: 'annual',
};

const STATUSES: Readonly<Record<string, CommitmentStatus>> = {
  active: 'active',
  attivo: 'active',
  attiva: 'active',
  paused: 'paused',
  sospeso: 'paused',
  sospesa: 'paused',
  in_pausa: 'paused',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  annullato: 'cancelled',
  annullata: 'cancelled',
  disdetto: 'cancelled',
  revocato: 'cancelled',
  lapsed: 'lapsed',
  decaduto: 'lapsed',
  decaduta: 'lapsed',
};

const SEQUENCE_TYPES: Readonly<Record<string, SequenceType>> = {
  first: 'FRST',
  primo: 'FRST',
  recurring: 'RCUR',
  ricorrente: 'RCUR',
  one_off: 'OOFF',
  singolo: 'OOFF',
  una_tantum: 'OOFF',
  final: 'FNAL',
  ultimo: 'FNAL',
};

export function createCommitmentsImporter(): Importer<CommitmentRecord> {
  return {
    kind: 'commitments',
    fields: COMMITMENT_FIELDS,
    tables: ['commitments', 'commitment_events', 'mandates'],
    prepare: prepareCommitment,
    apply: applyCommitments,
  };
}

export function prepareCommitment(
  row: TableRow,
  mapping: ResolvedMapping,
  context: ImportContext,
): PreparedRow<CommitmentRecord> {
  const read = rowReader(row, mapping);
  const externalId = read.text('external_id', 100, "the commitment's id");
  const supporter = read.cell('supporter_id');
  if (!supporter) read.refuse(read.columnOf('supporter_id'), '', 'the supporter id is missing');
  const amountCents = read.amount('amount', 'the amount');
  const frequency = read.choice('frequency', FREQUENCIES, {
    label: 'frequency',
    expected: 'mensile/monthly, bimestrale, trimestrale, semestrale, annuale',
    required: 'the frequency',
  });
  const anyMethod = read.choice('method', METHODS, {
    label: 'payment method',
    expected: METHODS_EXPECTED,
    required: 'the payment method',
  });
  if (anyMethod === 'cash' || anyMethod === 'other') {
    read.refuse(
      read.columnOf('method'),
      read.cell('method')?.value ?? '',
      `a regular gift is not paid by ${anyMethod}`,
    );
  }
  const method = anyMethod === 'cash' || anyMethod === 'other' ? null : anyMethod;
  const startDate = read.date('start_date', { required: 'the start date', label: 'start date' });
  const endDate = read.date('end_date', { label: 'end date' });
  if (startDate && endDate && endDate < startDate) {
    read.refuse(
      read.columnOf('end_date'),
      read.cell('end_date')?.value ?? '',
      'the end date is before the start date',
    );
  }
  const statusCell = read.cell('status');
  const status = read.choice('status', STATUSES, {
    label: 'status',
    expected: 'attivo/active, sospeso/paused, annullato/cancelled, decaduto/lapsed',
  });
  const campaignCode = read.text('campaign_code', 60);

  const ibanCell = read.cell('iban');
  const referenceCell = read.cell('mandate_reference');
  const signatureDate = read.date('signature_date', {
    label: 'signature date',
    notAfter: context.today,
  });
  const creditorCell = read.cell('creditor_id');
  const sequenceCell = read.cell('sequence_type');
  let mandate: MandateRecord | null = null;
  if (method === 'sepa_direct_debit') {
    let iban: { iban: string; countryCode: string } | null = null;
    if (!ibanCell) read.refuse(read.columnOf('iban'), '', 'a SEPA direct debit needs the IBAN');
    else {
      const checked = validateIban(ibanCell.value);
      // The value is masked: a rejected row's value is shown by the report, the API and the CLI.
      if (!checked.ok)
        read.refuse(ibanCell.column, maskIban(ibanCell.value), `invalid IBAN: ${checked.message}`);
      else iban = checked;
    }
    if (!read.cell('signature_date')) {
      read.refuse(
        read.columnOf('signature_date'),
        '',
        "a SEPA direct debit needs the mandate's signature date",
      );
    }
    let reference: Cell | null = null;
    if (referenceCell) {
      const checked = validateMandateReference(referenceCell.value);
      if (!checked.ok)
        read.refuse(
          referenceCell.column,
          referenceCell.value,
          `invalid mandate reference: ${checked.message}`,
        );
      else reference = { column: referenceCell.column, value: checked.reference };
    }
    let creditorId: Cell | null = null;
    if (creditorCell) {
      const checked = validateCreditorId(creditorCell.value);
      if (!checked.ok)
        read.refuse(
          creditorCell.column,
          creditorCell.value,
          `invalid SEPA creditor identifier: ${checked.message}`,
        );
      else creditorId = { column: creditorCell.column, value: checked.creditorId };
    }
    let sequenceType: SequenceType | null = null;
    if (sequenceCell) {
      const upper = sequenceCell.value.trim().toUpperCase();
      sequenceType = isSequenceType(upper)
        ? upper
        : (read.choice('sequence_type', SEQUENCE_TYPES, {
            label: 'sequence type',
            expected: 'FRST, RCUR, OOFF, FNAL',
          }) ?? null);
    }
    if (iban && signatureDate) {
      mandate = {
        iban: iban.iban,
        ibanCountry: iban.countryCode,
        ibanColumn: ibanCell!.column,
        reference,
        creditorId,
        signatureDate,
        sequenceType,
      };
    }
  } else if (method !== null) {
    for (const cell of [ibanCell, referenceCell]) {
      if (cell) {
        read.refuse(
          cell.column,
          cell === ibanCell ? maskIban(cell.value) : cell.value,
          'only a SEPA direct debit has a mandate (IBAN, mandate reference)',
        );
      }
    }
  }

  if (
    read.issues.length > 0 ||
    externalId === null ||
    !supporter ||
    amountCents === null ||
    frequency === null ||
    method === null ||
    startDate === null
  ) {
    return { line: read.line, issues: read.issues };
  }
  return {
    line: read.line,
    record: {
      externalId,
      supporter,
      amountCents,
      frequency,
      method: { column: read.columnOf('method'), value: read.cell('method')?.value ?? '', method },
      startDate: {
        column: read.columnOf('start_date'),
        value: read.cell('start_date')?.value ?? '',
        date: startDate,
      },
      endDate,
      status: { column: read.columnOf('status'), value: statusCell?.value ?? '', status: status ?? 'active' },
      statusGiven: status !== null,
      campaignCode,
      mandate,
    },
  };
}

type StoredCommitment = {
  id: string;
  supporter_id: string;
  external_id: string;
  amount_cents: number;
  frequency: CommitmentFrequency;
  method: CommitmentMethod;
  start_date: string;
  end_date: string | null;
  status: CommitmentStatus;
  campaign_code: string | null;
  mandate_creditor_id: string | null;
  mandate_reference: string | null;
  mandate_iban_encrypted: string | null;
};

type Change =
  | { kind: 'status_changed'; from: CommitmentStatus; to: CommitmentStatus }
  | { kind: 'amount_changed'; from: number; to: number };

type Working = {
  isNew: boolean;
  base: StoredCommitment;
  current: StoredCommitment;
  events: Change[];
  /** A mandate this batch adds (new commitment, or a SEPA commitment stored without one). */
  newMandate: (MandateRecord & { creditor: string; ref: string }) | null;
};

type EventRow = {
  commitmentId: string;
  supporterId: string;
  kind: 'created' | 'status_changed' | 'amount_changed';
  fromStatus: CommitmentStatus | null;
  toStatus: CommitmentStatus | null;
  fromAmount: number | null;
  toAmount: number | null;
  effectiveDate: string;
};

async function applyCommitments(
  tx: Tx,
  rows: readonly { line: number; record: CommitmentRecord }[],
  context: ImportContext,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { created: 0, updated: 0, unchanged: 0, rejected: [] };
  const reject = (issue: RowIssue) => outcome.rejected.push(issue);
  const supporters = await resolveSupporters(
    tx,
    context,
    rows.map((r) => r.record.supporter.value),
  );
  const stored = await sql<StoredCommitment>`
    select c.id, c.supporter_id, c.external_id, c.amount_cents, c.frequency, c.method,
           to_char(c.start_date, 'YYYY-MM-DD') as start_date, to_char(c.end_date, 'YYYY-MM-DD') as end_date,
           c.status, c.campaign_code, m.creditor_id as mandate_creditor_id, m.reference as mandate_reference,
           m.iban_encrypted as mandate_iban_encrypted
    from commitments c left join mandates m on m.commitment_id = c.id
    where c.org_id = ${context.orgId}::uuid and c.external_id = any(${rows.map((r) => r.record.externalId)}::text[])`.execute(
    tx,
  );
  const working = new Map<string, Working>(
    stored.rows.map((row) => [
      row.external_id,
      { isNew: false, base: row, current: row, events: [], newMandate: null },
    ]),
  );

  // Mandates this batch may add: their creditor (the row's, or the organization's) and reference
  // (the row's, or generated from the commitment id the row will get), checked in one query.
  const needsMandate = rows.filter(
    (r) => r.record.mandate !== null && !working.get(r.record.externalId)?.base.mandate_reference,
  );
  const defaults = needsMandate.length > 0 ? await mandateDefaults(tx, context) : null;
  const newIds = new Map<string, string>();
  const plannedMandate = new Map<number, { creditor: string | null; ref: string; generated: boolean }>();
  for (const { line, record } of needsMandate) {
    const mandate = record.mandate!;
    const stored = working.get(record.externalId);
    let commitmentId = stored?.base.id ?? newIds.get(record.externalId);
    if (!commitmentId) {
      commitmentId = randomUUID();
      newIds.set(record.externalId, commitmentId);
    }
    plannedMandate.set(line, {
      creditor: mandate.creditorId?.value ?? defaults?.creditorId ?? null,
      ref:
        mandate.reference?.value ??
        generatedReference({
          slug: defaults!.slug,
          signatureDate: mandate.signatureDate,
          commitmentId,
          idLength: 16,
        }),
      generated: mandate.reference === null,
    });
  }
  const planned = [...plannedMandate.values()].filter((p) => p.creditor !== null);
  const taken = new Set<string>();
  if (planned.length > 0) {
    const found = await sql<{ creditor_id: string; reference: string }>`
      select m.creditor_id, m.reference from mandates m
      join unnest(${planned.map((p) => p.creditor)}::text[], ${planned.map((p) => p.ref)}::text[]) as k(creditor_id, reference)
        on m.creditor_id = k.creditor_id and m.reference = k.reference
      where m.org_id = ${context.orgId}::uuid`.execute(tx);
    for (const row of found.rows) taken.add(`${row.creditor_id}|${row.reference}`);
  }

  for (const { line, record } of rows) {
    const supporterId = supporters.get(record.supporter.value);
    if (!supporterId) {
      reject(unknownSupporter(line, record.supporter, context));
      continue;
    }
    const target = working.get(record.externalId);
    const plan = plannedMandate.get(line);
    let newMandate: Working['newMandate'] = null;
    if (record.mandate && plan && !target?.current.mandate_reference && !target?.newMandate) {
      if (!plan.creditor) {
        reject({
          line,
          column: record.mandate.creditorId?.column ?? '',
          value: '',
          reason: 'no SEPA creditor identifier: set it in the CRM settings or add a creditor_id column',
        });
        continue;
      }
      const key = `${plan.creditor}|${plan.ref}`;
      if (taken.has(key)) {
        reject({
          line,
          column: record.mandate.reference?.column ?? '',
          value: plan.generated ? '' : plan.ref,
          reason: `the mandate reference ${plan.ref} is already used for creditor ${plan.creditor}`,
        });
        continue;
      }
      newMandate = { ...record.mandate, creditor: plan.creditor, ref: plan.ref };
    }

    if (!target) {
      const id = newIds.get(record.externalId) ?? randomUUID();
      const current: StoredCommitment = {
        id,
        supporter_id: supporterId,
        external_id: record.externalId,
        amount_cents: record.amountCents,
        frequency: record.frequency,
        method: record.method.method,
        start_date: record.startDate.date,
        end_date: record.endDate,
        status: record.status.status,
        campaign_code: record.campaignCode,
        mandate_creditor_id: newMandate?.creditor ?? null,
        mandate_reference: newMandate?.ref ?? null,
        mandate_iban_encrypted: null,
      };
      if (newMandate) taken.add(`${newMandate.creditor}|${newMandate.ref}`);
      working.set(record.externalId, { isNew: true, base: current, current, events: [], newMandate });
      outcome.created++;
      continue;
    }

    const current = target.current;
    const refuse = (column: string, value: string, reason: string) => reject({ line, column, value, reason });
    if (current.supporter_id !== supporterId) {
      refuse(
        record.supporter.column,
        record.supporter.value,
        `commitment ${record.externalId} belongs to another supporter`,
      );
      continue;
    }
    if (current.method !== record.method.method) {
      refuse(
        record.method.column,
        record.method.value,
        `the payment method is ${current.method}; an import does not change it (create a new commitment)`,
      );
      continue;
    }
    if (current.start_date !== record.startDate.date) {
      refuse(
        record.startDate.column,
        record.startDate.value,
        `the start date is ${current.start_date}; an import does not change it`,
      );
      continue;
    }
    const nextStatus = record.statusGiven ? record.status.status : current.status;
    if (nextStatus !== current.status && !STATUS_TRANSITIONS[current.status].includes(nextStatus)) {
      refuse(
        record.status.column,
        record.status.value,
        `the status cannot change from ${current.status} to ${nextStatus}`,
      );
      continue;
    }
    if (record.mandate && current.mandate_reference) {
      const differs = mandateDiffers(record.mandate, target, context);
      if (differs) {
        refuse(
          differs === 'iban' ? record.mandate.ibanColumn : (record.mandate.reference?.column ?? ''),
          differs === 'iban' ? maskIban(record.mandate.iban) : (record.mandate.reference?.value ?? ''),
          `the ${differs === 'iban' ? 'IBAN' : 'mandate reference'} differs from the stored mandate; an import does not change bank details`,
        );
        continue;
      }
    }
    const next: StoredCommitment = {
      ...current,
      amount_cents: record.amountCents,
      frequency: record.frequency,
      end_date: record.endDate ?? current.end_date,
      status: nextStatus,
      campaign_code: record.campaignCode ?? current.campaign_code,
      ...(newMandate ? { mandate_creditor_id: newMandate.creditor, mandate_reference: newMandate.ref } : {}),
    };
    if (next.status !== current.status)
      target.events.push({ kind: 'status_changed', from: current.status, to: next.status });
    if (next.amount_cents !== current.amount_cents)
      target.events.push({ kind: 'amount_changed', from: current.amount_cents, to: next.amount_cents });
    if (newMandate) {
      target.newMandate = newMandate;
      taken.add(`${newMandate.creditor}|${newMandate.ref}`);
    }
    if (sameCommitment(next, current)) outcome.unchanged++;
    else {
      target.current = next;
      outcome.updated++;
    }
  }

  const all = [...working.values()];
  await writeCommitments(tx, context, all);
  return outcome;
}

/** Which part of a stored mandate a row contradicts: its IBAN (opened to compare), its reference, or none. */
function mandateDiffers(
  mandate: MandateRecord,
  target: Working,
  context: ImportContext,
): 'iban' | 'reference' | null {
  if (mandate.reference && mandate.reference.value !== target.current.mandate_reference) return 'reference';
  const sealed = target.current.mandate_iban_encrypted;
  const iban = target.newMandate?.iban ?? (sealed ? context.secrets.open(sealed, context.orgId) : undefined);
  return iban !== undefined && iban !== mandate.iban ? 'iban' : null;
}

async function mandateDefaults(
  tx: Tx,
  context: ImportContext,
): Promise<{ creditorId: string | null; slug: string }> {
  const result = await sql<{ creditor_id: string | null; slug: string }>`
    select (select creditor_id from crm_settings where org_id = ${context.orgId}::uuid) as creditor_id, o.slug
    from organizations o where o.id = ${context.orgId}::uuid`.execute(tx);
  const row = result.rows[0];
  const creditor = row?.creditor_id ? validateCreditorId(row.creditor_id) : undefined;
  return { creditorId: creditor?.ok ? creditor.creditorId : null, slug: row?.slug ?? '' };
}

function sameCommitment(a: StoredCommitment, b: StoredCommitment): boolean {
  return (
    a.amount_cents === b.amount_cents &&
    a.frequency === b.frequency &&
    a.end_date === b.end_date &&
    a.status === b.status &&
    a.campaign_code === b.campaign_code &&
    a.mandate_reference === b.mandate_reference
  );
}

async function writeCommitments(tx: Tx, context: ImportContext, all: readonly Working[]): Promise<void> {
  const creates = all.filter((w) => w.isNew).map((w) => w.current);
  const updates = all.filter((w) => !w.isNew && !sameCommitment(w.base, w.current)).map((w) => w.current);
  const col = <T>(items: readonly StoredCommitment[], pick: (c: StoredCommitment) => T) => items.map(pick);
  if (creates.length > 0) {
    await sql`
      insert into commitments (id, org_id, supporter_id, external_id, amount_cents, frequency, method, start_date,
                               end_date, status, campaign_code)
      select id, ${context.orgId}::uuid, supporter_id, external_id, amount_cents, frequency, method, start_date,
             end_date, status, campaign_code
      from unnest(${col(creates, (c) => c.id)}::uuid[], ${col(creates, (c) => c.supporter_id)}::uuid[],
                  ${col(creates, (c) => c.external_id)}::text[], ${col(creates, (c) => c.amount_cents)}::integer[],
                  ${col(creates, (c) => c.frequency)}::text[], ${col(creates, (c) => c.method)}::text[],
                  ${col(creates, (c) => c.start_date)}::date[], ${col(creates, (c) => c.end_date)}::date[],
                  ${col(creates, (c) => c.status)}::text[], ${col(creates, (c) => c.campaign_code)}::text[])
        as v(id, supporter_id, external_id, amount_cents, frequency, method, start_date, end_date, status, campaign_code)`.execute(
      tx,
    );
  }
  if (updates.length > 0) {
    await sql`
      update commitments c set amount_cents = v.amount_cents, frequency = v.frequency, end_date = v.end_date,
        status = v.status, campaign_code = v.campaign_code, version = c.version + 1, updated_at = now()
      from unnest(${col(updates, (c) => c.id)}::uuid[], ${col(updates, (c) => c.amount_cents)}::integer[],
                  ${col(updates, (c) => c.frequency)}::text[], ${col(updates, (c) => c.end_date)}::date[],
                  ${col(updates, (c) => c.status)}::text[], ${col(updates, (c) => c.campaign_code)}::text[])
        as v(id, amount_cents, frequency, end_date, status, campaign_code)
      where c.id = v.id`.execute(tx);
  }

  const mandates = all.flatMap((w) =>
    w.newMandate ? [{ commitmentId: w.current.id, m: w.newMandate }] : [],
  );
  if (mandates.length > 0) {
    const pick = <T>(f: (x: (typeof mandates)[number]) => T) => mandates.map(f);
    await sql`
      insert into mandates (org_id, commitment_id, creditor_id, reference, signature_date, iban_encrypted, iban_country,
                            iban_last4, sequence_type)
      select ${context.orgId}::uuid, commitment_id, creditor_id, reference, signature_date, iban_encrypted, iban_country,
             iban_last4, sequence_type
      from unnest(${pick((x) => x.commitmentId)}::uuid[], ${pick((x) => x.m.creditor)}::text[], ${pick((x) => x.m.ref)}::text[],
                  ${pick((x) => x.m.signatureDate)}::date[], ${pick((x) => context.secrets.seal(x.m.iban, context.orgId))}::text[],
                  ${pick((x) => x.m.ibanCountry)}::text[], ${pick((x) => x.m.iban.slice(-4))}::text[],
                  ${pick((x) => x.m.sequenceType ?? 'FRST')}::text[])
        as v(commitment_id, creditor_id, reference, signature_date, iban_encrypted, iban_country, iban_last4, sequence_type)`.execute(
      tx,
    );
  }

  const events: EventRow[] = [];
  for (const w of all) {
    const base = { commitmentId: w.current.id, supporterId: w.current.supporter_id };
    if (w.isNew) {
      events.push({
        ...base,
        kind: 'created',
        fromStatus: null,
        toStatus: w.current.status,
        fromAmount: null,
        toAmount: w.current.amount_cents,
        effectiveDate: w.current.start_date,
      });
    }
    for (const change of w.events) {
      events.push({
        ...base,
        kind: change.kind,
        fromStatus: change.kind === 'status_changed' ? change.from : null,
        toStatus: change.kind === 'status_changed' ? change.to : null,
        fromAmount: change.kind === 'amount_changed' ? change.from : null,
        toAmount: change.kind === 'amount_changed' ? change.to : null,
        effectiveDate: context.today,
      });
    }
  }
  if (events.length > 0) {
    const pick = <T>(f: (e: EventRow) => T) => events.map(f);
    await sql`
      insert into commitment_events (org_id, commitment_id, supporter_id, kind, from_status, to_status, from_amount_cents,
                                     to_amount_cents, effective_date, reason, actor)
      select ${context.orgId}::uuid, commitment_id, supporter_id, kind, from_status, to_status, from_amount, to_amount,
             effective_date, 'import', ${context.actor}
      from unnest(${pick((e) => e.commitmentId)}::uuid[], ${pick((e) => e.supporterId)}::uuid[], ${pick((e) => e.kind)}::text[],
                  ${pick((e) => e.fromStatus)}::text[], ${pick((e) => e.toStatus)}::text[], ${pick((e) => e.fromAmount)}::integer[],
                  ${pick((e) => e.toAmount)}::integer[], ${pick((e) => e.effectiveDate)}::date[])
        with ordinality as v(commitment_id, supporter_id, kind, from_status, to_status, from_amount, to_amount, effective_date, n)
      order by n`.execute(tx);
  }
}
