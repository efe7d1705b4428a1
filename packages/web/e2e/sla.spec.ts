import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from './support.ts';

test('the SLA dashboard shows the month so far against the contract, credits and bonus for an invoice, and the report', async ({
  page,
}, testInfo) => {
  await signIn(page, 'supervisor@centralino.demo');
  await page.getByRole('link', { name: 'Cruscotto SLA' }).first().click();
  await expect(page.getByRole('heading', { name: 'Cruscotto SLA' })).toBeVisible();
  // The demo's contract (demo/sla-demo.ts): three critical metrics and a daily key one.
  const metrics = page.getByTestId('sla-metrics');
  await expect(metrics.locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('sla-metric-service_level')).toContainText('Livello di servizio');
  await expect(
    page
      .getByTestId('sla-metric-service_level')
      .getByText(/Sotto il minimo|Tra minimo e obiettivo|All’obiettivo|Nessun dato/),
  ).toBeVisible();
  await expect(page.getByTestId('sla-trend-service_level')).toBeVisible();
  await expect(page.getByTestId('sla-trend-service_level').locator('.recharts-reference-area')).toHaveCount(
    3,
  );
  await expect(page.getByText('In diretta')).toBeVisible();

  // Credits and bonus in euros for the invoice typed.
  await expect(page.getByTestId('sla-invoice')).toHaveText('—');
  await page.getByRole('textbox', { name: 'Fattura mensile (€)' }).fill('10.000');
  await expect(page.getByTestId('sla-invoice')).toContainText('10.000,00');
  await expect(page.getByTestId('sla-net')).toContainText('€');

  const csvLink = page.getByRole('link', { name: 'CSV' });
  const href = await csvLink.getAttribute('href');
  expect(href).toMatch(/\/sla\/report\/\d{4}-\d{2}\.csv\?lang=it&invoiceCents=1000000$/);
  const csv = await page.request.get(href ?? '');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await page.getByRole('link', { name: 'PDF' }).getAttribute('href')).toMatch(/\.pdf\?lang=it/);

  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'sla-dashboard');
});

test('before the month’s first closed contact the SLA charts still show the minimum and target bands', async ({
  page,
}) => {
  // The dashboard as on the 1st at midnight: no points in the trend yet.
  await page.route('**/sla/dashboard*', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { trend: { points: unknown[] }[] };
    for (const series of body.trend) series.points = [];
    await route.fulfill({ response, json: body });
  });
  await signIn(page, 'supervisor@centralino.demo');
  await page.goto('/sla');
  await expect(page.getByTestId('sla-trend-service_level').locator('.recharts-reference-area')).toHaveCount(
    3,
  );
  await expect(page.getByTestId('sla-trend-asa').locator('.recharts-reference-line')).toHaveCount(2);
});
