import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from './support.ts';

test('a planner staffs an example day, forecasts from an example history, staffs the forecast, gets shifts, dimensions a new client and simulates a what-if', async ({
  page,
}, testInfo) => {
  await signIn(page, 'planner@centralino.demo');
  await page.goto('/planner');
  const tabs = page.getByRole('tablist', { name: 'Strumenti di pianificazione' });
  await expect(tabs.getByRole('tab', { name: 'Calcolatore Erlang' })).toHaveAttribute(
    'aria-selected',
    'true',
  );

  // Staffing per interval before any forecast: the example day, recalculated as the target changes.
  await tabs.getByRole('tab', { name: 'Fabbisogno per intervallo' }).click();
  await expect(page.getByText('Volumi: una giornata di esempio', { exact: false })).toBeVisible();
  const peak = page.getByTestId('staffing-peak');
  await expect(peak).toHaveText(/^\d+$/);
  const peakAt80 = Number(await peak.textContent());
  expect(peakAt80).toBeGreaterThan(0);
  await page.getByRole('textbox', { name: 'Livello di servizio obiettivo' }).fill('95');
  await expect.poll(async () => Number(await peak.textContent())).toBeGreaterThan(peakAt80);
  await expect(page.getByTestId('staffing-table').getByRole('row')).not.toHaveCount(1);
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'planner-staffing-example');

  // Forecast: the keyboard moves between tabs; an example history of two weeks, a week ahead.
  await tabs.getByRole('tab', { name: 'Fabbisogno per intervallo' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tabs.getByRole('tab', { name: 'Previsione' })).toHaveAttribute('aria-selected', 'true');
  await page.getByText('Di esempio', { exact: true }).click();
  await expect(page.getByRole('radio', { name: 'Di esempio' })).toBeChecked();
  await page.getByRole('button', { name: 'Calcola la previsione' }).click();
  await expect(page.getByTestId('forecast-method')).not.toBeEmpty();
  await expect(page.getByTestId('forecast-total')).toHaveText(/^[1-9][\d.]*$/);
  await expect(
    page.getByRole('img', { name: 'Contatti per intervallo: storico e previsione' }),
  ).toBeVisible();
  await expect(page.locator('.recharts-line')).toHaveCount(2);
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'planner-forecast');

  // Staffing now takes the forecast's first day.
  await tabs.getByRole('tab', { name: 'Fabbisogno per intervallo' }).click();
  await expect(page.getByText('Volumi: il primo giorno della previsione')).toBeVisible();
  await expect(page.getByTestId('staffing-peak')).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByRole('img', { name: 'Operatori necessari per intervallo' })).toBeVisible();
  await screenshot(page, testInfo, 'planner-staffing-forecast');

  // Schedule proposal: shifts that cover that staffing, with the coverage chart.
  await tabs.getByRole('tab', { name: 'Proposta di turni' }).click();
  await page.getByRole('button', { name: 'Proponi i turni' }).click();
  await expect(page.getByTestId('schedule-status')).toHaveText(/Ottima|Entro la tolleranza|Ammissibile/, {
    timeout: 45_000,
  });
  await expect(page.getByTestId('schedule-shifts')).toHaveText(/^[1-9]\d*$/);
  await expect(
    page
      .getByTestId('schedule-table')
      .getByRole('cell', { name: /intero|part-time/ })
      .first(),
  ).toBeVisible();
  await expect(
    page.getByRole('img', { name: 'Copertura: operatori necessari e pianificati per intervallo' }),
  ).toBeVisible();
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'planner-schedule');

  // Dimensioning of a new client: a year month by month.
  await tabs.getByRole('tab', { name: 'Dimensionamento nuovo cliente' }).click();
  await page.getByRole('textbox', { name: 'Nome del cliente' }).fill('Fondazione Prova');
  await page.getByRole('button', { name: 'Dimensiona' }).click();
  await expect(page.getByTestId('dimension-peak')).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByTestId('dimension-table').getByRole('row')).toHaveCount(13);
  await expect(page.getByRole('img', { name: 'Operatori e postazioni per mese' })).toBeVisible();
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'planner-dimension');

  // What-if: the same day with half the operators serves fewer calls in time.
  await tabs.getByRole('tab', { name: 'Simulazione what-if' }).click();
  await page.getByRole('button', { name: 'Simula' }).click();
  const serviceLevel = page.getByTestId('simulation-service-level');
  await expect(serviceLevel).toHaveText(/^\d+(,\d)?%$/, { timeout: 45_000 });
  const percent = async () => Number((await serviceLevel.textContent())?.replace('%', '').replace(',', '.'));
  const withTwelve = await percent();
  await expect(page.getByTestId('simulation-occupancy')).toHaveText(/%$/);
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'planner-simulation');
  await page.getByRole('textbox', { name: 'Operatori in turno 08–20' }).fill('6');
  await page.getByRole('button', { name: 'Simula' }).click();
  await expect.poll(percent, { timeout: 45_000 }).toBeLessThan(withTwelve);
});

test('a planner forecasts from the organization’s own history (the demo’s past weeks), for all its queues and for one', async ({
  page,
}, testInfo) => {
  await signIn(page, 'planner@centralino.demo');
  await page.goto('/planner');
  await page.getByRole('tab', { name: 'Previsione' }).click();
  // The organization's history is the default source (demo/history-demo.ts stored four weeks of calls).
  await expect(page.getByRole('radio', { name: 'Dell’organizzazione' })).toBeChecked();
  await page.getByRole('combobox', { name: 'Organizzazione' }).click();
  await page.getByRole('option', { name: 'Fondazione Bisturi Gentile' }).click();
  await page.getByRole('textbox', { name: 'Giorni di storico' }).fill('21');
  await page.getByRole('button', { name: 'Calcola la previsione' }).click();
  await expect(page.getByText('Nessun contatto nello storico del periodo scelto.')).toHaveCount(0);
  await expect(page.getByTestId('forecast-method')).not.toBeEmpty();
  const total = page.getByTestId('forecast-total');
  await expect(total).toHaveText(/^[1-9][\d.]*$/);
  await expect(
    page.getByRole('img', { name: 'Contatti per intervallo: storico e previsione' }),
  ).toBeVisible();
  await expect(page.locator('.recharts-line')).toHaveCount(2);
  await screenshot(page, testInfo, 'planner-forecast-organization');
  const calls = async () => Number((await total.textContent())?.replaceAll('.', ''));
  const allQueues = await calls();

  // One queue of the organization: its own forecast, a part of the whole.
  await page.getByRole('textbox', { name: 'Coda (vuoto: tutte)' }).fill('donor-care');
  await page.getByRole('button', { name: 'Calcola la previsione' }).click();
  await expect.poll(calls).toBeLessThan(allQueues);
  expect(await calls()).toBeGreaterThan(0);
  await expect(
    page.getByRole('img', { name: 'Contatti per intervallo: storico e previsione' }),
  ).toBeVisible();
  await expectAccessible(page, testInfo);
});

test.describe('in English', () => {
  test.use({ locale: 'en-GB' });
  test('the planner tabs speak English', async ({ page }) => {
    await signIn(page, 'planner@centralino.demo');
    await page.goto('/planner');
    await page.getByRole('tab', { name: 'Staffing per interval' }).click();
    await expect(page.getByText('Volumes: an example day', { exact: false })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Agents', exact: true })).toBeVisible();
    await page.getByRole('tab', { name: 'Forecast' }).click();
    await expect(page.getByRole('button', { name: 'Forecast' })).toBeVisible();
    await page.getByRole('tab', { name: 'Schedule proposal' }).click();
    await expect(page.getByRole('button', { name: 'Propose shifts' })).toBeVisible();
    await page.getByRole('tab', { name: 'New client dimensioning' }).click();
    await page.getByRole('button', { name: 'Dimension', exact: true }).click();
    await expect(page.getByRole('columnheader', { name: 'Seats' })).toBeVisible();
    await page.getByRole('tab', { name: 'What-if simulation' }).click();
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect(page.getByText('Mean of 20 replications', { exact: false })).toBeVisible({
      timeout: 45_000,
    });
  });
});
