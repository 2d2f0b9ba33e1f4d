import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Product, type Subject, productCodeKey } from '../../../domain/catalog';
import { nameKey } from '../../../domain/customer';
import { conflict } from '../../../domain/errors';
import type { CatalogStore, Page } from '../../../ports';
import type { DocClient } from './client';
import { queryPage } from './cursor';
import { transact } from './transact';

const strip = (i: Record<string, unknown>) => {
  const { pk: _a, sk: _b, entity: _c, gsi1pk: _d, gsi1sk: _e, ...rest } = i;
  return rest;
};

/** Every item of a small, bounded collection (subjects, agents, queues) through its gsi1 partition. */
export async function queryAll(db: DocClient, table: string, partition: string) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []).map(strip));
    start = out.LastEvaluatedKey;
  } while (start && items.length < 10_000);
  return items;
}

export async function getEntity(db: DocClient, table: string, kind: string, id: string) {
  const out = await db.send(new GetCommand({ TableName: table, Key: { pk: `${kind}#${id}`, sk: kind } }));
  return out.Item ? strip(out.Item) : undefined;
}

export class DynamoCatalogStore implements CatalogStore {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
  ) {}

  async createSubject(s: Subject) {
    await transact(
      this.db,
      this.table,
      [
        {
          Put: {
            TableName: this.table,
            Item: { pk: `SUBJECT#${s.id}`, sk: 'SUBJECT', entity: 'subject', ...s, gsi1pk: 'SUBJECTS', gsi1sk: `${nameKey(s.name)}#${s.id}` },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      s.parentId ? [{ field: 'parentId', kind: 'subject', id: s.parentId }] : [],
      (f) => (f.length ? conflict('A subject with this id already exists.') : undefined),
    );
  }

  async getSubject(id: string) {
    return (await getEntity(this.db, this.table, 'SUBJECT', id)) as Subject | undefined;
  }

  async listSubjects() {
    return (await queryAll(this.db, this.table, 'SUBJECTS')) as unknown as Subject[];
  }

  async createProduct(p: Product) {
    await transact(
      this.db,
      this.table,
      [
        {
          Put: {
            TableName: this.table,
            Item: { pk: `PRODUCT#${p.id}`, sk: 'PRODUCT', entity: 'product', ...p, gsi1pk: 'PRODUCTS', gsi1sk: `${nameKey(p.name)}#${p.id}` },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: { pk: `PRODUCTCODE#${productCodeKey(p.code)}`, sk: 'PRODUCTCODE', entity: 'product-code', productId: p.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      [],
      (f) =>
        f.some((x) => x.index === 1)
          ? conflict('Another product already uses this code.', [
              { path: 'code', code: 'duplicate', message: `'${p.code}' is already in use` },
            ])
          : f.length
            ? conflict('A product with this id already exists.')
            : undefined,
    );
  }

  async getProduct(id: string) {
    return (await getEntity(this.db, this.table, 'PRODUCT', id)) as Product | undefined;
  }

  async listProducts(q: { limit: number; cursor?: string }): Promise<Page<Product>> {
    const base: QueryCommandInput = {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': 'PRODUCTS' },
    };
    const page = await queryPage(this.db, base, 'PRODUCTS', q.limit, q.cursor);
    return { items: page.items.map(strip) as unknown as Product[], nextCursor: page.nextCursor };
  }
}
