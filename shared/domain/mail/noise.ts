/**
 * Which mail must never get an automatic answer from us. Answering an autoresponder, a list or a
 * mail system is how help desks end up in mail loops or spam a whole list; a missed acknowledgement
 * costs far less, so every rule here leans towards "do not answer". The case itself is still
 * created: this only decides about automatic replies.
 */
import { baseAddress, headerValues, keyword, splitAddress } from './headers';
import type { InboundMail, NoiseReason } from './types';

/**
 * The headers our automatic mails (acknowledgements, refusals) carry. Human replies from agents do
 * not carry them: those are answers, not automation.
 *
 * - `Auto-Submitted: auto-replied` (RFC 3834): the mail is an automatic response to a mail.
 *   Responders that follow the RFC stay silent, which breaks the loop on their side too.
 * - `X-Auto-Response-Suppress: All`: Exchange and Outlook send no out-of-office notes, read or
 *   delivery receipts back for it; they ignore Auto-Submitted.
 * - No `Precedence: bulk`: RFC 3834 advises against it, it is not a standard, and mailbox
 *   providers use it to file mail as bulk, which would bury the customer's ticket number. The
 *   loop protection it would add for old vacation programs is covered by our own rate limit per
 *   sender and by `autoReplyBlocker` on their answers.
 * - No `X-Loop`: its value names the sending address, which only the caller knows.
 */
export const AUTO_REPLY_HEADERS: Record<string, string> = {
  'Auto-Submitted': 'auto-replied',
  'X-Auto-Response-Suppress': 'All',
};

const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply', 'auto-reply']);

/** Non-standard markers autoresponders use instead of (or besides) Auto-Submitted. */
const AUTORESPONDER_HEADERS = ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply'];

/** Exchange's request not to be answered automatically, for the values that cover replies. */
const SUPPRESSING = /\b(all|autoreply|oof)\b/i;

const LIST_HEADERS = ['list-id', 'list-unsubscribe', 'list-post'];

/**
 * Local parts of addresses that belong to mail systems, compared without `+tag` and without
 * `-`, `_` and `.` (so `no-reply`, `no_reply`, `noreply` and `No.Reply` are one).
 */
const SYSTEM_LOCALS = new Set([
  'mailerdaemon',
  'postmaster',
  'noreply',
  'donotreply',
  'dontreply',
  'nobody',
  'bounce',
  'bounces',
  'listserv',
  'majordomo',
  'mailman',
  'autoreply',
  'autoresponder',
]);

/** Why we must not answer `mail` automatically, or null when an acknowledgement is fine. */
export function autoReplyBlocker(mail: InboundMail, ourAddresses: readonly string[]): NoiseReason | null {
  if (mail.returnPath === '') return 'null-sender';
  if (isAutoSubmitted(mail)) return 'auto-submitted';
  if (headerValues(mail, 'precedence').some((v) => BULK_PRECEDENCE.has(keyword(v)))) return 'precedence';
  if (headerValues(mail, 'x-precedence').some((v) => BULK_PRECEDENCE.has(keyword(v)))) return 'precedence';
  if (LIST_HEADERS.some((h) => headerValues(mail, h).length > 0)) return 'mailing-list';
  if (headerValues(mail, 'x-loop').length > 0) return 'x-loop';
  const senders = [mail.from?.address, mail.returnPath].filter((a): a is string => !!a);
  if (senders.some(isSystemAddress)) return 'system-sender';
  if (senders.some((a) => isOwnAddress(a, ourAddresses))) return 'own-address';
  return null;
}

function isAutoSubmitted(mail: InboundMail): boolean {
  // Any value other than `no` counts, including an empty or unreadable one: a broken
  // autoresponder is still an autoresponder.
  if (headerValues(mail, 'auto-submitted').some((v) => keyword(v) !== 'no')) return true;
  if (AUTORESPONDER_HEADERS.some((h) => headerValues(mail, h).length > 0)) return true;
  return headerValues(mail, 'x-auto-response-suppress').some((v) => SUPPRESSING.test(v));
}

/** True for mailer-daemon, postmaster, no-reply and the like (see SYSTEM_LOCALS). */
export function isSystemAddress(address: string): boolean {
  const parts = splitAddress(address);
  if (!parts) return false;
  const local = (parts.local.split('+', 1)[0] ?? '').replace(/[-_.]/g, '');
  if (SYSTEM_LOCALS.has(local)) return true;
  // list software: owner-x@, x-request@, x-bounces@
  return /^owner-|-(request|bounces?|owner)$/.test(parts.local);
}

/** True when `address` is one of ours, or a plus-address of one of ours. */
export function isOwnAddress(address: string, ourAddresses: readonly string[]): boolean {
  const base = baseAddress(address);
  return ourAddresses.some((ours) => baseAddress(ours) === base);
}
