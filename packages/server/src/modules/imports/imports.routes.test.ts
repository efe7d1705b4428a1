// Imports over HTTP: upload, poll the job, read the report; presets; access.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  createTestApp,
  type Session,
  seedPeople,
  signIn,
  type TestApp,
} from '../../../test/test-app.ts';

let t: TestApp;
let alpha: string;
let beta: string;
let admin: Session;
let viewer: Session;

beforeAll(async () => {
  t = await createTestApp();
  const orgs = await seedPeople(t.db);
  alpha = orgs.alpha.id;
  beta = orgs.beta.id;
  admin = await signIn(t.app, 'admin@example.test');
  viewer = await signIn(t.app, 'client_viewer@example.test');
});
afterAll(() => t.close());

const CSV = 'Codice;Nome;Cognome;E-mail\nA1;Anna;Neri;anna@example.it\nA2;Bruno;Gialli;bruno@@example\n';

async function upload(orgId: string, body: string, query = '', session = admin) {
  return t.app.inject({
    method: 'POST',
    url: `/api/organizations/${orgId}/imports/supporters${query}`,
    headers: { ...asUser(session), 'content-type': 'text/csv' },
    payload: body,
  });
}

async function waitForJob(orgId: string, jobId: string) {
  for (let i = 0; i < 200; i++) {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${orgId}/imports/${jobId}`,
      headers: asUser(admin),
    });
    const job = response.json();
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('import did not finish');
}

describe('imports API', () => {
  it('accepts a file, runs it as a job and reports the rejected rows', async () => {
    const response = await upload(alpha, CSV, '?fileName=donatori.csv');
    expect(response.statusCode).toBe(202);
    const job = await waitForJob(alpha, response.json().id);
    expect(job).toMatchObject({
      fileName: 'donatori.csv',
      fileSha256: createHash('sha256').update(CSV).digest('hex'),
      status: 'completed',
      read: 2,
      created: 1,
      rejected: 1,
      errors: [
        { line: 3, column: 'E-mail', value: 'bruno@@example', reason: expect.stringMatching(/e-mail/) },
      ],
    });
    const report = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alpha}/imports/${job.id}/report.csv`,
      headers: asUser(viewer),
    });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.body).toBe(
      `\uFEFFline,column,value,reason\r\n3,E-mail,bruno@@example,${job.errors[0].reason}\r\n`,
    );

    const list = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alpha}/imports`,
      headers: asUser(viewer),
    });
    expect(list.json().items.map((j: { id: string }) => j.id)).toContain(job.id);
  });

  it('answers 400 at once for an empty file or a wrong mapping, and records the failed job', async () => {
    const empty = await upload(alpha, '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toMatch(/empty/i);
    const wrong = await upload(
      alpha,
      CSV,
      `?mapping=${encodeURIComponent(JSON.stringify({ Nome: 'nickname' }))}`,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('IMPORT_MAPPING_INVALID');
    const notJson = await upload(alpha, CSV, '?mapping=%7Bnope');
    expect(notJson.statusCode).toBe(400);
  });

  it('saves a mapping preset and imports with it; a dry run changes nothing', async () => {
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/organizations/${alpha}/import-presets/supporters/gestionale`,
      headers: asUser(admin),
      payload: { mapping: { Col1: 'first_name', Col2: 'last_name', Col3: null } },
    });
    expect(saved.statusCode).toBe(200);
    const invalid = await t.app.inject({
      method: 'PUT',
      url: `/api/organizations/${alpha}/import-presets/supporters/sbagliato`,
      headers: asUser(admin),
      payload: { mapping: { Col1: 'shoe_size' } },
    });
    expect(invalid.statusCode).toBe(400);
    const dry = await upload(alpha, 'Col1,Col2,Col3\nZeno,Cosini,x\n', '?preset=gestionale&dryRun=true');
    expect(dry.statusCode).toBe(202);
    expect(await waitForJob(alpha, dry.json().id)).toMatchObject({ dryRun: true, created: 1 });
    const real = await upload(alpha, 'Col1,Col2,Col3\nZeno,Cosini,x\n', '?preset=gestionale');
    expect(await waitForJob(alpha, real.json().id)).toMatchObject({ dryRun: false, created: 1 });
    const presets = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alpha}/import-presets`,
      headers: asUser(admin),
    });
    expect(presets.json().items).toEqual([
      {
        kind: 'supporters',
        name: 'gestionale',
        mapping: { Col1: 'first_name', Col2: 'last_name', Col3: null },
      },
    ]);
    const unknownPreset = await upload(alpha, CSV, '?preset=nessuno');
    expect(unknownPreset.statusCode).toBe(404);
  });

  it("does not let a client viewer upload, nor see another organization's jobs", async () => {
    expect((await upload(alpha, CSV, '', viewer)).statusCode).toBe(403);
    const other = await upload(beta, CSV);
    const job = await waitForJob(beta, other.json().id);
    const peek = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${alpha}/imports/${job.id}`,
      headers: asUser(admin),
    });
    expect(peek.statusCode).toBe(404);
  });
});
