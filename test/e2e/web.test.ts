/// <reference lib="dom" />
/**
 * The web app in Debian's Chromium against the whole local runtime: a customer and an agent
 * work a case end to end, Persian is right to left, a customer cannot reach another customer's
 * case by URL, conflicts keep what was typed, and axe-core finds no serious or critical issue.
 */
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, startWebRuntime } from '../support/web';

let rt: Runtime;
let browser: Browser;
beforeAll(async () => {
  rt = await startWebRuntime({ cases: 12 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

async function signIn(page: Page, email: string, path = '/login') {
  await page.goto(`${rt.url}${path}`);
  await page.getByRole('button', { name: `Sign in as ${email}` }).click();
}

async function apiToken(email: string) {
  const res = await fetch(`${rt.url}/local/token`, { method: 'POST', body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Routing runs in the background (stream -> SQS -> worker); wait for its decision on `version`. */
async function waitForRouting(caseId: string, version = 1) {
  const token = await apiToken('manager@example.com');
  for (let i = 0; i < 100; i++) {
    const c = await api(token, 'GET', `/cases/${caseId}`);
    if (c.body.routedVersion !== null && c.body.routedVersion >= version) return c.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`case ${caseId} was not routed within 10 s`);
}

async function api(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as any };
}

/** axe-core in the page (evaluated through the DevTools protocol, so the page's CSP still holds). */
async function seriousViolations(page: Page) {
  await page.evaluate(axe.source);
  const result = (await page.evaluate(() => (window as any).axe.run(document, { resultTypes: ['violations'] }))) as axe.AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

describe('web app', () => {
  it('customer opens a case, the agent replies and resolves it, the customer reads the resolution', async () => {
    const customer = await newPage(browser);
    const agent = await newPage(browser);
    try {
      const c = customer.page;
      await signIn(c, 'customer1@example.com');
      await c.getByRole('heading', { name: 'My cases' }).waitFor();
      await c.getByTestId('case-row').first().waitFor();
      await screenshot(c, 'portal-cases');
      await c.getByRole('link', { name: 'Open a new case' }).click();
      await c.getByLabel('Title').fill('Scanner shows error E42');
      await c.getByLabel('Description').fill('The scanner stops after the first page and shows E42.');
      await c.getByRole('button', { name: 'Submit case' }).click();
      const ticket = (await c.getByTestId('ticket-number').first().textContent())!.trim();
      expect(ticket).toMatch(/^CAS-\d{5}-[A-Z0-9]{6}$/);
      const caseId = new URL(c.url()).pathname.split('/').pop()!;
      const routed = await waitForRouting(caseId);
      expect(routed.queueId).toBeTruthy(); // the routing worker placed it in a queue

      const a = agent.page;
      await signIn(a, 'agent1@example.com');
      await a.getByRole('link', { name: 'All active' }).click();
      const row = a.getByTestId('case-row').filter({ hasText: ticket });
      await row.waitFor();
      await expect.poll(() => a.getByTestId('case-row').filter({ hasText: /Tom Becker|Mina Karimi|Sara Ahmadi|\bme\b/ }).count()).toBeGreaterThan(0);
      expect(await a.getByTestId('case-row').filter({ hasText: /agent [0-9a-f]{8}/ }).count()).toBe(0); // owners by name
      await screenshot(a, 'agent-cases');
      await row.getByRole('link', { name: 'Scanner shows error E42' }).click();
      await a.getByLabel('Reply to the customer').fill('Please update the scanner driver to 4.2 and try again.');
      await a.getByRole('button', { name: 'Send reply' }).click();
      await a.getByTestId('timeline-entry').filter({ hasText: 'update the scanner driver' }).waitFor();
      await a.getByLabel('Internal note').fill('Known issue with firmware 3.x; engineering ticket ENG-7.');
      await a.getByRole('button', { name: 'Add internal note' }).click();
      const note = a.getByTestId('timeline-entry').filter({ hasText: 'ENG-7' });
      await note.waitFor();
      expect(await note.getAttribute('data-visibility')).toBe('internal');
      await screenshot(a, 'agent-case');

      await a.getByRole('button', { name: 'Resolve', exact: true }).click();
      const dialog = a.getByTestId('resolve-dialog');
      await dialog.getByLabel('Resolution', { exact: true }).fill('Driver 4.2 fixes E42.');
      await dialog.getByLabel('Minutes spent').fill('25');
      await dialog.getByRole('button', { name: 'Save resolution' }).click();
      await expect.poll(() => a.getByTestId('case-status').first().textContent()).toContain('Problem solved');

      // back in the portal (in-app navigation: tokens live in memory, a reload signs out)
      await c.getByRole('link', { name: 'My cases' }).first().click();
      await c.getByTestId('case-row').filter({ hasText: ticket }).getByRole('link').first().click();
      await c.getByRole('heading', { name: 'Resolution' }).waitFor();
      expect(await c.getByText('Driver 4.2 fixes E42.').first().isVisible()).toBe(true);
      expect(await c.getByText('update the scanner driver', { exact: false }).first().isVisible()).toBe(true);
      expect(await c.getByText('ENG-7').count()).toBe(0); // internal notes never reach customers
      expect(await c.getByRole('button', { name: 'Reopen' }).isVisible()).toBe(true);
      await screenshot(c, 'portal-case-resolved');
      expect(customer.problems).toEqual([]);
      expect(agent.problems).toEqual([]);
    } finally {
      await customer.close();
      await agent.close();
    }
  });

  it('lays Persian out right to left with Persian dates', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, 'customer1@example.com');
      await page.getByRole('heading', { name: 'My cases' }).waitFor();
      await page.getByLabel('Language').selectOption('fa');
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fa');
      await page.getByRole('heading', { name: 'موردهای من' }).waitFor();
      await page.getByTestId('case-row').first().waitFor();
      const body = (await page.locator('main').textContent()) ?? '';
      expect(body).toMatch(/[۰-۹]/); // Persian digits
      expect(body).toMatch(/(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند)/); // Persian calendar months
      // the layout mirrors: the heading starts at the right edge
      const box = await page.getByRole('heading', { name: 'موردهای من' }).boundingBox();
      expect(box!.x + box!.width).toBeGreaterThan(1280 / 2);
      await screenshot(page, 'portal-cases-fa');
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByTestId('case-row').first().getByRole('link').first().click();
      await page.getByTestId('ticket-number').first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it("does not show a customer another customer's case by URL", async () => {
    const other = await apiToken('customer2@example.com');
    const created = await api(other, 'POST', '/cases', { title: 'Private matter of customer2', description: 'secret details' });
    expect(created.status).toBe(201);
    const { page, close } = await newPage(browser);
    try {
      // a direct URL: the app asks to sign in, then comes back to the address
      await signIn(page, 'customer1@example.com', `/portal/cases/${created.body.id}`);
      await page.getByRole('heading', { name: 'Case not found' }).waitFor();
      expect(page.url()).toContain(`/portal/cases/${created.body.id}`);
      expect(await page.getByText('Private matter of customer2').count()).toBe(0);
      expect(await page.getByText('secret details').count()).toBe(0);
      // and the agent workspace is not theirs either
      await page.getByRole('link', { name: 'My cases' }).first().click();
      await page.evaluate(() => window.history.pushState({}, '', '/agent'));
      await page.evaluate(() => window.dispatchEvent(new PopStateEvent('popstate')));
      await page.getByRole('heading', { name: 'My cases' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/portal');
    } finally {
      await close();
    }
  });

  it('keeps typed text when someone else changed the case, then saves it', async () => {
    const agent2 = await apiToken('agent2@example.com');
    const customer = await apiToken('customer2@example.com');
    const created = await api(customer, 'POST', '/cases', { title: 'Conflict test', description: 'd' });
    await waitForRouting(created.body.id);
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, 'agent1@example.com', `/agent/cases/${created.body.id}`);
      await page.getByRole('heading', { name: 'Conflict test' }).waitFor();
      // a colleague changes the case after the page loaded it
      const current = await api(agent2, 'GET', `/cases/${created.body.id}`);
      const first = await api(agent2, 'PATCH', `/cases/${created.body.id}`, { priority: 'urgent' }, { 'if-match': current.etag! });
      expect(first.status).toBe(200);
      // a note only appends: it goes through, nothing to lose
      await page.getByLabel('Internal note').fill('Appending never conflicts');
      await page.getByRole('button', { name: 'Add internal note' }).click();
      await page.getByTestId('timeline-entry').filter({ hasText: 'Appending never conflicts' }).waitFor();
      // a colleague changes it again; resolving on the old version is refused and the text stays
      const again = await api(agent2, 'GET', `/cases/${created.body.id}`);
      const second = await api(agent2, 'PATCH', `/cases/${created.body.id}`, { priority: 'high' }, { 'if-match': again.etag! });
      expect(second.status).toBe(200);
      await page.getByRole('button', { name: 'Resolve', exact: true }).click();
      const dialog = page.getByTestId('resolve-dialog');
      await dialog.getByLabel('Resolution', { exact: true }).fill('My analysis that must not be lost');
      await dialog.getByLabel('Minutes spent').fill('12');
      await dialog.getByRole('button', { name: 'Save resolution' }).click();
      await page.getByTestId('dialog-conflict').or(page.getByTestId('conflict-banner')).first().waitFor();
      expect(await dialog.getByLabel('Resolution', { exact: true }).inputValue()).toBe('My analysis that must not be lost');
      await dialog.getByRole('button', { name: 'Save resolution' }).click();
      await expect.poll(() => page.getByTestId('case-status').first().textContent()).toContain('Problem solved');
      const after = await api(agent2, 'GET', `/cases/${created.body.id}`);
      expect(after.body).toMatchObject({ state: 'resolved', priority: 'high' });
      expect(after.body.resolution.text).toBe('My analysis that must not be lost');
    } finally {
      await close();
    }
  });

  it('has no serious or critical accessibility violations and keeps tokens out of storage', async () => {
    const customer = await newPage(browser);
    const agent = await newPage(browser);
    const found: Record<string, string[]> = {};
    try {
      const c = customer.page;
      await c.goto(`${rt.url}/login`);
      await c.getByRole('button', { name: 'Sign in as customer1@example.com' }).waitFor();
      await screenshot(c, 'login');
      found.login = await seriousViolations(c);
      await c.getByRole('button', { name: 'Sign in as customer1@example.com' }).click();
      await c.getByTestId('case-row').first().waitFor();
      found.portal = await seriousViolations(c);
      await c.getByTestId('case-row').first().getByRole('link').first().click();
      await c.getByRole('heading', { name: 'Conversation' }).waitFor();
      found.portalCase = await seriousViolations(c);
      await c.getByRole('link', { name: 'Open a new case' }).or(c.getByRole('link', { name: 'Open a case', exact: true })).first().click();
      await c.getByLabel('Title').waitFor();
      found.newCase = await seriousViolations(c);
      const storage = await c.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
      expect(storage).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // no JWT anywhere in web storage

      const a = agent.page;
      await signIn(a, 'agent1@example.com');
      await a.getByRole('link', { name: 'All active' }).click();
      await a.getByTestId('case-row').first().waitFor();
      found.agentCases = await seriousViolations(a);
      await a.getByTestId('case-row').first().getByRole('link').first().click();
      await a.getByLabel('Internal note').waitFor();
      found.agentCase = await seriousViolations(a);
      await a.getByRole('button', { name: 'Resolve', exact: true }).click();
      await a.getByTestId('resolve-dialog').getByLabel('Minutes spent').waitFor();
      found.resolveDialog = await seriousViolations(a);
      await a.getByLabel('Language').first().selectOption('fa').catch(() => undefined);
      expect(Object.values(found).flat(), JSON.stringify(found, null, 2)).toEqual([]);
      expect(customer.problems).toEqual([]);
    } finally {
      await customer.close();
      await agent.close();
    }
  });
});
