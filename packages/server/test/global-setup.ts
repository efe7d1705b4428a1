// Runs once per `vitest run`. On PGlite, creating and migrating a database
// costs seconds (initdb in WebAssembly), so it is done once here and dumped;
// every test file then starts from a copy of that dump.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { TestProject } from 'vitest/node';
import { PGLITE_EXTENSIONS } from '../src/db/database.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { createPGliteDialect } from '../src/db/pglite-dialect.ts';
import type { DB } from '../src/db/schema.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.CENTRALINO_TEST_DATABASE_URL) {
    project.provide('pgliteTemplate', '');
    return;
  }
  const pglite = await PGlite.create('memory://', { extensions: PGLITE_EXTENSIONS });
  const kysely = new Kysely<DB>({ dialect: createPGliteDialect(pglite) });
  await runMigrations(kysely);
  const dump = await pglite.dumpDataDir('none');
  const path = join(tmpdir(), `centralino-test-template-${process.pid}.tar`);
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  await kysely.destroy();
  project.provide('pgliteTemplate', path);
  // 44 MB per run: not left behind in the temporary folder.
  return () => rmSync(path, { force: true });
}
