// Mail out, as far as it goes without the compose window: the user's SMTP server under
// Beheer → Gebruikersinstellingen → E-mail ("Verbinding testen" with a wrong and the right
// password, Opslaan, the password never shown again), a message sent through it (the JSON API,
// with the browser's session) that Postvak UIT shows verzonden, and one the server defers that
// shows mislukt with its reason and next attempt, then Annuleren.
//
// Needs what scripts/test.sh sets up: the throw-away SMTP server, in this process
//   POSTKAMER_TEST_SMTP_PLAIN     host:port of its listener without TLS (127.0.0.1)
//   POSTKAMER_TEST_SMTP_LOGIN     its login
//   POSTKAMER_TEST_SMTP_PASSWORD  its password
// Without them the tests are skipped.
import { type Page } from '@playwright/test';
import { DEMO, byTest, expect, field, gotoApp, login, test } from './fixtures';

const SMTP = process.env.POSTKAMER_TEST_SMTP_PLAIN ?? '';
const SMTP_LOGIN = process.env.POSTKAMER_TEST_SMTP_LOGIN ?? '';
const SMTP_PASSWORD = process.env.POSTKAMER_TEST_SMTP_PASSWORD ?? '';
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const SETTINGS = '/beheer/gebruikersinstellingen/e-mail';

/** A JSON API call with the browser's session (and its CSRF token, as the UI sends it). */
async function api(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
      const response = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    },
    { method, path, body },
  );
}

test.describe('Postvak UIT', () => {
  test.skip(!SMTP, 'needs the throw-away SMTP server of scripts/test.sh');

  test('the SMTP server is tested and saved, and mail through it shows in Postvak UIT', async ({ page }) => {
    const [host, port] = SMTP.split(':');
    await login(page, DEMO.user.email, DEMO.user.password);
    await gotoApp(page, SETTINGS);
    const form = byTest(page, 'smtp-form');
    await field(page, 'smtp-host').fill(host);
    await field(page, 'smtp-port').fill(port);
    await byTest(page, 'smtp-tls').selectOption('none');
    await field(page, 'smtp-login').fill(SMTP_LOGIN);
    await field(page, 'smtp-password').fill('fout');
    await byTest(page, 'smtp-test').click();
    await expect(byTest(page, 'smtp-error')).toContainText('wachtwoord');
    await expect(field(page, 'smtp-host'), 'what was typed stays').toHaveValue(host);

    await field(page, 'smtp-password').fill(SMTP_PASSWORD);
    await byTest(page, 'smtp-test').click();
    await expect(byTest(page, 'smtp-ok')).toBeVisible();
    await form.getByTestId('smtp-save').click();
    await expect(byTest(page, 'smtp-saved')).toBeVisible();

    await page.reload();
    await expect(field(page, 'smtp-host')).toHaveValue(host);
    await expect(field(page, 'smtp-password')).toHaveValue('');
    await expect(field(page, 'smtp-password')).toHaveAttribute('placeholder', 'ongewijzigd');

    const subject = `Offerte ${RUN}`;
    const sent = await api(page, 'POST', '/api/v1/mail/send', {
      to: [{ address: 'klant@example.com' }],
      subject,
      text: 'Beste klant,\n\nHierbij de offerte.\n',
    });
    expect(sent.status, sent.text).toBe(202);
    const deferred = `Uitgesteld ${RUN}`;
    const later = await api(page, 'POST', '/api/v1/mail/send', {
      to: [{ address: 'defer-x@example.com' }],
      subject: deferred,
      text: 'Later.\n',
    });
    expect(later.status, later.text).toBe(202);

    await gotoApp(page, '/');
    await byTest(page, 'folder-outbox').click();
    await expect(page).toHaveURL(/\/postvak-uit$/);
    const row = page.locator('[data-test="outbox-row"]', { hasText: subject });
    // The list refreshes itself while a message is under way.
    await expect(row).toHaveAttribute('data-state', 'verzonden', { timeout: 30_000 });
    await expect(row.getByTestId('outbox-state')).toHaveText('Verzonden');

    const failed = page.locator('[data-test="outbox-row"]', { hasText: deferred });
    await expect(failed).toHaveAttribute('data-state', 'mislukt', { timeout: 30_000 });
    await expect(failed.getByTestId('outbox-error')).toContainText('451');
    await expect(failed.getByTestId('outbox-retry-at')).toBeVisible();
    await failed.getByTestId('outbox-cancel').click();
    await expect(failed).toHaveAttribute('data-state', 'geannuleerd');
    await expect(failed.getByTestId('outbox-cancel')).toHaveCount(0);
  });
});
