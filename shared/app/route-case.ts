/**
 * Routing a case: the rules pick the queue (or the default queue), set priority and tags, and the
 * decision is written with its explanation. Idempotent: a message for a case version that was
 * already routed, or for a case no longer active, changes nothing.
 */
import { applyRouting } from '../domain/case';
import { isDomainError } from '../domain/errors';
import { type CompiledRuleSet, compileRuleSet, decideRouting, evaluate, routingFacts } from '../domain/routing';
import type { Deps } from './deps';

export interface RouteRequest {
  caseId: string;
  /** the case version whose change asked for routing */
  version: number;
  /** route again even if this version was routed (an agent's "re-run routing") */
  force?: boolean;
}

export type RouteResult =
  | { outcome: 'routed'; queueId: string | null; ruleId: string | null }
  | { outcome: 'skipped'; reason: string };

/** Compiled rules, per process, by rule-set version. */
let compiled: { version: number; set: CompiledRuleSet } | undefined;

export async function routeCase(deps: Deps, req: RouteRequest): Promise<RouteResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const c = await deps.cases.get(req.caseId);
    if (!c) return { outcome: 'skipped', reason: 'case not found' };
    if (c.state !== 'active') return { outcome: 'skipped', reason: `case is ${c.state}` };
    if (!req.force && c.routedVersion !== null && c.routedVersion >= req.version) return { outcome: 'skipped', reason: 'already routed for this change' };

    const ruleSet = await deps.routing.getRuleSet();
    if (compiled?.version !== ruleSet.version) compiled = { version: ruleSet.version, set: compileRuleSet(ruleSet.rules) };
    const [subject, customer, queues] = await Promise.all([
      c.subjectId ? deps.catalog.getSubject(c.subjectId) : Promise.resolve(undefined),
      deps.customers.get(c.customerId),
      deps.directory.listQueues(),
    ]);
    const facts = routingFacts(c, {
      subject: subject ?? null,
      customer: { tier: customer?.tier ?? 'standard', language: customer?.language ?? 'en' },
      tags: c.tags,
    });
    const result = evaluate(compiled.set, facts);
    const defaultQueue = queues.find((q) => q.role === 'default');
    const names = { queues: new Map(queues.map((q) => [q.id, q.name])) };
    const decision = decideRouting(result, defaultQueue?.id ?? '', names);
    const change = applyRouting(c, { queueId: decision.queueId || null, priority: decision.priority, tags: decision.tags, text: decision.text }, {
      now: deps.clock.now().toISOString(),
      newId: () => deps.ids.id(),
    });
    try {
      await deps.cases.save(change.case, change.entries, c.version, []);
      return { outcome: 'routed', queueId: change.case.queueId, ruleId: decision.ruleId };
    } catch (e) {
      // someone changed the case meanwhile: read it again and decide on fresh facts
      if (!(isDomainError(e) && e.kind === 'precondition-failed')) throw e;
    }
  }
  throw new Error(`could not route case ${req.caseId}: it kept changing`);
}
