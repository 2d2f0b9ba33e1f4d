import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { WorkQueue } from '../../ports';

let client: SQSClient | undefined;

/** A queue from the catalogue, its URL from `QUEUE_URL_<NAME>` (set by the stack, or the local runtime). */
export class SqsWorkQueue implements WorkQueue {
  constructor(private readonly url: string) {}

  static fromEnv(variable: string, env: Record<string, string | undefined> = process.env) {
    const url = env[variable];
    if (!url) throw new Error(`${variable} is not set`);
    return new SqsWorkQueue(url);
  }

  async send(message: Record<string, unknown>): Promise<void> {
    // the client's own endpoint (same region on AWS, the stand-in locally), never the URL's host
    client ??= new SQSClient({ useQueueUrlAsEndpoint: false });
    await client.send(new SendMessageCommand({ QueueUrl: this.url, MessageBody: JSON.stringify(message) }));
  }
}

/** A queue whose URL is read from the environment on first send (functions that never send need none). */
export function lazyWorkQueue(variable: string): WorkQueue {
  let queue: SqsWorkQueue | undefined;
  return {
    send(message) {
      queue ??= SqsWorkQueue.fromEnv(variable);
      return queue.send(message);
    },
  };
}

/** Forget the shared client (the local runtime calls this when it starts another stand-in). */
export function resetSqsClient() {
  client?.destroy();
  client = undefined;
}
