import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from './support.ts';

test('the supervisor wallboard shows the queues and follows the calls as they arrive', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, 'supervisor@centralino.demo');
  await page.getByRole('link', { name: 'Wallboard' }).first().click();
  await expect(page.getByRole('heading', { name: 'Wallboard', level: 2 })).toBeVisible();
  const tiles = page.locator('[data-testid^="queue-tile-"]');
  await expect(tiles.first()).toBeVisible();
  await expect(page.getByTestId('operators-table').getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByText('In tempo reale')).toBeVisible();

  // The demo's simulated callers keep the queues busy: the answered counts and
  // waiting figures change without a reload.
  const figures = async () =>
    (
      await page
        .locator('[data-testid^="queue-tile-"] [data-testid="queue-figures"], [data-testid="queue-waiting"]')
        .allTextContents()
    ).join('|');
  const before = await figures();
  // The campaigns' tiles follow their `campaign.progress` events: the figures change with no new progress request.
  const campaignTiles = page.getByTestId('campaign-tile');
  await expect(campaignTiles.first()).toBeVisible();
  const campaignFigures = async () => (await campaignTiles.allTextContents()).join('|');
  const campaignsBefore = await campaignFigures();
  let progressRequests = 0;
  page.on('request', (request) => {
    if (/\/campaigns\/[^/]+\/progress/.test(request.url())) progressRequests++;
  });
  await expect.poll(figures, { timeout: 150_000, intervals: [1_000] }).not.toBe(before);
  await expect.poll(campaignFigures, { timeout: 120_000, intervals: [1_000] }).not.toBe(campaignsBefore);
  expect(progressRequests).toBe(0);
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'wallboard');
});

test('an operator is not offered the wallboard', async ({ page }) => {
  await signIn(page, 'operator@centralino.demo');
  await expect(page.getByRole('link', { name: 'Wallboard' })).toHaveCount(0);
  await page.goto('/wallboard');
  await expect(page.getByRole('alert')).toHaveText('Pagina non trovata');
});
