// Mail in: messages put into the demo user's IMAP mailbox appear in Postvak IN without a reload,
// the message view renders the sanitised HTML in a script-less sandbox, an unknown sender becomes
// a contact person through a prefilled form and takes the earlier mail along to its timeline, and
// the search finds a message by a word of its body.
//
// Needs what scripts/test.sh sets up: the server running with the demo data, the demo user
// gebruiker@demo-bv.nl given an IMAP mailbox on a throw-away Dovecot, and in this process
//   POSTKAMER_TEST_IMAP           host:port of that Dovecot (plaintext, 127.0.0.1)
//   POSTKAMER_TEST_IMAP_PASSWORD  its password
//   E2E_IMAP_LOGIN                the IMAP login of the demo user's mailbox
// Without them the tests are skipped. The sender is unknown in the demo data; its address, the
// subjects and the search word are unique per run.
import * as net from 'node:net';
import type { Locator } from '@playwright/test';
import {
  DEMO,
  byTest,
  expect,
  expectPathThenHydrated,
  field,
  gotoApp,
  login,
  save,
  test,
} from './fixtures';

const IMAP = process.env.POSTKAMER_TEST_IMAP ?? '';
const IMAP_PASSWORD = process.env.POSTKAMER_TEST_IMAP_PASSWORD ?? '';
const IMAP_LOGIN = process.env.E2E_IMAP_LOGIN ?? '';

const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
// The address is unique per run (plus-addressing), so the test can run again against the same
// server: after one run the plain address belongs to a contact person.
const SENDER = { name: 'Sanne de Wit', email: `sanne+${RUN}@nieuwe-klant.nl` };
const EARLIER = [`Offerte kozijnen ${RUN}`, `Vraag over levertijd ${RUN}`];
const NEW_SUBJECT = `Nieuwe bestelling ${RUN}`;
/** A word only in the body of the new message. */
const BODY_WORD = `dakkapel${RUN}`;

/** How long new mail may take to reach the list (sync + the list's 5 s refresh). */
const MAIL_ARRIVES = 30_000;

const PERSON_DETAIL = /^\/relaties\/personen\/\d+$/;
const MESSAGE_VIEW = /^\/postvak\/\d+$/;

// ---------------------------------------------------------------- a tiny IMAP client (APPEND)

/** Lines from a socket, one at a time. */
class LineReader {
  private buffer = '';
  private lines: string[] = [];
  private waiting: { resolve: (line: string) => void; reject: (err: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\r\n')) >= 0) {
        this.push(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 2);
      }
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('IMAP connection closed')));
  }

  private push(line: string): void {
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve(line);
    } else {
      this.lines.push(line);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(err);
    }
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }
}

function imapQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Logs in to the IMAP server, APPENDs each message to INBOX (waiting for the `+` continuation
 * before sending the literal) and logs out. Throws on a tagged NO or BAD.
 */
async function imapAppend(
  hostPort: string,
  loginName: string,
  password: string,
  messages: string[],
): Promise<void> {
  const [host, portText] = hostPort.split(':');
  const socket = net.connect({ host, port: Number(portText) });
  socket.setTimeout(15_000, () => socket.destroy(new Error('IMAP server did not answer in time')));
  const reader = new LineReader(socket);
  let counter = 0;

  /** Reads until the tagged answer to `tag`; returns it or throws on NO / BAD. */
  async function tagged(tag: string, what: string): Promise<string> {
    for (;;) {
      const line = await reader.next();
      if (!line.startsWith(`${tag} `)) continue;
      if (/^\S+ OK\b/i.test(line)) return line;
      throw new Error(`IMAP ${what} failed: ${line}`);
    }
  }

  async function command(text: string, what: string): Promise<string> {
    const tag = `e2e${++counter}`;
    socket.write(`${tag} ${text}\r\n`);
    return tagged(tag, what);
  }

  try {
    const greeting = await reader.next();
    if (!greeting.startsWith('* OK')) throw new Error(`unexpected IMAP greeting: ${greeting}`);
    await command(`LOGIN ${imapQuote(loginName)} ${imapQuote(password)}`, 'LOGIN');
    for (const message of messages) {
      const literal = Buffer.from(message, 'utf8');
      const tag = `e2e${++counter}`;
      socket.write(`${tag} APPEND "INBOX" {${literal.length}}\r\n`);
      for (;;) {
        const line = await reader.next();
        if (line.startsWith('+')) break;
        if (line.startsWith(`${tag} `)) throw new Error(`IMAP APPEND refused: ${line}`);
      }
      socket.write(Buffer.concat([literal, Buffer.from('\r\n')]));
      await tagged(tag, 'APPEND');
    }
    await command('LOGOUT', 'LOGOUT');
  } finally {
    socket.destroy();
  }
}

/** An RFC 5322 message from the unknown sender, with a text and an HTML part (CRLF lines). */
function message(subject: string, daysAgo: number, text: string, html: string): string {
  const date = new Date(Date.now() - daysAgo * 86_400_000).toUTCString().replace('GMT', '+0000');
  const boundary = `b-${RUN}-${daysAgo}`;
  return [
    `From: ${SENDER.name} <${SENDER.email}>`,
    `To: Demo Gebruiker <${DEMO.user.email}>`,
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: <${RUN}.${daysAgo}@nieuwe-klant.nl>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    text,
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    html,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/**
 * Clicks an element of the message view that lies below the message frame. Headless Chromium
 * loses Playwright's click when it has to scroll the page past the sandboxed (out-of-process)
 * frame first; scrolling the element into view beforehand avoids that. A real mouse is not affected.
 */
async function clickBelowFrame(target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  await target.click();
}

// ---------------------------------------------------------------- the tests

test.describe.serial('mail in as the demo user', () => {
  test.skip(
    !IMAP || !IMAP_PASSWORD || !IMAP_LOGIN,
    'needs POSTKAMER_TEST_IMAP, POSTKAMER_TEST_IMAP_PASSWORD and E2E_IMAP_LOGIN (scripts/test.sh sets them)',
  );

  test.beforeAll(async () => {
    await imapAppend(IMAP, IMAP_LOGIN, IMAP_PASSWORD, [
      message(
        EARLIER[0],
        9,
        'Goedemiddag,\r\n\r\nKunt u een offerte maken voor nieuwe kozijnen?\r\n\r\nSanne',
        '<p>Goedemiddag,</p><p>Kunt u een offerte maken voor nieuwe kozijnen?</p><p>Sanne</p>',
      ),
      message(
        EARLIER[1],
        5,
        'Hallo,\r\n\r\nWat is de levertijd?\r\n\r\nSanne',
        '<p>Hallo,</p><p>Wat is de levertijd?</p><p>Sanne</p>',
      ),
    ]);
    // The new message, after the earlier two: its HTML tries to run code in three ways.
    await imapAppend(IMAP, IMAP_LOGIN, IMAP_PASSWORD, [
      message(
        NEW_SUBJECT,
        0,
        `Hallo Postkamer,\r\n\r\nWij bestellen graag een ${BODY_WORD} volgens de offerte.\r\n\r\nSanne de Wit`,
        '<html><body>' +
          `<p class="groet">Hallo Postkamer,</p><p>Wij bestellen graag een <b>${BODY_WORD}</b> volgens de offerte.</p>` +
          '<script>document.body.innerHTML = "GEHACKT";</script>' +
          '<p onclick="document.body.innerHTML = \'GEHACKT\'">Sanne de Wit</p>' +
          '<a href="javascript:document.body.innerHTML=\'GEHACKT\'">link</a>' +
          '</body></html>',
      ),
    ]);
  });

  test('new mail appears, renders safely and its unknown sender becomes a contact person', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await login(page, DEMO.user.email, DEMO.user.password);

    // Postvak IN refreshes itself: no reload here.
    const row = byTest(page, 'message-row').filter({ hasText: NEW_SUBJECT });
    await expect(row).toBeVisible({ timeout: MAIL_ARRIVES });
    await expect(row).toHaveAttribute('data-unread', 'true');
    await expect(row.getByTestId('row-from')).toHaveText(SENDER.name);

    await row.locator('a').first().click();
    await expectPathThenHydrated(page, MESSAGE_VIEW);
    await expect(byTest(page, 'message-subject')).toHaveText(NEW_SUBJECT);
    await expect(byTest(page, 'message-from')).toContainText(SENDER.email);

    // The HTML body in a sandbox without scripts; the script, handler and javascript: link did nothing.
    const frameElement = byTest(page, 'message-html');
    await expect(frameElement).toBeVisible();
    const sandbox = (await frameElement.getAttribute('sandbox')) ?? 'missing';
    expect(sandbox).not.toContain('allow-scripts');
    expect(sandbox).not.toContain('allow-same-origin');
    const body = page.frameLocator('[data-test="message-html"]').locator('body');
    await expect(body).toContainText('Hallo Postkamer');
    await expect(body).toContainText(BODY_WORD);
    await body.getByText('Sanne de Wit').click();
    await expect(body).not.toContainText('GEHACKT');
    await expect(page.locator('body')).not.toContainText('GEHACKT');

    // Opening it marked it read (written back to the IMAP server, then shown as read).
    await expect(byTest(page, 'toggle-seen')).toHaveText('Markeer als ongelezen');

    // The sender is unknown: create a contact person from the address.
    const unknown = byTest(page, 'unknown-address').filter({ hasText: SENDER.email });
    await expect(unknown).toBeVisible();
    await clickBelowFrame(unknown.getByTestId('new-person-from-address'));
    await expectPathThenHydrated(page, '/relaties/personen/nieuw');
    await expect(field(page, 'first_name')).toHaveValue('Sanne');
    await expect(field(page, 'tussenvoegsel')).toHaveValue('de');
    await expect(field(page, 'last_name')).toHaveValue('Wit');
    await expect(byTest(page, 'email-0')).toHaveValue(SENDER.email);
    await save(page);

    // The new person brought all three messages with the address along.
    await expectPathThenHydrated(page, PERSON_DETAIL);
    await expect(byTest(page, 'person-name')).toHaveText('Sanne de Wit');
    await expect(byTest(page, 'linked-notice')).toHaveText('3 eerdere berichten gekoppeld');
    const timeline = byTest(page, 'timeline');
    for (const subject of [NEW_SUBJECT, ...EARLIER]) {
      await expect(timeline.getByTestId('message-row').filter({ hasText: subject })).toBeVisible();
    }

    // Back in the message: the sender is a linked relation now, no longer unknown.
    await timeline.getByTestId('message-row').filter({ hasText: NEW_SUBJECT }).locator('a').click();
    await expectPathThenHydrated(page, MESSAGE_VIEW);
    await expect(byTest(page, 'relation-link').filter({ hasText: 'Sanne de Wit' })).toBeVisible();
    await expect(byTest(page, 'unknown-address').filter({ hasText: SENDER.email })).toHaveCount(0);
  });

  test('searching Postvak IN for a word of the body finds the message', async ({ page }) => {
    test.setTimeout(90_000);
    await login(page, DEMO.user.email, DEMO.user.password);
    await gotoApp(page, `/?q=${encodeURIComponent(BODY_WORD)}`);
    const rows = byTest(page, 'message-row');
    await expect(rows.filter({ hasText: NEW_SUBJECT })).toBeVisible({ timeout: MAIL_ARRIVES });
    await expect(rows).toHaveCount(1);

    // And through the search box: a word that is in none of this run's messages finds none of them.
    const search = byTest(page, 'mail-search-input');
    await search.fill(`niets${RUN}`);
    await search.press('Enter');
    await expect(byTest(page, 'empty')).toBeVisible();
    await search.fill(BODY_WORD);
    await search.press('Enter');
    await expect(rows.filter({ hasText: NEW_SUBJECT })).toBeVisible();
    await expect(rows).toHaveCount(1);
  });
});
