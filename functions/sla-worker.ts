/**
 * The SLA worker: SQS batches from the events function, each record `{ caseId }` of a case that
 * changed (or `{ recompute: 'open-cases', cursor }` after the policies changed: one page of open
 * cases asked for, and the next page). Recomputes the case's KPI instances, acts on thresholds already crossed (once), and
 * re-arms the case's timer when its next instant moved. A failed record is reported in
 * batchItemFailures so SQS redelivers only it.
 */
import type { SQSRecord } from 'aws-lambda';
import { defaultDeps } from '../shared/adapters/aws/deps';
import type { Deps } from '../shared/app/deps';
import { recomputeOpenCases, refreshCaseSla } from '../shared/app/sla-state';
import { sqsWorker } from '../shared/events/sqs-worker';
import { logger } from '../shared/http/logger';

export function makeSlaWorker(deps: () => Deps) {
  return sqsWorker(async (record: SQSRecord) => {
    const body = JSON.parse(record.body) as { caseId?: unknown; recompute?: unknown; cursor?: unknown };
    if (body.recompute === 'open-cases') {
      const out = await recomputeOpenCases(deps(), typeof body.cursor === 'string' ? body.cursor : undefined);
      logger.info('sla recompute', { messageId: record.messageId, ...out });
      return;
    }
    if (typeof body.caseId !== 'string') throw new Error('not an SLA request: caseId missing');
    const result = await refreshCaseSla(deps(), body.caseId);
    logger.info('sla', { messageId: record.messageId, caseId: body.caseId, ...result });
  });
}

export const handler = makeSlaWorker(defaultDeps);
