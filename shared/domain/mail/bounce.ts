/**
 * Delivery status notifications (bounces) about mail we sent. They are recorded against the
 * contact and the case and never open a case, so recognising them matters more than reading every
 * field: a missed bounce becomes a junk case, a wrongly recognised customer mail would be lost.
 * Hence a standard report (RFC 3464) is trusted on its structure alone, while a free-form bounce
 * needs both a mail-system sender and a bounce subject.
 */
import { angleIds, headerValues, keyword, splitAddress } from './headers';
import type { Bounce, InboundMail } from './types';

const STATUS_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_PARTS = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);
const ACTIONS = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

/** Subjects of the free-form bounces of Postfix, Exim, Sendmail, qmail, Exchange and Gmail. */
const BOUNCE_SUBJECT =
  /undeliver(ed|able)|returned to sender|returned mail|delivery status notification|mail delivery (failed|failure|subsystem)|delivery (has )?failed|delivery failure|failure notice|non-?delivery|could not be delivered|wasn.t delivered|delivery (delayed|incomplete)|warning: could not send/i;
const DELAY_SUBJECT = /\(delay\)|delayed|warning|still trying/i;
const STATUS_CODE = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/** The bounce `mail` reports, or null when it is not a delivery status notification. */
export function parseBounce(mail: InboundMail): Bounce | null {
  const report = statusReport(mail);
  if (report !== null) return fromReport(mail, report);
  if (looksLikeFreeFormBounce(mail)) return fromFreeForm(mail);
  return null;
}

/** The text of the machine-readable status part, '' for a report without one, null for no report. */
function statusReport(mail: InboundMail): string | null {
  const part = mail.attachments.find((a) => STATUS_PARTS.has(baseType(a.contentType)));
  if (part?.content) return decodeUtf8(part.content);
  const isReport = headerValues(mail, 'content-type').some((v) => /multipart\/report/i.test(v) && /report-type\s*=\s*"?delivery-status/i.test(v));
  if (part || isReport) {
    // some parsers fold the status part into the text: read the fields from there
    const text = mail.text ?? '';
    const at = text.search(/^(Reporting-MTA|Final-Recipient|Original-Recipient|Action|Status):/im);
    return at >= 0 ? text.slice(at) : '';
  }
  return null;
}

function looksLikeFreeFormBounce(mail: InboundMail): boolean {
  if (!BOUNCE_SUBJECT.test(mail.subject)) return false;
  // mailer-daemon and postmaster only: a no-reply sender with "undeliverable" in its subject is
  // more likely a notification someone forwards to us than a bounce
  const local = splitAddress(mail.from?.address ?? '')?.local.replace(/[-_.]/g, '') ?? '';
  return local === 'mailerdaemon' || local === 'postmaster' || mail.returnPath === '';
}

function fromReport(mail: InboundMail, report: string): Bounce {
  const blocks = fieldBlocks(report);
  // the first block is about the message; the recipient blocks follow. Prefer a failed one.
  const recipients = blocks.filter((b) => b.has('final-recipient') || b.has('original-recipient') || b.has('action'));
  const chosen = recipients.find((b) => keyword(b.get('action') ?? '') === 'failed') ?? recipients[0] ?? new Map<string, string>();
  const recipient = addressOf(chosen.get('final-recipient')) ?? addressOf(chosen.get('original-recipient')) ?? failedRecipientHeader(mail);
  const status = STATUS_CODE.exec(chosen.get('status') ?? '')?.[0] ?? null;
  const actionWord = keyword(chosen.get('action') ?? '');
  const action = ACTIONS.has(actionWord) ? (actionWord as Bounce['action']) : null;
  const diagnostic = diagnosticOf(chosen.get('diagnostic-code'));
  return finish({ recipient, status, action, diagnostic, originalMessageId: originalMessageId(mail) });
}

function fromFreeForm(mail: InboundMail): Bounce {
  // Exchange sends its notice as HTML only; tags out is enough to find an address and a code
  const text = mail.text ?? (mail.html ?? '').replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const recipient = failedRecipientHeader(mail) ?? recipientInText(text);
  const statusMatch = STATUS_CODE.exec(text);
  const status = statusMatch?.[0] ?? null;
  const action: Bounce['action'] = DELAY_SUBJECT.test(mail.subject) && !/fail/i.test(mail.subject) ? 'delayed' : 'failed';
  const diagnostic = statusMatch ? lineAround(text, statusMatch.index) : null;
  return finish({ recipient, status, action, diagnostic, originalMessageId: originalMessageId(mail) });
}

function finish(b: Omit<Bounce, 'permanent'>): Bounce {
  // A 4.x.x status with action `failed` is a sender that gave up retrying: as final as a 5.x.x.
  return { ...b, permanent: b.status?.startsWith('5') === true || b.action === 'failed' };
}

/** RFC 3464 field groups: blank-line separated blocks of `Name: value` with folded lines. */
function fieldBlocks(text: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.size) blocks.push(current);
      current = new Map();
      last = null;
    } else if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
    } else {
      const m = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      if (!current.has(last)) current.set(last, m[2]!.trim());
    }
  }
  if (current.size) blocks.push(current);
  return blocks;
}

/** `rfc822; Bob@Example.com` -> `bob@example.com` */
function addressOf(value: string | undefined): string | null {
  if (!value) return null;
  const semi = value.indexOf(';');
  const addr = (semi >= 0 ? value.slice(semi + 1) : value).trim().replace(/^<|>$/g, '').toLowerCase();
  return splitAddress(addr) ? addr : null;
}

function diagnosticOf(value: string | undefined): string | null {
  if (!value) return null;
  const text = value.replace(/^\s*(smtp|x-[a-z0-9-]+)\s*;\s*/i, '').trim();
  return text ? text.slice(0, 1000) : null;
}

/** Exim and Gmail name the failed recipients in a header. */
function failedRecipientHeader(mail: InboundMail): string | null {
  const first = headerValues(mail, 'x-failed-recipients')[0]?.split(',')[0]?.trim().toLowerCase();
  return first && splitAddress(first) ? first : null;
}

/** The first address in the human-readable part (Postfix `<bob@x>: host said...`, Exchange, Gmail). */
function recipientInText(text: string): string | null {
  const human = text.split(/^-{2,}\s*(Original message|This is a copy)|^Reporting-MTA:/im)[0] ?? text;
  const m = /<?([A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})>?/.exec(human);
  return m ? m[1]!.toLowerCase() : null;
}

function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end < 0 ? undefined : end).trim().slice(0, 1000);
}

/** The Message-ID of the mail that bounced: from the returned headers, else from the text. */
function originalMessageId(mail: InboundMail): string | null {
  for (const part of mail.attachments) {
    if (!ORIGINAL_PARTS.has(baseType(part.contentType)) || !part.content) continue;
    const id = messageIdInHeaders(headerBlock(decodeUtf8(part.content)));
    if (id) return id;
  }
  return messageIdInHeaders(mail.text ?? '');
}

function headerBlock(text: string): string {
  const end = text.search(/\r?\n\r?\n/);
  return end >= 0 ? text.slice(0, end) : text;
}

function messageIdInHeaders(text: string): string | null {
  const m = /^[ \t>]*Message-ID:[ \t]*(.*(?:\r?\n[ \t]+.*)?)/im.exec(text);
  return m ? (angleIds(m[1]!)[0] ?? null) : null;
}

function baseType(contentType: string): string {
  return (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
}

function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
