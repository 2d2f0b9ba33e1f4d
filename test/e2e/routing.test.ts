/// <reference lib="dom" />
/**
 * The routing screens (issue 4) in Debian's Chromium against the whole local runtime: presence,
 * the queue board and "pick next", the queue page, the reassign dialog, and the administration of
 * queues, agents and routing rules with the dry run; axe-core finds no serious or critical issue.
 */
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, startWebRuntime } from '../support/web';

let rt: Runtime;
let browser: Browser;
const tokens = new Map<string, string>();
const subs = new Map<string, string>();

beforeAll(async () => {
  rt = await startWebRuntime({ cases: 12 });
  browser = await launchBrowser();
  for (const email of ['agent1@example.com', 'agent2@example.com', 'manager@example.com', 'admin@example.com', 'customer1@example.com']) {
    const token = await apiToken(email);
    tokens.set(email, token);
    subs.set(email, (await api(token, 'GET', '/me')).body.sub);
  }
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const token = (email: string) => tokens.get(email)!;
const sub = (email: string) => subs.get(email)!;

async function apiToken(email: string) {
  const res = await fetch(`${rt.url}/local/token`, { method: 'POST', body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function api(bearer: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body: (text ? JSON.parse(text) : undefined) as any };
}

async function signIn(page: Page, email: string, path = '/login') {
  await page.goto(`${rt.url}${path}`);
  await page.getByRole('button', { name: `Sign in as ${email}` }).click();
}

/** Routing runs in the background (stream -> SQS -> worker); wait for its decision. */
async function waitForRouting(caseId: string, version = 1) {
  for (let i = 0; i < 100; i++) {
    const c = await api(token('manager@example.com'), 'GET', `/cases/${caseId}`);
    if (c.body.routedVersion !== null && c.body.routedVersion >= version) return c.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`case ${caseId} was not routed within 10 s`);
}

/** A routed customer case, then placed unowned in `queueId` (when given) by a manager. */
async function waitingCase(title: string, queueId?: string) {
  const created = await api(token('customer1@example.com'), 'POST', '/cases', { title, description: `${title}: details for the test.` });
  expect(created.status).toBe(201);
  await waitForRouting(created.body.id);
  if (queueId) {
    const moved = await api(token('manager@example.com'), 'POST', `/cases/${created.body.id}/assign`, { queueId, ownerId: null, reason: 'test setup' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  }
  return created.body as { id: string; ticketNumber: string };
}

async function createQueue(name: string, members: string[]) {
  const res = await api(token('admin@example.com'), 'POST', '/queues', { name, strategy: 'manual', members });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; name: string };
}

/** axe-core in the page (evaluated through the DevTools protocol, so the page's CSP still holds). */
async function seriousViolations(page: Page) {
  await page.evaluate(axe.source);
  const result = (await page.evaluate(() => (window as any).axe.run(document, { resultTypes: ['violations'] }))) as axe.AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

/** Console errors, less the browser's own line for an answer the test expects (e.g. 404 on an empty pick). */
const unexpected = (problems: string[]) => problems.filter((p) => !/Failed to load resource: the server responded with a status of (400|404|409|412)/.test(p));

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

describe('routing screens', () => {
  it('sets the agent’s presence, which survives a reload', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, 'agent1@example.com');
      const presence = page.getByLabel('My presence');
      await expect.poll(() => presence.isEnabled()).toBe(true);
      const before = (await api(token('agent1@example.com'), 'GET', `/agents/${sub('agent1@example.com')}`)).body.presence;
      await expect.poll(() => presence.inputValue()).toBe(before);
      const answer = page.waitForResponse((r) => r.url().endsWith('/me/presence') && r.request().method() === 'PUT');
      await presence.selectOption('available');
      expect((await answer).status()).toBe(200);
      expect(await page.getByTestId('presence-error').count()).toBe(0);
      await expect
        .poll(async () => (await api(token('agent1@example.com'), 'GET', `/agents/${sub('agent1@example.com')}`)).body.presence)
        .toBe('available');
      await screenshot(page, 'agent-presence');

      // tokens live in memory: a reload asks to sign in again, then the switch reads the directory
      await page.reload();
      await page.getByRole('button', { name: 'Sign in as agent1@example.com' }).click();
      await expect.poll(() => page.getByLabel('My presence').inputValue()).toBe('available');

      await page.getByLabel('My presence').selectOption('away');
      await expect
        .poll(async () => (await api(token('agent1@example.com'), 'GET', `/agents/${sub('agent1@example.com')}`)).body.presence)
        .toBe('away');
      expect(await page.getByTestId('presence-error').count()).toBe(0);
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await api(token('agent1@example.com'), 'PUT', '/me/presence', { presence: 'offline' });
      await close();
    }
  }, 90_000);

  it('says so when the presence cannot be changed, and keeps the previous value', async () => {
    const { page, close } = await newPage(browser);
    try {
      await signIn(page, 'agent2@example.com');
      const presence = page.getByLabel('My presence');
      await expect.poll(() => presence.isEnabled()).toBe(true);
      const before = await presence.inputValue();
      await page.route('**/me/presence', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The staff directory is down for maintenance.' }),
        }),
      );
      await presence.selectOption(before === 'busy' ? 'away' : 'busy');
      const error = page.getByTestId('presence-error');
      await error.waitFor();
      expect(await error.getAttribute('role')).toBe('alert');
      expect(await error.textContent()).toContain('Your presence was not changed. The staff directory is down for maintenance.');
      await expect.poll(() => presence.inputValue()).toBe(before);
      expect(await seriousViolations(page)).toEqual([]);
      await error.getByRole('button', { name: 'Dismiss' }).click();
      expect(await error.count()).toBe(0);
    } finally {
      await close();
    }
  }, 60_000);

  it('refreshes the queue board by itself every 15 seconds', async () => {
    const queue = await createQueue('E2E refresh queue', [sub('agent2@example.com')]);
    const { page, problems, close } = await newPage(browser);
    try {
      await page.clock.install();
      await signIn(page, 'agent2@example.com');
      await nav(page, 'Queues').click();
      const row = page.getByTestId('queue-row').filter({ hasText: 'E2E refresh queue' });
      await row.waitFor();
      expect(await row.getByTestId('queue-waiting').textContent()).toBe('0');
      expect(await row.getByTestId('queue-oldest').textContent()).toBe('—');
      await waitingCase('Arrives while the board is open', queue.id);
      await page.clock.runFor(5_000);
      expect(await row.getByTestId('queue-waiting').textContent()).toBe('0'); // not yet
      await page.clock.runFor(11_000);
      await expect.poll(() => row.getByTestId('queue-waiting').textContent()).toBe('1');
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('shows queue counts; "pick next" opens the case with the agent as owner; the queue page pages by tab', async () => {
    const queue = await createQueue('E2E pick queue', [sub('agent1@example.com'), sub('agent2@example.com')]);
    const first = await waitingCase('Pick me first, monitor flickers', queue.id);
    const { page, problems, close } = await newPage(browser);
    const found: Record<string, string[]> = {};
    try {
      await signIn(page, 'agent1@example.com');
      await nav(page, 'Queues').click();
      await page.getByRole('heading', { name: 'Queues', level: 1 }).waitFor();
      const row = page.getByTestId('queue-row').filter({ hasText: 'E2E pick queue' });
      await row.waitFor();
      expect(await row.getByTestId('queue-waiting').textContent()).toBe('1');
      expect(await row.getByTestId('queue-in-progress').textContent()).toBe('0');
      expect(await row.getByTestId('queue-oldest').textContent()).toMatch(/ago|now|second|minute/);
      // the seeded queues show their counts too (the seeded active cases are all in some queue)
      const counts = [...(await page.getByTestId('queue-waiting').allTextContents()), ...(await page.getByTestId('queue-in-progress').allTextContents())];
      expect(counts.every((n) => /^\d+$/.test(n))).toBe(true);
      expect(counts.reduce((sum, n) => sum + Number(n), 0)).toBeGreaterThan(3);
      await screenshot(page, 'queue-board');
      found.board = await seriousViolations(page);

      // a case arriving while the board is open shows after a manual refresh
      await waitingCase('Second in line, keyboard sticks', queue.id);
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      await expect.poll(() => row.getByTestId('queue-waiting').textContent()).toBe('2');

      await row.getByRole('button', { name: /Pick next/ }).click();
      await page.waitForURL(/\/agent\/cases\/[0-9a-f-]{36}$/);
      const pickedId = new URL(page.url()).pathname.split('/').pop()!;
      expect(pickedId).toBe(first.id); // same priority: the oldest waiting case first
      await expect.poll(() => page.getByTestId('case-owner').textContent()).toBe('me');
      const picked = await api(token('manager@example.com'), 'GET', `/cases/${pickedId}`);
      expect(picked.body.ownerId).toBe(sub('agent1@example.com'));

      // the queue page: tabs with counts, rows linking to cases
      await nav(page, 'Queues').click();
      await page.getByTestId('queue-row').filter({ hasText: 'E2E pick queue' }).getByRole('link', { name: 'E2E pick queue' }).click();
      await page.getByRole('heading', { name: 'E2E pick queue', level: 1 }).waitFor();
      const tabs = page.getByRole('navigation', { name: 'Cases of this queue' });
      await expect.poll(() => page.getByTestId('case-row').count()).toBe(1);
      expect(await page.getByTestId('case-row').first().textContent()).toContain('Second in line');
      expect(await tabs.getByRole('link', { name: /Waiting/ }).getAttribute('aria-current')).toBe('page');
      found.queuePage = await seriousViolations(page);
      await tabs.getByRole('link', { name: /In progress/ }).click();
      await expect.poll(() => page.getByTestId('case-row').first().textContent()).toContain('Pick me first');
      expect(await page.getByTestId('case-row').count()).toBe(1);
      await tabs.getByRole('link', { name: /^All/ }).click();
      await expect.poll(() => page.getByTestId('case-row').count()).toBe(2);
      await screenshot(page, 'queue-page');

      // pick the last one from the queue page, then the queue is empty and says so
      await tabs.getByRole('link', { name: /Waiting/ }).click();
      await page.getByRole('button', { name: 'Pick next' }).click();
      await page.waitForURL(/\/agent\/cases\/[0-9a-f-]{36}$/);
      await page.goBack();
      await page.getByRole('heading', { name: 'E2E pick queue', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Pick next' }).click();
      await page.getByText('No case is waiting in E2E pick queue right now.').waitFor();
      expect(Object.values(found).flat(), JSON.stringify(found, null, 2)).toEqual([]);
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it('hands a case to another agent with a reason that appears in the timeline', async () => {
    const c = await waitingCase('Reassign me: scanner driver question');
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, 'agent1@example.com', `/agent/cases/${c.id}`);
      await page.getByRole('heading', { name: 'Reassign me: scanner driver question' }).waitFor();
      // "assign to me" is still there
      expect(await page.getByRole('button', { name: 'Assign to me' }).isVisible()).toBe(true);

      await page.getByRole('button', { name: 'Re-run routing' }).click();
      await page.getByText('Routing ran again').waitFor();

      await page.getByRole('button', { name: 'Reassign' }).click();
      const dialog = page.getByTestId('reassign-dialog');
      const agentSelect = dialog.getByLabel('Agent');
      await agentSelect.waitFor();
      // each agent with presence and load
      const tom = (await agentSelect.locator('option').allTextContents()).find((o) => o.startsWith('Tom Becker'));
      expect(tom).toMatch(/^Tom Becker · (Available|Busy|Away|Offline) · \d+\/\d+ open$/);
      expect(await dialog.getByLabel('Queue').locator('option').count()).toBeGreaterThan(3);
      const queues = (await api(token('agent1@example.com'), 'GET', '/queues')).body.items as { id: string; name: string }[];
      const it = queues.find((q) => q.name === 'IT support')!;
      await agentSelect.selectOption(sub('agent2@example.com'));
      await dialog.getByLabel('Queue').selectOption(it.id);
      await dialog.getByLabel('Reason').fill('Tom knows this scanner model best');
      await screenshot(page, 'reassign-dialog');
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Hand over' }).click();

      await page.getByText('The case has been handed over.').waitFor();
      expect(await dialog.isVisible()).toBe(false);
      await expect.poll(() => page.getByTestId('case-owner').textContent()).toBe('Tom Becker');
      await page.getByTestId('timeline-entry').filter({ hasText: 'Tom knows this scanner model best' }).waitFor();
      const after = await api(token('manager@example.com'), 'GET', `/cases/${c.id}`);
      expect(after.body).toMatchObject({ ownerId: sub('agent2@example.com'), queueId: it.id });
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it('admin creates a queue with members and a strategy, sees a field error for a bad edit, deletes it', async () => {
    const { page, problems, close } = await newPage(browser);
    const found: Record<string, string[]> = {};
    try {
      await signIn(page, 'admin@example.com');
      await nav(page, 'Queue setup').click();
      await page.getByRole('heading', { name: 'Queue setup', level: 1 }).waitFor();
      await page.getByTestId('admin-queue-row').first().waitFor();
      found.list = await seriousViolations(page);

      await page.getByRole('button', { name: 'New queue' }).click();
      const dialog = page.getByTestId('queue-dialog');
      await dialog.getByLabel('Name').fill('E2E Printers');
      await dialog.getByLabel('Description').fill('Printer problems, by skill');
      await dialog.getByLabel('Assignment').selectOption('skills');
      await dialog.getByTestId('queue-members').getByLabel('Sara Ahmadi').check();
      await dialog.getByTestId('queue-members').getByLabel('Tom Becker').check();
      await dialog.getByRole('button', { name: 'Add skill' }).click();
      await dialog.getByTestId('queue-skills').getByRole('textbox').last().fill('printers');
      await dialog.getByTestId('queue-skills').getByRole('combobox').last().selectOption('3');
      found.dialog = await seriousViolations(page);
      await screenshot(page, 'admin-queue-new');
      await dialog.getByRole('button', { name: 'Create queue' }).click();
      await page.getByText('Queue “E2E Printers” saved.').waitFor();
      const row = page.getByTestId('admin-queue-row').filter({ hasText: 'E2E Printers' });
      await row.waitFor();
      expect(await row.textContent()).toContain('Best skill match');
      expect(await row.textContent()).toContain('Sara Ahmadi');
      const queueId = (await row.getAttribute('data-queue-id'))!;
      const stored = await api(token('admin@example.com'), 'GET', `/queues/${queueId}`);
      expect(stored.body).toMatchObject({
        name: 'E2E Printers',
        strategy: 'skills',
        members: [sub('agent1@example.com'), sub('agent2@example.com')],
        requiredSkills: { printers: 3 },
      });

      // a bad edit: a blank name is refused and the error sits at the field
      await row.getByRole('button', { name: /Edit/ }).click();
      await dialog.getByLabel('Name').fill('   ');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByText('Please fill this in.').waitFor();
      expect(await dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await dialog.getByLabel('Name').getAttribute('aria-describedby'))!;
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain('Please fill this in.');
      found.fieldError = await seriousViolations(page);
      await screenshot(page, 'admin-queue-field-error');
      await dialog.getByRole('button', { name: 'Close' }).click();
      expect((await api(token('admin@example.com'), 'GET', `/queues/${queueId}`)).body.name).toBe('E2E Printers');

      // a queue with a role cannot go: the API's 409 is shown in the dialog
      const escalations = page.getByTestId('admin-queue-row').filter({ hasText: 'Escalations' });
      await escalations.getByRole('button', { name: /Delete/ }).click();
      const confirm = page.getByTestId('delete-queue-dialog');
      await confirm.getByRole('button', { name: 'Delete queue' }).click();
      await confirm.getByText('This cannot be done right now.').waitFor();
      await confirm.getByRole('button', { name: 'Close' }).click();
      expect(await escalations.count()).toBe(1);

      await row.getByRole('button', { name: /Delete/ }).click();
      await confirm.getByText('Delete the queue “E2E Printers”?').waitFor();
      await confirm.getByRole('button', { name: 'Delete queue' }).click();
      await page.getByText('Queue “E2E Printers” deleted.').waitFor();
      await expect.poll(() => page.getByTestId('admin-queue-row').filter({ hasText: 'E2E Printers' }).count()).toBe(0);
      expect((await api(token('admin@example.com'), 'GET', `/queues/${queueId}`)).status).toBe(404);
      expect(Object.values(found).flat(), JSON.stringify(found, null, 2)).toEqual([]);
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it('admin edits an agent’s capacity, skills and teams', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, 'admin@example.com');
      await nav(page, 'Agents').click();
      await page.getByRole('heading', { name: 'Agents', level: 1 }).waitFor();
      const row = page.getByTestId('admin-agent-row').filter({ hasText: 'Tom Becker' });
      await row.waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await row.getByRole('button', { name: /Edit/ }).click();
      const dialog = page.getByTestId('agent-dialog');
      await dialog.getByLabel('Capacity').fill('8');
      await dialog.getByRole('button', { name: 'Add skill' }).click();
      // a new row at the end (the agent may have skills already)
      await dialog.getByTestId('agent-skills').getByRole('textbox').last().fill('scanners');
      await dialog.getByTestId('agent-skills').getByRole('combobox').last().selectOption('4');
      await dialog.getByLabel('Teams').fill('Hardware, Field service');
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Tom Becker saved.').waitFor();
      const stored = (await api(token('admin@example.com'), 'GET', `/agents/${sub('agent2@example.com')}`)).body;
      expect(stored).toMatchObject({ capacity: 8, teams: ['Hardware', 'Field service'] });
      expect(stored.skills.scanners).toBe(4);
      await expect.poll(() => row.textContent()).toContain('scanners (4)');
      await screenshot(page, 'admin-agents');
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it('admin rules page lists an invalid rule by path; the dry run tests the draft', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, 'admin@example.com');
      await nav(page, 'Routing rules').click();
      const editor = page.getByLabel('Rules (JSON)');
      await editor.waitFor();
      const saved = JSON.parse(await editor.inputValue()) as any[];
      expect(saved.map((r) => r.name)).toContain('VIP customers');
      expect(await seriousViolations(page)).toEqual([]);
      const before = (await api(token('admin@example.com'), 'GET', '/routing/rules')).body.version;

      // an unknown field: refused, with the path of the problem
      const bad = [{ id: 'bad', name: 'Bad rule', enabled: true, order: 1, conditions: { field: 'shoeSize', op: 'eq', value: 42 }, actions: { priority: 'high' } }, ...saved];
      await editor.fill(JSON.stringify(bad, null, 2));
      await page.getByRole('button', { name: 'Save rules' }).click();
      const errors = page.getByTestId('rule-errors');
      await errors.waitFor();
      expect(await errors.locator('[data-path="rules[0].conditions.field"]').count()).toBe(1);
      expect(await errors.textContent()).toContain('rules[0].conditions.field');
      expect((await api(token('admin@example.com'), 'GET', '/routing/rules')).body.version).toBe(before);
      await screenshot(page, 'admin-rules-invalid');
      expect(await seriousViolations(page)).toEqual([]);

      // the dry run against a draft that is not saved: the draft's new first rule fires
      const draft = [
        { id: 'e2e-printers', name: 'E2E printer emergencies', enabled: true, order: 1, conditions: { field: 'title', op: 'contains_any_word', value: ['printer'] }, actions: { priority: 'urgent', tags: ['printer'] } },
        ...saved,
      ];
      await editor.fill(JSON.stringify(draft, null, 2));
      const dry = page.getByTestId('dry-run');
      await dry.getByLabel('Title').fill('The printer is on fire');
      await dry.getByLabel('Description').fill('Smoke comes out of the tray.');
      await dry.getByLabel('Case type').selectOption('problem');
      await dry.getByLabel('Tier').selectOption('vip');
      await dry.getByLabel('Language').selectOption('en');
      await dry.getByRole('button', { name: 'Run the dry run' }).click();
      await expect.poll(() => dry.getByTestId('dry-run-rule').textContent()).toContain('E2E printer emergencies');
      expect(await dry.getByTestId('dry-run-decision').textContent()).toContain('E2E printer emergencies');
      expect(await dry.getByTestId('dry-run-trace').locator('li[data-outcome="matched"]').first().textContent()).toContain('E2E printer emergencies');
      await screenshot(page, 'admin-rules-dry-run');
      expect(await seriousViolations(page)).toEqual([]);

      // against the saved rules the VIP rule fires instead: the draft was only tested, not saved
      await dry.getByLabel('Test the draft in the editor').uncheck();
      await dry.getByRole('button', { name: 'Run the dry run' }).click();
      await expect.poll(() => dry.getByTestId('dry-run-rule').textContent()).toContain('VIP customers');
      const rules = (await api(token('admin@example.com'), 'GET', '/routing/rules')).body;
      expect(rules.version).toBe(before);
      expect(rules.rules.map((r: any) => r.id)).not.toContain('e2e-printers');
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it('hides the admin pages from agents and lays the queue board out in Persian', async () => {
    const { page, problems, close } = await newPage(browser);
    try {
      await signIn(page, 'agent1@example.com');
      await nav(page, 'Queues').waitFor();
      expect(await nav(page, 'Queue setup').count()).toBe(0);
      expect(await nav(page, 'Routing rules').count()).toBe(0);
      await page.evaluate(() => window.history.pushState({}, '', '/admin/routing'));
      await page.evaluate(() => window.dispatchEvent(new PopStateEvent('popstate')));
      await expect.poll(() => new URL(page.url()).pathname).toBe('/agent');

      await nav(page, 'Queues').click();
      await page.getByTestId('queue-row').first().waitFor();
      await page.getByLabel('Language').selectOption('fa');
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await page.getByRole('heading', { name: 'صف‌ها', level: 1 }).waitFor();
      expect((await page.locator('main').textContent()) ?? '').toMatch(/[۰-۹]/);
      expect(await page.getByLabel('وضعیت حضور من').count()).toBe(1);
      await screenshot(page, 'queue-board-fa');
      expect(await seriousViolations(page)).toEqual([]);
      expect(unexpected(problems)).toEqual([]);
    } finally {
      await page.getByLabel('زبان').selectOption('en').catch(() => undefined);
      await close();
    }
  }, 90_000);
});
