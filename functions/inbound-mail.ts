/**
 * Inbound mail: SQS batches of S3 object notifications (SES stored the raw mail; locally the SMTP
 * listener did). Each stored mail is processed on its own; a failure is reported in
 * batchItemFailures, so SQS redelivers only it and finally moves it to the dead-letter queue.
 * The mail's own record says `failed` with the reason, and an admin can replay it.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { defaultMailDeps } from '../shared/adapters/aws/mail-deps';
import { type InboundInput, processInbound } from '../shared/app/inbound-mail';
import type { MailDeps } from '../shared/app/mail-deps';
import { logger } from '../shared/http/logger';

interface S3Notification {
  Records?: { eventName?: string; s3?: { object?: { key?: string } } }[];
  Event?: string;
}

/** The stored objects an SQS record announces (an S3 test event announces none). */
export function storedMails(record: SQSRecord): InboundInput[] {
  const body = JSON.parse(record.body) as S3Notification;
  if (body.Event === 's3:TestEvent') return [];
  return (body.Records ?? [])
    .filter((r) => r.eventName?.startsWith('ObjectCreated') && r.s3?.object?.key)
    .map((r) => {
      // S3 URL-encodes keys in notifications, with + for spaces
      const blobKey = decodeURIComponent(r.s3!.object!.key!.replace(/\+/g, ' '));
      return { blobKey, deliveryId: blobKey.split('/').pop()!.replace(/\.eml$/, '') };
    });
}

export function makeInboundMailHandler(deps: () => MailDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context) =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
        for (const input of storedMails(record)) {
          const { outcome, record: rec } = await processInbound(deps(), input);
          logger.info('inbound mail', { messageId: record.messageId, intakeId: rec.id, outcome, caseId: rec.caseId });
        }
      },
      processor,
      { context },
    );
}

export const handler = makeInboundMailHandler(defaultMailDeps);
