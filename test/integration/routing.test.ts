/** Routing rules and the dry run through the real handlers on DynamoDB Local. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, type Harness, harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h?.close());

describe.each(['in-process', 'http'] as const)('routing (%s)', (transport) => {
  let call: Call;
  let admin: string;
  let agent: string;
  let manager: string;
  let queues: Record<string, string>;
  let subjects: Record<string, string>;
  beforeAll(async () => {
    call = h.transports[transport];
    admin = await h.token('admin@example.com');
    agent = await h.token('agent1@example.com');
    manager = await h.token('manager@example.com');
    queues = Object.fromEntries((await call(agent, 'GET', '/queues')).body.items.map((q: { name: string; id: string }) => [q.name, q.id]));
    subjects = Object.fromEntries((await call(agent, 'GET', '/subjects')).body.items.map((s: { name: string; id: string }) => [s.name, s.id]));
  });

  it('serves the demo rule set to managers with an ETag, and it passes its own validation', async () => {
    const set = await call(manager, 'GET', '/routing/rules');
    expect(set.status).toBe(200);
    expect(set.body.rules.map((r: { name: string }) => r.name)).toEqual(['VIP customers', 'Training questions', 'Technical problems', 'Printer emergencies']);
    expect(set.headers.etag).toBe(`"${set.body.version}"`);
    expect((await call(agent, 'GET', '/routing/rules')).status).toBe(403);
  });

  it('explains which rule fires, first match wins, and changes nothing', async () => {
    const before = (await call(admin, 'GET', '/routing/rules')).body.version;
    const vip = await call(agent, 'POST', '/routing/test', {
      body: { case: { title: 'Laptop broken', caseType: 'problem', subjectId: subjects.Laptops, customerTier: 'vip' } },
    });
    expect(vip.status).toBe(200);
    expect(vip.body.matched.ruleName).toBe('VIP customers');
    expect(vip.body.decision).toMatchObject({ queueId: queues.VIP, queueName: 'VIP', priority: 'high', defaultQueue: false });
    expect(vip.body.decision.text).toContain("Rule 'VIP customers'");
    expect(vip.body.matched.reasons.join(' ')).toMatch(/tier/i);

    const tech = await call(agent, 'POST', '/routing/test', { body: { case: { title: 'Laptop broken', caseType: 'problem', subjectId: subjects.Laptops } } });
    expect(tech.body.matched.ruleName).toBe('Technical problems');
    expect(tech.body.decision.queueName).toBe('IT support');
    // the trace says why earlier rules did not fire
    expect(tech.body.trace.map((t: { outcome: string }) => t.outcome).slice(0, 3)).toEqual(['no_match', 'no_match', 'matched']);

    const persian = await call(agent, 'POST', '/routing/test', { body: { case: { title: 'درخواست دوره آموزش حسابداري', caseType: 'request' } } });
    expect(persian.body.matched.ruleName).toBe('Training questions');

    const none = await call(agent, 'POST', '/routing/test', { body: { case: { title: 'Invoice question', caseType: 'question' } } });
    expect(none.body.matched).toBeNull();
    expect(none.body.decision).toMatchObject({ queueId: queues.General, defaultQueue: true });

    const customer2 = (await call(agent, 'GET', '/customers?email=customer2@example.com')).body.items[0];
    const stored = (await call(agent, 'POST', '/cases', { body: { title: 'Smoke from the printer', description: 'help', customerId: customer2.id, caseType: 'problem' } })).body;
    const fromCase = await call(agent, 'POST', '/routing/test', { body: { case: { caseId: stored.id } } });
    expect(fromCase.body.decision).toMatchObject({ priority: 'urgent', tags: ['safety'] });
    expect((await call(agent, 'GET', `/cases/${stored.id}`)).body).toMatchObject({ priority: 'normal', queueId: null, version: 1 });
    expect((await call(admin, 'GET', '/routing/rules')).body.version).toBe(before);
  });

  it('tests a draft rule set without saving it', async () => {
    const draft = [{ id: 'all-to-edu', name: 'Everything to education', enabled: true, order: 1, conditions: { field: 'priority', op: 'in', value: ['low', 'normal'] }, actions: { queueId: queues.Education } }];
    const r = await call(manager, 'POST', '/routing/test', { body: { case: { title: 'x' }, rules: draft } });
    expect(r.status).toBe(200);
    expect(r.body.decision.queueName).toBe('Education');
    expect((await call(agent, 'POST', '/routing/test', { body: { case: { title: 'x' }, rules: draft } })).status).toBe(403);
    const bad = await call(manager, 'POST', '/routing/test', { body: { case: { title: 'x' }, rules: [{ ...draft[0], conditions: { field: 'colour', op: 'eq', value: 'red' } }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('rules[0].conditions.field');
  });

  it('refuses invalid rule sets with every problem and its path, and stores nothing', async () => {
    const current = await call(admin, 'GET', '/routing/rules');
    const bad = [
      { id: 'a', name: 'Unknown field', enabled: true, order: 1, conditions: { field: 'mood', op: 'eq', value: 'angry' }, actions: { queueId: queues.VIP } },
      { id: 'b', name: 'Unknown queue', enabled: true, order: 2, conditions: { field: 'priority', op: 'eq', value: 'high' }, actions: { queueId: '00000000-0000-4000-8000-000000000000' } },
      { id: 'c', name: 'Wrong operator', enabled: true, order: 3, conditions: { field: 'priority', op: 'contains_any_word', value: ['x'] }, actions: { priority: 'low' } },
      { id: 'c', name: 'Duplicate id and no action', enabled: true, order: 3, conditions: { field: 'priority', op: 'eq', value: 'extreme' }, actions: {} },
    ];
    const r = await call(admin, 'PUT', '/routing/rules', { body: { rules: bad }, headers: { 'if-match': current.headers.etag! } });
    expect(r.status).toBe(400);
    const paths = r.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['rules[0].conditions.field', 'rules[1].actions.queueId', 'rules[2].conditions.op', 'rules[3].id', 'rules[3].order', 'rules[3].conditions.value', 'rules[3].actions']),
    );
    const after = await call(admin, 'GET', '/routing/rules');
    expect(after.body).toEqual(current.body);
  });

  it('replaces the rule set under If-Match (428 without, 412 when stale), admins only', async () => {
    const current = await call(admin, 'GET', '/routing/rules');
    const rules = current.body.rules;
    expect((await call(admin, 'PUT', '/routing/rules', { body: { rules } })).status).toBe(428);
    expect((await call(manager, 'PUT', '/routing/rules', { body: { rules }, headers: { 'if-match': current.headers.etag! } })).status).toBe(403);
    const reordered = rules.map((r: { order: number }, i: number) => ({ ...r, order: 100 - i * 10 }));
    const saved = await call(admin, 'PUT', '/routing/rules', { body: { rules: reordered }, headers: { 'if-match': current.headers.etag! } });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(current.body.version + 1);
    const stale = await call(admin, 'PUT', '/routing/rules', { body: { rules }, headers: { 'if-match': current.headers.etag! } });
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(current.body.version + 1);
    // with the order reversed, the emergency rule now comes first
    const r = await call(agent, 'POST', '/routing/test', { body: { case: { title: 'Smoke!', customerTier: 'vip' } } });
    expect(r.body.matched.ruleName).toBe('Printer emergencies');
    // put the original order back for the other transport's run
    const restore = await call(admin, 'PUT', '/routing/rules', { body: { rules }, headers: { 'if-match': saved.headers.etag! } });
    expect(restore.status).toBe(200);
  });
});
