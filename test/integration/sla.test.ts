/**
 * SLA over the API: calendar CRUD with validation paths and optimistic concurrency, the policy set
 * (paths for bad input, warnings for a policy that can never apply), and the SLA clocks of a case
 * (statuses and deadlines on the seeded Tehran calendar, pauses, priority changes, resolution).
 * The exact instants are checked with the use cases on a copy of the deps with a fixed clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/app/caller';
import { openCase, postMessage, resolve, updateCase } from '../../shared/app/cases';
import type { Deps } from '../../shared/app/deps';
import { caseSla } from '../../shared/app/sla';
import { type Calendar, compileCalendar, workingTimeBetween } from '../../shared/domain/sla';
import { type Call, type Harness, harness } from '../support/harness';

let h: Harness;
let admin: string;
let manager: string;
let agent1: string;
let customer1: string;
let vipCustomerId: string;
let standardCustomerId: string;
let tehran: Calendar & { version: number };
const ghost = '00000000-0000-4000-8000-000000000000';
const HOUR = 3_600_000;

const OFFICE_DAY = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];
const week = { mon: OFFICE_DAY, tue: OFFICE_DAY, wed: OFFICE_DAY, thu: [{ start: '08:00', end: '12:00' }], fri: [], sat: OFFICE_DAY, sun: OFFICE_DAY };

beforeAll(async () => {
  h = await harness();
  admin = await h.token('admin@example.com');
  manager = await h.token('manager@example.com');
  agent1 = await h.token('agent1@example.com');
  customer1 = await h.token('customer1@example.com');
  vipCustomerId = (await h.deps.customers.list({ email: 'customer1@example.com', limit: 1 })).items[0]!.id;
  standardCustomerId = (await h.deps.customers.list({ email: 'customer2@example.com', limit: 1 })).items[0]!.id;
  tehran = (await h.deps.sla.listCalendars()).find((c) => c.name === 'Tehran office')!;
});
afterAll(async () => h?.close());

const paths = (body: { errors: { path: string }[] }) => body.errors.map((e) => e.path).sort();
const etag = (v: number) => ({ 'if-match': `"${v}"` });

describe.each(['in-process', 'http'] as const)('calendars (%s)', (transport) => {
  let call: Call;
  beforeAll(() => {
    call = h.transports[transport];
  });

  it('lists the seeded calendar for staff, not for customers', async () => {
    const r = await call(agent1, 'GET', '/sla/calendars');
    expect(r.status).toBe(200);
    expect(r.body.items.find((c: { name: string }) => c.name === 'Tehran office')).toMatchObject({ timeZone: 'Asia/Tehran', week: { fri: [], thu: [{ start: '08:00', end: '12:00' }] } });
    expect((await call(customer1, 'GET', '/sla/calendars')).status).toBe(403);
  });

  it('validates a new calendar in full and stores nothing when it is invalid', async () => {
    const before = (await call(admin, 'GET', '/sla/calendars')).body.items.length;
    const bad = await call(admin, 'POST', '/sla/calendars', {
      body: { name: `Bad ${transport}`, timeZone: 'Mars/Olympus_Mons', week: { ...week, mon: [{ start: '17:00', end: '09:00' }] }, holidays: [{ date: '2026-02-30', name: 'x' }] },
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(expect.arrayContaining(['timeZone', 'holidays[0].date']));
    expect(paths(bad.body).some((p: string) => p.startsWith('week.mon[0]'))).toBe(true);
    expect((await call(admin, 'GET', '/sla/calendars')).body.items.length).toBe(before);
    expect((await call(agent1, 'POST', '/sla/calendars', { body: { name: 'x', timeZone: 'UTC', week, holidays: [] } })).status).toBe(403);
  });

  it('creates, reads, replaces (If-Match) and deletes a calendar', async () => {
    const created = await call(admin, 'POST', '/sla/calendars', { body: { name: `Berlin ${transport}`, timeZone: 'Europe/Berlin', week, holidays: [] } });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ name: `Berlin ${transport}`, timeZone: 'Europe/Berlin', version: 1 });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const id = created.body.id as string;
    const read = await call(agent1, 'GET', `/sla/calendars/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.week).toEqual(week);

    const next = { name: `Berlin ${transport}`, timeZone: 'Europe/Berlin', week, holidays: [{ date: '2026-12-25', name: 'Christmas' }] };
    expect((await call(admin, 'PUT', `/sla/calendars/${id}`, { body: next })).status).toBe(428);
    expect((await call(admin, 'PUT', `/sla/calendars/${id}`, { body: next, headers: etag(7) })).status).toBe(412);
    const badPut = await call(admin, 'PUT', `/sla/calendars/${id}`, { body: { ...next, holidays: [{ date: 'soon', name: 'x' }] }, headers: etag(1) });
    expect(badPut.status).toBe(400);
    expect(paths(badPut.body)).toEqual(['holidays[0].date']);
    const put = await call(admin, 'PUT', `/sla/calendars/${id}`, { body: next, headers: etag(1) });
    expect(put.status).toBe(200);
    expect(put.headers.etag).toBe('"2"');
    expect(put.body.holidays).toEqual([{ date: '2026-12-25', name: 'Christmas' }]);

    expect((await call(admin, 'DELETE', `/sla/calendars/${id}`)).status).toBe(428);
    expect((await call(admin, 'DELETE', `/sla/calendars/${id}`, { headers: etag(1) })).status).toBe(412);
    expect((await call(admin, 'DELETE', `/sla/calendars/${id}`, { headers: etag(2) })).status).toBe(204);
    expect((await call(agent1, 'GET', `/sla/calendars/${id}`)).status).toBe(404);
    expect((await call(admin, 'PUT', `/sla/calendars/${ghost}`, { body: next, headers: etag(1) })).status).toBe(404);
  });

  it('refuses to delete a calendar a policy uses', async () => {
    const r = await call(admin, 'DELETE', `/sla/calendars/${tehran.id}`, { headers: etag(tehran.version) });
    expect(r.status).toBe(409);
    expect(paths(r.body)).toEqual(['policies[0].kpis.resolve.calendarId', 'policies[1].kpis.first_response.calendarId', 'policies[1].kpis.resolve.calendarId']);
    expect((await call(agent1, 'GET', `/sla/calendars/${tehran.id}`)).status).toBe(200);
  });
});

describe.each(['in-process', 'http'] as const)('policies (%s)', (transport) => {
  let call: Call;
  beforeAll(() => {
    call = h.transports[transport];
  });

  it('managers and admins read the policies; agents may not', async () => {
    const r = await call(manager, 'GET', '/sla/policies');
    expect(r.status).toBe(200);
    expect(r.body.policies.map((p: { name: string }) => p.name)).toEqual(['VIP', 'Standard']);
    expect(r.body.warnings).toEqual([]);
    expect(r.headers.etag).toBe(`"${r.body.version}"`);
    expect((await call(agent1, 'GET', '/sla/policies')).status).toBe(403);
  });

  it('replaces the policies under If-Match: every bad path, nothing stored; warnings for a policy that never applies', async () => {
    const current = (await call(admin, 'GET', '/sla/policies')).body;
    const [vip, standard] = current.policies;
    const broken = {
      ...vip,
      kpis: { ...vip.kpis, resolve: { ...vip.kpis.resolve, calendarId: ghost, targetMinutes: { ...vip.kpis.resolve.targetMinutes, high: 0 } } },
      appliesWhen: { field: 'queue', op: 'eq', value: ghost },
      onBreach: [{ type: 'reassign', agentId: ghost }, { type: 'explode' }],
    };
    const bad = await call(admin, 'PUT', '/sla/policies', { body: { policies: [broken, standard] }, headers: etag(current.version) });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(
      expect.arrayContaining([
        'policies[0].kpis.resolve.calendarId',
        'policies[0].kpis.resolve.targetMinutes.high',
        'policies[0].onBreach[0].agentId',
        'policies[0].onBreach[1].type',
      ]),
    );
    expect(paths(bad.body).some((p: string) => p.startsWith('policies[0].appliesWhen'))).toBe(true);
    expect((await call(admin, 'GET', '/sla/policies')).body.version).toBe(current.version);

    const late = { ...standard, id: `late-${transport}`, name: 'Late', order: 30 };
    const policies = [vip, standard, late];
    expect((await call(admin, 'PUT', '/sla/policies', { body: { policies } })).status).toBe(428);
    expect((await call(admin, 'PUT', '/sla/policies', { body: { policies }, headers: etag(current.version + 3) })).status).toBe(412);
    expect((await call(manager, 'PUT', '/sla/policies', { body: { policies }, headers: etag(current.version) })).status).toBe(403);
    const saved = await call(admin, 'PUT', '/sla/policies', { body: { policies }, headers: etag(current.version) });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(current.version + 1);
    expect(saved.body.warnings).toEqual([expect.objectContaining({ path: 'policies[2]', code: 'never_applies' })]);
    // back to the seeded set
    const back = await call(admin, 'PUT', '/sla/policies', { body: { policies: [vip, standard] }, headers: etag(saved.body.version) });
    expect(back.status).toBe(200);
    expect(back.body.warnings).toEqual([]);
  });
});

describe.each(['in-process', 'http'] as const)('GET /cases/{id}/sla (%s)', (transport) => {
  let call: Call;
  beforeAll(() => {
    call = h.transports[transport];
  });
  const open = async (customerId: string, priority = 'normal') => {
    const r = await call(agent1, 'POST', '/cases', { body: { title: `SLA ${transport}`, description: 'd', customerId, priority } });
    expect(r.status).toBe(201);
    return r.body as { id: string; createdAt: string; version: number };
  };
  const kpi = (body: { kpis: { kpi: string }[] }, name: string) => body.kpis.find((k) => k.kpi === name) as Record<string, any>;

  it('gives a VIP case the VIP clocks: first response on 24x7, resolve on the Tehran calendar', async () => {
    const c = await open(vipCustomerId);
    const r = await call(agent1, 'GET', `/cases/${c.id}/sla`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ caseId: c.id, policyId: 'vip', policyName: 'VIP' });
    const first = kpi(r.body, 'first_response');
    expect(first).toMatchObject({ status: 'in_progress', priority: 'normal', targetMinutes: 240, achievedAt: null, calendar: { id: '24x7' } });
    expect(Date.parse(first.failureAt) - Date.parse(c.createdAt)).toBe(4 * HOUR);
    expect(Date.parse(first.warningAt) - Date.parse(c.createdAt)).toBe(3 * HOUR);
    const res = kpi(r.body, 'resolve');
    expect(res).toMatchObject({ status: 'in_progress', targetMinutes: 48 * 60, calendar: { id: tehran.id, name: 'Tehran office', timeZone: 'Asia/Tehran' } });
    expect(workingTimeBetween(compileCalendar({ id: tehran.id, name: tehran.name, timeZone: tehran.timeZone, week: tehran.week, holidays: tehran.holidays }), new Date(c.createdAt), new Date(res.failureAt))).toBe(48 * HOUR);
    expect(res.explanation[0]).toContain('Tehran office');
  });

  it('gives other cases the standard clocks; on hold pauses them, resolving meets them', async () => {
    const c = await open(standardCustomerId, 'high');
    const r = await call(agent1, 'GET', `/cases/${c.id}/sla`);
    expect(r.body).toMatchObject({ policyId: 'standard' });
    expect(kpi(r.body, 'first_response')).toMatchObject({ status: 'in_progress', targetMinutes: 8 * 60 });
    expect(kpi(r.body, 'resolve')).toMatchObject({ status: 'in_progress', targetMinutes: 3 * 8 * 60 });
    const held = await call(agent1, 'PATCH', `/cases/${c.id}`, { body: { status: 'on_hold' }, headers: etag(c.version) });
    expect(held.status).toBe(200);
    const paused = await call(agent1, 'GET', `/cases/${c.id}/sla`);
    expect(kpi(paused.body, 'first_response').status).toBe('paused');
    expect(kpi(paused.body, 'resolve')).toMatchObject({ status: 'paused', failureAt: null });
    const msg = await call(agent1, 'POST', `/cases/${c.id}/messages`, { body: { body: 'We are on it.' } });
    expect(msg.status).toBe(201);
    const resolved = await call(agent1, 'POST', `/cases/${c.id}/resolve`, { body: { resolutionType: 'problem_solved', text: 'Done.', minutesSpent: 5 } });
    expect(resolved.status).toBe(200);
    const done = await call(agent1, 'GET', `/cases/${c.id}/sla`);
    expect(kpi(done.body, 'first_response')).toMatchObject({ status: 'succeeded', achievedAt: expect.any(String) });
    expect(kpi(done.body, 'resolve')).toMatchObject({ status: 'succeeded', achievedAt: resolved.body.resolvedAt });
  });

  it('is for staff only, and 404 for unknown cases', async () => {
    const c = await open(vipCustomerId);
    expect((await call(customer1, 'GET', `/cases/${c.id}/sla`)).status).toBe(403);
    expect((await call(agent1, 'GET', `/cases/${ghost}/sla`)).status).toBe(404);
  });
});

describe('SLA clocks at exact instants (fixed clock)', () => {
  let now = new Date();
  let deps: Deps;
  let agent: Caller;
  const at = (iso: string) => {
    now = new Date(iso);
  };
  beforeAll(async () => {
    deps = { ...h.deps, clock: { now: () => now } };
    const sub = (await h.deps.directory.listAgents()).find((a) => a.email === 'agent1@example.com')!.id;
    agent = { principal: { sub, email: 'agent1@example.com', roles: ['agent'] }, actor: { sub, kind: 'staff', email: 'agent1@example.com' }, customerId: null };
  });
  const clocks = async (id: string) => Object.fromEntries((await caseSla(deps, agent, id)).kpis.map((k) => [k.kpi, k]));

  it('standard case: office hours and Nowruz, a pause moves the deadline, a priority change re-targets, resolution succeeds', async () => {
    // Wednesday 2026-03-18 09:00 in Tehran (UTC+03:30); Nowruz 1405 takes out 21-24 March, Fridays are off
    at('2026-03-18T05:30:00Z');
    const c = await openCase(deps, agent, { title: 'Standard clock', description: 'd', customerId: standardCustomerId, priority: 'normal' });
    at('2026-03-18T06:30:00Z');
    let k = await clocks(c.id);
    expect(k.first_response).toMatchObject({ status: 'in_progress', elapsedMs: HOUR, pausedMs: 0 });
    // 16 working hours: Wed 7 h, Thu 4 h, (Fri off, Sat-Tue Nowruz), Wed 25th 08:00-12:00 and 13:00-14:00
    expect(k.first_response!.failureAt).toBe('2026-03-25T10:30:00.000Z');
    expect(k.resolve!.ledger.some((s: { kind: string }) => s.kind === 'working')).toBe(true);

    at('2026-03-18T07:30:00Z'); // 11:00 local
    const held = await updateCase(deps, agent, c.id, { status: 'on_hold' }, c.version);
    at('2026-03-18T10:30:00Z'); // 14:00 local: 1 h before lunch and 1 h after it paused
    k = await clocks(c.id);
    expect(k.first_response).toMatchObject({ status: 'paused', elapsedMs: 2 * HOUR, pausedMs: 2 * HOUR, remainingMs: 14 * HOUR });
    const resumed = await updateCase(deps, agent, c.id, { status: 'in_progress' }, held.version);
    k = await clocks(c.id);
    expect(k.first_response!.status).toBe('in_progress');
    expect(k.first_response!.failureAt).toBe('2026-03-25T12:30:00.000Z'); // moved by the 2 h paused

    at('2026-03-18T11:30:00Z'); // 15:00 local: urgent now, 4 h target of which 3 h are used
    await updateCase(deps, agent, c.id, { priority: 'urgent' }, resumed.version);
    k = await clocks(c.id);
    expect(k.first_response).toMatchObject({ status: 'in_progress', priority: 'urgent', targetMinutes: 240, elapsedMs: 3 * HOUR });
    expect(k.first_response!.failureAt).toBe('2026-03-18T12:30:00.000Z');
    expect(k.first_response!.warningAt).toBe('2026-03-18T11:42:00.000Z'); // 80 % of 4 h
    expect(k.resolve).toMatchObject({ priority: 'urgent', targetMinutes: 2 * 8 * 60 });

    at('2026-03-18T12:00:00Z');
    await postMessage(deps, agent, c.id, 'Looking into it now.');
    at('2026-03-18T12:15:00Z');
    await resolve(deps, agent, c.id, { resolutionType: 'problem_solved', text: 'Fixed.', minutesSpent: 30 });
    at('2026-03-19T12:00:00Z');
    k = await clocks(c.id);
    expect(k.first_response).toMatchObject({ status: 'succeeded', achievedAt: '2026-03-18T12:00:00.000Z', elapsedMs: 3.5 * HOUR });
    expect(k.resolve).toMatchObject({ status: 'succeeded', achievedAt: '2026-03-18T12:15:00.000Z', elapsedMs: 3.75 * HOUR, warningAt: null, failureAt: null });
  });

  it('VIP case: 24x7 first response warns and breaches; resolve waits for the office to open after Nowruz', async () => {
    at('2026-03-20T14:30:00Z'); // Friday 18:00 in Tehran
    const c = await openCase(deps, agent, { title: 'VIP clock', description: 'd', customerId: vipCustomerId, priority: 'high' });
    at('2026-03-20T16:10:00Z');
    let k = await clocks(c.id);
    expect(k.first_response).toMatchObject({ status: 'nearing_noncompliance', warningAt: '2026-03-20T16:00:00.000Z', failureAt: '2026-03-20T16:30:00.000Z' });
    // 24 working hours: Wed 25th 8 h, Thu 4 h, Sat 28th 8 h, Sun 29th 08:00-12:00
    expect(k.resolve).toMatchObject({ status: 'in_progress', elapsedMs: 0, failureAt: '2026-03-29T08:30:00.000Z' });
    expect(k.resolve!.ledger.map((s: { kind: string }) => s.kind)).toContain('outside_hours');
    at('2026-03-20T17:00:00Z');
    k = await clocks(c.id);
    expect(k.first_response).toMatchObject({ status: 'noncompliant', failureAt: '2026-03-20T16:30:00.000Z' });
  });
});
