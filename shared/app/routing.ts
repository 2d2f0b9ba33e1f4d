/**
 * Routing configuration and the dry run. The rule set is validated against the queues, subjects
 * and products that exist when it is saved; the dry run evaluates a case (stored or described)
 * against the saved rules or a draft, and changes nothing.
 */
import { type CaseType, type Origin, type Priority, patchCase } from '../domain/case';
import type { Language, Tier } from '../domain/customer';
import { DomainError, forbidden, isDomainError, notFound, preconditionFailed, validationError } from '../domain/errors';
import { isAdmin } from '../domain/principal';
import {
  type RoutingNames,
  type RoutingRefs,
  type RoutingRule,
  compileRuleSet,
  decideRouting,
  evaluate,
  routingFacts,
  validateRuleSet,
} from '../domain/routing';
import type { Queue } from '../ports';
import { routeCase } from './route-case';
import { type Caller, requireAdmin, requireStaff } from './caller';
import type { Deps } from './deps';

async function allProducts(deps: Deps) {
  const items: { id: string; name: string }[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await deps.catalog.listProducts({ limit: 100, cursor });
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}

/** What rules may refer to, with display names for explanations. */
export async function referenceData(deps: Deps): Promise<{ refs: RoutingRefs; names: RoutingNames; queues: Queue[] }> {
  const [queues, subjects, products, agents] = await Promise.all([deps.directory.listQueues(), deps.catalog.listSubjects(), allProducts(deps), deps.directory.listAgents()]);
  return {
    queues,
    refs: {
      queueIds: new Set(queues.map((q) => q.id)),
      subjectIds: new Set(subjects.map((s) => s.id)),
      productIds: new Set(products.map((p) => p.id)),
      agentIds: new Set(agents.map((a) => a.id)),
    },
    names: {
      queues: new Map(queues.map((q) => [q.id, q.name])),
      subjects: new Map(subjects.map((s) => [s.id, s.name])),
      products: new Map(products.map((p) => [p.id, p.name])),
      agents: new Map(agents.map((a) => [a.id, a.name])),
    },
  };
}

/** Managers and admins read the rules; agents see the outcome in each case's timeline. */
export async function readRuleSet(deps: Deps, caller: Caller) {
  if (!caller.principal.roles.some((r) => r === 'manager' || r === 'admin')) throw forbidden('Only managers and admins may read the routing rules.');
  return deps.routing.getRuleSet();
}

export async function replaceRuleSet(deps: Deps, caller: Caller, rules: unknown, ifMatch: number) {
  requireAdmin(caller);
  const { refs } = await referenceData(deps);
  const issues = validateRuleSet(rules, refs);
  if (issues.length) throw validationError('The routing rules are invalid; nothing was saved.', issues);
  const current = await deps.routing.getRuleSet();
  if (current.version !== ifMatch) throw preconditionFailed(current.version, 'rule set');
  return deps.routing.saveRuleSet(rules as RoutingRule[], ifMatch, caller.principal.sub, deps.clock.now().toISOString());
}

export interface DryRunCase {
  caseId?: string;
  title?: string;
  description?: string;
  caseType?: CaseType;
  priority?: Priority;
  origin?: Origin;
  subjectId?: string | null;
  productId?: string | null;
  customerId?: string;
  customerTier?: Tier;
  language?: Language;
}

/**
 * Which rule fires for a case and why, against the saved rules or `draft`. Reads only.
 * A stored case (`caseId`) supplies its own fields; any given field overrides it.
 */
export async function dryRun(deps: Deps, caller: Caller, input: { case: DryRunCase; rules?: unknown }) {
  requireStaff(caller);
  if (input.rules !== undefined && !isAdmin(caller.principal) && !caller.principal.roles.includes('manager'))
    throw forbidden('Only managers and admins may test draft rules.');
  const { refs, names, queues } = await referenceData(deps);
  let rules: RoutingRule[];
  if (input.rules !== undefined) {
    const issues = validateRuleSet(input.rules, refs, { path: 'rules' });
    if (issues.length) throw validationError('The draft rules are invalid.', issues);
    rules = input.rules as RoutingRule[];
  } else rules = (await deps.routing.getRuleSet()).rules;

  const given = input.case;
  const stored = given.caseId ? await deps.cases.get(given.caseId) : undefined;
  if (given.caseId && !stored) throw notFound('Case');
  const base = {
    title: given.title ?? stored?.title ?? '',
    description: given.description ?? stored?.description ?? '',
    caseType: given.caseType ?? stored?.caseType ?? 'question',
    priority: given.priority ?? stored?.priority ?? 'normal',
    origin: given.origin ?? stored?.origin ?? 'web',
    productId: given.productId !== undefined ? given.productId : (stored?.productId ?? null),
  };
  const subjectId = given.subjectId !== undefined ? given.subjectId : (stored?.subjectId ?? null);
  const subject = subjectId ? ((await deps.catalog.getSubject(subjectId)) ?? null) : null;
  if (subjectId && !subject)
    throw validationError('The subject does not exist.', [{ path: 'case.subjectId', code: 'unknown_reference', message: `no subject with id '${subjectId}'` }]);
  const customerId = given.customerId ?? stored?.customerId;
  const customer = customerId ? await deps.customers.get(customerId) : undefined;
  if (given.customerId && !customer)
    throw validationError('The customer does not exist.', [{ path: 'case.customerId', code: 'unknown_reference', message: `no customer with id '${given.customerId}'` }]);
  const facts = routingFacts(base, {
    subject,
    customer: { tier: given.customerTier ?? customer?.tier ?? 'standard', language: given.language ?? customer?.language ?? 'en' },
  });
  const result = evaluate(compileRuleSet(rules), facts, { trace: true });
  const defaultQueue = queues.find((q) => q.role === 'default');
  const decision = decideRouting(result, defaultQueue?.id ?? '', names);
  return {
    facts: { ...facts, title: undefined, description: undefined },
    matched: result.matched,
    skipped: result.skipped,
    evaluated: result.evaluated,
    trace: result.trace ?? [],
    decision: {
      ...decision,
      queueId: decision.queueId || null,
      queueName: names.queues?.get(decision.queueId) ?? null,
      agentName: decision.agentId ? (names.agents?.get(decision.agentId) ?? null) : null,
    },
  };
}

/**
 * Pick-next: hands the caller the most urgent, oldest unowned case of a queue. Each candidate is
 * claimed with a write conditional on the version read, so two pickers never get the same case:
 * the loser moves on to the next candidate. Bounded: a few candidates, a few rounds.
 */
export async function pickNext(deps: Deps, caller: Caller, queueId: string) {
  requireStaff(caller);
  const [queue, me] = await Promise.all([deps.directory.getQueue(queueId), deps.directory.getAgent(caller.principal.sub)]);
  if (!queue) throw notFound('Queue');
  if (!me) throw new DomainError('not-found', 'You are not in the staff directory yet; ask an admin to add you.');
  for (let round = 0; round < 5; round++) {
    const candidates = (await deps.cases.inQueue(queueId, 'waiting', { limit: 10 })).items;
    if (!candidates.length) break;
    for (const c of candidates) {
      if (c.ownerId || c.state !== 'active') continue; // the index lags a write by nothing, but be safe
      const change = patchCase(c, { ownerId: caller.principal.sub }, caller.actor, { now: deps.clock.now().toISOString(), newId: () => deps.ids.id() });
      try {
        await deps.cases.save(change.case, change.entries, c, []);
        return change.case;
      } catch (e) {
        if (!(isDomainError(e) && (e.kind === 'precondition-failed' || e.kind === 'not-found'))) throw e;
      }
    }
  }
  throw new DomainError('not-found', 'No case is waiting in this queue.');
}

/** Runs routing for one case now, even if its current version was routed already. */
export async function rerouteNow(deps: Deps, caller: Caller, caseId: string, ifMatch?: number) {
  requireStaff(caller);
  const c = await deps.cases.get(caseId);
  if (!c) throw notFound('Case');
  if (ifMatch !== undefined && c.version !== ifMatch) throw preconditionFailed(c.version);
  if (c.state !== 'active')
    throw new DomainError('invalid-transition', `A ${c.state} case is not routed; reactivate it first.`, [], { currentState: c.state });
  await routeCase(deps, { caseId, version: c.version, force: true });
  return (await deps.cases.get(caseId))!;
}
