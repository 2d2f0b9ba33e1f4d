/// <reference lib="dom" />
/**
 * The SLA screens (issue 6) in Debian's Chromium against the whole local runtime: the case page's
 * SLA card (deadline, a countdown that runs, "Why this deadline?"), the calendar administration
 * (a field error by path, save, delete, and the 409 of a calendar a policy uses) and the policies
 * editor (an invalid policy listed by path); axe-core finds no serious or critical issue.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime';
import { apiCall, apiToken, launchBrowser, newPage, screenshot, seriousViolations, signIn, startWebRuntime } from '../support/web';

let rt: Runtime;
let browser: Browser;
let admin: string;
let customer: string;

beforeAll(async () => {
  rt = await startWebRuntime({ cases: 6 });
  browser = await launchBrowser();
  admin = await apiToken(rt, 'admin@example.com');
  customer = await apiToken(rt, 'customer1@example.com');
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const api = (token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => apiCall(rt, token, method, path, body, headers);

/** Console errors, less the browser's own line for an answer the test expects (400 on a bad save, 409 on a refused delete). */
const unexpected = (problems: string[]) => problems.filter((p) => !/Failed to load resource: the server responded with a status of (400|409|412)/.test(p));

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** Adds policies in front of the saved ones (If-Match with the version read just before). */
async function addPolicies(...policies: unknown[]) {
  const current = await api(admin, 'GET', '/sla/policies');
  expect(current.status, JSON.stringify(current.body)).toBe(200);
  const res = await api(admin, 'PUT', '/sla/policies', { policies: [...policies, ...current.body.policies] }, { 'if-match': `"${current.body.version}"` });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const spec = (minutes: number, calendarId: string | null) => ({
  targetMinutes: { low: minutes, normal: minutes, high: minutes, urgent: minutes },
  warnAtPercent: 75,
  calendarId,
  pauseStatuses: ['on_hold', 'waiting_for_details'],
});

describe('SLA screens', () => {
  it('the case page shows the SLA of a VIP case: deadline, a running countdown and why', async () => {
    // customer1 belongs to Contoso, a VIP account
    const created = await api(customer, 'POST', '/cases', { title: 'VIP: the printer will not print', description: 'Nothing comes out since this morning.' });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    // routing raises a VIP's priority, which re-targets the clocks: read them after it
    await expect.poll(async () => (await api(admin, 'GET', `/cases/${caseId}`)).body.routedVersion, { timeout: 10_000 }).not.toBeNull();
    const sla = await api(admin, 'GET', `/cases/${caseId}/sla`);
    expect(sla.status, JSON.stringify(sla.body)).toBe(200);
    // the seeded VIP policy: first response around the clock, resolution in the Tehran office's hours
    expect(sla.body.policyName).toBe('VIP');
    expect(sla.body.policyId).not.toBeNull();
    expect(sla.body.kpis.map((k: any) => k.kpi)).toContain('first_response');

    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'manager@example.com', `/agent/cases/${caseId}`);
      const card = page.getByTestId('sla-card');
      await card.waitFor();
      expect(await card.getByRole('heading', { name: 'SLA', exact: true }).count()).toBe(1);
      const first = card.locator('[data-kpi="first_response"]');
      await first.waitFor();
      expect(await first.getByRole('heading').textContent()).toContain('First response');
      expect(await first.getByTestId('sla-status').textContent()).toMatch(/On track|Nearing breach/);
      expect((await first.getByTestId('sla-deadline').textContent())?.trim()).not.toBe('');
      expect(await first.getByTestId('sla-deadline').locator('time').getAttribute('datetime')).toBe(
        sla.body.kpis.find((k: any) => k.kpi === 'first_response').failureAt,
      );
      if (await card.locator('[data-kpi="resolve"]').count()) expect(await card.locator('[data-kpi="resolve"] h3').textContent()).toContain('Resolution');

      // the countdown runs, to the second
      const countdown = first.getByTestId('sla-countdown');
      const before = await countdown.textContent();
      expect(before).toMatch(/left$/);
      await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(before);

      // why: the explanation and the ledger
      const why = first.getByTestId('sla-why');
      expect(await why.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      await why.getByText('Why this deadline?').click();
      expect(await why.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      const lines = why.locator('.sla-why__lines li');
      expect(await lines.count()).toBe(sla.body.kpis.find((k: any) => k.kpi === 'first_response').explanation.length);
      expect(await lines.count()).toBeGreaterThan(0);
      expect(await why.locator('table tbody tr').count()).toBeGreaterThan(0);
      await screenshot(page, 'agent-case-sla');
      expect(await seriousViolations(page)).toEqual([]);
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it('an admin creates a calendar (a bad interval is named at its field), deletes it, and cannot delete one in use', async () => {
    // a calendar a policy uses, for the 409
    const used = await api(admin, 'POST', '/sla/calendars', {
      name: 'E2E in use',
      timeZone: 'Europe/Berlin',
      week: { mon: [{ start: '08:00', end: '16:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      holidays: [],
    });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    await addPolicies({
      id: 'e2e-uses-calendar',
      name: 'E2E uses a calendar',
      enabled: true,
      order: 900,
      appliesWhen: { field: 'caseType', op: 'eq', value: 'question' },
      kpis: { resolve: spec(600, used.body.id) },
      onWarning: [],
      onBreach: [],
    });

    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'admin@example.com');
      await nav(page, 'Calendars').click();
      await page.getByRole('heading', { name: 'Calendars', level: 1 }).waitFor();
      await page.locator('[data-testid="calendar-row"]').first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'New calendar' }).click();
      const dialog = page.getByTestId('calendar-dialog');
      await dialog.getByLabel('Name', { exact: true }).fill('E2E Tehran office');
      await dialog.getByLabel('Time zone').fill('Asia/Tehran');
      expect(await dialog.locator('datalist option[value="Asia/Tehran"]').count()).toBe(1);
      // Monday ends before it starts
      const mondayEnd = dialog.getByLabel('Until Monday, interval 1');
      await mondayEnd.fill('08:00');
      await dialog.getByRole('button', { name: 'Add holiday' }).click();
      await dialog.getByLabel('Date of holiday 1').fill('2027-03-21');
      await dialog.getByLabel('Name of holiday 1').fill('Nowruz');
      const answer = page.waitForResponse((r) => r.url().endsWith('/sla/calendars') && r.request().method() === 'POST');
      await dialog.getByRole('button', { name: 'Create calendar' }).click();
      const refused = await answer;
      expect(refused.status()).toBe(400);
      expect(((await refused.json()) as any).errors.map((e: any) => e.path)).toContain('week.mon[0].end');
      await expect.poll(() => mondayEnd.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await mondayEnd.getAttribute('aria-describedby')) ?? '';
      const message = page.locator(`[id="${describedBy.split(' ').pop()}"]`);
      expect(await message.textContent()).toContain('The end must be after the start');
      await screenshot(page, 'admin-calendar-invalid');
      expect(await seriousViolations(page)).toEqual([]);

      await mondayEnd.fill('16:30');
      await dialog.getByRole('button', { name: 'Create calendar' }).click();
      const row = page.locator('[data-testid="calendar-row"]', { hasText: 'E2E Tehran office' });
      await row.waitFor();
      expect(await row.textContent()).toContain('Asia/Tehran');
      expect(await row.textContent()).toContain('09:00–16:30');
      const stored = (await api(admin, 'GET', '/sla/calendars')).body.items.find((c: any) => c.name === 'E2E Tehran office');
      expect(stored.holidays).toEqual([{ date: '2027-03-21', name: 'Nowruz' }]);
      expect(stored.week.sat).toEqual([]);

      // delete it
      await row.getByRole('button', { name: 'Delete E2E Tehran office' }).click();
      const confirm = page.getByTestId('delete-calendar-dialog');
      await confirm.getByRole('button', { name: 'Delete calendar' }).click();
      await expect.poll(() => row.count()).toBe(0);
      expect(await page.getByRole('status').filter({ hasText: 'Calendar “E2E Tehran office” deleted.' }).count()).toBe(1);

      // the one a policy uses: refused, with the reason
      const usedRow = page.locator('[data-testid="calendar-row"]', { hasText: 'E2E in use' });
      await usedRow.getByRole('button', { name: 'Delete E2E in use' }).click();
      await confirm.getByRole('button', { name: 'Delete calendar' }).click();
      const alert = confirm.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('This cannot be done right now.');
      expect((await api(admin, 'GET', `/sla/calendars/${used.body.id}`)).status).toBe(200);
      await screenshot(page, 'admin-calendar-in-use');
      expect(await seriousViolations(page)).toEqual([]);
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it('the policies page lists an invalid policy by path and saves nothing', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'admin@example.com');
      await nav(page, 'SLA policies').click();
      const editor = page.getByLabel('Policies (JSON)');
      await editor.waitFor();
      await expect.poll(async () => (await editor.inputValue()).trim().startsWith('[')).toBe(true);
      const saved = JSON.parse(await editor.inputValue()) as unknown[];
      const before = (await api(admin, 'GET', '/sla/policies')).body.version;
      expect(await seriousViolations(page)).toEqual([]);

      const bad = {
        id: 'e2e-bad',
        name: 'E2E bad',
        enabled: true,
        order: 1000,
        appliesWhen: null,
        kpis: { resolve: { ...spec(60, null), targetMinutes: { low: 60, normal: 60, high: 0, urgent: 60 } } },
        onWarning: [],
        onBreach: [],
      };
      await editor.fill(JSON.stringify([bad, ...saved], null, 2));
      await page.getByRole('button', { name: 'Save policies' }).click();
      const errors = page.getByTestId('policy-errors');
      await errors.waitFor();
      expect(await errors.locator('[data-path="policies[0].kpis.resolve.targetMinutes.high"]').count()).toBe(1);
      expect(await errors.textContent()).toContain('policies[0].kpis.resolve.targetMinutes.high');
      expect((await api(admin, 'GET', '/sla/policies')).body.version).toBe(before);
      await screenshot(page, 'admin-sla-policies-invalid');
      expect(await seriousViolations(page)).toEqual([]);
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);
});
