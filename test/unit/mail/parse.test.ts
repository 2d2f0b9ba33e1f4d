import { describe, expect, it } from 'vitest';
import { parseMime } from '../../../shared/adapters/mail/parse';
import { base64Lines, encodeText, encodedWords, message, pseudoRandomBytes, quotedPrintable, rawBytes } from '../../fixtures/mail/mime';
import { bytes } from './support';

const crlf = (lines: string[]) => bytes(lines.join('\r\n'));

describe('parseMime', () => {
  it('reads identity, addresses and headers', async () => {
    const raw = crlf([
      'Return-Path: <Bounce+X@Example.NET>',
      'Return-Path: <earlier@hop.example>',
      'Received: from a',
      'Received: from b',
      'From: "Anna Example" <Anna@Example.NET>',
      'Reply-To: Other <other@example.net>',
      'To: support@example.com, "Bob" <BOB@example.com>',
      'Cc: team: c1@example.com, c2@example.com;',
      'Subject: =?utf-8?B?2LPZhNin2YU=?= world',
      'Date: Tue, 05 Mar 2024 10:15:00 +0100 (CET)',
      'Message-ID: <abc@example.net>',
      'In-Reply-To: <p1@example.com> <p2@example.com>',
      'References: <r1@example.com>',
      ' <r2@example.com>',
      'X-Custom: folded',
      '\tvalue',
      '',
      'Body',
    ]);
    const mail = await parseMime(raw, 'ses-1');
    expect(mail).toMatchObject({
      messageId: 'abc@example.net',
      deliveryId: 'ses-1',
      inReplyTo: ['p1@example.com', 'p2@example.com'],
      references: ['r1@example.com', 'r2@example.com'],
      from: { address: 'anna@example.net', name: 'Anna Example' },
      replyTo: [{ address: 'other@example.net', name: 'Other' }],
      to: [
        { address: 'support@example.com', name: null },
        { address: 'bob@example.com', name: 'Bob' },
      ],
      cc: [
        { address: 'c1@example.com', name: null },
        { address: 'c2@example.com', name: null },
      ],
      returnPath: 'bounce+x@example.net',
      subject: 'سلام world',
      date: '2024-03-05T09:15:00.000Z',
      text: 'Body',
      html: null,
      attachments: [],
      size: raw.byteLength,
    });
    expect(mail.headers.received).toEqual(['from a', 'from b']);
    expect(mail.headers['x-custom']).toEqual(['folded\tvalue']);
    expect(mail.headers.subject).toEqual(['=?utf-8?B?2LPZhNin2YU=?= world']);
  });

  it("the null sender is '', a missing Return-Path null", async () => {
    expect((await parseMime(crlf(['Return-Path: <>', 'From: a@b.example', '', 'x']), 'd')).returnPath).toBe('');
    expect((await parseMime(crlf(['Return-Path: < >', '', 'x']), 'd')).returnPath).toBe('');
    expect((await parseMime(crlf(['From: a@b.example', '', 'x']), 'd')).returnPath).toBeNull();
  });

  it('keeps attachments with their bytes, inline images with their Content-ID', async () => {
    const pdf = pseudoRandomBytes(5000, 1);
    const raw = message(['From: a@example.net', 'Subject: files'], {
      multipart: 'mixed',
      parts: [
        { multipart: 'related', parts: [{ type: 'text/html', charset: 'utf-8', cte: 'quoted-printable', body: '<img src="cid:img1@x">' }, { type: 'image/png', cte: 'base64', body: pseudoRandomBytes(100, 2), cid: 'img1@x', disposition: 'inline' }] },
        { type: 'application/pdf', cte: 'base64', body: pdf, filename: 'a.pdf' },
      ],
    });
    const mail = await parseMime(raw, 'd');
    expect(mail.html).toContain('cid:img1@x');
    expect(mail.text).toBeNull();
    expect(mail.attachments.map(({ content, ...a }) => a)).toEqual([
      { filename: null, contentType: 'image/png', size: 100, contentId: 'img1@x', inline: true },
      { filename: 'a.pdf', contentType: 'application/pdf', size: 5000, contentId: null, inline: false },
    ]);
    expect(Buffer.from(mail.attachments[1]!.content!).equals(Buffer.from(pdf))).toBe(true);
  });

  it('keeps a bounce status part and the returned message as attachments', async () => {
    const raw = message(['From: MAILER-DAEMON@x.example', 'Subject: Undelivered'], {
      multipart: 'report',
      params: 'report-type=delivery-status',
      parts: [
        { type: 'text/plain', body: 'failed', cte: '7bit' },
        { type: 'message/delivery-status', body: 'Final-Recipient: rfc822; a@b.example\r\nAction: failed\r\n', cte: '7bit' },
        { type: 'message/rfc822', body: 'Message-ID: <o@us>\r\n\r\nhi', cte: '7bit', disposition: 'inline' },
      ],
    });
    const mail = await parseMime(raw, 'd');
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['message/delivery-status', 'message/rfc822']);
    expect(mail.text).toBe('failed');
  });

  it.each([
    ['windows-1256', 'سلام، چاپگر کار نمي‌کند'],
    ['iso-8859-6', 'مرحبا بالعالم'],
    ['iso-2022-jp', 'プリンターが動きません'],
    ['koi8-r', 'Принтер'],
    ['gb2312', '打印机'],
    ['big5', '印表機'],
    ['euc-kr', '프린터'],
    ['windows-1252', 'Café “quoted” €'],
  ])('decodes %s in the body and in encoded words', async (charset, sample) => {
    const raw = message([`From: a@example.net`, `Subject: ${encodedWords(sample, charset, 'B')}`], { type: 'text/plain', charset, cte: 'quoted-printable', body: sample });
    const mail = await parseMime(raw, 'd');
    expect(mail.subject).toBe(sample);
    expect(mail.text).toBe(sample);
  });

  it.each([
    ['empty input', new Uint8Array(0)],
    ['only a newline', bytes('\r\n')],
    ['garbage', pseudoRandomBytes(2048, 5)],
    ['header without colon', bytes('garbage line\r\n\r\n')],
    ['bad base64', crlf(['Content-Type: text/plain', 'Content-Transfer-Encoding: base64', '', '!!!not base64***'])],
    ['missing boundary', crlf(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'x'])],
    ['header block over 1 MB', rawBytes(`Subject: big\r\nX-Big: ${'a'.repeat(1_200_000)}\r\n\r\nbody`)],
  ])('never throws: %s', async (_, raw) => {
    const mail = await parseMime(raw, 'd');
    expect(mail.deliveryId).toBe('d');
    expect(mail.size).toBe(raw.byteLength);
  });

  it('an empty input yields a mail with empty fields', async () => {
    expect(await parseMime(new Uint8Array(0), 'd')).toEqual({
      messageId: null,
      deliveryId: 'd',
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
      size: 0,
    });
  });

  it('reads the header block by hand when the parser gives up', async () => {
    const raw = rawBytes(`From: Big <Big@Example.net>\r\nTo: support@example.com\r\nSubject: big\r\nMessage-ID: <big@x>\r\nReturn-Path: <>\r\nX-Big: ${'a'.repeat(1_200_000)}\r\n\r\nthe body`);
    const mail = await parseMime(raw, 'd');
    expect(mail).toMatchObject({ messageId: 'big@x', from: { address: 'big@example.net', name: 'Big' }, to: [{ address: 'support@example.com', name: null }], subject: 'big', returnPath: '', text: 'the body' });
  });

  it('a garbage Date is null, not a guess', async () => {
    expect((await parseMime(crlf(['Date: someday', '', 'x']), 'd')).date).toBeNull();
  });

  it('ids without brackets are still read', async () => {
    const mail = await parseMime(crlf(['Message-ID: bare@x', 'In-Reply-To: out-1@us', '', 'x']), 'd');
    expect(mail.messageId).toBe('bare@x');
    expect(mail.inReplyTo).toEqual(['out-1@us']);
  });

  it('accepts a Uint8Array view into a larger buffer', async () => {
    const big = bytes('XXXXFrom: a@example.net\r\nSubject: view\r\n\r\nbody');
    const mail = await parseMime(big.subarray(4), 'd');
    expect(mail.subject).toBe('view');
  });
});

describe('fixture MIME writer', () => {
  it('ISO-2022-JP switches into and out of JIS X 0208', () => {
    expect([...encodeText('aア', 'iso-2022-jp')]).toEqual([0x61, 0x1b, 0x24, 0x42, 0x25, 0x22, 0x1b, 0x28, 0x42]);
  });

  it('quoted-printable escapes 8-bit bytes, = and trailing spaces, and wraps', () => {
    expect(quotedPrintable(bytes('a=b é \r\nx'))).toBe('a=3Db =C3=A9=20\r\nx');
    expect(quotedPrintable(bytes('y'.repeat(100))).split('\r\n').every((l) => l.length <= 76)).toBe(true);
  });

  it('base64 lines are 76 characters', () => {
    expect(base64Lines(new Uint8Array(100)).split('\r\n').map((l) => l.length)).toEqual([76, 60]);
  });

  it('encoded words split by characters', () => {
    expect(encodedWords('abc', 'utf-8', 'Q', 2)).toBe('=?utf-8?Q?ab?=\r\n =?utf-8?Q?c?=');
  });

  it('pseudo-random bytes are deterministic per seed', () => {
    expect(pseudoRandomBytes(16, 1)).toEqual(pseudoRandomBytes(16, 1));
    expect(pseudoRandomBytes(16, 1)).not.toEqual(pseudoRandomBytes(16, 2));
  });

  it('rawBytes writes one byte per character', () => {
    expect([...rawBytes('a\u00ff')]).toEqual([0x61, 0xff]);
  });

  it('message can use bare line feeds', () => {
    const raw = message(['From: a@b.example'], { type: 'text/plain', body: 'x', cte: '7bit' }, { eol: '\n' });
    expect(Buffer.from(raw).includes('\r')).toBe(false);
  });
});
