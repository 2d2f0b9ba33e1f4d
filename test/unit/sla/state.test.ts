/**
 * The SLA state's pure parts (exchanges, stage actions, measures, risk) and the use cases on
 * in-memory ports: next_response exchanges through refresh and timer checks, and the staff alert
 * mail an SLA entry asks for.
 */
import { describe, expect, it } from 'vitest';
import { memoryMailDeps } from '../../../shared/adapters/memory/mail-deps';
import type { Caller } from '../../../shared/app/caller';
import { openCase, postMessage, resolve } from '../../../shared/app/cases';
import { sendOutbound } from '../../../shared/app/outbound-mail';
import { checkTimer, refreshCaseSla } from '../../../shared/app/sla-state';
import { type Actor, type Case, type TimelineEntry, createCase } from '../../../shared/domain/case';
import { makeAgent } from '../../../shared/domain/directory';
import { type KpiInstance, type SlaPolicy, type StageHit, applyStages, exchangesOf, measureRows, raisedPriority, riskOf, stageMark } from '../../../shared/domain/sla';
import { mailOnChange, slaOnChange } from '../../../shared/events/subscribers';
import { MemoryWorkQueue } from '../../../shared/adapters/memory';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T09:00:00Z');
const customer: Actor = { sub: 'cust', kind: 'customer', email: 'c@example.org' };
const staff: Actor = { sub: 'agent-1', kind: 'staff', email: 'a@example.org' };
const msg = (at: number, actor: Actor, visibility: 'public' | 'internal' = 'public', kind: TimelineEntry['kind'] = 'message'): TimelineEntry => ({
  id: `e${at}`,
  caseId: 'c1',
  kind,
  at: new Date(T0 + at * MIN).toISOString(),
  actor,
  visibility,
  body: 'x',
});
const iso = (m: number) => new Date(T0 + m * MIN).toISOString();

describe('next_response exchanges', () => {
  it('open with a customer message after the first response and close with the next public staff message', () => {
    const entries = [msg(0, customer), msg(10, staff), msg(20, customer), msg(25, customer), msg(30, staff, 'internal', 'note'), msg(40, staff), msg(50, customer)];
    expect(exchangesOf(entries, iso(10))).toEqual([
      { cycle: 1, startedAt: iso(20), achievedAt: iso(40) },
      { cycle: 2, startedAt: iso(50), achievedAt: null },
    ]);
  });
  it('are none before the first response, and only the latest are kept (numbered from the first)', () => {
    expect(exchangesOf([msg(0, customer), msg(5, customer)], null)).toEqual([]);
    const many = Array.from({ length: 30 }, (_, i) => [msg(10 + i * 2, customer), msg(11 + i * 2, staff)]).flat();
    const kept = exchangesOf(many, iso(1), 5);
    expect(kept.map((x) => x.cycle)).toEqual([26, 27, 28, 29, 30]);
  });
});

function activeCase(over: Partial<Case> = {}): Case {
  const { case: c } = createCase({ customerId: 'cust', title: 'T', description: 'D', priority: 'high' }, { id: 'c1', ticketNumber: 'CAS-1' }, staff, { now: iso(0), newId: () => 'n' });
  return { ...c, ...over };
}
const ctx = { escalationQueueId: 'esc', queueManagers: ['m1', 'm2'], agentExists: (id: string) => id !== 'gone' };
let n = 0;
const stamp = { now: iso(60), newId: () => `id-${++n}` };
const hit = (stage: 'warning' | 'breach', actions: StageHit['actions'], kpi: StageHit['kpi'] = 'first_response', cycle = 0): StageHit => ({ kpi, cycle, stage, deadline: iso(120), actions });

describe('stage actions', () => {
  it('raise the priority one step (urgent stays), move to the escalation queue, reassign, tell owner and managers, in one change with the mark', () => {
    const c = activeCase({ ownerId: 'o1', queueId: 'q1' });
    const change = applyStages(c, [hit('breach', [{ type: 'raise_priority' }, { type: 'move_to_escalation_queue' }, { type: 'reassign', agentId: 'a2' }, { type: 'notify_owner' }, { type: 'notify_queue_managers' }])], ctx, stamp);
    expect(change.changed).toBe(true);
    expect(change.case).toMatchObject({ priority: 'urgent', queueId: 'esc', ownerId: 'a2', slaMarks: ['first_response:breach'], version: c.version + 1 });
    expect(change.entries).toHaveLength(1);
    expect(change.entries[0]).toMatchObject({
      kind: 'sla',
      visibility: 'internal',
      actor: { kind: 'system' },
      changes: [
        { field: 'priority', from: 'high', to: 'urgent' },
        { field: 'queueId', from: 'q1', to: 'esc' },
        { field: 'ownerId', from: 'o1', to: 'a2' },
      ],
      // the owner told is the one after the reassignment
      sla: { kpi: 'first_response', stage: 'breach', notify: ['a2', 'm1', 'm2'] },
    });
    expect(raisedPriority('low')).toBe('normal');
    expect(raisedPriority('urgent')).toBe('urgent');
  });

  it('say what could not be done, and act only once per stage', () => {
    const c = activeCase({ priority: 'urgent', slaMarks: ['resolve:warning'] });
    const change = applyStages(
      c,
      [hit('warning', [{ type: 'raise_priority' }, { type: 'reassign', agentId: 'gone' }, { type: 'notify_owner' }]), hit('warning', [{ type: 'timeline' }], 'resolve')],
      { ...ctx, escalationQueueId: null },
      stamp,
    );
    expect(change.case.slaMarks).toEqual(['resolve:warning', 'first_response:warning']);
    expect(change.entries).toHaveLength(1);
    expect(change.entries[0]!.body).toMatch(/Not done: priority is already urgent; agent gone is no longer in the directory; the case has no owner to tell/);
    expect(applyStages(change.case, [hit('warning', [{ type: 'raise_priority' }])], ctx, stamp).changed).toBe(false);
  });

  it('a stage without actions leaves only its mark; a closed case records nothing', () => {
    const silent = applyStages(activeCase(), [hit('warning', [])], ctx, stamp);
    expect(silent.entries).toEqual([]);
    expect(silent.case.slaMarks).toEqual(['first_response:warning']);
    expect(applyStages(activeCase({ state: 'resolved', status: 'problem_solved' }), [hit('breach', [{ type: 'timeline' }])], ctx, stamp).changed).toBe(false);
    expect(stageMark({ kpi: 'next_response', cycle: 3, stage: 'breach' })).toBe('next_response#3:breach');
  });
});

const instance = (o: Partial<KpiInstance>): KpiInstance => ({
  caseId: 'c',
  kpi: 'first_response',
  cycle: 0,
  status: 'succeeded',
  priority: 'normal',
  targetMinutes: 60,
  startedAt: iso(0),
  warningAt: iso(45),
  failureAt: iso(60),
  achievedAt: iso(30),
  elapsedMs: 0,
  pausedMs: 0,
  policyId: 'p',
  ticketNumber: 'CAS-1',
  title: 't',
  queueId: 'q1',
  ownerId: 'a1',
  caseState: 'active',
  outcomeDay: '2026-11-23',
  computedAt: iso(0),
  ...o,
});

describe('measures', () => {
  it('count met and breached per key and KPI, open clocks left out, no queue last', () => {
    const rows = measureRows(
      [
        instance({}),
        instance({ caseId: 'b', status: 'noncompliant' }),
        instance({ caseId: 'c2', queueId: null }),
        instance({ caseId: 'd', kpi: 'resolve', queueId: 'q0', status: 'noncompliant' }),
        instance({ caseId: 'e', status: 'in_progress', outcomeDay: null }),
        instance({ caseId: 'f', status: 'cancelled', outcomeDay: null }),
      ],
      'queue',
    );
    expect(rows).toEqual([
      { key: 'q0', kpi: 'resolve', met: 0, breached: 1, total: 1, metPercent: 0 },
      { key: 'q1', kpi: 'first_response', met: 1, breached: 1, total: 2, metPercent: 50 },
      { key: null, kpi: 'first_response', met: 1, breached: 0, total: 1, metPercent: 100 },
    ]);
    expect(measureRows([instance({}), instance({ kpi: 'resolve' })], 'priority', 'resolve')).toEqual([{ key: 'normal', kpi: 'resolve', met: 1, breached: 0, total: 1, metPercent: 100 }]);
    expect(measureRows([instance({ outcomeDay: '2026-11-24' }), instance({})], 'day').map((r) => r.key)).toEqual(['2026-11-23', '2026-11-24']);
  });

  it('risk: breached after the failure time, warning after the warning time, else upcoming', () => {
    const k = instance({ achievedAt: null, status: 'in_progress' });
    expect(riskOf(k, new Date(T0 + 30 * MIN))).toBe('upcoming');
    expect(riskOf(k, new Date(T0 + 45 * MIN))).toBe('warning');
    expect(riskOf(k, new Date(T0 + 60 * MIN))).toBe('breached');
  });
});

const POLICY: SlaPolicy = {
  id: 'all',
  name: 'All',
  enabled: true,
  order: 1,
  appliesWhen: null,
  kpis: {
    first_response: { targetMinutes: { low: 60, normal: 60, high: 60, urgent: 60 }, warnAtPercent: 50, calendarId: null, pauseStatuses: ['on_hold'] },
    next_response: { targetMinutes: { low: 120, normal: 120, high: 120, urgent: 120 }, warnAtPercent: 50, calendarId: null, pauseStatuses: ['on_hold'] },
  },
  onWarning: [{ type: 'notify_owner' }],
  onBreach: [{ type: 'timeline' }],
};

async function memoryWorld() {
  let now = T0;
  const w = memoryMailDeps({ now: () => new Date(now) });
  const { deps, stores } = w;
  await deps.sla.savePolicies([POLICY], 0, 'admin', iso(0));
  await deps.customers.create({ id: 'cust', kind: 'contact', name: 'Cus Tomer', email: 'c@example.org', phone: null, tier: 'standard', language: 'en', accountId: null, createdAt: iso(0), updatedAt: iso(0), version: 1 }, []);
  await deps.directory.createAgent(makeAgent({ id: 'agent-1', name: 'Ann Agent', email: 'ann@example.org', roles: ['agent'], capacity: 5, skills: {}, teams: [], presence: 'available' }, iso(0)));
  const agent: Caller = { principal: { sub: 'agent-1', email: 'ann@example.org', roles: ['agent'] }, actor: { sub: 'agent-1', kind: 'staff', email: 'ann@example.org' }, customerId: null };
  const cust: Caller = { principal: { sub: 'cust', email: 'c@example.org', roles: ['customer'] }, actor: customer, customerId: 'cust' };
  return { deps, stores, agent, cust, at: (m: number) => (now = T0 + m * MIN) };
}

describe('next_response through the use cases (in memory)', () => {
  it('each customer message after a reply starts an exchange with its own clock, timer and outcome', async () => {
    const w = await memoryWorld();
    const c = await openCase(w.deps, w.agent, { customerId: 'cust', title: 'Mail sync', description: 'Outlook does not sync', ownerId: 'agent-1' });
    expect((await refreshCaseSla(w.deps, c.id)).wakeAt).toBe(iso(30));
    w.at(10);
    await postMessage(w.deps, w.agent, c.id, 'Please restart Outlook.', undefined);
    // first response met, nothing open: the timer goes
    expect(await refreshCaseSla(w.deps, c.id)).toMatchObject({ wakeAt: null });
    expect(w.stores.timers.running.size).toBe(0);
    w.at(20);
    await postMessage(w.deps, w.cust, c.id, 'Still broken.', undefined);
    const r = await refreshCaseSla(w.deps, c.id);
    // exchange 1: 2 h target from minute 20, warning at 50 % = minute 80
    expect(r).toMatchObject({ wakeAt: iso(80), generation: 2 });
    w.at(80);
    const out = await checkTimer(w.deps, { caseId: c.id, generation: 2, wakeAt: iso(80) });
    expect(out).toMatchObject({ next: 'wait', wakeAt: iso(140) });
    const marked = (await w.deps.cases.get(c.id))!;
    expect(marked.slaMarks).toEqual(['next_response#1:warning']);
    const entry = (await w.deps.cases.timeline(c.id, { publicOnly: false, limit: 50 })).items.find((e) => e.kind === 'sla')!;
    expect(entry.sla).toMatchObject({ kpi: 'next_response', cycle: 1, stage: 'warning', notify: ['agent-1'] });

    // the alert mail: one per person named, each once
    const sent = await sendOutbound(w.deps, { kind: 'sla_alert', caseId: c.id, entryId: entry.id });
    expect(sent.sent).toBe(true);
    expect(w.stores.mailer.sent).toHaveLength(1);
    expect(w.stores.mailer.sent[0]).toMatchObject({ to: ['ann@example.org'], subject: `[SLA warning] Mail sync [${c.ticketNumber}]` });
    expect(w.stores.mailer.sent[0]!.text).toContain('next response (exchange 1)');
    expect(await sendOutbound(w.deps, { kind: 'sla_alert', caseId: c.id, entryId: entry.id })).toMatchObject({ sent: false });
    expect(w.stores.mailer.sent).toHaveLength(1);

    w.at(100);
    await postMessage(w.deps, w.agent, c.id, 'Fixed on our side.', undefined);
    await refreshCaseSla(w.deps, c.id);
    const state = await w.deps.slaState.getCaseState(c.id);
    expect(state.kpis.map((k) => [k.kpi, k.cycle, k.status, k.outcomeDay])).toEqual([
      ['first_response', 0, 'succeeded', '2026-11-23'],
      ['next_response', 1, 'succeeded', '2026-11-23'],
    ]);
    expect(state.timer).toBeNull();
  });

  it('resolving the case ends its clocks: an unanswered exchange is cancelled and nothing stays armed', async () => {
    const w = await memoryWorld();
    const c = await openCase(w.deps, w.agent, { customerId: 'cust', title: 'Quota', description: 'Mailbox full' });
    await refreshCaseSla(w.deps, c.id);
    w.at(5);
    const resolved = await resolve(w.deps, w.agent, c.id, { resolutionType: 'information_provided', text: 'Quota raised', minutesSpent: 5 }, undefined);
    expect(resolved.state).toBe('resolved');
    expect(await refreshCaseSla(w.deps, c.id)).toMatchObject({ wakeAt: null });
    const state = await w.deps.slaState.getCaseState(c.id);
    expect(state.kpis.map((k) => [k.kpi, k.status])).toEqual([['first_response', 'cancelled']]);
    expect(w.stores.timers.running.size).toBe(0);
  });
});

describe('subscribers', () => {
  it('every case change asks for an SLA refresh; an SLA entry naming people asks for an alert mail', async () => {
    const sla = new MemoryWorkQueue();
    const mail = new MemoryWorkQueue();
    const c = activeCase();
    await slaOnChange(() => sla).handle({ type: 'case.created', eventId: '1', case: c });
    await slaOnChange(() => sla).handle({ type: 'case.changed', eventId: '2', case: { ...c, version: 2 }, before: c, changedFields: ['version'] });
    await slaOnChange(() => sla).handle({ type: 'timeline.appended', eventId: '3', entry: msg(1, staff) });
    expect(sla.messages).toEqual([{ caseId: 'c1', version: 1 }, { caseId: 'c1', version: 2 }]);
    const slaEntry = { ...msg(2, { sub: 'sla', kind: 'system' }, 'internal', 'sla'), sla: { kpi: 'resolve', cycle: 0, stage: 'breach' as const, deadline: null, actions: ['notify_owner'], notify: ['a1'] } };
    await mailOnChange(() => mail).handle({ type: 'timeline.appended', eventId: '4', entry: slaEntry });
    await mailOnChange(() => mail).handle({ type: 'timeline.appended', eventId: '5', entry: { ...slaEntry, sla: { ...slaEntry.sla, notify: [] } } });
    expect(mail.messages).toEqual([{ kind: 'sla_alert', caseId: 'c1', entryId: slaEntry.id }]);
  });
});
