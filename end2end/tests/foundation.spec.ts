// Foundation scenario: log in, create a company and a person, find and edit the person,
// server-side validation keeps typed input, and a normal user cannot reach /beheer.
//
// Expects a freshly migrated database with the demo data (`postkamer migrate && postkamer demo`),
// as scripts/test.sh sets up: the names below must not exist yet.
import {
  DEMO,
  byTest,
  currentPath,
  expect,
  expectPathThenHydrated,
  fieldError,
  field,
  fill,
  gotoApp,
  login,
  openRow,
  save,
  test,
} from './fixtures';

const COMPANY = 'Testbedrijf Playwright B.V.';
const PERSON = 'Eva van der Linden';
const SECOND_EMAIL = 'eva.linden@privemail.nl';

const COMPANY_DETAIL = /^\/relaties\/bedrijven\/\d+$/;
const PERSON_DETAIL = /^\/relaties\/personen\/\d+$/;

test.describe.serial('relaties as the demo SuperAdmin', () => {
  // Set by the person test, used by the later steps.
  let personPath = '';

  test.beforeEach(async ({ page }) => {
    await login(page, DEMO.admin.email, DEMO.admin.password);
  });

  test('a. create a company', async ({ page }) => {
    await gotoApp(page, '/relaties/bedrijven/nieuw');
    await fill(page, 'name', COMPANY);
    await fill(page, 'kvk_number', '12345678');
    await fill(page, 'address-city', 'Utrecht');
    await save(page);

    await expectPathThenHydrated(page, COMPANY_DETAIL);
    await expect(byTest(page, 'company-name')).toHaveText(COMPANY);
  });

  test('b. create a person with two e-mail addresses (add-email needs hydration)', async ({
    page,
  }) => {
    await gotoApp(page, '/relaties/personen/nieuw');
    await fill(page, 'first_name', 'Eva');
    await fill(page, 'tussenvoegsel', 'van der');
    await fill(page, 'last_name', 'Linden');
    await field(page, 'company_id').selectOption({ label: COMPANY });
    await byTest(page, 'email-0').fill('eva@testbedrijf.nl');

    // A client-side button: a second row appears only when the page has hydrated.
    await expect(byTest(page, 'email-1')).toHaveCount(0);
    await byTest(page, 'add-email').click();
    await expect(byTest(page, 'email-1')).toBeVisible();
    await byTest(page, 'email-1').fill(SECOND_EMAIL);
    await save(page);

    await expectPathThenHydrated(page, PERSON_DETAIL);
    await expect(byTest(page, 'person-name')).toHaveText(PERSON);
    personPath = currentPath(page);
  });

  test('c. search by the second e-mail address, open and edit the person', async ({ page }) => {
    await gotoApp(page, '/relaties');
    const search = byTest(page, 'search-input');
    await search.fill(SECOND_EMAIL);
    await search.press('Enter');

    const rows = byTest(page, 'person-row');
    const eva = rows.filter({ hasText: PERSON });
    await expect(eva).toBeVisible();
    await expect(rows).toHaveCount(1);

    await openRow(eva);
    await expectPathThenHydrated(page, PERSON_DETAIL);
    expect(currentPath(page)).toBe(personPath);
    await expect(byTest(page, 'person-name')).toHaveText(PERSON);

    await byTest(page, 'edit').click();
    await expect.poll(() => currentPath(page)).not.toBe(personPath);
    await expectPathThenHydrated(page, currentPath(page));
    await fill(page, 'job_title', 'Inkoper');
    // The salutation: the greeting the merge field relatie.aanhef gives, shown as it is chosen.
    await expect(byTest(page, 'salutation-example')).toHaveText('Beste Eva,');
    await field(page, 'salutation').selectOption('mevrouw');
    await expect(byTest(page, 'salutation-example')).toHaveText('Geachte mevrouw Van der Linden,');
    await save(page);

    await expectPathThenHydrated(page, personPath);
    await expect(byTest(page, 'person-job_title')).toContainText('Inkoper');
    await expect(byTest(page, 'person-salutation')).toHaveText('Geachte mevrouw Van der Linden,');
  });

  test('d. an invalid e-mail address is refused and the typed values are kept', async ({
    page,
  }) => {
    await gotoApp(page, personPath);
    await byTest(page, 'edit').click();
    await expect.poll(() => currentPath(page)).not.toBe(personPath);
    const editPath = currentPath(page);
    await expectPathThenHydrated(page, editPath);

    await expect(field(page, 'job_title')).toHaveValue('Inkoper');
    await byTest(page, 'email-1').fill('geen-geldig-adres');
    await save(page);

    const error = fieldError(page, 'emails[1].address');
    await expect(error).toBeVisible();
    await expect(error).toHaveText('Dit is geen geldig e-mailadres.');
    await expect(field(page, 'job_title')).toHaveValue('Inkoper');
    await expect(byTest(page, 'email-1')).toHaveValue('geen-geldig-adres');
    expect(currentPath(page)).toBe(editPath);
  });

  test('e. log out; a normal user gets no access to /beheer/gebruikers', async ({ page }) => {
    await byTest(page, 'logout').click();
    await expect(byTest(page, 'login-email')).toBeVisible();

    await login(page, DEMO.user.email, DEMO.user.password);
    await gotoApp(page, '/beheer/gebruikers');
    const forbidden = byTest(page, 'forbidden');
    await expect(forbidden).toBeVisible();
    await expect(forbidden).toContainText('Geen toegang');
    await expect(byTest(page, 'user-row')).toHaveCount(0);

    // Same session cookie as the page: the server itself refuses, not only the UI.
    const response = await page.request.get('/beheer/gebruikers');
    expect(response.status()).toBe(403);
  });
});

test('f. a wrong password shows an error', async ({ page }) => {
  await gotoApp(page, '/login');
  await byTest(page, 'login-email').fill(DEMO.admin.email);
  await byTest(page, 'login-password').fill('dit-is-niet-het-wachtwoord');
  await byTest(page, 'login-submit').click();

  const error = byTest(page, 'login-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('onjuist');
  await expect(byTest(page, 'login-email')).toBeVisible();
});
