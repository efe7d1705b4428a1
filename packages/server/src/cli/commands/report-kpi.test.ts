// `centralino import interactions` then `centralino report kpi`: the CDR file
// of test/fixtures (figures hand-computed in modules/kpis/kpis.import.test.ts)
// as a readable table and as the API's JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test/test-cli.ts';
import { createCliDatabaseEnv } from '../../../test/test-database.ts';

const fixture = new URL('../../../test/fixtures/cdr-small.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'centralino-report-kpi-'));
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
const PERIOD = ['--from', '2026-03-28T00:00:00+01:00', '--to', '2026-03-30T00:00:00+02:00'];

beforeAll(async () => {
  ({ env, cleanup } = await createCliDatabaseEnv());
  env = { ...env, CENTRALINO_SECRET_KEY: 'ab'.repeat(32) };
  expect(
    (await runCliCaptured(['org', 'create', '--slug', 'bisturi', '--name', 'Fondazione Bisturi'], { env }))
      .code,
  ).toBe(0);
  const supporters = join(dir, 'donatori.csv');
  writeFileSync(supporters, 'Codice donatore;Nome;Cognome\nD001;Anna;Neri\nD002;Bruno;Gialli\n');
  expect((await runCliCaptured(['import', 'supporters', '--org', 'bisturi', supporters], { env })).code).toBe(
    0,
  );
});
afterAll(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('centralino report kpi', () => {
  it('imports a CDR file and prints the figures by day, absent ones as "-"', async () => {
    const imported = await runCliCaptured(['import', 'interactions', '--org', 'bisturi', fixture], { env });
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/created 11/);
    expect(imported.out).toMatch(/rejected 4/);
    const run = await runCliCaptured(['report', 'kpi', '--org', 'bisturi', ...PERIOD, '--group', 'day'], {
      env,
    });
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    const header = lines[1]!.split(/\s{2,}/);
    const row = (label: string) => {
      const cells = lines
        .find((l) => l.startsWith(label))!
        .trim()
        .split(/\s{2,}/);
      return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    };
    expect(row('2026-03-28')).toMatchObject({
      Offered: '6',
      SL: '50.0%',
      'ASA s': '318.8',
      'AHT s': '234.0',
    });
    expect(row('2026-03-29')).toMatchObject({ Offered: '4', SL: '75.0%', 'ASA s': '16.0', Conversion: '-' });
    expect(row('Total')).toMatchObject({ Offered: '10', SL: '60.0%' });
    expect(run.out).toMatch(/service_level: \(A≤T \+ Ab≤T\) \/ \(A \+ Ab\) \(thresholdSeconds 20/);
  });

  it('prints the API JSON with --json, filtered by queue and per interval', async () => {
    const run = await runCliCaptured(
      ['report', 'kpi', '--org', 'bisturi', ...PERIOD, '--group', 'interval', '--queue', 'care', '--json'],
      { env },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    expect(report.filter).toMatchObject({ queue: 'care' });
    const nine = report.groups.find((g: { label: string }) => g.label === '2026-03-28T08:00:00Z');
    expect(nine.figures.service_level).toMatchObject({ value: 0.75, numerator: 3, denominator: 4 });
  });

  it('refuses a period off the 15-minute grid with exit code 2', async () => {
    const run = await runCliCaptured(
      [
        'report',
        'kpi',
        '--org',
        'bisturi',
        '--from',
        '2026-03-28T00:05:00+01:00',
        '--to',
        '2026-03-29T00:00:00+01:00',
      ],
      { env },
    );
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/15-minute/);
  });
});
