/**
 * One DynamoDB document client per process, created at module scope (re-used across Lambda
 * invocations). The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (DynamoDB Local).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function createDocumentClient(client = new DynamoDBClient({})) {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

export type DocClient = ReturnType<typeof createDocumentClient>;
