/**
 * The staff directory and queues over the API: admin CRUD with validation, presence, live queue
 * counts and queue views, and the open-case counts every case write keeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recountWorkload } from '../../shared/app/directory';
import { type Call, type Harness, harness } from '../support/harness';

let h: Harness;
let admin: string;
let manager: string;
let agent1: string;
let ids: Record<string, string>;
let queues: Record<string, { id: string; version: number }>;
let customerId: string;
const ghost = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  h = await harness();
  admin = await h.token('admin@example.com');
  manager = await h.token('manager@example.com');
  agent1 = await h.token('agent1@example.com');
  const call = h.transports['in-process'];
  ids = Object.fromEntries((await call(admin, 'GET', '/agents')).body.items.map((a: { email: string; id: string }) => [a.email, a.id]));
  queues = Object.fromEntries((await call(admin, 'GET', '/queues')).body.items.map((q: { name: string; id: string; version: number }) => [q.name, q]));
  customerId = (await call(agent1, 'GET', '/customers?email=customer2@example.com')).body.items[0].id;
});
afterAll(async () => h?.close());

describe.each(['in-process', 'http'] as const)('agents (%s)', (transport) => {
  let call: Call;
  beforeAll(() => {
    call = h.transports[transport];
  });

  it('lists staff with presence, capacity, open cases, skills and teams', async () => {
    const r = await call(agent1, 'GET', '/agents');
    expect(r.status).toBe(200);
    const sara = r.body.items.find((a: { email: string }) => a.email === 'agent1@example.com');
    expect(sara).toMatchObject({ name: 'Sara Ahmadi', presence: 'offline', capacity: 12, openCases: 0, skills: { hardware: 4 }, teams: ['IT'] });
    const one = await call(agent1, 'GET', `/agents/${sara.id}`);
    expect(one.headers.etag).toBe(`"${sara.version}"`);
    expect((await call(agent1, 'GET', `/agents/${ghost}`)).status).toBe(404);
    const customer = await h.token('customer1@example.com');
    expect((await call(customer, 'GET', '/agents')).status).toBe(403);
  });

  it('admins add agents; duplicates, bad skills and non-admins are refused', async () => {
    const id = crypto.randomUUID();
    const body = { id, name: `New Agent ${transport}`, email: `New.${transport}@Example.com`, capacity: 4, skills: { billing: 2 }, teams: ['Billing'] };
    expect((await call(agent1, 'POST', '/agents', { body })).status).toBe(403);
    const r = await call(admin, 'POST', '/agents', { body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id, email: `new.${transport}@example.com`, roles: ['agent'], presence: 'offline', openCases: 0, version: 1 });
    expect((await call(admin, 'POST', '/agents', { body })).status).toBe(409);
    const bad = await call(admin, 'POST', '/agents', { body: { ...body, id: crypto.randomUUID(), skills: { billing: 9 }, capacity: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['capacity', 'skills.billing']);
  });

  it('changes agents with If-Match; managers may set only presence', async () => {
    const id = ids['agent2@example.com']!;
    const before = (await call(admin, 'GET', `/agents/${id}`)).body;
    expect((await call(admin, 'PATCH', `/agents/${id}`, { body: { capacity: 3 } })).status).toBe(428);
    expect((await call(admin, 'PATCH', `/agents/${id}`, { body: { capacity: 3 }, headers: { 'if-match': `"${before.version + 5}"` } })).status).toBe(412);
    expect((await call(manager, 'PATCH', `/agents/${id}`, { body: { capacity: 3 }, headers: { 'if-match': `"${before.version}"` } })).status).toBe(403);
    const r = await call(admin, 'PATCH', `/agents/${id}`, { body: { capacity: before.capacity + 1, skills: { ...before.skills, printers: 3 } }, headers: { 'if-match': `"${before.version}"` } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ capacity: before.capacity + 1, skills: { printers: 3 }, version: before.version + 1 });
    const away = await call(manager, 'PATCH', `/agents/${id}`, { body: { presence: 'away' }, headers: { 'if-match': `"${r.body.version}"` } });
    expect(away.status).toBe(200);
    expect(away.body.presence).toBe('away');
    expect(away.body.presenceChangedAt).not.toBeNull();
    expect((await call(admin, 'PATCH', `/agents/${id}`, { body: { owner: 'x' }, headers: { 'if-match': `"${away.body.version}"` } })).status).toBe(400);
  });

  it('lets staff set their own presence, and says so when they are not in the directory', async () => {
    const r = await call(agent1, 'PUT', '/me/presence', { body: { presence: 'busy' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: ids['agent1@example.com'], presence: 'busy' });
    expect((await call(agent1, 'PUT', '/me/presence', { body: { presence: 'sleeping' } })).status).toBe(400);
    const stranger = await h.identity.issue({ sub: crypto.randomUUID(), email: `stranger.${transport}@example.com`, groups: ['agent'] });
    const missing = await call(stranger, 'PUT', '/me/presence', { body: { presence: 'available' } });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toMatch(/not in the staff directory/);
    await call(agent1, 'PUT', '/me/presence', { body: { presence: 'offline' } });
  });
});

describe('queues', () => {
  const call = () => h.transports.http;

  it('creates a queue; unknown members, bad strategies and non-admins are refused with paths', async () => {
    const members = [ids['agent1@example.com']!, ids['agent2@example.com']!];
    expect((await call()(agent1, 'POST', '/queues', { body: { name: 'Nope' } })).status).toBe(403);
    const bad = await call()(admin, 'POST', '/queues', { body: { name: 'Bad', strategy: 'lottery', members } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('strategy');
    const unknown = await call()(admin, 'POST', '/queues', { body: { name: 'Bad', strategy: 'round_robin', members: [members[0], ghost, members[0]] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)).toEqual(['members[1] unknown_reference', 'members[2] duplicate']);
    const r = await call()(admin, 'POST', '/queues', { body: { name: 'Returns', description: 'RMA requests', strategy: 'round_robin', members } });
    expect(r.status).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    expect(r.body).toMatchObject({ name: 'Returns', strategy: 'round_robin', members, role: null, requiredSkills: {}, lastAssignedAgentId: null });
    const listed = (await call()(agent1, 'GET', '/queues')).body.items.map((q: { name: string }) => q.name);
    expect(listed).toContain('Returns');
  });

  it('moves the default role in one write, and never leaves the system without one', async () => {
    const created = (await call()(admin, 'POST', '/queues', { body: { name: 'Front desk', strategy: 'manual', role: 'default' } })).body;
    let all = (await call()(admin, 'GET', '/queues')).body.items as { id: string; role: string | null; version: number }[];
    expect(all.filter((q) => q.role === 'default').map((q) => q.id)).toEqual([created.id]);
    // give it back to General by patching General
    const general = all.find((q) => q.id === queues.General!.id)!;
    const back = await call()(admin, 'PATCH', `/queues/${general.id}`, { body: { role: 'default' }, headers: { 'if-match': `"${general.version}"` } });
    expect(back.status).toBe(200);
    all = (await call()(admin, 'GET', '/queues')).body.items;
    expect(all.filter((q) => q.role === 'default').map((q) => q.id)).toEqual([general.id]);
    const front = all.find((q) => q.id === created.id)!;
    expect(front.role).toBeNull();
    // removing a role outright is refused
    const refused = await call()(admin, 'PATCH', `/queues/${general.id}`, { body: { role: null }, headers: { 'if-match': `"${back.body.version}"` } });
    expect(refused.status).toBe(409);
  });

  it('deletes only a queue with no role, no active cases and no rule sending cases to it', async () => {
    const q = (await call()(admin, 'POST', '/queues', { body: { name: 'Short-lived', strategy: 'manual' } })).body;
    const c = (await call()(agent1, 'POST', '/cases', { body: { title: 'In the short-lived queue', description: 'd', customerId, queueId: q.id } })).body;
    const busy = await call()(admin, 'DELETE', `/queues/${q.id}`, { headers: { 'if-match': '"1"' } });
    expect(busy.status).toBe(409);
    expect(busy.body.detail).toMatch(/1 active case/);
    await call()(agent1, 'POST', `/cases/${c.id}/assign`, { body: { queueId: queues.General!.id } });
    const rules = (await call()(admin, 'GET', '/routing/rules')).body;
    const withRule = [...rules.rules, { id: 'to-short', name: 'Short', enabled: true, order: 99, conditions: { field: 'caseType', op: 'eq', value: 'request' }, actions: { queueId: q.id } }];
    const saved = await call()(admin, 'PUT', '/routing/rules', { body: { rules: withRule }, headers: { 'if-match': `"${rules.version}"` } });
    expect(saved.status).toBe(200);
    const ruled = await call()(admin, 'DELETE', `/queues/${q.id}`, { headers: { 'if-match': '"1"' } });
    expect(ruled.status).toBe(409);
    expect(ruled.body.detail).toMatch(/to-short/);
    await call()(admin, 'PUT', '/routing/rules', { body: { rules: rules.rules }, headers: { 'if-match': `"${saved.body.version}"` } });
    expect((await call()(admin, 'DELETE', `/queues/${q.id}`, { headers: { 'if-match': '"7"' } })).status).toBe(412);
    expect((await call()(admin, 'DELETE', `/queues/${queues.Escalations!.id}`, { headers: { 'if-match': `"${queues.Escalations!.version}"` } })).status).toBe(409);
    const gone = await call()(admin, 'DELETE', `/queues/${q.id}`, { headers: { 'if-match': '"1"' } });
    expect(gone.status).toBe(204);
    expect((await call()(admin, 'GET', `/queues/${q.id}`)).status).toBe(404);
  });

  it('rules may name a known agent and ask for skills; an unknown agent is refused with its path', async () => {
    const rules = (await call()(admin, 'GET', '/routing/rules')).body;
    const named = { id: 'special', name: 'Special agent', enabled: true, order: 98, conditions: { field: 'customerTier', op: 'eq', value: 'premium' }, actions: { agentId: ghost, skills: { vip: 9 } } };
    const bad = await call()(admin, 'PUT', '/routing/rules', { body: { rules: [...rules.rules, named] }, headers: { 'if-match': `"${rules.version}"` } });
    expect(bad.status).toBe(400);
    const at = rules.rules.length;
    expect(bad.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)).toEqual([`rules[${at}].actions.agentId unknown_reference`, `rules[${at}].actions.skills.vip invalid_value`]);
    expect((await call()(admin, 'GET', '/routing/rules')).body.version).toBe(rules.version); // nothing stored
    const ok = { ...named, actions: { agentId: ids['manager@example.com'], skills: { vip: 3 } } };
    const test = await call()(admin, 'POST', '/routing/test', { body: { case: { title: 't', description: 'd', customerTier: 'premium' }, rules: [...rules.rules, ok] } });
    expect(test.status).toBe(200);
    expect(test.body.decision).toMatchObject({ ruleId: 'special', agentId: ids['manager@example.com'], agentName: 'Mina Karimi', skills: { vip: 3 } });
    expect(test.body.decision.text).toContain('agent Mina Karimi');
  });

  it('counts waiting and in-progress cases live, and lists them by view', async () => {
    const q = (await call()(admin, 'POST', '/queues', { body: { name: 'Counted', strategy: 'manual' } })).body;
    const open = async (title: string, priority: string) =>
      (await call()(agent1, 'POST', '/cases', { body: { title, description: 'd', customerId, queueId: q.id, priority } })).body;
    const a = await open('first, low', 'low');
    const b = await open('second, urgent', 'urgent');
    const c = await open('third, normal', 'normal');
    expect((await call()(agent1, 'POST', `/queues/${q.id}/pick`)).body.id).toBe(b.id); // the urgent one
    let one = (await call()(agent1, 'GET', `/queues/${q.id}`)).body;
    expect(one.counts).toEqual({ waiting: 2, inProgress: 1, oldestWaitingAt: a.createdAt });
    const waiting = (await call()(agent1, 'GET', `/queues/${q.id}/cases?view=waiting`)).body.items.map((x: { id: string }) => x.id);
    expect(waiting).toEqual([c.id, a.id]); // normal before low
    const working = (await call()(agent1, 'GET', `/queues/${q.id}/cases?view=in_progress`)).body.items.map((x: { id: string }) => x.id);
    expect(working).toEqual([b.id]);
    expect((await call()(agent1, 'POST', `/cases/${b.id}/resolve`, { body: { resolutionType: 'problem_solved', text: 'done', minutesSpent: 5 } })).status).toBe(200);
    const all = (await call()(agent1, 'GET', `/queues/${q.id}/cases?view=all&limit=2`)).body;
    expect(all.items.map((x: { id: string }) => x.id)).toEqual([c.id, b.id]);
    expect(all.nextCursor).not.toBeNull();
    one = (await call()(agent1, 'GET', `/queues/${q.id}`)).body;
    expect(one.counts).toEqual({ waiting: 2, inProgress: 0, oldestWaitingAt: a.createdAt });
    const listed = (await call()(agent1, 'GET', '/queues?counts=true')).body.items.find((x: { id: string }) => x.id === q.id);
    expect(listed.counts.waiting).toBe(2);
    expect((await call()(agent1, 'GET', '/queues')).body.items[0].counts).toBeUndefined();
    expect((await call()(agent1, 'GET', `/queues/${q.id}/cases?view=sideways`)).status).toBe(400);
    expect((await call()(agent1, 'GET', `/queues/${ghost}/cases`)).status).toBe(404);
  });
});

describe('open-case counts', () => {
  it('move with every assignment, hand-over, resolution and reactivation, and match a recount', async () => {
    const call = h.transports['in-process'];
    const tom = ids['agent2@example.com']!;
    const sara = ids['agent1@example.com']!;
    const open = async (who: string) => (await call(agent1, 'GET', `/agents/${who}`)).body.openCases as number;
    const [tom0, sara0] = [await open(tom), await open(sara)];
    const c = (await call(agent1, 'POST', '/cases', { body: { title: 'Counted work', description: 'd', customerId, ownerId: tom } })).body;
    expect(await open(tom)).toBe(tom0 + 1);
    await call(agent1, 'POST', `/cases/${c.id}/assign`, { body: { ownerId: sara, reason: 'Sara knows this' } });
    expect([await open(tom), await open(sara)]).toEqual([tom0, sara0 + 1]);
    expect((await call(agent1, 'POST', `/cases/${c.id}/resolve`, { body: { resolutionType: 'problem_solved', text: 'done', minutesSpent: 5 } })).status).toBe(200);
    expect(await open(sara)).toBe(sara0);
    expect((await call(agent1, 'POST', `/cases/${c.id}/reactivate`, { body: { reason: 'not fixed' } })).status).toBe(200);
    expect(await open(sara)).toBe(sara0 + 1);
    await call(agent1, 'PATCH', `/cases/${c.id}`, { body: { ownerId: null }, headers: { 'if-match': `"${(await call(agent1, 'GET', `/cases/${c.id}`)).body.version}"` } });
    expect(await open(sara)).toBe(sara0);
    const before = (await call(admin, 'GET', '/agents')).body.items.map((a: { id: string; openCases: number }) => [a.id, a.openCases]);
    await recountWorkload(h.deps);
    const after = (await call(admin, 'GET', '/agents')).body.items.map((a: { id: string; openCases: number }) => [a.id, a.openCases]);
    expect(after).toEqual(before);
  });
});
