/**
 * Stored SLA state on DynamoDB Local: the use cases the sla-worker and the sla-timer run, with a
 * clock the test moves and timers kept in memory (the Step Functions side has its own tests).
 * Seeded VIP policy: first response 24x7 (normal: 4 h, warning at 75 % = 3 h), resolve on the
 * Tehran office calendar; on warning: timeline + notify owner; on breach: timeline + notify the
 * queue's managers + move to the escalation queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTimers } from '../../shared/adapters/memory';
import type { Caller } from '../../shared/app/caller';
import { openCase, postMessage, updateCase } from '../../shared/app/cases';
import type { Deps } from '../../shared/app/deps';
import { checkTimer, recomputeOpenCases, refreshCaseSla } from '../../shared/app/sla-state';
import type { MemoryWorkQueue } from '../../shared/adapters/memory';
import type { TimelineEntry } from '../../shared/domain/case';
import { type Harness, harness } from '../support/harness';

let h: Harness;
let vipCustomerId: string;
let agent: Caller;
let agentToken: string;
let managerToken: string;
let customerToken: string;
let escalationQueueId: string;
let managerId: string;
const HOUR = 3_600_000;
// a Monday morning in Tehran (UTC+03:30): inside office hours
const T0 = Date.parse('2026-06-01T05:00:00Z');

function world(start = T0) {
  let now = start;
  const timers = new MemoryTimers();
  const deps: Deps = { ...h.deps, clock: { now: () => new Date(now) }, timers };
  return { deps, timers, at: (ms: number) => (now = start + ms), now: () => new Date(now) };
}

const slaEntries = async (deps: Deps, caseId: string) =>
  (await deps.cases.timeline(caseId, { publicOnly: false, limit: 100 })).items.filter((e: TimelineEntry) => e.kind === 'sla');

beforeAll(async () => {
  h = await harness();
  vipCustomerId = (await h.deps.customers.list({ email: 'customer1@example.com', limit: 1 })).items[0]!.id;
  const agents = await h.deps.directory.listAgents();
  const a1 = agents.find((a) => a.email === 'agent1@example.com')!;
  managerId = agents.find((a) => a.email === 'manager@example.com')!.id;
  agent = { principal: { sub: a1.id, email: a1.email, roles: ['agent'] }, actor: { sub: a1.id, kind: 'staff', email: a1.email }, customerId: null };
  escalationQueueId = (await h.deps.directory.listQueues()).find((q) => q.role === 'escalation')!.id;
  agentToken = await h.token('agent1@example.com');
  managerToken = await h.token('manager@example.com');
  customerToken = await h.token('customer1@example.com');
});
afterAll(async () => h?.close());

const newVipCase = (deps: Deps, title: string, priority: 'normal' | 'low' = 'normal') =>
  openCase(deps, agent, { customerId: vipCustomerId, title, description: 'The VPN drops every ten minutes.', priority });

describe('KPI instances and the timer of a case', () => {
  it('arms one timer at the first warning, acts once per stage, and ends a superseded execution without acting', async () => {
    const w = world();
    const c = await newVipCase(w.deps, 'VPN keeps dropping');
    const first = await refreshCaseSla(w.deps, c.id);
    expect(first).toMatchObject({ outcome: 'saved', generation: 1, wakeAt: new Date(T0 + 3 * HOUR).toISOString(), acted: [] });
    expect(w.timers.started).toEqual([{ caseId: c.id, generation: 1, wakeAt: new Date(T0 + 3 * HOUR).toISOString() }]);
    const state = await w.deps.slaState.getCaseState(c.id);
    expect(state.kpis.map((k) => [k.kpi, k.status, k.failureAt])).toEqual([
      ['first_response', 'in_progress', new Date(T0 + 4 * HOUR).toISOString()],
      ['resolve', 'in_progress', expect.any(String)],
    ]);
    expect(state.timer).toMatchObject({ generation: 1, wakeAt: new Date(T0 + 3 * HOUR).toISOString() });

    // the same change delivered again: nothing to write, no second timer
    expect(await refreshCaseSla(w.deps, c.id)).toMatchObject({ outcome: 'unchanged' });
    expect(w.timers.started).toHaveLength(1);

    // the warning time comes: one SLA entry, the mark, and the execution waits for the failure time
    w.at(3 * HOUR);
    const warned = await checkTimer(w.deps, { caseId: c.id, generation: 1, wakeAt: new Date(T0 + 3 * HOUR).toISOString() });
    expect(warned).toEqual({ caseId: c.id, generation: 1, next: 'wait', wakeAt: new Date(T0 + 4 * HOUR).toISOString() });
    expect((await w.deps.cases.get(c.id))!.slaMarks).toEqual(['first_response:warning']);
    // a retried check (Step Functions retries a Task) acts no second time
    await checkTimer(w.deps, { caseId: c.id, generation: 1, wakeAt: new Date(T0 + 3 * HOUR).toISOString() });
    const afterWarning = await slaEntries(w.deps, c.id);
    expect(afterWarning).toHaveLength(1);
    expect(afterWarning[0]).toMatchObject({ visibility: 'internal', sla: { kpi: 'first_response', stage: 'warning', actions: ['timeline', 'notify_owner'], notify: [] } });
    expect(afterWarning[0]!.body).toContain('no owner to tell');

    // an execution of an older generation ends without acting
    expect(await checkTimer(w.deps, { caseId: c.id, generation: 0, wakeAt: new Date(T0).toISOString() })).toMatchObject({ next: 'end', reason: 'superseded' });

    // the failure time: moved to the escalation queue, the managers told, the breach counted
    w.at(4 * HOUR);
    const breached = await checkTimer(w.deps, { caseId: c.id, generation: 1, wakeAt: new Date(T0 + 4 * HOUR).toISOString() });
    expect(breached.next).toBe('wait'); // the resolve clock is still to watch
    const after = (await w.deps.cases.get(c.id))!;
    expect(after.slaMarks).toEqual(['first_response:warning', 'first_response:breach']);
    expect(after.queueId).toBe(escalationQueueId);
    const breach = (await slaEntries(w.deps, c.id))[1]!;
    expect(breach).toMatchObject({ sla: { stage: 'breach', notify: [managerId] }, changes: [{ field: 'queueId', to: escalationQueueId }] });
    const fr = (await w.deps.slaState.getCaseState(c.id)).kpis.find((k) => k.kpi === 'first_response')!;
    expect(fr).toMatchObject({ status: 'noncompliant', outcomeDay: '2026-06-01', queueId: escalationQueueId });

    // the late first response: the KPI stays breached, the timer (now on resolve) is not re-armed
    w.at(5 * HOUR);
    await postMessage(w.deps, agent, c.id, 'Looking into it now.', undefined);
    const r = await refreshCaseSla(w.deps, c.id);
    expect(r.acted).toEqual([]);
    expect(w.timers.started).toHaveLength(1);
    const late = (await w.deps.slaState.getCaseState(c.id)).kpis.find((k) => k.kpi === 'first_response')!;
    expect(late).toMatchObject({ status: 'noncompliant', achievedAt: new Date(T0 + 5 * HOUR).toISOString(), outcomeDay: '2026-06-01' });
  });

  it('a pause disarms the timer; the resumption re-arms it with the deadline moved by the paused time', async () => {
    const w = world();
    const c = await newVipCase(w.deps, 'Printer on hold');
    await refreshCaseSla(w.deps, c.id);
    const armed = (await w.deps.slaState.getCaseState(c.id)).timer!;
    w.at(1 * HOUR);
    const held = await updateCase(w.deps, agent, c.id, { status: 'on_hold' }, c.version);
    expect(await refreshCaseSla(w.deps, c.id)).toMatchObject({ outcome: 'saved', wakeAt: null });
    expect((await w.deps.slaState.getCaseState(c.id)).timer).toBeNull();
    expect(w.timers.stopped).toEqual([armed.ref]);
    expect((await w.deps.slaState.getCaseState(c.id)).kpis.map((k) => k.status)).toEqual(['paused', 'paused']);

    w.at(3 * HOUR);
    await updateCase(w.deps, agent, c.id, { status: 'in_progress' }, held.version);
    const resumed = await refreshCaseSla(w.deps, c.id);
    // 1 h counted before the pause: the warning (3 h) is 2 h after the resumption
    expect(resumed).toMatchObject({ generation: 2, wakeAt: new Date(T0 + 5 * HOUR).toISOString() });
    expect(w.timers.running.size).toBe(1);
    expect(await checkTimer(w.deps, { caseId: c.id, generation: 1, wakeAt: armed.wakeAt })).toMatchObject({ next: 'end', reason: 'superseded' });
    expect((await w.deps.cases.get(c.id))!.slaMarks).toEqual([]);
  });

  it('the worker acts at once on stages a change made due (priority raised past the target)', async () => {
    const w = world();
    const c = await newVipCase(w.deps, 'Server room hot');
    await refreshCaseSla(w.deps, c.id);
    w.at(90 * 60_000);
    // urgent: 1 h target, warning at 45 min: both already passed
    await updateCase(w.deps, agent, c.id, { priority: 'urgent' }, c.version);
    const r = await refreshCaseSla(w.deps, c.id);
    expect(r.acted.sort()).toEqual(['first_response:breach', 'first_response:warning']);
    const after = (await w.deps.cases.get(c.id))!;
    expect(after.queueId).toBe(escalationQueueId);
    expect(await refreshCaseSla(w.deps, c.id)).toMatchObject({ acted: [] });
  });

  it('two workers refreshing the same case at once leave one timer and one consistent state', async () => {
    const w = world();
    const c = await newVipCase(w.deps, 'Race');
    const results = await Promise.all([refreshCaseSla(w.deps, c.id), refreshCaseSla(w.deps, c.id), refreshCaseSla(w.deps, c.id)]);
    expect(results.filter((r) => r.outcome === 'saved')).toHaveLength(1);
    const state = await w.deps.slaState.getCaseState(c.id);
    expect(state.version).toBe(1);
    expect(w.timers.running.size).toBe(1);
    expect([...w.timers.running.values()][0]).toMatchObject({ generation: state.timer!.generation });
  });
});

describe('a generation taken by a lost attempt', () => {
  it('is skipped: the next refresh arms the following generation instead of failing', async () => {
    const w = world();
    const c = await newVipCase(w.deps, 'Taken generation');
    // a worker that lost its save after starting generation 1 with another instant
    await w.timers.arm({ caseId: c.id, generation: 1, wakeAt: new Date(T0 + 9 * HOUR).toISOString() });
    const r = await refreshCaseSla(w.deps, c.id);
    expect(r).toMatchObject({ outcome: 'saved', generation: 2, wakeAt: new Date(T0 + 3 * HOUR).toISOString() });
    expect((await w.deps.slaState.getCaseState(c.id)).timer).toMatchObject({ generation: 2 });
    // the orphan ends itself at its check
    w.at(9 * HOUR);
    expect(await checkTimer(w.deps, { caseId: c.id, generation: 1, wakeAt: new Date(T0 + 9 * HOUR).toISOString() })).toMatchObject({ next: 'end', reason: 'superseded' });
  });
});

describe.each(['in-process', 'http'] as const)('at-risk and measures over the API (%s)', (transport) => {
  it('lists a queue\'s clocks by failure time with their risk; customers may not', async () => {
    const call = h.transports[transport];
    const w = world(Date.now() - 3.5 * HOUR);
    const c = await newVipCase(w.deps, `At risk ${transport}`);
    await refreshCaseSla(w.deps, c.id);
    const r = await call(agentToken, 'GET', `/sla/at-risk?queueId=none&withinMinutes=60`);
    expect(r.status).toBe(200);
    const mine = r.body.items.filter((i: { caseId: string }) => i.caseId === c.id);
    // 3.5 h into a 4 h first response: past the warning, due within the hour; resolve is days away
    expect(mine).toEqual([expect.objectContaining({ kpi: 'first_response', risk: 'warning', ticketNumber: c.ticketNumber })]);
    expect(mine[0].remainingMs).toBeGreaterThan(20 * 60_000);
    expect(mine[0].remainingMs).toBeLessThanOrEqual(30 * 60_000);
    const failures = r.body.items.map((i: { failureAt: string }) => i.failureAt);
    expect(failures).toEqual([...failures].sort());
    const counts = await call(agentToken, 'GET', '/sla/at-risk/counts?withinMinutes=60');
    expect(counts.status).toBe(200);
    expect(counts.body.queues.find((q: { queueId: string | null }) => q.queueId === null).warning).toBeGreaterThanOrEqual(1);
    expect((await call(customerToken, 'GET', '/sla/at-risk?queueId=none')).status).toBe(403);
    expect((await call(agentToken, 'GET', '/sla/at-risk')).status).toBe(400);
  });

  it('counts met and breached by day, priority, queue and agent for managers', async () => {
    const call = h.transports[transport];
    const w = world(Date.parse('2026-03-02T06:00:00Z'));
    const met = await newVipCase(w.deps, `Met ${transport}`, 'low');
    await refreshCaseSla(w.deps, met.id);
    w.at(HOUR);
    await postMessage(w.deps, agent, met.id, 'On it.', undefined);
    await refreshCaseSla(w.deps, met.id);
    const r = await call(managerToken, 'GET', '/sla/measures?from=2026-03-01&to=2026-03-03&by=priority&kpi=first_response');
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([{ key: 'low', kpi: 'first_response', met: transport === 'http' ? 2 : 1, breached: 0, total: transport === 'http' ? 2 : 1, metPercent: 100 }]);
    const byDay = await call(managerToken, 'GET', '/sla/measures?from=2026-03-02&to=2026-03-02');
    expect(byDay.body.rows.find((x: { kpi: string }) => x.kpi === 'first_response')).toMatchObject({ key: '2026-03-02' });
    expect((await call(agentToken, 'GET', '/sla/measures?from=2026-03-01&to=2026-03-03')).status).toBe(403);
    const tooLong = await call(managerToken, 'GET', '/sla/measures?from=2026-01-01&to=2026-06-30');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors.map((e: { path: string }) => e.path)).toEqual(['to']);
    expect((await call(managerToken, 'GET', '/sla/measures?from=2026-03-03&to=2026-03-01')).status).toBe(400);
  });

  it('the case SLA view shows the timer and the marks; customers never see marks on the case', async () => {
    const call = h.transports[transport];
    const w = world(Date.now() - 3.5 * HOUR);
    const c = await openCase(w.deps, agent, { customerId: vipCustomerId, title: `Marks ${transport}`, description: 'x' });
    await refreshCaseSla(w.deps, c.id);
    w.at(3.5 * HOUR);
    await refreshCaseSla(w.deps, c.id);
    const sla = await call(agentToken, 'GET', `/cases/${c.id}/sla`);
    expect(sla.status).toBe(200);
    expect(sla.body.marks).toEqual(['first_response:warning']);
    expect(sla.body.timer).toMatchObject({ wakeAt: expect.any(String) });
    expect(sla.body.kpis[0].facts.map((f: { code: string }) => f.code)).toEqual(['target', 'counted', 'deadline']);
    expect((await call(agentToken, 'GET', `/cases/${c.id}`)).body.slaMarks).toEqual(['first_response:warning']);
    expect((await call(customerToken, 'GET', `/cases/${c.id}`)).body.slaMarks).toEqual([]);
    const list = await call(customerToken, 'GET', '/cases?limit=100');
    expect(list.body.items.every((x: { slaMarks: string[] }) => x.slaMarks.length === 0)).toBe(true);
  });
});

describe('a change of the policies', () => {
  it('asks for every open case to be recomputed, a page per message', async () => {
    const adminToken = await h.token('admin@example.com');
    const queue = h.deps.slaQueue as MemoryWorkQueue;
    const current = await h.transports['in-process'](adminToken, 'GET', '/sla/policies');
    queue.messages.length = 0;
    const put = await h.transports['in-process'](adminToken, 'PUT', '/sla/policies', { body: { policies: current.body.policies }, headers: { 'if-match': `"${current.body.version}"` } });
    expect(put.status).toBe(200);
    expect(queue.messages).toEqual([{ recompute: 'open-cases', policyVersion: current.body.version + 1 }]);

    queue.messages.length = 0;
    const open = await h.deps.cases.list({ state: 'active', limit: 1000 });
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const out = await recomputeOpenCases(h.deps, cursor);
      pages++;
      const next = queue.messages.at(-1) as { recompute?: string; cursor?: string };
      if (!out.more) break;
      expect(next.recompute).toBe('open-cases');
      cursor = next.cursor;
    }
    const asked = queue.messages.filter((m) => 'caseId' in m).map((m) => m.caseId);
    expect(new Set(asked)).toEqual(new Set(open.items.map((c) => c.id)));
    expect(asked.length).toBe(open.items.length);
    expect(pages).toBe(Math.max(1, Math.ceil(open.items.length / 100)));
  });
});
