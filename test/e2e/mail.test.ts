/// <reference lib="dom" />
/**
 * The e-mail screens (issue 5) in Debian's Chromium against the whole local runtime, fed by its
 * SMTP listener: a customer's mail becomes a case whose timeline shows the mail label, the quoted
 * conversation collapsed and the unsafe attachment flagged; the intake monitor lists and filters
 * mail and releases a quarantined one; an admin edits the Persian acknowledgement (an unknown
 * placeholder is refused at its field), a manager only reads; axe-core finds no serious issue.
 */
import { connect } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime';
import { type RawMailOptions, rawMail } from '../support/mail';
import { apiCall, apiToken, launchBrowser, newPage, screenshot, seriousViolations, signIn, startWebRuntime } from '../support/web';

let rt: Runtime;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  rt = await startWebRuntime({ cases: 4 });
  browser = await launchBrowser();
  admin = await apiToken(rt, 'admin@example.com');
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/**
 * A minimal SMTP client: EHLO, MAIL FROM, RCPT TO, DATA (dot-stuffed), QUIT. Every reply must have
 * the expected code, else the conversation fails with what the server said.
 */
async function sendSmtp(port: number, from: string, to: string, raw: Uint8Array) {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setTimeout(10_000, () => socket.destroy(new Error('SMTP timed out')));
  let buffer = '';
  const waiting: { resolve: (reply: string) => void; reject: (e: Error) => void }[] = [];
  const replies: string[] = [];
  let failure: Error | null = null;
  const settle = () => {
    while (waiting.length && (replies.length || failure)) {
      const w = waiting.shift()!;
      if (replies.length) w.resolve(replies.shift()!);
      else w.reject(failure!);
    }
  };
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    // a reply is complete at a line "NNN text" (continuation lines are "NNN-text")
    for (let m = /^(\d{3}) [^\r\n]*\r\n/m.exec(buffer); m; m = /^(\d{3}) [^\r\n]*\r\n/m.exec(buffer)) {
      const end = m.index + m[0].length;
      replies.push(buffer.slice(0, end));
      buffer = buffer.slice(end);
    }
    settle();
  });
  socket.on('error', (e) => {
    failure = e;
    settle();
  });
  socket.on('close', () => {
    failure ??= new Error('SMTP connection closed');
    settle();
  });
  const reply = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push({ resolve, reject });
      settle();
    });
  const expectCode = async (code: string, what: string) => {
    const r = await reply();
    if (!r.startsWith(code)) throw new Error(`SMTP ${what}: expected ${code}, got ${r.trim()}`);
  };
  const command = async (line: string, code: string) => {
    socket.write(`${line}\r\n`);
    await expectCode(code, line);
  };
  try {
    await expectCode('220', 'greeting');
    await command('EHLO test.example', '250');
    await command(`MAIL FROM:<${from}>`, '250');
    await command(`RCPT TO:<${to}>`, '250');
    await command('DATA', '354');
    const body = Buffer.from(raw).toString('utf8').replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    socket.write(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.\r\n`);
    await expectCode('250', 'end of data');
    await command('QUIT', '221');
  } finally {
    socket.destroy();
  }
}

interface Intake {
  id: string;
  subject: string;
  outcome: string;
  reason: string;
  caseId: string | null;
  ticketNumber: string | null;
}

/** Sends a mail to the support address over SMTP and waits (bounded) until the intake recorded its outcome. */
async function deliver(o: RawMailOptions) {
  const envelopeFrom = /<([^>]+)>/.exec(o.from)?.[1] ?? o.from;
  await sendSmtp(rt.smtpPort, envelopeFrom, 'support@example.com', rawMail(o));
  for (let i = 0; i < 150; i++) {
    const page = await apiCall(rt, admin, 'GET', '/mail/inbound?limit=100');
    const rec = (page.body.items as Intake[]).find((r) => r.subject === o.subject);
    if (rec && rec.outcome !== 'processing') return rec;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the mail “${o.subject}” reached no outcome within 15 s`);
}

/** Console errors, less the browser's own line for an answer the test provokes (400 on a bad template). */
const unexpected = (problems: string[]) => problems.filter((p) => !/Failed to load resource: the server responded with a status of (400|409|412)/.test(p));

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

const stamp = Date.now().toString(36);
const printerMail: RawMailOptions = {
  from: 'Tom Customer <customer1@example.com>',
  subject: `Printer driver refuses to install ${stamp}`,
  text: 'The driver you sent does not install on my laptop.\n\nOn Tue, 24 Nov 2026 at 09:00, Support <support@example.com> wrote:\n> Please try the attached driver.\n> It should fix the blank pages.\n',
  attachments: [
    { filename: 'driver.exe', contentType: 'application/octet-stream', content: Buffer.from('MZ-not-really-a-program') },
    { filename: 'error.txt', contentType: 'text/plain', content: Buffer.from('Error 1603 during installation.\n'.repeat(80)) },
  ],
};

describe('e-mail screens', () => {
  let printerCase: { caseId: string; ticketNumber: string };

  it('a customer’s mail becomes a case: the mail label, the quoted text collapsed until asked for, the unsafe attachment flagged', async () => {
    const rec = await deliver(printerMail);
    expect(rec.outcome, rec.reason).toBe('created');
    expect(rec.caseId).toBeTruthy();
    printerCase = { caseId: rec.caseId!, ticketNumber: rec.ticketNumber! };
    const c = await apiCall(rt, admin, 'GET', `/cases/${rec.caseId}`);
    expect(c.body.origin).toBe('email');
    // the customer got the ticket number back (the SES stand-in keeps what was sent)
    await expect
      .poll(
        async () => {
          const store = (await (await fetch(`${rt.sesUrl}/store`)).json()) as { emails: { subject?: string; destination?: unknown }[] };
          return store.emails.some((m) => String(m.subject ?? '').includes(rec.ticketNumber!) && JSON.stringify(m.destination).includes('customer1@example.com'));
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(true);

    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'agent1@example.com', `/login?next=${encodeURIComponent(`/agent/cases/${rec.caseId}`)}`);
      await page.getByRole('heading', { name: printerMail.subject }).waitFor();

      // the origin, as the other origins are shown
      const origin = page.locator('.details > div').filter({ has: page.getByText('Origin', { exact: true }) }).locator('dd');
      expect(await origin.textContent()).toBe('E-mail');

      const entry = page.getByTestId('timeline-entry').filter({ has: page.getByTestId('mail-header') }).first();
      const header = entry.getByTestId('mail-header');
      expect(await header.textContent()).toContain('E-mail');
      expect(await header.getByTestId('mail-addresses').textContent()).toBe('customer1@example.com');
      expect(await header.getByTestId('mail-subject').textContent()).toBe(printerMail.subject);

      // the earlier conversation: collapsed, then shown on request
      const toggle = entry.getByRole('button', { name: 'Show quoted text' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await entry.getByTestId('mail-quoted').isVisible()).toBe(false);
      await toggle.click();
      const hide = entry.getByRole('button', { name: 'Hide quoted text' });
      expect(await hide.getAttribute('aria-expanded')).toBe('true');
      await expect.poll(() => entry.getByTestId('mail-quoted').isVisible()).toBe(true);
      expect(await entry.getByTestId('mail-quoted').textContent()).toContain('Please try the attached driver.');

      // attachments: name, type, size; the program flagged, the text file not
      const exe = entry.getByTestId('mail-attachment').filter({ hasText: 'driver.exe' });
      expect(await exe.textContent()).toContain('application/octet-stream');
      expect(await exe.textContent()).toContain('May be unsafe to open');
      const txt = entry.getByTestId('mail-attachment').filter({ hasText: 'error.txt' });
      expect(await txt.textContent()).toMatch(/text\/plain · 2\.\d kB/i);
      expect(await txt.textContent()).not.toContain('May be unsafe');
      // the HTML part is never rendered: no markup from the mail in the page
      expect(await entry.locator('iframe, img').count()).toBe(0);

      // a download is a saved file through a signed link, not a page
      const [download] = await Promise.all([page.waitForEvent('download'), txt.getByTestId('mail-download').click()]);
      expect(download.suggestedFilename()).toBe('error.txt');
      const saved = await download.path();
      expect(saved && (await import('node:fs')).readFileSync(saved, 'utf8')).toContain('Error 1603 during installation.');
      // the unsafe one asks first; declining downloads nothing
      page.once('dialog', (d) => void d.dismiss());
      await exe.getByTestId('mail-download').click();
      await expect.poll(() => page.url()).toContain('/agent/cases/');

      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'mail-case');

      // the case list marks mail-born cases
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
      await page.getByRole('link', { name: 'All active' }).click();
      const row = page.getByTestId('case-row').filter({ hasText: printerMail.subject });
      await row.waitFor();
      expect(await row.textContent()).toContain('E-mail');
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the intake monitor lists the mail as created, filters by outcome, and releases a quarantined mail into a case', async () => {
    const spam = await deliver({
      from: 'customer1@example.com',
      subject: `Invoice question flagged as spam ${stamp}`,
      text: 'Is my invoice for November correct?',
      headers: { 'X-SES-Spam-Verdict': 'FAIL', 'X-SES-Virus-Verdict': 'PASS' },
    });
    expect(spam.outcome).toBe('quarantined');
    expect(spam.caseId).toBeNull();

    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'admin@example.com');
      await nav(page, 'Mail intake').click();
      await page.getByRole('heading', { name: 'Mail intake' }).waitFor();

      const created = page.getByTestId('intake-row').filter({ hasText: printerMail.subject });
      await created.waitFor();
      expect(await created.getAttribute('data-outcome')).toBe('created');
      expect(await created.getByTestId('intake-outcome').textContent()).toBe('Created');
      expect(await created.getByRole('link', { name: printerCase.ticketNumber }).count()).toBe(1);
      expect(await created.textContent()).toContain('driver.exe'); // the dangerous attachment is a flag

      // filter: only quarantined mail, then only created mail (kept in the address)
      const outcome = page.getByLabel('Outcome');
      await outcome.selectOption('quarantined');
      await expect.poll(() => page.url()).toContain('outcome=quarantined');
      const quarantined = page.getByTestId('intake-row').filter({ hasText: 'Invoice question flagged as spam' });
      await quarantined.waitFor();
      await expect.poll(() => page.getByTestId('intake-row').filter({ hasText: printerMail.subject }).count()).toBe(0);
      expect(await page.locator('[data-testid="intake-row"]:not([data-outcome="quarantined"])').count()).toBe(0);
      expect(await quarantined.textContent()).toMatch(/spam/i);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'mail-intake');

      await outcome.selectOption('created');
      await page.getByTestId('intake-row').filter({ hasText: printerMail.subject }).waitFor();
      expect(await page.locator('[data-testid="intake-row"]:not([data-outcome="created"])').count()).toBe(0);
      await outcome.selectOption('');
      await page.getByTestId('intake-row').filter({ hasText: 'Invoice question flagged as spam' }).waitFor();

      // release: ask first, then show the new outcome and the case it opened
      const row = page.getByTestId('intake-row').filter({ hasText: 'Invoice question flagged as spam' });
      expect(await row.getByRole('button', { name: /^Replay/ }).count()).toBe(0);
      await row.getByRole('button', { name: /^Release/ }).click();
      const dialog = page.getByTestId('intake-dialog');
      await dialog.getByRole('heading', { name: 'Release the mail' }).waitFor();
      expect(await dialog.textContent()).toContain('Invoice question flagged as spam');
      const answer = page.waitForResponse((r) => r.url().endsWith(`/mail/inbound/${spam.id}/release`));
      await dialog.getByRole('button', { name: 'Release mail' }).click();
      expect((await answer).status()).toBe(200);
      const result = dialog.getByTestId('intake-result');
      await result.waitFor();
      expect(await result.textContent()).toContain('The mail’s outcome is now: Created.');
      const after = (await apiCall(rt, admin, 'GET', `/mail/inbound/${spam.id}`)).body;
      expect(after).toMatchObject({ outcome: 'created', released: true });
      expect(await result.getByRole('link', { name: after.ticketNumber }).count()).toBe(1);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => row.getAttribute('data-outcome')).toBe('created');
      expect(await row.getByRole('button', { name: /^Release/ }).count()).toBe(0);

      // in Persian the page reads right to left
      await page.getByLabel('Language').selectOption('fa');
      await page.getByRole('heading', { name: 'ایمیل‌های ورودی' }).waitFor();
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      expect(await row.getByTestId('intake-outcome').textContent()).toBe('ایجاد شد');
      await screenshot(page, 'mail-intake-fa');
      await page.getByLabel('زبان').selectOption('en');

      // releasing again is refused by the API, readably
      const again = await apiCall(rt, admin, 'POST', `/mail/inbound/${spam.id}/release`);
      expect(again.status).toBe(409);
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('an admin edits the Persian acknowledgement: an unknown placeholder is refused at its field, then it saves; a manager only reads', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'admin@example.com');
      await nav(page, 'Mail templates').click();
      await page.getByRole('heading', { name: 'Mail templates' }).waitFor();
      await expect.poll(() => page.getByTestId('template-row').count()).toBe(6);
      const row = page.locator('[data-testid="template-row"][data-template="acknowledgement"][data-language="fa"]');
      expect(await row.textContent()).toContain('Built-in default');
      await row.getByRole('button', { name: /^Edit/ }).click();

      const dialog = page.getByTestId('template-dialog');
      await dialog.getByRole('heading', { name: 'Edit the template “Acknowledgement (Persian)”' }).waitFor();
      const subject = dialog.getByLabel('Subject');
      const text = dialog.getByLabel('Text');
      expect(await subject.getAttribute('dir')).toBe('auto');
      expect(await text.getAttribute('dir')).toBe('auto');
      expect(await dialog.textContent()).toContain('{{ticketNumber}}');

      await subject.fill('درخواست شما دریافت شد [{{ticketNumber}}]');
      await text.fill('{{contactName}} گرامی،\nدرخواست شما با شمارهٔ {{ticketNumber}} ثبت شد. {{nickname}}');
      await dialog.getByRole('button', { name: 'Save' }).click();
      const fieldError = dialog.locator(`#${await text.getAttribute('id')}-errors`);
      await fieldError.waitFor();
      expect(await fieldError.textContent()).toContain('“{{nickname}}” is not a placeholder.');
      expect(await text.getAttribute('aria-invalid')).toBe('true');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'mail-template-dialog');

      await text.fill('{{contactName}} گرامی،\nدرخواست شما با شمارهٔ {{ticketNumber}} ثبت شد.');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Template “Acknowledgement (Persian)” saved.').waitFor();
      await expect.poll(async () => (await row.textContent()) ?? '').not.toContain('Built-in default');
      const saved = (await apiCall(rt, admin, 'GET', '/mail/templates')).body.items.find((x: { name: string; language: string }) => x.name === 'acknowledgement' && x.language === 'fa');
      expect(saved).toMatchObject({ version: 1, subject: 'درخواست شما دریافت شد [{{ticketNumber}}]' });
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }

    const manager = await newPage(browser);
    try {
      const m = manager.page;
      await signIn(rt, m, 'manager@example.com');
      await nav(m, 'Mail templates').click();
      expect(await nav(m, 'Mail intake').count()).toBe(0);
      const row = m.locator('[data-testid="template-row"][data-template="acknowledgement"][data-language="fa"]');
      await row.getByRole('button', { name: /^View/ }).click();
      const dialog = m.getByTestId('template-dialog');
      await dialog.getByRole('heading', { name: 'The template “Acknowledgement (Persian)”' }).waitFor();
      expect(await dialog.getByLabel('Subject').inputValue()).toBe('درخواست شما دریافت شد [{{ticketNumber}}]');
      expect(await dialog.getByLabel('Text').getAttribute('readonly')).not.toBeNull();
      expect(await dialog.getByRole('button', { name: 'Save' }).count()).toBe(0);
      // the intake monitor is for admins only
      await m.goto(`${rt.url}/admin/mail`);
      await m.getByRole('button', { name: 'Sign in as manager@example.com' }).click();
      await expect.poll(() => new URL(m.url()).pathname).toBe('/agent');
    } finally {
      await manager.close();
    }
  });
});
