/**
 * The e-mail functions' dependencies, built from the environment once per process. Only the mail
 * functions import this, so the other bundles do not load S3, SES or the MIME parser.
 */
import type { Deps } from '../../app/deps';
import { type MailDeps, mailConfigFromEnv } from '../../app/mail-deps';
import { parseMime } from '../mail/parse';
import { queueUrlVar } from '../../work-queues';
import { blobStoreFromEnv } from './blob-store';
import { defaultDeps } from './deps';
import { createDocumentClient } from './dynamodb/client';
import { DynamoMailStore } from './dynamodb/mail-store';
import { SesMailer } from './ses-mailer';
import { SqsWorkQueue } from './sqs-work-queue';

export function mailDepsFrom(base: Deps, table: string, env: Record<string, string | undefined> = process.env): MailDeps {
  return {
    ...base,
    mail: new DynamoMailStore(createDocumentClient(), table),
    blobs: blobStoreFromEnv(env),
    mailer: new SesMailer(),
    parse: parseMime,
    mailConfig: mailConfigFromEnv(env),
    outbox: env[queueUrlVar('outbound-mail')] ? new SqsWorkQueue(env[queueUrlVar('outbound-mail')]!) : { send: async () => { throw new Error('the outbound mail queue is not configured'); } },
  };
}

let cached: MailDeps | undefined;
export function defaultMailDeps(): MailDeps {
  if (!cached) {
    const table = process.env.TABLE_NAME;
    if (!table) throw new Error('TABLE_NAME is not set');
    cached = mailDepsFrom(defaultDeps(), table);
  }
  return cached;
}

export function resetMailDeps() {
  cached = undefined;
}
