import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
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

    // Log out of one queue and back in: the switch says what the center now holds.
    const myQueues = page.getByTestId('my-queues');
    const firstQueue = myQueues.getByRole('switch').first();
    await expect(firstQueue).toBeChecked();
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().includes('/api/operator/queues/') && r.ok(),
    );
    await firstQueue.click();
    await saved;
    await page.reload();
    const again = page.getByTestId('my-queues').getByRole('switch').first();
    await expect(again).not.toBeChecked();
    await again.click();
    await expect(again).toBeChecked();

    await page.getByRole('button', { name: 'Disponibile', exact: true }).click();
    await expect(page.getByTestId('operator-state')).toHaveText(/Disponibile|Squilla/);

    // A caller reaches the desktop (offers that time out put the operator on a pause: go back),
    // and the operator accepts with the shortcut. A simulated caller may hang up while the
    // offer rings, and then there is no call to accept: wait for the next one.
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
      await expect(page.getByTestId('offer-countdown')).toContainText('Scade tra', { timeout: 2_000 });
      await screenshot(page, testInfo, 'operator-offer');
      await page.keyboard.press('a');
      await expect(page.getByTestId('call')).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 180_000 });
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
    // The contact closes once the call is over (hang up if the caller is still on the line) and its
    // wrap-up ends: the operator's own statistics of the day then count it. Their callbacks are listed too.
    const stats = page.getByTestId('my-stats');
    await expect(stats.getByRole('heading', { name: 'Le mie statistiche di oggi' })).toBeVisible();
    await expect(
      page.getByTestId('my-callbacks').getByRole('heading', { name: 'Le mie richiamate' }),
    ).toBeVisible();
    await expect(async () => {
      if (await page.getByRole('button', { name: /Riaggancia/ }).isVisible()) await page.keyboard.press('e');
      // The outcome is recorded: the operator may end the wrap-up at once (unless the queue's time ended it).
      if (await page.getByTestId('end-wrap-up').isVisible()) await page.keyboard.press('w');
      const handled = Number(
        await page.getByTestId('my-stats-handled-value').textContent({ timeout: 5_000 }),
      );
      expect(handled).toBeGreaterThanOrEqual(1);
    }).toPass({ timeout: 90_000 });
    await expectAccessible(page, testInfo);
  } finally {
    await pauseSimulatedOperators(supervisor, 'available');
    await supervisor.dispose();
  }
});

/** The demo operator's outbound queues logged out of (or back in to), through the operator API; their ids. */
async function setOutboundQueues(request: APIRequestContext, loggedIn: boolean) {
  const login = await request.post('/api/auth/login', {
    data: { email: 'operator@centralino.demo', password: DEMO_PASSWORD },
  });
  expect(login.ok()).toBe(true);
  const headers = { 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
  if (!loggedIn) await request.post('/api/operator/state', { headers, data: { state: 'available' } });
  const { items } = (await (await request.get('/api/operator/queues')).json()) as {
    items: { queueId: string; direction: string }[];
  };
  const outbound = items.filter((q) => q.direction === 'outbound').map((q) => q.queueId);
  expect(outbound.length).toBeGreaterThan(0);
  for (const id of outbound) {
    const response = await request.put(`/api/operator/queues/${id}`, { headers, data: { loggedIn } });
    expect(response.status()).toBe(200);
  }
  return outbound;
}

/** Waits for the next contact (an offer, or an outbound call put straight through), going back to available when offers timed out. */
async function nextContact(page: Page) {
  await expect(async () => {
    const state = (await page.getByTestId('operator-state').textContent()) ?? '';
    if (/In pausa|Non collegato/.test(state))
      await page.getByRole('button', { name: 'Disponibile', exact: true }).click({ timeout: 5_000 });
    await expect(page.getByTestId('offer').or(page.getByTestId('call')).first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000 });
}

test('an operator records an upgrade and the supporter’s regular gift shows the new amount', async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  test.setTimeout(300_000);
  const supervisor = await playwright.request.newContext({ baseURL: baseURL ?? '' });
  await pauseSimulatedOperators(supervisor, 'not_ready');
  const operatorApi = await playwright.request.newContext({ baseURL: baseURL ?? '' });
  let outboundQueues: string[] = [];
  try {
    await signIn(page, 'operator@centralino.demo');
    await page.goto('/operator');
    await expect(page.getByTestId('operator-state')).toBeVisible();
    // Inbound callers may upgrade; the demo's outbound cycles but one do not offer it, and their
    // preview contacts ring first: this operator takes inbound contacts only (My queues, through
    // the API). Available first: a log-in from offline puts an operator back on every queue.
    outboundQueues = await setOutboundQueues(operatorApi, false);
    // The previous test may leave this login available (a button then disabled):
    // nextContact goes available only from a pause or from offline.
    const outcome = page.getByRole('combobox', { name: 'Esito', exact: true });
    const call = page.getByTestId('call');
    // Callers are demo supporters (or strangers): take calls until one has an active regular gift.
    for (let attempt = 0; ; attempt++) {
      expect(attempt, 'a caller with an active regular gift').toBeLessThan(20);
      await nextContact(page);
      if (await page.getByTestId('offer').isVisible()) await page.keyboard.press('a');
      // An offer can expire just as it is accepted (the operator is then paused):
      // that contact is lost to another operator, so wait for the next one.
      const connected = await call.waitFor({ state: 'visible', timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      if (!connected) continue;
      const interactionId = await call.getAttribute('data-interaction-id');
      // A preview contact (the demo's conversion campaign) is dialed on accept: "Connecting…"
      // while it rings. Only a person on the line can be hung up on; one who never answers
      // closes the contact, and the next one comes.
      const talking = await expect(page.getByTestId('call-phase'))
        .toHaveText(/In conversazione/, { timeout: 40_000 })
        .then(
          () => true,
          () => false,
        );
      if (!talking) {
        await expect(page.locator(`[data-interaction-id="${interactionId}"]`)).toHaveCount(0, {
          timeout: 60_000,
        });
        continue;
      }
      const several = page.getByText('Più sostenitori con questo numero');
      await expect(
        page.getByTestId('screen-pop-name').or(several).or(page.getByTestId('screen-pop-unknown')).first(),
      ).toBeVisible();
      const active = page
        .getByTestId('screen-pop-commitments')
        .getByRole('row')
        .filter({ hasText: 'attivo' });
      const oneActiveGift =
        (await page.getByTestId('screen-pop-name').count()) === 1 &&
        (await several.count()) === 0 &&
        (await active.count()) === 1;
      // Hang up (E), then record the outcome in the wrap-up: that ends the contact.
      await page.keyboard.press('e');
      await expect(page.getByTestId('call-phase')).toHaveText(/Post-chiamata|Chiusa/);
      // An inbound call or an upgrade campaign's call offers the upgrade; the demo's other cycles do not.
      await outcome.click();
      const upgrade =
        oneActiveGift && (await page.getByRole('option', { name: 'Aumento accettato' }).count()) === 1;
      if (upgrade) {
        // A pause asked for during a contact starts when it ends: the card stays on this supporter.
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: 'Pausa', exact: true }).click();
        await outcome.click();
      }
      if (!upgrade) {
        await page.getByRole('option', { name: 'Contattato' }).click();
        await page.getByRole('button', { name: 'Registra l’esito' }).click();
        await expect(page.locator(`[data-interaction-id="${interactionId}"]`)).toHaveCount(0);
        continue;
      }
      const before = (await active.getByTestId('commitment-amount').textContent()) ?? '';
      const euros = Math.floor(Number(before.replace(/[^\d,]/g, '').replace(',', '.'))) + 5;
      await page.getByRole('option', { name: 'Aumento accettato' }).click();
      await expect(page.getByRole('combobox', { name: 'Donazione regolare' })).toHaveValue(/attivo/);
      await page.getByLabel('Nuovo importo').fill(String(euros));
      await expectAccessible(page, testInfo);
      await screenshot(page, testInfo, 'operator-upgrade');
      await page.getByRole('button', { name: 'Registra l’esito' }).click();
      await expect(page.locator(`[data-interaction-id="${interactionId}"]`)).toHaveCount(0);
      await expect(
        page
          .getByTestId('screen-pop-commitments')
          .getByTestId('commitment-amount')
          .filter({ hasText: `${euros},00` }),
      ).toBeVisible({ timeout: 20_000 });
      break;
    }
  } finally {
    for (const id of outboundQueues)
      await page.request.put(`/api/operator/queues/${id}`, { data: { loggedIn: true } });
    await pauseSimulatedOperators(supervisor, 'available');
    await supervisor.dispose();
  }
});
