/** Agents and queues as routing sees them: building, changing, roles, deletion and workload. */
import { describe, expect, it } from 'vitest';
import { deletionBlocker, makeAgent, makeQueue, patchAgent, patchQueue, roleHolder, routingAgent } from '../../shared/domain/directory';
import { DomainError } from '../../shared/domain/errors';
import { workloadDelta } from '../../shared/domain/routing';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';
const agentIds = new Set(['a', 'b', 'c']);

const agent = makeAgent({ id: 'a', name: 'Ann', email: 'Ann@Example.com', roles: ['agent', 'agent'], capacity: 5, skills: { printers: 3 }, teams: ['IT', 'IT'], presence: 'offline' }, T0);
const queue = makeQueue('q1', { name: 'IT', strategy: 'round_robin', members: ['a', 'b'], requiredSkills: {} }, agentIds, T0);

function thrown(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('agents', () => {
  it('start at version 1 with no open cases, a lower-case e-mail and no repeated roles or teams', () => {
    expect(agent).toMatchObject({ email: 'ann@example.com', roles: ['agent'], teams: ['IT'], openCases: 0, version: 1, presenceChangedAt: T0 });
  });

  it('change only what differs; presence changes are stamped', () => {
    expect(patchAgent(agent, { capacity: 5, skills: { printers: 3 } }, T1)).toBeNull();
    const busy = patchAgent(agent, { presence: 'busy' }, T1)!;
    expect(busy).toMatchObject({ presence: 'busy', presenceChangedAt: T1, version: 2, updatedAt: T1 });
    const skilled = patchAgent(agent, { skills: { printers: 4 } }, T1)!;
    expect(skilled).toMatchObject({ skills: { printers: 4 }, presenceChangedAt: T0, version: 2 });
  });

  it('a negative stored count (never expected) reads as zero for routing', () => {
    expect(routingAgent({ ...agent, openCases: -2 }).openCases).toBe(0);
  });
});

describe('queues', () => {
  it('refuse unknown and repeated members with their paths', () => {
    const e = thrown(() => makeQueue('q2', { name: 'X', strategy: 'skills', members: ['a', 'zz', 'a'], requiredSkills: { vip: 7 } }, agentIds, T0));
    expect(e.kind).toBe('validation');
    expect(e.errors.map((i) => `${i.path} ${i.code}`)).toEqual(['members[1] unknown_reference', 'members[2] duplicate', 'requiredSkills.vip invalid_value']);
  });

  it('patch bumps the version, and a member who leaves stops being the round-robin cursor', () => {
    const withCursor = { ...queue, lastAssignedAgentId: 'b' };
    expect(patchQueue(withCursor, { members: ['a', 'b'] }, agentIds, T1)).toBeNull();
    const next = patchQueue(withCursor, { members: ['a', 'c'] }, agentIds, T1)!;
    expect(next).toMatchObject({ members: ['a', 'c'], lastAssignedAgentId: null, version: 2, updatedAt: T1 });
    expect(patchQueue(withCursor, { members: ['b', 'c'] }, agentIds, T1)!.lastAssignedAgentId).toBe('b');
    expect(() => patchQueue(queue, { members: ['ghost'] }, agentIds, T1)).toThrow(DomainError);
  });

  it('a role has one holder: the queue taking it learns who loses it', () => {
    const general = { ...queue, id: 'g', role: 'default' as const };
    const escalation = { ...queue, id: 'e', role: 'escalation' as const };
    const all = [general, escalation, queue];
    expect(roleHolder({ ...queue, role: 'default' }, all)?.id).toBe('g');
    expect(roleHolder({ ...queue, role: null }, all)).toBeUndefined();
    expect(roleHolder(general, all)).toBeUndefined(); // already the holder
  });

  it('deletion is blocked by a role, active cases or rules, in that order', () => {
    expect(deletionBlocker({ ...queue, role: 'escalation' }, { activeCases: 3, ruleIds: ['r'] })).toMatch(/escalation queue/);
    expect(deletionBlocker(queue, { activeCases: 3, ruleIds: ['r'] })).toMatch(/3 active case/);
    expect(deletionBlocker(queue, { activeCases: 0, ruleIds: ['vip', 'x'] })).toMatch(/vip, x/);
    expect(deletionBlocker(queue, { activeCases: 0, ruleIds: [] })).toBeNull();
  });
});

describe('workload', () => {
  const open = (ownerId: string | null, state = 'active') => ({ ownerId, state });
  it.each([
    ['a new unowned case', null, open(null), []],
    ['a new owned case', null, open('a'), [['a', 1]]],
    ['a hand-over', open('a'), open('b'), [['a', -1], ['b', 1]]],
    ['unassigning', open('a'), open(null), [['a', -1]]],
    ['resolving', open('a'), open('a', 'resolved'), [['a', -1]]],
    ['reactivating', open('a', 'resolved'), open('a'), [['a', 1]]],
    ['a resolved case handed over', open('a', 'resolved'), open('b', 'resolved'), []],
    ['an edit', open('a'), open('a'), []],
  ] as const)('%s', (_, before, after, expected) => {
    expect([...workloadDelta(before, after)]).toEqual(expected);
  });
});
