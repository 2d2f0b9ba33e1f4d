/** Raw RFC 5322 mail for tests, built by hand so every header is what the test says. */
export interface RawMailOptions {
  from: string;
  to?: string;
  cc?: string;
  subject: string;
  text?: string;
  html?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
  returnPath?: string;
}

let n = 0;
export function rawMail(o: RawMailOptions): Uint8Array {
  const id = o.messageId === undefined ? `test-${Date.now()}-${++n}@customer.example` : o.messageId;
  const head = [
    ...(o.returnPath !== undefined ? [`Return-Path: <${o.returnPath}>`] : []),
    `From: ${o.from}`,
    `To: ${o.to ?? 'support@example.com'}`,
    ...(o.cc ? [`Cc: ${o.cc}`] : []),
    `Subject: =?UTF-8?B?${Buffer.from(o.subject).toString('base64')}?=`,
    'Date: Wed, 25 Nov 2026 10:00:00 +0000',
    ...(id ? [`Message-ID: <${id}>`] : []),
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`] : []),
    ...(o.references ? [`References: ${o.references}`] : []),
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
  ];
  const parts: string[] = [];
  const boundary = `b-${n}-${Math.random().toString(36).slice(2)}`;
  const textPart = (body: string, type: string) => [`Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: base64', '', Buffer.from(body).toString('base64')].join('\r\n');
  if (o.text !== undefined) parts.push(textPart(o.text, 'text/plain'));
  if (o.html !== undefined) parts.push(textPart(o.html, 'text/html'));
  for (const a of o.attachments ?? [])
    parts.push([`Content-Type: ${a.contentType}; name="${a.filename}"`, `Content-Disposition: attachment; filename="${a.filename}"`, 'Content-Transfer-Encoding: base64', '', a.content.toString('base64')].join('\r\n'));
  const body = [`Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...parts.map((p) => `--${boundary}\r\n${p}`), `--${boundary}--`, ''].join('\r\n');
  return Buffer.from(`${head.join('\r\n')}\r\n${body}`);
}
