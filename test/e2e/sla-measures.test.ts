/// <reference lib="dom" />
/**
 * The SLA report (issue 6) in Debian's Chromium against the whole local runtime: a VIP case
 * answered within its first-response target is counted as met (the API first, then the page, by
 * queue and first response), the met % has an accessible bar, a range over 92 days is refused and
 * said at the "To" field, agents get no report, and the page reads right to left in Persian.
 * axe-core finds nothing serious.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime';
import { apiCall, apiToken, launchBrowser, newPage, screenshot, seriousViolations, signIn, startWebRuntime } from '../support/web';

let rt: Runtime;
let browser: Browser;
let manager: string;
let customer: string;

beforeAll(async () => {
  rt = await startWebRuntime({ cases: 6 });
  browser = await launchBrowser();
  manager = await apiToken(rt, 'manager@example.com');
  customer = await apiToken(rt, 'customer1@example.com');
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const api = (token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => apiCall(rt, token, method, path, body, headers);

/** Console errors, less the browser's own line for the 400 the test asks for. */
const unexpected = (problems: string[]) => problems.filter((p) => !/Failed to load resource: the server responded with a status of 400/.test(p));

interface Row {
  key: string | null;
  kpi: string;
  met: number;
  breached: number;
  total: number;
}
const measures = async (from: string, to: string): Promise<Row[]> => {
  const res = await api(manager, 'GET', `/sla/measures?from=${from}&to=${to}&by=queue&kpi=first_response`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.rows;
};
const metIn = async (from: string, to: string, queueId: string) => (await measures(from, to)).find((r) => r.key === queueId)?.met ?? 0;

describe('SLA report', () => {
  it('counts a case answered within its target as met, by queue and first response, with a bar for met %', async () => {
    const created = await api(customer, 'POST', '/cases', { title: 'VIP: the projector flickers', description: 'Since the update.' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await expect.poll(async () => (await api(manager, 'GET', `/cases/${id}`)).body.routedVersion, { timeout: 15_000 }).not.toBeNull();
    const c = (await api(manager, 'GET', `/cases/${id}`)).body;
    const queueName = (await api(manager, 'GET', `/queues/${c.queueId}`)).body.name as string;
    const today = rt.clock.now().toISOString().slice(0, 10);
    const before = await metIn(today, today, c.queueId);

    // the first response, well within the 2 hours
    const reply = await api(manager, 'POST', `/cases/${id}/messages`, { body: 'We are on it: a technician is on the way.' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await expect.poll(() => metIn(today, today, c.queueId), { timeout: 20_000 }).toBe(before + 1);

    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'manager@example.com');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'SLA report', exact: true }).click();
      await page.getByRole('heading', { name: 'SLA report', level: 1 }).waitFor();
      // the last 30 days (UTC), by day, every KPI
      const from = await page.getByLabel('From').inputValue();
      const to = await page.getByLabel('To', { exact: true }).inputValue();
      expect(to).toBe(new Date().toISOString().slice(0, 10));
      expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(29);
      expect(await page.getByLabel('Group by').inputValue()).toBe('day');
      await page.getByTestId('measure-row').first().waitFor();
      expect(await page.getByRole('columnheader', { name: 'Day' }).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);

      // by queue, first response only
      await page.getByLabel('Group by').selectOption({ label: 'Queue' });
      await page.getByLabel('SLA', { exact: true }).selectOption({ label: 'First response' });
      await page.getByRole('button', { name: 'Show' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('by')).toBe('queue');
      const row = page.locator(`[data-testid="measure-row"][data-key="${c.queueId}"][data-kpi="first_response"]`);
      await row.waitFor();
      const expected = (await measures(from, to)).find((r) => r.key === c.queueId)!;
      expect(expected.met).toBeGreaterThanOrEqual(1);
      expect(await row.getByRole('rowheader').textContent()).toBe(queueName);
      expect(await row.getByTestId('measure-met').textContent()).toBe(String(expected.met));
      expect(await row.getByTestId('measure-breached').textContent()).toBe(String(expected.breached));
      const meter = row.getByRole('meter');
      expect(await meter.count()).toBe(1);
      expect(await meter.getAttribute('aria-label')).toMatch(new RegExp(`^${queueName}: \\d+(\\.\\d)?% met$`));
      expect(Number(await meter.getAttribute('value'))).toBeCloseTo((expected.met / expected.total) * 100, 0);
      expect(await page.getByRole('columnheader', { name: 'Met %' }).count()).toBe(1);
      await screenshot(page, 'sla-report');
      expect(await seriousViolations(page)).toEqual([]);

      // more than 92 days: the API refuses, the page says why at "To"
      await page.getByLabel('From').fill('2026-01-01');
      await page.getByLabel('To', { exact: true }).fill('2026-06-30');
      const answer = page.waitForResponse((r) => r.url().includes('/sla/measures') && r.status() === 400);
      await page.getByRole('button', { name: 'Show' }).click();
      await answer;
      const toField = page.getByLabel('To', { exact: true });
      await expect.poll(() => toField.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await toField.getAttribute('aria-describedby')) ?? '';
      expect(await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent()).toContain('Choose at most 92 days');
      expect(await page.getByRole('alert').first().textContent()).toContain('at most 92');
      await screenshot(page, 'sla-report-range-error');
      expect(await seriousViolations(page)).toEqual([]);

      // in Persian, right to left
      await page.getByLabel('From').fill(from);
      await page.getByLabel('To', { exact: true }).fill(to);
      await page.getByRole('button', { name: 'Show' }).click();
      await row.waitFor();
      await page.getByLabel('Language').selectOption('fa');
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await page.getByRole('heading', { name: 'گزارش SLA', level: 1 }).waitFor();
      expect(await row.getByTestId('measure-met').textContent()).toMatch(/^[۰-۹]+$/);
      expect(await seriousViolations(page)).toEqual([]);
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it('is for managers and admins: an agent has no link and is sent home', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'agent1@example.com', '/reports/sla');
      await page.waitForURL((u) => u.pathname === '/agent');
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'SLA report' }).count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
