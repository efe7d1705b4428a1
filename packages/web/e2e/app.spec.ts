import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, screenshot, signIn, signInWithForm } from './support.ts';

test('the sign-in page speaks Italian to an Italian browser and refuses a wrong password', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Accedi' })).toBeVisible();
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'login-it');
  await page.getByRole('textbox', { name: 'E-mail', exact: true }).fill('planner@centralino.demo');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(`${DEMO_PASSWORD}-wrong`);
  await page.getByRole('button', { name: 'Entra' }).click();
  await expect(page.getByRole('alert')).toHaveText('E-mail o password non validi');
});

test.describe('in English', () => {
  test.use({ locale: 'en-GB' });
  test('an English browser gets English, and the choice of language is kept', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await signInWithForm(page, 'planner@centralino.demo');
    await page.getByText('IT', { exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Benvenuto' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Benvenuto' })).toBeVisible();
  });
});

test('the Erlang calculator shows the published staffing for the reference case, as you type', async ({
  page,
}, testInfo) => {
  await signIn(page, 'planner@centralino.demo');
  await page.getByRole('link', { name: 'Pianificazione' }).first().click();
  await expect(page.getByRole('heading', { name: 'Calcolatore Erlang' })).toBeVisible();
  // Reference case (shared/testdata/erlang-vectors.json; pyworkforce tests, CRAN ErlangC README):
  // 100 calls in 30 minutes, AHT 180 s, 80 % within 20 s → 14 agents; with 30 % shrinkage 20 scheduled;
  // service level 0.88835, ASA 7.8359 s.
  const set = async (label: string, value: string) => {
    const input = page.getByRole('textbox', { name: label, exact: true });
    await input.fill(value);
  };
  await set('Contatti nell’intervallo', '200');
  await expect(page.getByTestId('erlang-agents')).not.toHaveText('14');
  await set('Contatti nell’intervallo', '100');
  await set('Intervallo (minuti)', '30');
  await set('Durata media di gestione (s)', '180');
  await set('Soglia di risposta (s)', '20');
  await set('Livello di servizio obiettivo (%)', '80');
  await set('Shrinkage (%)', '30');
  await expect(page.getByTestId('erlang-agents')).toHaveText('14');
  await expect(page.getByTestId('erlang-scheduled-agents')).toHaveText('20');
  await expect(page.getByTestId('erlang-service-level')).toHaveText('88,8%');
  await expect(page.getByTestId('erlang-asa')).toHaveText('7,8 s');
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'planner-erlang');
});

test('an operator is not offered the planner, and its URL leads nowhere', async ({ page }) => {
  await signIn(page, 'operator@centralino.demo');
  await expect(page.getByRole('link', { name: 'Pianificazione' })).toHaveCount(0);
  await page.goto('/planner');
  await expect(page.getByRole('alert')).toHaveText('Pagina non trovata');
});
