import type { InboundMail } from '../../../shared/domain/mail/types';

/** A plain customer mail; override what a test is about. Header names are given lower-case. */
export function inbound(over: Partial<InboundMail> = {}): InboundMail {
  return {
    messageId: 'm1@example.net',
    deliveryId: 'd1',
    inReplyTo: [],
    references: [],
    from: { address: 'anna@example.net', name: 'Anna' },
    replyTo: [],
    to: [{ address: 'support@example.com', name: 'Support' }],
    cc: [],
    returnPath: 'anna@example.net',
    subject: 'Printer broken',
    date: '2024-03-05T10:00:00.000Z',
    headers: {},
    text: 'Hello',
    html: null,
    attachments: [],
    size: 100,
    ...over,
  };
}

export const bytes = (s: string) => new TextEncoder().encode(s);
