// Browser tests of the web app against the real product: the Centralino
// server started on a fresh embedded database with the demo data, driven by
// the Debian Chromium (never a downloaded browser: CHROMIUM_PATH, default
// /usr/bin/chromium). Screenshots of each main screen land in test-results/.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.CENTRALINO_E2E_PORT ?? 4180);
const dataDir = mkdtempSync(join(tmpdir(), 'centralino-e2e-'));

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Two cores: one browser at a time keeps timings honest.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    locale: 'it-IT',
    viewport: { width: 1366, height: 768 },
    screenshot: 'only-on-failure',
    trace: { mode: 'retain-on-failure', screenshots: false },
  },
  webServer: {
    command: `node packages/server/bin/centralino.js start --demo --port ${port} --data ${dataDir}`,
    cwd: join(import.meta.dirname, '..', '..'),
    url: `http://127.0.0.1:${port}/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    // The live center (operator desktop, wallboard) with the demo's simulated callers and operators;
    // every test signs in from 127.0.0.1, more often than the default 10 logins a minute allow.
    env: { CENTRALINO_LIVE: 'simulated', CENTRALINO_LOGIN_RATE_LIMIT: '1000' },
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
