/**
 * The e-mail stand-ins: an SMTP listener on 127.0.0.1 that stores each mail as SES would (raw
 * MIME in the blob store, `Return-Path` from the envelope) and announces it on the inbound-mail
 * queue in the shape of SES's receipt notification, so the same handler runs; and the SES stand-in
 * (`aws-ses-v2-local`), whose viewer shows what we send.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as sesLocal from 'aws-ses-v2-local';
import { SMTPServer } from 'smtp-server';
import type { BlobStore } from '../shared/ports/mail';

export interface MailStandIns {
  smtpPort: number;
  sesUrl: string;
  stop(): Promise<void>;
}

const MAX_MAIL_BYTES = 40 * 1024 * 1024;

/** The package is CommonJS with `exports.default`: under Node's ESM loader that is `.default.default`. */
type SesServer = (config?: { host?: string; port?: number }) => Promise<Server>;
const sesServer: SesServer = (() => {
  const m = sesLocal as unknown as { default: SesServer | { default: SesServer } };
  return typeof m.default === 'function' ? m.default : m.default.default;
})();

export async function startMailStandIns(opts: {
  blobs: BlobStore;
  sqsEndpoint: string;
  inboundQueueUrl: string;
  supportAddresses: string[];
  smtpPort: number;
  sesPort: number;
  log?: (line: string) => void;
}): Promise<MailStandIns> {
  const sqs = new SQSClient({ endpoint: opts.sqsEndpoint });
  const ours = (address: string) => {
    const [local = '', domain = ''] = address.toLowerCase().split('@');
    return opts.supportAddresses.includes(`${local.split('+')[0]}@${domain}`);
  };

  const smtp = new SMTPServer({
    name: 'helpdesk.local',
    banner: 'help desk local SMTP listener',
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_MAIL_BYTES,
    logger: false,
    onRcptTo(address, _session, callback) {
      // like an SES receipt rule: only our addresses (and their plus-addresses) are accepted
      if (!ours(address.address)) return callback(Object.assign(new Error(`550 5.1.1 ${address.address}: no such mailbox here`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', async () => {
        try {
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded)
            return callback(Object.assign(new Error('552 5.3.4 message too big'), { responseCode: 552 }));
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const raw = Buffer.concat([Buffer.from(`Return-Path: <${from}>\r\n`), ...chunks]);
          const id = `local-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
          const key = `inbound/${id}.eml`;
          await opts.blobs.put(key, raw, 'message/rfc822');
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: opts.inboundQueueUrl,
              // what SES's S3 action notifies: the stored object, the envelope recipients and verdicts
              // (nothing is scanned locally: GRAY, like an unscanned mail)
              MessageBody: JSON.stringify({
                notificationType: 'Received',
                mail: { messageId: id, source: from, destination: session.envelope.rcptTo.map((r) => r.address) },
                receipt: {
                  recipients: session.envelope.rcptTo.map((r) => r.address),
                  spamVerdict: { status: 'GRAY' },
                  virusVerdict: { status: 'GRAY' },
                  dmarcVerdict: { status: 'GRAY' },
                  action: { type: 'S3', bucketName: 'local', objectKey: key },
                },
              }),
            }),
          );
          opts.log?.(`[smtp] stored ${key} (${raw.length} bytes) from ${from || '<>'}`);
          callback(null, `Queued as ${id}`);
        } catch (e) {
          callback(e as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(opts.smtpPort, '127.0.0.1', () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  let ses: Server;
  try {
    ses = await sesServer({ host: '127.0.0.1', port: opts.sesPort });
  } catch (e) {
    await new Promise<void>((r) => smtp.close(() => r()));
    throw e;
  }
  const sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
  return {
    smtpPort,
    sesUrl,
    async stop() {
      await new Promise<void>((r) => smtp.close(() => r()));
      await new Promise<void>((r) => ses.close(() => r()));
      sqs.destroy();
    },
  };
}
