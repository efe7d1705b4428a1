// Do-not-call lists and Registro Pubblico delle Opposizioni answers from real
// files: Italian headers, semicolons, numbers as people write them, bad rows,
// re-import, and organizations kept apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPhoneCompliance } from '../supporters/dnc.service.ts';
import { createImportWorld, type ImportWorld } from './import-test-kit.ts';

let w: ImportWorld;
beforeAll(async () => {
  w = await createImportWorld();
});
afterAll(async () => {
  await w.close();
});

const dncEntries = (orgId: string) =>
  w.db.readForOrg(orgId, (tx) =>
    tx.selectFrom('dnc_entries').select(['number', 'reason', 'source']).orderBy('number').execute(),
  );
const registerChecks = (orgId: string) =>
  w.db.readForOrg(orgId, (tx) =>
    tx
      .selectFrom('register_checks')
      .select(['number', 'checked_on', 'registered', 'source'])
      .orderBy('number')
      .orderBy('checked_on')
      .execute(),
  );

const DNC = [
  'Numero;Motivo;Fonte',
  '347 123 4567;richiesta del sostenitore;chiamata',
  '+39 06 6982 1234;;',
  '0039 333-765.4321;reclamo;e-mail',
  '12;troppo corto;',
  ';senza numero;',
  '3471234567;doppione nello stesso file;',
].join('\r\n');

describe('do-not-call import', () => {
  it('adds normalized numbers to the list, reporting the bad rows', async () => {
    const reportPath = join(w.dir, 'dnc-report.csv');
    const summary = await w.importInto(w.alpha, 'dnc', w.file(`\uFEFF${DNC}\r\n`, 'lista-dnc.csv'), {
      reportPath,
    });
    expect(summary).toMatchObject({ read: 6, created: 3, updated: 0, unchanged: 1, rejected: 2 });
    expect(summary.errors.map((e) => [e.line, e.column, e.value, e.reason.split(':')[0]])).toEqual([
      [5, 'Numero', '12', 'invalid phone number'],
      [6, 'Numero', '', 'the phone number is missing'],
    ]);
    expect(readFileSync(reportPath, 'utf8')).toContain('5,Numero,12,invalid phone number');
    expect(await dncEntries(w.alpha)).toEqual([
      { number: '+390669821234', reason: '', source: 'lista-dnc.csv' },
      { number: '+393337654321', reason: 'reclamo', source: 'e-mail' },
      // The first row of the file for a number is the one kept.
      { number: '+393471234567', reason: 'richiesta del sostenitore', source: 'chiamata' },
    ]);
  });

  it('changes nothing when the same file is imported again, and keeps the stored reason', async () => {
    const before = await dncEntries(w.alpha);
    const again = await w.importInto(w.alpha, 'dnc', w.file(`${DNC}\r\n`));
    expect(again).toMatchObject({ read: 6, created: 0, updated: 0, unchanged: 4, rejected: 2 });
    const other = await w.importInto(w.alpha, 'dnc', w.file('telefono,motivo\n+393471234567,altro motivo\n'));
    expect(other).toMatchObject({ created: 0, unchanged: 1 });
    expect(await dncEntries(w.alpha)).toEqual(before);
  });

  it('keeps organizations apart', async () => {
    expect(await dncEntries(w.beta)).toEqual([]);
    const summary = await w.importInto(w.beta, 'dnc', w.file('phone\n3471234567\n'));
    expect(summary).toMatchObject({ created: 1, unchanged: 0 });
    expect((await dncEntries(w.beta)).map((e) => e.number)).toEqual(['+393471234567']);
    expect(await dncEntries(w.alpha)).toHaveLength(3);
  });

  it('refuses a file without a number column', async () => {
    await expect(w.importInto(w.alpha, 'dnc', w.file('nome;cognome\nMario;Rossi\n'))).rejects.toThrow(
      /required field number/,
    );
  });
});

// The documented register layout: numero;esito;data.
const ANSWER = [
  'numero;esito;data',
  '3471234567;ISCRITTO;15/03/2025',
  '3337654321;NON ISCRITTO;15/03/2025',
  '0669821234;non iscritto;2025-03-15 08:30',
  '3201112222;forse;15/03/2025',
  '3209998888;ISCRITTO;31/02/2025',
  'abc;ISCRITTO;15/03/2025',
].join('\n');

describe('register answer import', () => {
  it('records each number with its date and result, the file name as source', async () => {
    const summary = await w.importInto(w.alpha, 'register', w.file(`${ANSWER}\n`, 'rpo-esito-20250315.csv'));
    expect(summary).toMatchObject({ read: 6, created: 3, updated: 0, unchanged: 0, rejected: 3 });
    expect(summary.errors.map((e) => [e.line, e.column, e.reason.split(';')[0]!.split(':')[0]])).toEqual([
      [5, 'esito', 'unknown outcome'],
      [6, 'data', 'invalid date'],
      [7, 'numero', 'invalid phone number'],
    ]);
    expect(await registerChecks(w.alpha)).toEqual([
      {
        number: '+390669821234',
        checked_on: '2025-03-15',
        registered: false,
        source: 'rpo-esito-20250315.csv',
      },
      {
        number: '+393337654321',
        checked_on: '2025-03-15',
        registered: false,
        source: 'rpo-esito-20250315.csv',
      },
      {
        number: '+393471234567',
        checked_on: '2025-03-15',
        registered: true,
        source: 'rpo-esito-20250315.csv',
      },
    ]);
    // The check is what the dialer's compliance reads.
    const compliance = await getPhoneCompliance({
      db: w.db,
      orgId: w.alpha,
      number: '3471234567',
      on: '2025-03-20',
    });
    expect(compliance).toMatchObject({ callable: false, reasons: ['on_org_list', 'registered_in_register'] });
    const free = await getPhoneCompliance({
      db: w.db,
      orgId: w.alpha,
      number: '3337654321',
      on: '2025-03-20',
    });
    expect(free).toMatchObject({ callable: false, reasons: ['on_org_list'] });
    const clean = await getPhoneCompliance({
      db: w.db,
      orgId: w.alpha,
      number: '0669821234',
      on: '2025-03-20',
    });
    expect(clean.lastRegisterCheck).toEqual({ checkedOn: '2025-03-15', registered: false });
  });

  it('changes nothing on a second import; a new outcome for the same day replaces the stored one', async () => {
    const again = await w.importInto(w.alpha, 'register', w.file(`${ANSWER}\n`, 'rpo-esito-20250315.csv'));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 3 });
    const corrected = await w.importInto(
      w.alpha,
      'register',
      w.file(
        'Numero,Esito,Data\n3337654321,ISCRITTO,15/03/2025\n3337654321,ISCRITTO,01/04/2025\n',
        'rettifica.csv',
      ),
    );
    expect(corrected).toMatchObject({ created: 1, updated: 1, unchanged: 0 });
    const rows = (await registerChecks(w.alpha)).filter((r) => r.number === '+393337654321');
    expect(rows).toEqual([
      { number: '+393337654321', checked_on: '2025-03-15', registered: true, source: 'rettifica.csv' },
      { number: '+393337654321', checked_on: '2025-04-01', registered: true, source: 'rettifica.csv' },
    ]);
  });

  it('dates a row without a date with the day of the import and refuses a date in the future', async () => {
    const summary = await w.importInto(
      w.beta,
      'register',
      w.file('numero;esito\n3471234567;NON ISCRITTO\n', 'senza-data.csv'),
    );
    expect(summary).toMatchObject({ created: 1 });
    const [check] = await registerChecks(w.beta);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
    expect(check).toMatchObject({ number: '+393471234567', checked_on: today, registered: false });
    const future = await w.importInto(
      w.beta,
      'register',
      w.file('numero;esito;data\n3471234567;ISCRITTO;01/01/2199\n'),
    );
    expect(future).toMatchObject({ created: 0, rejected: 1 });
    expect(future.errors[0]?.reason).toBe('the date is in the future');
    // Alpha's checks are not beta's.
    expect(await registerChecks(w.beta)).toHaveLength(1);
  });

  it('requires the outcome column: a bare list of numbers is not read as "not registered"', async () => {
    await expect(w.importInto(w.alpha, 'register', w.file('numero\n3471234567\n'))).rejects.toThrow(
      /required field outcome/,
    );
  });
});
