// Consents import: one consent event per row (supporter, channel, purpose,
// granted or revoked, source, when, evidence), appended to the supporter's
// consent history. The history is append-only and the current consent is its
// latest event (revocation wins at equal time), so an import adds events and
// never edits one. An event already recorded — same supporter, channel,
// purpose, outcome and instant — is not added again: that is what makes a
// second import of the same file change nothing.
//
// A date without a time, or a time without an offset, is the organization's
// local time (its time zone, converted in SQL).
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { ConsentChannel } from '../../db/schema.ts';
import type { BatchOutcome, ImportContext, Importer, PreparedRow, RowIssue } from './import.types.ts';
import { enumKey, parseMoment, rowReader } from './import-values.ts';
import type { ImportField, ResolvedMapping } from './mapping.ts';
import type { TableRow } from './reader/table-reader.ts';
import { resolveSupporters, SUPPORTER_REF_ALIASES, unknownSupporter } from './supporter-refs.ts';

export type ConsentImportRecord = {
  supporter: { column: string; value: string };
  channel: ConsentChannel;
  purpose: string;
  granted: boolean;
  source: string;
  evidence: string;
  /** `YYYY-MM-DDTHH:MM:SS[.fff][offset]`; local time of the organization when `zoned` is false. */
  recordedAt: string;
  zoned: boolean;
};

export const CONSENT_FIELDS: readonly ImportField[] = [
  { name: 'supporter_id', aliases: SUPPORTER_REF_ALIASES, required: true },
  {
    name: 'channel',
    aliases: ['channel', 'canale', 'mezzo', 'canaledicontatto', 'canalecontatto'],
    required: true,
  },
  { name: 'purpose', aliases: ['purpose', 'finalita', 'scopo', 'tipoconsenso', 'tipo'], required: true },
  {
    name: 'granted',
    aliases: ['granted', 'consenso', 'consent', 'concesso', 'valore', 'value', 'esito', 'stato', 'status'],
    required: true,
  },
  { name: 'source', aliases: ['source', 'fonte', 'origine', 'provenienza', 'raccolto'] },
  {
    name: 'recorded_at',
    aliases: [
      'recordedat',
      'data',
      'date',
      'dataconsenso',
      'datarilevazione',
      'dataregistrazione',
      'registratoil',
      'timestamp',
      'quando',
    ],
    required: true,
  },
  { name: 'evidence', aliases: ['evidence', 'evidenza', 'prova', 'riferimento', 'documento', 'note'] },
];

const CHANNELS: Readonly<Record<string, ConsentChannel>> = {
  phone: 'phone',
  telefono: 'phone',
  tel: 'phone',
  telefonico: 'phone',
  telephone: 'phone',
  chiamata: 'phone',
  sms: 'sms',
  email: 'email',
  e_mail: 'email',
  mail: 'email',
  posta_elettronica: 'email',
  post: 'post',
  posta: 'post',
  posta_cartacea: 'post',
  postal: 'post',
  lettera: 'post',
};

const GRANTED: Readonly<Record<string, boolean>> = {
  si: true,
  s: true,
  yes: true,
  y: true,
  true: true,
  vero: true,
  '1': true,
  x: true,
  granted: true,
  concesso: true,
  dato: true,
  acconsente: true,
  accettato: true,
  opt_in: true,
  no: false,
  n: false,
  false: false,
  falso: false,
  '0': false,
  revoked: false,
  revocato: false,
  revoca: false,
  negato: false,
  denied: false,
  rifiutato: false,
  non_concesso: false,
  opt_out: false,
};

const PURPOSE = /^[a-z][a-z0-9_]{0,39}$/;

export function createConsentsImporter(): Importer<ConsentImportRecord> {
  return {
    kind: 'consents',
    fields: CONSENT_FIELDS,
    tables: ['consent_events'],
    prepare: prepareConsent,
    apply: applyConsents,
  };
}

export function prepareConsent(
  row: TableRow,
  mapping: ResolvedMapping,
  context: ImportContext,
): PreparedRow<ConsentImportRecord> {
  const read = rowReader(row, mapping);
  const supporter = read.cell('supporter_id');
  if (!supporter) read.refuse(read.columnOf('supporter_id'), '', 'the supporter id is missing');
  const channel = read.choice('channel', CHANNELS, {
    label: 'channel',
    expected: 'telefono/phone, sms, email, posta/post',
    required: 'the channel',
  });
  let purpose: string | null = null;
  const purposeCell = read.cell('purpose');
  if (!purposeCell) read.refuse(read.columnOf('purpose'), '', 'the purpose is missing');
  else {
    purpose = enumKey(purposeCell.value);
    if (!PURPOSE.test(purpose)) {
      read.refuse(
        purposeCell.column,
        purposeCell.value,
        'the purpose must start with a letter and have at most 40 letters, digits or spaces (marketing, fundraising)',
      );
      purpose = null;
    }
  }
  const granted = read.choice('granted', GRANTED, {
    label: 'consent value',
    expected: 'sì/yes/true/1 or no/false/0/revocato',
    required: 'whether the consent was given (sì/no)',
  });
  const source = read.text('source', 100) ?? 'import';
  const evidence = read.text('evidence', 2000) ?? '';
  let recordedAt: { timestamp: string; zoned: boolean } | null = null;
  const when = read.cell('recorded_at');
  if (!when) read.refuse(read.columnOf('recorded_at'), '', 'when the consent was recorded is missing');
  else {
    const parsed = parseMoment(when.value);
    if (!parsed.ok) read.refuse(when.column, when.value, `invalid date: ${parsed.message}`);
    else if (parsed.moment.date > context.today)
      read.refuse(when.column, when.value, 'the date is in the future');
    else recordedAt = parsed.moment;
  }
  if (
    read.issues.length > 0 ||
    !supporter ||
    channel === null ||
    purpose === null ||
    granted === null ||
    recordedAt === null
  ) {
    return { line: read.line, issues: read.issues };
  }
  return {
    line: read.line,
    record: {
      supporter,
      channel,
      purpose,
      granted,
      source,
      evidence,
      recordedAt: recordedAt.timestamp,
      zoned: recordedAt.zoned,
    },
  };
}

async function applyConsents(
  tx: Tx,
  rows: readonly { line: number; record: ConsentImportRecord }[],
  context: ImportContext,
): Promise<BatchOutcome> {
  const supporters = await resolveSupporters(
    tx,
    context,
    rows.map((r) => r.record.supporter.value),
  );
  const rejected: RowIssue[] = [];
  const known: { supporterId: string; record: ConsentImportRecord }[] = [];
  for (const { line, record } of rows) {
    const supporterId = supporters.get(record.supporter.value);
    if (supporterId) known.push({ supporterId, record });
    else rejected.push(unknownSupporter(line, record.supporter, context));
  }
  if (known.length === 0) return { created: 0, updated: 0, unchanged: 0, rejected };
  const col = <T>(pick: (r: ConsentImportRecord) => T) => known.map((k) => pick(k.record));
  // The same event twice in the batch is inserted once (distinct on), and one
  // already in the history not at all (not exists, on consent_events_current).
  const inserted = await sql<{ n: number }>`
    with v as (
      select supporter_id, channel, purpose, granted, source, evidence, n,
             case when zoned then recorded::timestamptz
                  else recorded::timestamp at time zone (select time_zone from organizations where id = ${context.orgId}::uuid)
             end as recorded_at
      from unnest(${known.map((k) => k.supporterId)}::uuid[], ${col((r) => r.channel)}::text[],
                  ${col((r) => r.purpose)}::text[], ${col((r) => r.granted)}::boolean[], ${col((r) => r.source)}::text[],
                  ${col((r) => r.evidence)}::text[], ${col((r) => r.recordedAt)}::text[], ${col((r) => r.zoned)}::boolean[])
        with ordinality as u(supporter_id, channel, purpose, granted, source, evidence, recorded, zoned, n)
    )
    insert into consent_events (org_id, supporter_id, channel, purpose, granted, source, evidence, recorded_at)
    select ${context.orgId}::uuid, supporter_id, channel, purpose, granted, source, evidence, recorded_at
    from (
      select distinct on (supporter_id, channel, purpose, granted, recorded_at) *
      from v order by supporter_id, channel, purpose, granted, recorded_at, n
    ) d
    where not exists (
      select from consent_events c
      where c.supporter_id = d.supporter_id and c.channel = d.channel and c.purpose = d.purpose
        and c.recorded_at = d.recorded_at and c.granted = d.granted)
    returning 1 as n`.execute(tx);
  const created = inserted.rows.length;
  return { created, updated: 0, unchanged: known.length - created, rejected };
}
