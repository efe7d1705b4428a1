import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

export const DEMO_PASSWORD = 'centralino-demo';

/** Signs in through the form, as a person does (app.spec.ts covers the form this way). */
export async function signInWithForm(page: Page, email: string) {
  await page.goto('/');
  await page.getByRole('textbox', { name: 'E-mail', exact: true }).fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /Entra|Sign in/ }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
}

/**
 * Signs in through the API (the session cookie lands in the page's browser
 * context), then opens the app: the tests that are not about the sign-in form
 * skip typing into it, about a second each on the 2-core CI machine.
 */
export async function signIn(page: Page, email: string) {
  const response = await page.request.post('/api/auth/login', { data: { email, password: DEMO_PASSWORD } });
  expect(response.status(), await response.text()).toBe(200);
  await page.goto('/');
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
}

/** Fails on critical accessibility violations (issue 8); lesser ones are attached to the report. */
export async function expectAccessible(page: Page, testInfo: TestInfo) {
  // Legacy mode runs axe in the page itself. The default finishes the run in a
  // new blank page (made for cross-origin iframes, which the app has none of),
  // about a second per check on the 2-core CI machine.
  const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  await testInfo.attach('axe-violations.json', {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  const critical = results.violations.filter((violation) => violation.impact === 'critical');
  expect(critical.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}
