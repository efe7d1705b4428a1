// `centralino import`: the summary, the report, the exit codes, and an import
// killed half-way (a real process, SIGKILL) that leaves no half batch and no
// duplicate, and finishes when the file is run again.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runCliCaptured } from '../../../test/test-cli.ts';
import { createCliDatabaseEnv } from '../../../test/test-database.ts';
import { openDatabase } from '../../db/database.ts';
import { getImportJob } from '../../modules/imports/imports.jobs.ts';

const bin = new URL('../../../bin/centralino.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'centralino-import-cli-'));
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ env, cleanup } = await createCliDatabaseEnv());
  // A fixed key, so the in-process runs and the spawned one agree without a data folder key.
  env = { ...env, CENTRALINO_SECRET_KEY: 'ab'.repeat(32) };
  const created = await runCliCaptured(
    ['org', 'create', '--slug', 'bisturi', '--name', 'Fondazione Bisturi'],
    { env },
  );
  expect(created.code).toBe(0);
});
afterAll(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('centralino import', () => {
  it('prints the summary, writes the report and exits 0 even with rejected rows', async () => {
    const file = write(
      'donatori.csv',
      'Codice;Nome;Cognome;Cellulare;Note\nC1;Anna;Neri;347 111 2222;x\nC2;Bruno;Gialli;12;y\n',
    );
    const report = join(dir, 'scarti.csv');
    const run = await runCliCaptured(['import', 'supporters', '--org', 'bisturi', file, '--report', report], {
      env,
    });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('CSV, utf-8, delimiter ";"');
    expect(run.out).toContain('read 2, created 1, updated 0, unchanged 0, rejected 1');
    expect(run.out).toContain('Columns not imported: Note');
    expect(readFileSync(report, 'utf8')).toMatch(
      /^\uFEFFline,column,value,reason\r\n3,Cellulare,12,invalid phone number/,
    );

    const again = await runCliCaptured(['import', 'supporters', '--org', 'bisturi', file, '--dry-run'], {
      env,
    });
    expect(again.out).toContain('Dry run: nothing was changed.');
    expect(again.out).toContain('read 2, created 0, updated 0, unchanged 1, rejected 1');
    expect(again.out).toContain('line 3, Cellulare: invalid phone number');
  });

  it('uses a mapping file', async () => {
    const file = write('export.csv', 'A,B\nZeno,Cosini\n');
    const map = write('map.json', JSON.stringify({ A: 'first_name', B: 'last_name' }));
    const run = await runCliCaptured(['import', 'supporters', '--org', 'bisturi', file, '--map', map], {
      env,
    });
    expect(run.out).toContain('created 1');
    const bad = write('bad.json', '["A"]');
    expect(
      (await runCliCaptured(['import', 'supporters', '--org', 'bisturi', file, '--map', bad], { env })).code,
    ).toBe(2);
  });

  it('exits 2 on a wrong invocation and 1 on a file that cannot be read', async () => {
    const file = write('ok.csv', 'nome\nA\n');
    expect((await runCliCaptured(['import', 'donors', '--org', 'bisturi', file], { env })).code).toBe(2);
    expect((await runCliCaptured(['import', 'supporters', file], { env })).code).toBe(2);
    expect((await runCliCaptured(['import', 'supporters', '--org', 'nobody', file], { env })).code).toBe(2);
    const empty = await runCliCaptured(['import', 'supporters', '--org', 'bisturi', write('empty.csv', '')], {
      env,
    });
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/empty/i);
  });

  it('survives being killed mid-import: no half batch, no duplicate, and a second run finishes it', async () => {
    const rows = 14_000;
    const lines = ['id,nome,cognome,email'];
    for (let i = 0; i < rows; i++) lines.push(`K${i},Nome${i},Cognome${i},k${i}@example.it`);
    const file = write('grande.csv', `${lines.join('\n')}\n`);

    const child = spawn(process.execPath, [bin, 'import', 'supporters', '--org', 'bisturi', file], {
      env: { ...process.env, ...env, CENTRALINO_PROGRESS: 'plain' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk) => {
        output += chunk;
        // Progress reaches 6,000 rows once the first batches were handed to the database.
        if (/importing: 6,000 rows/.test(output)) resolve();
      });
      child.once('exit', () => reject(new Error(`the import ended before it could be killed: ${output}`)));
    });
    child.kill('SIGKILL');
    await exit;

    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.CENTRALINO_DATA });
    let committed: number;
    let jobId: string;
    try {
      const org = await db.asCenter((tx) =>
        tx.selectFrom('organizations').select('id').where('slug', '=', 'bisturi').executeTakeFirstOrThrow(),
      );
      const state = await db.readForOrg(org.id, async (tx) => {
        const job = await tx
          .selectFrom('import_jobs')
          .select(['id', 'status', 'rows_read', 'created'])
          .where('file_name', '=', 'grande.csv')
          .executeTakeFirstOrThrow();
        const count = await tx
          .selectFrom('supporters')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('last_name', 'like', 'Cognome%')
          .executeTakeFirstOrThrow();
        return { job, supporters: Number(count.n) };
      });
      jobId = state.job.id;
      committed = state.supporters;
      // Whole batches only, and exactly what the job row says was committed.
      expect(state.job.status).toBe('running');
      expect(committed % 2000).toBe(0);
      expect(committed).toBe(state.job.created);
      expect(committed).toBeGreaterThan(0);
      expect(committed).toBeLessThan(rows);
      // Once its heartbeat is old, the job reads as interrupted.
      const later = await getImportJob({ db, orgId: org.id, jobId, now: Date.now() + 10 * 60_000 });
      expect(later.status).toBe('interrupted');
    } finally {
      await db.close();
    }

    const rerun = await runCliCaptured(['import', 'supporters', '--org', 'bisturi', file], { env });
    expect(rerun.code).toBe(0);
    expect(rerun.out).toContain(
      `read ${rows}, created ${rows - committed}, updated 0, unchanged ${committed}, rejected 0`,
    );
  }, 120_000);
});
