/**
 * The routing worker: SQS batches from the events function, each record one of
 * - `{ caseId, version }`: route the case (queue by the rules, then an agent by the queue's strategy);
 * - `{ agentId }`: an agent has room again; offer them waiting work of their queues.
 * Each record is handled on its own; a failed record is reported in batchItemFailures so SQS
 * redelivers only it (and, after maxReceiveCount, moves it to the dead-letter queue).
 */
import type { SQSRecord } from 'aws-lambda';
import { defaultDeps } from '../shared/adapters/aws/deps';
import type { Deps } from '../shared/app/deps';
import { type RouteRequest, offerWaitingWork, routeCase } from '../shared/app/route-case';
import { sqsWorker } from '../shared/events/sqs-worker';
import { logger } from '../shared/http/logger';

type Work = { route: RouteRequest } | { offerTo: string };

function parse(record: SQSRecord): Work {
  const body = JSON.parse(record.body) as Partial<RouteRequest> & { agentId?: unknown };
  if (typeof body.agentId === 'string') return { offerTo: body.agentId };
  if (typeof body.caseId !== 'string' || typeof body.version !== 'number') throw new Error('not a routing request');
  return { route: { caseId: body.caseId, version: body.version } };
}

export function makeRoutingWorker(deps: () => Deps) {
  return sqsWorker(async (record: SQSRecord) => {
    const work = parse(record);
    if ('offerTo' in work) {
      const assigned = await offerWaitingWork(deps(), work.offerTo);
      logger.info('offer', { messageId: record.messageId, agentId: work.offerTo, assigned: assigned.length });
    } else {
      const result = await routeCase(deps(), work.route);
      logger.info('routing', { messageId: record.messageId, ...result });
    }
  });
}

export const handler = makeRoutingWorker(defaultDeps);
