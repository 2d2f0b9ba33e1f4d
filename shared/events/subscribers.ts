/**
 * The side effects hung on the event stream. Later features (routing, SLA timers, mail, KPI
 * aggregates, sentiment) add a subscriber here; each must be idempotent.
 */
import { logger } from '../http/logger';
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

export const defaultSubscribers: Subscriber[] = [activityLog];
