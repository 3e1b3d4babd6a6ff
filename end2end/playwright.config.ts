import { defineConfig } from '@playwright/test';

// Browser tests run against a server that scripts/test.sh starts (BASE_URL).
// No browser is downloaded: Debian's Chromium (/usr/bin/chromium) is used.
const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const executablePath = process.env.POSTKAMER_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  outputDir: './test-results',
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    trace: 'off',
    screenshot: 'only-on-failure',
    video: 'off',
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    testIdAttribute: 'data-test',
    launchOptions: {
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
