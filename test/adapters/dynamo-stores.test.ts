/** The DynamoDB adapters' error mapping and request shapes, with the SDK mocked. */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../shared/adapters/aws/dynamodb/case-store';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb/client';
import { DynamoCustomerStore } from '../../shared/adapters/aws/dynamodb/customer-store';
import { decodeCursor, encodeCursor } from '../../shared/adapters/aws/dynamodb/cursor';
import { DynamoTicketCounter } from '../../shared/adapters/aws/dynamodb/directory-store';
import { type Case, createCase } from '../../shared/domain/case';
import { DomainError } from '../../shared/domain/errors';

const ddb = mockClient(DynamoDBDocumentClient);
const db = createDocumentClient(new DynamoDBClient({ region: 'eu-west-1' }));
beforeEach(() => ddb.reset());

const c: Case = createCase({ title: 't', description: 'd', customerId: 'cust' }, { id: 'case-1', ticketNumber: 'CAS-01001-AAAAAA' }, { sub: 's', kind: 'staff' }, { now: '2026-01-01T00:00:00.000Z', newId: () => 'e1' }).case;

const cancelled = (codes: string[], item?: Record<string, unknown>) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code, i) => ({ Code, ...(i === 0 && item ? { Item: item } : {}) })) as never,
  });

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a rejection');
}

describe('case store', () => {
  it('writes the case, its entries and the reference checks in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await new DynamoCaseStore(db, 'tbl').create(c, [{ id: 'e1', caseId: c.id, kind: 'created', at: c.createdAt, actor: { sub: 's', kind: 'staff' }, visibility: 'public' }], [
      { field: 'customerId', kind: 'customer', id: 'cust' },
    ]);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(3);
    expect(items[0]!.Put!.Item).toMatchObject({ pk: 'CASE#case-1', sk: 'CASE', gsi1pk: 'CUST#cust', gsi4pk: 'STATE#active', gsi6pk: 'TICKET#CAS-01001-AAAAAA' });
    expect(items[0]!.Put!.Item).not.toHaveProperty('gsi2pk'); // no owner: not in the owner index
    expect(items[2]!.ConditionCheck).toMatchObject({ Key: { pk: 'CUSTOMER#cust', sk: 'CUSTOMER' }, ConditionExpression: 'attribute_exists(pk)' });
  });

  it('maps a failed reference check to a field error naming the field', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'ConditionalCheckFailed']));
    const e = await failure(new DynamoCaseStore(db, 'tbl').create(c, [c as never].slice(0, 1).map(() => ({ id: 'e1', caseId: c.id, kind: 'created', at: c.createdAt, actor: { sub: 's', kind: 'staff' }, visibility: 'public' as const })), [
      { field: 'subjectId', kind: 'subject', id: 'nope' },
    ]));
    expect(e.kind).toBe('validation');
    expect(e.errors).toEqual([{ path: 'subjectId', code: 'unknown_reference', message: "no subject with id 'nope'" }]);
  });

  it('maps a version mismatch to precondition-failed with the current version, and a missing case to not-found', async () => {
    const store = new DynamoCaseStore(db, 'tbl');
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(['ConditionalCheckFailed'], { version: { N: '5' } })).rejectsOnce(cancelled(['ConditionalCheckFailed']));
    const stale = await failure(store.save({ ...c, version: 2 }, [], 1, []));
    expect(stale.kind).toBe('precondition-failed');
    expect(stale.extra.currentVersion).toBe(5);
    const gone = await failure(store.save({ ...c, version: 2 }, [], 1, []));
    expect(gone.kind).toBe('not-found');
  });

  it('rethrows errors it does not understand', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('throttled'));
    await expect(new DynamoCaseStore(db, 'tbl').save(c, [], 1, [])).rejects.toThrow('throttled');
  });

  it('picks the most selective index and keeps the other filters', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const store = new DynamoCaseStore(db, 'tbl');
    await store.list({ ownerId: 'a1', state: 'active', priority: 'high', limit: 10 });
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ IndexName: 'gsi2', ScanIndexForward: false, ExpressionAttributeValues: { ':p': 'OWNER#a1', ':state': 'active', ':priority': 'high' } });
    expect(input.FilterExpression).toBe('#state = :state AND #priority = :priority');
    await store.list({ limit: 10 });
    expect(ddb.commandCalls(QueryCommand)[1]!.args[0].input).toMatchObject({ IndexName: 'gsi5', ExpressionAttributeValues: { ':p': 'CASES' } });
  });

  it('returns a cursor that resumes after the last item returned', async () => {
    const item = (i: number) => ({ ...c, id: `c${i}`, pk: `CASE#c${i}`, sk: 'CASE', gsi4pk: 'STATE#active', gsi4sk: `t${i}` });
    ddb.on(QueryCommand).resolves({ Items: [item(1), item(2), item(3)], LastEvaluatedKey: { pk: 'x' } });
    const page = await new DynamoCaseStore(db, 'tbl').list({ state: 'active', priority: 'low', limit: 2 });
    expect(page.items.map((x) => x.id)).toEqual(['c1', 'c2']);
    expect(decodeCursor(page.nextCursor!, 'STATE#active')).toEqual({ pk: 'CASE#c2', sk: 'CASE', gsi4pk: 'STATE#active', gsi4sk: 't2' });
  });
});

describe('cursors', () => {
  it('refuse tampering and cursors from another partition', () => {
    const cur = encodeCursor('CUST#a', { pk: 'p', sk: 's' });
    expect(decodeCursor(cur, 'CUST#a')).toEqual({ pk: 'p', sk: 's' });
    expect(() => decodeCursor(cur, 'CUST#b')).toThrow(DomainError);
    expect(() => decodeCursor('!!!', 'CUST#a')).toThrow(DomainError);
    expect(() => decodeCursor(encodeCursor('CUST#a', { pk: 1 } as never), 'CUST#a')).toThrow(DomainError);
  });
});

describe('customer store', () => {
  it('reports a taken e-mail as a conflict on the email field', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));
    const e = await failure(
      new DynamoCustomerStore(db, 'tbl').create(
        { id: 'x', kind: 'contact', name: 'n', email: 'A@b.c', phone: null, tier: 'standard', language: 'en', accountId: null, createdAt: '', updatedAt: '', version: 1 },
        [],
      ),
    );
    expect(e.kind).toBe('conflict');
    expect(e.errors[0]!.path).toBe('email');
    const guard = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]!.Put!.Item;
    expect(guard).toMatchObject({ pk: 'EMAIL#a@b.c' });
  });
  it('finds a customer by e-mail with one key read, case-insensitively', async () => {
    ddb.on(GetCommand, { Key: { pk: 'EMAIL#mixed@case.com', sk: 'EMAIL' } }).resolves({ Item: { customerId: 'c9' } });
    expect(await new DynamoCustomerStore(db, 'tbl').findIdByEmail('Mixed@Case.com')).toBe('c9');
  });
});

describe('ticket counter', () => {
  it('increments atomically with ADD and returns the new value', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 42 } });
    expect(await new DynamoTicketCounter(db, 'tbl').next()).toBe(42);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.UpdateExpression).toContain('ADD');
  });
});
