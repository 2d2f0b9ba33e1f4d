/**
 * Inbound mail: SQS batches announcing stored raw mail. Two shapes are understood:
 * - SES receipt notifications (the S3 action's SNS notification, with or without the SNS
 *   envelope): the object key plus SES's verdicts (spam, virus, DMARC with its policy) and the
 *   envelope recipients, which the stored mail alone does not carry;
 * - plain S3 object-created notifications (verdicts then come from the stored headers only).
 * Each stored mail is processed on its own; a failure is reported in batchItemFailures, so SQS
 * redelivers only it and finally moves it to the dead-letter queue. The mail's own record says
 * `failed` with the reason, and an admin can replay it.
 */
import type { SQSRecord } from 'aws-lambda';
import { defaultMailDeps } from '../shared/adapters/aws/mail-deps';
import { parseMime } from '../shared/adapters/mail/parse';
import { type InboundInput, processInbound } from '../shared/app/inbound-mail';
import type { MailDeps } from '../shared/app/mail-deps';
import { sqsWorker } from '../shared/events/sqs-worker';
import { logger } from '../shared/http/logger';

interface S3Notification {
  Records?: { eventName?: string; s3?: { object?: { key?: string } } }[];
  Event?: string;
}

interface SesNotification {
  notificationType?: string;
  mail?: { messageId?: string };
  receipt?: {
    recipients?: string[];
    spamVerdict?: { status?: string };
    virusVerdict?: { status?: string };
    dmarcVerdict?: { status?: string };
    dmarcPolicy?: string;
    action?: { type?: string; objectKey?: string; objectKeyPrefix?: string };
  };
}

/** The stored mails an SQS record announces (an S3 test event announces none). */
export function storedMails(record: SQSRecord): InboundInput[] {
  let body = JSON.parse(record.body) as S3Notification & SesNotification & { Type?: string; Message?: string };
  if (body.Type === 'Notification' && typeof body.Message === 'string') body = JSON.parse(body.Message);
  if (body.notificationType === 'Received') {
    const r = body.receipt;
    const key = r?.action?.type === 'S3' ? r.action.objectKey : undefined;
    if (!key) throw new Error('an SES notification without a stored object');
    return [
      {
        blobKey: key,
        deliveryId: body.mail?.messageId ?? key.split('/').pop()!,
        receipt: {
          recipients: r?.recipients,
          spamVerdict: r?.spamVerdict?.status,
          virusVerdict: r?.virusVerdict?.status,
          dmarcVerdict: r?.dmarcVerdict?.status,
          dmarcPolicy: r?.dmarcPolicy,
        },
      },
    ];
  }
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
  return sqsWorker(async (record: SQSRecord) => {
    for (const input of storedMails(record)) {
      const { outcome, record: rec } = await processInbound(deps(), input);
      logger.info('inbound mail', { messageId: record.messageId, intakeId: rec.id, outcome, caseId: rec.caseId });
    }
  });
}

export const handler = makeInboundMailHandler(() => defaultMailDeps(parseMime));
