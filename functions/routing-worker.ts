/**
 * The routing worker: SQS batches of { caseId, version } from the events function. Each record
 * is routed on its own; a failed record is reported in batchItemFailures so SQS redelivers only
 * it (and, after maxReceiveCount, moves it to the dead-letter queue).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { defaultDeps } from '../shared/adapters/aws/deps';
import type { Deps } from '../shared/app/deps';
import { type RouteRequest, routeCase } from '../shared/app/route-case';
import { logger } from '../shared/http/logger';

function parse(record: SQSRecord): RouteRequest {
  const body = JSON.parse(record.body) as Partial<RouteRequest>;
  if (typeof body.caseId !== 'string' || typeof body.version !== 'number') throw new Error('not a routing request');
  return { caseId: body.caseId, version: body.version };
}

export function makeRoutingWorker(deps: () => Deps) {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context) =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const result = await routeCase(deps(), parse(record));
        logger.info('routing', { messageId: record.messageId, ...result });
      },
      processor,
      { context },
    );
}

export const handler = makeRoutingWorker(defaultDeps);
