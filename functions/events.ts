/**
 * The table's stream consumer: the one place side effects hang on. Each record's domain events go
 * to every subscriber; a record whose subscriber fails is reported in `batchItemFailures`, so the
 * event source retries from it (and after that the on-failure destination keeps it).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type Subscriber, toDomainEvents } from '../shared/events/domain-events';
import { defaultSubscribers } from '../shared/events/subscribers';
import { logger } from '../shared/http/logger';

export function makeEventsHandler(subscribers: Subscriber[]) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      try {
        for (const e of toDomainEvents(record)) for (const s of subscribers) await s.handle(e);
      } catch (error) {
        logger.error('stream record failed', { error: error as Error, eventID: record.eventID });
        // records of one shard are ordered: stop here and let the source retry from this one
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

export const handler = makeEventsHandler(defaultSubscribers);
