import { describe, expect, it } from 'vitest';
import type { Priority } from '../../../shared/domain/case';
import {
  type PickCandidate,
  type RoutingAgent,
  type RoutingQueue,
  chooseAgent,
  comparePickOrder,
  ineligibility,
  mergeSkills,
  pickNext,
  pickOrderKey,
  priorityRank,
  returnsCasesToQueue,
  skillScore,
  validateAgent,
  validateQueue,
} from '../../../shared/domain/routing';
import { prng } from './support';

const agent = (id: string, over: Partial<RoutingAgent> = {}): RoutingAgent => ({ id, presence: 'available', capacity: 5, openCases: 0, skills: {}, teams: ['it'], ...over });
const queue = (over: Partial<RoutingQueue> = {}): RoutingQueue => ({ id: 'q', name: 'IT', strategy: 'round_robin', members: ['a', 'b', 'c', 'd'], lastAssignedAgentId: null, ...over });

describe('eligibility', () => {
  it.each([
    [agent('x'), null],
    [agent('x', { presence: 'busy' }), 'busy'],
    [agent('x', { presence: 'away' }), 'away'],
    [agent('x', { presence: 'offline' }), 'offline'],
    [agent('x', { openCases: 5 }), 'at capacity (5/5)'],
    [agent('x', { openCases: 7 }), 'at capacity (7/5)'],
    [agent('x', { capacity: 0 }), 'no capacity'],
  ])('%o -> %s', (a, expected) => {
    expect(ineligibility(a)).toBe(expected);
  });
});

describe('manual', () => {
  it('never assigns: agents pick', () => {
    expect(chooseAgent(queue({ strategy: 'manual' }), [agent('a')])).toEqual({ agentId: null, reason: 'queue IT is manual: agents pick cases themselves' });
  });
});

describe('round robin', () => {
  const agents = [agent('a'), agent('b'), agent('c'), agent('d')];
  it('starts at the first member without a cursor', () => {
    expect(chooseAgent(queue(), agents)).toEqual({ agentId: 'a', reason: 'round robin: a is the first available member' });
  });
  it('takes the next member after the cursor', () => {
    expect(chooseAgent(queue({ lastAssignedAgentId: 'b' }), agents)).toEqual({ agentId: 'c', reason: 'round robin: c is the next available member after b' });
  });
  it('wraps after the last member', () => {
    expect(chooseAgent(queue({ lastAssignedAgentId: 'd' }), agents).agentId).toBe('a');
  });
  it('skips offline, away, busy and full agents, wrapping', () => {
    const mixed = [agent('a', { presence: 'offline' }), agent('b'), agent('c', { openCases: 5 }), agent('d', { presence: 'away' })];
    expect(chooseAgent(queue({ lastAssignedAgentId: 'b' }), mixed).agentId).toBe('b');
    expect(chooseAgent(queue({ lastAssignedAgentId: 'c' }), mixed).agentId).toBe('b');
    const busy = [agent('a'), agent('b', { presence: 'busy' }), agent('c', { openCases: 5 }), agent('d', { presence: 'offline' })];
    expect(chooseAgent(queue({ lastAssignedAgentId: 'a' }), busy).agentId).toBe('a');
  });
  it('a whole cycle hands each eligible member one case in member order', () => {
    let q = queue({ lastAssignedAgentId: 'c' });
    const got: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { agentId } = chooseAgent(q, [agent('a'), agent('b', { presence: 'offline' }), agent('c'), agent('d')]);
      got.push(agentId!);
      q = { ...q, lastAssignedAgentId: agentId };
    }
    expect(got).toEqual(['d', 'a', 'c', 'd', 'a', 'c', 'd', 'a']);
  });
  it('a cursor that left the queue restarts at the first member', () => {
    expect(chooseAgent(queue({ lastAssignedAgentId: 'gone' }), agents).agentId).toBe('a');
  });
  it('ignores agents who are not members, unknown member ids and repeated members', () => {
    const q = queue({ members: ['ghost', 'b', 'b', 'c'], lastAssignedAgentId: 'b' });
    expect(chooseAgent(q, [agent('a'), agent('b'), agent('c', { presence: 'offline' })]).agentId).toBe('b');
  });
  it('accepts a Map of agents', () => {
    expect(chooseAgent(queue({ lastAssignedAgentId: 'a' }), new Map(agents.map((a) => [a.id, a]))).agentId).toBe('b');
  });
  it('nobody eligible: null with the reason per member', () => {
    const none = [agent('a', { presence: 'offline' }), agent('b', { openCases: 5 }), agent('c', { presence: 'away' }), agent('d', { presence: 'busy' })];
    expect(chooseAgent(queue(), none)).toEqual({
      agentId: null,
      reason: 'no member of queue IT can take a case: a offline, b at capacity (5/5), c away, d busy',
    });
    expect(chooseAgent(queue({ members: [] }), none)).toEqual({ agentId: null, reason: 'no member of queue IT can take a case: it has no members' });
  });
});

describe('least loaded', () => {
  const q = queue({ strategy: 'least_loaded' });
  it('lowest open/capacity ratio wins', () => {
    const agents = [agent('a', { openCases: 2, capacity: 4 }), agent('b', { openCases: 3, capacity: 10 }), agent('c', { openCases: 1, capacity: 2 }), agent('d', { openCases: 0, capacity: 5, presence: 'offline' })];
    expect(chooseAgent(q, agents)).toEqual({ agentId: 'b', reason: 'least loaded: b has 3 of 10 open cases' });
  });
  it('equal ratios: fewer open cases, then id', () => {
    expect(chooseAgent(q, [agent('a', { openCases: 2, capacity: 4 }), agent('b', { openCases: 1, capacity: 2 })]).agentId).toBe('b');
    expect(chooseAgent(q, [agent('d', { openCases: 1, capacity: 3 }), agent('c', { openCases: 1, capacity: 3 })]).agentId).toBe('c');
  });
  it('compares ratios exactly (1/3 vs 2/6 are equal, then fewer open wins)', () => {
    expect(chooseAgent(q, [agent('a', { openCases: 2, capacity: 6 }), agent('b', { openCases: 1, capacity: 3 })]).agentId).toBe('b');
  });
  it('full agents are never chosen', () => {
    expect(chooseAgent(q, [agent('a', { openCases: 5, capacity: 5 }), agent('b', { openCases: 9, capacity: 10 })]).agentId).toBe('b');
  });
  it('is independent of the agents list order', () => {
    const agents = [agent('a', { openCases: 1 }), agent('b', { openCases: 1 }), agent('c', { openCases: 2 })];
    expect(chooseAgent(q, agents).agentId).toBe('a');
    expect(chooseAgent(q, [...agents].reverse()).agentId).toBe('a');
  });
});

describe('skills', () => {
  const q = queue({ strategy: 'skills', requiredSkills: { printers: 3 } });
  it('only agents meeting every required level; best score wins', () => {
    const agents = [
      agent('a', { skills: { printers: 2, persian: 5 } }),
      agent('b', { skills: { printers: 3 } }),
      agent('c', { skills: { printers: 5 }, openCases: 4 }),
      agent('d', { skills: { printers: 5 }, presence: 'offline' }),
    ];
    expect(chooseAgent(q, agents)).toEqual({ agentId: 'c', reason: 'skills: c has printers>=3 with the best score 5, and 4 of 5 open cases' });
  });
  it('case skills add to the queue requirements (the higher level wins)', () => {
    expect(mergeSkills({ printers: 3, english: 2 }, { printers: 2, persian: 4 })).toEqual({ printers: 3, english: 2, persian: 4 });
    const agents = [agent('a', { skills: { printers: 5 } }), agent('b', { skills: { printers: 3, persian: 4 } })];
    expect(chooseAgent(q, agents, { persian: 4 }).agentId).toBe('b');
    expect(chooseAgent(q, agents, { printers: 1 }).agentId).toBe('a');
  });
  it('equal scores: least loaded, then id', () => {
    const agents = [agent('a', { skills: { printers: 4 }, openCases: 2 }), agent('b', { skills: { printers: 4 }, openCases: 1 }), agent('c', { skills: { printers: 4 }, openCases: 1 })];
    expect(chooseAgent(q, agents).agentId).toBe('b');
    expect(chooseAgent(q, [agents[0]!, agents[2]!]).agentId).toBe('c');
  });
  it('the score sums the levels on the required skills only', () => {
    expect(skillScore(agent('a', { skills: { printers: 4, persian: 5, billing: 5 } }), { printers: 1, persian: 1 })).toBe(9);
    const agents = [agent('a', { skills: { printers: 3, billing: 5 } }), agent('b', { skills: { printers: 4 } })];
    expect(chooseAgent(q, agents).agentId).toBe('b');
  });
  it('nobody qualified: null, naming the requirements', () => {
    expect(chooseAgent(q, [agent('a', { skills: { printers: 2 } })], { persian: 3 })).toEqual({ agentId: null, reason: 'skills: no available member of queue IT has persian>=3, printers>=3' });
  });
  it('no requirements at all: least loaded', () => {
    const r = chooseAgent(queue({ strategy: 'skills' }), [agent('a', { openCases: 3 }), agent('b', { openCases: 1 })]);
    expect(r).toEqual({ agentId: 'b', reason: 'skills: none required, so least loaded: b has 1 of 5 open cases' });
  });
  it('a skill that is missing or not a number counts as 0', () => {
    expect(chooseAgent(q, [agent('a', { skills: { printers: Number.NaN } }), agent('b', { skills: { printers: 3 } })]).agentId).toBe('b');
  });
});

describe('pick order', () => {
  const c = (id: string, priority: Priority, createdAt: string): PickCandidate => ({ id, priority, createdAt });
  it('ranks urgent > high > normal > low', () => {
    expect(['low', 'normal', 'high', 'urgent'].map((p) => priorityRank(p as Priority))).toEqual([0, 1, 2, 3]);
  });
  it('most urgent first, then oldest, then id', () => {
    const list = [
      c('n-old', 'normal', '2026-01-01T08:00:00.000Z'),
      c('u-new', 'urgent', '2026-01-03T08:00:00.000Z'),
      c('h-b', 'high', '2026-01-02T08:00:00.000Z'),
      c('h-a', 'high', '2026-01-02T08:00:00.000Z'),
      c('u-old', 'urgent', '2026-01-02T08:00:00.000Z'),
      c('l', 'low', '2025-01-01T00:00:00.000Z'),
      c('h-older', 'high', '2026-01-01T23:59:59.999Z'),
    ];
    expect([...list].sort(comparePickOrder).map((x) => x.id)).toEqual(['u-old', 'u-new', 'h-older', 'h-a', 'h-b', 'n-old', 'l']);
    expect(pickNext(list)?.id).toBe('u-old');
    expect(pickNext([])).toBeNull();
  });
  it('compares instants, not strings, when offsets differ', () => {
    expect(comparePickOrder(c('a', 'normal', '2026-01-01T10:00:00+02:00'), c('b', 'normal', '2026-01-01T09:00:00Z'))).toBeLessThan(0);
  });
  it('the storage key sorts like the comparator', () => {
    const r = prng(99);
    const list = Array.from({ length: 300 }, (_, i) =>
      c(`case-${r.int(50)}-${i}`, r.pick(['low', 'normal', 'high', 'urgent'] as const), new Date(Date.UTC(2026, 0, 1) + r.int(5) * 3_600_000).toISOString()),
    );
    const byComparator = [...list].sort(comparePickOrder).map((x) => x.id);
    const byKey = [...list].sort((a, b) => (pickOrderKey(a) < pickOrderKey(b) ? -1 : 1)).map((x) => x.id);
    expect(byKey).toEqual(byComparator);
    expect(pickOrderKey(c('x', 'urgent', '2026-01-01T00:00:00.000Z'))).toBe('0#2026-01-01T00:00:00.000Z#x');
  });
});

describe('presence changes', () => {
  it('keeps cases by default, returns them only when configured and going offline', () => {
    expect(returnsCasesToQueue('available', 'offline', 'keep')).toBe(false);
    expect(returnsCasesToQueue('available', 'offline', 'return_to_queue')).toBe(true);
    expect(returnsCasesToQueue('busy', 'away', 'return_to_queue')).toBe(false);
    expect(returnsCasesToQueue('offline', 'offline', 'return_to_queue')).toBe(false);
  });
});

describe('admin validation', () => {
  it('agents', () => {
    expect(validateAgent(agent('a', { skills: { printers: 5 } }))).toEqual([]);
    expect(validateAgent({ id: '', presence: 'lunch', capacity: -1, openCases: 1.5, skills: { printers: 6, ' ': 2 }, teams: 'it' }).map((i) => i.path)).toEqual([
      'agent.id',
      'agent.presence',
      'agent.capacity',
      'agent.openCases',
      'agent.skills.printers',
      'agent.skills. ',
      'agent.teams',
    ]);
  });
  it('queues', () => {
    const agentIds = new Set(['a', 'b']);
    expect(validateQueue(queue({ members: ['a', 'b'], requiredSkills: { printers: 3 } }), { agentIds })).toEqual([]);
    expect(validateQueue({ id: 'q', name: '', strategy: 'random', members: ['a', 'zz', 'a'], requiredSkills: { printers: 0 } }, { agentIds }).map((i) => [i.path, i.code])).toEqual([
      ['queue.name', 'required'],
      ['queue.strategy', 'invalid_value'],
      ['queue.members[1]', 'unknown_reference'],
      ['queue.members[2]', 'duplicate'],
      ['queue.requiredSkills.printers', 'invalid_value'],
    ]);
  });
});
