// What the import tests of commitments, gifts, consents, do-not-call lists and
// register answers share: a database with two organizations, supporters
// imported the way an organization does it (a supporters file with its donor
// codes), real files on disk, and the import run as the CLI runs it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testSecrets } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../db/database.ts';
import type { ImportKind } from '../../db/schema.ts';
import { createOrganization } from '../organizations/organizations.service.ts';
import { type ImportOptions, runImport } from './import.service.ts';

export type ImportWorld = {
  db: Database;
  alpha: string;
  beta: string;
  dir: string;
  /** Writes a file (a string is written as UTF-8) and returns its path. */
  file(content: string | Buffer, name?: string): string;
  importInto(
    orgId: string,
    kind: ImportKind,
    path: string,
    options?: Partial<ImportOptions>,
  ): ReturnType<typeof runImport>;
  close(): Promise<void>;
};

export async function createImportWorld(): Promise<ImportWorld> {
  const db = await openTestDatabase();
  const alpha = (await createOrganization({ db, principal: null, slug: 'alpha', name: 'Alpha' })).id;
  const beta = (await createOrganization({ db, principal: null, slug: 'beta', name: 'Beta' })).id;
  const dir = mkdtempSync(join(tmpdir(), 'centralino-import-kinds-'));
  let count = 0;
  const world: ImportWorld = {
    db,
    alpha,
    beta,
    dir,
    file(content, name) {
      const path = join(dir, name ?? `file-${++count}.csv`);
      writeFileSync(path, content);
      return path;
    },
    importInto: (orgId, kind, path, options = {}) =>
      runImport({ db, secrets: testSecrets, orgId, kind, path, actor: 'test', ...options }),
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Imports supporters with the given donor codes (external ids of the "import" system) into an organization. */
export async function seedSupporters(
  world: ImportWorld,
  orgId: string,
  codes: readonly string[],
): Promise<void> {
  const lines = [
    'Codice donatore;Nome;Cognome',
    ...codes.map((code, i) => `${code};Nome${i};Cognome${code}`),
  ];
  const summary = await world.importInto(orgId, 'supporters', world.file(`${lines.join('\r\n')}\r\n`));
  if (summary.created !== codes.length) throw new Error(`seeding supporters: ${JSON.stringify(summary)}`);
}

/** A supporter's id from its donor code. */
export async function supporterIdOf(world: ImportWorld, orgId: string, code: string): Promise<string> {
  const row = await world.db.readForOrg(orgId, (tx) =>
    tx
      .selectFrom('supporter_external_ids')
      .select('supporter_id')
      .where('system', '=', 'import')
      .where('external_id', '=', code)
      .executeTakeFirstOrThrow(),
  );
  return row.supporter_id;
}
