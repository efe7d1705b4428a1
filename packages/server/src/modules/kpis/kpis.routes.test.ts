// The KPI API: a CDR file uploaded through the imports API, then the report,
// the drill-down and the counting settings over HTTP, with their roles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  createTestApp,
  type Session,
  seedPeople,
  signIn,
  type TestApp,
} from '../../../test/test-app.ts';

const FIXTURE = readFileSync(join(import.meta.dirname, '../../../test/fixtures/cdr-small.csv'), 'utf8');
const PERIOD = `from=${encodeURIComponent('2026-03-28T00:00:00+01:00')}&to=${encodeURIComponent('2026-03-30T00:00:00+02:00')}`;

let t: TestApp;
let alpha: string;
let beta: string;
let admin: Session;
let viewer: Session;
let operator: Session;

beforeAll(async () => {
  t = await createTestApp();
  const orgs = await seedPeople(t.db);
  alpha = orgs.alpha.id;
  beta = orgs.beta.id;
  admin = await signIn(t.app, 'admin@example.test');
  viewer = await signIn(t.app, 'client_viewer@example.test');
  operator = await signIn(t.app, 'operator@example.test');
  // The supporters the CDR names (D001, D002), as a supporters import brings them.
  const supporters = await t.app.inject({
    method: 'POST',
    url: `/api/organizations/${alpha}/imports/supporters`,
    headers: { ...asUser(admin), 'content-type': 'text/csv' },
    payload: 'Codice donatore;Nome;Cognome\nD001;Anna;Neri\nD002;Bruno;Gialli\n',
  });
  await waitForJob(supporters.json().id);
  const cdr = await t.app.inject({
    method: 'POST',
    url: `/api/organizations/${alpha}/imports/interactions?fileName=cdr.csv`,
    headers: { ...asUser(admin), 'content-type': 'text/csv' },
    payload: FIXTURE,
  });
  expect(cdr.statusCode).toBe(202);
  expect(await waitForJob(cdr.json().id)).toMatchObject({ status: 'completed', created: 11, rejected: 4 });
});
afterAll(() => t.close());

async function waitForJob(jobId: string) {
  for (let i = 0; i < 400; i++) {
    const job = (
      await t.app.inject({
        method: 'GET',
        url: `/api/organizations/${alpha}/imports/${jobId}`,
        headers: asUser(admin),
      })
    ).json();
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('import did not finish');
}

const get = (url: string, session: Session) => t.app.inject({ method: 'GET', url, headers: asUser(session) });

describe('KPI API', () => {
  it('reports figures per day with their definitions to the client viewer', async () => {
    const response = await get(`/api/organizations/${alpha}/kpis?${PERIOD}&group=day&queue=care`, viewer);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.groups.map((g: { label: string }) => g.label)).toEqual(['2026-03-28', '2026-03-29']);
    // Hand-computed in kpis.import.test.ts: (2 + 1) / (4 + 2) and (2 + 1) / (3 + 1).
    expect(body.groups[0].figures.service_level).toMatchObject({
      value: 0.5,
      numerator: 3,
      denominator: 6,
      definition: { formula: '(A≤T + Ab≤T) / (A + Ab)', parameters: { thresholdSeconds: 20 } },
    });
    expect(body.groups[1].figures.service_level.value).toBe(0.75);
    // The queue filter leaves the outbound attempt out: conversion is absent, with its reason.
    expect(body.total.conversion_rate.value).toBeNull();
    expect(body.total.conversion_rate.reason).toEqual(expect.any(String));
  });

  it('drills down with cursor pagination', async () => {
    const url = `/api/organizations/${alpha}/kpis/abandoned/interactions?${PERIOD}&limit=1`;
    const first = (await get(url, admin)).json();
    expect(first.figure.value).toBe(3); // c04, c05, c09
    expect(first.items.map((i: { externalId: string }) => i.externalId)).toEqual(['c04']);
    const second = (await get(`${url}&cursor=${first.nextCursor}`, admin)).json();
    expect(second.items[0]).toMatchObject({ externalId: 'c05', waitSeconds: 30, inNumerator: true });
    expect((await get(`${url}&cursor=nonsense`, admin)).statusCode).toBe(400);
    expect(
      (await get(`/api/organizations/${alpha}/kpis/nothing/interactions?${PERIOD}`, admin)).statusCode,
    ).toBe(404);
  });

  it('refuses operators, other organizations and periods off the 15-minute grid', async () => {
    expect((await get(`/api/organizations/${alpha}/kpis?${PERIOD}`, operator)).statusCode).toBe(403);
    expect((await get(`/api/organizations/${beta}/kpis?${PERIOD}`, viewer)).statusCode).toBe(404);
    const offGrid = await get(
      `/api/organizations/${alpha}/kpis?from=${encodeURIComponent('2026-03-28T00:07:00+01:00')}&to=${encodeURIComponent('2026-03-29T00:00:00+01:00')}`,
      admin,
    );
    expect(offGrid.statusCode).toBe(400);
    expect(offGrid.json().code).toBe('KPI_PERIOD_INVALID');
    const noOffset = await get(
      `/api/organizations/${alpha}/kpis?from=2026-03-28T00:00:00&to=2026-03-29T00:00:00`,
      admin,
    );
    expect(noOffset.statusCode).toBe(400);
  });

  it('a new T rebuilds the rollups; bad settings are refused field by field', async () => {
    const put = (payload: object) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/organizations/${alpha}/kpi-settings`,
        headers: asUser(admin),
        payload,
      });
    const bad = await put({ serviceLevelThresholdSeconds: -1, fcrWindow: 'forever' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['fcrWindow', 'serviceLevelThresholdSeconds']);
    const ok = await put({ serviceLevelThresholdSeconds: 30 });
    expect(ok.json()).toMatchObject({ serviceLevelThresholdSeconds: 30, shortAbandonSeconds: 5 });
    const day = (await get(`/api/organizations/${alpha}/kpis?${PERIOD}&group=day`, admin)).json();
    // T = 30 s: Saturday c01, c02 answered and c04, c05 (exactly 30 s) abandoned within T → 4 / 6.
    expect(day.groups[0].figures.service_level.numerator).toBe(4);
    expect(day.groups[0].figures.service_level.definition.parameters.thresholdSeconds).toBe(30);
    // A viewer reads the settings but cannot change them.
    expect(
      (await get(`/api/organizations/${alpha}/kpi-settings`, viewer)).json().serviceLevelThresholdSeconds,
    ).toBe(30);
    const refused = await t.app.inject({
      method: 'PUT',
      url: `/api/organizations/${alpha}/kpi-settings`,
      headers: asUser(viewer),
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
  });
});
