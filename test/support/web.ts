/**
 * Browser tests: the whole local runtime (gateway, handlers, stream poller, the built web app)
 * on a fresh table in the shared DynamoDB Local, and Debian's Chromium driven by playwright-core.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import axe from 'axe-core';
import { type Browser, type Page, chromium } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../local/chromium';
import { type Runtime, startRuntime } from '../../local/runtime';
import { DEMO_PASSWORD } from '../../local/seed';
import { webHandler } from '../../local/web';
import type { WebConfig } from '../../shared/web/security-headers';

export async function startWebRuntime(opts: { cases?: number; config?: WebConfig; port?: number } = {}): Promise<Runtime> {
  return startRuntime({
    dynamoEndpoint: inject('dynamoEndpoint'),
    table: `web-${randomUUID().slice(0, 8)}`,
    port: opts.port ?? 0,
    seed: { cases: opts.cases ?? 12 },
    ...(opts.config ? { extra: webHandler({ config: opts.config }) } : {}),
  });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A new page that records console errors and CSP violations, so tests can assert there were none. */
export async function newPage(browser: Browser, opts: { locale?: string } = {}) {
  const context = await browser.newContext({ locale: opts.locale ?? 'en-GB', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems, close: () => context.close() };
}

/** `npm run screenshots` refreshes the README's pictures; ordinary runs keep theirs in test-results/. */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: false });
}

export { DEMO_PASSWORD };

// ---------------------------------------------------------------------------------------------
// Helpers for the browser tests (signing in, the API as a user, axe-core)

/** Signs in through the local login page's demo-user button. */
export async function signIn(rt: Runtime, page: Page, email: string, path = '/login') {
  await page.goto(`${rt.url}${path}`);
  await page.getByRole('button', { name: `Sign in as ${email}` }).click();
}

export async function apiToken(rt: Runtime, email: string) {
  const res = await fetch(`${rt.url}/local/token`, { method: 'POST', body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** One API call as the holder of `token`; the body parsed when there is one. */
export async function apiCall(rt: Runtime, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body: (text ? JSON.parse(text) : undefined) as any };
}

/** axe-core in the page (evaluated through the DevTools protocol, so the page's CSP still holds): serious and critical violations. */
export async function seriousViolations(page: Page) {
  await page.evaluate(axe.source);
  const result = (await page.evaluate(() => (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }))) as axe.AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}
