/// <reference lib="dom" />
/**
 * The SLA at-risk screens (issue 6) in Debian's Chromium against the whole local runtime: a VIP
 * case (first response due within 2 hours around the clock, warned at 75 %) shows up in its
 * queue's "At risk" tab and in the board's counts; a case in no queue is reachable from the
 * board's "No queue" row; then the local clock is moved past the warning and past the deadline,
 * and the case page shows the timer's next check, the stages acted on and the timeline's SLA
 * entries, while the at-risk tab says "Warning", then "Breached". Last, a policy with next response:
 * the card shows the latest exchange in full and lists the earlier ones, and its
 * explanation in Persian. axe-core finds nothing serious.
 *
 * Data is arranged through the API (POST /cases as the VIP customer); the backend lists a case
 * once its SLA worker has stored the clocks, so every check polls the API first.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime';
import { apiCall, apiToken, launchBrowser, newPage, screenshot, seriousViolations, signIn, startWebRuntime } from '../support/web';

let rt: Runtime;
let browser: Browser;
let admin: string;
let manager: string;
let customer: string;
const MIN = 60_000;

beforeAll(async () => {
  rt = await startWebRuntime({ cases: 6 });
  browser = await launchBrowser();
  admin = await apiToken(rt, 'admin@example.com');
  manager = await apiToken(rt, 'manager@example.com');
  customer = await apiToken(rt, 'customer1@example.com');
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const api = (token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => apiCall(rt, token, method, path, body, headers);

interface AtRiskItem {
  caseId: string;
  kpi: string;
  risk: string;
  remainingMs: number;
}
const atRisk = async (queueId: string, withinMinutes = 240): Promise<AtRiskItem[]> => {
  const res = await api(manager, 'GET', `/sla/at-risk?queueId=${queueId}&withinMinutes=${withinMinutes}&limit=200`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
};
const firstResponseOf = async (queueId: string, caseId: string) => (await atRisk(queueId)).find((x) => x.caseId === caseId && x.kpi === 'first_response');
const marksOf = async (caseId: string): Promise<string[]> => (await api(manager, 'GET', `/cases/${caseId}/sla`)).body.marks;

/** A VIP case opened by the customer, once routing has put it in the VIP queue at high priority. */
async function vipCase(title: string) {
  const created = await api(customer, 'POST', '/cases', { title, description: 'Nothing works since this morning.' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  await expect.poll(async () => (await api(manager, 'GET', `/cases/${id}`)).body.routedVersion, { timeout: 15_000 }).not.toBeNull();
  const c = (await api(manager, 'GET', `/cases/${id}`)).body;
  expect(c.queueId).not.toBeNull();
  return c as { id: string; ticketNumber: string; queueId: string; version: number; ownerId: string | null };
}

const row = (page: Page, caseId: string) => page.locator(`[data-testid="at-risk-row"][data-case-id="${caseId}"][data-kpi="first_response"]`);

/** The board's at-risk counts of one queue ('none': no queue), as the page shows them. */
const boardCounts = async (page: Page, queueId: string) => {
  const cell = page.locator(`[data-testid="queue-row"][data-queue-id="${queueId}"] [data-testid="queue-at-risk"] [data-breached]`);
  await cell.waitFor();
  return { breached: Number(await cell.getAttribute('data-breached')), warning: Number(await cell.getAttribute('data-warning')), upcoming: Number(await cell.getAttribute('data-upcoming')) };
};

let vip: Awaited<ReturnType<typeof vipCase>>;
let queueName: string;

describe('SLA at risk', () => {
  it("lists a VIP case due within 4 hours in its queue's At risk tab (countdown, risk, window) and counts it on the board", async () => {
    vip = await vipCase('VIP: the scanner stopped scanning');
    queueName = (await api(manager, 'GET', `/queues/${vip.queueId}`)).body.name;
    // the backend lists it once the SLA worker has stored its clocks
    await expect.poll(() => firstResponseOf(vip.queueId, vip.id), { timeout: 20_000 }).toBeDefined();
    const listed = (await firstResponseOf(vip.queueId, vip.id))!;
    expect(listed.risk).toBe('upcoming');
    expect(listed.remainingMs).toBeGreaterThan(100 * MIN);
    // not due within the hour, not past its warning: a 1-hour window leaves it out
    expect((await atRisk(vip.queueId, 60)).some((x) => x.caseId === vip.id && x.kpi === 'first_response')).toBe(false);
    const counts = (await api(manager, 'GET', '/sla/at-risk/counts?withinMinutes=240')).body.queues.find((q: any) => q.queueId === vip.queueId);

    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'manager@example.com', '/agent/queues');
      await page.getByRole('heading', { name: 'Queues', level: 1 }).waitFor();
      const shown = await boardCounts(page, vip.queueId);
      expect(await page.getByRole('columnheader', { name: 'SLA at risk (4 hours)' }).count()).toBe(1);
      expect(shown.upcoming).toBeGreaterThanOrEqual(1);
      expect(shown.breached + shown.warning + shown.upcoming).toBeGreaterThanOrEqual(counts.breached + counts.warning + counts.upcoming - 1);
      // the no-queue row is there too
      expect(await page.locator('[data-testid="queue-row"][data-queue-id="none"]').getByRole('link', { name: 'No queue' }).count()).toBe(1);
      await screenshot(page, 'queue-board-at-risk');
      expect(await seriousViolations(page)).toEqual([]);

      // the queue's tab
      await page.locator(`[data-testid="queue-row"][data-queue-id="${vip.queueId}"] th`).getByRole('link', { name: queueName, exact: true }).click();
      await page.getByRole('heading', { name: queueName, level: 1 }).waitFor();
      await page.getByRole('navigation', { name: 'Cases of this queue' }).getByRole('link', { name: /^At risk/ }).click();
      await page.getByRole('heading', { name: 'At risk', level: 2 }).waitFor();
      await row(page, vip.id).waitFor();
      const r = row(page, vip.id);
      expect(await r.getAttribute('data-risk')).toBe('upcoming');
      expect(await r.locator('.ticket-number').textContent()).toBe(vip.ticketNumber);
      expect(await r.getByRole('link').textContent()).toBe('VIP: the scanner stopped scanning');
      expect(await r.textContent()).toContain('First response');
      expect(await r.textContent()).toContain('High');
      expect(await r.getByTestId('at-risk-badge').textContent()).toBe('Due soon');
      expect(await r.getByTestId('at-risk-countdown').textContent()).toMatch(/^in (1|2) hr/);
      expect(await r.getByRole('timer').count()).toBe(1);
      if (vip.ownerId) {
        const agent = (await api(manager, 'GET', `/agents/${vip.ownerId}`)).body;
        expect(await r.textContent()).toContain(agent.name);
      }
      expect(await page.getByRole('table', { name: `${queueName}: SLA clocks due within 4 hours or breached` }).count()).toBe(1);
      await screenshot(page, 'queue-at-risk');
      expect(await seriousViolations(page)).toEqual([]);

      // a window of one hour: the case is not due within it
      await page.getByLabel('Due within').selectOption({ label: '1 hour' });
      await expect.poll(() => new URL(page.url()).searchParams.get('within')).toBe('60');
      await page.getByRole('table', { name: `${queueName}: SLA clocks due within 1 hour or breached` }).or(page.getByText('No SLA clock is due within 1 hour')).first().waitFor();
      await expect.poll(() => row(page, vip.id).count()).toBe(0);
      await page.getByLabel('Due within').selectOption({ label: '1 week' });
      await row(page, vip.id).waitFor();

      // the same tab in Persian, right to left
      await page.getByLabel('Language').selectOption('fa');
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await page.getByRole('heading', { name: 'در خطر', level: 2 }).waitFor();
      expect(await row(page, vip.id).getByTestId('at-risk-badge').textContent()).toBe('به‌زودی');
      expect(await row(page, vip.id).getByTestId('at-risk-countdown').textContent()).toMatch(/[۰-۹].*مانده$/);
      await screenshot(page, 'queue-at-risk-fa');
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel('زبان').selectOption('en');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it('reaches a case in no queue from the board', async () => {
    const c = await vipCase('VIP: the badge reader is dead');
    const moved = await api(manager, 'PATCH', `/cases/${c.id}`, { queueId: null }, { 'if-match': `"${c.version}"` });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await expect.poll(() => firstResponseOf('none', c.id), { timeout: 20_000 }).toBeDefined();

    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'agent1@example.com', '/agent/queues');
      await expect.poll(async () => (await boardCounts(page, 'none')).upcoming, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      await page.locator('[data-testid="queue-row"][data-queue-id="none"] th').getByRole('link', { name: 'No queue' }).click();
      await page.getByRole('heading', { name: 'No queue', level: 1 }).waitFor();
      await row(page, c.id).waitFor();
      expect(await row(page, c.id).getByTestId('at-risk-badge').textContent()).toBe('Due soon');
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it('after the warning and after the deadline: the case page shows the next check, the stages acted on and the SLA entries; the tab says Warning, then Breached', async () => {
    const before = (await api(manager, 'GET', `/cases/${vip.id}/sla`)).body;
    const first = before.kpis.find((k: any) => k.kpi === 'first_response');
    expect(before.timer).not.toBeNull();
    expect(before.marks).toEqual([]);

    // past the warning (75 % of 2 hours), not yet the deadline
    const toWarning = Date.parse(first.warningAt) - rt.clock.now().getTime();
    await rt.clock.advance(toWarning + 5 * MIN);
    await expect.poll(() => marksOf(vip.id), { timeout: 20_000 }).toContain('first_response:warning');
    await expect.poll(async () => (await firstResponseOf(vip.queueId, vip.id))?.risk, { timeout: 20_000 }).toBe('warning');

    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'manager@example.com', `/agent/cases/${vip.id}`);
      const card = page.getByTestId('sla-card');
      const kpi = card.locator('[data-kpi="first_response"]');
      await kpi.waitFor();
      // the timer: its next wake-up is the deadline, counted from the server's clock
      const timer = card.getByTestId('sla-timer');
      expect(await timer.textContent()).toContain('Next check');
      expect(await timer.locator('time').getAttribute('datetime')).toBe((await api(manager, 'GET', `/cases/${vip.id}/sla`)).body.timer.wakeAt);
      expect(await card.getByTestId('sla-next-check').textContent()).toMatch(/^in \d+ min/);
      // the countdown counts from the server's (moved) clock: less than an hour is left
      expect(await kpi.getByTestId('sla-countdown').textContent()).toMatch(/^\d+ min.* left$/);
      expect(await kpi.getByTestId('sla-status').textContent()).toBe('Nearing breach');
      expect(await kpi.getByTestId('sla-marks').textContent()).toBe('Warning acted on');
      // the explanation, phrased from the facts
      await kpi.getByText('Why this deadline?').click();
      const lines = await kpi.locator('.sla-why__lines li').allTextContents();
      expect(lines[0]).toMatch(/^Target: 2 hrs? of working time for High priority/);
      expect(lines.some((l) => l.startsWith('Deadline '))).toBe(true);
      // the timeline's SLA entry
      const entry = page.locator('[data-testid="timeline-entry"][data-kind="sla"]');
      await entry.first().waitFor();
      expect(await entry.first().textContent()).toContain('SLA warning');
      expect(await entry.first().getByTestId('timeline-sla').textContent()).toContain('First response is nearing its deadline.');
      await screenshot(page, 'agent-case-sla-warning');
      expect(await seriousViolations(page)).toEqual([]);

      // the queue's at-risk tab: Warning
      await signIn(rt, page, 'manager@example.com', `/agent/queues/${vip.queueId}?view=at_risk`);
      await row(page, vip.id).waitFor();
      expect(await row(page, vip.id).getByTestId('at-risk-badge').textContent()).toBe('Warning');

      // past the deadline: the breach acts (the VIP policy moves the case to the escalation queue)
      const toBreach = Date.parse(first.failureAt) - rt.clock.now().getTime();
      await rt.clock.advance(toBreach + 2 * MIN);
      await expect.poll(() => marksOf(vip.id), { timeout: 20_000 }).toContain('first_response:breach');
      const escalated = (await api(manager, 'GET', `/cases/${vip.id}`)).body.queueId as string;
      await expect.poll(async () => (await firstResponseOf(escalated, vip.id))?.risk, { timeout: 20_000 }).toBe('breached');

      await signIn(rt, page, 'manager@example.com', `/agent/queues/${escalated}?view=at_risk`);
      await row(page, vip.id).waitFor();
      expect(await row(page, vip.id).getByTestId('at-risk-badge').textContent()).toBe('Breached');
      expect(await row(page, vip.id).getByTestId('at-risk-countdown').textContent()).toMatch(/^overdue by \d+ min/);
      await screenshot(page, 'queue-at-risk-breached');
      expect(await seriousViolations(page)).toEqual([]);

      await signIn(rt, page, 'manager@example.com', `/agent/cases/${vip.id}`);
      await kpi.waitFor();
      await expect.poll(() => kpi.getByTestId('sla-marks').locator('li').allTextContents()).toEqual(['Warning acted on', 'Breach acted on']);
      expect(await kpi.getByTestId('sla-status').textContent()).toBe('Breached');
      const stages = page.locator('[data-testid="timeline-sla"]');
      await expect.poll(() => stages.count()).toBe(2);
      expect(await page.locator('[data-testid="timeline-sla"][data-stage="breach"]').textContent()).toContain('First response missed its deadline.');
      expect(await page.locator('[data-testid="timeline-entry"][data-kind="sla"]').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining('SLA breached')]),
      );
      await screenshot(page, 'agent-case-sla-breach');
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 150_000);

  it('next response: the card shows the latest exchange in full, the earlier ones listed, and the explanation in Persian', async () => {
    // a policy in front of the others, for cases that say "e2eexchange"
    const current = (await api(admin, 'GET', '/sla/policies')).body;
    const spec = (minutes: number) => ({ targetMinutes: { low: minutes, normal: minutes, high: minutes, urgent: minutes }, warnAtPercent: 75, calendarId: null, pauseStatuses: [] });
    const saved = await api(
      admin,
      'PUT',
      '/sla/policies',
      {
        policies: [
          {
            id: 'e2e-exchanges',
            name: 'E2E exchanges',
            enabled: true,
            order: 1,
            appliesWhen: { field: 'title_or_description', op: 'contains_any_word', value: ['e2eexchange'] },
            kpis: { first_response: spec(120), next_response: spec(60) },
            onWarning: [],
            onBreach: [],
          },
          ...current.policies,
        ],
      },
      { 'if-match': `"${current.version}"` },
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const created = await api(customer, 'POST', '/cases', { title: 'e2eexchange: the mouse double-clicks', description: 'Every click is two.' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // staff answer, the customer writes, staff answer (exchange 1 met), the customer writes again (exchange 2 runs)
    const say = async (token: string, body: string) => expect((await api(token, 'POST', `/cases/${id}/messages`, { body })).status).toBe(201);
    await say(manager, 'Which mouse is it?');
    await say(customer, 'The grey one.');
    await say(manager, 'A new one is on its way.');
    await say(customer, 'Thanks, when will it arrive?');
    await expect
      .poll(async () => {
        const kpis = (await api(manager, 'GET', `/cases/${id}/sla`)).body.kpis as { kpi: string; cycle: number; status: string }[];
        return kpis.filter((k) => k.kpi === 'next_response').map((k) => `${k.cycle}:${k.status}`);
      }, { timeout: 20_000 })
      .toEqual(['1:succeeded', '2:in_progress']);

    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(rt, page, 'agent1@example.com', `/agent/cases/${id}`);
      const card = page.getByTestId('sla-card');
      await card.locator('[data-kpi="first_response"]').waitFor();
      expect(await card.getByText('Policy: E2E exchanges').count()).toBe(1);
      // one next response block: the latest exchange
      const next = card.locator('[data-kpi="next_response"]');
      expect(await next.count()).toBe(1);
      expect(await next.getAttribute('data-cycle')).toBe('2');
      expect(await next.getByRole('heading', { level: 3 }).textContent()).toContain('Next response, exchange 2');
      expect(await next.getByTestId('sla-status').textContent()).toBe('On track');
      expect(await next.getByTestId('sla-countdown').textContent()).toMatch(/left$/);
      // the earlier one, listed
      const earlier = next.getByTestId('sla-earlier');
      await earlier.getByText('Earlier exchanges (1)').click();
      const rows = earlier.locator('li[data-cycle]');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-cycle')).toBe('1');
      expect(await rows.first().textContent()).toMatch(/^Exchange 1 Met.*answered/);
      expect(await card.locator('[data-kpi="first_response"]').getByTestId('sla-status').textContent()).toBe('Met');
      await screenshot(page, 'agent-case-sla-exchanges');
      expect(await seriousViolations(page)).toEqual([]);

      // in Persian: the explanation phrased from the facts
      await page.getByLabel('Language').selectOption('fa');
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await next.getByRole('heading', { level: 3 }).filter({ hasText: 'پاسخ بعدی، تبادل ۲' }).waitFor();
      await next.getByTestId('sla-why').locator('summary').click();
      const lines = await next.locator('.sla-why__lines li').allTextContents();
      expect(lines[0]).toMatch(/^هدف: .*زمان کاری برای اولویت/);
      expect(await next.locator('.sla-why__lines li[lang="en"]').count()).toBe(0);
      await screenshot(page, 'agent-case-sla-fa');
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);
});
