/**
 * Opaque pagination cursors. A cursor names the partition it belongs to; one presented for
 * another query (or tampered with) is refused with a validation error, never passed to DynamoDB.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { validationError } from '../../../domain/errors';
import type { DocClient } from './client';

type Key = Record<string, string>;

export function encodeCursor(partition: string, key: Key): string {
  return Buffer.from(JSON.stringify({ p: partition, k: key })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, partition: string): Key | undefined {
  if (!cursor) return undefined;
  const bad = () =>
    validationError('The cursor is not valid for this query.', [
      { path: 'cursor', code: 'invalid_cursor', message: 'use the nextCursor of the same query' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!parsed || typeof parsed !== 'object') throw bad();
  const { p, k } = parsed as { p?: unknown; k?: unknown };
  if (p !== partition || !k || typeof k !== 'object') throw bad();
  const entries = Object.entries(k as Record<string, unknown>);
  if (!entries.length || entries.length > 4 || entries.some(([, v]) => typeof v !== 'string')) throw bad();
  return k as Key;
}

/**
 * Query until `limit` matching items are collected (filters can thin a page), at most 10 round
 * trips. When a page holds more than we return, the cursor points at the last item returned, so
 * nothing is skipped.
 */
export async function queryPage(
  db: DocClient,
  base: QueryCommandInput,
  partition: string,
  limit: number,
  cursor?: string,
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const items: Record<string, unknown>[] = [];
  let start = decodeCursor(cursor, partition) as Record<string, unknown> | undefined;
  let overflow = false;
  for (let round = 0; round < 10 && !overflow; round++) {
    const need = limit - items.length;
    const out = await db.send(
      new QueryCommand({ ...base, ExclusiveStartKey: start, Limit: base.FilterExpression ? need + 20 : need }),
    );
    for (const item of out.Items ?? []) {
      if (items.length < limit) items.push(item);
      else overflow = true;
    }
    start = out.LastEvaluatedKey;
    if (!start || items.length >= limit) break;
  }
  const keyOf = (item: Record<string, unknown>) => {
    const key: Record<string, string> = { pk: String(item.pk), sk: String(item.sk) };
    if (base.IndexName) {
      key[`${base.IndexName}pk`] = String(item[`${base.IndexName}pk`]);
      key[`${base.IndexName}sk`] = String(item[`${base.IndexName}sk`]);
    }
    return key;
  };
  const last = items[items.length - 1];
  const next = overflow && last ? keyOf(last) : (start as Record<string, string> | undefined);
  return { items, nextCursor: next ? encodeCursor(partition, next) : null };
}
