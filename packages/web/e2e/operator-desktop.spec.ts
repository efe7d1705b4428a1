import { type APIRequestContext, expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, screenshot, signIn } from './support.ts';

/**
 * The demo's simulated operators answer most calls; pausing them (as a
 * supervisor would, through the API) lets the next call reach the person at
 * the desktop quickly. They are put back afterwards.
 */
async function pauseSimulatedOperators(request: APIRequestContext, state: 'not_ready' | 'available') {
  const login = await request.post('/api/auth/login', {
    data: { email: 'supervisor@centralino.demo', password: DEMO_PASSWORD },
  });
  expect(login.ok()).toBe(true);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const operators = (await (await request.get('/api/live/operators')).json()) as {
    items: { userId: string; displayName: string }[];
  };
  for (const operator of operators.items.filter((o) => /simulat/i.test(o.displayName)))
    await request.post(`/api/live/operators/${operator.userId}/state`, {
      headers: { 'x-csrf-token': csrfToken },
      data: state === 'not_ready' ? { state, reason: 'training' } : { state },
    });
}

test('an operator goes available, accepts the offered call with a shortcut and sees the screen pop', async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  test.setTimeout(240_000);
  const supervisor = await playwright.request.newContext({ baseURL: baseURL ?? '' });
  await pauseSimulatedOperators(supervisor, 'not_ready');
  try {
    await signIn(page, 'operator@centralino.demo');
    await page.getByRole('link', { name: 'Postazione operatore' }).first().click();
    await expect(page.getByRole('heading', { name: 'Postazione operatore', level: 2 })).toBeVisible();
    await expectAccessible(page, testInfo);

    await page.getByRole('button', { name: 'Disponibile', exact: true }).click();
    await expect(page.getByTestId('operator-state')).toHaveText(/Disponibile|Squilla/);

    // A caller reaches the desktop (offers that time out put the operator on a pause: go back).
    const offer = page.getByTestId('offer');
    await expect(async () => {
      if (
        await page
          .getByTestId('operator-state')
          .textContent()
          .then((s) => s?.startsWith('In pausa'))
      )
        await page.getByRole('button', { name: 'Disponibile', exact: true }).click();
      await expect(offer).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 180_000 });
    await expect(page.getByTestId('offer-countdown')).toContainText('Scade tra');
    await screenshot(page, testInfo, 'operator-offer');
    await page.keyboard.press('a');

    await expect(page.getByTestId('call')).toBeVisible();
    await expect(page.getByTestId('operator-state')).toHaveText(/In conversazione|Squilla|Post-chiamata/);
    await expect(page.getByRole('heading', { name: 'Scheda del sostenitore' })).toBeVisible();
    await expect(
      page.getByTestId('screen-pop').or(page.getByTestId('screen-pop-unknown')).first(),
    ).toBeVisible();
    // The outcome form follows the disposition: a callback asks when and for whom.
    const outcome = page.getByRole('combobox', { name: 'Esito', exact: true });
    await expect(outcome).toBeVisible();
    await outcome.click();
    await page.getByRole('option', { name: 'Richiamare' }).click();
    await expect(page.getByLabel('Richiamare il')).toBeVisible();
    await expect(page.getByRole('radio', { name: 'Chiunque' })).toBeVisible();
    await expectAccessible(page, testInfo);
    await screenshot(page, testInfo, 'operator-desktop');
    const call = (await page.getByTestId('call-number').textContent()) ?? '';
    await outcome.click();
    await page.getByRole('option', { name: 'Contattato' }).click();
    await page.getByRole('button', { name: 'Registra l’esito' }).click();
    // Recorded: the outcome is shown, or the contact is over (another may already be ringing).
    await expect(async () => {
      const saved = await page.getByTestId('disposition-saved').isVisible();
      const now = (await page.getByTestId('call-number').count())
        ? await page.getByTestId('call-number').textContent()
        : '';
      expect(saved || now !== call).toBe(true);
    }).toPass();
  } finally {
    await pauseSimulatedOperators(supervisor, 'available');
    await supervisor.dispose();
  }
});
