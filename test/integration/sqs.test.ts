/**
 * The local SQS stand-in (fauxqs) and the event-source poller: SQS-shaped batches, partial batch
 * failures redelivered after the visibility timeout, and redrive to the dead-letter queue.
 */
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueuePoller, startSqs } from '../../local/sqs';

let sqs: Awaited<ReturnType<typeof startSqs>>;
let client: SQSClient;
beforeAll(async () => {
  sqs = await startSqs([{ name: 'routing', visibilityTimeoutSeconds: 1, maxReceiveCount: 2 }]);
  client = new SQSClient({ endpoint: sqs.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client?.destroy();
  await sqs?.stop();
});

const url = async (name: string) => (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;

describe('local SQS', () => {
  it('delivers SQS-shaped batches, redelivers reported failures, and moves a poison message to the DLQ', async () => {
    const queueUrl = await url('routing');
    for (const body of ['ok-1', 'poison', 'ok-2']) await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const seen: string[] = [];
    let shape: SQSEvent['Records'][number] | undefined;
    const poller = new QueuePoller({
      endpoint: sqs.endpoint,
      queue: 'routing',
      batchSize: 10,
      handler: async (event) => {
        shape ??= event.Records[0];
        seen.push(...event.Records.map((r) => r.body));
        return { batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    // bounded: at most 8 receives of up to 1 s each
    for (let i = 0; i < 8 && seen.filter((b) => b === 'poison').length < 2; i++) await poller.pollOnce(1);
    expect(seen.filter((b) => b === 'ok-1')).toHaveLength(1);
    expect(seen.filter((b) => b === 'ok-2')).toHaveLength(1);
    expect(seen.filter((b) => b === 'poison')).toHaveLength(2); // maxReceiveCount
    expect(shape).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:routing', attributes: { ApproximateReceiveCount: '1' } });
    // after the visibility timeout the poison message is redriven, not redelivered
    await new Promise((r) => setTimeout(r, 1200));
    expect(await poller.pollOnce(1)).toBe(0);
    const dlq = await client.send(new ReceiveMessageCommand({ QueueUrl: await url('routing-dlq'), WaitTimeSeconds: 1 }));
    expect(dlq.Messages?.map((m) => m.Body)).toEqual(['poison']);
    await poller.stop();
  });

  it('fails the whole batch when the handler throws, as Lambda does', async () => {
    const queueUrl = await url('routing');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'again' }));
    let calls = 0;
    const errors: Error[] = [];
    const poller = new QueuePoller({
      endpoint: sqs.endpoint,
      queue: 'routing',
      batchSize: 10,
      handler: async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return { batchItemFailures: [] };
      },
      onError: (e) => errors.push(e),
    });
    expect(await poller.pollOnce(1)).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    let handled = 0;
    for (let i = 0; i < 4 && handled === 0; i++) handled = await poller.pollOnce(1);
    expect(handled).toBe(1);
    expect(errors.map((e) => e.message)).toEqual(['boom']);
    await poller.stop();
  });
});
