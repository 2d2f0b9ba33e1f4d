/**
 * An SQS-fed Lambda: each record handled on its own; failures are reported in batchItemFailures
 * (Powertools' BatchProcessor), so SQS redelivers only them and, after maxReceiveCount, moves
 * them to the dead-letter queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

export function sqsWorker(handle: (record: SQSRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context) => processPartialResponse(event, handle, processor, { context });
}
