// The operator's transfer (T) to a queue and the reports' XLSX export.
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { DEMO_PASSWORD, expectAccessible, screenshot, signIn } from './support.ts';

test('an operator transfers the connected call to a queue with T and goes to wrap-up', async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  test.setTimeout(240_000);
  // The demo's simulated operators are paused so the next call reaches this desktop quickly.
  const supervisor = await playwright.request.newContext({ baseURL: baseURL ?? '' });
  const login = await supervisor.post('/api/auth/login', {
    data: { email: 'supervisor@centralino.demo', password: DEMO_PASSWORD },
  });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const simulated = (
    (await (await supervisor.get('/api/live/operators')).json()) as {
      items: { userId: string; displayName: string }[];
    }
  ).items.filter((o) => /simulat/i.test(o.displayName));
  const setAll = async (state: 'not_ready' | 'available') => {
    for (const operator of simulated)
      await supervisor.post(`/api/live/operators/${operator.userId}/state`, {
        headers: { 'x-csrf-token': csrfToken },
        data: state === 'not_ready' ? { state, reason: 'training' } : { state },
      });
  };
  await setAll('not_ready');
  try {
    // The second human demo login: the operator-desktop tests use operator@, whose wrap-up
    // after a transfer must not be what they start from.
    await signIn(page, 'operatore2@centralino.demo');
    await page.goto('/operator');
    await expect(page.getByText('Scorciatoie')).toContainText('Trasferisci');
    await page.getByRole('button', { name: 'Disponibile', exact: true }).click();
    const call = page.getByTestId('call');
    const dialog = page.getByRole('dialog', { name: 'Trasferisci la chiamata' });
    let interactionId: string | null = null;
    let checked = false;
    // The demo's callers talk for a few seconds of real time (its clock is accelerated): one may
    // hang up while the dialog is open, which closes it. Then the next call is transferred.
    await expect(async () => {
      const state = (await page.getByTestId('operator-state').textContent()) ?? '';
      if (/In pausa|Non collegato/.test(state))
        await page.getByRole('button', { name: 'Disponibile', exact: true }).click();
      // A caller who hung up meanwhile left this operator in wrap-up: its outcome ends it.
      const phase = page.getByTestId('call-phase');
      if ((await phase.isVisible()) && /Post-chiamata/.test((await phase.textContent()) ?? '')) {
        await page.getByRole('combobox', { name: 'Esito', exact: true }).click();
        await page.getByRole('option', { name: 'Contattato' }).click();
        await page.getByRole('button', { name: 'Registra l’esito' }).click();
      }
      if (await page.getByTestId('offer').isVisible()) await page.keyboard.press('a');
      await expect(page.getByTestId('transfer')).toBeVisible({ timeout: 5_000 });
      interactionId = await call.getAttribute('data-interaction-id');

      await page.keyboard.press('t');
      await expect(dialog).toBeVisible({ timeout: 5_000 });
      // An operator does not see colleagues' state: queues only.
      await expect(dialog).toContainText('puoi trasferire a una coda');
      const target = dialog
        .getByRole('combobox', { name: 'Destinazione' })
        .or(dialog.getByRole('textbox', { name: 'Destinazione' }));
      await target.first().click({ timeout: 5_000 });
      const options = page.getByRole('option');
      await expect(options.first()).toBeVisible({ timeout: 5_000 });
      if (!checked) {
        await expectAccessible(page, testInfo);
        await screenshot(page, testInfo, 'operator-transfer');
        checked = true;
      }
      await options.first().click({ timeout: 5_000 });
      await dialog.getByRole('button', { name: 'Trasferisci', exact: true }).click({ timeout: 5_000 });
      await expect(dialog).toBeHidden({ timeout: 5_000 });
    }).toPass({ timeout: 180_000 });
    // The call left this desktop (its next leg rings elsewhere); this operator's leg is over.
    await expect(page.locator(`[data-interaction-id="${interactionId}"]`)).toHaveCount(0);
    const answer = await page.request.get('/api/operator/session');
    const session = (await answer.json()) as { interaction: { interactionId: string } | null };
    expect(session.interaction?.interactionId ?? null).not.toBe(interactionId);
  } finally {
    await setAll('available');
    await supervisor.dispose();
  }
});

test('the drill-down of a KPI is exported as XLSX, a workbook with one row per interaction', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, 'supervisor@centralino.demo');
  await page.goto('/reports');
  const total = page.getByTestId('kpi-table').getByTestId('figure-service_level').first();
  await expect(async () => {
    if (!(await total.isVisible())) await page.reload();
    await expect(total).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await total.click();
  const rows = page.getByTestId('drill-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Esporta XLSX' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^service_level-[\d-]+\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await file.path());
  const sheet = workbook.worksheets[0]!;
  expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
    'id',
    'externalId',
    'countedAt',
    'channel',
    'direction',
    'queue',
    'campaign',
    'operator',
    'waitSeconds',
    'inNumerator',
    'inDenominator',
    'supporterId',
    'answeredAt',
    'abandonedAt',
  ]);
  expect(sheet.rowCount - 1).toBe(await rows.count());
  expect(typeof sheet.getCell('J2').value).toBe('boolean');
});
