import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from './support.ts';

test('an administrator creates a queue and a campaign through the forms and sees them listed', async ({
  page,
}, testInfo) => {
  // Three accessibility passes, one over the whole campaign form (window, retries, script, dispositions).
  test.setTimeout(120_000);
  await signIn(page, 'admin@centralino.demo');
  await page.getByRole('navigation').getByRole('link', { name: 'Amministrazione' }).click();
  await expect(page.getByRole('heading', { name: 'Amministrazione' })).toBeVisible();
  await expect(page.getByTestId('users-table')).toContainText('viewer@bisturi-gentile.demo');

  await page.getByRole('tab', { name: 'Code' }).click();
  await page.getByRole('combobox', { name: 'Organizzazione' }).click();
  await page.getByRole('option', { name: 'Fondazione Bisturi Gentile' }).click();
  await expect(page.getByTestId('queues-table')).toContainText('donor-care');

  // A bad skill expression: the routing engine's message, by field.
  await page.getByRole('button', { name: 'Nuova coda' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Chiave' }).fill('lasciti');
  await dialog.getByRole('textbox', { name: 'Nome' }).fill('Lasciti testamentari');
  await dialog.getByRole('combobox', { name: 'Direzione' }).click();
  await page.getByRole('option', { name: 'outbound' }).click();
  await dialog.getByRole('textbox', { name: 'Competenze richieste' }).fill('lang_it >= ');
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog.getByTestId('problem')).toBeVisible();
  await expectAccessible(page, testInfo);
  await dialog.getByRole('textbox', { name: 'Competenze richieste' }).fill('lang_it >= 5');
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('queues-table')).toContainText('Lasciti testamentari');

  await page.getByRole('tab', { name: 'Campagne' }).click();
  await page.getByRole('button', { name: 'Nuova campagna' }).click();
  await dialog.getByRole('textbox', { name: 'Nome' }).fill('Lasciti: primo contatto');
  await dialog.getByRole('combobox', { name: 'Ciclo' }).click();
  await page.getByRole('option', { name: 'conversion' }).click();
  await dialog.getByRole('combobox', { name: 'Coda' }).click();
  await page.getByRole('option', { name: 'Lasciti testamentari' }).click();
  await dialog.getByRole('combobox', { name: 'Modalità di chiamata' }).click();
  await page.getByRole('option', { name: 'preview' }).click();
  await dialog.getByRole('textbox', { name: 'Script' }).fill('Buongiorno {{firstName}}');
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'admin-campaign-form');
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog).toHaveCount(0);
  const row = page.getByTestId('campaigns-table').getByRole('row', { name: /Lasciti: primo contatto/ });
  await expect(row).toContainText('conversion');
  await expect(row).toContainText('Lasciti testamentari');

  // An API key's secret is shown once.
  await page.getByRole('tab', { name: 'Chiavi API' }).click();
  await page.getByRole('textbox', { name: 'Nome della chiave' }).fill('CRM sync');
  await page.getByRole('button', { name: 'Crea chiave API' }).click();
  await expect(page.getByTestId('secret-once')).toContainText('cntr_');
  await page.getByRole('button', { name: 'L’ho salvata' }).click();
  await expect(page.getByTestId('secret-once')).toHaveCount(0);
  await expect(page.getByTestId('api-keys-table')).toContainText('CRM sync');
  await page.getByRole('tab', { name: 'Contratti SLA' }).click();
  await expect(page.getByTestId('contracts-table')).toContainText('Servizio donatori');
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'admin');
});

test('organizations, skills, numbers and IVR flows: listed, and a broken IVR flow is refused with the server’s reasons', async ({
  page,
}, testInfo) => {
  await signIn(page, 'admin@centralino.demo');
  await page.goto('/admin?tab=organizations');
  await expect(page.getByTestId('organizations-table')).toContainText('ponti-aperti');
  await page.getByRole('tab', { name: 'Competenze' }).click();
  await expect(page.getByTestId('skills-table').locator('tbody tr').first()).toBeVisible();
  await page.getByRole('combobox', { name: 'Operatore' }).click();
  await page.getByRole('option').first().click();
  await expect(page.getByTestId('operator-skills')).toBeVisible();
  await expectAccessible(page, testInfo);

  await page.getByRole('tab', { name: 'Numeri' }).click();
  await expect(page.getByTestId('numbers-table').locator('tbody tr').first()).toContainText('+39');
  await page.getByRole('tab', { name: 'Flussi IVR' }).click();
  await expect(page.getByTestId('ivr-table').locator('tbody tr').first()).toBeVisible();
  await page.getByRole('button', { name: 'Nuovo flusso IVR' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Nome' }).fill('Flusso rotto');
  await dialog.getByRole('textbox', { name: 'Definizione (JSON)' }).fill(
    JSON.stringify({
      entry: 'start',
      nodes: { start: { type: 'message', text: 'Ciao', next: 'nowhere' } },
    }),
  );
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog.getByTestId('problem')).toBeVisible();
  await expect(dialog.getByTestId('problem')).toContainText('nowhere');
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'admin-ivr-refused');
});

test('an administrator changes an account: role and disabled through the edit form; the last admin is kept', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, 'admin@centralino.demo');
  await page.getByRole('navigation').getByRole('link', { name: 'Amministrazione' }).click();
  const users = page.getByTestId('users-table');
  await expect(users).toContainText('viewer@bisturi-gentile.demo');

  const email = `temporaneo-${Date.now()}@centralino.demo`;
  await page.getByRole('button', { name: 'Nuovo utente' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await dialog.getByRole('textbox', { name: 'Nome' }).fill('Operatore temporaneo');
  await dialog.getByRole('textbox', { name: 'Password' }).fill('una-password-lunga');
  await dialog.getByRole('button', { name: 'Crea' }).click();
  await expect(dialog).toHaveCount(0);
  const row = users.getByRole('row', { name: new RegExp(email) });
  await expect(row).toContainText('Operatore');

  await row.getByRole('button', { name: `Modifica ${email}` }).click();
  await dialog.getByRole('combobox', { name: 'Ruolo' }).click();
  await page.getByRole('option', { name: 'Supervisore' }).click();
  await dialog.getByRole('switch', { name: 'Disattivato' }).check();
  await expectAccessible(page, testInfo);
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText('Supervisore');
  await expect(row).toContainText('Disattivato');

  // The only active admin cannot switch itself off: the server's refusal is shown in the form.
  await users
    .getByRole('row', { name: /admin@centralino\.demo/ })
    .getByRole('button', { name: 'Modifica admin@centralino.demo' })
    .click();
  await dialog.getByRole('switch', { name: 'Disattivato' }).check();
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog.getByTestId('problem')).toContainText('admin');
  await dialog.getByRole('button', { name: 'Annulla' }).click();
  await expect(users.getByRole('row', { name: /admin@centralino\.demo/ })).not.toContainText('Disattivato');
});
