/**
 * Outbound mail: SQS batches of { kind: 'ack' | 'reply' | 'sla_alert', caseId, ... } from the events function.
 * Each is sent at most once (the use case claims a marker first); a failure is retried by SQS.
 */
import type { SQSRecord } from 'aws-lambda';
import { defaultMailDeps } from '../shared/adapters/aws/mail-deps';
import type { MailDeps } from '../shared/app/mail-deps';
import { type OutboundRequest, sendOutbound } from '../shared/app/outbound-mail';
import { sqsWorker } from '../shared/events/sqs-worker';
import { logger } from '../shared/http/logger';

function parse(record: SQSRecord): OutboundRequest {
  const body = JSON.parse(record.body) as Partial<OutboundRequest> & Record<string, unknown>;
  if (body.kind === 'ack' && typeof body.caseId === 'string') return { kind: 'ack', caseId: body.caseId };
  if (body.kind === 'refusal' && typeof body.intakeId === 'string' && typeof body.to === 'string')
    return { kind: 'refusal', intakeId: body.intakeId, to: body.to, language: body.language === 'fa' ? 'fa' : 'en' };
  if (body.kind === 'sla_alert' && typeof body.caseId === 'string' && typeof body.entryId === 'string')
    return { kind: 'sla_alert', caseId: body.caseId, entryId: body.entryId };
  if (body.kind === 'reply' && typeof body.caseId === 'string' && typeof body.entryId === 'string' && typeof body.body === 'string')
    return { kind: 'reply', caseId: body.caseId, entryId: body.entryId, body: body.body };
  throw new Error('not an outbound mail request');
}

export function makeMailSender(deps: () => MailDeps) {
  return sqsWorker(async (record: SQSRecord) => {
    const req = parse(record);
    const result = await sendOutbound(deps(), req);
    logger.info('outbound mail', { messageId: record.messageId, kind: req.kind, ...('caseId' in req ? { caseId: req.caseId } : {}), ...result });
  });
}

export const handler = makeMailSender(defaultMailDeps);
