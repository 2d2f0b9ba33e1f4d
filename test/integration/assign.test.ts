/** Manual hand-over, re-running routing, and "my cases". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, type Harness, harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h?.close());

describe.each(['in-process', 'http'] as const)('assign, route, my cases (%s)', (transport) => {
  let call: Call;
  let agent1: string;
  let agent2: string;
  let agent2Id: string;
  let queues: Record<string, string>;
  let customer2Id: string;
  beforeAll(async () => {
    call = h.transports[transport];
    agent1 = await h.token('agent1@example.com');
    agent2 = await h.token('agent2@example.com');
    agent2Id = (await call(agent2, 'GET', '/me')).body.sub;
    queues = Object.fromEntries((await call(agent1, 'GET', '/queues')).body.items.map((q: { name: string; id: string }) => [q.name, q.id]));
    customer2Id = (await call(agent1, 'GET', '/customers?email=customer2@example.com')).body.items[0].id;
  });

  it('hands a case to a colleague and a queue with a reason, which only staff see', async () => {
    const c = (await call(agent1, 'POST', '/cases', { body: { title: 'Hand me over', description: 'd', customerId: customer2Id } })).body;
    const r = await call(agent1, 'POST', `/cases/${c.id}/assign`, { body: { ownerId: agent2Id, queueId: queues['IT support'], reason: 'Tom knows this printer model' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ownerId: agent2Id, queueId: queues['IT support'] });
    const tl = (await call(agent1, 'GET', `/cases/${c.id}/timeline`)).body.items;
    const entry = tl.find((e: { kind: string }) => e.kind === 'assignment');
    expect(entry).toMatchObject({ visibility: 'internal', body: 'Tom knows this printer model' });
    const mine = await call(agent2, 'GET', '/me/cases?state=active');
    expect(mine.body.items.map((x: { id: string }) => x.id)).toContain(c.id);
    expect((await call(agent1, 'GET', '/me/cases')).body.items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    const customer = await h.token('customer2@example.com');
    expect((await call(customer, 'POST', `/cases/${c.id}/assign`, { body: { ownerId: agent2Id } })).status).toBe(403);
    expect((await call(customer, 'GET', '/me/cases')).body.items.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('refuses unknown agents and queues, an empty hand-over, and stale versions', async () => {
    const c = (await call(agent1, 'POST', '/cases', { body: { title: 'Bad hand-over', description: 'd', customerId: customer2Id } })).body;
    const ghost = '00000000-0000-4000-8000-000000000000';
    const r = await call(agent1, 'POST', `/cases/${c.id}/assign`, { body: { ownerId: ghost, queueId: ghost } });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['ownerId', 'queueId']);
    expect((await call(agent1, 'POST', `/cases/${c.id}/assign`, { body: {} })).status).toBe(400);
    expect((await call(agent1, 'POST', `/cases/${c.id}/assign`, { body: { ownerId: agent2Id }, headers: { 'if-match': '"7"' } })).status).toBe(412);
    expect((await call(agent1, 'GET', `/cases/${c.id}`)).body).toMatchObject({ ownerId: null, queueId: null, version: 1 });
  });

  it('re-runs routing on demand and explains it', async () => {
    const c = (await call(agent1, 'POST', '/cases', { body: { title: 'Need a training course', description: 'd', customerId: customer2Id } })).body;
    const r = await call(agent1, 'POST', `/cases/${c.id}/route`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ queueId: queues.Education, routedVersion: 1, version: 2 });
    const again = await call(agent1, 'POST', `/cases/${c.id}/route`);
    expect(again.body).toMatchObject({ routedVersion: 2, version: 3 }); // forced: routes the current version again
    const decisions = (await call(agent1, 'GET', `/cases/${c.id}/timeline`)).body.items.filter((e: { kind: string }) => e.kind === 'routing');
    expect(decisions).toHaveLength(2);
    expect(decisions[0].body).toContain("Rule 'Training questions'");
    await call(agent1, 'POST', `/cases/${c.id}/cancel`);
    expect((await call(agent1, 'POST', `/cases/${c.id}/route`)).status).toBe(409);
  });
});
