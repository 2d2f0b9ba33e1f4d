import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../../shared/domain/mail/bounce';
import type { Attachment } from '../../../shared/domain/mail/types';
import { bytes, inbound } from './support';

const part = (contentType: string, content: string): Attachment => ({ filename: null, contentType, size: content.length, contentId: null, inline: false, content: bytes(content) });
const report = { 'content-type': ['multipart/report; report-type=delivery-status; boundary="x"'] };
const daemon = { from: { address: 'mailer-daemon@mx.example.net', name: 'Mail Delivery System' }, returnPath: '' };

const DSN = [
  'Reporting-MTA: dns; mx.example.net',
  '',
  'Final-Recipient: rfc822; delivered@example.org',
  'Action: delivered',
  'Status: 2.0.0',
  '',
  'Final-Recipient: rfc822; Bob@Unknown.Example',
  'Original-Recipient: rfc822;bob@unknown.example',
  'Action: failed',
  'Status: 5.1.1 (user unknown)',
  'Diagnostic-Code: smtp; 550 5.1.1 <bob@unknown.example>:',
  '    Recipient address rejected',
].join('\r\n');

describe('parseBounce: standard reports (RFC 3464)', () => {
  it('reads the failed recipient block, folded diagnostic and the original Message-ID', () => {
    const mail = inbound({ ...daemon, headers: report, attachments: [part('message/delivery-status', DSN), part('message/rfc822', 'From: us@example.com\r\nMessage-ID:\r\n <out-1@example.com>\r\n\r\nbody')] });
    expect(parseBounce(mail)).toEqual({
      recipient: 'bob@unknown.example',
      status: '5.1.1',
      action: 'failed',
      diagnostic: '550 5.1.1 <bob@unknown.example>: Recipient address rejected',
      originalMessageId: 'out-1@example.com',
      permanent: true,
    });
  });

  it('takes the original id from text/rfc822-headers', () => {
    const mail = inbound({ ...daemon, attachments: [part('message/delivery-status', DSN), part('text/rfc822-headers', 'Subject: x\r\nMessage-Id: <out-2@example.com>\r\n')] });
    expect(parseBounce(mail)?.originalMessageId).toBe('out-2@example.com');
  });

  it('recognises a report by its Content-Type even when the status part was folded into the text', () => {
    const mail = inbound({ ...daemon, headers: report, text: `Sorry.\n\n${DSN.replace(/\r\n/g, '\n')}` });
    expect(parseBounce(mail)).toMatchObject({ recipient: 'bob@unknown.example', status: '5.1.1', action: 'failed' });
  });

  it('recognises a status part without the report Content-Type, from anyone', () => {
    const mail = inbound({ attachments: [part('message/global-delivery-status', 'Final-Recipient: utf-8; کاربر@example.ir\nAction: failed\nStatus: 5.1.1')] });
    expect(parseBounce(mail)).toMatchObject({ recipient: 'کاربر@example.ir', permanent: true });
  });

  it('delayed 4.x.x is not permanent; failed 4.x.x is (the sender gave up)', () => {
    const delayed = inbound({ ...daemon, attachments: [part('message/delivery-status', 'Final-Recipient: rfc822; f@x.example\nAction: delayed\nStatus: 4.4.7')] });
    expect(parseBounce(delayed)).toMatchObject({ action: 'delayed', status: '4.4.7', permanent: false, originalMessageId: null });
    const gaveUp = inbound({ ...daemon, attachments: [part('message/delivery-status', 'Final-Recipient: rfc822; f@x.example\nAction: failed\nStatus: 4.4.7')] });
    expect(parseBounce(gaveUp)?.permanent).toBe(true);
  });

  it('a report with an empty status part still counts, with what is known', () => {
    const mail = inbound({ ...daemon, headers: { ...report, 'x-failed-recipients': ['Gina@Gone.Example, other@x.example'] }, text: 'no fields here' });
    expect(parseBounce(mail)).toEqual({ recipient: 'gina@gone.example', status: null, action: null, diagnostic: null, originalMessageId: null, permanent: false });
  });

  it('an unknown action is null', () => {
    const mail = inbound({ attachments: [part('message/delivery-status', 'Final-Recipient: rfc822; a@b.example\nAction: exploded\nStatus: 5.0.0')] });
    expect(parseBounce(mail)).toMatchObject({ action: null, permanent: true });
  });
});

describe('parseBounce: free-form bounces', () => {
  it.each([
    ['Postfix', 'Undelivered Mail Returned to Sender', '<ivy@nowhere.example>: host mx said: 550 5.7.1 rejected', 'ivy@nowhere.example', '5.7.1'],
    ['Gmail', 'Delivery Status Notification (Failure)', "Your message wasn't delivered to erin@gmail.example. 550 5.1.1", 'erin@gmail.example', '5.1.1'],
    ['Exim', 'Mail delivery failed: returning message to sender', 'failed:\n  gina@gone.example\n    550 5.1.1 User unknown', 'gina@gone.example', '5.1.1'],
    ['qmail', 'failure notice', '<hank@qmail.example>:\nSorry, no mailbox here by that name. (#5.1.1)', 'hank@qmail.example', '5.1.1'],
    ['Exchange', 'Undeliverable: Your case', 'Delivery has failed to these recipients: jack@corp.example 550 5.1.10 RecipientNotFound', 'jack@corp.example', '5.1.10'],
  ])('%s', (_, subject, text, recipient, status) => {
    const b = parseBounce(inbound({ ...daemon, subject, text }));
    expect(b).toMatchObject({ recipient, status, action: 'failed', permanent: true });
  });

  it('reads Exchange HTML-only notices', () => {
    const b = parseBounce(inbound({ from: { address: 'postmaster@corp.example', name: null }, subject: 'Undeliverable: x', text: null, html: '<p>Delivery has failed to <a href="mailto:jack@corp.example">jack@corp.example</a></p><p>550 5.1.10</p>' }));
    expect(b).toMatchObject({ recipient: 'jack@corp.example', status: '5.1.10' });
  });

  it('a delay warning is delayed and not permanent', () => {
    const b = parseBounce(inbound({ ...daemon, subject: 'Delivery Status Notification (Delay)', text: 'still trying to deliver to a@b.example: 421 4.4.7' }));
    expect(b).toMatchObject({ action: 'delayed', status: '4.4.7', permanent: false });
  });

  it('finds the original Message-ID quoted in the text', () => {
    const b = parseBounce(inbound({ ...daemon, subject: 'failure notice', text: 'x@y.example: no\n--- copy\n\nMessage-ID: <out-6@example.com>\n' }));
    expect(b?.originalMessageId).toBe('out-6@example.com');
  });

  it.each([
    ['a customer writing about an undeliverable parcel', inbound({ subject: 'Undeliverable parcel', text: '550 5.1.1 is on the label' })],
    ['mailer-daemon without a bounce subject', inbound({ ...daemon, subject: 'Weekly statistics' })],
    ['a noreply sender with a bounce subject', inbound({ from: { address: 'noreply@shop.example', name: null }, subject: 'Undeliverable: order' })],
    ['a plain mail', inbound()],
  ])('not a bounce: %s', (_, mail) => {
    expect(parseBounce(mail)).toBeNull();
  });
});
