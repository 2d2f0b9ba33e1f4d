/**
 * The event-source-mapping stand-in for the table's stream: polls DynamoDB Local's stream and
 * calls the same `events` handler with the same event shape Lambda gets. Honours
 * `batchItemFailures` (retry from the failed record, then give up on it as the DLQ would) and
 * keeps a checkpoint per shard so a restart resumes where it stopped.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export interface PollerOptions {
  streamArn: string;
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  batchSize: number;
  retryAttempts: number;
  checkpointFile?: string;
  intervalMs?: number;
  onDropped?: (records: DynamoDBRecord[], reason: string) => void;
  /** defaults to AWS_ENDPOINT_URL_DYNAMODB_STREAMS */
  endpoint?: string;
}

export function toLambdaRecord(r: _Record, streamArn: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: process.env.AWS_REGION ?? 'eu-west-1',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(d as DynamoDBRecord['dynamodb']),
      ApproximateCreationDateTime: d.ApproximateCreationDateTime ? Math.floor(new Date(d.ApproximateCreationDateTime).getTime() / 1000) : undefined,
    } as DynamoDBRecord['dynamodb'],
  };
}

export class StreamPoller {
  private readonly client: DynamoDBStreamsClient;
  private readonly checkpoints: Record<string, string>;
  private readonly iterators = new Map<string, string | undefined>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  delivered = 0;

  constructor(private readonly opts: PollerOptions) {
    this.client = new DynamoDBStreamsClient(opts.endpoint ? { endpoint: opts.endpoint } : {});
    this.checkpoints = opts.checkpointFile && existsSync(opts.checkpointFile) ? JSON.parse(readFileSync(opts.checkpointFile, 'utf8')) : {};
  }

  start() {
    this.loop = this.run();
    return this;
  }

  async stop() {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** One pass over every open shard; returns how many records were handed to the handler. */
  async pollOnce(): Promise<number> {
    const desc = await this.client.send(new DescribeStreamCommand({ StreamArn: this.opts.streamArn }));
    let count = 0;
    for (const shard of desc.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (this.iterators.has(shardId) && this.iterators.get(shardId) === undefined) continue; // closed and drained
      let iterator: string | undefined = this.iterators.get(shardId) ?? (await this.iteratorFor(shardId, this.checkpoints[shardId]));
      const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.opts.batchSize }));
      const records = out.Records ?? [];
      iterator = out.NextShardIterator;
      if (records.length) {
        const failedAt = await this.deliver(records);
        if (failedAt !== undefined) {
          // resume at the failed record next time
          const failedIndex = records.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt);
          const lastGood = failedIndex > 0 ? records[failedIndex - 1]!.dynamodb!.SequenceNumber : this.checkpoints[shardId];
          this.iterators.set(shardId, await this.iteratorFor(shardId, lastGood));
          count += Math.max(failedIndex, 0);
          continue;
        }
        this.checkpoints[shardId] = records[records.length - 1]!.dynamodb!.SequenceNumber!;
        this.saveCheckpoints();
        count += records.length;
      }
      this.iterators.set(shardId, iterator);
    }
    this.delivered += count;
    return count;
  }

  private failures = new Map<string, number>();

  /** Returns the sequence number to resume from, or undefined when the batch is done. */
  private async deliver(records: _Record[]): Promise<string | undefined> {
    const lambdaRecords = records.map((r) => toLambdaRecord(r, this.opts.streamArn));
    let failedSeq: string | undefined;
    try {
      const result = await this.opts.handler({ Records: lambdaRecords });
      failedSeq = result?.batchItemFailures?.[0]?.itemIdentifier;
    } catch (e) {
      failedSeq = records[0]!.dynamodb!.SequenceNumber;
      process.stderr.write(`[stream] handler threw: ${(e as Error).message}\n`);
    }
    if (!failedSeq) return undefined;
    const attempts = (this.failures.get(failedSeq) ?? 0) + 1;
    this.failures.set(failedSeq, attempts);
    if (attempts <= this.opts.retryAttempts) return failedSeq;
    // retries exhausted: on AWS the record goes to the on-failure destination; here we report it
    const index = records.findIndex((r) => r.dynamodb?.SequenceNumber === failedSeq);
    this.opts.onDropped?.(lambdaRecords.slice(index, index + 1), `failed ${attempts} times`);
    this.failures.delete(failedSeq);
    if (index < records.length - 1) return this.deliver(records.slice(index + 1));
    return undefined;
  }

  private async iteratorFor(shardId: string, after: string | undefined) {
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.opts.streamArn,
        ShardId: shardId,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return out.ShardIterator!;
  }

  private saveCheckpoints() {
    if (this.opts.checkpointFile) writeFileSync(this.opts.checkpointFile, JSON.stringify(this.checkpoints));
  }

  private async run() {
    while (!this.stopped) {
      let n = 0;
      try {
        n = await this.pollOnce();
      } catch (e) {
        if (!this.stopped) process.stderr.write(`[stream] poll failed: ${(e as Error).message}\n`);
      }
      if (n > 0 || this.stopped) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.opts.intervalMs ?? 250).unref();
      });
    }
  }
}
