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

/** The ticket serial: one atomic ADD on a counter item; never hands out the same value twice. */
export class DynamoTicketCounter implements TicketCounter {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
    private readonly name = 'ticket',
  ) {}

  async next(): Promise<number> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `COUNTER#${this.name}`, sk: 'COUNTER' },
        UpdateExpression: 'ADD #n :one SET entity = :e',
        ExpressionAttributeNames: { '#n': 'value' },
        ExpressionAttributeValues: { ':one': 1, ':e': 'counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.value);
  }
}
