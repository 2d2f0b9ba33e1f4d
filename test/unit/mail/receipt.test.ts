/** What the receiving system reports beside the mail: notification shapes, verdicts, envelope recipients. */
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { storedMails } from '../../../functions/inbound-mail';
import { threadKeys } from '../../../shared/domain/mail/threading';
import { trustVerdict, withReceipt } from '../../../shared/domain/mail/trust';
import { DEFAULT_TICKET_FORMAT } from '../../../shared/domain/ticket-number';
import { inbound } from './support';

const record = (body: unknown) => ({ body: JSON.stringify(body), messageId: 'm' }) as SQSRecord;
const ses = {
  notificationType: 'Received',
  mail: { messageId: 'ses-123' },
  receipt: {
    recipients: ['support+CAS-01001-K7F2Q9@example.com'],
    spamVerdict: { status: 'PASS' },
    virusVerdict: { status: 'PASS' },
    dmarcVerdict: { status: 'FAIL' },
    dmarcPolicy: 'REJECT',
    action: { type: 'S3', bucketName: 'b', objectKey: 'inbound/ses-123' },
  },
};

describe('notification shapes', () => {
  it('reads an SES notification, inside an SNS envelope or not, with its verdicts and recipients', () => {
    const expected = [
      {
        blobKey: 'inbound/ses-123',
        deliveryId: 'ses-123',
        receipt: { recipients: ['support+CAS-01001-K7F2Q9@example.com'], spamVerdict: 'PASS', virusVerdict: 'PASS', dmarcVerdict: 'FAIL', dmarcPolicy: 'REJECT' },
      },
    ];
    expect(storedMails(record(ses))).toEqual(expected);
    expect(storedMails(record({ Type: 'Notification', Message: JSON.stringify(ses) }))).toEqual(expected);
  });

  it('reads S3 notifications (URL-encoded keys) and ignores S3 test events', () => {
    const s3 = { Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'inbound/a+b%2Bc.eml' } } }, { eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'x' } } }] };
    expect(storedMails(record(s3))).toEqual([{ blobKey: 'inbound/a b+c.eml', deliveryId: 'a b+c' }]);
    expect(storedMails(record({ Event: 's3:TestEvent' }))).toEqual([]);
  });

  it('refuses an SES notification that names no stored object', () => {
    expect(() => storedMails(record({ ...ses, receipt: { ...ses.receipt, action: { type: 'Lambda' } } }))).toThrow(/without a stored object/);
  });
});

describe('the receipt folded into the mail', () => {
  it('quarantines on a DMARC failure under a reject policy that only the receipt reports', () => {
    const mail = inbound();
    expect(trustVerdict(mail).quarantine).toBe(false);
    const judged = trustVerdict(withReceipt(mail, { dmarcVerdict: 'FAIL', dmarcPolicy: 'REJECT' }));
    expect(judged.quarantine).toBe(true);
    expect(trustVerdict(withReceipt(mail, { dmarcVerdict: 'FAIL', dmarcPolicy: 'NONE' })).quarantine).toBe(false);
    expect(trustVerdict(withReceipt(mail, { spamVerdict: 'FAIL' })).quarantine).toBe(true);
  });

  it('a sender cannot forge a pass over the receiving system\'s failure', () => {
    const forged = inbound({ headers: { 'x-ses-virus-verdict': ['PASS'] } });
    expect(trustVerdict(withReceipt(forged, { virusVerdict: 'FAIL' })).quarantine).toBe(true);
  });

  it('envelope recipients reveal a Bcc\'d plus-address', () => {
    const mail = inbound({ to: [{ address: 'someone@else.example', name: null }] });
    const opts = { format: DEFAULT_TICKET_FORMAT, supportAddresses: ['support@example.com'] };
    expect(threadKeys(mail, opts)).toEqual([]);
    expect(threadKeys(withReceipt(mail, { recipients: ['Support+cas-01001-k7f2q9@example.com'] }), opts)).toEqual([{ match: 'plus-address', kind: 'ticket', value: 'CAS-01001-K7F2Q9' }]);
  });
});
