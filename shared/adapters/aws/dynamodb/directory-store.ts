import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nameKey } from '../../../domain/customer';
import type { Agent, DirectoryStore, Queue, TicketCounter } from '../../../ports';
import { getEntity, queryAll } from './catalog-store';
import type { DocClient } from './client';

export class DynamoDirectoryStore implements DirectoryStore {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
  ) {}

  async putAgent(a: Agent) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `AGENT#${a.id}`, sk: 'AGENT', entity: 'agent', ...a, gsi1pk: 'AGENTS', gsi1sk: `${nameKey(a.name)}#${a.id}` },
      }),
    );
  }
  async getAgent(id: string) {
    return (await getEntity(this.db, this.table, 'AGENT', id)) as Agent | undefined;
  }
  async listAgents() {
    return (await queryAll(this.db, this.table, 'AGENTS')) as unknown as Agent[];
  }
  async putQueue(q: Queue) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `QUEUE#${q.id}`, sk: 'QUEUE', entity: 'queue', ...q, gsi1pk: 'QUEUES', gsi1sk: `${nameKey(q.name)}#${q.id}` },
      }),
    );
  }
  async getQueue(id: string) {
    return (await getEntity(this.db, this.table, 'QUEUE', id)) as Queue | undefined;
  }
  async listQueues() {
    return (await queryAll(this.db, this.table, 'QUEUES')) as unknown as Queue[];
  }
}

/**
 * The ticket serial: an atomic ADD on one counter item, reserving `block` values at a time that
 * this process then hands out from memory. A value is never handed out twice (each block belongs
 * to one process); an unused rest of a block is a gap, which ticket numbers allow. Blocks cut the
 * counter writes by the block size and keep the counter item from becoming a hot key.
 */
export class DynamoTicketCounter implements TicketCounter {
  private nextValue = 0;
  private lastValue = 0;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly db: DocClient,
    private readonly table: string,
    private readonly block = 1,
    private readonly name = 'ticket',
  ) {
    if (!Number.isInteger(block) || block < 1 || block > 1000) throw new Error('ticket serial block must be 1 to 1000');
  }

  async next(): Promise<number> {
    for (;;) {
      if (this.nextValue > 0 && this.nextValue <= this.lastValue) return this.nextValue++;
      this.pending ??= this.reserve().finally(() => {
        this.pending = undefined;
      });
      await this.pending;
    }
  }

  private async reserve() {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `COUNTER#${this.name}`, sk: 'COUNTER' },
        UpdateExpression: 'ADD #n :block SET entity = :e',
        ExpressionAttributeNames: { '#n': 'value' },
        ExpressionAttributeValues: { ':block': this.block, ':e': 'counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Number(out.Attributes?.value);
    this.lastValue = last;
    this.nextValue = last - this.block + 1;
  }
}
