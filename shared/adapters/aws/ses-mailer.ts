/**
 * Outbound mail through SES v2 (`SendEmail`, simple content with our own headers). SES replaces
 * the Message-ID with `<MessageId@{region}.amazonses.com>`; we return that form so replies can be
 * threaded by their In-Reply-To. Locally `AWS_ENDPOINT_URL_SESV2` points at the SES stand-in.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutboundMail } from '../../ports/mail';

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client = new SESv2Client({}),
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutboundMail) {
    const out = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: mail.to },
        ReplyToAddresses: mail.replyTo,
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, ...(mail.html ? { Html: { Data: mail.html, Charset: 'UTF-8' } } : {}) },
            Headers: Object.entries(mail.headers).map(([Name, Value]) => ({ Name, Value })),
          },
        },
      }),
    );
    const providerId = String(out.MessageId);
    const region = (await this.ses.config.region()) || 'us-east-1';
    return { providerId, messageId: `${providerId}@${region}.amazonses.com` };
  }
}
