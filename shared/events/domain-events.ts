/**
 * Turning table stream records into domain events. The stream is the outbox: every committed
 * change arrives here at least once, so subscribers must be idempotent (use `eventId`).
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { Case, TimelineEntry } from '../domain/case';
import { caseFromItem, timelineFromItem } from '../adapters/aws/dynamodb/case-store';

export type DomainEvent =
  | { type: 'case.created'; eventId: string; case: Case }
  | { type: 'case.changed'; eventId: string; case: Case; before: Case; changedFields: string[] }
  | { type: 'timeline.appended'; eventId: string; entry: TimelineEntry };

const image = (img: Record<string, unknown> | undefined) =>
  img ? unmarshall(img as Record<string, AttributeValue> as never) : undefined;

export function toDomainEvents(record: DynamoDBRecord): DomainEvent[] {
  const eventId = record.eventID ?? `${record.dynamodb?.SequenceNumber}`;
  const next = image(record.dynamodb?.NewImage as Record<string, unknown> | undefined);
  const prev = image(record.dynamodb?.OldImage as Record<string, unknown> | undefined);
  const entity = (next ?? prev)?.entity;
  if (entity === 'case' && next) {
    const c = caseFromItem(next);
    if (record.eventName === 'INSERT' || !prev) {
      // the entries written with a new case travel inside its item; they are appended all the same
      const created = (next.creationEntries as TimelineEntry[] | undefined) ?? [];
      return [
        { type: 'case.created', eventId, case: c },
        ...created.map((entry, i) => ({ type: 'timeline.appended' as const, eventId: `${eventId}#${i}`, entry })),
      ];
    }
    const before = caseFromItem(prev);
    const changedFields = Object.keys(c).filter(
      (k) => JSON.stringify((c as unknown as Record<string, unknown>)[k]) !== JSON.stringify((before as unknown as Record<string, unknown>)[k]),
    );
    return [{ type: 'case.changed', eventId, case: c, before, changedFields }];
  }
  if (entity === 'timeline' && next && record.eventName === 'INSERT')
    return [{ type: 'timeline.appended', eventId, entry: timelineFromItem(next) }];
  return [];
}

export interface Subscriber {
  name: string;
  handle(event: DomainEvent): Promise<void>;
}
