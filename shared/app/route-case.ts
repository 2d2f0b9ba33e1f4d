/**
 * Routing a case: the rules pick the queue (or the default queue), set priority and tags; then,
 * for a case nobody owns, the queue's strategy picks an agent among its available members with
 * free capacity. Queue, owner and the explained decision are one conditional write, which also
 * moves the agent's open-case count, re-checks (inside the write) that the agent is still
 * available with room, and moves the queue's round-robin cursor. Idempotent: a message for a case
 * version that was already routed, or for a case no longer active, changes nothing.
 */
import { type Case, applyRouting, assignCase } from '../domain/case';
import { routingAgent, routingQueue } from '../domain/directory';
import { isDomainError } from '../domain/errors';
import { type CompiledRuleSet, chooseAgent, compileRuleSet, decideRouting, evaluate, ineligibility, isEligible, routingFacts } from '../domain/routing';
import type { Agent, Queue } from '../ports';
import type { Deps } from './deps';

export interface RouteRequest {
  caseId: string;
  /** the case version whose change asked for routing */
  version: number;
  /** route again even if this version was routed (an agent's "re-run routing") */
  force?: boolean;
}

export type RouteResult =
  | { outcome: 'routed'; queueId: string | null; ruleId: string | null; ownerId: string | null }
  | { outcome: 'skipped'; reason: string };

/** Compiled rules, per process, by rule-set version. */
let compiled: { version: number; set: CompiledRuleSet } | undefined;

const ROUTING_ACTOR = { sub: 'routing', kind: 'system' } as const;
const isLostRace = (e: unknown) =>
  isDomainError(e) && (e.kind === 'precondition-failed' || (e.kind === 'conflict' && e.extra.reason === 'agent-unavailable'));

interface Assignment {
  ownerId: string | null;
  /** the queue whose round-robin cursor moves (a strategy's choice, not a rule's named agent) */
  cursorQueueId: string | null;
  text: string;
}

/**
 * The agent for an unowned case: the one a rule names when they are available with room, else the
 * queue's strategy (with the skills the rule asks for), with the sentence for the timeline.
 */
function assignmentFor(c: Case, queue: Queue | undefined, agents: Agent[], rule: { agentId: string | null; skills: Record<string, number> }): Assignment {
  const none: Assignment = { ownerId: null, cursorQueueId: null, text: '' };
  if (c.ownerId) return none;
  const byId = new Map(agents.map((a) => [a.id, a]));
  let preface = '';
  if (rule.agentId) {
    const named = byId.get(rule.agentId);
    const why = named ? ineligibility(routingAgent(named)) : 'not in the directory';
    if (!why) return { ownerId: rule.agentId, cursorQueueId: null, text: `\nAssigned to ${named!.name}, whom the rule names.` };
    preface = `${named?.name ?? rule.agentId}, whom the rule names, cannot take it (${why}); `;
  }
  if (!queue) return { ...none, text: preface ? `\nNo agent assigned: ${preface}and there is no queue.` : '' };
  const choice = chooseAgent(routingQueue(queue), agents.map(routingAgent), rule.skills);
  // the strategies speak in ids; people read names
  const names = new Map(agents.filter((a) => queue.members.includes(a.id)).map((a) => [a.id, a.name]));
  const reason = preface + [...names].reduce((text, [id, name]) => text.replaceAll(id, name), choice.reason);
  if (!choice.agentId) return { ...none, text: `\nNo agent assigned: ${reason}.` };
  return { ownerId: choice.agentId, cursorQueueId: queue.id, text: `\nAssigned to ${names.get(choice.agentId) ?? choice.agentId} (${reason}).` };
}

export async function routeCase(deps: Deps, req: RouteRequest): Promise<RouteResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await deps.cases.get(req.caseId);
    if (!c) return { outcome: 'skipped', reason: 'case not found' };
    if (c.state !== 'active') return { outcome: 'skipped', reason: `case is ${c.state}` };
    if (!req.force && c.routedVersion !== null && c.routedVersion >= req.version) return { outcome: 'skipped', reason: 'already routed for this change' };

    const ruleSet = await deps.routing.getRuleSet();
    if (compiled?.version !== ruleSet.version) compiled = { version: ruleSet.version, set: compileRuleSet(ruleSet.rules) };
    const [subject, customer, queues, agents] = await Promise.all([
      c.subjectId ? deps.catalog.getSubject(c.subjectId) : Promise.resolve(undefined),
      deps.customers.get(c.customerId),
      deps.directory.listQueues(),
      c.ownerId ? Promise.resolve([] as Agent[]) : deps.directory.listAgents(),
    ]);
    const facts = routingFacts(c, {
      subject: subject ?? null,
      customer: { tier: customer?.tier ?? 'standard', language: customer?.language ?? 'en' },
      tags: c.tags,
    });
    const result = evaluate(compiled.set, facts);
    const defaultQueue = queues.find((q) => q.role === 'default');
    const names = { queues: new Map(queues.map((q) => [q.id, q.name])), agents: new Map(agents.map((a) => [a.id, a.name])) };
    const decision = decideRouting(result, defaultQueue?.id ?? '', names);
    const queueId = decision.queueId || c.queueId;
    const queue = queues.find((q) => q.id === queueId);
    const assignment = assignmentFor(c, queue, agents, decision);
    const change = applyRouting(
      c,
      { queueId: decision.queueId || null, ownerId: assignment.ownerId, priority: decision.priority, tags: decision.tags, text: decision.text + assignment.text },
      { now: deps.clock.now().toISOString(), newId: () => deps.ids.id() },
    );
    try {
      const guard = assignment.ownerId ? { requireAvailable: true, ...(assignment.cursorQueueId ? { queueCursor: assignment.cursorQueueId } : {}) } : undefined;
      await deps.cases.save(change.case, change.entries, c, [], guard);
      return { outcome: 'routed', queueId: change.case.queueId, ruleId: decision.ruleId, ownerId: assignment.ownerId };
    } catch (e) {
      // the case changed, or the agent filled up or left meanwhile: decide again on fresh facts
      if (!isLostRace(e)) throw e;
    }
  }
  throw new Error(`could not route case ${req.caseId}: it kept changing`);
}

/**
 * An agent became available: the waiting cases of their automatically assigned queues come to
 * them, most urgent and oldest first, up to their free capacity (at most `max`). Each hand-over is
 * a guarded conditional write, so a case someone picked meanwhile, or an agent who filled up or
 * went away, simply ends the offer. Returns the ids of the cases assigned.
 */
export async function offerWaitingWork(deps: Deps, agentId: string, max = 20): Promise<string[]> {
  const assigned: string[] = [];
  const queues = (await deps.directory.listQueues()).filter((q) => q.strategy !== 'manual' && q.members.includes(agentId));
  for (const queue of queues) {
    const waiting = await deps.cases.inQueue(queue.id, 'waiting', { limit: Math.min(max, 25) });
    for (const c of waiting.items) {
      if (assigned.length >= max) return assigned;
      const agent = await deps.directory.getAgent(agentId);
      if (!agent || !isEligible(routingAgent(agent))) return assigned;
      if (c.ownerId || c.state !== 'active') continue;
      const change = assignCase(c, { ownerId: agentId }, `${agent.name} has room for another case: the most urgent, oldest waiting case of ${queue.name} goes to them.`, ROUTING_ACTOR, {
        now: deps.clock.now().toISOString(),
        newId: () => deps.ids.id(),
      });
      try {
        await deps.cases.save(change.case, change.entries, c, [], { requireAvailable: true, queueCursor: queue.id });
        assigned.push(c.id);
      } catch (e) {
        if (!isLostRace(e)) throw e;
        if (isDomainError(e) && e.kind === 'conflict') return assigned;
      }
    }
  }
  return assigned;
}
