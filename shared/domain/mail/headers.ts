/**
 * Small readers for the raw header values of an `InboundMail`. Header values arrive as written by
 * whoever sent or relayed the mail, so every reader here tolerates comments, odd spacing and case.
 */
import type { InboundMail } from './types';

/** Every value of a header (name in any case), in the order they appear in the mail. */
export function headerValues(mail: Pick<InboundMail, 'headers'>, name: string): string[] {
  return mail.headers[name.toLowerCase()] ?? [];
}

export function hasHeader(mail: Pick<InboundMail, 'headers'>, name: string): boolean {
  return headerValues(mail, name).length > 0;
}

/**
 * RFC 5322 comments (`(like this)`, possibly nested) removed and whitespace collapsed. Quoted
 * strings are left alone: a comment marker inside quotes is text.
 */
export function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) {
      if (depth === 0) out += ch + value[i + 1];
      i++;
    } else if (quoted) {
      out += ch;
      if (ch === '"') quoted = false;
    } else if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) {
      if (ch === '"') quoted = true;
      out += ch;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** The leading keyword of a structured value (`auto-replied; owner=x (comment)` -> `auto-replied`). */
export function keyword(value: string): string {
  return (stripComments(value).split(/[;,\s]/, 1)[0] ?? '').toLowerCase();
}

/** `Local@Domain` -> { local: 'local', domain: 'domain' }; null when there is no `@`. */
export function splitAddress(address: string): { local: string; domain: string } | null {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at <= 0 || at === a.length - 1) return null;
  return { local: a.slice(0, at), domain: a.slice(at + 1) };
}

/** The address without its `+tag` (sub-addressing): `support+x@d` -> `support@d`. */
export function baseAddress(address: string): string {
  const parts = splitAddress(address);
  if (!parts) return address.trim().toLowerCase();
  const plus = parts.local.indexOf('+');
  return `${plus > 0 ? parts.local.slice(0, plus) : parts.local}@${parts.domain}`;
}

/** Every `<id>` in a header value, brackets removed (Message-ID, In-Reply-To, References). */
export function angleIds(value: string): string[] {
  const ids: string[] = [];
  for (const m of value.matchAll(/<([^<>\s]+)>/g)) ids.push(m[1]!);
  return ids;
}
