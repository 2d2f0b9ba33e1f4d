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

export const invalidCursor = () =>
  validationError('The cursor is not valid for this query.', [
    { path: 'cursor', code: 'invalid_cursor', message: 'use the nextCursor of the same query' },
  ]);

function parse(cursor: string): { p: string; k: Key } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!parsed || typeof parsed !== 'object') throw invalidCursor();
  const { p, k } = parsed as { p?: unknown; k?: unknown };
  if (typeof p !== 'string' || !k || typeof k !== 'object') throw invalidCursor();
  const entries = Object.entries(k as Record<string, unknown>);
  if (entries.length > 4 || entries.some(([, v]) => typeof v !== 'string')) throw invalidCursor();
  return { p, k: k as Key };
}

/** The partition a cursor belongs to (validation error when it is not a cursor of ours). */
export const cursorPartition = (cursor: string) => parse(cursor).p;

/** The start key a cursor holds, checked against the partition being read. An empty key means "from the start". */
export function decodeCursor(cursor: string | undefined, partition: string): Key | undefined {
  if (!cursor) return undefined;
  const { p, k } = parse(cursor);
  if (p !== partition) throw invalidCursor();
  return Object.keys(k).length ? k : undefined;
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
