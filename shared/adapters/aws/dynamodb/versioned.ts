/**
 * Optimistic concurrency for whole-item writes: a put or delete conditional on the version the
 * caller read (0: the item must not exist yet). A lost race is a 412 carrying the stored version;
 * a missing item is `notFound` when the caller names what it is, else a 412 against version 0.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { notFound, preconditionFailed } from '../../../domain/errors';
import type { DocClient } from './client';
import { plain } from './transact';

export interface VersionedWrite {
  /** how the record is named in the 412 message ("rule set", "calendar"...) */
  what: string;
  /** when set, a missing item is this record's 404 instead of a 412 */
  notFoundAs?: string;
}

const condition = (expectedVersion: number) =>
  expectedVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'attribute_exists(pk) AND #v = :expected', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } };

function lost(e: unknown, opts: VersionedWrite): unknown {
  if (!(e instanceof ConditionalCheckFailedException)) return e;
  if (!e.Item) return opts.notFoundAs ? notFound(opts.notFoundAs) : preconditionFailed(0, opts.what);
  return preconditionFailed(Number(plain(e.Item as Record<string, unknown>).version ?? 1), opts.what);
}

export async function putVersioned(db: DocClient, table: string, item: Record<string, unknown>, expectedVersion: number, opts: VersionedWrite): Promise<void> {
  try {
    await db.send(new PutCommand({ TableName: table, Item: item, ...condition(expectedVersion), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
  } catch (e) {
    throw lost(e, opts);
  }
}

export async function deleteVersioned(db: DocClient, table: string, key: Record<string, string>, expectedVersion: number, opts: VersionedWrite): Promise<void> {
  try {
    await db.send(new DeleteCommand({ TableName: table, Key: key, ...condition(expectedVersion), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
  } catch (e) {
    throw lost(e, opts);
  }
}
