// Relation sync (CardDAV): the demo user switches sync on under Beheer → Gebruikersinstellingen →
// Synchronisatie, marks exactly two new relations (one with the list's bulk action, one on its
// page), and a CardDAV client — plain HTTP from Node, as a phone would — sees exactly those two
// cards. An app password made on the page works until it is revoked.
//
// Expects the demo data (`postkamer migrate && postkamer demo`); other relations the demo marked
// are unmarked first through the list, so "exactly two" holds whatever ran before.
import type { APIRequestContext, APIResponse, Page } from '@playwright/test';
import {
  DEMO,
  byTest,
  currentPath,
  expect,
  expectPathThenHydrated,
  fill,
  gotoApp,
  login,
  save,
  test,
} from './fixtures';

const SYNC_PAGE = '/beheer/gebruikersinstellingen/synchronisatie';
const PERSON_DETAIL = /^\/relaties\/personen\/\d+$/;

// Unique per run, so a reused database does not get in the way.
const TAG = `Koppel${Date.now().toString(36)}`;
const PERSONS = [
  { first: 'Sanne', last: `${TAG}-een` },
  { first: 'Daan', last: `${TAG}-twee` },
].map((p) => ({ ...p, name: `${p.first} ${p.last}` }));
const DEVICE = `Playwright ${TAG}`;
const USER_AGENT = `PostkamerE2E/${TAG}`;

// ---------------------------------------------------------------- CardDAV from Node

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

const PRINCIPAL_QUERY =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>';
const HOME_QUERY =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:prop><c:addressbook-home-set/></d:prop></d:propfind>';
const NAME_QUERY =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>';
const ETAG_QUERY =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>';

async function propfind(
  dav: APIRequestContext,
  path: string,
  auth: string,
  depth: '0' | '1',
  body = PRINCIPAL_QUERY,
): Promise<APIResponse> {
  return dav.fetch(path, {
    method: 'PROPFIND',
    headers: { Authorization: auth, Depth: depth, 'Content-Type': 'application/xml; charset=utf-8' },
    data: body,
  });
}

/** The text of every `<href>` (any namespace prefix) in a multistatus answer. */
function hrefs(xml: string): string[] {
  return [...xml.matchAll(/<(?:[A-Za-z0-9]+:)?href>([^<]*)<\/(?:[A-Za-z0-9]+:)?href>/g)].map((m) => m[1].trim());
}

/** The FN line of a vCard, unfolded. */
function formattedName(vcard: string): string | undefined {
  const unfolded = vcard.replace(/\r?\n[ \t]/g, '');
  return unfolded.match(/^FN(?:;[^:]*)?:(.*)$/m)?.[1]?.trim();
}

// ---------------------------------------------------------------- UI steps

/** The switch to the wanted state, then the page says so. */
async function setSync(page: Page, on: boolean): Promise<void> {
  const toggle = byTest(page, 'sync-toggle');
  if (on) await toggle.check();
  else await toggle.uncheck();
  await expect(byTest(page, 'sync-state')).toHaveText(on ? 'Aan' : 'Uit');
  await expect(toggle).toBeChecked({ checked: on });
  await expect(toggle).toHaveAttribute('aria-busy', 'false');
  // The switch is not drawn anew: the keyboard focus stays on it.
  await expect(toggle).toBeFocused();
}

/** Unmarks, page by page with the bulk action, every relation the organisation marked. */
async function unmarkAll(page: Page): Promise<void> {
  await gotoApp(page, '/relaties');
  const info = (await byTest(page, 'page-info').textContent()) ?? '';
  const pages = Number(info.match(/van (\d+)/)?.[1] ?? '1');
  for (let n = 1; n <= pages; n++) {
    if (n > 1) await gotoApp(page, `/relaties?page=${n}`);
    await expect(byTest(page, 'page-info')).toContainText(`Pagina ${n} van`);
    if ((await byTest(page, 'person-synced').count()) === 0) continue;
    await byTest(page, 'person-select-all').check();
    await expect(byTest(page, 'bulk-count')).toContainText('geselecteerd');
    await byTest(page, 'bulk-sync-off').click();
    await expect(byTest(page, 'bulk-result')).toBeVisible();
    await expect(byTest(page, 'person-synced')).toHaveCount(0);
    await expect(byTest(page, 'person-select-all')).not.toBeChecked();
  }
}

async function createPerson(page: Page, first: string, last: string): Promise<string> {
  await gotoApp(page, '/relaties/personen/nieuw');
  await fill(page, 'first_name', first);
  await fill(page, 'last_name', last);
  await save(page);
  await expectPathThenHydrated(page, PERSON_DETAIL);
  await expect(byTest(page, 'person-name')).toHaveText(`${first} ${last}`);
  return currentPath(page);
}

// ---------------------------------------------------------------- the scenario

test('relation sync: switch on, mark two relations, a phone sees exactly those; app passwords', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const base = baseURL ?? 'http://127.0.0.1:3000';
  const dav = await playwright.request.newContext({
    baseURL: base,
    extraHTTPHeaders: { 'User-Agent': USER_AGENT },
  });
  const withPassword = basic(DEMO.user.email, DEMO.user.password);
  try {
    await scenario(page, dav, withPassword, base);
  } finally {
    await dav.dispose();
  }
});

async function scenario(page: Page, dav: APIRequestContext, withPassword: string, base: string): Promise<void> {
  await login(page, DEMO.user.email, DEMO.user.password);

  await test.step('open Synchronisatie through the menu and switch sync off, then on', async () => {
    await byTest(page, 'nav-beheer').click();
    await expectPathThenHydrated(page, '/beheer');
    await byTest(page, 'beheer-link-synchronisatie').click();
    await expectPathThenHydrated(page, SYNC_PAGE);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Synchronisatie');
    await expect(byTest(page, 'sync-toggle')).toBeEnabled();

    // Whatever the demo data said: off first, and then a phone is refused …
    await setSync(page, false);
    const refused = await propfind(dav, '/dav/', withPassword, '0');
    expect(refused.status(), await refused.text()).toBe(403);
    // … then on.
    await setSync(page, true);

    // The values to type into the phone.
    const host = new URL(base).host;
    await expect(byTest(page, 'sync-server')).toHaveValue(host);
    await expect(byTest(page, 'sync-url')).toHaveValue(`http://${host}/dav/`);
    await expect(byTest(page, 'sync-username')).toHaveValue(DEMO.user.email);
    await expect(byTest(page, 'sync-description')).toHaveValue('Postkamer relaties');
    await expect(byTest(page, 'mobileconfig')).toHaveAttribute(
      'href',
      `${SYNC_PAGE}/postkamer.mobileconfig`,
    );
    await expect(byTest(page, 'sync-ios')).toContainText(
      'Instellingen → Apps → Contacten → Contacten-accounts',
    );
    await expect(byTest(page, 'sync-ios')).toContainText('Voeg CardDAV-account toe');
    await expect(byTest(page, 'sync-android')).toContainText(
      'Instellingen → Accounts → Account toevoegen',
    );
    await expect(byTest(page, 'sync-delete-note')).toContainText(
      'Verwijdert u een contact op uw telefoon, dan blijft de relatie in Postkamer bestaan; alleen de markering voor synchronisatie wordt uitgezet.',
    );
  });

  const paths: string[] = [];
  await test.step('create two relations', async () => {
    for (const p of PERSONS) paths.push(await createPerson(page, p.first, p.last));
  });

  await test.step('unmark every other relation with the bulk action', async () => {
    await unmarkAll(page);
    await gotoApp(page, SYNC_PAGE);
    await expect(byTest(page, 'sync-count')).toHaveText('0 relaties gemarkeerd voor synchronisatie');
  });

  await test.step('mark the first in the list, the second on its page', async () => {
    await gotoApp(page, `/relaties?q=${encodeURIComponent(TAG)}`);
    const rows = byTest(page, 'person-row');
    await expect(rows).toHaveCount(2);
    const first = rows.filter({ hasText: PERSONS[0].name });
    await first.getByTestId('person-select').check();
    await expect(byTest(page, 'bulk-count')).toHaveText('1 geselecteerd');
    await byTest(page, 'bulk-sync-on').click();
    await expect(first.getByTestId('person-synced')).toBeVisible();
    await expect(byTest(page, 'person-synced')).toHaveCount(1);
    await expect(byTest(page, 'bulk-count')).not.toContainText('geselecteerd');

    await gotoApp(page, paths[1]);
    await expect(byTest(page, 'person-sync')).toHaveText('nee');
    await expect(byTest(page, 'person-sync-hint')).toContainText('alleen de markering wordt dan uitgezet');
    const toggle = byTest(page, 'person-sync-toggle');
    await expect(toggle).toHaveText('Markeren voor synchronisatie');
    await toggle.click();
    await expect(byTest(page, 'person-sync')).toContainText('ja');
    await expect(toggle).toHaveText('Niet meer synchroniseren');
    await expect(byTest(page, 'person-sync-hint')).toHaveCount(0);

    // It sticks.
    await gotoApp(page, paths[1]);
    await expect(byTest(page, 'person-sync')).toContainText('ja');
    await gotoApp(page, SYNC_PAGE);
    await expect(byTest(page, 'sync-count')).toHaveText('2 relaties gemarkeerd voor synchronisatie');

    // The count leads to the relation list filtered to exactly the marked ones.
    await byTest(page, 'sync-relations-link').click();
    await expectPathThenHydrated(page, '/relaties');
    await expect(byTest(page, 'filter-synced')).toHaveAttribute('aria-pressed', 'true');
    const marked = byTest(page, 'person-row');
    await expect(marked).toHaveCount(2);
    for (const p of PERSONS) await expect(marked.filter({ hasText: p.name })).toHaveCount(1);
    await byTest(page, 'filter-synced').click();
    await expect(byTest(page, 'filter-synced')).toHaveAttribute('aria-pressed', 'false');
  });

  await test.step('a CardDAV client with the password sees exactly those two cards', async () => {
    const root = await propfind(dav, '/dav/', withPassword, '0');
    const rootXml = await root.text();
    expect(root.status(), rootXml).toBe(207);
    const principal = hrefs(rootXml).find((h) => /\/principals\/[^/]+\/$/.test(h));
    expect(principal, rootXml).toBeTruthy();
    // As a phone does: the principal's home set, then its address books with their cards.
    const home = await propfind(dav, principal!, withPassword, '0', HOME_QUERY);
    const homeXml = await home.text();
    expect(home.status(), homeXml).toBe(207);
    const homeSet = hrefs(homeXml).find((h) => /\/addressbooks\/[^/]+\/$/.test(h));
    expect(homeSet, homeXml).toBeTruthy();
    const books = await propfind(dav, homeSet!, withPassword, '1', ETAG_QUERY);
    const booksXml = await books.text();
    const book = hrefs(booksXml).find((h) => h !== homeSet && h.startsWith(homeSet!));
    expect(book, booksXml).toBeTruthy();

    const listing = await propfind(dav, book!, withPassword, '1', ETAG_QUERY);
    const bookXml = await listing.text();
    expect(listing.status(), bookXml).toBe(207);
    const cards = hrefs(bookXml).filter((h) => h.endsWith('.vcf'));
    expect(cards, bookXml).toHaveLength(2);

    const names: string[] = [];
    for (const href of cards) {
      const card = await dav.get(href, { headers: { Authorization: withPassword } });
      const text = await card.text();
      expect(card.status(), text).toBe(200);
      names.push(formattedName(text) ?? `(no FN in ${text})`);
    }
    expect(names.sort()).toEqual(PERSONS.map((p) => p.name).sort());
  });

  await test.step('a saved selection goes to the phone as a read-only address book', async () => {
    const name = `Selectie ${TAG}`;
    await gotoApp(page, `/relaties?q=${encodeURIComponent(TAG)}`);
    // Without a name: the Dutch message, nothing saved.
    await byTest(page, 'selection-save').click();
    await expect(byTest(page, 'error-name')).toBeVisible();
    await byTest(page, 'field-selection-name').fill(name);
    await byTest(page, 'selection-save').click();
    await expect(byTest(page, 'selection-saved')).toBeVisible();
    const link = byTest(page, 'selection-link').filter({ hasText: name });
    await expect(link).toHaveAttribute('aria-current', 'true');
    // The list is that selection now: nothing more to save.
    await expect(byTest(page, 'field-selection-name')).toHaveCount(0);
    // Another filter may not take the same name; what was typed stays.
    await gotoApp(page, `/relaties?q=${encodeURIComponent(TAG)}&gesynchroniseerd=ja`);
    await byTest(page, 'field-selection-name').fill(name);
    await byTest(page, 'selection-save').click();
    await expect(byTest(page, 'error-name')).toHaveText('U gebruikt deze naam al; kies een andere.');
    await expect(byTest(page, 'field-selection-name')).toHaveValue(name);

    await gotoApp(page, SYNC_PAGE);
    const row = byTest(page, 'selection-book').filter({ hasText: name });
    await expect(row.getByTestId('selection-book-state')).toHaveText('niet op uw telefoons');
    const toggle = row.getByTestId('selection-book-toggle');
    await toggle.check();
    await expect(row.getByTestId('selection-book-state')).toHaveText('op uw telefoons (alleen lezen)');
    await expect(toggle).toHaveAttribute('aria-busy', 'false');
    await expect(toggle).toBeFocused();

    // The phone finds it next to the marked relations: the two relations of the search (marked
    // or not), and it may not write there.
    const root = await propfind(dav, '/dav/', withPassword, '0');
    const principal = hrefs(await root.text()).find((h) => /\/principals\/[^/]+\/$/.test(h))!;
    const home = await propfind(dav, principal, withPassword, '0', HOME_QUERY);
    const homeSet = hrefs(await home.text()).find((h) => /\/addressbooks\/[^/]+\/$/.test(h))!;
    const books = await propfind(dav, homeSet, withPassword, '1', NAME_QUERY);
    const booksXml = await books.text();
    const responses = booksXml.split(/<(?:[A-Za-z0-9]+:)?response>/).filter((r) => r.includes(name));
    expect(responses, booksXml).toHaveLength(1);
    const book = hrefs(responses[0])[0];
    expect(book).toMatch(/\/selectie-\d+\/$/);
    const listing = await propfind(dav, book, withPassword, '1', ETAG_QUERY);
    const cards = hrefs(await listing.text()).filter((h) => h.endsWith('.vcf'));
    expect(cards).toHaveLength(2);
    const put = await dav.fetch(`${book}telefoon.vcf`, {
      method: 'PUT',
      headers: { Authorization: withPassword, 'Content-Type': 'text/vcard' },
      data: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:telefoon\r\nFN:X\r\nN:X;;;;\r\nEND:VCARD\r\n',
    });
    expect(put.status(), await put.text()).toBe(403);
  });

  await test.step('an app password works until it is revoked', async () => {
    await gotoApp(page, SYNC_PAGE);
    // No name: the Dutch message next to the field.
    await byTest(page, 'app-password-create').click();
    await expect(byTest(page, 'error-name')).toBeVisible();
    await byTest(page, 'field-name').fill(DEVICE);
    await byTest(page, 'app-password-create').click();
    await expect(byTest(page, 'app-password-new')).toContainText('Het wordt niet opnieuw getoond.');
    const secret = await byTest(page, 'app-password-secret').inputValue();
    expect(secret).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
    const row = byTest(page, 'app-password-row').filter({ hasText: DEVICE });
    await expect(row).toHaveCount(1);
    await expect(byTest(page, 'field-name')).toHaveValue('');
    await expect(byTest(page, 'error-name')).toHaveCount(0);

    const withApp = basic(DEMO.user.email, secret);
    const ok = await propfind(dav, '/dav/', withApp, '0');
    expect(ok.status(), await ok.text()).toBe(207);

    // Shown once: gone when dismissed, and not in the page after a reload; the device that used
    // it is listed.
    await byTest(page, 'app-password-done').click();
    await expect(byTest(page, 'app-password-new')).toHaveCount(0);
    await gotoApp(page, SYNC_PAGE);
    await expect(byTest(page, 'app-password-secret')).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    const device = byTest(page, 'device-row').filter({ hasText: USER_AGENT });
    await expect(device).toHaveCount(1);
    await expect(device.getByTestId('device-login')).toContainText(DEVICE);

    page.once('dialog', (dialog) => dialog.accept());
    await byTest(page, 'app-password-row')
      .filter({ hasText: DEVICE })
      .getByTestId('app-password-revoke')
      .click();
    await expect(byTest(page, 'app-password-row').filter({ hasText: DEVICE })).toHaveCount(0);

    const revoked = await propfind(dav, '/dav/', withApp, '0');
    expect(revoked.status(), await revoked.text()).toBe(401);
    // The device goes from the list with its password.
    await gotoApp(page, SYNC_PAGE);
    await expect(byTest(page, 'device-row').filter({ hasText: USER_AGENT })).toHaveCount(0);
  });
}
