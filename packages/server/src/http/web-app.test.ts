import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../test/test-app.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createLogger } from './logger.ts';

let db: Database;
let dir: string;
const apps: FastifyInstance[] = [];

async function appWith(webDistDir: string) {
  const logger = createLogger({ level: 'silent', stream: { write: () => undefined } });
  const app = await buildApp({ db, config: loadConfig({}), logger, secrets: testSecrets, webDistDir });
  await app.ready();
  apps.push(app);
  return app;
}

beforeAll(async () => {
  db = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'centralino-web-'));
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the web app on the API origin', () => {
  it('serves index.html at / and at any page path, never cached', async () => {
    const app = await appWith(join(dir, 'dist'));
    for (const url of ['/', '/planner', '/planner/erlang?x=1']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('id="root"');
    }
  });

  it('serves hashed assets cached for a year, and a missing one as 404', async () => {
    const app = await appWith(join(dir, 'dist'));
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    expect((await app.inject({ method: 'GET', url: '/assets/gone.js' })).statusCode).toBe(404);
  });

  it('keeps unknown API paths a problem+json 404, not the app', async () => {
    const app = await appWith(join(dir, 'dist'));
    const response = await app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404 });
  });

  it('without a build, / leads to the API documentation', async () => {
    const app = await appWith(join(dir, 'missing'));
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/api/docs');
  });
});
