// The highlighted top-menu item matches the page — after a full load and after client-side
// navigation (the router's own links), which the server-side test in server/tests/menu.rs
// cannot see. Walks every section and the pages below it that the Beheer menu links to.
import { DEMO, byTest, expect, expectPathThenHydrated, gotoApp, login, test } from './fixtures';

const ITEMS = ['nav-postvak', 'nav-relaties', 'nav-dossiers', 'nav-taken', 'nav-beheer'];

const PAGES: Array<[string, string]> = [
  ['/', 'nav-postvak'],
  ['/relaties', 'nav-relaties'],
  ['/relaties/bedrijven', 'nav-relaties'],
  ['/dossiers', 'nav-dossiers'],
  ['/taken', 'nav-taken'],
  ['/beheer', 'nav-beheer'],
  ['/beheer/e-mail/sjablonen', 'nav-beheer'],
  ['/beheer/e-mail/actietypen', 'nav-beheer'],
  ['/beheer/e-mail/domeinen', 'nav-beheer'],
  ['/beheer/gebruikers', 'nav-beheer'],
  ['/beheer/gebruikersinstellingen/e-mail', 'nav-beheer'],
  ['/beheer/gebruikersinstellingen/mijn-gegevens', 'nav-beheer'],
  ['/beheer/crm-voorkeuren/ai-instellingen', 'nav-beheer'],
  ['/beheer/systeem/wachtrij', 'nav-beheer'],
];

async function expectCurrent(page: import('@playwright/test').Page, item: string): Promise<void> {
  for (const other of ITEMS) {
    const link = byTest(page, other);
    if (other === item) {
      await expect(link, `${other} marked on ${page.url()}`).toHaveAttribute('aria-current', 'page');
      await expect(link).toHaveClass(/\bactive\b/);
    } else {
      await expect(link, `${other} not marked on ${page.url()}`).not.toHaveAttribute('aria-current', 'page');
      await expect(link).not.toHaveClass(/\bactive\b/);
    }
  }
}

test('every page marks its own menu item, loaded or navigated to', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.password);
  for (const [path, item] of PAGES) {
    await gotoApp(page, path);
    await expectCurrent(page, item);
  }
  // Client-side: from the inbox through the menu to Beheer, then its E-mailsjablonen link.
  await gotoApp(page, '/');
  await byTest(page, 'nav-beheer').click();
  await expectPathThenHydrated(page, '/beheer');
  await expectCurrent(page, 'nav-beheer');
  await page.locator('a[href="/beheer/e-mail/sjablonen"]').first().click();
  await expectPathThenHydrated(page, '/beheer/e-mail/sjablonen');
  await expectCurrent(page, 'nav-beheer');
  await byTest(page, 'nav-postvak').click();
  await expectPathThenHydrated(page, '/');
  await expectCurrent(page, 'nav-postvak');
});
