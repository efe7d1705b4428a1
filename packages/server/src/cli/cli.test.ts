// The `centralino` command, run in-process against a database of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test/test-cli.ts';
import { createCliDatabaseEnv } from '../../test/test-database.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { createLogger } from '../http/logger.ts';

let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  // Empty: the first command creates and migrates the database.
  ({ env, cleanup } = await createCliDatabaseEnv({ empty: true }));
});
afterAll(() => cleanup());

const cli = (argv: string[], stdin = '') => runCliCaptured(argv, { env, stdin });

describe('centralino CLI', () => {
  it('prints help with exit 0, and exits 2 on wrong usage', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/org create/);
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command "frobnicate"/);
    const badOption = await cli(['org', 'create', '--slug', 'x', '--nme', 'typo']);
    expect(badOption.code).toBe(2);
    expect(badOption.err).toMatch(/--nme/);
    const missing = await cli(['org', 'create', '--slug', 'x']);
    expect(missing).toMatchObject({ code: 2, err: expect.stringMatching(/--name is required/) });
    const commandHelp = await cli(['user', 'create', '--help']);
    expect(commandHelp).toMatchObject({ code: 0, out: expect.stringMatching(/--password-stdin/) });
  });

  it('migrate applies once and is a no-op the second time', async () => {
    const first = await cli(['migrate']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/applied 0001_foundation/);
    const second = await cli(['migrate']);
    expect(second).toMatchObject({ code: 0, out: expect.stringMatching(/up to date/) });
  });

  it('creates organizations, users and API keys that then work through the API', async () => {
    const org = await cli(['org', 'create', '--slug', 'cuori-aperti', '--name', 'Cuori Aperti Onlus']);
    expect(org).toMatchObject({ code: 0, out: expect.stringMatching(/Created organization cuori-aperti/) });
    const duplicate = await cli(['org', 'create', '--slug', 'cuori-aperti', '--name', 'Again']);
    expect(duplicate).toMatchObject({ code: 1, err: expect.stringMatching(/already in use/) });

    const noStdin = await cli(['user', 'create', '--email', 'ada@example.org', '--role', 'supervisor']);
    expect(noStdin.code).toBe(2);
    const badRole = await cli(
      ['user', 'create', '--email', 'ada@example.org', '--role', 'boss', '--password-stdin'],
      'x',
    );
    expect(badRole.code).toBe(2);
    const weak = await cli(
      ['user', 'create', '--email', 'ada@example.org', '--role', 'admin', '--password-stdin'],
      'short\n',
    );
    expect(weak).toMatchObject({ code: 1, err: expect.stringMatching(/at least 10 characters/) });
    const user = await cli(
      [
        'user',
        'create',
        '--email',
        'Ada@Example.org',
        '--role',
        'supervisor',
        '--org',
        'cuori-aperti',
        '--password-stdin',
      ],
      'a sufficiently long password\n',
    );
    expect(user).toMatchObject({
      code: 0,
      out: expect.stringMatching(/Created user ada@example.org \(supervisor\)/),
    });
    const unknownOrg = await cli(['apikey', 'create', '--org', 'nope', '--name', 'x']);
    expect(unknownOrg).toMatchObject({
      code: 1,
      err: expect.stringMatching(/no organization with slug "nope"/),
    });
    const key = await cli(['apikey', 'create', '--org', 'cuori-aperti', '--name', 'CRM nightly sync']);
    expect(key.code).toBe(0);
    const apiKey = key.out.split('\n').at(-1)!;
    expect(apiKey).toMatch(/^cntr_/);

    const config = { ...loadConfig(env), loginRateLimitPerMinute: 1000 };
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const app = await buildApp({ db, config, logger: createLogger({ level: 'silent' }) });
    try {
      const viaKey = await app.inject({
        method: 'GET',
        url: '/api/auth/session',
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(viaKey.json()).toMatchObject({ kind: 'api_key', role: 'integration', name: 'CRM nightly sync' });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'ada@example.org', password: 'a sufficiently long password' },
      });
      expect(login.statusCode).toBe(200);
      expect(login.json().organizationIds).toEqual([viaKey.json().organizationIds[0]]);

      if (db.kind === 'pglite') {
        // The running database holds the data folder: a second process must not open it.
        const locked = await cli(['migrate']);
        expect(locked).toMatchObject({
          code: 1,
          err: expect.stringMatching(/in use by a running Centralino/),
        });
      }
    } finally {
      await app.close();
      await db.close();
    }
  });
});
