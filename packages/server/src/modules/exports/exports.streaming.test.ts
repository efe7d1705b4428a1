// A large export is streamed, never built in memory: over real HTTP the answer
// is chunked (no Content-Length: its size was never known) and arrives in many
// pieces; and when the reader stops reading, the export stops fetching pages
// (backpressure reaches the database reads).
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  createTestApp,
  seedPeople,
  signIn,
  type TestApp,
  testSecrets,
} from '../../../test/test-app.ts';
import { startExport } from './exports.service.ts';

const SUPPORTERS = 20_000;
let t: TestApp;
let alpha: string;
let headers: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  alpha = (await seedPeople(t.db)).alpha.id;
  headers = asUser(await signIn(t.app, 'admin@example.test'));
  await t.db.forOrg(alpha, async (tx) => {
    await sql`insert into supporters (org_id, first_name, last_name, birth_date, tags)
              select ${alpha}::uuid, 'Nome ' || g, 'Cognome ' || lpad(g::text, 5, '0'),
                     date '1950-01-01' + g, array['bulk']
              from generate_series(1, ${SUPPORTERS}) g`.execute(tx);
    await sql`insert into supporter_phones (org_id, supporter_id, number, kind, valid, is_primary)
              select org_id, id, '+39347' || lpad((row_number() over (order by id))::text, 7, '0'), 'mobile', true, true
              from supporters`.execute(tx);
    await sql`analyze supporters, supporter_phones`.execute(tx);
  });
}, 120_000);
afterAll(() => t.close());

describe('a large export', () => {
  for (const format of ['csv', 'xlsx'] as const) {
    it(`streams ${SUPPORTERS} supporters as ${format} over HTTP in chunks`, async () => {
      if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as AddressInfo;
      const result = await new Promise<{ headers: Record<string, unknown>; chunks: number; bytes: Buffer }>(
        (resolve, reject) => {
          const call = request(
            {
              host: '127.0.0.1',
              port,
              path: `/api/organizations/${alpha}/exports/supporters?format=${format}&lang=en`,
              headers,
            },
            (response) => {
              const parts: Buffer[] = [];
              response.on('data', (part: Buffer) => parts.push(part));
              response.on('end', () =>
                resolve({ headers: response.headers, chunks: parts.length, bytes: Buffer.concat(parts) }),
              );
              response.on('error', reject);
            },
          );
          call.on('error', reject);
          call.end();
        },
      );
      expect(result.headers['transfer-encoding']).toBe('chunked');
      expect(result.headers['content-length']).toBeUndefined();
      expect(result.chunks).toBeGreaterThan(10);
      if (format === 'csv') {
        const lines = result.bytes.toString('utf8').trimEnd().split('\r\n');
        expect(lines).toHaveLength(SUPPORTERS + 1);
        expect(lines[1]).toMatch(/^,Nome 1,Cognome 00001,1950-01-02,,'\+39347\d{7},/);
      } else {
        expect(result.bytes.subarray(0, 2).toString()).toBe('PK');
      }
    }, 120_000);
  }

  it('stops reading the database while the reader does not read (memory bounded by a page)', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let bytes = 0;
    // A reader that takes the first chunk, then nothing until released.
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > 100_000) gate.then(() => done());
        else done();
      },
    });
    const pages: number[] = [];
    const prepared = await startExport({
      db: t.db,
      secrets: testSecrets,
      orgId: alpha,
      actor: 'cli',
      list: 'supporters',
      filters: {},
      format: 'csv',
      lang: 'en',
      pageSize: 1_000,
      onPage: (rows) => pages.push(rows),
    });
    const done = prepared.write(slow);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // At most the page being written is in flight: 1,000 of 20,000 rows read.
    expect(pages.length).toBeLessThanOrEqual(1);
    expect(bytes).toBeLessThan(300_000);
    release();
    expect(await done).toEqual({ rows: SUPPORTERS });
    expect(pages).toHaveLength(SUPPORTERS / 1_000);
  }, 60_000);
});
