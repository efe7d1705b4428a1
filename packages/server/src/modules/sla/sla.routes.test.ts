// The SLA API: contracts validated by engine/sla, versions that never rewrite a
// closed month, and the evaluation of November 2026 on the hand-built calls of
// sla.test-support.ts, every number worked out by hand beside it (DOMAIN.md §3, §8).
import { existsSync } from 'node:fs';
import { localMonthOf } from '@centralino/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  createTestApp,
  type Session,
  seedPeople,
  signIn,
  type TestApp,
} from '../../../test/test-app.ts';
import { createOrganization } from '../organizations/organizations.service.ts';
import { NOVEMBER_CONTRACT, seedNovember } from './sla.test-support.ts';

let t: TestApp;
let alpha: string;
let beta: string;
let admin: Session;
let supervisor: Session;
let planner: Session;
let viewer: Session;
let operator: Session;
let contractId: string;

// 12,000.00 € invoice: at risk 10 % = 1,200 €.
const INVOICE = 1_200_000;

beforeAll(async () => {
  t = await createTestApp();
  const orgs = await seedPeople(t.db);
  alpha = orgs.alpha.id;
  beta = orgs.beta.id;
  admin = await signIn(t.app, 'admin@example.test');
  supervisor = await signIn(t.app, 'supervisor@example.test');
  planner = await signIn(t.app, 'planner@example.test');
  viewer = await signIn(t.app, 'client_viewer@example.test');
  operator = await signIn(t.app, 'operator@example.test');
  await seedNovember(t.db, alpha);
  await seedNovember(t.db, beta);
});
afterAll(() => t.close());

const get = (url: string, session: Session) => t.app.inject({ method: 'GET', url, headers: asUser(session) });
const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, session: Session, payload?: object) =>
  t.app.inject({ method, url, headers: asUser(session), ...(payload ? { payload } : {}) });

describe('SLA contracts', () => {
  it('refuses an invalid contract naming every failing field', async () => {
    const response = await send('POST', `/api/organizations/${alpha}/sla/contracts`, admin, {
      ...NOVEMBER_CONTRACT,
      metrics: [
        // 60 % + 50 % = 110 % allocated: more than 100 % (DOMAIN.md §8).
        {
          kpi: 'service_level',
          minimum: 0.85,
          target: 0.9,
          window: 'month',
          kind: 'critical',
          allocationPercent: 60,
        },
        {
          kpi: 'abandon_rate',
          minimum: 0.05,
          target: 0.03,
          window: 'month',
          kind: 'critical',
          allocationPercent: 50,
        },
        // Lower is better for handle time: a minimum below the target is backwards.
        { kpi: 'aht', minimum: 100, target: 200, window: 'month', kind: 'key' },
        // A monthly window is one window: no share of windows applies.
        { id: 'x', kpi: 'asa', minimum: 20, target: 15, window: 'month', kind: 'key', requiredShare: 0.9 },
        { kpi: 'happiness', minimum: 1, target: 2, window: 'day', kind: 'key' },
      ],
      bonusRules: [],
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    const body = response.json();
    expect(body.code).toBe('SLA_CONTRACT_INVALID');
    expect(body.detail).toMatch(/Il contratto SLA non è valido/);
    const fields = body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['metrics[2].minimum', 'metrics[3].requiredShare', 'metrics[4].kpi', 'metrics']),
    );
    expect(body.errors.find((e: { field: string }) => e.field === 'metrics').message).toMatch(/110 %/);
  });

  it('creates a contract (admin) and reads it (viewer of the organization), not for operators or other orgs', async () => {
    const created = await send('POST', `/api/organizations/${alpha}/sla/contracts`, admin, NOVEMBER_CONTRACT);
    expect(created.statusCode).toBe(201);
    contractId = created.json().id;
    expect(created.json()).toMatchObject({
      validFrom: '2026-10',
      validTo: null,
      current: { version: 1, effectiveFrom: '2026-10', atRiskPercent: 10 },
    });
    const list = await get(`/api/organizations/${alpha}/sla/contracts`, viewer);
    expect(list.statusCode).toBe(200);
    expect(list.json().map((c: { name: string }) => c.name)).toEqual(['Servizio donatori 2026']);
    expect((await get(`/api/organizations/${alpha}/sla/contracts/${contractId}`, planner)).statusCode).toBe(
      200,
    );
    expect((await get(`/api/organizations/${alpha}/sla/contracts`, operator)).statusCode).toBe(403);
    // The viewer of alpha does not see beta: as if it did not exist.
    expect((await get(`/api/organizations/${beta}/sla/contracts`, viewer)).statusCode).toBe(404);
    expect(
      (await send('POST', `/api/organizations/${alpha}/sla/contracts`, viewer, NOVEMBER_CONTRACT)).statusCode,
    ).toBe(403);
    expect(
      (await send('POST', `/api/organizations/${alpha}/sla/contracts`, planner, NOVEMBER_CONTRACT))
        .statusCode,
    ).toBe(403);
    // A second contract over the same months overlaps.
    const overlap = await send('POST', `/api/organizations/${alpha}/sla/contracts`, supervisor, {
      ...NOVEMBER_CONTRACT,
      name: 'Doppio',
      validFrom: '2026-11',
    });
    expect([overlap.statusCode, overlap.json().code]).toEqual([409, 'SLA_CONTRACT_OVERLAP']);
  });
});

describe('SLA evaluation of November 2026', () => {
  it('per metric value, status, days met and credit; the period total (DOMAIN.md §8)', async () => {
    const response = await get(
      `/api/organizations/${alpha}/sla/evaluation?period=2026-11&invoiceCents=${INVOICE}`,
      viewer,
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.contract).toMatchObject({ id: contractId, version: 1 });
    expect(body.period).toMatchObject({
      month: '2026-11',
      timeZone: 'Europe/Rome',
      from: '2026-10-31T23:00:00.000Z',
    });
    const byId = Object.fromEntries(body.metrics.map((m: { id: string }) => [m.id, m]));
    // SL 18 / 20 = 0.9: at target 0.9 (a value exactly at a level meets it).
    expect(byId.service_level).toMatchObject({ value: 0.9, status: 'at_target', creditCents: 0 });
    expect(byId.service_level.figure).toMatchObject({ numerator: 18, denominator: 20 });
    expect(byId.service_level.definition.figure.formula).toBe('(A≤T + Ab≤T) / (A + Ab)');
    // Abandon rate 2 / 20 = 0.1 > minimum 0.05: below → 12,000 € × 10 % × 20 % = 240 € = 24,000 cents.
    expect(byId.abandon_rate).toMatchObject({
      value: 0.1,
      status: 'below_minimum',
      creditPercent: 2,
      creditCents: 24_000,
    });
    // ASA 10 s ≤ target 15 s.
    expect(byId.asa).toMatchObject({ value: 10, status: 'at_target', creditCents: 0 });
    // Daily SL: 2 Nov 0.8 < 0.85, 3 Nov 1 ≥ 0.9 → 1 of the 2 days with calls met it (of 30 days);
    // every day is required (requiredShare 1) → below minimum, but a key metric costs nothing.
    expect(byId.sl_daily).toMatchObject({ status: 'below_minimum', creditCents: 0 });
    expect(byId.sl_daily.days).toMatchObject({
      windows: 30,
      withData: 2,
      metMinimum: 1,
      metTarget: 1,
      shareMetMinimum: 0.5,
    });
    expect(byId.sl_daily.days.worst).toEqual({ label: '2026-11-02', value: 0.8 });
    // Intervals: 2,880 in November; calls at 10:00–10:09 of two days → 2 intervals with data,
    // 10:00 of 2 Nov at 0.8 misses 0.85.
    expect(byId.service_level.intervals).toMatchObject({ windows: 2880, withData: 2, metMinimum: 1 });
    // Bonus all or nothing: the abandon rate missed its minimum → none.
    expect(body.minimumsMet).toBe(false);
    expect(body.bonuses[0]).toMatchObject({
      id: 'excellence',
      earned: false,
      bonusCents: 0,
      reason: 'minimum not reached: abandon_rate',
    });
    expect([body.creditPercent, body.bonusPercent, body.netPercent]).toEqual([2, 0, -2]);
    expect([body.invoiceCents, body.creditCents, body.bonusCents, body.netCents]).toEqual([
      INVOICE,
      24_000,
      0,
      -24_000,
    ]);
    expect(body.definitions.bonus).toMatch(/all or nothing/);
  });

  it('bonus: every minimum met and every critical metric at target pays; merely meeting a minimum does not', async () => {
    const contract = (slTarget: number) => ({
      ...NOVEMBER_CONTRACT,
      metrics: [
        {
          kpi: 'service_level',
          minimum: 0.85,
          target: slTarget,
          window: 'month',
          kind: 'critical',
          allocationPercent: 40,
        },
        // 0.1 meets a minimum of 0.1 and a target of 0.1 (lower is better).
        {
          kpi: 'abandon_rate',
          minimum: 0.1,
          target: 0.1,
          window: 'month',
          kind: 'critical',
          allocationPercent: 20,
        },
      ],
    });
    const created = await send('POST', `/api/organizations/${beta}/sla/contracts`, admin, contract(0.9));
    expect(created.statusCode).toBe(201);
    const earned = (
      await get(`/api/organizations/${beta}/sla/evaluation?period=2026-11&invoiceCents=${INVOICE}`, admin)
    ).json();
    // 2 % of 12,000 € = 240 €.
    expect(earned.minimumsMet).toBe(true);
    expect(earned.bonuses[0]).toMatchObject({ earned: true, bonusCents: 24_000 });
    expect([earned.creditCents, earned.netCents, earned.netPercent]).toEqual([0, 24_000, 2]);

    // A contract that has started cannot be deleted (its months are evaluated).
    const deleted = await send(
      'DELETE',
      `/api/organizations/${beta}/sla/contracts/${created.json().id}`,
      admin,
    );
    expect([deleted.statusCode, deleted.json().code]).toEqual([409, 'SLA_MONTH_CLOSED']);
    // The same month by from/to.
    const byRange = await get(
      `/api/organizations/${beta}/sla/evaluation?from=${encodeURIComponent('2026-11-01T00:00:00+01:00')}&to=${encodeURIComponent('2026-12-01T00:00:00+01:00')}&invoiceCents=${INVOICE}`,
      admin,
    );
    expect(byRange.json().netCents).toBe(24_000);

    // Gamma: SL 0.9 between its minimum 0.85 and a target of 0.95 → every minimum met, no credit,
    // and no bonus: none for merely meeting the minimum (DOMAIN.md §8).
    const gamma = (await createOrganization({ db: t.db, principal: null, slug: 'gamma', name: 'Gamma' })).id;
    await seedNovember(t.db, gamma);
    expect(
      (await send('POST', `/api/organizations/${gamma}/sla/contracts`, admin, contract(0.95))).statusCode,
    ).toBe(201);
    const between = (
      await get(`/api/organizations/${gamma}/sla/evaluation?period=2026-11&invoiceCents=${INVOICE}`, admin)
    ).json();
    expect(between.metrics[0]).toMatchObject({ value: 0.9, status: 'between', creditCents: 0 });
    expect(between.minimumsMet).toBe(true);
    expect(between.bonuses[0]).toMatchObject({
      earned: false,
      bonusCents: 0,
      reason: 'target not reached: service_level',
    });
    expect([between.creditCents, between.netCents]).toEqual([0, 0]);
  });

  it('no contract for the month: 404; a bad period: 400', async () => {
    const none = await get(`/api/organizations/${alpha}/sla/evaluation?period=2026-09`, admin);
    expect([none.statusCode, none.json().code]).toEqual([404, 'SLA_CONTRACT_NOT_FOUND']);
    expect(none.json().detail).toMatch(/Nessun contratto SLA copre 2026-09/);
    expect((await get(`/api/organizations/${alpha}/sla/evaluation?period=2026-13`, admin)).statusCode).toBe(
      400,
    );
    expect((await get(`/api/organizations/${alpha}/sla/evaluation`, admin)).statusCode).toBe(400);
    // The viewer of alpha cannot evaluate beta's contract.
    expect((await get(`/api/organizations/${beta}/sla/evaluation?period=2026-11`, viewer)).statusCode).toBe(
      404,
    );
  });

  it('a new version takes effect from the current month: a closed month keeps its evaluation', async () => {
    const current = localMonthOf(Date.now(), 'Europe/Rome');
    const [y, m] = current.split('-').map(Number) as [number, number];
    const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const relaxed = {
      ...NOVEMBER_CONTRACT,
      metrics: NOVEMBER_CONTRACT.metrics.map((metric) =>
        metric.kpi === 'abandon_rate' ? { ...metric, minimum: 0.2, target: 0.1 } : metric,
      ),
    };
    const { name: _name, validFrom: _from, ...terms } = relaxed;
    const closed = await send('PUT', `/api/organizations/${alpha}/sla/contracts/${contractId}`, admin, {
      ...terms,
      effectiveFrom: previous,
    });
    expect([closed.statusCode, closed.json().code]).toEqual([409, 'SLA_MONTH_CLOSED']);
    const updated = await send(
      'PUT',
      `/api/organizations/${alpha}/sla/contracts/${contractId}`,
      supervisor,
      terms,
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.json().current).toMatchObject({ version: 2, effectiveFrom: current });
    expect(updated.json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    // November 2026 is closed (today is later): still version 1, still the 240 € credit.
    const november = (
      await get(`/api/organizations/${alpha}/sla/evaluation?period=2026-11&invoiceCents=${INVOICE}`, admin)
    ).json();
    expect(november.contract.version).toBe(1);
    expect(november.creditCents).toBe(24_000);
    // An invalid new version is refused like a new contract.
    const bad = await send('PUT', `/api/organizations/${alpha}/sla/contracts/${contractId}`, admin, {
      ...terms,
      atRiskPercent: 120,
    });
    expect([bad.statusCode, bad.json().errors[0].field]).toEqual([400, 'atRiskPercent']);
  });
});

describe('the monthly report', () => {
  it('an HTML page in Italian or English, CSV, and a PDF or a clear 503 without Chromium', async () => {
    const html = await get(
      `/api/organizations/${alpha}/sla/report/2026-11.html?invoiceCents=${INVOICE}`,
      viewer,
    );
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toMatch(/<html lang="it">/);
    expect(html.body).toMatch(/Rapporto SLA — Alpha Onlus/);
    expect(html.body).toMatch(/sotto il minimo/);
    expect(html.body).toMatch(/240,00 €/); // the abandon rate's credit
    expect(html.body).toMatch(/@media print/);
    expect(html.body).toMatch(/tutto o niente/); // the bonus rule, in Italian
    // One bar per day with contacts (2 and 3 November) for each of the four metrics.
    expect(html.body.match(/<rect /g)).toHaveLength(8);
    expect(html.body).toMatch(/<title>2026-11-02: 80%<\/title>/); // the daily SL bar
    expect(html.body).not.toMatch(/<link|<script|src="http/); // self-contained
    const en = await get(`/api/organizations/${alpha}/sla/report/2026-11.html?lang=en`, viewer);
    expect(en.body).toMatch(/SLA report — Alpha Onlus/);
    expect(en.body).toMatch(/\(A≤T \+ Ab≤T\) \/ \(A \+ Ab\)/);
    const csv = await get(
      `/api/organizations/${alpha}/sla/report/2026-11.csv?invoiceCents=${INVOICE}`,
      viewer,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\n').find((l) => l.startsWith('abandon_rate,'))).toMatch(/240\.00/);
    expect((await get(`/api/organizations/${beta}/sla/report/2026-11.html`, viewer)).statusCode).toBe(404);
    expect((await get(`/api/organizations/${alpha}/sla/report/2026-11.doc`, viewer)).statusCode).toBe(400);

    // Without Chromium: a clear 503, never a 500.
    const configured = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const missing = await get(`/api/organizations/${alpha}/sla/report/2026-11.pdf`, viewer);
      expect([missing.statusCode, missing.json().code]).toEqual([503, 'SLA_PDF_UNAVAILABLE']);
      expect(missing.json().detail).toMatch(/no Chromium at \/nonexistent\/chromium/);
    } finally {
      if (configured === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = configured;
    }
    const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
    if (!existsSync(chromium)) {
      console.warn(`PDF not rendered: no Chromium at ${chromium} (install the Debian package chromium)`);
      return;
    }
    const pdf = await get(`/api/organizations/${alpha}/sla/report/2026-11.pdf?lang=en`, viewer);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
