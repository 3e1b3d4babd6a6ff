// Shared fixtures and locate/act/check helpers for the Postkamer browser tests.
//
// Every element is found through its `data-test` attribute (playwright.config.ts sets
// testIdAttribute to 'data-test', so page.getByTestId('save') means [data-test="save"]).
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export { expect };

/** Demo accounts created by `postkamer demo`. */
export const DEMO = {
  admin: { email: 'beheer@demo-bv.nl', password: 'postkamer-beheer' },
  user: { email: 'gebruiker@demo-bv.nl', password: 'postkamer-gebruiker' },
} as const;

// Chromium logs every 4xx answer as a console error ("Failed to load resource: the server
// responded with a status of 403 (Forbidden)"). Those are expected in some tests (a forbidden
// page, a refused login); HTTP-level problems are checked on the responses themselves below.
const EXPECTED_CONSOLE_ERRORS = [/Failed to load resource: the server responded with a status of 4\d\d/];

// Static assets that must never be missing.
const STATIC_RESOURCE_TYPES = new Set(['script', 'stylesheet', 'image', 'font', 'manifest']);

/**
 * `test` with an automatic fixture that fails the test on
 * - any browser console error (apart from the 4xx lines above) and any uncaught page exception,
 * - any HTTP response with status >= 500,
 * - a 404 for a static asset or anything under /pkg/ (the wasm bundle).
 */
export const test = base.extend<{ browserProblems: string[] }>({
  browserProblems: [
    async ({ page }, use, testInfo) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const text = msg.text();
        if (EXPECTED_CONSOLE_ERRORS.some((re) => re.test(text))) return;
        const where = msg.location().url;
        problems.push(`console error: ${text}${where ? ` (${where})` : ''}`);
      });
      page.on('pageerror', (err) => {
        problems.push(`uncaught exception in page: ${err.stack ?? err.message}`);
      });
      page.on('response', (response) => {
        const status = response.status();
        const request = response.request();
        if (status >= 500) {
          problems.push(`HTTP ${status} for ${request.method()} ${response.url()}`);
        } else if (status === 404) {
          const path = new URL(response.url()).pathname;
          if (STATIC_RESOURCE_TYPES.has(request.resourceType()) || path.startsWith('/pkg/')) {
            problems.push(`HTTP 404 for asset ${request.method()} ${response.url()}`);
          }
        }
      });

      await use(problems);

      if (problems.length > 0) {
        await testInfo.attach('browser-problems', {
          body: problems.join('\n'),
          contentType: 'text/plain',
        });
      }
      expect(problems, 'browser console errors, page exceptions and HTTP >= 500 responses').toEqual(
        [],
      );
    },
    { auto: true },
  ],
});

// ---------------------------------------------------------------- locate

/** The element with `data-test="<id>"`. */
export function byTest(page: Page, id: string): Locator {
  return page.getByTestId(id);
}

/** A form field: `data-test="field-<name>"` (nested fields as `field-address-city`). */
export function field(page: Page, name: string): Locator {
  return byTest(page, `field-${name}`);
}

/** The validation message for a field path: `data-test="error-<path>"`, e.g. `emails[1].address`. */
export function fieldError(page: Page, path: string): Locator {
  return byTest(page, `error-${path}`);
}

// ---------------------------------------------------------------- act

/** Resolves once the client app has hydrated (`<html data-hydrated="true">`). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/** Full page load of `path`, then wait for hydration. */
export async function gotoApp(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
}

/** Waits until the URL path matches, then for hydration (works for full and client-side navigation). */
export async function expectPathThenHydrated(page: Page, path: RegExp | string): Promise<void> {
  const re = typeof path === 'string' ? new RegExp(`^${escapeRegExp(path)}$`) : path;
  await expect.poll(() => new URL(page.url()).pathname, { message: `URL path should match ${re}` }).toMatch(re);
  await waitForHydration(page);
}

/** Logs in through the login form and waits for the home page ("/") to hydrate. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await gotoApp(page, '/login');
  await byTest(page, 'login-email').fill(email);
  await byTest(page, 'login-password').fill(password);
  await byTest(page, 'login-submit').click();
  await expectPathThenHydrated(page, '/');
  await expect(byTest(page, 'logout')).toBeVisible();
}

/** Fills `field-<name>` with `value`. */
export async function fill(page: Page, name: string, value: string): Promise<void> {
  await field(page, name).fill(value);
}

/** Clicks the form's `save` button. */
export async function save(page: Page): Promise<void> {
  await byTest(page, 'save').click();
}

/** Opens a list row: clicks the row when it is itself a link, else the first link inside it. */
export async function openRow(row: Locator): Promise<void> {
  const tag = await row.evaluate((el) => el.tagName.toLowerCase());
  const link = row.locator('a').first();
  if (tag !== 'a' && (await link.count()) > 0) {
    await link.click();
  } else {
    await row.click();
  }
}

// ---------------------------------------------------------------- check

/** The current URL path. */
export function currentPath(page: Page): string {
  return new URL(page.url()).pathname;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
