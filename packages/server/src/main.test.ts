// The real `centralino start` process: serves, then on SIGTERM finishes and
// exits 0, releasing the data folder.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createCliDatabaseEnv } from '../test/test-database.ts';

const bin = new URL('../bin/centralino.js', import.meta.url).pathname;
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ env, cleanup } = await createCliDatabaseEnv());
});
afterAll(() => cleanup());

describe('centralino start', () => {
  it('serves /health and stops gracefully on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'start', '--port', '0'], {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A failed or timed-out test must not leave a server running.
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 50_000);
      child.stdout.on('data', () => {
        const match = /running at (http:\/\/[^\s]+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);

    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output).toContain('SIGTERM received');
    if (env.CENTRALINO_DATA) expect(existsSync(join(env.CENTRALINO_DATA, 'centralino.lock'))).toBe(false);
  }, 60_000);
});
