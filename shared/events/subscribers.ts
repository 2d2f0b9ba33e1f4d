/**
 * The side effects hung on the event stream. Later features (SLA timers, mail, KPI aggregates,
 * sentiment) add a subscriber here; each must be idempotent.
 */
import { SqsWorkQueue } from '../adapters/aws/sqs-work-queue';
import { ROUTING_CASE_FIELDS, workloadDelta } from '../domain/routing';
import { logger } from '../http/logger';
import type { WorkQueue } from '../ports';
import { queueUrlVar } from '../work-queues';
import type { DomainEvent, Subscriber } from './domain-events';

/** A structured activity log line per domain event: the audit trail and the base for metrics. */
export const activityLog: Subscriber = {
  name: 'activity-log',
  async handle(e: DomainEvent) {
    if (e.type === 'timeline.appended')
      logger.info('activity', { event: e.type, eventId: e.eventId, caseId: e.entry.caseId, kind: e.entry.kind, visibility: e.entry.visibility });
    else
      logger.info('activity', {
        event: e.type,
        eventId: e.eventId,
        caseId: e.case.id,
        ticketNumber: e.case.ticketNumber,
        status: e.case.status,
        ...(e.type === 'case.changed' ? { changedFields: e.changedFields } : {}),
      });
  },
};

const READ_BY_RULES = new Set<string>(ROUTING_CASE_FIELDS);

/**
 * Asks for routing when an active case is created or reactivated, or, while nobody owns it yet,
 * changes in a field routing rules read. Once an agent owns a case, automation no longer moves
 * it (agents hand it on, or ask for routing, explicitly). Priority is both read and set by rules:
 * after the first decision a priority change is someone's deliberate choice and does not re-route,
 * so a rule cannot undo it. Routing's own write (it sets routedAt) never asks again, so rules
 * cannot loop. Redelivered stream records may send twice; the worker ignores a version it has
 * already routed.
 */
export function routeOnChange(queue: () => WorkQueue): Subscriber {
  return {
    name: 'route-on-change',
    async handle(e: DomainEvent) {
      if (e.type === 'timeline.appended' || e.case.state !== 'active') return;
      if (e.type === 'case.changed' && e.before.state === 'active') {
        if (e.changedFields.includes('routedAt') || e.case.ownerId) return;
        const triggers = e.changedFields.filter((f) => READ_BY_RULES.has(f) && !(f === 'priority' && e.before.routedAt));
        if (!triggers.length) return;
      }
      await queue().send({ caseId: e.case.id, version: e.case.version, reason: e.type });
    },
  };
}

/**
 * When an active case leaves its owner (resolved, cancelled, handed on), the owner has room again:
 * the routing worker offers them the waiting work of their automatically assigned queues. The
 * offer re-checks presence and capacity, so a redelivered message cannot overfill anyone.
 */
export function offerOnRelease(queue: () => WorkQueue): Subscriber {
  return {
    name: 'offer-on-release',
    async handle(e: DomainEvent) {
      if (e.type !== 'case.changed') return;
      for (const [agentId, delta] of workloadDelta(e.before, e.case))
        if (delta < 0) await queue().send({ agentId, reason: 'capacity-freed', caseId: e.case.id });
    },
  };
}

/**
 * Mail that events cause: an acknowledgement for every new case (any channel), each public
 * message an agent writes goes to the customer, and an SLA warning or breach that asks for it is
 * told to the owner or the queue's managers. The mail sender decides whether an automatic
 * mail may go (noise, hourly limit) and sends each at most once.
 */
export function mailOnChange(queue: () => WorkQueue): Subscriber {
  return {
    name: 'mail-on-change',
    async handle(e: DomainEvent) {
      if (e.type === 'case.created') await queue().send({ kind: 'ack', caseId: e.case.id });
      else if (e.type === 'timeline.appended' && e.entry.kind === 'sla' && e.entry.sla?.notify.length)
        await queue().send({ kind: 'sla_alert', caseId: e.entry.caseId, entryId: e.entry.id });
      else if (e.type === 'timeline.appended' && e.entry.kind === 'message' && e.entry.visibility === 'public' && e.entry.actor.kind === 'staff')
        await queue().send({ kind: 'reply', caseId: e.entry.caseId, entryId: e.entry.id, body: e.entry.body ?? '' });
    },
  };
}

/**
 * Every change of a case asks the SLA worker to recompute its clocks and re-arm its timer (the
 * worker writes only what changed, so a change that moves no clock costs reads only). The SLA
 * state lives in its own items, so the worker's writes do not come back here; its actions on the
 * case do, once, and find nothing more to do.
 */
export function slaOnChange(queue: () => WorkQueue): Subscriber {
  return {
    name: 'sla-on-change',
    async handle(e: DomainEvent) {
      if (e.type === 'case.created' || e.type === 'case.changed') await queue().send({ caseId: e.case.id, version: e.case.version });
    },
  };
}

let routingQueue: WorkQueue | undefined;
let outboundQueue: WorkQueue | undefined;
let slaQueue: WorkQueue | undefined;
/** Forget the queue URL read from the environment (the local runtime calls this on start). */
export function resetSubscriberQueues() {
  routingQueue = undefined;
  outboundQueue = undefined;
  slaQueue = undefined;
}
const routing = () => (routingQueue ??= SqsWorkQueue.fromEnv(queueUrlVar('routing')));
const outbound = () => (outboundQueue ??= SqsWorkQueue.fromEnv(queueUrlVar('outbound-mail')));
const sla = () => (slaQueue ??= SqsWorkQueue.fromEnv(queueUrlVar('sla')));
export const defaultSubscribers: Subscriber[] = [activityLog, routeOnChange(routing), offerOnRelease(routing), mailOnChange(outbound), slaOnChange(sla)];
