// Exports through the API: contents read back (CSV with the import's own
// reader, XLSX with exceljs), Italian and English formats, IBAN masking and the
// audited reveal, CSV-injection protection, filters, isolation, and a
// round trip: an exported file imported into another organization gives the
// same data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../../test/test-app.ts';
import { creditorId, IBAN_IT, setCreditorId } from '../giving/giving.fixtures.ts';
import { runImport } from '../imports/import.service.ts';
import { IMPORT_FIELDS, resolveMapping } from '../imports/mapping.ts';
import '../imports/importers.ts';
import { openTable } from '../imports/reader/table-reader.ts';
import { createOrganization } from '../organizations/organizations.service.ts';
import { type CrmTestKit, createCrmTestKit } from '../supporters/crm-test-kit.ts';
import { LISTS } from './export-lists.ts';

let k: CrmTestKit;
const dir = mkdtempSync(join(tmpdir(), 'centralino-exports-'));
const ids = { anna: '', bruno: '', formula: '', commitment: '' };

const MARIO_CF = 'RSSMRA80A01H501U';

beforeAll(async () => {
  k = await createCrmTestKit();
  await setCreditorId(k.db, k.alpha, creditorId());
  const base = `/api/organizations/${k.alpha}`;
  const create = async (payload: object) => {
    const response = await k.call({ method: 'POST', url: `${base}/supporters`, payload });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  ids.anna = await create({
    firstName: 'Anna Maria',
    lastName: "D'Alò",
    birthDate: '1980-01-01',
    fiscalCode: MARIO_CF,
    language: 'it',
    source: 'face_to_face',
    // The landline first: an import stores phones in number order (it keeps no primary), see the round trip.
    phones: [{ number: '06 1234 5678' }, { number: '+39 347 111 2222' }],
    emails: [{ email: 'anna.dalo@example.test' }, { email: 'anna@lavoro.example.test' }],
    addresses: [
      { line1: 'Via Roma 1; scala B', postalCode: '00100', city: 'Roma', province: 'RM', country: 'IT' },
    ],
    tags: ['f2f 2025', 'vip'],
    externalIds: [{ system: 'crm', externalId: 'C-001' }],
  });
  ids.bruno = await create({
    firstName: 'Bruno',
    lastName: 'Bianchi',
    status: 'lapsed',
    source: 'web',
    language: 'en',
    emails: [{ email: 'bruno@example.test' }],
    externalIds: [{ system: 'crm', externalId: 'C-002' }],
  });
  ids.formula = await create({ firstName: '@SUM(A1)', lastName: '=HYPERLINK("http://x.test","y")' });
  await create({ firstName: 'Zed', lastName: '+Zeta', tags: ['vip'] });
  await k.call({
    method: 'POST',
    url: `/api/organizations/${k.beta}/supporters`,
    payload: { lastName: 'Beta Only', emails: [{ email: 'beta@example.test' }] },
  });

  const commitment = await k.call({
    method: 'POST',
    url: `${base}/supporters/${ids.anna}/commitments`,
    payload: {
      amountCents: 1550,
      frequency: 'monthly',
      method: 'sepa_direct_debit',
      startDate: '2025-03-01',
      campaignCode: 'F2F-25',
      mandate: { iban: IBAN_IT, signatureDate: '2025-03-01' },
    },
  });
  expect(commitment.status).toBe(201);
  ids.commitment = commitment.body.id;
  for (const [giftDate, amountCents, supporter] of [
    ['2024-05-10', 1550, ids.anna],
    ['2025-02-01', 123456, ids.anna],
    ['2023-01-15', 5000, ids.bruno],
  ] as const) {
    const gift = await k.call({
      method: 'POST',
      url: `${base}/supporters/${supporter}/gifts`,
      payload: { giftDate, amountCents, method: 'card' },
    });
    expect(gift.status).toBe(201);
  }
  for (const [granted, recordedAt] of [
    [true, '2025-01-01T10:00:00Z'],
    [false, '2025-02-01T10:00:00Z'],
  ] as const) {
    await k.call({
      method: 'POST',
      url: `${base}/supporters/${ids.anna}/consents`,
      payload: { channel: 'phone', purpose: 'marketing', granted, source: 'call', recordedAt },
    });
  }
  await k.call({
    method: 'POST',
    url: `${base}/supporters/${ids.bruno}/consents`,
    payload: { channel: 'email', purpose: 'newsletter', granted: true, source: 'web form' },
  });
  await k.call({ method: 'POST', url: `${base}/dnc`, payload: { number: '+393331234567', reason: 'asked' } });
});
afterAll(async () => {
  await k.close();
  rmSync(dir, { recursive: true, force: true });
});

type Download = { status: number; headers: Record<string, unknown>; raw: Buffer; text: string };

async function download(path: string, role: Parameters<CrmTestKit['call']>[1] = 'admin', org = k.alpha) {
  const response = await k.app.inject({
    method: 'GET',
    url: `/api/organizations/${org}/exports/${path}`,
    headers: k.headers[role as keyof typeof k.headers],
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    raw: response.rawPayload,
    text: response.body,
  } satisfies Download;
}

let files = 0;
/** The rows of a downloaded file as the import reads them. */
async function readBack(raw: Buffer, ext: 'csv' | 'xlsx') {
  const path = join(dir, `file-${files++}.${ext}`);
  writeFileSync(path, raw);
  const table = await openTable(path);
  const rows: Record<string, string>[] = [];
  for await (const row of table.rows) rows.push(row.values);
  return { headers: table.headers, rows, format: table.format };
}

async function auditRows(action: string) {
  return k.db.asCenter((tx) =>
    tx
      .selectFrom('audit_events')
      .select(['actor_kind', 'actor_id', 'details', 'org_id'])
      .where('action', '=', action)
      .orderBy('id')
      .execute(),
  );
}

/** The last export.finished row: written after the last byte, so it may land just after the download ends. */
async function lastFinished(actorId: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const row = (await auditRows('export.finished')).at(-1);
    if (row?.actor_id === actorId) return row;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return (await auditRows('export.finished')).at(-1);
}

describe('CSV', () => {
  it('Italian: BOM, semicolons, dd/mm/yyyy, Italian headers, attachment', async () => {
    const file = await download('supporters?lang=it');
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toMatch(
      /^attachment; filename="supporters-alpha-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect([...file.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'ID esterno;Nome;Cognome;Data di nascita;Codice fiscale;Telefono;Telefono 2;Email;Email 2;Lingua;' +
        'Fonte;Stato;Indirizzo;CAP;Città;Provincia;Nazione;Tag;ID Centralino;Aggiornato il',
    );
    const anna = lines.find((line) => line.startsWith('C-001;'));
    // Phones start with "+", so they get the apostrophe too (Excel would read +39… as a formula).
    expect(anna).toMatch(
      new RegExp(
        "^C-001;Anna Maria;D'Alò;01/01/1980;RSSMRA80A01H501U;'\\+390612345678;'\\+393471112222;" +
          'anna\\.dalo@example\\.test;anna@lavoro\\.example\\.test;it;face_to_face;active;' +
          '"Via Roma 1; scala B";00100;Roma;RM;IT;f2f 2025, vip;[0-9a-f-]{36};\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}:\\d{2}$',
      ),
    );
    const { rows, format } = await readBack(file.raw, 'csv');
    expect(format).toMatchObject({ kind: 'csv', bom: true, delimiter: ';' });
    // Formulas come back with their apostrophe (sorted here: collations order punctuation differently).
    expect(rows.map((row) => row.Cognome).sort()).toEqual(
      ["'+Zeta", '\'=HYPERLINK("http://x.test","y")', 'Bianchi', "D'Alò"].sort(),
    );
  });

  it('English: commas, ISO dates and timestamps, decimal point', async () => {
    const file = await download('gifts?lang=en');
    const lines = file.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'External id,Supporter external id,First name,Last name,Date,Amount,Currency,Method,Status,' +
        'Return code,Campaign code,Commitment id,Centralino id,Supporter Centralino id',
    );
    // Newest first, like GET …/gifts.
    expect(lines.slice(1).map((line) => line.split(',').slice(1, 7).join(','))).toEqual([
      "C-001,Anna Maria,D'Alò,2025-02-01,1234.56,EUR",
      "C-001,Anna Maria,D'Alò,2024-05-10,15.50,EUR",
      'C-002,Bruno,Bianchi,2023-01-15,50.00,EUR',
    ]);
    const supporters = await download('supporters?lang=en');
    expect(supporters.text).toMatch(/,Anna Maria,D'Alò,1980-01-01,/);
    expect(supporters.text).toMatch(/,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\r\n/);
    expect(supporters.text).toContain('"f2f 2025, vip"');
  });

  it("defaults to the organization's locale (it), amounts with a decimal comma", async () => {
    const file = await download('gifts');
    expect(file.text).toContain(';01/02/2025;1234,56;EUR;card;collected;');
  });

  it('protects cells a spreadsheet would run as formulas', async () => {
    const file = await download('supporters?lang=en');
    expect(file.text).toContain(`'@SUM(A1),"'=HYPERLINK(""http://x.test"",""y"")"`);
    expect(file.text).toContain(",Zed,'+Zeta,");
  });

  it('current consents (revocation wins), do-not-call list, and a segment', async () => {
    const consents = await download('consents?lang=en');
    const lines = consents.text.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines).toContainEqual(
      expect.stringMatching(/^C-001,Anna Maria,D'Alò,phone,marketing,false,call,,2025-02-01T10:00:00\.000Z,/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^C-002,Bruno,Bianchi,email,newsletter,true,web form,/),
    );
    const phoneOnly = await download('consents?lang=en&channel=phone');
    expect(phoneOnly.text.slice(1).trimEnd().split('\r\n')).toHaveLength(2);

    const dnc = await download('dnc?lang=it');
    expect(dnc.text.slice(1).split('\r\n')[1]).toMatch(
      /^'\+393331234567;asked;;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/,
    );

    // Bruno's last gift was on 2023-01-15: deep lapsed (24+ months) in 2025.
    const segment = await download('segment?segment=deep_lapsed&year=2025&lang=en');
    expect(segment.headers['content-disposition']).toMatch(/filename="segment-deep_lapsed-alpha-/);
    expect(segment.text.slice(1).trimEnd().split('\r\n')).toEqual([
      'External id,First name,Last name,Phone,Email,Last gift,Centralino id',
      `C-002,Bruno,Bianchi,,bruno@example.test,2023-01-15,${ids.bruno}`,
    ]);
  });

  it('applies the supporters filters of GET /supporters', async () => {
    const names = async (query: string) =>
      (await readBack((await download(`supporters?lang=en&${query}`)).raw, 'csv')).rows.map(
        (row) => row['First name'],
      );
    expect(await names('status=lapsed')).toEqual(['Bruno']);
    expect(await names('status=lapsed&status=active')).toHaveLength(4);
    expect((await names('tag=vip')).sort()).toEqual(['Anna Maria', 'Zed']);
    expect(await names('q=347 111 2222')).toEqual(['Anna Maria']);
    expect(await names('source=web')).toEqual(['Bruno']);
    expect(await names('updatedSince=2999-01-01T00:00:00Z')).toEqual([]);
    const gifts = await readBack((await download('gifts?lang=en&from=2024-01-01&to=2024-12-31')).raw, 'csv');
    expect(gifts.rows.map((row) => row.Date)).toEqual(['2024-05-10']);
  });

  it('refuses what does not apply, naming the parameter', async () => {
    const cases: [string, string, string][] = [
      ['gifts?tag=vip', 'querystring.tag', 'EXPORT_FILTER_NOT_APPLICABLE'],
      ['supporters?status=collected', 'querystring.status', 'EXPORT_FILTER_INVALID'],
      ['segment', 'querystring.segment', 'EXPORT_SEGMENT_REQUIRED'],
      ['supporters?reveal=iban', 'querystring.reveal', 'EXPORT_REVEAL_NOT_APPLICABLE'],
      ['supporters?format=pdf', 'querystring.format', 'VALIDATION_FAILED'],
      ['gifts?from=2025-02-01&to=2025-01-01', '', 'DATE_RANGE_INVALID'],
    ];
    for (const [query, field, code] of cases) {
      const file = await download(query);
      expect([query, file.status]).toEqual([query, 400]);
      const problem = JSON.parse(file.text);
      expect(problem.code).toBe(code);
      if (field) expect(problem.errors[0].field).toBe(field);
    }
    const unknown = await download('donors');
    expect(unknown.status).toBe(400);
  });
});

describe('XLSX', () => {
  it('real types: dates are dates, amounts numbers in euros with a € format', async () => {
    const file = await download('commitments?format=xlsx&lang=it');
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(file.headers['content-disposition']).toMatch(/filename="commitments-alpha-.*\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.raw as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 5)).toEqual(['ID impegno', 'ID sostenitore', 'Nome', 'Cognome', 'Importo']);
    const row = sheet.getRow(2);
    const cell = (header: string) => row.getCell(headers.indexOf(header) + 1);
    expect(cell('Importo').value).toBe(15.5);
    expect(cell('Importo').numFmt).toContain('€');
    expect(cell('Data inizio').value).toEqual(new Date('2025-03-01T00:00:00Z'));
    expect(cell('Data inizio').numFmt).toBe('dd/mm/yyyy');
    expect(cell('IBAN').value).toBe('IT…3456');
    expect(cell('Riferimento mandato').value).toMatch(/^ALPHA-20250301-/);
    expect(sheet.rowCount).toBe(2);
  });

  it('reads back through the import reader with the same values as the CSV', async () => {
    const xlsx = await readBack((await download('supporters?format=xlsx&lang=it')).raw, 'xlsx');
    const csv = await readBack((await download('supporters?lang=it')).raw, 'csv');
    expect(xlsx.headers).toEqual(csv.headers);
    const anna = xlsx.rows.find((row) => row['ID esterno'] === 'C-001');
    expect(anna).toMatchObject({
      Nome: 'Anna Maria',
      'Data di nascita': '1980-01-01',
      Telefono: '+390612345678',
    });
  });
});

describe('IBAN', () => {
  it('is masked by default, for every role, and never in the file in full', async () => {
    for (const role of ['admin', 'client_viewer', 'integration'] as const) {
      const file = await download('commitments?lang=en', role);
      expect(file.status).toBe(200);
      expect(file.text).toContain(',IT…3456,');
      expect(file.text).not.toContain(IBAN_IT);
      expect(file.text).not.toContain(IBAN_IT.slice(4, 20));
    }
  });

  it('a reveal without the bank-data permission is 403 and exports nothing', async () => {
    const before = (await auditRows('export.started')).length;
    for (const role of ['admin', 'client_viewer', 'integration'] as const) {
      const file = await download('commitments?reveal=iban', role);
      expect(file.status).toBe(403);
      expect(JSON.parse(file.text).code).toBe('BANK_DATA_ACCESS_REQUIRED');
    }
    expect((await auditRows('export.started')).length).toBe(before);
  });

  it('a permitted reveal shows the full IBAN and is audited with who, what and how many rows', async () => {
    const key = await k.call({
      method: 'POST',
      url: `/api/organizations/${k.alpha}/api-keys`,
      payload: { name: 'bank export', bankDataAccess: true },
    });
    const response = await k.app.inject({
      method: 'GET',
      url: `/api/organizations/${k.alpha}/exports/commitments?reveal=iban&lang=en`,
      headers: { authorization: `Bearer ${key.body.key}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`,${IBAN_IT},`);
    const started = (await auditRows('export.started')).at(-1);
    const finished = await lastFinished(key.body.id);
    expect(started).toMatchObject({
      org_id: k.alpha,
      actor_kind: 'api_key',
      actor_id: key.body.id,
      details: { list: 'commitments', format: 'csv', lang: 'en', revealIban: true },
    });
    expect(finished).toMatchObject({
      actor_kind: 'api_key',
      actor_id: key.body.id,
      details: { list: 'commitments', rows: 1, completed: true, ibansRevealed: true },
    });
  });
});

describe('audit and isolation', () => {
  it('every export is audited: who exported which list with which filters, and how many rows', async () => {
    await download('supporters?status=lapsed', 'client_viewer');
    const users = await k.call({ method: 'GET', url: '/api/users' });
    const viewer = users.body.items.find((u: { email: string }) => u.email === 'client_viewer@example.test');
    expect((await auditRows('export.started')).at(-1)).toMatchObject({
      actor_kind: 'user',
      actor_id: viewer.id,
      details: { list: 'supporters', filters: { status: ['lapsed'] }, revealIban: false },
    });
    expect(await lastFinished(viewer.id)).toMatchObject({
      actor_id: viewer.id,
      details: { list: 'supporters', rows: 1, completed: true },
    });
  });

  it("an organization's export holds its rows only; another's id is 404; operators export nothing", async () => {
    const alpha = await download('supporters?lang=en');
    expect(alpha.text).not.toContain('Beta Only');
    expect(alpha.text).not.toContain('beta@example.test');
    const beta = await download('supporters?lang=en', 'admin', k.beta);
    expect(beta.text).toContain('Beta Only');
    expect(beta.text).not.toContain('Bianchi');
    expect((await download('supporters', 'client_viewer', k.beta)).status).toBe(404);
    expect((await download('supporters', 'integration', k.beta)).status).toBe(404);
    expect((await download('supporters', 'operator')).status).toBe(403);
  });
});

describe('round trip', () => {
  it('every supporters header is a column the import recognises', () => {
    for (const lang of ['it', 'en'] as const) {
      const headers = LISTS.supporters.columns.map((column) => column[lang]);
      const mapping = resolveMapping('supporters', headers);
      expect(mapping.ignored).toEqual(
        lang === 'it' ? ['ID Centralino', 'Aggiornato il'] : ['Centralino id', 'Updated at'],
      );
    }
  });

  it('the other lists name every field their import requires, in both languages', () => {
    for (const kind of ['commitments', 'gifts', 'consents', 'dnc'] as const) {
      for (const lang of ['it', 'en'] as const) {
        const headers = LISTS[kind].columns.map((column) => column[lang]);
        const mapping = resolveMapping(kind, headers);
        const required = IMPORT_FIELDS[kind].filter((field) => field.required).map((field) => field.name);
        expect([kind, lang, required.filter((name) => !mapping.fields.has(name))]).toEqual([kind, lang, []]);
      }
    }
  });

  for (const format of ['csv', 'xlsx'] as const) {
    it(`exported supporters (${format}) imported into another organization give the same data`, async () => {
      const gamma = await createOrganization({
        db: k.db,
        principal: null,
        slug: `gamma-${format}`,
        name: 'Gamma',
      });
      const exported = await download(`supporters?format=${format}&lang=it`);
      const path = join(dir, `roundtrip.${format}`);
      writeFileSync(path, exported.raw);
      const summary = await runImport({
        db: k.db,
        secrets: testSecrets,
        orgId: gamma.id,
        kind: 'supporters',
        path,
        actor: 'test',
      });
      expect(summary).toMatchObject({ read: 4, created: 4, rejected: 0 });
      const again = await k.app.inject({
        method: 'GET',
        url: `/api/organizations/${gamma.id}/exports/supporters?format=${format}&lang=it`,
        headers: k.headers.admin,
      });
      const strip = (rows: Record<string, string>[]) =>
        rows.map(({ 'ID Centralino': _id, 'Aggiornato il': _at, ...rest }) => rest);
      const original = await readBack(exported.raw, format);
      const copy = await readBack(again.rawPayload, format);
      expect(copy.headers).toEqual(original.headers);
      expect(strip(copy.rows)).toEqual(strip(original.rows));
      expect(strip(original.rows).find((row) => row.Cognome === "D'Alò")).toMatchObject({
        Telefono: format === 'csv' ? "'+390612345678" : '+390612345678',
        'Email 2': 'anna@lavoro.example.test',
        Tag: 'f2f 2025, vip',
        Indirizzo: 'Via Roma 1; scala B',
      });
    });
  }
});
