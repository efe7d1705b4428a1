// Supporter imports from real files: the encodings, delimiters and mistakes of
// spreadsheets exchanged by Italian organizations, on PGlite and (in CI) on a
// PostgreSQL server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../db/database.ts';
import { createOrganization } from '../organizations/organizations.service.ts';
import { type ImportOptions, runImport } from './import.service.ts';
import { REPORT_HEADER } from './import-report.ts';

let db: Database;
let alpha: string;
let beta: string;
const dir = mkdtempSync(join(tmpdir(), 'centralino-import-'));

beforeAll(async () => {
  db = await openTestDatabase();
  alpha = (await createOrganization({ db, principal: null, slug: 'alpha', name: 'Alpha' })).id;
  beta = (await createOrganization({ db, principal: null, slug: 'beta', name: 'Beta' })).id;
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

let fileCount = 0;
function file(content: string | Buffer, extension = 'csv'): string {
  const path = join(dir, `file-${++fileCount}.${extension}`);
  writeFileSync(path, content);
  return path;
}

const importInto = (orgId: string, path: string, options: Partial<ImportOptions> = {}) =>
  runImport({ db, secrets: testSecrets, orgId, kind: 'supporters', path, actor: 'test', ...options });

async function supporters(orgId: string) {
  return db.readForOrg(orgId, async (tx) => {
    const rows = await sql<{
      first_name: string;
      last_name: string;
      birth_date: string | null;
      fiscal_code: string | null;
      emails: string[];
      phones: string[];
      ids: string[];
    }>`select s.first_name, s.last_name, s.birth_date, s.fiscal_code,
              coalesce((select array_agg(email order by email) from supporter_emails e where e.supporter_id = s.id), '{}') as emails,
              coalesce((select array_agg(number order by number) from supporter_phones p where p.supporter_id = s.id), '{}') as phones,
              coalesce((select array_agg(external_id order by external_id) from supporter_external_ids x where x.supporter_id = s.id), '{}') as ids
       from supporters s order by s.last_name, s.first_name`.execute(tx);
    return rows.rows;
  });
}

// An export as Excel writes it in Italy: BOM, semicolons, dd/mm/yyyy.
const ITALIAN = [
  'Codice donatore;Nome;Cognome;Data di nascita;Codice fiscale;E-mail;Cellulare;Telefono;CAP;Città',
  'D001;Mario;Rossi;10/12/1985;RSSMRA85T10A562S;Mario.Rossi@Example.it;347 123 4567;;00100;Roma',
  'D002;Giulia;Bianchi;01/02/1990;;giulia.b@example.it;+39 333 765 4321;06 1234 5678;20100;Milano',
  'D003;Luca;Verdi;;;;0039 320 111 2222;;;',
].join('\r\n');

describe('supporters import', () => {
  it('imports an Italian Excel CSV export, normalizing phones, e-mails and dates', async () => {
    const summary = await importInto(alpha, file(`\uFEFF${ITALIAN}\r\n`));
    expect(summary.format).toEqual({ kind: 'csv', encoding: 'utf-8', bom: true, delimiter: ';' });
    expect(summary).toMatchObject({ read: 3, created: 3, updated: 0, unchanged: 0, rejected: 0 });
    expect(summary.ignoredColumns).toEqual([]);
    const rows = await supporters(alpha);
    expect(rows.map((r) => `${r.first_name} ${r.last_name}`)).toEqual([
      'Giulia Bianchi',
      'Mario Rossi',
      'Luca Verdi',
    ]);
    const rossi = rows.find((r) => r.last_name === 'Rossi')!;
    expect(rossi).toMatchObject({
      birth_date: '1985-12-10',
      fiscal_code: 'RSSMRA85T10A562S',
      emails: ['mario.rossi@example.it'],
      phones: ['+393471234567'],
      ids: ['D001'],
    });
    expect(rows.find((r) => r.last_name === 'Bianchi')!.phones).toEqual(['+390612345678', '+393337654321']);
    expect(rows.find((r) => r.last_name === 'Verdi')!.phones).toEqual(['+393201112222']);
  });

  it('changes nothing when the same file is imported again', async () => {
    const path = file(`\uFEFF${ITALIAN}\r\n`);
    const before = await supporters(alpha);
    const summary = await importInto(alpha, path);
    expect(summary).toMatchObject({ read: 3, created: 0, updated: 0, unchanged: 3, rejected: 0 });
    expect(await supporters(alpha)).toEqual(before);
  });

  it('updates by external id, filling in without erasing', async () => {
    const summary = await importInto(
      alpha,
      file('id,first_name,last_name,email,phone\nD001,,,mario@lavoro.example.it,\nD003,Luca,Verdi,,\n'),
    );
    expect(summary).toMatchObject({ read: 2, created: 0, updated: 1, unchanged: 1 });
    const rossi = (await supporters(alpha)).find((r) => r.last_name === 'Rossi')!;
    expect(rossi.first_name).toBe('Mario');
    expect(rossi.emails).toEqual(['mario.rossi@example.it', 'mario@lavoro.example.it']);
    const events = await db.readForOrg(alpha, (tx) =>
      tx.selectFrom('supporter_events').select(['kind', 'details']).where('kind', '=', 'updated').execute(),
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ changes: ['emails'], importJobId: summary.jobId });
  });

  it('matches without an id on e-mail, phone, fiscal code or name and birth date, when the names agree', async () => {
    const summary = await importInto(
      alpha,
      file(
        [
          'nome,cognome,email,telefono,codice fiscale,data di nascita',
          // Same e-mail, same person written differently: an update.
          'Giulia,Bianchi ,GIULIA.B@example.it,,,',
          // Same e-mail, another member of the family: a new supporter.
          'Paolo,Bianchi,giulia.b@example.it,,,',
          // Same mobile as Verdi: the same person.
          'Luca,Verdi,luca.verdi@example.it,3201112222,,',
          // Fiscal code alone identifies Mario Rossi.
          'Mario,Rossi,,,rssmra85t10a562s,',
          // Name and birth date, with an accent the other export dropped.
          'Giúlia,Bianchi,,,,1990-02-01',
        ].join('\n'),
      ),
      { system: 'other-system' },
    );
    expect(summary).toMatchObject({ read: 5, created: 1, updated: 2, unchanged: 2, rejected: 0 });
    const rows = await supporters(alpha);
    // The last row matched Giulia on name and birth date and brought the accent.
    expect(rows.map((r) => `${r.first_name} ${r.last_name}`)).toEqual([
      'Giúlia Bianchi',
      'Paolo Bianchi',
      'Mario Rossi',
      'Luca Verdi',
    ]);
    expect(rows.find((r) => r.first_name === 'Luca')!.emails).toEqual(['luca.verdi@example.it']);
  });

  it('reports bad rows with line, column, value and reason while the good rows land', async () => {
    const reportPath = join(dir, 'report.csv');
    const summary = await importInto(
      beta,
      file(
        [
          'id;nome;cognome;email;cellulare;codice fiscale;data di nascita',
          'B1;Anna;Neri;anna@example.it;3471112222;;',
          '',
          'B2;Bruno;Gialli;bruno@@example;;;',
          'B3;Carla;"Viola',
          'con a capo";;12345;;',
          'B4;Dario;Blu;;;RSSMRA85T10A562X;',
          'B5;Elena;Rosa;;;;31/02/1980',
          'B6;Franco;Nero;franco@example.it;;;',
          'B6;Franco;Nero;franco@example.it;;;',
          'B7;Gino;=1+1;;;;',
          ';;;;;;',
        ].join('\n'),
      ),
      { reportPath },
    );
    expect(summary).toMatchObject({ read: 8, created: 3, rejected: 4 });
    expect(summary.unchanged).toBe(1); // the repeated B6 row: the same person, nothing new
    const reasons = summary.errors.map((e) => [e.line, e.column, e.reason.split(':')[0]]);
    expect(reasons).toEqual([
      [4, 'email', 'invalid e-mail'],
      [5, 'cellulare', 'invalid phone number'],
      [7, 'codice fiscale', 'invalid fiscal code'],
      [8, 'data di nascita', expect.any(String)],
    ]);
    const report = readFileSync(reportPath, 'utf8');
    expect(report.startsWith(`\uFEFF${REPORT_HEADER}\r\n`)).toBe(true);
    expect(report).toContain('4,email,bruno@@example,invalid e-mail');
    const names = (await supporters(beta)).map((r) => r.first_name);
    expect(names.sort()).toEqual(['Anna', 'Franco', 'Gino']);
  });

  it('keeps organizations apart: the same file in another organization creates its own supporters', async () => {
    const summary = await importInto(beta, file(ITALIAN));
    expect(summary).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
  });

  it('reads Windows-1252 with tabs, and XLSX', async () => {
    const latin = Buffer.from('id\tnome\tcognome\nW1\tNiccol\xf2\tPerch\xe9\n', 'latin1');
    const summary = await importInto(beta, file(latin));
    expect(summary.format).toMatchObject({ kind: 'csv', encoding: 'windows-1252', delimiter: '\t' });
    expect((await supporters(beta)).some((r) => r.first_name === 'Niccolò' && r.last_name === 'Perché')).toBe(
      true,
    );

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Donatori');
    sheet.addRow(['Codice', 'Nome', 'Cognome', 'Data di nascita', 'Cellulare']);
    sheet.addRow(['X1', 'Ottavia', 'Marrone', new Date(Date.UTC(1970, 4, 3)), 3479998888]);
    const path = join(dir, 'donatori.xlsx');
    await workbook.xlsx.writeFile(path);
    const xlsx = await importInto(beta, path);
    expect(xlsx.format).toEqual({ kind: 'xlsx', sheet: 'Donatori' });
    expect(xlsx).toMatchObject({ created: 1, rejected: 0 });
    const ottavia = (await supporters(beta)).find((r) => r.first_name === 'Ottavia')!;
    expect(ottavia).toMatchObject({ birth_date: '1970-05-03', phones: ['+393479998888'] });
  });

  it('refuses an empty or binary file with a clear error and records the job as failed', async () => {
    await expect(importInto(beta, file(''))).rejects.toThrow(/empty/i);
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    await expect(importInto(beta, file(png, 'png'))).rejects.toThrow(/not text|binary/i);
    const jobs = await db.readForOrg(beta, (tx) =>
      tx.selectFrom('import_jobs').select(['status', 'error']).where('status', '=', 'failed').execute(),
    );
    expect(jobs).toHaveLength(2);
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const before = await supporters(alpha);
    const summary = await importInto(
      alpha,
      file(
        'id,nome,cognome,email\nD001,Mario,Rossi,nuova@example.it\nN1,Nuovo,Sostenitore,\nN1,Nuovo,Sostenitore,\n',
      ),
      { dryRun: true },
    );
    expect(summary).toMatchObject({ dryRun: true, read: 3, created: 1, updated: 1, unchanged: 1 });
    expect(await supporters(alpha)).toEqual(before);
  });

  it('writes one import.completed event to the outbox, and none for a dry run', async () => {
    const events = await db.readForOrg(alpha, (tx) =>
      tx
        .selectFrom('outbox_events')
        .select(['type', 'payload'])
        .where('type', '=', 'import.completed')
        .execute(),
    );
    expect(events.length).toBe(4);
    expect(events.every((e) => typeof e.payload.importJobId === 'string')).toBe(true);
  });

  it('uses an explicit mapping and rejects one that names a missing column or an unknown field', async () => {
    const path = file('Col A,Col B,Note\nZeta,Zorro,ignored\n');
    const summary = await importInto(beta, path, {
      mapping: { 'Col A': 'first_name', 'Col B': 'last_name', Note: null },
    });
    expect(summary).toMatchObject({ created: 1 });
    expect(summary.ignoredColumns).toEqual(['Note']);
    await expect(importInto(beta, path, { mapping: { 'Col C': 'first_name' } })).rejects.toThrow(
      /does not have/,
    );
    await expect(importInto(beta, path, { mapping: { 'Col A': 'nickname' } })).rejects.toThrow(
      /Unknown field/,
    );
  });
});

describe('primary contacts', () => {
  it("makes the file's first e-mail and phone the primary ones", async () => {
    const summary = await importInto(
      beta,
      file(
        'id,nome,cognome,cellulare,telefono,email,email2\nP1,Primo,Contatto,347 999 0000,02 1234 5678,z@example.org,a@example.org\n',
      ),
    );
    expect(summary.created).toBe(1);
    const rows = await db.readForOrg(beta, async (tx) => {
      const phones = await tx
        .selectFrom('supporter_phones')
        .select(['number', 'is_primary'])
        .where('number', 'in', ['+393479990000', '+390212345678'])
        .execute();
      const emails = await tx
        .selectFrom('supporter_emails')
        .select(['email', 'is_primary'])
        .where('email', 'in', ['z@example.org', 'a@example.org'])
        .execute();
      return { phones, emails };
    });
    expect(Object.fromEntries(rows.phones.map((p) => [p.number, p.is_primary]))).toEqual({
      '+393479990000': true,
      '+390212345678': false,
    });
    expect(Object.fromEntries(rows.emails.map((e) => [e.email, e.is_primary]))).toEqual({
      'z@example.org': true,
      'a@example.org': false,
    });
  });
});
