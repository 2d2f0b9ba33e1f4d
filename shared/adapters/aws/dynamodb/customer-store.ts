import { GetCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound, preconditionFailed } from '../../../domain/errors';
import { type Customer, emailKey, nameKey } from '../../../domain/customer';
import type { CustomerQuery, CustomerStore, Page, Reference } from '../../../ports';
import type { DocClient } from './client';
import { queryPage } from './cursor';
import { transact } from './transact';

const customerKey = (id: string) => ({ pk: `CUSTOMER#${id}`, sk: 'CUSTOMER' });
const emailGuardKey = (email: string) => ({ pk: `EMAIL#${emailKey(email)}`, sk: 'EMAIL' });

function item(c: Customer) {
  return {
    ...customerKey(c.id),
    entity: 'customer',
    ...c,
    gsi1pk: `CUSTOMERS#${c.kind}`,
    gsi1sk: `${nameKey(c.name)}#${c.id}`,
    ...(c.accountId ? { gsi2pk: `ACCOUNT#${c.accountId}`, gsi2sk: `${nameKey(c.name)}#${c.id}` } : {}),
  };
}

function fromItem(i: Record<string, unknown>): Customer {
  const { pk: _a, sk: _b, entity: _c, gsi1pk: _d, gsi1sk: _e, gsi2pk: _f, gsi2sk: _g, ...rest } = i;
  return rest as unknown as Customer;
}

const emailTaken = (email: string) =>
  conflict('Another customer already uses this e-mail address.', [
    { path: 'email', code: 'duplicate', message: `'${email}' is already in use` },
  ]);

export class DynamoCustomerStore implements CustomerStore {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
  ) {}

  async create(c: Customer, refs: Reference[]) {
    await transact(
      this.db,
      this.table,
      [
        { Put: { TableName: this.table, Item: item(c), ConditionExpression: 'attribute_not_exists(pk)' } },
        ...(c.email
          ? [
              {
                Put: {
                  TableName: this.table,
                  Item: { ...emailGuardKey(c.email), entity: 'email', customerId: c.id },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]
          : []),
      ],
      refs,
      (failures) =>
        failures.some((f) => f.index === 1) && c.email
          ? emailTaken(c.email)
          : failures.some((f) => f.index === 0)
            ? conflict('A customer with this id already exists.')
            : undefined,
    );
  }

  async get(id: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: customerKey(id) }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async findIdByEmail(email: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: emailGuardKey(email) }));
    return out.Item ? String(out.Item.customerId) : undefined;
  }

  async save(c: Customer, previous: Customer, refs: Reference[]) {
    const emailChanged = (previous.email ? emailKey(previous.email) : null) !== (c.email ? emailKey(c.email) : null);
    const writes = [
      {
        Put: {
          TableName: this.table,
          Item: item(c),
          ConditionExpression: 'attribute_exists(pk) AND #v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': previous.version },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      },
      ...(emailChanged && c.email
        ? [
            {
              Put: {
                TableName: this.table,
                Item: { ...emailGuardKey(c.email), entity: 'email', customerId: c.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      ...(emailChanged && previous.email
        ? [
            {
              Delete: {
                TableName: this.table,
                Key: emailGuardKey(previous.email),
                ConditionExpression: 'customerId = :id',
                ExpressionAttributeValues: { ':id': c.id },
              },
            },
          ]
        : []),
    ];
    await transact(this.db, this.table, writes, refs, (failures) => {
      const own = failures.find((f) => f.index === 0);
      if (own?.code === 'ConditionalCheckFailed') return own.item ? preconditionFailed(Number(own.item.version), 'customer') : notFound('Customer');
      if (emailChanged && c.email && failures.some((f) => f.index === 1)) return emailTaken(c.email);
      return undefined;
    });
  }

  async list(q: CustomerQuery): Promise<Page<Customer>> {
    if (q.email) {
      const id = await this.findIdByEmail(q.email);
      const found = id ? await this.get(id) : undefined;
      return { items: found && (!q.kind || found.kind === q.kind) ? [found] : [], nextCursor: null };
    }
    const byAccount = Boolean(q.accountId);
    const partition = byAccount ? `ACCOUNT#${q.accountId}` : `CUSTOMERS#${q.kind ?? 'contact'}`;
    const index = byAccount ? 'gsi2' : 'gsi1';
    const base: QueryCommandInput = {
      TableName: this.table,
      IndexName: index,
      KeyConditionExpression: `${index}pk = :p`,
      ExpressionAttributeValues: { ':p': partition },
    };
    const page = await queryPage(this.db, base, partition, q.limit, q.cursor);
    return { items: page.items.map(fromItem), nextCursor: page.nextCursor };
  }
}
