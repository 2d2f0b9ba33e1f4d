import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nameKey } from '../../../domain/customer';
import { conflict, notFound, preconditionFailed } from '../../../domain/errors';
import type { Agent, DirectoryStore, Queue, TicketCounter } from '../../../ports';
import { getEntity, queryAll } from './catalog-store';
import type { DocClient } from './client';
import { plain, transact } from './transact';

const agentKey = (id: string) => ({ pk: `AGENT#${id}`, sk: 'AGENT' });
const queueKey = (id: string) => ({ pk: `QUEUE#${id}`, sk: 'QUEUE' });
const agentIndex = (a: Agent) => ({ gsi1pk: 'AGENTS', gsi1sk: `${nameKey(a.name)}#${a.id}` });
const queueIndex = (q: Queue) => ({ gsi1pk: 'QUEUES', gsi1sk: `${nameKey(q.name)}#${q.id}` });

/** Records written before routing had presence, capacity or strategies read with the defaults. */
export function agentFromItem(item: Record<string, unknown>): Agent {
  const createdAt = String(item.createdAt);
  return {
    id: String(item.id),
    email: String(item.email),
    name: String(item.name),
    roles: (item.roles as string[] | undefined) ?? [],
    presence: (item.presence as Agent['presence'] | undefined) ?? 'offline',
    presenceChangedAt: (item.presenceChangedAt as string | undefined) ?? null,
    capacity: typeof item.capacity === 'number' ? item.capacity : 5,
    openCases: Math.max(0, Number(item.openCases ?? 0)),
    skills: (item.skills as Record<string, number> | undefined) ?? {},
    teams: (item.teams as string[] | undefined) ?? [],
    version: Number(item.version ?? 1),
    createdAt,
    updatedAt: (item.updatedAt as string | undefined) ?? createdAt,
  };
}

export function queueFromItem(item: Record<string, unknown>): Queue {
  const createdAt = String(item.createdAt);
  return {
    id: String(item.id),
    name: String(item.name),
    description: (item.description as string | null | undefined) ?? null,
    role: (item.role as Queue['role'] | undefined) ?? null,
    strategy: (item.strategy as Queue['strategy'] | undefined) ?? 'manual',
    members: (item.members as string[] | undefined) ?? [],
    requiredSkills: (item.requiredSkills as Record<string, number> | undefined) ?? {},
    lastAssignedAgentId: (item.lastAssignedAgentId as string | null | undefined) ?? null,
    version: Number(item.version ?? 1),
    createdAt,
    updatedAt: (item.updatedAt as string | undefined) ?? createdAt,
  };
}

/** SET every given attribute, conditional on the stored version (absent counts as 1). */
function versionedUpdate(table: string, key: Record<string, string>, attrs: Record<string, unknown>, expectedVersion: number) {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': expectedVersion };
  const sets = Object.entries(attrs).map(([k, v], i) => {
    names[`#a${i}`] = k;
    values[`:a${i}`] = v ?? null;
    return `#a${i} = :a${i}`;
  });
  return {
    TableName: table,
    Key: key,
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: expectedVersion === 1 ? 'attribute_exists(pk) AND (#version = :expected OR attribute_not_exists(#version))' : 'attribute_exists(pk) AND #version = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
}

/** A failed versioned write: the record is gone (404) or someone saved in between (412). */
const staleOr404 = (what: string, item: Record<string, unknown> | undefined) =>
  item ? preconditionFailed(Number(plain(item).version ?? 1), what.toLowerCase()) : notFound(what);

export class DynamoDirectoryStore implements DirectoryStore {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
  ) {}

  private async putNew(item: Record<string, unknown>, what: string) {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw conflict(`${what} with this id already exists.`);
      throw e;
    }
  }

  private async update(input: ReturnType<typeof versionedUpdate>, what: string) {
    try {
      await this.db.send(new UpdateCommand(input));
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw staleOr404(what, e.Item as Record<string, unknown> | undefined);
      throw e;
    }
  }

  async createAgent(a: Agent) {
    await this.putNew({ ...agentKey(a.id), entity: 'agent', ...a, ...agentIndex(a) }, 'An agent');
  }
  /** Everything but openCases, which only case writes move. */
  async saveAgent(a: Agent, expectedVersion: number) {
    const { openCases: _open, ...fields } = a;
    await this.update(versionedUpdate(this.table, agentKey(a.id), { ...fields, ...agentIndex(a) }, expectedVersion), 'Agent');
  }
  async setOpenCases(id: string, openCases: number) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: agentKey(id),
        UpdateExpression: 'SET openCases = :n',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':n': openCases },
      }),
    );
  }
  async getAgent(id: string) {
    const item = await getEntity(this.db, this.table, 'AGENT', id);
    return item ? agentFromItem(item) : undefined;
  }
  async listAgents() {
    return (await queryAll(this.db, this.table, 'AGENTS')).map(agentFromItem);
  }

  async createQueue(q: Queue) {
    await this.putNew({ ...queueKey(q.id), entity: 'queue', ...q, ...queueIndex(q) }, 'A queue');
  }
  async saveQueue(q: Queue, expectedVersion: number, demote?: Queue) {
    const own = versionedUpdate(this.table, queueKey(q.id), { ...q, ...queueIndex(q) }, expectedVersion);
    if (!demote) return this.update(own, 'Queue');
    const other = versionedUpdate(this.table, queueKey(demote.id), { role: null, version: demote.version + 1, updatedAt: q.updatedAt }, demote.version);
    await transact(this.db, this.table, [{ Update: own }, { Update: other }], [], (failures) => {
      const mine = failures.find((f) => f.index === 0 && f.code === 'ConditionalCheckFailed');
      if (mine) return staleOr404('Queue', mine.item);
      if (failures.some((f) => f.index === 1 && f.code === 'ConditionalCheckFailed'))
        return conflict(`The ${q.role} queue changed meanwhile; read the queues again and retry.`);
      return undefined;
    });
  }
  async deleteQueue(id: string, expectedVersion: number) {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: queueKey(id),
          ConditionExpression: 'attribute_exists(pk) AND (#version = :v OR attribute_not_exists(#version))',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':v': expectedVersion },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw staleOr404('Queue', e.Item as Record<string, unknown> | undefined);
      throw e;
    }
  }
  async getQueue(id: string) {
    const item = await getEntity(this.db, this.table, 'QUEUE', id);
    return item ? queueFromItem(item) : undefined;
  }
  async listQueues() {
    return (await queryAll(this.db, this.table, 'QUEUES')).map(queueFromItem);
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
