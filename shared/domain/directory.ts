/**
 * The staff directory and the queues, as routing sees them: building and changing agents and
 * queues, with the checks that need more than a schema (members must be known agents, exactly
 * one queue per role). Pure: the use cases load what is needed and store the result.
 */
import { type FieldIssue, conflict, validationError } from './errors';
import { type AssignmentStrategy, type Presence, type RoutingAgent, type RoutingQueue, validateQueue } from './routing/assignment';

export interface Agent {
  id: string; // the identity provider's `sub`
  email: string;
  name: string;
  roles: string[];
  presence: Presence;
  presenceChangedAt: string | null;
  /** most open cases automatic assignment gives this agent */
  capacity: number;
  /** active cases the agent owns: kept by the case store in the same write as the case */
  openCases: number;
  /** skill name -> level 1..5 */
  skills: Record<string, number>;
  teams: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Queue {
  id: string;
  name: string;
  description: string | null;
  /** the queue unmatched cases go to, and the one escalations go to (one each) */
  role: 'default' | 'escalation' | null;
  strategy: AssignmentStrategy;
  /** agent ids, in round-robin order */
  members: string[];
  requiredSkills: Record<string, number>;
  /** the round-robin cursor: kept by the case store when it writes an automatic assignment */
  lastAssignedAgentId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const QUEUE_ROLES = ['default', 'escalation'] as const;
export type QueueRole = (typeof QUEUE_ROLES)[number];

export interface AgentInput {
  id: string;
  name: string;
  email: string;
  roles: string[];
  capacity: number;
  skills: Record<string, number>;
  teams: string[];
  presence: Presence;
}

export function makeAgent(input: AgentInput, now: string): Agent {
  return {
    id: input.id,
    name: input.name,
    email: input.email.toLowerCase(),
    roles: [...new Set(input.roles)],
    presence: input.presence,
    presenceChangedAt: now,
    capacity: input.capacity,
    openCases: 0,
    skills: { ...input.skills },
    teams: [...new Set(input.teams)],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

export type AgentPatch = Partial<Omit<AgentInput, 'id'>>;

/** The changed agent, or null when the patch changes nothing. */
export function patchAgent(a: Agent, patch: AgentPatch, now: string): Agent | null {
  const next: Agent = { ...a };
  let changed = false;
  for (const [k, v] of Object.entries(patch) as [keyof AgentPatch, unknown][]) {
    if (v === undefined) continue;
    const value = k === 'email' ? String(v).toLowerCase() : k === 'roles' || k === 'teams' ? [...new Set(v as string[])] : v;
    if (JSON.stringify(a[k]) === JSON.stringify(value)) continue;
    (next as unknown as Record<string, unknown>)[k] = value;
    changed = true;
  }
  if (!changed) return null;
  if (next.presence !== a.presence) next.presenceChangedAt = now;
  return { ...next, version: a.version + 1, updatedAt: now };
}

export interface QueueInput {
  name: string;
  description?: string | null;
  role?: QueueRole | null;
  strategy: AssignmentStrategy;
  members: string[];
  requiredSkills: Record<string, number>;
}

function checkQueue(q: Queue, agentIds: ReadonlySet<string>) {
  const issues: FieldIssue[] = validateQueue(q, { agentIds }, '').map((i) => ({ ...i, path: i.path.replace(/^\./, '') }));
  if (issues.length) throw validationError('The queue is invalid; nothing was saved.', issues);
}

export function makeQueue(id: string, input: QueueInput, agentIds: ReadonlySet<string>, now: string): Queue {
  const q: Queue = {
    id,
    name: input.name,
    description: input.description ?? null,
    role: input.role ?? null,
    strategy: input.strategy,
    members: input.members,
    requiredSkills: { ...input.requiredSkills },
    lastAssignedAgentId: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  checkQueue(q, agentIds);
  return q;
}

export type QueuePatch = Partial<QueueInput>;

export function patchQueue(q: Queue, patch: QueuePatch, agentIds: ReadonlySet<string>, now: string): Queue | null {
  const next: Queue = { ...q };
  let changed = false;
  for (const [k, v] of Object.entries(patch) as [keyof QueuePatch, unknown][]) {
    if (v === undefined) continue;
    if (JSON.stringify(q[k]) === JSON.stringify(v)) continue;
    (next as unknown as Record<string, unknown>)[k] = v;
    changed = true;
  }
  if (!changed) return null;
  // a member who left is no longer the round-robin cursor
  if (next.lastAssignedAgentId && !next.members.includes(next.lastAssignedAgentId)) next.lastAssignedAgentId = null;
  checkQueue(next, agentIds);
  return { ...next, version: q.version + 1, updatedAt: now };
}

/** The queue that holds `role` today, other than `q` itself: it loses the role when `q` takes it. */
export function roleHolder(q: Queue, all: readonly Queue[]): Queue | undefined {
  if (!q.role) return undefined;
  return all.find((o) => o.id !== q.id && o.role === q.role);
}

/** Why a queue cannot be deleted, or null. */
export function deletionBlocker(q: Queue, ctx: { activeCases: number; ruleIds: string[] }): string | null {
  if (q.role) return `it is the ${q.role} queue; give the role to another queue first`;
  if (ctx.activeCases) return `it has ${ctx.activeCases} active case(s); move them first`;
  if (ctx.ruleIds.length) return `routing rule(s) ${ctx.ruleIds.join(', ')} send cases to it`;
  return null;
}

export const cannotDelete = (why: string) => conflict(`The queue cannot be deleted: ${why}.`);

/** The routing view of directory records. */
export const routingAgent = (a: Agent): RoutingAgent => ({
  id: a.id,
  presence: a.presence,
  capacity: a.capacity,
  openCases: Math.max(0, a.openCases),
  skills: a.skills,
  teams: a.teams,
});

export const routingQueue = (q: Queue): RoutingQueue => ({
  id: q.id,
  name: q.name,
  strategy: q.strategy,
  members: q.members,
  requiredSkills: q.requiredSkills,
  lastAssignedAgentId: q.lastAssignedAgentId,
});
