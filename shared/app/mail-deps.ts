/** What the e-mail use cases need beyond the common dependencies. */
import type { WorkQueue } from '../ports';
import type { MailParser, MailStore, Mailer } from '../ports/mail';
import type { Deps } from './deps';

export interface MailConfig {
  /** our addresses; the first one is the From and Reply-To of what we send */
  supportAddresses: string[];
  /** display name for our mail */
  fromName: string;
  /** unknown senders get a contact (`create`) or a polite refusal (`refuse`) */
  unknownSenders: 'create' | 'refuse';
  /** automatic mails (acknowledgements, refusals) per recipient per hour */
  autoReplyLimitPerHour: number;
  /** where customers follow their cases, for templates; null when unknown */
  portalUrl: string | null;
}

export interface MailDeps extends Deps {
  mail: MailStore;
  mailer: Mailer;
  parse: MailParser;
  mailConfig: MailConfig;
  /** the outbound mail work queue */
  outbox: WorkQueue;
}

export function mailConfigFromEnv(env: Record<string, string | undefined> = process.env): MailConfig {
  const supportAddresses = (env.SUPPORT_ADDRESSES ?? 'support@example.com')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  if (!supportAddresses.length || supportAddresses.some((a) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a)))
    throw new Error('SUPPORT_ADDRESSES must be a comma-separated list of e-mail addresses');
  const unknownSenders = (env.UNKNOWN_SENDERS ?? 'create') as MailConfig['unknownSenders'];
  if (unknownSenders !== 'create' && unknownSenders !== 'refuse') throw new Error('UNKNOWN_SENDERS must be create or refuse');
  const autoReplyLimitPerHour = env.AUTO_REPLY_LIMIT ? Number(env.AUTO_REPLY_LIMIT) : 3;
  if (!Number.isInteger(autoReplyLimitPerHour) || autoReplyLimitPerHour < 0 || autoReplyLimitPerHour > 100)
    throw new Error('AUTO_REPLY_LIMIT must be a whole number from 0 to 100');
  return { supportAddresses, fromName: env.MAIL_FROM_NAME ?? 'Help desk', unknownSenders, autoReplyLimitPerHour, portalUrl: env.PORTAL_URL || null };
}
