import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, screenshot, signIn } from './support.ts';

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

test('an SLA alert raised while the dashboard is open shows up live', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  // Terms for this month that the next closed call breaks: an average handle time of at most 1 s
  // per interval (a key metric: reported, no credit).
  const admin = await playwright.request.newContext({ baseURL: baseURL ?? '' });
  const login = await admin.post('/api/auth/login', {
    data: { email: 'admin@centralino.demo', password: DEMO_PASSWORD },
  });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const organizations = (await (await admin.get('/api/organizations')).json()) as {
    items: { id: string; slug: string }[];
  };
  const orgId = organizations.items.find((o) => o.slug === 'ponti-aperti')?.id;
  const contracts = (await (await admin.get(`/api/organizations/${orgId}/sla/contracts`)).json()) as {
    id: string;
    current: { atRiskPercent: number; metrics: unknown[]; bonusRules: unknown[] };
  }[];
  const contract = contracts[0];
  if (!contract) throw new Error('the demo has no SLA contract for ponti-aperti');

  await signIn(page, 'supervisor@centralino.demo');
  await page.goto(`/sla/${orgId}`);
  await expect(page.getByTestId('sla-metrics').locator('tbody tr')).toHaveCount(
    contract.current.metrics.length,
  );
  await expect(page.getByText('In diretta')).toBeVisible();

  const changed = await admin.put(`/api/organizations/${orgId}/sla/contracts/${contract.id}`, {
    headers: { 'x-csrf-token': csrfToken },
    data: {
      atRiskPercent: contract.current.atRiskPercent,
      bonusRules: contract.current.bonusRules,
      metrics: [
        ...contract.current.metrics,
        { id: 'aht_live', kpi: 'aht', minimum: 1, target: 1, window: 'interval', kind: 'key' },
      ],
    },
  });
  expect(changed.status()).toBe(200);
  await admin.dispose();

  // The simulated callers keep calling: the next closed call raises the alert, pushed on the stream.
  await expect(
    page
      .getByTestId('sla-alerts')
      .getByText(/Durata media di gestione/)
      .first(),
  ).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('sla-alerts').getByText('Sotto il minimo').first()).toBeVisible();
});
