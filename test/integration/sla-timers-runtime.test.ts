/**
 * SLA timers through the whole local runtime: a VIP case opened through the gateway -> stream ->
 * events -> sla queue -> sla-worker arms a timer on aws-local-stepfunctions (the deployed
 * definition) -> the clock is moved past the warning (POST /_local/clock) -> the execution wakes,
 * the sla-timer handler acts (mark, timeline entry) -> the runtime restarts on the same data ->
 * the timer is re-armed from the stored SLA state and acts at the failure time.
 *
 * Seeded VIP policy: first response 24x7, warning at 75 %; on warning: timeline + notify owner; on
 * breach: timeline + notify the queue's managers + move to the escalation queue. The VIP routing
 * rule raises the priority to high, so the timer settles once routing has run.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Runtime, startRuntime } from '../../local/runtime';
import { CLOCK_PATH } from '../../local/clock';
import { executionName } from '../../shared/sla-timer';

let rt: Runtime;
let dataDir: string;
const table = `slat-${randomUUID().slice(0, 8)}`;
const MIN = 60_000;

const start = () => startRuntime({ dynamoEndpoint: inject('dynamoEndpoint'), table, dataDir, port: 0, smtpPort: 0, seed: { cases: 0 } });
const token = async (email: string) =>
  ((await (await fetch(`${rt.url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'demo' }) })).json()) as { accessToken: string }).accessToken;
const api = async (tok: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${rt.url}${path}`, { method, headers: { authorization: `Bearer ${tok}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json().catch(() => undefined) };
};
async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

interface CaseSla {
  timer: { generation: number; wakeAt: string } | null;
  marks: string[];
  kpis: { kpi: string; warningAt: string | null; failureAt: string | null }[];
}
const slaOf = async (tok: string, caseId: string) => (await api(tok, 'GET', `/cases/${caseId}/sla`)).body as CaseSla;
const moveClock = async (tok: string, minutes: number) => api(tok, 'POST', CLOCK_PATH, { advanceMinutes: minutes });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'helpdesk-sla-timers-'));
  rt = await start();
}, 60_000);
afterAll(async () => {
  await rt?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('SLA timers in the local runtime', () => {
  it('the clock endpoint: admins on this machine only; it moves forward only', async () => {
    const admin = await token('admin@example.com');
    const agent = await token('agent1@example.com');
    expect((await fetch(`${rt.url}${CLOCK_PATH}`, { method: 'POST', body: '{"advanceMinutes":1}' })).status).toBe(401);
    expect((await moveClock(agent, 1)).status).toBe(403);
    expect((await moveClock(admin, -5)).status).toBe(400);
    expect((await moveClock(admin, 0)).status).toBe(400);
    const view = await api(admin, 'GET', CLOCK_PATH);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ offsetMs: 0, timersRunning: expect.any(Number) });
    // not an API route: not in the API description
    const openapi = (await (await fetch(`${rt.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths).some((p) => p.includes('_local'))).toBe(false);
  });

  it('a VIP case gets a timer; moving the clock past its warning acts (mark, timeline entry); after a restart the timer is re-armed and acts at the failure time', async () => {
    const admin = await token('admin@example.com');
    const agent = await token('agent1@example.com');
    const vip = (await rt.deps.customers.list({ email: 'customer1@example.com', limit: 1 })).items[0]!;
    const created = await api(agent, 'POST', '/cases', { customerId: vip.id, title: 'VPN keeps dropping', description: 'Every ten minutes.' });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;

    // routed (VIP queue, priority high) and the timer armed for the first response's warning
    const armed = await until('the timer at the first warning', async () => {
      const c = (await api(agent, 'GET', `/cases/${caseId}`)).body;
      if (!c.queueId) return undefined;
      const sla = await slaOf(agent, caseId);
      const fr = sla.kpis.find((k) => k.kpi === 'first_response');
      return sla.timer && fr?.warningAt && sla.timer.wakeAt === fr.warningAt ? { sla, fr } : undefined;
    });
    const { generation, wakeAt } = armed.sla.timer!;
    await until('the execution', async () => (rt.timers.active.some((r) => r.ref === executionName(caseId, generation) && r.wakeAt === wakeAt) ? true : undefined));
    expect(armed.sla.marks).toEqual([]);

    // the clock to a minute past the warning: the execution wakes and the check acts
    const minutes = Math.ceil((Date.parse(wakeAt) - rt.clock.now().getTime()) / MIN) + 1;
    expect(minutes).toBeGreaterThan(1);
    const moved = await moveClock(admin, minutes);
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now)).toBeGreaterThan(Date.parse(wakeAt));
    const warned = await until('the warning mark', async () => {
      const sla = await slaOf(agent, caseId);
      return sla.marks.includes('first_response:warning') ? sla : undefined;
    });
    expect(warned.marks).toEqual(['first_response:warning']);
    const timeline = (await api(agent, 'GET', `/cases/${caseId}/timeline?limit=100`)).body.items as { kind: string; sla?: { kpi: string; stage: string } }[];
    expect(timeline.filter((e) => e.kind === 'sla').map((e) => e.sla)).toEqual([expect.objectContaining({ kpi: 'first_response', stage: 'warning' })]);
    // the same execution now waits for the failure time
    const waiting = await until('the wait for the failure time', async () => {
      const sla = await slaOf(agent, caseId);
      return sla.timer && sla.timer.wakeAt === armed.fr.failureAt ? sla : undefined;
    });
    expect(waiting.timer!.generation).toBe(generation);
    const exec = rt.timers.executions.get(executionName(caseId, generation))!;
    expect(exec).toMatchObject({ status: 'running', checks: 1, wakeAt: armed.fr.failureAt });
    expect(exec.transitions).toBe(4); // Wait, CheckAndAct, MoreToWatch, Wait

    // restart on the same data: the executions were in memory; the stored state re-arms them
    const offset = rt.clock.offsetMs;
    await rt.stop();
    rt = await start();
    expect(rt.clock.offsetMs).toBe(offset); // time does not go back on a restart
    const rearmed = rt.timers.executions.get(executionName(caseId, generation));
    expect(rearmed).toMatchObject({ status: 'running', wakeAt: armed.fr.failureAt, checks: 0 });

    const admin2 = await token('admin@example.com');
    const agent2 = await token('agent1@example.com');
    expect((await moveClock(admin2, Math.ceil((Date.parse(armed.fr.failureAt!) - rt.clock.now().getTime()) / MIN) + 1)).status).toBe(200);
    const breached = await until('the breach mark', async () => {
      const sla = await slaOf(agent2, caseId);
      return sla.marks.includes('first_response:breach') ? sla : undefined;
    });
    expect(breached.marks).toEqual(['first_response:warning', 'first_response:breach']);
    const escalation = (await rt.deps.directory.listQueues()).find((q) => q.role === 'escalation')!;
    expect((await api(agent2, 'GET', `/cases/${caseId}`)).body.queueId).toBe(escalation.id);
  }, 60_000);
});
