// `centralino export`: the file, the summary line, masked IBANs by default and
// a revealed one with --reveal-iban, audited as actor 'cli'; usage errors exit 2.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test/test-cli.ts';
import { createCliDatabaseEnv } from '../../../test/test-database.ts';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { createCommitment } from '../../modules/giving/commitments.service.ts';
import { creditorId, IBAN_IT, setCreditorId } from '../../modules/giving/giving.fixtures.ts';
import { findOrganizationBySlug } from '../../modules/organizations/organizations.service.ts';
import { createSupporter } from '../../modules/supporters/supporters.service.ts';
import { loadSecretBox } from '../../security/secret-box.ts';

const dir = mkdtempSync(join(tmpdir(), 'centralino-export-cli-'));
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
const SECRET = 'cd'.repeat(32);

async function withDb<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  ({ env, cleanup } = await createCliDatabaseEnv());
  env = { ...env, CENTRALINO_SECRET_KEY: SECRET };
  const created = await runCliCaptured(
    ['org', 'create', '--slug', 'bisturi', '--name', 'Fondazione Bisturi'],
    {
      env,
    },
  );
  expect(created.code).toBe(0);
  await withDb(async (db) => {
    const org = await findOrganizationBySlug({ db, slug: 'bisturi' });
    const orgId = org?.id as string;
    await setCreditorId(db, orgId, creditorId());
    const supporter = await createSupporter({
      db,
      principal: null,
      orgId,
      input: { firstName: 'Anna', lastName: 'Neri', birthDate: '1975-12-31' },
    });
    await createCommitment({
      db,
      secrets: loadSecretBox(loadConfig(env)),
      orgId,
      supporterId: supporter.id,
      amountCents: 2000,
      frequency: 'monthly',
      method: 'sepa_direct_debit',
      startDate: '2025-03-01',
      mandate: { iban: IBAN_IT, signatureDate: '2025-03-01' },
      actor: 'test',
    });
  });
});
afterAll(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('centralino export', () => {
  it('writes the file and says how many rows', async () => {
    const out = join(dir, 'sostenitori.csv');
    const run = await runCliCaptured(['export', 'supporters', '--org', 'bisturi', '--out', out], { env });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toBe(`1 row written to ${out} (CSV, it)`);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFFID esterno;Nome;Cognome;Data di nascita;/);
    expect(lines[1]).toMatch(/^;Anna;Neri;31\/12\/1975;/);
  });

  it('masks IBANs unless --reveal-iban, which is audited as the cli', async () => {
    const masked = join(dir, 'masked.xlsx');
    expect(
      (
        await runCliCaptured(
          ['export', 'commitments', '--org', 'bisturi', '--format', 'xlsx', '--out', masked],
          { env },
        )
      ).code,
    ).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(masked);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(sheet.getRow(2).getCell(headers.indexOf('IBAN') + 1).value).toBe('IT…3456');
    expect(sheet.getRow(2).getCell(headers.indexOf('Importo') + 1).value).toBe(20);

    const full = join(dir, 'full.csv');
    const run = await runCliCaptured(
      ['export', 'commitments', '--org', 'bisturi', '--lang', 'en', '--reveal-iban', '--out', full],
      { env },
    );
    expect(run.code).toBe(0);
    expect(readFileSync(full, 'utf8')).toContain(`,${IBAN_IT},`);
    const audit = await withDb((db) =>
      db.asCenter((tx) =>
        tx
          .selectFrom('audit_events')
          .select(['action', 'actor_kind', 'actor_id', 'details'])
          .where('action', 'like', 'export.%')
          .orderBy('id')
          .execute(),
      ),
    );
    expect(audit.at(-2)).toMatchObject({
      action: 'export.started',
      actor_kind: 'system',
      actor_id: 'cli',
      details: { list: 'commitments', revealIban: true },
    });
    expect(audit.at(-1)).toMatchObject({
      action: 'export.finished',
      actor_id: 'cli',
      details: { list: 'commitments', rows: 1, completed: true, ibansRevealed: true },
    });
  });

  it('exits 2 on a wrong invocation, naming the option', async () => {
    const cases: [string[], RegExp][] = [
      [['export', 'donors', '--org', 'bisturi'], /Say what to export/],
      [['export', 'segment', '--org', 'bisturi'], /Say which segment/],
      [
        ['export', 'supporters', '--org', 'bisturi', '--reveal-iban'],
        /reveal=iban applies to the commitments/,
      ],
      [['export', 'supporters', '--org', 'bisturi', '--from', '2025-01-01'], /from does not apply/],
      [['export', 'supporters', '--org', 'nobody'], /No organization/],
      [['export', 'supporters', '--org', 'bisturi', '--format', 'pdf'], /--format is csv or xlsx/],
    ];
    for (const [argv, message] of cases) {
      const run = await runCliCaptured(argv, { env });
      expect([argv.join(' '), run.code]).toEqual([argv.join(' '), 2]);
      expect(run.err).toMatch(message);
    }
  });
});
