// The real process killed with SIGKILL while the demo's live center is busy:
// the next start closes every contact left open with a recorded cause, once,
// nothing is counted twice, and operators start logged out (issue 6,
// "Recovery"). Runs `centralino start --demo` on PGlite or PostgreSQL.
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createCliDatabaseEnv, testDatabaseUrl } from '../../test/test-database.ts';
import { openDatabase } from '../db/database.ts';
import { DEMO_PASSWORD } from '../demo/seed.ts';

const bin = new URL('../../bin/centralino.js', import.meta.url).pathname;
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ env, cleanup } = await createCliDatabaseEnv());
});
afterAll(() => cleanup());

/** Starts the server on the demo, live at 30×; resolves once it serves. */
async function start() {
  const child = spawn(process.execPath, [bin, 'start', '--demo', '--port', '0'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn', CENTRALINO_LIVE_SPEED: '30' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 150_000);
    child.stdout.on('data', () => {
      if (/running at http/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

/** The database the server used, opened once it has stopped (PGlite allows one process). */
async function inspect<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = testDatabaseUrl
    ? await openDatabase({ databaseUrl: env.DATABASE_URL!, migrate: false, poolSize: 1 })
    : await openDatabase({ dataDir: env.CENTRALINO_DATA! });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Polls the running server's live operators (as the demo supervisor) until some are busy, then waits 2 s more. */
async function untilOperatorsOnCalls(output: string) {
  const base = /running at (http:\/\/\S+)/.exec(output)?.[1]?.replace(/\/$/, '');
  if (!base) throw new Error(`no URL in: ${output}`);
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'supervisor@centralino.demo', password: DEMO_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const deadline = Date.now() + 90_000;
  for (;;) {
    const response = await fetch(`${base}/api/live/operators`, { headers: { cookie } });
    const { items } = (await response.json()) as { items: { state: string }[] };
    if (items.filter((o) => o.state === 'busy').length >= 3) break;
    if (Date.now() > deadline) throw new Error('no operator on a call after 90 s of demo traffic');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
}

const testStartedAt = new Date();

const state = (db: Awaited<ReturnType<typeof openDatabase>>) =>
  db.asCenter(async (tx) => ({
    open: (await tx.selectFrom('interactions').select('id').where('end_cause', 'is', null).execute()).map(
      (r) => r.id,
    ),
    // The live center's closes: the demo's history (demo/history-demo.ts, weeks before today) is
    // stored closed, the past, with no interaction.completed event.
    closed: Number(
      (
        await tx
          .selectFrom('interactions')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('end_cause', 'is not', null)
          .where('created_at', '>=', testStartedAt)
          .executeTakeFirstOrThrow()
      ).n,
    ),
    openIntervals: Number(
      (
        await tx
          .selectFrom('agent_state_intervals')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('ended_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    ),
    // interaction.completed events per interaction: never more than one.
    completedTwice: (
      await sql<{ id: string }>`
        select payload->>'interactionId' as id from outbox_events where type = 'interaction.completed'
        group by 1 having count(*) > 1`.execute(tx)
    ).rows,
    completed: Number(
      (
        await sql<{
          n: string;
        }>`select count(*) as n from outbox_events where type = 'interaction.completed'`.execute(tx)
      ).rows[0]!.n,
    ),
  }));

describe('SIGKILL during live traffic', () => {
  it('the next start closes what was left open, once, and counts nothing twice', async () => {
    const first = await start();
    // The demo's traffic at 30×, until operators are on calls (a fixed wait was too short
    // on a loaded CI machine: nobody was on a call yet when the process died).
    await untilOperatorsOnCalls(first.output());
    first.child.kill('SIGKILL');
    await first.exited;

    const killed = await inspect(state);
    // Calls were in progress when the process died (20 simulated operators, the demo's traffic).
    expect(killed.open.length).toBeGreaterThan(0);
    expect(killed.completedTwice).toEqual([]);
    expect(killed.completed).toBe(killed.closed);

    const second = await start();
    // Live for a moment, then a normal stop.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toEqual({ code: 0, signal: null });
    expect(second.output()).toContain('recovered work left open');

    const after = await inspect(async (db) => ({
      ...(await state(db)),
      causes: await db.asCenter((tx) =>
        killed.open.length === 0
          ? Promise.resolve([])
          : tx
              .selectFrom('interactions')
              .select(['end_cause', 'ended_at'])
              .where('id', 'in', killed.open)
              .execute(),
      ),
    }));
    // Every contact the kill left open is closed by the restart's recovery, with its cause.
    expect(after.causes).toHaveLength(killed.open.length);
    for (const row of after.causes) {
      expect(row.end_cause).toBe('system_restart');
      expect(row.ended_at).not.toBeNull();
    }
    // One completed event per closed interaction, none twice.
    expect(after.completedTwice).toEqual([]);
    expect(after.completed).toBe(after.closed);
  }, 300_000);
});
