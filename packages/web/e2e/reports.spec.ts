import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, screenshot, signIn } from './support.ts';

test('the reports page charts today’s KPIs and drills into the interactions behind a figure, exported as CSV', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, 'supervisor@centralino.demo');
  await page.getByRole('link', { name: 'Cruscotto' }).first().click();
  await expect(page.getByRole('heading', { name: 'Cruscotto KPI' })).toBeVisible();
  await expect(page.getByTestId('chart-service_level')).toBeVisible();

  // The demo's live center answers calls from its start: on a fresh server the first ones may not
  // have closed yet, so the page is reloaded until today's figures exist. The total service level
  // then opens its interactions.
  const total = page.getByTestId('kpi-table').getByTestId('figure-service_level').first();
  await expect(async () => {
    if (!(await total.isVisible())) await page.reload();
    await expect(total).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await expect(
    page.getByTestId('chart-service_level').locator('.recharts-bar-rectangle').first(),
  ).toBeVisible();
  await total.click();
  const rows = page.getByTestId('drill-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'reports');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Esporta CSV' }).click();
  const file = await (await download).path();
  const csv = readFileSync(file, 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    '\uFEFFid,externalId,countedAt,channel,direction,queue,campaign,operator,waitSeconds,inNumerator,inDenominator,supporterId,answeredAt,abandonedAt',
  );
  expect(csv.trim().split('\r\n').length - 1).toBe(await rows.count());
});

test('a client viewer reports on its own organization only', async ({ page, playwright, baseURL }) => {
  const staff = await playwright.request.newContext({ baseURL: baseURL ?? '' });
  await staff.post('/api/auth/login', {
    data: { email: 'supervisor@centralino.demo', password: DEMO_PASSWORD },
  });
  const organizations = (await (await staff.get('/api/organizations')).json()) as {
    items: { id: string; slug: string }[];
  };
  await staff.dispose();
  const other = organizations.items.find((o) => o.slug === 'ponti-aperti')?.id;
  expect(other).toBeTruthy();

  await signIn(page, 'viewer@bisturi-gentile.demo');
  await expect(page.getByRole('link', { name: 'Wallboard' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Postazione operatore' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Cruscotto' }).first().click();
  const picker = page
    .getByRole('textbox', { name: 'Organizzazione' })
    .or(page.getByRole('combobox', { name: 'Organizzazione' }));
  await expect(picker.first()).toHaveValue('Fondazione Bisturi Gentile');
  await picker.first().click();
  await expect(page.getByRole('option')).toHaveCount(1);
  // The other organization's figures are not there, whatever the URL.
  const session = (await (await page.request.get('/api/auth/session')).json()) as {
    organizationIds: string[];
  };
  const all = (await (await page.request.get('/api/organizations')).json()) as { items: { id: string }[] };
  expect(all.items.map((o) => o.id)).toEqual(session.organizationIds);
  expect(session.organizationIds).not.toContain(other);
  const answer = await page.request.get(
    `/api/organizations/${other}/kpis?from=2026-01-01T00:00:00%2B01:00&to=2026-01-02T00:00:00%2B01:00`,
  );
  expect([403, 404]).toContain(answer.status());
});
