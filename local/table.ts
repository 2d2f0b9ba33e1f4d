/** Creates the domain table in DynamoDB Local from the same schema the CDK stack uses. */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceInUseException, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { INDEXES, STREAM_VIEW, TABLE_KEYS, indexKeys } from '../shared/adapters/aws/dynamodb/schema';

export async function ensureTable(client: DynamoDBClient, table: string): Promise<{ streamArn: string | undefined; created: boolean }> {
  const attrs = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
  for (const i of INDEXES) {
    const k = indexKeys(i);
    attrs.add(k.partitionKey);
    attrs.add(k.sortKey);
  }
  let created = false;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: INDEXES.map((i) => ({
          IndexName: i,
          KeySchema: [
            { AttributeName: indexKeys(i).partitionKey, KeyType: 'HASH' },
            { AttributeName: indexKeys(i).sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW },
      }),
    );
    created = true;
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  const out = await client.send(new DescribeTableCommand({ TableName: table }));
  // a data folder from an older version: add the indexes it lacks (new writes fill them)
  const present = new Set((out.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  for (const i of INDEXES.filter((x) => !present.has(x))) {
    const k = indexKeys(i);
    await client.send(
      new UpdateTableCommand({
        TableName: table,
        AttributeDefinitions: [
          { AttributeName: k.partitionKey, AttributeType: 'S' },
          { AttributeName: k.sortKey, AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: i,
              KeySchema: [
                { AttributeName: k.partitionKey, KeyType: 'HASH' },
                { AttributeName: k.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
  }
  return { streamArn: out.Table?.LatestStreamArn, created };
}

/** SDK settings for talking to DynamoDB Local; credentials are placeholders it ignores. */
export function localAwsEnv(endpoint: string) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = endpoint;
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}
