/**
 * The e-mail functions' dependencies, built from the environment once per process. Only the mail
 * functions import this, so the other bundles do not load S3 or SES; and only the functions that
 * read mail pass the MIME parser in (its charset tables are most of a megabyte), so the sender
 * stays small.
 */
import type { Deps } from '../../app/deps';
import type { MailParser } from '../../ports/mail';
import { type MailDeps, mailConfigFromEnv } from '../../app/mail-deps';
import { queueUrlVar } from '../../work-queues';
import { defaultDeps } from './deps';
import { createDocumentClient } from './dynamodb/client';
import { DynamoMailStore } from './dynamodb/mail-store';
import { SesMailer } from './ses-mailer';
import { SqsWorkQueue } from './sqs-work-queue';

const noParser: MailParser = async () => {
  throw new Error('this function does not read mail');
};

export function mailDepsFrom(base: Deps, table: string, env: Record<string, string | undefined> = process.env, parse: MailParser = noParser): MailDeps {
  return {
    ...base,
    mail: new DynamoMailStore(createDocumentClient(), table),
    mailer: new SesMailer(),
    parse,
    mailConfig: mailConfigFromEnv(env),
    outbox: env[queueUrlVar('outbound-mail')] ? new SqsWorkQueue(env[queueUrlVar('outbound-mail')]!) : { send: async () => { throw new Error('the outbound mail queue is not configured'); } },
  };
}

const cached = new Map<MailParser | undefined, MailDeps>();
/** Process-wide mail dependencies, with the given parser (none for functions that only send). */
export function defaultMailDeps(parse?: MailParser): MailDeps {
  let deps = cached.get(parse);
  if (!deps) {
    const table = process.env.TABLE_NAME;
    if (!table) throw new Error('TABLE_NAME is not set');
    deps = mailDepsFrom(defaultDeps(), table, process.env, parse);
    cached.set(parse, deps);
  }
  return deps;
}

export function resetMailDeps() {
  cached.clear();
}
