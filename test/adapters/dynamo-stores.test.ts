/** The DynamoDB adapters' error mapping and request shapes, with the SDK mocked. */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
  const created = { id: 'e1', caseId: c.id, kind: 'created' as const, at: c.createdAt, actor: { sub: 's', kind: 'staff' as const }, visibility: 'public' as const };

  it('creates a case with one PutItem carrying its creation entries, after one read of its references', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { tbl: [{ pk: 'CUSTOMER#cust', kind: 'contact' }] } });
    ddb.on(PutCommand).resolves({});
    await new DynamoCaseStore(db, 'tbl').create(c, [created], [{ field: 'customerId', kind: 'customer', id: 'cust' }]);
    expect(ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.tbl!.Keys).toEqual([{ pk: 'CUSTOMER#cust', sk: 'CUSTOMER' }]);
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put.Item).toMatchObject({ pk: 'CASE#case-1', sk: 'CASE', gsi1pk: 'CUST#cust', gsi4pk: 'STATE#active', gsi5pk: 'TICKET#CAS-01001-AAAAAA', creationEntries: [created] });
    expect(put.Item).not.toHaveProperty('gsi2pk'); // no owner: not in the owner index
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses a new case naming missing records, naming each field, and writes nothing', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { tbl: [{ pk: 'CUSTOMER#cust', kind: 'account' }] } });
    const e = await failure(
      new DynamoCaseStore(db, 'tbl').create(c, [created], [
        { field: 'customerId', kind: 'customer', id: 'cust' },
        { field: 'subjectId', kind: 'subject', id: 'nope' },
      ]),
    );
    expect(e.kind).toBe('validation');
    expect(e.errors).toEqual([{ path: 'subjectId', code: 'unknown_reference', message: "no subject with id 'nope'" }]);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('checks references inside the transaction of a change, and names the failed field', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));
    const e = await failure(new DynamoCaseStore(db, 'tbl').save({ ...c, version: 2, ownerId: 'ghost' }, [], { ...c, version: 1 }, [{ field: 'ownerId', kind: 'agent', id: 'ghost' }]));
    expect(e.kind).toBe('validation');
    expect(e.errors[0]).toMatchObject({ path: 'ownerId', code: 'unknown_reference' });
    const update = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!;
    expect(update.ConditionExpression).toBe('attribute_exists(pk) AND #version = :expected');
    expect(update.UpdateExpression).not.toMatch(/REMOVE gsi2pk/); // it has an owner now
  });

  it('maps a version mismatch to precondition-failed with the current version, and a missing case to not-found', async () => {
    const store = new DynamoCaseStore(db, 'tbl');
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(['ConditionalCheckFailed'], { version: { N: '5' } })).rejectsOnce(cancelled(['ConditionalCheckFailed']));
    const stale = await failure(store.save({ ...c, version: 2 }, [], { ...c, version: 1 }, []));
    expect(stale.kind).toBe('precondition-failed');
    expect(stale.extra.currentVersion).toBe(5);
    const gone = await failure(store.save({ ...c, version: 2 }, [], { ...c, version: 1 }, []));
    expect(gone.kind).toBe('not-found');
  });

  it('rethrows errors it does not understand', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('throttled'));
    await expect(new DynamoCaseStore(db, 'tbl').save(c, [], { ...c, version: 1 }, [])).rejects.toThrow('throttled');
  });

  it('picks the most selective index and keeps the other filters', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const store = new DynamoCaseStore(db, 'tbl');
    await store.list({ ownerId: 'a1', state: 'active', priority: 'high', limit: 10 });
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ IndexName: 'gsi2', ScanIndexForward: false, ExpressionAttributeValues: { ':p': 'OWNER#a1', ':state': 'active', ':priority': 'high' } });
    expect(input.FilterExpression).toBe('#state = :state AND #priority = :priority');
    await store.list({ limit: 10 });
    // no selective filter: the state index, active first, then resolved, then cancelled
    expect(ddb.commandCalls(QueryCommand).slice(1).map((c) => c.args[0].input.ExpressionAttributeValues![':p'])).toEqual([
      'STATE#active',
      'STATE#resolved',
      'STATE#cancelled',
    ]);
    await store.list({ status: 'on_hold', limit: 10 });
    expect(ddb.commandCalls(QueryCommand)[4]!.args[0].input).toMatchObject({ IndexName: 'gsi4', ExpressionAttributeValues: { ':p': 'STATE#active', ':status': 'on_hold' } });
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
  it('reserves serials in blocks and hands each value out once, even to concurrent callers', async () => {
    let counter = 0;
    ddb.on(UpdateCommand).callsFake(async (input) => {
      counter += input.ExpressionAttributeValues[':block'];
      await new Promise((r) => setTimeout(r, 5));
      return { Attributes: { value: counter } };
    });
    const store = new DynamoTicketCounter(db, 'tbl', 10);
    const values = await Promise.all(Array.from({ length: 25 }, () => store.next()));
    expect(new Set(values).size).toBe(25);
    expect(Math.min(...values)).toBe(1);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(3);
    // a second process gets its own block: no overlap
    const other = new DynamoTicketCounter(db, 'tbl', 10);
    expect(await other.next()).toBe(31);
  });
});

describe('transactions and workload', () => {
  it('retries a transaction cancelled only by a conflict, and gives a condition failure back at once', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(['TransactionConflict', 'None'])).resolvesOnce({});
    const store = new DynamoCaseStore(db, 'tbl');
    await store.save({ ...c, version: 2 }, [], { ...c, version: 1 }, []);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'TransactionConflict'], { version: { N: '3' } }));
    const e = await failure(store.save({ ...c, version: 2 }, [], { ...c, version: 1 }, []));
    expect(e.kind).toBe('precondition-failed');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('moves open-case counts with the owner, guards an automatic assignment, and maps its failure', async () => {
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled(['None', 'ConditionalCheckFailed', 'None']));
    const store = new DynamoCaseStore(db, 'tbl');
    const before = { ...c, ownerId: 'old', version: 1 };
    await store.save({ ...c, ownerId: 'new', version: 2 }, [], before, [{ field: 'ownerId', kind: 'agent', id: 'new' }]);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const adds = items.filter((i) => i.Update?.UpdateExpression === 'ADD openCases :d').map((i) => [i.Update!.Key!.pk, i.Update!.ExpressionAttributeValues![':d']]);
    expect(adds).toEqual([['AGENT#old', -1], ['AGENT#new', 1]]);
    expect(items.some((i) => i.ConditionCheck)).toBe(false); // the count update already requires the agent
    const e = await failure(store.save({ ...c, queueId: 'q', ownerId: 'busy', version: 2 }, [], { ...c, queueId: 'q', version: 1 }, [], { requireAvailable: true, queueCursor: 'q' }));
    expect(e.kind).toBe('conflict');
    expect(e.extra).toMatchObject({ reason: 'agent-unavailable', agentId: 'busy' });
    const guarded = ddb.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems!;
    expect(guarded[1]!.Update!.ConditionExpression).toMatch(/#presence = :available .* openCases < #capacity/);
    expect(guarded[2]!.Update).toMatchObject({ Key: { pk: 'QUEUE#q', sk: 'QUEUE' }, UpdateExpression: 'SET lastAssignedAgentId = :a' });
  });
});

describe('directory store', () => {
  it('reports the stored version of an agent or queue that changed meanwhile, and not-found when gone', async () => {
    const { ConditionalCheckFailedException } = await import('@aws-sdk/client-dynamodb');
    const { DynamoDirectoryStore } = await import('../../shared/adapters/aws/dynamodb/directory-store');
    const store = new DynamoDirectoryStore(db, 'tbl');
    ddb
      .on(UpdateCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'x', $metadata: {}, Item: { version: { N: '4' } } as never }))
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }));
    const q = { id: 'q', name: 'Q', description: null, role: null, strategy: 'manual' as const, members: [], requiredSkills: {}, lastAssignedAgentId: null, version: 3, createdAt: 'x', updatedAt: 'x' };
    const stale = await failure(store.saveQueue(q, 2));
    expect(stale.kind).toBe('precondition-failed');
    expect(stale.extra.currentVersion).toBe(4);
    expect(stale.message).toMatch(/queue was changed/);
    expect((await failure(store.saveQueue(q, 2))).kind).toBe('not-found');
  });
});
