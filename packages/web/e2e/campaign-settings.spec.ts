import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from './support.ts';

test('an administrator gives a campaign its calling window, retry policy and a custom disposition; an end before the start is refused with the server’s reason', async ({
  page,
}, testInfo) => {
  // Two accessibility passes over the whole campaign form, a reload and a dozen server round trips.
  test.setTimeout(120_000);
  await signIn(page, 'admin@centralino.demo');
  await page.goto('/admin?tab=campaigns');
  await page.getByRole('combobox', { name: 'Organizzazione' }).click();
  await page.getByRole('option', { name: 'Fondazione Bisturi Gentile' }).click();
  await expect(page.getByTestId('campaigns-table').locator('tbody tr').first()).toBeVisible();

  await page.getByRole('button', { name: 'Nuova campagna' }).click();
  const dialog = page.getByRole('dialog');
  // Without a window of its own the campaign dials in the server's default hours: the form says which.
  await expect(dialog.getByTestId('default-window')).toContainText('09:00–21:00');
  await expect(dialog.getByTestId('default-window')).toContainText('09:00–13:00');
  await dialog.getByRole('textbox', { name: 'Nome', exact: true }).fill('Lasciti: serale');
  await dialog.getByRole('combobox', { name: 'Ciclo' }).click();
  await page.getByRole('option', { name: 'one_off' }).click();

  await dialog.getByRole('combobox', { name: 'Fasce orarie di chiamata' }).click();
  await page.getByRole('option', { name: '+ Nuova finestra di chiamata' }).click();
  await dialog.getByRole('textbox', { name: 'Nome della finestra' }).fill('Sere feriali');
  const first = dialog.getByRole('group', { name: 'Fascia 1' });
  await first.getByRole('textbox', { name: 'Dalle', exact: true }).fill('18:00');
  await first.getByRole('textbox', { name: 'Alle', exact: true }).fill('09:00');
  await dialog.getByRole('button', { name: 'Elimina Fascia 2' }).click();
  await expect(dialog.getByRole('group', { name: 'Fascia 2' })).toHaveCount(0);
  await dialog.getByRole('combobox', { name: 'Festivi (AAAA-MM-GG)' }).fill('2026-12-24');
  await dialog.getByRole('combobox', { name: 'Festivi (AAAA-MM-GG)' }).press('Enter');

  await dialog.getByRole('textbox', { name: 'Segreteria: dopo (min)' }).fill('240');
  await dialog.getByRole('textbox', { name: 'Segreteria: tentativi' }).fill('2');
  await dialog.getByRole('textbox', { name: 'Non riuscita: dopo (min)' }).fill('60');
  await dialog.getByRole('textbox', { name: 'Non risponde: dopo (min)' }).fill('90');

  // The merge fields are listed; a click puts one in the script, and the preview fills it.
  await dialog.getByRole('textbox', { name: 'Script' }).fill('Buonasera ');
  await dialog
    .getByRole('group', { name: 'Campi unione' })
    .getByRole('button', { name: '{{firstName}}' })
    .click();
  await expect(dialog.getByRole('textbox', { name: 'Script' })).toHaveValue('Buonasera {{firstName}}');
  await expect(dialog.getByTestId('script-preview')).toContainText('Buonasera Maria');

  // The end before the start: the calling-window API's reason, on the period's "To" field.
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog.getByTestId('problem')).toContainText("must be after 'from' (18:00)");
  await expect(first.getByRole('textbox', { name: 'Alle', exact: true })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await expect(first).toContainText("must be after 'from' (18:00)");
  await expectAccessible(page, testInfo);
  await dialog
    .getByTestId('window-editor')
    .screenshot({ path: testInfo.outputPath('campaign-window-refused.png') });

  await first.getByRole('textbox', { name: 'Alle', exact: true }).fill('20:30');
  await first.getByRole('checkbox', { name: 'Sab' }).uncheck();
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog).toHaveCount(0);
  const row = page.getByTestId('campaigns-table').getByRole('row', { name: /Lasciti: serale/ });
  await expect(row).toContainText('Sere feriali');

  // Read back from the server after a reload: what was saved is what the form shows.
  await page.reload();
  await row.getByRole('button', { name: 'Modifica Lasciti: serale' }).click();
  await expect(dialog.getByRole('combobox', { name: 'Fasce orarie di chiamata' })).toHaveValue(
    'Sere feriali',
  );
  await expect(first.getByRole('textbox', { name: 'Dalle', exact: true })).toHaveValue('18:00');
  await expect(first.getByRole('textbox', { name: 'Alle', exact: true })).toHaveValue('20:30');
  await expect(first.getByRole('checkbox', { name: 'Ven' })).toBeChecked();
  await expect(first.getByRole('checkbox', { name: 'Sab' })).not.toBeChecked();
  await expect(dialog.getByRole('group', { name: 'Fascia 2' })).toHaveCount(0);
  await expect(dialog.getByTestId('window-editor')).toContainText('2026-12-24');
  await expect(dialog.getByRole('textbox', { name: 'Segreteria: dopo (min)' })).toHaveValue('240');
  await expect(dialog.getByRole('textbox', { name: 'Segreteria: tentativi' })).toHaveValue('2');
  await expect(dialog.getByRole('textbox', { name: 'Non riuscita: dopo (min)' })).toHaveValue('60');
  await expect(dialog.getByRole('textbox', { name: 'Non riuscita: tentativi' })).toHaveValue('');
  await expect(dialog.getByRole('textbox', { name: 'Non risponde: dopo (min)' })).toHaveValue('90');
  await expect(dialog.getByRole('textbox', { name: 'Occupato: dopo (min)' })).toHaveValue('20');
  await expect(dialog.getByRole('textbox', { name: 'Script' })).toHaveValue('Buonasera {{firstName}}');

  // The cycle's dispositions: the standard ones, and one of the organization's own added here.
  const dispositions = dialog.getByTestId('campaign-dispositions');
  await expect(dispositions).toContainText('Non interessato');
  const added = dispositions.getByRole('group', { name: 'Nuovo esito' });
  await added.getByRole('textbox', { name: 'Codice' }).fill('Trasferito Estero');
  await added.getByRole('textbox', { name: 'Etichetta (italiano)' }).fill('Trasferito all’estero');
  await added.getByRole('textbox', { name: 'Etichetta (inglese)' }).fill('Moved abroad');
  await added.getByRole('button', { name: 'Aggiungi esito' }).click();
  // The code's pattern is the server's: its message shows on the field.
  await expect(added.getByRole('textbox', { name: 'Codice' })).toHaveAttribute('aria-invalid', 'true');
  await added.getByRole('textbox', { name: 'Codice' }).fill('trasferito_estero');
  await added.getByRole('button', { name: 'Aggiungi esito' }).click();
  await expect(dispositions.getByTestId('custom-dispositions')).toContainText('trasferito_estero');
  await expect(dispositions.getByTestId('custom-dispositions')).toContainText('one_off');
  await expect(added.getByRole('textbox', { name: 'Codice' })).toHaveValue('');
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'campaign-settings');
});
