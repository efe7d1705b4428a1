// `centralino report sla` on the hand-built November of modules/sla/sla.test-support.ts
// (numbers worked out there and in sla.routes.test.ts: abandon rate 0.1 misses its
// minimum 0.05 → 12,000 € × 10 % × 20 % = 240 € credit, no bonus; DOMAIN.md §8).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test/test-cli.ts';
import { createCliDatabaseEnv } from '../../../test/test-database.ts';
import { loadConfig } from '../../config.ts';
import { findOrganizationBySlug } from '../../modules/organizations/organizations.service.ts';
import { NOVEMBER_CONTRACT, seedNovember } from '../../modules/sla/sla.test-support.ts';
import { createSlaContract } from '../../modules/sla/sla-contracts.service.ts';
import { withDatabase } from '../database-options.ts';

const dir = mkdtempSync(join(tmpdir(), 'centralino-report-sla-'));
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

beforeAll(async () => {
  ({ env, cleanup } = await createCliDatabaseEnv());
  env = { ...env, CENTRALINO_SECRET_KEY: 'ab'.repeat(32) };
  expect(
    (await runCliCaptured(['org', 'create', '--slug', 'bisturi', '--name', 'Fondazione Bisturi'], { env }))
      .code,
  ).toBe(0);
  await withDatabase({ values: {}, positionals: [] }, loadConfig(env), async (db) => {
    const org = await findOrganizationBySlug({ db, slug: 'bisturi' });
    await seedNovember(db, org!.id);
    await createSlaContract({ db, orgId: org!.id, input: NOVEMBER_CONTRACT as never, actor: null });
  });
});
afterAll(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const report = (...args: string[]) =>
  runCliCaptured(['report', 'sla', '--org', 'bisturi', '--period', '2026-11', ...args], { env });

describe('centralino report sla', () => {
  it('prints each metric with its status and credit, the bonus and the total', async () => {
    const run = await report('--invoice', '12000.00');
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    expect(lines[0]).toMatch(
      /Fondazione Bisturi: SLA Servizio donatori 2026 \(version 1, from 2026-10\), 2026-11/,
    );
    const header = lines[1]!.split(/\s{2,}/);
    const row = (id: string) => {
      const cells = lines
        .find((l) => l.startsWith(`${id} `))!
        .trim()
        .split(/\s{2,}/);
      return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    };
    expect(row('service_level')).toMatchObject({ Value: '90%', Status: 'at_target', 'Credit €': '0.00' });
    expect(row('abandon_rate')).toMatchObject({
      Value: '10%',
      Minimum: '5%',
      Status: 'below_minimum',
      'Credit %': '2',
      'Credit €': '240.00',
    });
    expect(row('asa')).toMatchObject({ Value: '10 s', Status: 'at_target' });
    expect(row('sl_daily')).toMatchObject({
      Status: 'below_minimum',
      'Days met': '1/2 of 30',
      'Credit €': '0.00',
    });
    expect(run.out).toMatch(
      /bonus excellence \(2 %\): not earned = 0\.00 € — minimum not reached: abandon_rate/,
    );
    expect(run.out).toMatch(
      /credit 2 % = 240\.00 €; bonus 0 % = 0\.00 €; net -2 % = -240\.00 € of an invoice of 12000\.00 €/,
    );
    expect(run.out).toMatch(/service_level: \(A≤T \+ Ab≤T\) \/ \(A \+ Ab\)/);
  });

  it('prints the API JSON (--json) and CSV (--format csv)', async () => {
    const json = await report('--json', '--invoice', '12000');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      creditCents: 24_000,
      netCents: -24_000,
      contract: { version: 1 },
    });
    const csv = await report('--format', 'csv', '--invoice', '12000,00');
    expect(csv.code).toBe(0);
    const lines = csv.out.split('\n');
    expect(lines[0]).toBe(
      'Metric,KPI,Window,Kind,Value,Minimum,Target,Status,Days met,Intervals met,Allocation %,Credit %,Credit €,Formula',
    );
    expect(lines.find((l) => l.startsWith('abandon_rate,'))).toMatch(/,below_minimum,.*,20,2,240\.00,/);
    expect(lines.at(-1)).toBe('net,,,,,,,,,,,-2,-240.00,');
  });

  it('refuses a bad month or amount with exit code 2, and a month without a contract with 1', async () => {
    expect(
      (await runCliCaptured(['report', 'sla', '--org', 'bisturi', '--period', '2026-13'], { env })).code,
    ).toBe(2);
    expect((await report('--invoice', 'dodici')).code).toBe(2);
    const none = await runCliCaptured(['report', 'sla', '--org', 'bisturi', '--month', '2026-09'], { env });
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/No SLA contract covers 2026-09/);
  });

  it('writes the monthly report as HTML, and as a PDF with the system Chromium', async () => {
    const html = join(dir, 'sla.html');
    expect((await report('--format', 'html', '--lang', 'en', '--out', html)).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/<h1>SLA report — Fondazione Bisturi<\/h1>/);
    expect(page.match(/<rect /g)).toHaveLength(8); // a bar per day with contacts (2), per metric (4)
    const pdf = join(dir, 'sla.pdf');
    const missing = await runCliCaptured(
      ['report', 'sla', '--org', 'bisturi', '--month', '2026-11', '--pdf', pdf],
      {
        env: { ...env, CHROMIUM_PATH: '/nonexistent/chromium' },
      },
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no Chromium at \/nonexistent\/chromium/);
    expect(existsSync(pdf)).toBe(false);
    if (!existsSync(CHROMIUM)) {
      console.warn(`PDF not rendered: no Chromium at ${CHROMIUM} (install the Debian package chromium)`);
      return;
    }
    const run = await runCliCaptured(
      ['report', 'sla', '--org', 'bisturi', '--month', '2026-11', '--pdf', pdf],
      {
        env: { ...env, CHROMIUM_PATH: CHROMIUM },
      },
    );
    expect(run.code).toBe(0);
    expect(run.out).toBe(`wrote ${pdf}`);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
