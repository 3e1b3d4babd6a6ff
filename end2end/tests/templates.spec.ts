// Beheer → E-mail → E-mailsjablonen with the editor (ProseMirror, loaded on demand), following the
// help text "Hoe voeg ik het Inhoud-blok toe aan mijn e-mailsjabloon?": Actietypen shows which
// template E-mail uit uses, Open it, cursor on the line below the greeting, Div. → Inhoud,
// Opslaan. Also: merge fields with a fallback and the preview, paste cleaning, a Gebruiker who
// may look but not change (UI and API), Verwijderen refused while an action type uses a template,
// the warning before unsaved changes are lost.
//
// The demo data has "Standaard" (with an Inhoud block) opened by E-mail uit, and "Oud sjabloon"
// without one; the first test makes "Oud sjabloon" E-mail uit's template, as a customer who
// has used an old template for years, and puts E-mail uit back at the end.
import { type Page } from '@playwright/test';
import { DEMO, byTest, expect, expectPathThenHydrated, field, gotoApp, login, test } from './fixtures';

const LIST = '/beheer/e-mail/sjablonen';
const ACTION_TYPES = '/beheer/e-mail/actietypen';
const TEMPLATE_PAGE = /^\/beheer\/e-mail\/sjablonen\/\d+$/;
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/** The editor's editable area. */
function prose(page: Page) {
  return byTest(page, 'editor-body').locator('.ProseMirror');
}

/** Waits until the editor module has loaded and the editor reported its state. */
async function editorReady(page: Page): Promise<void> {
  await expect(byTest(page, 'editor')).toHaveAttribute('data-ready', 'true');
  await expect(prose(page)).toBeVisible();
}

/** Chooses the template of E-mail uit on the Actietypen page and saves the row. */
async function setEmailOutTemplate(page: Page, template: string): Promise<void> {
  await gotoApp(page, ACTION_TYPES);
  const row = page.locator('[data-test="action-type"][data-kind="email_out"]');
  await row.getByTestId('action-type-template').selectOption({ label: template });
  await row.getByTestId('action-type-save').click();
  await expect(row.getByTestId('action-type-saved')).toBeVisible();
}

/** The id in the URL of a template page. */
function templateId(page: Page): string {
  return new URL(page.url()).pathname.split('/').pop() ?? '';
}

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
      return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
    },
    { method, path, body },
  );
}

/** A new template from Nieuw sjabloon, with the cursor in its Inhoud block. */
async function newTemplate(page: Page, name: string): Promise<void> {
  await gotoApp(page, LIST);
  await byTest(page, 'new-template').click();
  await expectPathThenHydrated(page, `${LIST}/nieuw`);
  await editorReady(page);
  await field(page, 'name').fill(name);
  await prose(page).locator('[data-inhoud] p').first().click();
}

async function save(page: Page): Promise<void> {
  await byTest(page, 'template-save').click();
  await expect(byTest(page, 'saved')).toBeVisible();
  await expect(byTest(page, 'unsaved')).toHaveCount(0);
}

test('the Inhoud block goes into the default template exactly as the help text says', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.password);
  await setEmailOutTemplate(page, 'Oud sjabloon');

  // "Ga naar menu-optie Beheer -> E-mail -> E-mailsjablonen."
  await gotoApp(page, '/beheer');
  await byTest(page, 'beheer-link-sjablonen').click();
  await expectPathThenHydrated(page, LIST);
  // "Klik bovenin op Actietypen en controleer welk sjabloon is gekoppeld aan het type E-mail uit."
  await byTest(page, 'open-action-types').click();
  await expectPathThenHydrated(page, ACTION_TYPES);
  const emailOut = page.locator('[data-test="action-type"][data-kind="email_out"]');
  await expect(emailOut.getByTestId('action-type-name')).toHaveValue('E-mail uit');
  await expect(emailOut.getByTestId('action-type-template').locator('option:checked')).toHaveText('Oud sjabloon');

  // "Open het standaard sjabloon." — timed from the click to an editable editor.
  const clicked = Date.now();
  await emailOut.getByTestId('action-type-open').click();
  await expectPathThenHydrated(page, TEMPLATE_PAGE);
  await editorReady(page);
  await expect(prose(page)).toHaveAttribute('contenteditable', 'true');
  console.log(`editor: ${Date.now() - clicked} ms from the click on Open to an editable editor`);
  await expect(field(page, 'name')).toHaveValue('Oud sjabloon');
  await expect(prose(page).locator('[data-inhoud]')).toHaveCount(0);

  // "Plaats de cursor op de regel onder de aanhef. Klik in de actiebalk op Div. → Inhoud."
  const greeting = prose(page).locator(':scope > p').first();
  await expect(greeting.locator('[data-field="relatie.aanhef"]')).toBeVisible();
  await prose(page).locator(':scope > p').nth(1).click();
  await byTest(page, 'tb-div').click();
  await expect(byTest(page, 'div-inhoud')).toBeEnabled();
  await byTest(page, 'div-inhoud').click();
  await expect(prose(page).locator(':scope > :nth-child(2)')).toHaveAttribute('data-inhoud', '');
  await expect(byTest(page, 'unsaved')).toBeVisible();
  // The cursor is in the block: what is typed now lands there.
  await page.keyboard.type('Hier komt de tekst.');
  await expect(prose(page).locator('[data-inhoud]')).toContainText('Hier komt de tekst.');
  for (let i = 0; i < 'Hier komt de tekst.'.length; i++) await page.keyboard.press('Backspace');
  await expect(prose(page).locator('[data-inhoud]')).toHaveText('');

  // "Klik op Opslaan."
  await save(page);

  // Reopened: the block is there, below the greeting, and Div. → Inhoud says why it is off.
  await page.reload();
  await expectPathThenHydrated(page, TEMPLATE_PAGE);
  await editorReady(page);
  await expect(prose(page).locator(':scope > :nth-child(1) [data-field="relatie.aanhef"]')).toBeVisible();
  await expect(prose(page).locator(':scope > :nth-child(2)')).toHaveAttribute('data-inhoud', '');
  await expect(prose(page).locator('[data-inhoud]')).toHaveCount(1);
  await byTest(page, 'tb-div').click();
  await expect(byTest(page, 'div-inhoud')).toBeDisabled();
  await expect(byTest(page, 'div-inhoud-reason')).toContainText('al een Inhoud-blok');

  // The list says so too.
  await gotoApp(page, LIST);
  const row = page.locator('[data-test="template-row"][data-name="Oud sjabloon"]');
  await expect(row.getByTestId('template-used-by')).toHaveText('E-mail uit');
  await expect(row.getByTestId('template-has-inhoud')).toHaveText('ja');

  await setEmailOutTemplate(page, 'Standaard');
});

test('a merge field with a fallback from Div. → Samenvoegveld; the preview shows the fallback for a relation without a first name', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.password);
  const lastName = `Zondervoornaam${RUN}`;
  const created = await api(page, 'POST', '/api/v1/persons', { last_name: lastName });
  expect(created.status, created.text).toBe(201);

  await newTemplate(page, `Velden ${RUN}`);
  await byTest(page, 'tb-div').click();
  await byTest(page, 'div-field').click();
  await byTest(page, 'field-key').selectOption('relatie.voornaam');
  await byTest(page, 'field-fallback').fill('beste klant');
  await byTest(page, 'field-insert').click();
  const chip = prose(page).locator('[data-inhoud] [data-field="relatie.voornaam"]');
  await expect(chip).toHaveAttribute('data-fallback', 'beste klant');
  await field(page, 'subject').fill('Vraag voor {relatie.voornaam|u}');
  await save(page);
  await expectPathThenHydrated(page, TEMPLATE_PAGE);

  await byTest(page, 'preview-search').fill(lastName);
  await byTest(page, 'preview-pick').first().click();
  await expect(byTest(page, 'preview-person')).toContainText(lastName);
  await byTest(page, 'preview-show').click();
  await expect(byTest(page, 'preview-subject')).toHaveText('Vraag voor u');
  await expect(page.frameLocator('[data-test="preview-html"]').locator('body')).toContainText('beste klant');
  await expect(byTest(page, 'preview-text')).toContainText('beste klant');

  // An unknown merge field in the subject is refused on save, and nothing typed is lost.
  await field(page, 'subject').fill('Vraag voor {relatie.geheim}');
  await byTest(page, 'template-save').click();
  await expect(byTest(page, 'error-subject')).toBeVisible();
  await expect(field(page, 'subject')).toHaveValue('Vraag voor {relatie.geheim}');
  await expect(chip).toBeVisible();
});

test('pasting HTML keeps the text and drops scripts, event handlers, javascript: links and Word markup', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await login(page, DEMO.admin.email, DEMO.admin.password);
  await newTemplate(page, `Plakken ${RUN}`);
  const html = [
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">',
    '<head><meta name=Generator content="Microsoft Word 15"><style>p.MsoNormal{mso-style-parent:"";font-family:Calibri}</style>',
    '<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]--></head><body>',
    '<p class=MsoNormal style="mso-margin-top-alt:auto"><span lang=NL style="font-family:Calibri">Tekst uit Word<o:p></o:p></span></p>',
    '<p>Hallo<script>alert("script")</script><img src=x onerror="alert(\'img\')"> <a href="javascript:alert(\'link\')">klik hier</a>',
    ' en <a href="https://www.voorbeeld.nl" onclick="alert(\'click\')">een echte link</a></p>',
    '<div onmouseover="alert(1)"><b>vet</b></div></body></html>',
  ].join('');
  await prose(page).evaluate((element, html) => {
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'Tekst uit Word');
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, html);
  await expect(prose(page)).toContainText('Tekst uit Word');
  await expect(prose(page)).toContainText('klik hier');
  await save(page);
  await expectPathThenHydrated(page, TEMPLATE_PAGE);

  const stored = await api(page, 'GET', `/api/v1/templates/${templateId(page)}`);
  expect(stored.status).toBe(200);
  const body: string = JSON.parse(stored.text).body;
  expect(body).toContain('Tekst uit Word');
  expect(body).toContain('klik hier');
  expect(body).toContain('https://www.voorbeeld.nl');
  expect(body).toContain('"strong"');
  for (const unwanted of ['script', 'alert', 'onerror', 'onclick', 'onmouseover', 'javascript:', 'mso', 'Mso', 'Calibri', 'WordDocument', 'o:p', 'Generator', '"image"']) {
    expect(body, `the stored document holds ${unwanted}`).not.toContain(unwanted);
  }
  expect(dialogs).toEqual([]);
});

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

test('an image from the computer goes in at the cursor, shows in the editor and in the preview', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.password);
  await newTemplate(page, `Afbeelding ${RUN}`);
  // Not an image, whatever its name says: refused with the reason, nothing inserted.
  await byTest(page, 'tb-image-file').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from('<svg onload="alert(1)"></svg>') });
  await expect(byTest(page, 'tb-image-refused')).toContainText('geen afbeelding');
  // (ProseMirror's own separator <img> after an inline node at a line end has no data-src.)
  await expect(prose(page).locator('img[data-src]')).toHaveCount(0);

  await byTest(page, 'tb-image-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') });
  const image = prose(page).locator('[data-inhoud] img[data-src]');
  await expect(image).toHaveAttribute('data-src', /^cid:img-[0-9a-f]{16}\.png$/);
  await expect(image).toHaveAttribute('alt', 'logo');
  await expect(byTest(page, 'tb-image-refused')).toHaveCount(0);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  await save(page);

  await byTest(page, 'preview-show').click();
  const shown = page.frameLocator('[data-test="preview-html"]').locator('img');
  await expect(shown).toHaveAttribute('src', `data:image/png;base64,${PNG}`);
});

test('a Gebruiker sees templates and action types but cannot change them, in the UI or through the API', async ({ page }) => {
  await login(page, DEMO.user.email, DEMO.user.password);
  await gotoApp(page, LIST);
  await expect(byTest(page, 'new-template')).toHaveCount(0);
  const standaard = page.locator('[data-test="template-row"][data-name="Standaard"]');
  await expect(standaard.getByTestId('template-delete')).toHaveCount(0);
  await standaard.getByTestId('template-open').click();
  await expectPathThenHydrated(page, TEMPLATE_PAGE);
  await editorReady(page);
  await expect(byTest(page, 'read-only')).toBeVisible();
  await expect(byTest(page, 'template-save')).toHaveCount(0);
  await expect(byTest(page, 'tb-div')).toHaveCount(0);
  await expect(prose(page)).toHaveAttribute('contenteditable', 'false');
  await expect(prose(page).locator('[data-inhoud]')).toHaveCount(1);

  const id = templateId(page);
  const refused = await api(page, 'PUT', `/api/v1/templates/${id}`, { name: 'Gekaapt', subject: '', body: '{"type":"doc","content":[{"type":"paragraph"}]}' });
  expect(refused.status).toBe(403);
  expect(refused.type).toContain('application/problem+json');
  const deleted = await api(page, 'DELETE', `/api/v1/templates/${id}`);
  expect(deleted.status).toBe(403);

  await gotoApp(page, ACTION_TYPES);
  await expect(byTest(page, 'action-type-save')).toHaveCount(0);
  await expect(page.locator('[data-test="action-type"][data-kind="email_out"]').getByTestId('action-type-template-name')).toHaveText('Standaard');
});

test('Verwijderen is refused while an action type uses the template; leaving with unsaved changes asks first', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.password);
  await gotoApp(page, LIST);
  page.once('dialog', (dialog) => dialog.accept());
  await page.locator('[data-test="template-row"][data-name="Standaard"]').getByTestId('template-delete').click();
  await expect(byTest(page, 'error')).toContainText('gekoppeld aan een actietype');
  await expect(page.locator('[data-test="template-row"][data-name="Standaard"]')).toHaveCount(1);

  await page.locator('[data-test="template-row"][data-name="Standaard"]').getByTestId('template-open').click();
  await expectPathThenHydrated(page, TEMPLATE_PAGE);
  await editorReady(page);
  await prose(page).locator('[data-inhoud] p').first().click();
  await page.keyboard.type('Nog niet opgeslagen');
  await expect(byTest(page, 'unsaved')).toBeVisible();
  let asked = '';
  page.once('dialog', async (dialog) => {
    asked = dialog.message();
    await dialog.dismiss();
  });
  await page.locator('.crumbs a[href="/beheer/e-mail/sjablonen"]').click();
  await expect.poll(() => asked).toContain('niet-opgeslagen wijzigingen');
  expect(new URL(page.url()).pathname).toMatch(TEMPLATE_PAGE);
  await expect(prose(page)).toContainText('Nog niet opgeslagen');
});

test('Mijn gegevens: a user keeps their job title and phone number for the gebruiker.* merge fields', async ({ page }) => {
  await login(page, DEMO.user.email, DEMO.user.password);
  await gotoApp(page, '/beheer');
  await page.getByRole('link', { name: 'Mijn gegevens' }).click();
  await expectPathThenHydrated(page, '/beheer/gebruikersinstellingen/mijn-gegevens');
  const title = `Adviseur ${RUN}`;
  await field(page, 'job_title').fill(title);
  // A phone number that is none: refused at the field, what was typed stays.
  await field(page, 'phone').fill('bel me');
  await byTest(page, 'save').click();
  await expect(byTest(page, 'error-phone')).toBeVisible();
  await expect(field(page, 'job_title')).toHaveValue(title);
  await field(page, 'phone').fill('020 123 4567');
  await byTest(page, 'save').click();
  await expect(byTest(page, 'details-saved')).toBeVisible();

  await gotoApp(page, '/beheer/gebruikersinstellingen/mijn-gegevens');
  await expect(field(page, 'job_title')).toHaveValue(title);
  await expect(field(page, 'phone')).not.toHaveValue('');
});
