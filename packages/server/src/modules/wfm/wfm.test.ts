// Workforce planning through the API and the CLI, on the shipped examples.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, createTestApp, seedPeople, signIn, type TestApp } from '../../../test/test-app.ts';
import { runCliCaptured } from '../../../test/test-cli.ts';

const examples = new URL('../../../../../examples/', import.meta.url);
const example = (name: string) => new URL(name, examples).pathname;

let t: TestApp;
let planner: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  await seedPeople(t.db);
  planner = asUser(await signIn(t.app, 'planner@example.test'));
});
afterAll(() => t.close());

const cli = (argv: string[]) => runCliCaptured(argv);

/** A planner's POST to the planning API. */
const post = (url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: planner, payload: payload as object });

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'centralino-'));
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../../../../shared/testdata/erlang-vectors.json', import.meta.url), 'utf8'),
);

describe('Erlang calculators', () => {
  it('POST /api/wfm/erlang finds the agents for a service level, with shrinkage (shared test vectors)', async () => {
    // Source: ../shared/testdata/erlang-vectors.json, erlangC[1] (pyworkforce tests; CRAN ErlangC README).
    const vector = vectors.erlangC[1];
    const response = await post('/api/wfm/erlang', {
      model: 'c',
      calls: vector.calls,
      intervalSeconds: vector.intervalSeconds,
      ahtSeconds: vector.ahtSeconds,
      thresholdSeconds: vector.thresholdSeconds,
      targetServiceLevel: vector.targetServiceLevel,
      shrinkage: vector.withShrinkage.shrinkage,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      agents: vector.expectRequiredAgents,
      scheduledAgents: vector.withShrinkage.expectScheduledAgents,
    });
  });

  it('POST /api/wfm/erlang evaluates Erlang A for given agents (shared test vectors)', async () => {
    // Source: erlang-vectors.json erlangA[0] (exact birth-death chain; Mandelbaum-Zeltyn closed form).
    const vector = vectors.erlangA[0];
    const response = await post('/api/wfm/erlang', {
      model: 'a',
      calls: vector.calls,
      intervalSeconds: vector.intervalSeconds,
      ahtSeconds: vector.ahtSeconds,
      patienceSeconds: vector.patienceSeconds,
      agents: vector.agents,
      thresholdSeconds: vector.thresholdSeconds,
    });
    const body = response.json();
    expect(body.probabilityOfAbandon).toBeCloseTo(vector.expect.probabilityOfAbandon, 5);
    expect(body.serviceLevel).toBeCloseTo(vector.expect.serviceLevel, 5);
  });

  it('answers impossible input with the failing field', async () => {
    const missing = await post('/api/wfm/erlang', {
      model: 'a',
      calls: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      agents: 14,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('patienceSeconds');
    const engine = await post('/api/wfm/erlang', { model: 'c', calls: 100, ahtSeconds: 180, agents: 14 });
    expect(engine.statusCode).toBe(400);
    expect(engine.json().code).toBe('WFM_INVALID_INPUT');
    expect(engine.json().errors[0].field).toMatch(/intervalSeconds/);
  });

  it('POST /api/wfm/staffing staffs every interval of a forecast', async () => {
    const response = await post('/api/wfm/staffing', {
      intervalSeconds: 1800,
      targetServiceLevel: 0.8,
      intervals: [
        { calls: 100, ahtSeconds: 180 },
        { calls: 0, ahtSeconds: 180 },
      ],
    });
    expect(response.statusCode).toBe(200);
    // 100 calls in 30 min at 180 s AHT need 14 agents for 80/20 (erlang-vectors.json erlangC[1]).
    expect(response.json().requiredAgents).toEqual([14, 0]);
  });

  it('centralino erlang prints the same figures, and names bad input', async () => {
    const found = await cli([
      'erlang',
      'c',
      '--calls',
      '100',
      '--interval-seconds',
      '1800',
      '--aht-seconds',
      '180',
      '--target-sl',
      '0.8',
      '--shrinkage',
      '0.3',
    ]);
    expect(found.code).toBe(0);
    expect(found.out).toMatch(/^agents\s+14$/m);
    expect(found.out).toMatch(/^scheduledAgents\s+20$/m);
    const json = await cli(['erlang', 'b', '--traffic-erlangs', '10', '--max-blocking', '0.02', '--json']);
    // Source: erlang-vectors.json erlangB[0]: 10 Erlangs at 2 % blocking need 17 lines.
    expect(JSON.parse(json.out).lines).toBe(17);
    const negative = await cli([
      'erlang',
      'c',
      '--calls=-5',
      '--interval-seconds',
      '1800',
      '--aht-seconds',
      '180',
      '--agents',
      '3',
    ]);
    expect(negative.code).toBe(1);
    expect(negative.err).toMatch(/calls/);
    const usage = await cli([
      'erlang',
      'a',
      '--calls',
      '100',
      '--interval-seconds',
      '1800',
      '--aht-seconds',
      '180',
      '--agents',
      '3',
    ]);
    expect(usage).toMatchObject({ code: 1, err: expect.stringMatching(/patienceSeconds/) });
  });
});

describe('forecasting and dimensioning', () => {
  it('POST /api/wfm/forecast forecasts the shipped history and names the chosen method', async () => {
    const { parseForecastHistoryCsv } = await import('@centralino/engine');
    const { history } = parseForecastHistoryCsv(readFileSync(example('forecast-history.csv'), 'utf8'));
    const response = await post('/api/wfm/forecast', { history, horizonDays: 2 });
    expect(response.statusCode).toBe(200);
    const [queue] = response.json().queues;
    expect(['seasonal_naive', 'weighted_average', 'holt_winters']).toContain(queue.method);
    expect(queue.intervals).toHaveLength(2 * 96);
    expect(queue.wape).toBeGreaterThan(0);
  });

  it('POST /api/wfm/dimension dimensions the shipped plan; a bad plan names its field', async () => {
    const plan = JSON.parse(readFileSync(example('dimension-plan.json'), 'utf8'));
    const response = await post('/api/wfm/dimension', plan);
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result.total).toHaveLength(plan.months);
    expect(result.total[0].operators).toBeGreaterThan(0);
    const bad = await post('/api/wfm/dimension', { ...plan, months: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.months');
  });

  it('centralino forecast skips bad rows with their line and writes the forecast; dimension prints per month', async () => {
    const dir = tempDir();
    const lines = readFileSync(example('forecast-history.csv'), 'utf8').split('\n');
    lines[5] = 'not-a-date,12,180';
    writeFileSync(join(dir, 'history.csv'), lines.join('\n'));
    const result = await cli([
      'forecast',
      '--history',
      join(dir, 'history.csv'),
      '--horizon-days',
      '1',
      '--out',
      join(dir, 'f.csv'),
    ]);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/line 6/);
    const written = readFileSync(join(dir, 'f.csv'), 'utf8').trim().split('\n');
    expect(written[0]).toBe('interval_start,offered,aht_seconds,queue');
    expect(written.length).toBe(1 + 96);

    const dimension = await cli(['dimension', '--plan', example('dimension-plan.json')]);
    expect(dimension.code).toBe(0);
    expect(dimension.out).toMatch(/All organizations/);
    expect(dimension.out).toMatch(/operators/);
  });
});

describe('simulation', () => {
  it('POST /api/wfm/simulate runs the shipped scenario; the CLI gives the same figures for the same seed', async () => {
    const scenario = JSON.parse(readFileSync(example('simulate-scenario.json'), 'utf8'));
    const response = await post('/api/wfm/simulate', { scenario, replications: 3, seed: 7 });
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result.replications).toBe(3);
    const serviceLevel = result.center.totals.serviceLevel.value;
    expect(serviceLevel).toBeGreaterThan(0);
    expect(serviceLevel).toBeLessThanOrEqual(1);

    const viaCli = await cli([
      'simulate',
      '--scenario',
      example('simulate-scenario.json'),
      '--replications',
      '3',
      '--seed',
      '7',
      '--json',
    ]);
    expect(viaCli.code).toBe(0);
    expect(JSON.parse(viaCli.out).center.totals.serviceLevel.value).toBe(serviceLevel);
  });

  it('names the failing field of a bad scenario', async () => {
    const scenario = JSON.parse(readFileSync(example('simulate-scenario.json'), 'utf8'));
    scenario.queues[0].callsPerInterval = -3;
    const response = await post('/api/wfm/simulate', { scenario, replications: 2 });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('SIMULATION_INVALID_INPUT');
    expect(response.json().errors[0].field).toMatch(/^body\.scenario\.queues\[0\]\.callsPerInterval/);
  });
});

describe('shift scheduling', () => {
  it('POST /api/wfm/schedule covers every interval at least cost and reports the LP bound', async () => {
    // Two 30-minute intervals needing 1 then 2 agents; a one-hour shift costs 10 €
    // and a 30-minute shift 6 €: the optimum is one hour-long shift from 08:00 plus
    // one half-hour shift at 08:30 (16 €), whose LP relaxation is also 16 €.
    const response = await post('/api/wfm/schedule', {
      requirements: { start: '2025-03-03T08:00:00Z', intervalMinutes: 30, requiredAgents: [1, 2] },
      templates: [
        { id: 'hour', lengthMinutes: 60, startTimes: ['08:00'], costCents: 1000 },
        {
          id: 'half',
          lengthMinutes: 30,
          startWindow: { earliest: '08:00', latest: '08:30' },
          costCents: 600,
        },
      ],
    });
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result).toMatchObject({ status: 'optimal', objectiveCents: 1600, lpBoundCents: 1600 });
    expect(result.coverage.map((c: { under: number }) => c.under)).toEqual([0, 0]);
  });

  it('answers invalid templates with the failing field', async () => {
    const response = await post('/api/wfm/schedule', {
      requirements: { start: '2025-03-03T08:00:00Z', intervalMinutes: 30, requiredAgents: [1] },
      templates: [{ id: 'bad', lengthMinutes: -60, startTimes: ['08:00'], costCents: 1000 }],
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('SCHEDULE_INVALID_INPUT');
    expect(body.errors[0].field).toMatch(/^body\.templates\[0\]\.lengthMinutes/);
  });

  it('centralino schedule solves the shipped example and reports bad CSV rows by line', async () => {
    const ok = await cli([
      'schedule',
      '--requirements',
      example('schedule-requirements.csv'),
      '--shifts',
      example('schedule-shifts.json'),
      '--json',
    ]);
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.out);
    expect(result.totals.underAgentIntervals).toBe(0);
    expect(result.gapPercent).toBeLessThanOrEqual(1);

    const csv = readFileSync(example('schedule-requirements.csv'), 'utf8').split('\n');
    csv[3] = '2025-03-03T00:30:00Z,many';
    const badFile = join(tempDir(), 'bad.csv');
    writeFileSync(badFile, csv.join('\n'));
    const bad = await cli([
      'schedule',
      '--requirements',
      badFile,
      '--shifts',
      example('schedule-shifts.json'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/line 4/);
    const missing = await cli(['schedule', '--requirements', '/nonexistent.csv', '--shifts', 'x.json']);
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/file not found/) });
  });
});
