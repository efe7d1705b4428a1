// Commitment imports from real files: regular gifts with their SEPA mandates,
// Italian exports (semicolons, decimal commas, dd/mm/yyyy), bad rows, re-import,
// changes written to the commitment's history, organizations apart, and the
// IBAN kept out of everything a person or a log can read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../../test/test-app.ts';
import { runCliCaptured } from '../../../test/test-cli.ts';
import { createCliDatabaseEnv } from '../../../test/test-database.ts';
import { creditorId, setCreditorId } from '../giving/giving.fixtures.ts';
import { createOrganization } from '../organizations/organizations.service.ts';
import { createImportWorld, type ImportWorld, seedSupporters, supporterIdOf } from './import-test-kit.ts';

let w: ImportWorld;
const CREDITOR = creditorId();
beforeAll(async () => {
  w = await createImportWorld();
  await seedSupporters(w, w.alpha, ['D001', 'D002', 'D003', 'D004']);
  await seedSupporters(w, w.beta, ['D001']);
  await setCreditorId(w.db, w.alpha, CREDITOR);
});
afterAll(async () => {
  await w.close();
});

// Every IBAN below, and fragments of their account parts that must never show.
const BAD_IBAN = 'IT60X0542811101000000123457';
const SECRET_FRAGMENTS = ['X0542811101', '0542811101000000123', '370400440532', 'WEST12345698'];

const HEADER =
  'Codice impegno;Codice donatore;Importo;Frequenza;Metodo;Data inizio;Data fine;Stato;Campagna;IBAN;Riferimento mandato;Data firma;Tipo sequenza';
const COMMITMENTS = [
  HEADER,
  'R001;D001;10,00;mensile;SDD;01/02/2024;;attivo;F2F-2024;IT60 X054 2811 1010 0000 0123 456;MAND-R001;15/01/2024;FRST',
  'R002;D002;1.234,56;annuale;bonifico;2024-03-01;;;;;;;',
  'R003;D003;15,50;trimestrale;Carta di credito;01/03/2024;;sospeso;;;;;',
  `R004;D004;10;mensile;RID;01/03/2024;;;;${BAD_IBAN};;10/02/2024;`,
  'R005;D404;10;mensile;bonifico;01/03/2024;;;;;;;',
  'R006;D001;0;mensile;bonifico;01/03/2024;;;;;;;',
  'R007;D001;10;settimanale;bonifico;01/03/2024;;;;;;;',
  'R008;D002;10;mensile;SDD;01/03/2024;;;;DE89370400440532013000;;;',
  'R009;D002;10;mensile;bonifico;01/03/2024;;;;IT60X0542811101000000123456;;;',
  'R010;D003;20;mensile;SDD;01/03/2024;;;;DE89 3704 0044 0532 0130 00;MAND-R001;01/02/2024;',
  'R011;D004;8;mensile;bonifico;01/04/2024;31/03/2024;;;;;;',
  'R012;D004;12,00;mensile;SEPA;01/04/2024;;;;GB82 WEST 1234 5698 7654 32;;01/03/2024;RCUR',
].join('\r\n');

const commitments = (orgId: string) =>
  w.db.readForOrg(orgId, (tx) =>
    tx
      .selectFrom('commitments')
      .select([
        'external_id',
        'supporter_id',
        'amount_cents',
        'frequency',
        'method',
        'start_date',
        'end_date',
      ])
      .select(['status', 'campaign_code', 'version'])
      .orderBy('external_id')
      .execute(),
  );
const mandates = (orgId: string) =>
  w.db.readForOrg(orgId, (tx) =>
    tx
      .selectFrom('mandates')
      .innerJoin('commitments', 'commitments.id', 'mandates.commitment_id')
      .select(['commitments.external_id', 'creditor_id', 'reference', 'signature_date', 'iban_encrypted'])
      .select(['iban_country', 'iban_last4', 'sequence_type'])
      .orderBy('commitments.external_id')
      .execute(),
  );
const history = (orgId: string) =>
  w.db.readForOrg(orgId, (tx) =>
    tx
      .selectFrom('commitment_events')
      .innerJoin('commitments', 'commitments.id', 'commitment_events.commitment_id')
      .select(['commitments.external_id', 'kind', 'from_status', 'to_status', 'from_amount_cents'])
      .select(['to_amount_cents', 'effective_date', 'reason', 'actor'])
      .orderBy('commitment_events.id')
      .execute(),
  );

describe('commitments import', () => {
  let reportPath: string;

  it('creates commitments and their mandates from an Italian export, rejecting the bad rows', async () => {
    reportPath = join(w.dir, 'commitments-report.csv');
    const summary = await w.importInto(w.alpha, 'commitments', w.file(`\uFEFF${COMMITMENTS}\r\n`), {
      reportPath,
    });
    expect(summary).toMatchObject({ read: 12, created: 4, updated: 0, unchanged: 0, rejected: 8 });
    expect(summary.ignoredColumns).toEqual([]);
    expect(summary.errors.map((e) => [e.line, e.column, e.value, e.reason.split(/[:;]/)[0]])).toEqual([
      [5, 'IBAN', 'IT…3457', 'invalid IBAN'],
      [7, 'Importo', '0', 'the amount must be above zero'],
      [8, 'Frequenza', 'settimanale', 'unknown frequency'],
      [9, 'Data firma', '', "a SEPA direct debit needs the mandate's signature date"],
      [10, 'IBAN', 'IT…3456', 'only a SEPA direct debit has a mandate (IBAN, mandate reference)'],
      [12, 'Data fine', '31/03/2024', 'the end date is before the start date'],
      [
        6,
        'Codice donatore',
        'D404',
        'no supporter has this id in the system "import" (import the supporters first)',
      ],
      [
        11,
        'Riferimento mandato',
        'MAND-R001',
        `the mandate reference MAND-R001 is already used for creditor ${CREDITOR}`,
      ],
    ]);
    const rows = await commitments(w.alpha);
    expect(
      rows.map((r) => [r.external_id, r.amount_cents, r.frequency, r.method, r.start_date, r.status]),
    ).toEqual([
      ['R001', 1000, 'monthly', 'sepa_direct_debit', '2024-02-01', 'active'],
      ['R002', 123456, 'annual', 'bank_transfer', '2024-03-01', 'active'],
      ['R003', 1550, 'quarterly', 'card', '2024-03-01', 'paused'],
      ['R012', 1200, 'monthly', 'sepa_direct_debit', '2024-04-01', 'active'],
    ]);
    expect(rows[0]).toMatchObject({
      supporter_id: await supporterIdOf(w, w.alpha, 'D001'),
      campaign_code: 'F2F-2024',
      version: 1,
    });
    const stored = await mandates(w.alpha);
    expect(stored.map(({ iban_encrypted: _sealed, ...m }) => m)).toEqual([
      {
        external_id: 'R001',
        creditor_id: CREDITOR,
        reference: 'MAND-R001',
        signature_date: '2024-01-15',
        iban_country: 'IT',
        iban_last4: '3456',
        sequence_type: 'FRST',
      },
      {
        external_id: 'R012',
        creditor_id: CREDITOR,
        // Generated as the API does, from the organization and the signature date.
        reference: expect.stringMatching(/^ALPHA-20240301-[0-9A-F]{16}$/),
        signature_date: '2024-03-01',
        iban_country: 'GB',
        iban_last4: '5432',
        sequence_type: 'RCUR',
      },
    ]);
    // Sealed with the organization's id: it opens there and nowhere else.
    expect(testSecrets.open(stored[0]!.iban_encrypted, w.alpha)).toBe('IT60X0542811101000000123456');
    expect(() => testSecrets.open(stored[0]!.iban_encrypted, w.beta)).toThrow();
    expect(stored[0]!.iban_encrypted).not.toContain('0542811101');
    expect(await history(w.alpha)).toEqual(
      ['R001', 'R002', 'R003', 'R012'].map((id) =>
        expect.objectContaining({ external_id: id, kind: 'created', reason: 'import', actor: 'test' }),
      ),
    );
  });

  it('keeps every IBAN out of the report, the job errors and the summary', async () => {
    const report = readFileSync(reportPath, 'utf8');
    expect(report).toContain('5,IBAN,IT…3457,invalid IBAN');
    const job = await w.db.readForOrg(w.alpha, (tx) =>
      tx
        .selectFrom('import_jobs')
        .select(['errors', 'error'])
        .where('kind', '=', 'commitments')
        .executeTakeFirstOrThrow(),
    );
    for (const text of [report, JSON.stringify(job)]) {
      for (const fragment of [BAD_IBAN, ...SECRET_FRAGMENTS]) expect(text).not.toContain(fragment);
    }

    // An IBAN typed into another column is masked by the pipeline itself, in the job's errors as in the report.
    const elsewhere = await w.importInto(
      w.alpha,
      'commitments',
      w.file(
        `${HEADER}\nR020;D001;5;mensile;bonifico;01/02/2024;;;pagherà con IT60 X054 2811 1010 0000 0123 456 dal conto del marito;;;;\n`,
      ),
    );
    expect(elsewhere.errors).toEqual([
      expect.objectContaining({ line: 2, column: 'Campagna', reason: 'longer than 60 characters' }),
    ]);
    const jobErrors = await w.db.readForOrg(w.alpha, (tx) =>
      tx
        .selectFrom('import_jobs')
        .select('errors')
        .where('id', '=', elsewhere.jobId)
        .executeTakeFirstOrThrow(),
    );
    for (const text of [JSON.stringify(elsewhere.errors), JSON.stringify(jobErrors)]) {
      expect(text).toContain('IT60…');
      expect(text).not.toContain('X054 2811 1010');
    }
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = [await commitments(w.alpha), await mandates(w.alpha), await history(w.alpha)];
    const summary = await w.importInto(w.alpha, 'commitments', w.file(`${COMMITMENTS}\r\n`));
    expect(summary).toMatchObject({ read: 12, created: 0, updated: 0, unchanged: 4, rejected: 8 });
    expect([await commitments(w.alpha), await mandates(w.alpha), await history(w.alpha)]).toEqual(before);
  });

  it('applies amount and status changes with their history, and refuses what an import must not change', async () => {
    const summary = await w.importInto(
      w.alpha,
      'commitments',
      w.file(
        [
          HEADER,
          // An upgrade and a pause of the SEPA commitment, same mandate (reference left out).
          'R001;D001;12,50;mensile;SDD;01/02/2024;;sospeso;;IT60X0542811101000000123456;;15/01/2024;',
          // An end date, nothing else: empty cells keep the stored campaign and status.
          'R002;D002;1234,56;annuale;bonifico;01/03/2024;31/12/2025;;;;;;',
          // Paused → lapsed is not a transition the giving module allows.
          'R003;D003;15,50;trimestrale;carta;01/03/2024;;decaduto;;;;;',
          // Another payment method, another start date, another supporter, another IBAN.
          'R002;D002;1234,56;annuale;carta;01/03/2024;;;;;;;',
          'R002;D002;1234,56;annuale;bonifico;01/04/2024;;;;;;;',
          'R003;D001;15,50;trimestrale;carta;01/03/2024;;;;;;;',
          'R012;D004;12,00;mensile;SDD;01/04/2024;;;;DE89370400440532013000;;01/03/2024;',
        ].join('\n'),
      ),
    );
    expect(summary).toMatchObject({ read: 7, created: 0, updated: 2, unchanged: 0, rejected: 5 });
    expect(summary.errors.map((e) => [e.line, e.column, e.value, e.reason])).toEqual([
      [4, 'Stato', 'decaduto', 'the status cannot change from paused to lapsed'],
      [
        5,
        'Metodo',
        'carta',
        'the payment method is bank_transfer; an import does not change it (create a new commitment)',
      ],
      [6, 'Data inizio', '01/04/2024', 'the start date is 2024-03-01; an import does not change it'],
      [7, 'Codice donatore', 'D001', 'commitment R003 belongs to another supporter'],
      [
        8,
        'IBAN',
        'DE…3000',
        'the IBAN differs from the stored mandate; an import does not change bank details',
      ],
    ]);
    const rows = await commitments(w.alpha);
    expect(rows.find((r) => r.external_id === 'R001')).toMatchObject({
      amount_cents: 1250,
      status: 'paused',
      campaign_code: 'F2F-2024',
      version: 2,
    });
    expect(rows.find((r) => r.external_id === 'R002')).toMatchObject({ end_date: '2025-12-31', version: 2 });
    expect(rows.find((r) => r.external_id === 'R003')).toMatchObject({ status: 'paused', version: 1 });
    const changes = (await history(w.alpha)).filter((e) => e.kind !== 'created');
    expect(changes).toEqual([
      expect.objectContaining({
        external_id: 'R001',
        kind: 'status_changed',
        from_status: 'active',
        to_status: 'paused',
        reason: 'import',
        actor: 'test',
      }),
      expect.objectContaining({
        external_id: 'R001',
        kind: 'amount_changed',
        from_amount_cents: 1000,
        to_amount_cents: 1250,
        reason: 'import',
      }),
    ]);
  });

  it("keeps organizations apart: the same ids are another organization's own; its creditor comes from a column", async () => {
    const summary = await w.importInto(
      w.beta,
      'commitments',
      w.file(
        [
          'commitment_id,supporter_id,amount,frequency,method,start_date,iban,signature_date,creditor_id',
          'R001,D001,5.00,monthly,sepa,2024-02-01,IT60X0542811101000000123456,2024-01-20,',
          `R002,D001,5.00,monthly,sepa,2024-02-01,IT60X0542811101000000123456,2024-01-20,${creditorId('98765432109')}`,
          'R003,D002,5.00,monthly,card,2024-02-01,,,',
        ].join('\n'),
      ),
    );
    expect(summary).toMatchObject({ created: 1, rejected: 2 });
    expect(summary.errors.map((e) => [e.line, e.reason.split(':')[0]])).toEqual([
      [2, 'no SEPA creditor identifier'],
      [4, 'no supporter has this id in the system "import" (import the supporters first)'],
    ]);
    expect((await commitments(w.beta)).map((r) => r.external_id)).toEqual(['R002']);
    expect((await mandates(w.beta))[0]).toMatchObject({ creditor_id: creditorId('98765432109') });
    expect(await commitments(w.alpha)).toHaveLength(4);
  });
});

describe('the README example', () => {
  it('imports examples/impegni.csv after examples/sostenitori.csv as the README shows', async () => {
    const org = (await createOrganization({ db: w.db, principal: null, slug: 'bisturi-gentile', name: 'BG' }))
      .id;
    const examples = new URL('../../../../../examples/', import.meta.url).pathname;
    expect(await w.importInto(org, 'supporters', join(examples, 'sostenitori.csv'))).toMatchObject({
      created: 3,
    });
    const reportPath = join(w.dir, 'scarti-impegni.csv');
    const path = join(examples, 'impegni.csv');
    const summary = await w.importInto(org, 'commitments', path, { reportPath });
    expect(summary).toMatchObject({ read: 4, created: 2, updated: 0, unchanged: 0, rejected: 2 });
    expect(readFileSync(reportPath, 'utf8')).toBe(
      '\uFEFFline,column,value,reason\r\n' +
        '4,IBAN,IT…3457,invalid IBAN: the check digits do not match (typing error?)\r\n' +
        '5,Codice donatore,D1003,"no supporter has this id in the system ""import"" (import the supporters first)"\r\n',
    );
    expect(await w.importInto(org, 'commitments', path)).toMatchObject({
      created: 0,
      unchanged: 2,
      rejected: 2,
    });
  });
});

describe('centralino import commitments', () => {
  it('prints the summary and the reasons, never an IBAN', async () => {
    const { env: base, cleanup } = await createCliDatabaseEnv();
    const env = { ...base, CENTRALINO_SECRET_KEY: 'cd'.repeat(32) };
    try {
      expect(
        (await runCliCaptured(['org', 'create', '--slug', 'onlus', '--name', 'Onlus'], { env })).code,
      ).toBe(0);
      const donors = w.file('Codice donatore;Nome;Cognome\nC1;Anna;Neri\n', 'donatori-cli.csv');
      expect((await runCliCaptured(['import', 'supporters', '--org', 'onlus', donors], { env })).code).toBe(
        0,
      );
      const file = w.file(
        [
          'Codice impegno;Codice donatore;Importo;Frequenza;Metodo;Data inizio;IBAN;Data firma;Codice creditore',
          `I1;C1;10,00;mensile;SDD;01/02/2024;IT60 X054 2811 1010 0000 0123 456;15/01/2024;${CREDITOR}`,
          `I2;C1;10,00;mensile;SDD;01/02/2024;${BAD_IBAN};15/01/2024;${CREDITOR}`,
          'I3;C1;10,00;mensile;bonifico;01/02/2024;DE89370400440532013000;;',
        ].join('\n'),
        'impegni-cli.csv',
      );
      const run = await runCliCaptured(['import', 'commitments', '--org', 'onlus', file], { env });
      expect(run.code).toBe(0);
      expect(run.out).toContain('read 3, created 1, updated 0, unchanged 0, rejected 2');
      expect(run.out).toContain('line 3, IBAN: invalid IBAN');
      const reportPath = join(w.dir, 'cli-report.csv');
      const again = await runCliCaptured(
        ['import', 'commitments', '--org', 'onlus', file, '--report', reportPath],
        {
          env,
        },
      );
      expect(again.out).toContain('read 3, created 0, updated 0, unchanged 1, rejected 2');
      const everything = [run.out, run.err, again.out, again.err, readFileSync(reportPath, 'utf8')].join(
        '\n',
      );
      for (const fragment of [BAD_IBAN, ...SECRET_FRAGMENTS]) expect(everything).not.toContain(fragment);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
