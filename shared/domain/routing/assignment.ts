/**
 * Assignment inside a queue: which agent gets a routed case, and the order in which agents pick
 * waiting cases. Pure and deterministic: the caller loads the queue and its agents, and writes the
 * result with a conditional update (a case never has two owners). The chosen agent becomes the
 * queue's new round-robin cursor (`lastAssignedAgentId`).
 */
import { PRIORITIES, type Priority } from '../case';
import type { FieldIssue } from '../errors';

export const PRESENCES = ['available', 'busy', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

/**
 * - `manual`: nobody is assigned automatically; agents pick from the queue;
 * - `round_robin`: the next eligible member after the last one assigned, in member order, wrapping;
 * - `least_loaded`: the lowest openCases / capacity, then fewer open cases, then id;
 * - `skills`: members meeting every required skill level; the highest skill score (sum of the
 *   agent's levels on the required skills), then least loaded as above.
 */
export const STRATEGIES = ['manual', 'round_robin', 'least_loaded', 'skills'] as const;
export type AssignmentStrategy = (typeof STRATEGIES)[number];

export const SKILL_LEVEL_MIN = 1;
export const SKILL_LEVEL_MAX = 5;

/** What assignment needs to know about an agent. */
export interface RoutingAgent {
  id: string;
  presence: Presence;
  /** maximum open cases */
  capacity: number;
  /** current open cases */
  openCases: number;
  /** skill name -> level 1..5 */
  skills: Readonly<Record<string, number>>;
  teams: readonly string[];
}

export interface RoutingQueue {
  id: string;
  name: string;
  strategy: AssignmentStrategy;
  /** agent ids, in round-robin order */
  members: readonly string[];
  /** minimum levels for the skills strategy (merged with the case's own requirements) */
  requiredSkills?: Readonly<Record<string, number>>;
  /** round-robin cursor: the agent who got the previous assignment */
  lastAssignedAgentId?: string | null;
}

export type AgentChoice = { agentId: string; reason: string } | { agentId: null; reason: string };

/** Why an agent cannot receive an automatic assignment, or null when they can. */
export function ineligibility(agent: RoutingAgent): string | null {
  if (agent.presence !== 'available') return agent.presence;
  if (!(agent.capacity > 0)) return 'no capacity';
  if (!(agent.openCases < agent.capacity)) return `at capacity (${agent.openCases}/${agent.capacity})`;
  return null;
}

/** Only available agents with free capacity receive automatic assignments. */
export const isEligible = (agent: RoutingAgent) => ineligibility(agent) === null;

/** Load order: lower openCases/capacity first (compared exactly), then fewer open cases, then id. */
export function compareLoad(a: RoutingAgent, b: RoutingAgent): number {
  return a.openCases * b.capacity - b.openCases * a.capacity || a.openCases - b.openCases || compareIds(a.id, b.id);
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const load = (a: RoutingAgent) => `${a.openCases} of ${a.capacity} open cases`;

/** Requirements of the queue and of the case together: the higher level wins per skill. */
export function mergeSkills(...sets: (Readonly<Record<string, number>> | undefined | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const set of sets)
    if (set)
      for (const [skill, level] of Object.entries(set)) if (Number.isFinite(level) && !(out[skill]! >= level)) out[skill] = level;
  return out;
}

const levelOf = (agent: RoutingAgent, skill: string) => {
  const v = agent.skills && Object.hasOwn(agent.skills, skill) ? agent.skills[skill] : 0;
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
};

/** Sum of the agent's levels on the required skills (higher is a better match). */
export function skillScore(agent: RoutingAgent, required: Readonly<Record<string, number>>): number {
  let score = 0;
  for (const skill of Object.keys(required)) score += levelOf(agent, skill);
  return score;
}

export const meetsSkills = (agent: RoutingAgent, required: Readonly<Record<string, number>>) =>
  Object.entries(required).every(([skill, level]) => levelOf(agent, skill) >= level);

const showSkills = (required: Readonly<Record<string, number>>) =>
  Object.entries(required)
    .sort(([a], [b]) => compareIds(a, b))
    .map(([s, l]) => `${s}>=${l}`)
    .join(', ');

/**
 * Picks the agent for a case entering `queue`. Only the queue's members are considered, and
 * only those available with free capacity. Unknown member ids are ignored. `caseSkills` adds the
 * case's own requirements for the skills strategy.
 */
export function chooseAgent(
  queue: RoutingQueue,
  agents: readonly RoutingAgent[] | ReadonlyMap<string, RoutingAgent>,
  caseSkills?: Readonly<Record<string, number>>,
): AgentChoice {
  if (queue.strategy === 'manual') return { agentId: null, reason: `queue ${queue.name} is manual: agents pick cases themselves` };
  const byId = isMap(agents) ? agents : new Map(agents.map((a) => [a.id, a] as const));
  const members: RoutingAgent[] = [];
  const seen = new Set<string>();
  for (const id of queue.members) {
    if (seen.has(id)) continue;
    seen.add(id);
    const a = byId.get(id);
    if (a) members.push(a);
  }
  const eligible = members.filter(isEligible);
  if (!eligible.length) return { agentId: null, reason: `no member of queue ${queue.name} can take a case: ${whyNone(members)}` };

  switch (queue.strategy) {
    case 'round_robin': {
      const cursor = queue.lastAssignedAgentId ?? null;
      const at = cursor === null ? -1 : members.findIndex((m) => m.id === cursor);
      const n = members.length;
      for (let k = 1; k <= n; k++) {
        const m = members[(at + k) % n]!;
        if (isEligible(m))
          return {
            agentId: m.id,
            reason: at < 0 ? `round robin: ${m.id} is the first available member` : `round robin: ${m.id} is the next available member after ${cursor}`,
          };
      }
      break; // unreachable: eligible is not empty
    }
    case 'least_loaded': {
      const best = [...eligible].sort(compareLoad)[0]!;
      return { agentId: best.id, reason: `least loaded: ${best.id} has ${load(best)}` };
    }
    case 'skills': {
      const required = mergeSkills(queue.requiredSkills, caseSkills);
      if (!Object.keys(required).length) {
        const best = [...eligible].sort(compareLoad)[0]!;
        return { agentId: best.id, reason: `skills: none required, so least loaded: ${best.id} has ${load(best)}` };
      }
      const qualified = eligible.filter((a) => meetsSkills(a, required));
      if (!qualified.length) return { agentId: null, reason: `skills: no available member of queue ${queue.name} has ${showSkills(required)}` };
      const scored = qualified.map((a) => ({ a, score: skillScore(a, required) }));
      scored.sort((x, y) => y.score - x.score || compareLoad(x.a, y.a));
      const best = scored[0]!;
      return { agentId: best.a.id, reason: `skills: ${best.a.id} has ${showSkills(required)} with the best score ${best.score}, and ${load(best.a)}` };
    }
  }
  return { agentId: null, reason: `unknown strategy ${String(queue.strategy)}` };
}

const isMap = (x: unknown): x is ReadonlyMap<string, RoutingAgent> => x instanceof Map;

function whyNone(members: RoutingAgent[]): string {
  if (!members.length) return 'it has no members';
  const shown = members.slice(0, 10).map((m) => `${m.id} ${ineligibility(m)}`);
  if (members.length > 10) shown.push(`and ${members.length - 10} more`);
  return shown.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Pick order: most urgent first, then oldest, then id

/** urgent 3 > high 2 > normal 1 > low 0 */
export const priorityRank = (p: Priority): number => PRIORITIES.indexOf(p);

export interface PickCandidate {
  id: string;
  priority: Priority;
  /** ISO-8601 */
  createdAt: string;
}

/** Comparator for "pick next": negative when `a` is picked before `b`. */
export function comparePickOrder(a: PickCandidate, b: PickCandidate): number {
  const byPriority = priorityRank(b.priority) - priorityRank(a.priority);
  if (byPriority) return byPriority;
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  const byAge = Number.isFinite(ta) && Number.isFinite(tb) ? ta - tb : compareIds(a.createdAt, b.createdAt);
  return byAge || compareIds(a.id, b.id);
}

/** The case to hand out next, or null when there is none. */
export function pickNext<T extends PickCandidate>(cases: readonly T[]): T | null {
  let best: T | null = null;
  for (const c of cases) if (best === null || comparePickOrder(c, best) < 0) best = c;
  return best;
}

/**
 * A string whose ascending order is the pick order, for a sort key in storage (e.g. a queue
 * index): `<3 - rank>#<createdAt>#<id>`. `createdAt` must be UTC ISO-8601 with fixed width
 * (`toISOString()`), as the case aggregate stores it.
 */
export const pickOrderKey = (c: PickCandidate) => `${PRIORITIES.length - 1 - priorityRank(c.priority)}#${c.createdAt}#${c.id}`;

// ---------------------------------------------------------------------------------------------
// Presence changes

/** What happens to an agent's open cases when they go offline: kept (default) or returned. */
export const OFFLINE_POLICIES = ['keep', 'return_to_queue'] as const;
export type OfflinePolicy = (typeof OFFLINE_POLICIES)[number];

/** True when the presence change should send the agent's open cases back to their queues. */
export const returnsCasesToQueue = (from: Presence, to: Presence, policy: OfflinePolicy) =>
  policy === 'return_to_queue' && to === 'offline' && from !== 'offline';

// ---------------------------------------------------------------------------------------------
// Validation for admin writes

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function checkSkills(skills: unknown, p: string, issues: FieldIssue[]) {
  if (!isRecord(skills)) {
    issues.push({ path: p, code: 'invalid_type', message: 'must be an object of skill name -> level' });
    return;
  }
  for (const [skill, level] of Object.entries(skills)) {
    if (!skill.trim() || skill.length > 64) issues.push({ path: `${p}.${skill}`, code: 'invalid_value', message: 'a skill name has 1 to 64 characters' });
    if (typeof level !== 'number' || !Number.isInteger(level) || level < SKILL_LEVEL_MIN || level > SKILL_LEVEL_MAX)
      issues.push({ path: `${p}.${skill}`, code: 'invalid_value', message: `a skill level is a whole number from ${SKILL_LEVEL_MIN} to ${SKILL_LEVEL_MAX}` });
  }
}

/** Checks an agent's routing settings. */
export function validateAgent(agent: unknown, path = 'agent'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isRecord(agent)) return [{ path, code: 'invalid_type', message: 'must be an agent object' }];
  if (typeof agent.id !== 'string' || !agent.id.trim()) issues.push({ path: `${path}.id`, code: 'required', message: 'is required' });
  if (!(PRESENCES as readonly unknown[]).includes(agent.presence))
    issues.push({ path: `${path}.presence`, code: 'invalid_value', message: `must be one of ${PRESENCES.join(', ')}` });
  if (!isCount(agent.capacity)) issues.push({ path: `${path}.capacity`, code: 'invalid_value', message: 'must be a whole number, 0 or more' });
  if (!isCount(agent.openCases)) issues.push({ path: `${path}.openCases`, code: 'invalid_value', message: 'must be a whole number, 0 or more' });
  checkSkills(agent.skills, `${path}.skills`, issues);
  if (!Array.isArray(agent.teams) || agent.teams.some((t) => typeof t !== 'string' || !t.trim()))
    issues.push({ path: `${path}.teams`, code: 'invalid_type', message: 'must be a list of team names' });
  return issues;
}

/** Checks a queue; members must be known agents. */
export function validateQueue(queue: unknown, refs: { agentIds: ReadonlySet<string> }, path = 'queue'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isRecord(queue)) return [{ path, code: 'invalid_type', message: 'must be a queue object' }];
  if (typeof queue.id !== 'string' || !queue.id.trim()) issues.push({ path: `${path}.id`, code: 'required', message: 'is required' });
  if (typeof queue.name !== 'string' || !queue.name.trim()) issues.push({ path: `${path}.name`, code: 'required', message: 'is required' });
  if (!(STRATEGIES as readonly unknown[]).includes(queue.strategy))
    issues.push({ path: `${path}.strategy`, code: 'invalid_value', message: `must be one of ${STRATEGIES.join(', ')}` });
  if (!Array.isArray(queue.members)) issues.push({ path: `${path}.members`, code: 'invalid_type', message: 'must be a list of agent ids' });
  else {
    const seen = new Set<unknown>();
    queue.members.forEach((m, i) => {
      if (typeof m !== 'string' || !refs.agentIds.has(m))
        issues.push({ path: `${path}.members[${i}]`, code: 'unknown_reference', message: `unknown agent ${JSON.stringify(m)}` });
      else if (seen.has(m)) issues.push({ path: `${path}.members[${i}]`, code: 'duplicate', message: `agent ${m} is listed twice` });
      seen.add(m);
    });
  }
  if (queue.requiredSkills !== undefined && queue.requiredSkills !== null) checkSkills(queue.requiredSkills, `${path}.requiredSkills`, issues);
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Workload: the open-case counts a case write moves

/** What the workload counts need from a case. */
export interface OwnedCase {
  state: string;
  ownerId: string | null;
}

const openOwner = (c: OwnedCase | null | undefined) => (c && c.state === 'active' && c.ownerId ? c.ownerId : null);

/**
 * Changes to agents' open-case counts when a case goes from `before` (null: a new case) to
 * `after`: -1 for the owner an active case leaves (or who resolves or cancels it), +1 for the
 * owner it reaches (or who reactivates it). Empty when nothing moves.
 */
export function workloadDelta(before: OwnedCase | null, after: OwnedCase): Map<string, number> {
  const from = openOwner(before);
  const to = openOwner(after);
  const delta = new Map<string, number>();
  if (from === to) return delta;
  if (from) delta.set(from, -1);
  if (to) delta.set(to, 1);
  return delta;
}
