/**
 * The staff directory and the queues: admin CRUD with validation, presence (and what going offline
 * or coming back does to cases), live queue counts and the cases of a queue.
 */
import { type Actor, assignCase } from '../domain/case';
import {
  type AgentInput,
  type AgentPatch,
  type QueueInput,
  type QueuePatch,
  cannotDelete,
  deletionBlocker,
  makeAgent,
  makeQueue,
  patchAgent,
  patchQueue,
  roleHolder,
} from '../domain/directory';
import { DomainError, forbidden, isDomainError, notFound, preconditionFailed } from '../domain/errors';
import { isAdmin } from '../domain/principal';
import { type Presence, returnsCasesToQueue } from '../domain/routing/assignment';
import { logger } from '../http/logger';
import type { Agent, Queue, QueueView } from '../ports';
import { type Caller, requireAdmin, requireStaff } from './caller';
import type { Deps } from './deps';
import { offerWaitingWork } from './route-case';

const now = (deps: Deps) => deps.clock.now().toISOString();

// ---------------------------------------------------------------------------------------------
// Agents

export async function listAgents(deps: Deps, caller: Caller) {
  requireStaff(caller);
  return deps.directory.listAgents();
}

export async function getAgent(deps: Deps, caller: Caller, id: string) {
  requireStaff(caller);
  const a = await deps.directory.getAgent(id);
  if (!a) throw notFound('Agent');
  return a;
}

export async function addAgent(deps: Deps, caller: Caller, input: AgentInput) {
  requireAdmin(caller);
  const a = makeAgent(input, now(deps));
  await deps.directory.createAgent(a);
  return a;
}

/**
 * Admins change anything; managers only presence (to mark a colleague away). The agent's own
 * presence goes through `setMyPresence`.
 */
export async function updateAgent(deps: Deps, caller: Caller, id: string, patch: AgentPatch, ifMatch: number) {
  requireStaff(caller);
  const onlyPresence = Object.entries(patch).every(([k, v]) => k === 'presence' || v === undefined);
  if (!isAdmin(caller.principal) && !(onlyPresence && caller.principal.roles.includes('manager')))
    throw forbidden(onlyPresence ? 'Only managers and admins may set a colleague\'s presence.' : 'Only admins may change agents.');
  const a = await deps.directory.getAgent(id);
  if (!a) throw notFound('Agent');
  if (a.version !== ifMatch) throw preconditionFailed(a.version, 'agent');
  return applyAgentChange(deps, a, patch, caller.actor);
}

/** The signed-in staff member's own presence. Retried on a concurrent admin edit (no If-Match). */
export async function setMyPresence(deps: Deps, caller: Caller, presence: Presence) {
  requireStaff(caller);
  for (let attempt = 0; ; attempt++) {
    const a = await deps.directory.getAgent(caller.principal.sub);
    if (!a) throw new DomainError('not-found', 'You are not in the staff directory yet; ask an admin to add you.');
    try {
      return await applyAgentChange(deps, a, { presence }, caller.actor);
    } catch (e) {
      if (!(attempt < 3 && isDomainError(e) && e.kind === 'precondition-failed')) throw e;
    }
  }
}

async function applyAgentChange(deps: Deps, a: Agent, patch: AgentPatch, actor: Actor): Promise<Agent> {
  const next = patchAgent(a, patch, now(deps));
  if (!next) return a;
  await deps.directory.saveAgent(next, a.version);
  if (next.presence !== a.presence) {
    // the presence is saved: moving work is a follow-up whose failure must not turn this into an error
    try {
      if (returnsCasesToQueue(a.presence, next.presence, deps.config.offlinePolicy)) await returnOpenCases(deps, next, actor);
      else if (next.presence === 'available') await offerWaitingWork(deps, next.id);
    } catch (e) {
      logger.error('moving work after a presence change failed', { agentId: a.id, presence: next.presence, error: e as Error });
    }
  }
  return (await deps.directory.getAgent(a.id)) ?? next;
}

/**
 * An agent went offline and the policy says their work goes back: each active case they own is
 * unassigned (to its queue, or the default queue when it had none), with the reason in the timeline.
 * Bounded; each case is its own conditional write, so a case someone else just took is left alone.
 */
async function returnOpenCases(deps: Deps, agent: Agent, actor: Actor) {
  const queues = await deps.directory.listQueues();
  const fallback = queues.find((q) => q.role === 'default')?.id ?? null;
  const reason = `${agent.name} went offline: the case returns to its queue.`;
  for (let round = 0; round < 20; round++) {
    const page = await deps.cases.list({ ownerId: agent.id, state: 'active', limit: 50 });
    if (!page.items.length) return;
    let moved = 0;
    for (const c of page.items) {
      if (c.ownerId !== agent.id || c.state !== 'active') continue;
      const change = assignCase(c, { ownerId: null, queueId: c.queueId ?? fallback }, reason, actor, { now: now(deps), newId: () => deps.ids.id() });
      try {
        await deps.cases.save(change.case, change.entries, c, []);
        moved++;
      } catch (e) {
        if (!(isDomainError(e) && (e.kind === 'precondition-failed' || e.kind === 'not-found'))) throw e;
      }
    }
    if (!moved && !page.nextCursor) return;
  }
}

/**
 * Sets every agent's open-case count from the cases themselves (one count query per agent): for
 * data written before the counts existed, or after a repair. Not a request path.
 */
export async function recountWorkload(deps: Deps) {
  for (const a of await deps.directory.listAgents()) await deps.directory.setOpenCases(a.id, await deps.cases.countOpenOwned(a.id));
}

// ---------------------------------------------------------------------------------------------
// Queues

export async function listQueues(deps: Deps, caller: Caller, opts: { counts?: boolean } = {}) {
  requireStaff(caller);
  const queues = await deps.directory.listQueues();
  if (!opts.counts) return queues;
  return Promise.all(queues.map(async (q) => ({ ...q, counts: await deps.cases.queueCounts(q.id) })));
}

export async function getQueue(deps: Deps, caller: Caller, id: string) {
  requireStaff(caller);
  const q = await deps.directory.getQueue(id);
  if (!q) throw notFound('Queue');
  return { ...q, counts: await deps.cases.queueCounts(id) };
}

const agentIds = async (deps: Deps) => new Set((await deps.directory.listAgents()).map((a) => a.id));

export async function addQueue(deps: Deps, caller: Caller, input: QueueInput) {
  requireAdmin(caller);
  const [ids, queues] = await Promise.all([agentIds(deps), deps.directory.listQueues()]);
  const q = makeQueue(deps.ids.id(), input, ids, now(deps));
  const holder = roleHolder(q, queues);
  if (holder) {
    // created without the role first, then given it in one transaction with the demotion
    await deps.directory.createQueue({ ...q, role: null });
    await deps.directory.saveQueue(q, q.version, holder);
  } else await deps.directory.createQueue(q);
  return q;
}

export async function updateQueue(deps: Deps, caller: Caller, id: string, patch: QueuePatch, ifMatch: number) {
  requireAdmin(caller);
  const [q, ids, queues] = await Promise.all([deps.directory.getQueue(id), agentIds(deps), deps.directory.listQueues()]);
  if (!q) throw notFound('Queue');
  if (q.version !== ifMatch) throw preconditionFailed(q.version, 'queue');
  if (patch.role === null && q.role)
    throw new DomainError('conflict', `This is the ${q.role} queue; give the role to another queue instead of removing it.`, [
      { path: 'role', code: 'role_required', message: `there must be one ${q.role} queue` },
    ]);
  const next = patchQueue(q, patch, ids, now(deps));
  if (!next) return q;
  await deps.directory.saveQueue(next, q.version, next.role !== q.role ? roleHolder(next, queues) : undefined);
  return next;
}

export async function deleteQueue(deps: Deps, caller: Caller, id: string, ifMatch: number) {
  requireAdmin(caller);
  const [q, counts, rules] = await Promise.all([deps.directory.getQueue(id), deps.cases.queueCounts(id), deps.routing.getRuleSet()]);
  if (!q) throw notFound('Queue');
  if (q.version !== ifMatch) throw preconditionFailed(q.version, 'queue');
  const why = deletionBlocker(q, {
    activeCases: counts.waiting + counts.inProgress,
    ruleIds: rules.rules.filter((r) => r.actions?.queueId === id).map((r) => r.id),
  });
  if (why) throw cannotDelete(why);
  await deps.directory.deleteQueue(id, ifMatch);
}

export async function queueCases(deps: Deps, caller: Caller, id: string, q: { view: QueueView | 'all'; limit: number; cursor?: string }) {
  requireStaff(caller);
  if (!(await deps.directory.getQueue(id))) throw notFound('Queue');
  if (q.view === 'all') return deps.cases.list({ queueId: id, limit: q.limit, cursor: q.cursor });
  return deps.cases.inQueue(id, q.view, { limit: q.limit, cursor: q.cursor });
}

export type { Queue };
