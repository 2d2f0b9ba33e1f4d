/**
 * The SQS stand-in: fauxqs (speaks today's SQS JSON protocol) in-process, with each catalogue
 * queue and its dead-letter queue, and a poller per consuming function that plays the event
 * source mapping: batches of SQS-shaped records, `batchItemFailures` honoured (failed messages
 * stay and come back after the visibility timeout; after maxReceiveCount fauxqs moves them to
 * the DLQ, as SQS redrive does).
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type FauxqsServer, startFauxqs } from 'fauxqs';

export interface QueueSpec {
  name: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

export async function startSqs(
  queues: QueueSpec[],
): Promise<{ endpoint: string; server: FauxqsServer; urls: Record<string, string>; stop(): Promise<void> }> {
  const server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1', defaultRegion: REGION });
  for (const q of queues) {
    server.createQueue(`${q.name}-dlq`);
    server.createQueue(q.name, {
      attributes: {
        VisibilityTimeout: String(q.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(`${q.name}-dlq`), maxReceiveCount: String(q.maxReceiveCount) }),
      },
    });
  }
  const endpoint = `http://127.0.0.1:${server.port}`;
  // queue URLs as SQS itself reports them (the stand-in matches on the whole URL)
  const client = new SQSClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const urls: Record<string, string> = {};
  for (const q of queues) urls[q.name] = (await client.send(new GetQueueUrlCommand({ QueueName: q.name }))).QueueUrl!;
  client.destroy();
  return { endpoint, server, urls, stop: () => server.stop() };
}

function toRecord(m: Message, queue: string): SQSRecord {
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn(queue),
    awsRegion: REGION,
  };
}

export class QueuePoller {
  private readonly client: SQSClient;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private url: string | undefined;
  delivered = 0;

  constructor(
    private readonly opts: {
      endpoint: string;
      queue: string;
      batchSize: number;
      handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
      onError?: (e: Error) => void;
    },
  ) {
    this.client = new SQSClient({ endpoint: opts.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }

  async queueUrl() {
    this.url ??= (await this.client.send(new GetQueueUrlCommand({ QueueName: this.opts.queue }))).QueueUrl!;
    return this.url;
  }

  start() {
    this.loop = this.run();
    return this;
  }

  async stop() {
    this.stopped = true;
    await this.loop;
    this.client.destroy();
  }

  /** One receive and delivery; returns how many messages were handled successfully. */
  async pollOnce(waitSeconds = 1): Promise<number> {
    const QueueUrl = await this.queueUrl();
    const out = await this.client.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: Math.min(this.opts.batchSize, 10), WaitTimeSeconds: waitSeconds, MessageSystemAttributeNames: ['All'] }),
    );
    const messages = out.Messages ?? [];
    if (!messages.length) return 0;
    const records = messages.map((m) => toRecord(m, this.opts.queue));
    let failed = new Set<string>();
    try {
      const result = await this.opts.handler({ Records: records });
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (e) {
      // a thrown handler fails the whole batch, as on Lambda
      failed = new Set(records.map((r) => r.messageId));
      this.opts.onError?.(e as Error);
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length)
      await this.client.send(
        new DeleteMessageBatchCommand({ QueueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      );
    this.delivered += done.length;
    return done.length;
  }

  async depth(): Promise<{ visible: number; inFlight: number }> {
    const out = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: await this.queueUrl(), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0), inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) };
  }

  private async run() {
    while (!this.stopped) {
      try {
        await this.pollOnce(1);
      } catch (e) {
        if (!this.stopped) this.opts.onError?.(e as Error);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
}
