import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from './support.ts';

const CSV = [
  'id;nome;cognome;email;posizione',
  'E2E1;Ottavia;Zanardelli;ottavia.zanardelli@example.it;A1',
  'E2E2;Pietro;Zanardelli;pietro@@example;A2',
  'E2E3;Quinto;Zanardelli;quinto.zanardelli@example.it;A3',
].join('\n');

test('the importer previews a CSV, shows the rejected row with its line and reason, and the good rows land', async ({
  page,
}, testInfo) => {
  await signIn(page, 'supervisor@centralino.demo');
  await page.getByRole('navigation').getByRole('link', { name: 'Importazioni' }).click();
  await expect(page.getByRole('heading', { name: 'Importa sostenitori' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Organizzazione' })).toHaveValue(
    'Fondazione Bisturi Gentile',
  );

  await page.locator('input[type=file]').setInputFiles({
    name: 'nuovi-sostenitori.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV, 'utf8'),
  });
  // The mapping step: one select per column; a column the importer does not know is ignored.
  const mapping = page.getByTestId('mapping');
  await expect(mapping.getByRole('combobox')).toHaveCount(5);
  await mapping.getByRole('combobox', { name: 'posizione' }).click();
  await page.getByRole('option', { name: 'Ignora la colonna' }).click();
  await expect(mapping.getByRole('combobox', { name: 'posizione' })).toHaveValue('Ignora la colonna');

  await page.getByRole('button', { name: 'Anteprima (prova senza salvare)' }).click();
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('Anteprima di nuovi-sostenitori.csv');
  await expect(result.getByTestId('import-rejected')).toHaveText('1');
  const errors = page.getByTestId('import-errors').locator('tbody tr');
  await expect(errors).toHaveCount(1);
  await expect(errors.first()).toContainText('3');
  await expect(errors.first()).toContainText('email');
  await expect(errors.first()).toContainText('invalid e-mail');
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'importer-preview');
  // Nothing landed yet.
  const orgs = (await (await page.request.get('/api/organizations')).json()) as {
    items: { id: string; slug: string }[];
  };
  const orgId = orgs.items.find((o) => o.slug === 'bisturi-gentile')?.id;
  const found = async () =>
    (
      (await (await page.request.get(`/api/organizations/${orgId}/supporters?q=Zanardelli`)).json()) as {
        items: { firstName: string }[];
      }
    ).items.map((s) => s.firstName);
  expect(await found()).toEqual([]);

  await page.getByRole('button', { name: 'Importa', exact: true }).click();
  await expect(result).toContainText('Importazione di nuovi-sostenitori.csv');
  await expect(result.getByTestId('import-created')).toHaveText('2');
  await expect(result.getByTestId('import-rejected')).toHaveText('1');
  await expect(errors.first()).toContainText('invalid e-mail');
  expect((await found()).sort()).toEqual(['Ottavia', 'Quinto']);

  const report = await page.request.get(
    (await page.getByRole('link', { name: 'Scarica il report degli errori (CSV)' }).getAttribute('href')) ??
      '',
  );
  expect(report.status()).toBe(200);
  expect(await report.text()).toContain('3,email,pietro@@example,invalid e-mail');
  await expect(page.getByTestId('import-jobs')).toContainText('nuovi-sostenitori.csv');
  await screenshot(page, testInfo, 'importer');
});
