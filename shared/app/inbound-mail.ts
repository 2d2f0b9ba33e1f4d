/**
 * An inbound mail, from raw MIME to exactly one recorded outcome: created, appended, reopened,
 * skipped, quarantined or failed. The same mail delivered twice (same Message-ID, or the same
 * delivery) is one activity. Nothing is lost: the raw mail stays in the blob store, a failure is
 * recorded with its reason and can be replayed, and quarantined mail can be released.
 */
import { createHash } from 'node:crypto';
import {
  type Actor,
  type Case,
  type MailAttachment,
  type MailMeta,
  type Stamp,
  type TimelineEntry,
  addMailMessage,
  reactivateCase,
  recordBounce,
} from '../domain/case';
import { isDomainError } from '../domain/errors';
import { DEFAULT_ATTACHMENT_POLICY, attachmentVerdict, splitQuoted } from '../domain/mail/content';
import { parseBounce } from '../domain/mail/bounce';
import { autoReplyBlocker, isOwnAddress } from '../domain/mail/noise';
import { decideThread, threadKeys, type ThreadKey } from '../domain/mail/threading';
import { trustVerdict, withReceipt } from '../domain/mail/trust';
import type { Bounce, InboundMail, Outcome, Receipt, ThreadCase, ThreadDecision } from '../domain/mail/types';
import { htmlToText, sanitizeMailHtml } from '../adapters/mail/sanitize';
import type { EmailBounce } from '../domain/customer';
import type { IntakeRecord } from '../ports/mail';
import type { Caller } from './caller';
import { newCase } from './cases';
import { createCustomer } from './customers';
import { stamp as stampOf } from './deps';
import type { MailDeps } from './mail-deps';

export interface InboundInput {
  blobKey: string;
  deliveryId: string;
  /** the receiving system's verdicts and envelope recipients, when it reports them */
  receipt?: Receipt;
}

export type InboundResult = { outcome: Outcome | 'duplicate'; record: IntakeRecord };

/** A worker that held a mail this long without finishing is presumed dead; another may take it. */
const STALE_PROCESSING_MS = 5 * 60_000;

const MAIL_SYSTEM: Caller = {
  principal: { sub: 'mail', email: '', roles: ['agent'] },
  actor: { sub: 'mail', kind: 'system' },
  customerId: null,
};

/** The dedupe key: the Message-ID when there is one (any delivery of the mail), else the delivery. */
export function intakeId(mail: Pick<InboundMail, 'messageId' | 'deliveryId'>): string {
  const basis = mail.messageId ? `mid:${mail.messageId.trim().toLowerCase()}` : `dlv:${mail.deliveryId}`;
  return createHash('sha256').update(basis).digest('hex').slice(0, 32);
}

interface Handled {
  outcome: Outcome;
  reason: string;
  caseId?: string | null;
  ticketNumber?: string | null;
  autoReply?: string;
  flags?: string[];
}

/**
 * Processes one stored mail. `replay` (an admin re-running a failed mail) and `release` (an admin
 * letting a quarantined mail through) reprocess a mail that already has a record.
 */
export async function processInbound(deps: MailDeps, input: InboundInput, opts: { replay?: boolean; release?: boolean } = {}): Promise<InboundResult> {
  const raw = await deps.blobs.get(input.blobKey);
  if (!raw) throw new Error(`raw mail ${input.blobKey} is not in the blob store`);
  const mail = withReceipt(await deps.parse(raw, input.deliveryId), input.receipt);
  const now = deps.clock.now();
  const fresh: IntakeRecord = {
    id: intakeId(mail),
    deliveryId: input.deliveryId,
    messageId: mail.messageId,
    blobKey: input.blobKey,
    receivedAt: now.toISOString(),
    from: mail.from?.address ?? null,
    subject: mail.subject.slice(0, 500),
    size: mail.size,
    outcome: 'processing',
    reason: 'being processed',
    caseId: null,
    ticketNumber: null,
    autoReply: 'allowed',
    flags: [],
    attempts: 1,
    duplicates: 0,
    released: false,
    receipt: input.receipt ?? null,
    updatedAt: now.toISOString(),
    version: 1,
  };

  const claim = await deps.mail.claim(fresh);
  let rec: IntakeRecord;
  if (claim.claimed) rec = claim.record;
  else {
    const ex = claim.existing;
    const stale = ex.outcome === 'processing' && now.getTime() - Date.parse(ex.updatedAt) > STALE_PROCESSING_MS;
    const again = ex.outcome === 'failed' || stale || (opts.replay && ex.outcome !== 'processing') || (opts.release && ex.outcome === 'quarantined');
    if (!again) {
      if (ex.outcome === 'processing') throw new Error(`mail ${ex.id} is being processed by another worker`); // the queue retries later
      const counted = { ...ex, duplicates: ex.duplicates + 1, updatedAt: now.toISOString(), version: ex.version + 1 };
      await deps.mail.saveIntake(counted, ex.version).catch((e) => {
        if (!(isDomainError(e) && e.kind === 'precondition-failed')) throw e;
      });
      return { outcome: 'duplicate', record: counted };
    }
    rec = {
      ...ex,
      outcome: 'processing',
      reason: 'being processed again',
      attempts: ex.attempts + 1,
      released: ex.released || Boolean(opts.release),
      updatedAt: now.toISOString(),
      version: ex.version + 1,
    };
    await deps.mail.saveIntake(rec, ex.version); // one worker wins a concurrent retry
  }

  let handled: Handled;
  try {
    handled = await handle(deps, mail, rec);
  } catch (e) {
    const failed = { ...rec, outcome: 'failed' as const, reason: `processing failed: ${(e as Error).message}`.slice(0, 1000), updatedAt: deps.clock.now().toISOString(), version: rec.version + 1 };
    await deps.mail.saveIntake(failed, rec.version);
    throw e;
  }
  const done: IntakeRecord = {
    ...rec,
    outcome: handled.outcome,
    reason: handled.reason,
    caseId: handled.caseId ?? null,
    ticketNumber: handled.ticketNumber ?? null,
    autoReply: handled.autoReply ?? rec.autoReply,
    flags: handled.flags ?? [],
    updatedAt: deps.clock.now().toISOString(),
    version: rec.version + 1,
  };
  await deps.mail.saveIntake(done, rec.version);
  return { outcome: done.outcome as Outcome, record: done };
}

const isOurs = (deps: MailDeps, address: string) => isOwnAddress(address, deps.mailConfig.supportAddresses);

async function handle(deps: MailDeps, mail: InboundMail, rec: IntakeRecord): Promise<Handled> {
  if (!rec.released) {
    const trust = trustVerdict(mail);
    if (trust.quarantine) return { outcome: 'quarantined', reason: trust.reason, autoReply: 'quarantined' };
  }
  const bounce = parseBounce(mail);
  if (bounce) return recordBounceOf(deps, mail, bounce, rec);
  const sender = mail.from?.address?.trim().toLowerCase();
  if (!sender) return { outcome: 'skipped', reason: 'The mail has no From address.', autoReply: 'no sender' };
  if (isOurs(deps, sender)) return { outcome: 'skipped', reason: `The mail comes from our own address ${sender} (a loop).`, autoReply: 'own-address' };
  const noise = autoReplyBlocker(mail, deps.mailConfig.supportAddresses);

  const decision = await thread(deps, mail, sender);
  const text = mail.text ?? (mail.html ? htmlToText(mail.html) : '');
  const split = splitQuoted(text);
  const { attachments, flags } = await storeAttachments(deps, mail, rec.id);
  const meta: MailMeta = {
    direction: 'in',
    intakeId: rec.id,
    messageId: mail.messageId,
    from: sender,
    to: [...mail.to, ...mail.cc].map((a) => a.address),
    subject: mail.subject,
    quoted: split.quoted,
    html: mail.html ? sanitizeMailHtml(mail.html) : null,
    attachments,
  };
  const body = split.fresh.trim() || (attachments.length ? '(attachments only)' : '(no text)');
  const actor: Actor = { sub: `mail:${sender}`, kind: 'customer', email: sender };
  const stamp: Stamp = stampOf(deps);

  let c: Case;
  let outcome: Outcome;
  if (decision.kind === 'new') {
    const contactId = await contactFor(deps, sender, mail.from?.name ?? null, split.fresh);
    if (!contactId) {
      // a polite refusal, unless the mail was automatic (the sender then never hears from us)
      if (!noise) await deps.outbox.send({ kind: 'refusal', intakeId: rec.id, to: sender, language: /[\u0600-\u06FF]/.test(split.fresh) ? 'fa' : 'en' });
      return { outcome: 'skipped', reason: `${sender} is not a known contact and unknown senders are refused.`, autoReply: noise ?? 'allowed', flags: ['refused'] };
    }
    const related = decision.relatedCaseId ? await deps.cases.get(decision.relatedCaseId) : undefined;
    c = await newCase(
      deps,
      { title: (mail.subject.trim() || '(no subject)').slice(0, 200), description: body.slice(0, 32_000), customerId: contactId, origin: 'email' },
      actor,
      [],
      (entries) => entries.map((e) => (e.kind === 'created' ? { ...e, mail: meta } : e)),
    );
    if (related) flags.push(`follows up ${related.ticketNumber}`);
    outcome = 'created';
  } else {
    const current = await deps.cases.get(decision.caseId);
    if (!current) throw new Error(`case ${decision.caseId} disappeared`);
    let change: { case: Case; entries: TimelineEntry[] } = { case: current, entries: [] };
    if (decision.kind === 'reopen') {
      const reopened = reactivateCase(current, 'The customer replied by e-mail.', actor, stamp, deps.config.reopenWindowDays);
      change = { case: reopened.case, entries: reopened.entries };
    }
    const message = addMailMessage(change.case, body.slice(0, 32_000), meta, actor, stamp);
    await deps.cases.save(message.case, [...change.entries, ...message.entries], current, []);
    c = message.case;
    outcome = decision.kind === 'reopen' ? 'reopened' : 'appended';
  }
  if (mail.messageId) await deps.mail.linkMessageId(mail.messageId, c.id);
  // mail from an address that once bounced: it works again, so we may write to it again
  const senderContact = await deps.customers.findIdByEmail(sender);
  if (senderContact) await markContact(deps, senderContact, null);
  const others = [...mail.cc, ...mail.to].map((a) => a.address).filter((a) => !isOurs(deps, a));
  await deps.mail.addParticipants(c.id, [sender, ...others]);
  return {
    outcome,
    reason: decision.reason,
    caseId: c.id,
    ticketNumber: c.ticketNumber,
    autoReply: noise ?? 'allowed',
    flags,
  };
}

/** Message-ids we sent carry the provider's domain; a reply may quote either form. */
async function caseForMessageId(deps: MailDeps, id: string): Promise<string | undefined> {
  const found = await deps.mail.caseForMessageId(id);
  if (found) return found;
  const [local, domain] = id.split('@');
  if (local && domain?.toLowerCase().endsWith('amazonses.com')) return deps.mail.caseForMessageId(local);
  return undefined;
}

async function thread(deps: MailDeps, mail: InboundMail, sender: string): Promise<ThreadDecision> {
  const keys: ThreadKey[] = threadKeys(mail, { format: deps.config.ticketFormat, supportAddresses: deps.mailConfig.supportAddresses });
  const cache = new Map<string, ThreadCase | null>();
  const resolved: { key: ThreadKey; case: ThreadCase | null }[] = [];
  for (const key of keys.slice(0, 20)) {
    const caseId = key.kind === 'message-id' ? await caseForMessageId(deps, key.value) : (await deps.cases.getByTicket(key.value))?.id;
    if (!caseId) {
      resolved.push({ key, case: null });
      continue;
    }
    if (!cache.has(caseId)) cache.set(caseId, await threadCase(deps, caseId, sender));
    resolved.push({ key, case: cache.get(caseId) ?? null });
  }
  return decideThread(mail, resolved, { now: deps.clock.now().toISOString(), reopenWindowDays: deps.config.reopenWindowDays });
}

async function threadCase(deps: MailDeps, caseId: string, sender: string): Promise<ThreadCase | null> {
  const c = await deps.cases.get(caseId);
  if (!c) return null;
  const contact = await deps.customers.get(c.customerId);
  const participants = [contact?.email?.toLowerCase()].filter((e): e is string => Boolean(e));
  if (!participants.includes(sender) && (await deps.mail.isParticipant(caseId, sender))) participants.push(sender);
  return {
    id: c.id,
    ticketNumber: c.ticketNumber,
    state: c.state,
    status: c.status,
    mergedInto: null,
    resolvedAt: c.resolvedAt,
    participants,
  };
}

/** The contact for a sender: found by e-mail, or created when unknown senders are welcome. */
async function contactFor(deps: MailDeps, email: string, name: string | null, text: string): Promise<string | null> {
  const found = await deps.customers.findIdByEmail(email);
  if (found) return found;
  if (deps.mailConfig.unknownSenders === 'refuse') return null;
  const language = /[\u0600-\u06FF]/.test(text) ? 'fa' : 'en';
  try {
    const created = await createCustomer(deps, MAIL_SYSTEM, { kind: 'contact', name: (name?.trim() || email).slice(0, 200), email, language });
    return created.id;
  } catch (e) {
    // created by a concurrent mail from the same sender: use theirs
    if (isDomainError(e) && e.kind === 'conflict') return (await deps.customers.findIdByEmail(email)) ?? null;
    throw e;
  }
}

async function storeAttachments(deps: MailDeps, mail: InboundMail, intake: string): Promise<{ attachments: MailAttachment[]; flags: string[] }> {
  const attachments: MailAttachment[] = [];
  const flags: string[] = [];
  let total = 0;
  for (const [i, a] of mail.attachments.slice(0, 50).entries()) {
    const verdict = attachmentVerdict(a, DEFAULT_ATTACHMENT_POLICY, total);
    const name = a.filename ?? null;
    let blobKey: string | null = null;
    if (verdict.accepted && a.content) {
      total += a.size;
      const safe = (name ?? `part-${i}`).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || `part-${i}`;
      blobKey = `attachments/${intake}/${i}-${safe}`;
      await deps.blobs.put(blobKey, a.content, a.contentType);
    } else flags.push(`attachment ${name ?? i} not stored: ${verdict.reason}`);
    if (verdict.dangerous) flags.push(`dangerous attachment ${name ?? i}`);
    attachments.push({ name, contentType: a.contentType, size: a.size, blobKey, inline: a.inline, contentId: a.contentId, dangerous: verdict.dangerous, refused: verdict.accepted ? null : verdict.reason });
  }
  return { attachments, flags };
}

/** A bounce is recorded on the case our mail belonged to (when known), never a new case. */
async function recordBounceOf(deps: MailDeps, mail: InboundMail, bounce: Bounce, rec: IntakeRecord): Promise<Handled> {
  const what = `${bounce.permanent ? 'Permanent' : 'Temporary'} delivery failure${bounce.recipient ? ` to ${bounce.recipient}` : ''}${bounce.status ? ` (${bounce.status})` : ''}${bounce.diagnostic ? `: ${bounce.diagnostic}` : ''}`.slice(0, 1000);
  const caseId = bounce.originalMessageId ? await caseForMessageId(deps, bounce.originalMessageId) : undefined;
  const contactId = bounce.recipient ? await deps.customers.findIdByEmail(bounce.recipient) : undefined;
  const flags = contactId ? [`contact ${contactId}`] : [];
  // the contact's address is marked: no more mail goes to it until it changes or works again
  if (contactId && bounce.permanent) await markContact(deps, contactId, { at: deps.clock.now().toISOString(), status: bounce.status, diagnostic: bounce.diagnostic });
  if (!caseId) return { outcome: 'skipped', reason: `Delivery status notification: ${what}. No case of ours matches it.`, autoReply: 'bounce', flags };
  const meta: MailMeta = { direction: 'in', intakeId: rec.id, messageId: mail.messageId, from: mail.from?.address ?? null, subject: mail.subject };
  for (let attempt = 0; attempt < 3; attempt++) {
    const c = await deps.cases.get(caseId);
    if (!c) break;
    const change = recordBounce(c, what, meta, { now: deps.clock.now().toISOString(), newId: () => deps.ids.id() });
    try {
      await deps.cases.save(change.case, change.entries, c, []);
      return { outcome: 'skipped', reason: `Delivery status notification recorded on ${c.ticketNumber}: ${what}.`, caseId: c.id, ticketNumber: c.ticketNumber, autoReply: 'bounce', flags };
    } catch (e) {
      if (!(isDomainError(e) && e.kind === 'precondition-failed')) throw e;
    }
  }
  return { outcome: 'skipped', reason: `Delivery status notification: ${what}.`, autoReply: 'bounce', flags };
}

/** Records (or clears) a permanent bounce on a contact; nothing happens when it is already so. */
async function markContact(deps: MailDeps, contactId: string, bounce: EmailBounce | null) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const c = await deps.customers.get(contactId);
    if (!c || (!bounce && !c.emailBounce)) return;
    const next = { ...c, emailBounce: bounce, updatedAt: deps.clock.now().toISOString(), version: c.version + 1 };
    try {
      await deps.customers.save(next, c, []);
      return;
    } catch (e) {
      if (!(isDomainError(e) && e.kind === 'precondition-failed')) throw e;
    }
  }
}
