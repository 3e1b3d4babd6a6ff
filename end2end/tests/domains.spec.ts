// Beheer → E-mail → Domeinen: the SuperAdmin adds a sending domain, publishes exactly the records
// the page shows at the DNS server (the way a customer does at a DNS provider), clicks
// "Nu controleren" and sees the rows turn green and DKIM become active. A normal user gets no
// access: HTTP 403 and no domain data.
//
// Needs what scripts/test.sh sets up: the server running with the demo data, asking the throw-away
// Knot DNS server for DNS and using spf.<zone> as our SPF include, and in this process
//   POSTKAMER_TEST_DNS       127.0.0.1:<port> of that server (it accepts DNS UPDATE from 127.0.0.1)
//   POSTKAMER_TEST_DNS_ZONE  its zone (postkamer.test)
// plus `knsupdate` (Debian knot-dnsutils). Without POSTKAMER_TEST_DNS the DNS test is skipped.
// The domain is unique per run, so the test can run again against the same server.
import { spawn } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import {
  DEMO,
  byTest,
  expect,
  expectPathThenHydrated,
  field,
  fieldError,
  gotoApp,
  login,
  test,
} from './fixtures';

const DNS = process.env.POSTKAMER_TEST_DNS ?? '';
const ZONE = process.env.POSTKAMER_TEST_DNS_ZONE ?? 'postkamer.test';

const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const DOMAIN = `e2e-${RUN}.${ZONE}`;

const LIST = '/beheer/e-mail/domeinen';
const DOMAIN_PAGE = /^\/beheer\/e-mail\/domeinen\/\d+$/;

/** The rows whose records the test publishes, and where each goes. */
const RECORDS = [
  { row: 'spf', name: DOMAIN },
  { row: 'key001', name: `key001._domainkey.${DOMAIN}` },
  { row: 'key002', name: `key002._domainkey.${DOMAIN}` },
  { row: 'dmarc', name: `_dmarc.${DOMAIN}` },
  { row: 'ownership', name: `_postkamer.${DOMAIN}` },
] as const;

// ---------------------------------------------------------------- DNS UPDATE with knsupdate

/**
 * A TXT value as the character-strings of one record, for knsupdate: at most 255 bytes each,
 * quoted, with `\` and `"` escaped. Receivers join the strings without anything in between.
 */
function txtStrings(value: string): string {
  const parts: string[] = [];
  let part = '';
  let size = 0;
  for (const ch of value) {
    const bytes = Buffer.byteLength(ch, 'utf8');
    if (size + bytes > 255) {
      parts.push(part);
      part = '';
      size = 0;
    }
    part += ch;
    size += bytes;
  }
  parts.push(part);
  return parts.map((p) => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' ');
}

function dnsServer(): { host: string; port: string } {
  const colon = DNS.lastIndexOf(':');
  return { host: DNS.slice(0, colon), port: DNS.slice(colon + 1) };
}

/** Replaces the TXT records at each name by the one given, in one DNS UPDATE. */
async function publishTxt(records: { name: string; value: string }[]): Promise<void> {
  const { host, port } = dnsServer();
  const script = [`server ${host} ${port}`, `zone ${ZONE}.`];
  for (const { name, value } of records) {
    script.push(`update delete ${name}. TXT`);
    script.push(`update add ${name}. 60 TXT ${txtStrings(value)}`);
  }
  script.push('send');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('knsupdate', [], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`knsupdate exited with ${code}:\n${output}\n--- input:\n${script.join('\n')}`));
    });
    child.stdin.end(`${script.join('\n')}\n`);
  });
}

/** The TXT records at `name` as the test DNS server answers now, each joined into one string. */
async function txtAt(name: string): Promise<string[]> {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  resolver.setServers([DNS]);
  const records = await resolver.resolveTxt(name);
  return records.map((strings) => strings.join(''));
}

// ---------------------------------------------------------------- tests

test('a SuperAdmin adds a domain, publishes its records and DKIM becomes active', async ({ page }) => {
  test.skip(!DNS, 'POSTKAMER_TEST_DNS is not set: scripts/test.sh starts the test DNS server');
  test.setTimeout(90_000);

  await login(page, DEMO.admin.email, DEMO.admin.password);

  // Beheer → E-mail → Domeinen, through the menu as a user goes there.
  await byTest(page, 'nav-beheer').click();
  await expectPathThenHydrated(page, '/beheer');
  await byTest(page, 'beheer-link-domeinen').click();
  await expectPathThenHydrated(page, LIST);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Domeinen');

  // A wrong name: a Dutch message next to the field, and what was typed stays.
  await field(page, 'domain').fill('geen domein');
  await byTest(page, 'add-domain').click();
  await expect(fieldError(page, 'domain')).toHaveText(
    'Dit is geen geldige domeinnaam (bijvoorbeeld voorbeeld.nl).',
  );
  await expect(field(page, 'domain')).toHaveValue('geen domein');

  // Added and checked at once: nothing is published yet.
  await field(page, 'domain').fill(DOMAIN);
  await byTest(page, 'add-domain').click();
  await expectPathThenHydrated(page, DOMAIN_PAGE);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(DOMAIN);
  await expect(byTest(page, 'domain-state')).toHaveText('In afwachting');
  for (const row of ['spf', 'key001', 'key002']) {
    await expect(byTest(page, `record-${row}`)).toHaveAttribute('data-status', 'error');
  }

  // The exact values, read from the page.
  const published: { name: string; value: string }[] = [];
  for (const { row, name } of RECORDS) {
    const record = byTest(page, `record-${row}`);
    await expect(record.getByTestId('record-type')).toHaveText('TXT');
    await expect(record.getByTestId('full-host')).toHaveText(name);
    const value = await record.getByTestId('publish-value').inputValue();
    expect(value, `value of ${row}`).not.toBe('');
    published.push({ name, value });
  }
  expect(published[0].value).toContain(`include:spf.${ZONE}`);
  expect(published[1].value).toMatch(/^v=DKIM1;.*p=[A-Za-z0-9+/=]{300,}$/);
  expect(published[2].value).toMatch(/^v=DKIM1;.*p=[A-Za-z0-9+/=]{300,}$/);
  expect(published[3].value).toMatch(/^v=DMARC1;/);
  expect(published[4].value).toMatch(/^postkamer-verification=[0-9a-f]{32}$/);

  // Everything but the organisation's verification token: the keys are the installation's,
  // so the domain stays pending until the token is there too.
  await publishTxt(published.slice(0, 4));
  await byTest(page, 'check-now').click();
  await expect(byTest(page, 'record-key001')).toHaveAttribute('data-status', 'ok', {
    timeout: 30_000,
  });
  await expect(byTest(page, 'record-ownership')).toHaveAttribute('data-status', 'error');
  await expect(byTest(page, 'record-ownership')).toContainText('verificatiecode');
  await expect(byTest(page, 'domain-state')).toHaveText('In afwachting');
  await expect(byTest(page, 'check-now')).toBeEnabled();

  await publishTxt(published);
  for (const { name, value } of published) {
    expect(await txtAt(name), `TXT at ${name}`).toEqual([value]);
  }

  // "Nu controleren": green rows, DKIM active, the check in the history.
  await byTest(page, 'check-now').click();
  for (const row of ['spf', 'key001', 'key002', 'ownership']) {
    await expect(byTest(page, `record-${row}`)).toHaveAttribute('data-status', 'ok', {
      timeout: 30_000,
    });
  }
  await expect(byTest(page, 'domain-state')).toHaveText('DKIM actief');
  await expect(byTest(page, 'check-now')).toBeEnabled();
  await expect(byTest(page, 'history-row')).toHaveCount(3);
  await expect(byTest(page, 'history-row').first()).toContainText('handmatig');
  await expect(byTest(page, 'history-row').last()).toContainText('toegevoegd');

  // The list shows it active too.
  await byTest(page, 'domains-link').click();
  await expectPathThenHydrated(page, LIST);
  const listed = byTest(page, 'domain-row').filter({ hasText: DOMAIN });
  await expect(listed.getByTestId('domain-row-state')).toHaveText('DKIM actief');
});

test('a normal user gets no access to Beheer → E-mail → Domeinen', async ({ page }) => {
  await login(page, DEMO.user.email, DEMO.user.password);

  await gotoApp(page, '/beheer');
  await expect(byTest(page, 'beheer-link-domeinen')).toHaveCount(0);

  await gotoApp(page, LIST);
  const forbidden = byTest(page, 'forbidden');
  await expect(forbidden).toBeVisible();
  await expect(forbidden).toContainText('Geen toegang');
  await expect(byTest(page, 'domain-row')).toHaveCount(0);
  await expect(byTest(page, 'add-domain-form')).toHaveCount(0);

  // Same session cookie as the page: the server itself refuses, not only the UI; a domain's
  // page too (refused before the domain is looked up).
  const list = await page.request.get(LIST);
  expect(list.status()).toBe(403);
  const detail = await page.request.get(`${LIST}/1`);
  expect(detail.status()).toBe(403);
  expect(await detail.text()).not.toContain('publish-value');
});
