import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, screenshot, signIn } from './support.ts';

test('a client viewer sees its organization’s supporters, SLA and exports, and nothing of another organization by URL or API', async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  // Organization B (ponti-aperti) and one of its supporters, as the center's staff sees them.
  const staff = await playwright.request.newContext({ baseURL: baseURL ?? '' });
  await staff.post('/api/auth/login', {
    data: { email: 'supervisor@centralino.demo', password: DEMO_PASSWORD },
  });
  const organizations = (await (await staff.get('/api/organizations')).json()) as {
    items: { id: string; slug: string; name: string }[];
  };
  const orgB = organizations.items.find((o) => o.slug === 'ponti-aperti');
  const orgA = organizations.items.find((o) => o.slug === 'bisturi-gentile');
  if (!orgA || !orgB) throw new Error('demo organizations missing');
  const supportersB = (await (
    await staff.get(`/api/organizations/${orgB.id}/supporters?limit=1`)
  ).json()) as {
    items: { id: string; lastName: string }[];
  };
  const supporterB = supportersB.items[0];
  if (!supporterB) throw new Error('no supporter in B');
  await staff.dispose();

  await signIn(page, 'viewer@bisturi-gentile.demo');
  // The portal's own areas, and not the center's.
  for (const name of ['Cruscotto', 'Cruscotto SLA', 'Sostenitori', 'Esportazioni'])
    await expect(page.getByRole('navigation').getByRole('link', { name, exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Wallboard' })).toHaveCount(0);

  // Its supporters: search and a read-only record.
  await page.getByRole('navigation').getByRole('link', { name: 'Sostenitori', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/supporters/${orgA.id}$`));
  const rows = page.getByTestId('supporters-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await page.getByRole('searchbox', { name: 'Cerca' }).fill('Rossi');
  await expect(rows.first()).toContainText('Rossi');
  await rows.first().getByRole('link').click();
  await expect(page.getByTestId('supporter-detail')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Consensi' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Salva|Modifica/ })).toHaveCount(0);
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'portal-supporter');

  await page.getByRole('navigation').getByRole('link', { name: 'Esportazioni', exact: true }).click();
  const csv = page.getByRole('link', { name: 'Sostenitori CSV' });
  const href = (await csv.getAttribute('href')) ?? '';
  expect(href).toContain(`/api/organizations/${orgA.id}/exports/supporters?format=csv`);
  expect((await page.request.get(href)).status()).toBe(200);
  await expectAccessible(page, testInfo);

  // B's pages by direct URL: access denied, never B's data.
  for (const path of [
    `/reports/${orgB.id}`,
    `/sla/${orgB.id}`,
    `/supporters/${orgB.id}`,
    `/supporters/${orgB.id}/${supporterB.id}`,
    `/supporters/${orgA.id}/${supporterB.id}`,
    `/exports/${orgB.id}`,
  ]) {
    await page.goto(path);
    await expect(page.getByTestId('access-denied'), path).toBeVisible();
    await expect(page.getByText(orgB.name)).toHaveCount(0);
    await expect(page.getByText(supporterB.lastName)).toHaveCount(0);
  }
  await screenshot(page, testInfo, 'portal-denied');

  // And B's API.
  for (const path of [
    `/api/organizations/${orgB.id}`,
    `/api/organizations/${orgB.id}/sla/dashboard`,
    `/api/organizations/${orgB.id}/sla/contracts`,
    `/api/organizations/${orgB.id}/sla/report/2026-01.csv`,
    `/api/organizations/${orgB.id}/supporters`,
    `/api/organizations/${orgB.id}/supporters/${supporterB.id}`,
    `/api/organizations/${orgA.id}/supporters/${supporterB.id}`,
    `/api/organizations/${orgB.id}/exports/supporters`,
    `/api/organizations/${orgB.id}/imports`,
  ]) {
    const answer = await page.request.get(path);
    expect([403, 404], path).toContain(answer.status());
  }
});

test('the client viewer’s SLA dashboard is its own organization’s', async ({ page }, testInfo) => {
  await signIn(page, 'viewer@bisturi-gentile.demo');
  await page.getByRole('navigation').getByRole('link', { name: 'Cruscotto SLA', exact: true }).click();
  await expect(page.getByTestId('sla-metrics').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByRole('combobox', { name: 'Organizzazione' })).toHaveValue(
    'Fondazione Bisturi Gentile',
  );
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'portal-sla');
});
