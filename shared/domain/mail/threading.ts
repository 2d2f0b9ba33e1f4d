/**
 * Which case an inbound mail continues, if any. Keys are read from the mail in order of how much
 * they prove: our own Message-ID in In-Reply-To or References (the mail is a reply to something
 * we sent), then a ticket token in the subject, then a plus-address. A key only counts when the
 * sender already takes part in that case: anyone can type a ticket number into a subject, and
 * such a mail must not land on (and read) someone else's case.
 */
import type { TicketFormat } from '../ticket-number';
import { TICKET_ALPHABET } from '../ticket-number';
import { normaliseForMatching } from './content';
import { splitAddress } from './headers';
import type { Address, InboundMail, ThreadCase, ThreadDecision, ThreadMatch } from './types';

export type ThreadKey = { match: ThreadMatch; kind: 'message-id' | 'ticket'; value: string };

/** More keys than this are not looked up: a References chain that long is abuse, not a thread. */
export const MAX_THREAD_KEYS = 50;

const DAY_MS = 86_400_000;

/** The ticket number pattern of `format`, without anchors (serials may outgrow their padding). */
function ticketPattern(format: TicketFormat): string {
  const random = format.randomLength > 0 ? `-[${TICKET_ALPHABET}]{${format.randomLength}}` : '';
  return `${escapeRegExp(format.prefix)}-\\d{${format.serialPadding},15}${random}`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Ticket tokens in a subject: `[CAS-01001-K7F2Q9]` in brackets (a bare number in a sentence is
 * not a token), in any case, upper-cased. NFKC first, so full-width brackets and letters and
 * Persian or Arabic-Indic digits read as their ASCII forms; reply prefixes need no handling since
 * the token is looked for anywhere.
 */
export function ticketTokens(subject: string, format: TicketFormat): string[] {
  const text = normaliseForMatching(subject);
  const re = new RegExp(`\\[\\s*(${ticketPattern(format)})\\s*\\]`, 'giu');
  const found = new Set<string>();
  for (const m of text.matchAll(re)) found.add(m[1]!.toUpperCase());
  return [...found];
}

/** Ticket numbers in the `+tag` of recipients that are plus-addresses of our support addresses. */
export function plusAddressTokens(recipients: readonly Address[], supportAddresses: readonly string[], format: TicketFormat): string[] {
  const ours = new Set(supportAddresses.map((a) => a.trim().toLowerCase()));
  const re = new RegExp(`^${ticketPattern(format)}$`, 'i');
  const found = new Set<string>();
  for (const r of recipients) {
    const parts = splitAddress(r.address);
    if (!parts) continue;
    const plus = parts.local.indexOf('+');
    if (plus <= 0) continue;
    const tag = parts.local.slice(plus + 1);
    if (ours.has(`${parts.local.slice(0, plus)}@${parts.domain}`) && re.test(tag)) found.add(tag.toUpperCase());
  }
  return [...found];
}

/** The keys to look up, strongest first, without duplicates, at most MAX_THREAD_KEYS. */
export function threadKeys(mail: InboundMail, opts: { format: TicketFormat; supportAddresses: readonly string[] }): ThreadKey[] {
  const keys: ThreadKey[] = [];
  const seen = new Set<string>();
  const add = (match: ThreadMatch, kind: ThreadKey['kind'], value: string) => {
    const id = `${kind}\u0000${value}`;
    if (value === '' || seen.has(id) || keys.length >= MAX_THREAD_KEYS) return;
    seen.add(id);
    keys.push({ match, kind, value });
  };
  for (const id of mail.inReplyTo) add('in-reply-to', 'message-id', id);
  // References lists the thread oldest first; the newest message is the best witness
  for (const id of [...mail.references].reverse()) add('references', 'message-id', id);
  for (const t of ticketTokens(mail.subject, opts.format)) add('ticket-token', 'ticket', t);
  const envelope = (mail.envelopeTo ?? []).map((address) => ({ address: address.toLowerCase(), name: null }));
  for (const t of plusAddressTokens([...mail.to, ...mail.cc, ...envelope], opts.supportAddresses, opts.format)) add('plus-address', 'ticket', t);
  return keys;
}

const MATCH_WORDS: Record<ThreadMatch, string> = {
  'in-reply-to': 'In-Reply-To',
  references: 'References',
  'ticket-token': 'the ticket token in the subject',
  'plus-address': 'the plus-address',
};

function describeKey(key: ThreadKey): string {
  return key.kind === 'message-id' ? `${MATCH_WORDS[key.match]} <${key.value}>` : `${MATCH_WORDS[key.match]} ${key.value}`;
}

type Candidate = { key: ThreadKey; case: ThreadCase };

/**
 * Decide from the looked-up keys (in threadKeys order). The first key whose case exists and
 * counts the sender as a participant decides, with one refinement: when that case is closed for
 * good (cancelled, or resolved longer ago than the reopen window), a later key naming a live case
 * wins, so a customer who answers an old thread and the new one at once lands on the new case.
 * `mergedInto` is resolved by the caller; a case still carrying it is passed over.
 */
export function decideThread(
  mail: InboundMail,
  resolved: readonly { key: ThreadKey; case: ThreadCase | null }[],
  opts: { now: string; reopenWindowDays: number },
): ThreadDecision {
  const sender = mail.from?.address.trim().toLowerCase() ?? '';
  const ignored: string[] = [];
  let closed: Candidate | null = null;
  for (const { key, case: c } of resolved) {
    if (!c) {
      ignored.push(`${describeKey(key)} matches no case`);
      continue;
    }
    if (c.mergedInto) {
      ignored.push(`${describeKey(key)} names case ${c.ticketNumber}, which was merged`);
      continue;
    }
    if (!sender || !c.participants.some((p) => p.trim().toLowerCase() === sender)) {
      ignored.push(`${describeKey(key)} names case ${c.ticketNumber}, but ${sender || 'the (missing) sender'} is not a participant`);
      continue;
    }
    const live = liveness(c, opts);
    if (live === 'append') return { kind: 'append', caseId: c.id, match: key.match, reason: `${describeKey(key)} matches case ${c.ticketNumber}, which is active, and the sender is a participant.` };
    if (live === 'reopen')
      return {
        kind: 'reopen',
        caseId: c.id,
        match: key.match,
        reason: `${describeKey(key)} matches case ${c.ticketNumber}, resolved within the ${opts.reopenWindowDays}-day reopen window, and the sender is a participant.`,
      };
    closed ??= { key, case: c };
  }
  if (closed) {
    const why = closed.case.state === 'cancelled' ? 'was cancelled' : `was resolved more than ${opts.reopenWindowDays} days ago`;
    return { kind: 'new', relatedCaseId: closed.case.id, reason: `${describeKey(closed.key)} matches case ${closed.case.ticketNumber}, which ${why}: a new related case.` };
  }
  if (resolved.length === 0) return { kind: 'new', relatedCaseId: null, reason: 'The mail carries no earlier message id, ticket token or plus-address: a new case.' };
  const shown = ignored.slice(0, 5).join('; ');
  const more = ignored.length > 5 ? `; and ${ignored.length - 5} more` : '';
  return { kind: 'new', relatedCaseId: null, reason: `No key led to a case the sender takes part in (${shown}${more}): a new case.` };
}

/** What a reply does to a case the sender takes part in. */
function liveness(c: ThreadCase, opts: { now: string; reopenWindowDays: number }): 'append' | 'reopen' | 'closed' {
  if (c.state === 'active') return 'append';
  if (c.state === 'cancelled') return 'closed';
  // a resolved case without a readable resolution time cannot prove it is inside the window
  const resolvedAt = c.resolvedAt ? Date.parse(c.resolvedAt) : Number.NaN;
  const now = Date.parse(opts.now);
  if (Number.isNaN(resolvedAt) || Number.isNaN(now)) return 'closed';
  return now - resolvedAt <= opts.reopenWindowDays * DAY_MS ? 'reopen' : 'closed';
}
