/**
 * Reference checks. Inside a transaction every record a write names gets a ConditionCheck; for a
 * single-item write (a new case) one BatchGetItem reads them first. Either way a missing record
 * becomes a field-level validation error naming the field, and nothing is stored half-way.
 * The read-first form is safe because referenced records (customers, subjects, products, agents,
 * queues) are never hard-deleted: erasure anonymises them in place.
 */
import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { BatchGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError, type FieldIssue, validationError } from '../../../domain/errors';
import type { Reference } from '../../../ports';
import type { DocClient } from './client';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export const refKey = (r: Reference) => ({ pk: `${r.kind.toUpperCase()}#${r.id}`, sk: r.kind.toUpperCase() });

/** Key of the referenced entity. Accounts are customers of kind `account`. */
function referenceKey(r: Reference) {
  if (r.kind === 'account' || r.kind === 'customer') return { pk: `CUSTOMER#${r.id}`, sk: 'CUSTOMER' };
  return refKey(r);
}

const ATTRIBUTE_TYPES = /^(S|N|B|SS|NS|BS|M|L|NULL|BOOL)$/;
/** Cancellation reasons carry the item in wire format (the document client does not convert errors). */
export function plain(item: Record<string, unknown>): Record<string, unknown> {
  const wire = Object.values(item).every(
    (v) => v !== null && typeof v === 'object' && Object.keys(v).length === 1 && ATTRIBUTE_TYPES.test(Object.keys(v)[0]!),
  );
  return wire ? unmarshall(item as Record<string, AttributeValue>) : item;
}

const missingRefs = (refs: Reference[]): FieldIssue[] =>
  refs.map((r) => ({ path: r.field, code: 'unknown_reference', message: `no ${r.kind} with id '${r.id}'` }));

/** Reads every referenced record in one BatchGetItem; throws a validation error for those missing. */
export async function checkReferences(db: DocClient, table: string, refs: Reference[]): Promise<void> {
  if (!refs.length) return;
  const keys = refs.map(referenceKey);
  const unique = [...new Map(keys.map((k) => [k.pk, k])).values()];
  const found = new Map<string, Record<string, unknown>>();
  let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> }> | undefined = {
    [table]: { Keys: unique, ProjectionExpression: 'pk, #kind', ExpressionAttributeNames: { '#kind': 'kind' } },
  };
  for (let round = 0; request && Object.keys(request).length && round < 5; round++) {
    const out = await db.send(new BatchGetCommand({ RequestItems: request as never }));
    for (const item of out.Responses?.[table] ?? []) found.set(String(item.pk), item);
    request = out.UnprocessedKeys as typeof request;
  }
  const missing = refs.filter((r) => {
    const item = found.get(referenceKey(r).pk);
    return !item || (r.kind === 'account' && item.kind !== 'account');
  });
  if (missing.length) throw validationError('The request refers to records that do not exist.', missingRefs(missing));
}

export interface Failure {
  index: number;
  code: string;
  item?: Record<string, unknown>;
}

const CONFLICT_RETRIES = 4;

/**
 * Two transactions touching one item at the same moment (say, two assignments to one agent) can
 * cancel each other with `TransactionConflict` and nothing written: that is retried, with jitter,
 * a bounded number of times. Condition failures are not retried: they are answers.
 */
async function sendWithConflictRetry(db: DocClient, items: TransactItem[]) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (e) {
      const reasons = e instanceof TransactionCanceledException ? (e.CancellationReasons ?? []) : [];
      const onlyConflicts = reasons.some((r) => r.Code === 'TransactionConflict') && reasons.every((r) => !r.Code || r.Code === 'None' || r.Code === 'TransactionConflict');
      if (!onlyConflicts || attempt >= CONFLICT_RETRIES) throw e;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt + Math.random() * 20));
    }
  }
}

export async function transact(
  db: DocClient,
  table: string,
  writes: TransactItem[],
  refs: Reference[],
  onFailure: (failures: Failure[]) => Error | undefined,
): Promise<void> {
  const checks: TransactItem[] = refs.map((r) => ({
    ConditionCheck: {
      TableName: table,
      Key: referenceKey(r),
      ConditionExpression:
        r.kind === 'account' ? 'attribute_exists(pk) AND #kind = :account' : 'attribute_exists(pk)',
      ...(r.kind === 'account'
        ? { ExpressionAttributeNames: { '#kind': 'kind' }, ExpressionAttributeValues: { ':account': 'account' } }
        : {}),
    },
  }));
  try {
    await sendWithConflictRetry(db, [...writes, ...checks]);
  } catch (e) {
    if (!(e instanceof TransactionCanceledException) || !e.CancellationReasons) throw e;
    const failures: Failure[] = e.CancellationReasons.map((r, index) => ({
      index,
      code: r.Code ?? 'None',
      item: r.Item ? plain(r.Item as Record<string, unknown>) : undefined,
    })).filter((f) => f.code !== 'None');
    const refIssues: FieldIssue[] = failures
      .filter((f) => f.index >= writes.length && f.code === 'ConditionalCheckFailed')
      .flatMap((f) => missingRefs([refs[f.index - writes.length]!]));
    const own = onFailure(failures.filter((f) => f.index < writes.length));
    // a missing record found by one of our own writes is reported together with the other ones
    if (own instanceof DomainError && own.kind === 'validation' && refIssues.length)
      throw validationError(own.message, [...own.errors, ...refIssues]);
    if (own) throw own;
    if (refIssues.length) throw validationError('The request refers to records that do not exist.', refIssues);
    throw e;
  }
}
