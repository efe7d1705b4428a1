// Registro Pubblico delle Opposizioni answers → register_checks (number,
// checked_on, registered, source = the file's name).
//
// What is known and what is assumed. The register (run by Fondazione Ugo
// Bordoni, DPR 178/2010 and DPR 26/2022) takes from an operator the list of
// numbers it means to call and answers, within 24 hours, with the list
// "cleansed" of the registered numbers, valid 15 days. The exact layout of
// that answer is in the register's technical documentation for registered
// operators, which this project has not seen. So the importer reads a
// documented CSV layout, `numero;esito;data` (number; ISCRITTO / NON ISCRITTO;
// date of the answer), with any column mapping, rather than guessing the
// register's own file. A cleansed list turns into it by writing NON ISCRITTO
// next to every number it kept and ISCRITTO next to every number it dropped
// (see the README). A number with no check, or an old one, is not callable
// anyway (phoneCompliance), so a missing row is never a risk; a wrong
// "NON ISCRITTO" is, which is why the outcome column is required.
//
// Re-importing the same answer changes nothing; a different outcome for the
// same number and day replaces the stored one, like the API.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { BatchOutcome, ImportContext, Importer, PreparedRow } from './import.types.ts';
import { enumKey, parseMoment, rowReader } from './import-values.ts';
import type { ImportField, ResolvedMapping } from './mapping.ts';
import type { TableRow } from './reader/table-reader.ts';

export type RegisterRecord = { number: string; checkedOn: string; registered: boolean };

export const REGISTER_FIELDS: readonly ImportField[] = [
  {
    name: 'number',
    aliases: ['number', 'numero', 'numerazione', 'telefono', 'phone', 'utenza', 'msisdn', 'numerotelefono'],
    required: true,
  },
  {
    name: 'outcome',
    aliases: ['outcome', 'esito', 'stato', 'status', 'result', 'risultato', 'iscritto', 'registered'],
    required: true,
  },
  {
    name: 'checked_on',
    aliases: ['checkedon', 'data', 'date', 'dataverifica', 'datacontrollo', 'dataesito', 'datarisposta'],
  },
];

/** Outcomes as the register and operators write them (enumKey form). */
const OUTCOMES: Readonly<Record<string, boolean>> = {
  iscritto: true,
  iscritta: true,
  registered: true,
  opposizione: true,
  opposto: true,
  presente: true,
  in_registro: true,
  si: true,
  yes: true,
  s: true,
  y: true,
  true: true,
  '1': true,
  non_iscritto: false,
  non_iscritta: false,
  not_registered: false,
  unregistered: false,
  non_presente: false,
  assente: false,
  no: false,
  n: false,
  false: false,
  '0': false,
};

export function createRegisterImporter(): Importer<RegisterRecord> {
  return {
    kind: 'register',
    fields: REGISTER_FIELDS,
    tables: ['register_checks'],
    prepare: prepareRegisterCheck,
    apply: applyRegisterChecks,
  };
}

export function prepareRegisterCheck(
  row: TableRow,
  mapping: ResolvedMapping,
  context: ImportContext,
): PreparedRow<RegisterRecord> {
  const read = rowReader(row, mapping);
  const number = read.phone('number', 'the phone number');
  let registered: boolean | null = null;
  const outcome = read.cell('outcome');
  if (!outcome) read.refuse(read.columnOf('outcome'), '', 'the outcome (ISCRITTO / NON ISCRITTO) is missing');
  else {
    const key = enumKey(outcome.value);
    registered = Object.hasOwn(OUTCOMES, key) ? (OUTCOMES[key] ?? null) : null;
    if (registered === null)
      read.refuse(outcome.column, outcome.value, 'unknown outcome; expected ISCRITTO or NON ISCRITTO');
  }
  // The date of the answer; the register's answers may carry a time, which does not matter here.
  let checkedOn: string | null = context.today;
  const date = read.cell('checked_on');
  if (date) {
    const parsed = parseMoment(date.value);
    checkedOn = null;
    if (!parsed.ok) read.refuse(date.column, date.value, `invalid date: ${parsed.message}`);
    else if (parsed.moment.date > context.today)
      read.refuse(date.column, date.value, 'the date is in the future');
    else if (parsed.moment.date < '2011-01-31')
      read.refuse(date.column, date.value, 'the register opened on 31 January 2011');
    else checkedOn = parsed.moment.date;
  }
  if (read.issues.length > 0 || number === null || registered === null || checkedOn === null) {
    return { line: read.line, issues: read.issues };
  }
  return { line: read.line, record: { number, checkedOn, registered } };
}

async function applyRegisterChecks(
  tx: Tx,
  rows: readonly { line: number; record: RegisterRecord }[],
  context: ImportContext,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { created: 0, updated: 0, unchanged: 0, rejected: [] };
  const existing = await sql<{ number: string; checked_on: string; registered: boolean }>`
    select r.number, to_char(r.checked_on, 'YYYY-MM-DD') as checked_on, r.registered
    from register_checks r
    join unnest(${rows.map((r) => r.record.number)}::text[], ${rows.map((r) => r.record.checkedOn)}::date[])
      as k(number, checked_on) on r.number = k.number and r.checked_on = k.checked_on`.execute(tx);
  // The batch's final word per number and day, starting from what is stored.
  const state = new Map<string, { stored: boolean | undefined; registered: boolean }>();
  for (const row of existing.rows) {
    state.set(`${row.number}|${row.checked_on}`, { stored: row.registered, registered: row.registered });
  }
  for (const { record } of rows) {
    const key = `${record.number}|${record.checkedOn}`;
    const current = state.get(key);
    if (!current) {
      state.set(key, { stored: undefined, registered: record.registered });
      outcome.created++;
    } else if (current.registered === record.registered) {
      outcome.unchanged++;
    } else {
      current.registered = record.registered;
      outcome.updated++;
    }
  }
  const writes = [...state.entries()].filter(([, s]) => s.stored !== s.registered);
  if (writes.length > 0) {
    await sql`
      insert into register_checks (org_id, number, checked_on, registered, source)
      select ${context.orgId}::uuid, number, checked_on, registered, ${context.fileName.slice(0, 200)}
      from unnest(${writes.map(([key]) => key.split('|')[0])}::text[], ${writes.map(([key]) => key.split('|')[1])}::date[],
                  ${writes.map(([, s]) => s.registered)}::boolean[]) as v(number, checked_on, registered)
      on conflict (org_id, number, checked_on) do update
        set registered = excluded.registered, source = excluded.source`.execute(tx);
  }
  return outcome;
}
