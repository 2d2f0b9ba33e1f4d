/**
 * Raw MIME -> InboundMail, with mailparser. Mail comes from anyone, so this never throws: whatever
 * mailparser cannot read falls back to reading the header block by hand, and an empty or
 * unreadable input still yields a mail (with empty fields) that the pipeline can record.
 *
 * Identity fields (Message-ID, In-Reply-To, References, Return-Path, Date) are read from the raw
 * header lines rather than from mailparser's conveniences: we need every id without brackets, the
 * first (top-most) Return-Path, and null for an unreadable date instead of a guess.
 */
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { angleIds } from '../../domain/mail/headers';
import type { Address, Attachment, InboundMail } from '../../domain/mail/types';

const PARSER_OPTIONS = {
  // bodies are sanitised and converted by our own code (sanitize.ts); skip mailparser's work
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepCidLinks: true,
  // the status part of a bounce is data for parseBounce, not text
  keepDeliveryStatus: true,
  // a forwarded or returned message stays one attachment with its own headers
  ignoreEmbedded: true,
  checksumAlgo: false,
} as const;

export async function parseMime(raw: Uint8Array, deliveryId: string): Promise<InboundMail> {
  const bytes = withLineFeeds(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  let parsed: ParsedMail | null = null;
  try {
    parsed = await simpleParser(bytes, PARSER_OPTIONS);
  } catch {
    parsed = null;
  }
  try {
    if (!parsed) return fromRawHeaders(bytes, deliveryId);
    const mail = fromParsed(parsed, bytes, deliveryId);
    // a multipart whose boundary never occurs yields nothing: keep the body as text instead
    if (mail.text === null && mail.html === null && mail.attachments.length === 0) mail.text = bodyText(bytes);
    return { ...mail, size: raw.byteLength };
  } catch {
    return { ...emptyMail(deliveryId, bytes.byteLength), headers: safeHeaders(bytes) };
  }
}

function fromParsed(p: ParsedMail, raw: Buffer, deliveryId: string): InboundMail {
  const headers: Record<string, string[]> = {};
  for (const h of p.headerLines ?? []) addHeader(headers, h.key, valueOfLine(h.line));
  return {
    ...identity(headers),
    deliveryId,
    from: addresses(p.from)[0] ?? null,
    replyTo: addresses(p.replyTo),
    to: addresses(p.to),
    cc: addresses(p.cc),
    subject: typeof p.subject === 'string' ? p.subject : '',
    headers,
    // an empty text part next to HTML is no text: the HTML is converted instead
    text: typeof p.text === 'string' && p.text.trim() !== '' ? p.text : null,
    html: typeof p.html === 'string' ? p.html : null,
    attachments: (p.attachments ?? []).map(attachment),
    size: raw.byteLength,
  };
}

/** When mailparser gives up: the header block read by hand, the rest as UTF-8 text. */
function fromRawHeaders(raw: Buffer, deliveryId: string): InboundMail {
  const headers = safeHeaders(raw);
  const first = (name: string) => headers[name]?.[0] ?? '';
  return {
    ...emptyMail(deliveryId, raw.byteLength),
    ...identity(headers),
    from: plainAddress(first('from')),
    to: first('to').split(',').map(plainAddress).filter((a): a is Address => a !== null),
    subject: first('subject'),
    headers,
    text: bodyText(raw),
  };
}

/** Everything after the header block as UTF-8, or null when there is nothing. */
function bodyText(raw: Buffer): string | null {
  const text = raw.toString('utf8');
  const bodyAt = text.search(/\r?\n\r?\n/);
  return bodyAt >= 0 ? text.slice(bodyAt).trim() || null : null;
}

/** Old Mac mail ends lines with CR alone; the parser only knows LF. Only for mail without any LF. */
function withLineFeeds(raw: Buffer): Buffer {
  if (raw.includes(0x0a) || !raw.includes(0x0d)) return raw;
  return Buffer.from(raw.toString('latin1').replace(/\r/g, '\r\n'), 'latin1');
}

function emptyMail(deliveryId: string, size: number): InboundMail {
  return {
    messageId: null,
    deliveryId,
    inReplyTo: [],
    references: [],
    from: null,
    replyTo: [],
    to: [],
    cc: [],
    returnPath: null,
    subject: '',
    date: null,
    headers: {},
    text: null,
    html: null,
    attachments: [],
    size,
  };
}

function identity(headers: Record<string, string[]>) {
  const first = (name: string) => headers[name]?.[0];
  return {
    messageId: messageIdOf(first('message-id')),
    inReplyTo: idsOf(headers['in-reply-to'] ?? []),
    references: idsOf(headers.references ?? []),
    returnPath: returnPathOf(first('return-path')),
    date: dateOf(first('date')),
  };
}

function addHeader(headers: Record<string, string[]>, key: string, value: string) {
  const name = key.trim().toLowerCase();
  if (!name) return;
  const list = headers[name];
  if (list) list.push(value);
  else headers[name] = [value];
}

/** `Name: value` with folding removed (RFC 5322 unfolding keeps the whitespace). */
function valueOfLine(line: string): string {
  const colon = line.indexOf(':');
  return (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n(?=[ \t])/g, '').replace(/[\r\n]+/g, ' ').trim();
}

/** The header block by hand: used when mailparser failed, so it must not fail itself. */
function safeHeaders(raw: Buffer): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  try {
    // headers are ASCII by the RFC; latin1 keeps every other byte as one character
    const text = raw.subarray(0, 2 * 1024 * 1024).toString('latin1');
    const end = text.search(/\r?\n\r?\n/);
    const block = end >= 0 ? text.slice(0, end) : text;
    let current: { key: string; value: string } | null = null;
    const flush = () => current && addHeader(headers, current.key, current.value.trim());
    for (const line of block.split(/\r?\n/)) {
      if (/^[ \t]/.test(line) && current) current.value += line;
      else {
        flush();
        const m = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
        current = m ? { key: m[1]!, value: m[2]! } : null;
      }
    }
    flush();
  } catch {
    // nothing readable
  }
  return headers;
}

function messageIdOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const ids = angleIds(value);
  if (ids[0]) return ids[0];
  // some senders leave out the brackets
  const bare = value.trim();
  return bare && !/\s/.test(bare) ? bare : null;
}

function idsOf(values: readonly string[]): string[] {
  const ids: string[] = [];
  for (const v of values) {
    const found = angleIds(v);
    if (found.length) ids.push(...found);
    else for (const token of v.split(/[\s,]+/)) if (token.includes('@')) ids.push(token);
  }
  return [...new Set(ids)];
}

/** '' for the null sender `<>`; the first Return-Path is the one the receiving MTA wrote. */
function returnPathOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (v === '' || /^<\s*>$/.test(v)) return '';
  const inside = /<([^<>]*)>/.exec(v)?.[1] ?? v;
  return inside.trim().toLowerCase();
}

function dateOf(value: string | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function plainAddress(value: string): Address | null {
  const m = /<([^<>@\s]+@[^<>\s]+)>/.exec(value) ?? /([^<>\s"]+@[^<>\s",;]+)/.exec(value);
  if (!m) return null;
  const name = value.slice(0, value.indexOf(m[0])).replace(/["\s]+/g, ' ').trim();
  return { address: m[1]!.trim().toLowerCase(), name: name || null };
}

function addresses(field: AddressObject | AddressObject[] | undefined): Address[] {
  const out: Address[] = [];
  const objects = Array.isArray(field) ? field : field ? [field] : [];
  const visit = (entries: readonly { address?: string; name?: string; group?: unknown }[]) => {
    for (const e of entries) {
      if (Array.isArray(e.group)) visit(e.group);
      const address = (e.address ?? '').trim().toLowerCase();
      if (address) out.push({ address, name: e.name?.trim() || null });
    }
  };
  for (const o of objects) visit(o.value ?? []);
  return out;
}

function attachment(a: ParsedMail['attachments'][number]): Attachment {
  const content = a.content instanceof Uint8Array ? a.content : new Uint8Array(0);
  return {
    filename: a.filename ?? null,
    contentType: (a.contentType ?? 'application/octet-stream').toLowerCase(),
    size: typeof a.size === 'number' ? a.size : content.byteLength,
    contentId: a.cid ?? (a.contentId ? a.contentId.replace(/^<|>$/g, '') : null),
    inline: a.contentDisposition === 'inline' || a.related === true,
    content,
  };
}
