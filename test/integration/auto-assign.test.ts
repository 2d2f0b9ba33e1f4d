/**
 * Automatic assignment on DynamoDB Local: after the rules pick the queue, the queue's strategy
 * picks an available member with free capacity, in the same conditional write. Capacity holds
 * under concurrency, redelivery assigns once, and presence changes move work as configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/app/caller';
import { openCase } from '../../shared/app/cases';
import type { Deps } from '../../shared/app/deps';
import { addAgent, addQueue, setMyPresence } from '../../shared/app/directory';
import { routeCase } from '../../shared/app/route-case';
import type { Case } from '../../shared/domain/case';
import type { RoutingRule } from '../../shared/domain/routing';
import { type Harness, harness } from '../support/harness';

let h: Harness;
let admin: Caller;
let customerId: string;
let ruleVersion: number;
const rules: RoutingRule[] = [];

const staff = (sub: string, roles: Caller['principal']['roles'] = ['agent']): Caller => ({
  principal: { sub, email: `${sub}@example.com`, roles },
  actor: { sub, kind: 'staff', email: `${sub}@example.com` },
  customerId: null,
});

beforeAll(async () => {
  h = await harness();
  const adminSub = (await h.deps.directory.listAgents()).find((a) => a.email === 'admin@example.com')!.id;
  admin = staff(adminSub, ['admin']);
  const customers = await h.deps.customers.list({ email: 'customer2@example.com', limit: 1 });
  customerId = customers.items[0]!.id;
  const set = await h.deps.routing.getRuleSet();
  rules.push(...set.rules);
  ruleVersion = set.version;
});
afterAll(async () => h?.close());

let n = 0;
/** A team of fresh agents and a queue with a rule sending cases whose title holds `tag` to it. */
async function team(strategy: 'round_robin' | 'least_loaded' | 'skills', agents: { capacity?: number; skills?: Record<string, number>; presence?: 'available' | 'offline' | 'busy' }[], requiredSkills: Record<string, number> = {}) {
  const tag = `team${++n}x`;
  const ids: string[] = [];
  for (const [i, a] of agents.entries()) {
    const id = crypto.randomUUID();
    await addAgent(h.deps, admin, { id, name: `${tag} agent ${i}`, email: `${tag}.${i}@example.com`, roles: ['agent'], capacity: a.capacity ?? 5, skills: a.skills ?? {}, teams: [], presence: a.presence ?? 'available' });
    ids.push(id);
  }
  const queue = await addQueue(h.deps, admin, { name: `${tag} queue`, strategy, members: ids, requiredSkills });
  rules.unshift({ id: tag, name: tag, enabled: true, order: n, conditions: { field: 'title', op: 'contains_any_word', value: [tag] }, actions: { queueId: queue.id } });
  ruleVersion = (await h.deps.routing.saveRuleSet(rules, ruleVersion, admin.principal.sub, new Date().toISOString())).version;
  return { tag, ids, queue };
}

const create = (title: string, priority: Case['priority'] = 'normal') => openCase(h.deps, admin, { title, description: 'd', customerId, priority });
const routed = async (c: Case) => {
  await routeCase(h.deps, { caseId: c.id, version: c.version });
  return (await h.deps.cases.get(c.id))!;
};
const openCases = async (id: string) => (await h.deps.directory.getAgent(id))!.openCases;
const routingEntries = async (id: string) => (await h.deps.cases.timeline(id, { publicOnly: false, limit: 100 })).items.filter((e) => e.kind === 'routing');

describe('automatic assignment', () => {
  it('round robin: members in turn, skipping those who are not available', async () => {
    const { tag, ids, queue } = await team('round_robin', [{}, { presence: 'busy' }, {}]);
    const owners: (string | null)[] = [];
    for (let i = 0; i < 4; i++) owners.push((await routed(await create(`${tag} case ${i}`))).ownerId);
    expect(owners).toEqual([ids[0], ids[2], ids[0], ids[2]]);
    expect((await h.deps.directory.getQueue(queue.id))!.lastAssignedAgentId).toBe(ids[2]);
    const explained = await routed(await create(`${tag} explained`));
    expect(explained.ownerId).toBe(ids[0]);
    const [entry] = await routingEntries(explained.id);
    expect(entry!.changes).toEqual(expect.arrayContaining([{ field: 'ownerId', from: null, to: ids[0] }]));
    expect(entry!.body).toMatch(/Assigned to .* \(round robin: /);
  });

  it('least loaded: the member with the lowest share of their capacity', async () => {
    const { tag, ids } = await team('least_loaded', [{ capacity: 4 }, { capacity: 10 }]);
    await openCase(h.deps, admin, { title: 'already hers', description: 'd', customerId, ownerId: ids[0] }); // 1 of 4
    const owners: (string | null)[] = [];
    for (let i = 0; i < 4; i++) owners.push((await routed(await create(`${tag} ${i}`))).ownerId);
    // shares: 0/10 < 1/4, 1/10 < 1/4, 2/10 < 1/4, then 3/10 > 1/4
    expect(owners).toEqual([ids[1], ids[1], ids[1], ids[0]]);
    expect([await openCases(ids[0]!), await openCases(ids[1]!)]).toEqual([2, 3]);
  });

  it('skills: only members with the required levels, the best match first', async () => {
    const { tag, ids } = await team('skills', [{ skills: { vip: 2 } }, { skills: { vip: 4, billing: 1 } }, { skills: { vip: 5 }, presence: 'offline' }], { vip: 3 });
    const c = await routed(await create(`${tag} vip`));
    expect(c.ownerId).toBe(ids[1]);
    const [entry] = await routingEntries(c.id);
    expect(entry!.body).toMatch(/skills: .* vip>=3/);
  });

  it('leaves the case waiting, and says why, when no member can take it', async () => {
    const { tag, queue } = await team('least_loaded', [{ presence: 'offline' }, { capacity: 0 }]);
    const c = await routed(await create(`${tag} nobody`));
    expect(c).toMatchObject({ queueId: queue.id, ownerId: null });
    const [entry] = await routingEntries(c.id);
    expect(entry!.body).toMatch(/No agent assigned: no member of queue .* can take a case: .* offline, .* no capacity/);
    expect(entry!.body).toContain(`${tag} agent 0 offline, ${tag} agent 1 no capacity`); // names, not ids
    expect((await h.deps.cases.inQueue(queue.id, 'waiting', { limit: 10 })).items.map((x) => x.id)).toEqual([c.id]);
  });

  it('never exceeds capacity when many cases are routed at once', async () => {
    const { tag, ids, queue } = await team('least_loaded', [{ capacity: 2 }]);
    const cases = await Promise.all(Array.from({ length: 6 }, (_, i) => create(`${tag} burst ${i}`)));
    await Promise.all(cases.map((c) => routeCase(h.deps, { caseId: c.id, version: c.version })));
    const after = await Promise.all(cases.map((c) => h.deps.cases.get(c.id)));
    expect(after.filter((c) => c!.ownerId === ids[0])).toHaveLength(2);
    expect(after.filter((c) => c!.ownerId === null && c!.queueId === queue.id)).toHaveLength(4);
    expect(await openCases(ids[0]!)).toBe(2);
    expect(await h.deps.cases.queueCounts(queue.id)).toMatchObject({ waiting: 4, inProgress: 2 });
  });

  it('a message delivered twice assigns once: one owner, one entry, one count', async () => {
    const { tag, ids } = await team('round_robin', [{}, {}]);
    const c = await create(`${tag} twice`);
    const results = await Promise.all([routeCase(h.deps, { caseId: c.id, version: 1 }), routeCase(h.deps, { caseId: c.id, version: 1 })]);
    expect(results.filter((r) => r.outcome === 'routed')).toHaveLength(1);
    await routeCase(h.deps, { caseId: c.id, version: 1 });
    const after = (await h.deps.cases.get(c.id))!;
    expect(ids).toContain(after.ownerId);
    expect(await routingEntries(c.id)).toHaveLength(1);
    expect((await openCases(ids[0]!)) + (await openCases(ids[1]!))).toBe(1);
  });
});

describe('rules that name an agent or ask for skills', () => {
  it('the named agent gets the case while available with room; otherwise the queue decides, and says why', async () => {
    const { tag, ids, queue } = await team('round_robin', [{}, {}]);
    const vipAgent = ids[1]!;
    rules[0] = { ...rules[0]!, actions: { queueId: queue.id, agentId: vipAgent } };
    ruleVersion = (await h.deps.routing.saveRuleSet(rules, ruleVersion, admin.principal.sub, new Date().toISOString())).version;
    const first = await routed(await create(`${tag} for the special agent`));
    expect(first.ownerId).toBe(vipAgent);
    expect((await routingEntries(first.id))[0]!.body).toMatch(/Assigned to .* agent 1, whom the rule names/);
    await setMyPresence(h.deps, staff(vipAgent), 'away');
    const second = await routed(await create(`${tag} while away`));
    expect(second.ownerId).toBe(ids[0]);
    expect((await routingEntries(second.id))[0]!.body).toMatch(/agent 1, whom the rule names, cannot take it \(away\); round robin/);
  });

  it('skills a rule asks for narrow the skills strategy', async () => {
    const { tag, ids, queue } = await team('skills', [{ skills: { persian: 1 } }, { skills: { persian: 5 } }]);
    rules[0] = { ...rules[0]!, actions: { queueId: queue.id, skills: { persian: 3 } } };
    ruleVersion = (await h.deps.routing.saveRuleSet(rules, ruleVersion, admin.principal.sub, new Date().toISOString())).version;
    const c = await routed(await create(`${tag} in Persian`));
    expect(c.ownerId).toBe(ids[1]);
    expect((await routingEntries(c.id))[0]!.body).toMatch(/persian>=3/);
  });
});

describe('presence', () => {
  it('coming back hands the waiting work of automatic queues to the agent, up to capacity, most urgent first', async () => {
    const { tag, ids, queue } = await team('round_robin', [{ presence: 'offline', capacity: 2 }]);
    const low = await routed(await create(`${tag} low`, 'low'));
    const urgent = await routed(await create(`${tag} urgent`, 'urgent'));
    const normal = await routed(await create(`${tag} normal`, 'normal'));
    expect([low.ownerId, urgent.ownerId, normal.ownerId]).toEqual([null, null, null]);
    const me = await setMyPresence(h.deps, staff(ids[0]!), 'available');
    expect(me).toMatchObject({ presence: 'available', openCases: 2 });
    expect((await h.deps.cases.get(urgent.id))!.ownerId).toBe(ids[0]);
    expect((await h.deps.cases.get(normal.id))!.ownerId).toBe(ids[0]);
    expect((await h.deps.cases.get(low.id))!.ownerId).toBeNull();
    expect(await h.deps.cases.queueCounts(queue.id)).toMatchObject({ waiting: 1, inProgress: 2 });
  });

  it('going offline keeps the cases by default, and returns them to their queues when configured', async () => {
    const { tag, ids, queue } = await team('round_robin', [{}]);
    const a = await routed(await create(`${tag} a`));
    const b = await routed(await create(`${tag} b`));
    expect([a.ownerId, b.ownerId]).toEqual([ids[0], ids[0]]);
    await setMyPresence(h.deps, staff(ids[0]!), 'offline');
    expect((await h.deps.cases.get(a.id))!.ownerId).toBe(ids[0]);
    await setMyPresence(h.deps, staff(ids[0]!), 'busy');
    const returning: Deps = { ...h.deps, config: { ...h.deps.config, offlinePolicy: 'return_to_queue' } };
    const me = await setMyPresence(returning, staff(ids[0]!), 'offline');
    expect(me.openCases).toBe(0);
    for (const id of [a.id, b.id]) {
      const c = (await h.deps.cases.get(id))!;
      expect(c).toMatchObject({ ownerId: null, queueId: queue.id });
      const tl = (await h.deps.cases.timeline(id, { publicOnly: false, limit: 100 })).items;
      expect(tl.at(-1)).toMatchObject({ kind: 'assignment', visibility: 'internal' });
      expect(tl.at(-1)!.body).toMatch(/went offline/);
    }
    expect(await h.deps.cases.queueCounts(queue.id)).toMatchObject({ waiting: 2, inProgress: 0 });
  });
});
