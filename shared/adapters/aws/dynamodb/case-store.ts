import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Case, CASE_FIELDS, CASE_STATES, type TimelineEntry, stateOfStatus } from '../../../domain/case';
import { DomainError, conflict, notFound, preconditionFailed, validationError } from '../../../domain/errors';
import type { AssignmentGuard, CaseQuery, CaseStore, Page, QueueCounts, QueueView, Reference } from '../../../ports';
import type { DocClient } from './client';
import { cursorPartition, encodeCursor, invalidCursor, queryPage } from './cursor';
import type { IndexName } from './schema';
import { type Failure, checkReferences, transact } from './transact';
import { pickOrderKey, workloadDelta } from '../../../domain/routing/assignment';

const caseKey = (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' });
const agentKey = (id: string) => ({ pk: `AGENT#${id}`, sk: 'AGENT' });

/** gsi6: the active work of a queue, waiting (no owner) or in progress, in pick order. */
const queuePartition = (queueId: string, view: QueueView) => `${view === 'waiting' ? 'WAITING' : 'WORKING'}#${queueId}`;

type TransactItem = Parameters<typeof transact>[2][number];

/**
 * The open-case count updates a case write carries: ADD on each agent item whose count moves.
 * The agent must exist. With a guard, the new owner must also be available with free capacity.
 */
function workloadUpdates(table: string, before: Case | null, after: Case, guard?: AssignmentGuard): TransactItem[] {
  return [...workloadDelta(before, after)].map(([agentId, delta]) => {
    const strict = guard?.requireAvailable && delta > 0;
    return {
      Update: {
        TableName: table,
        Key: agentKey(agentId),
        UpdateExpression: 'ADD openCases :d',
        ConditionExpression: strict
          ? 'attribute_exists(pk) AND #presence = :available AND (attribute_not_exists(openCases) OR openCases < #capacity)'
          : 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':d': delta, ...(strict ? { ':available': 'available' } : {}) },
        ...(strict ? { ExpressionAttributeNames: { '#presence': 'presence', '#capacity': 'capacity' } } : {}),
      },
    };
  });
}

/** A reference check on an item the transaction already updates would be a second operation on it. */
const notTouched = (refs: Reference[], items: TransactItem[]) => {
  const touched = new Set(items.map((i) => String((i.Update?.Key as { pk?: string } | undefined)?.pk)));
  return refs.filter((r) => !(r.kind === 'agent' && touched.has(`AGENT#${r.id}`)) && !(r.kind === 'queue' && touched.has(`QUEUE#${r.id}`)));
};

function agentFailure(failures: Failure[], first: number, updates: TransactItem[], c: Case, guard?: AssignmentGuard): Error | undefined {
  const f = failures.find((x) => x.index >= first && x.index < first + updates.length && x.code === 'ConditionalCheckFailed');
  if (!f) return undefined;
  const agentId = String((updates[f.index - first]!.Update!.Key as { pk: string }).pk).slice('AGENT#'.length);
  if (agentId !== c.ownerId) return new DomainError('conflict', `The previous owner ${agentId} is not in the staff directory.`, [], { reason: 'agent-missing', agentId });
  if (!guard?.requireAvailable)
    return validationError('The request refers to records that do not exist.', [{ path: 'ownerId', code: 'unknown_reference', message: `no agent with id '${agentId}'` }]);
  return new DomainError('conflict', 'The agent cannot take this case now: not available, or at capacity.', [{ path: 'ownerId', code: 'agent_unavailable', message: `agent ${agentId} cannot take the case` }], {
    reason: 'agent-unavailable',
    agentId,
  });
}


function caseItem(c: Case) {
  const sortKey = `${c.createdAt}#${c.id}`;
  return {
    ...caseKey(c.id),
    entity: 'case',
    ...c,
    gsi1pk: `CUST#${c.customerId}`,
    gsi1sk: sortKey,
    ...(c.ownerId ? { gsi2pk: `OWNER#${c.ownerId}`, gsi2sk: sortKey } : {}),
    ...(c.queueId ? { gsi3pk: `QUEUE#${c.queueId}`, gsi3sk: sortKey } : {}),
    gsi4pk: `STATE#${c.state}`,
    gsi4sk: sortKey,
    gsi5pk: `TICKET#${c.ticketNumber}`,
    gsi5sk: 'CASE',
    ...(c.state === 'active' && c.queueId ? { gsi6pk: queuePartition(c.queueId, c.ownerId ? 'in_progress' : 'waiting'), gsi6sk: pickOrderKey(c) } : {}),
  };
}

/** Index keys a case has only while owned or queued. */
const OPTIONAL_INDEX_KEYS = ['gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi6pk', 'gsi6sk'];

/** Only the case's own fields, in a stable order; keys and any stray attribute stay behind. */

/** Only the case's own fields, in a stable order; keys and any stray attribute stay behind. */
export function caseFromItem(item: Record<string, unknown>): Case {
  const c: Record<string, unknown> = {};
  for (const k of CASE_FIELDS) c[k] = item[k] ?? null;
  c.tags ??= []; // cases stored before tags existed
  c.slaMarks ??= []; // and before SLA marks
  return c as unknown as Case;
}

function timelineItem(e: TimelineEntry, n: number) {
  return {
    pk: `CASE#${e.caseId}`,
    sk: `TL#${e.at}#${String(n).padStart(3, '0')}#${e.id}`,
    entity: 'timeline',
    ...e,
  };
}

export function timelineFromItem(item: Record<string, unknown>): TimelineEntry {
  const { pk: _pk, sk: _sk, entity: _e, ...rest } = item;
  return rest as unknown as TimelineEntry;
}

/**
 * Which index serves a query best; remaining filters become a FilterExpression. With no
 * selective filter the state index is read state by state: active cases first (newest first),
 * then resolved, then cancelled. There is deliberately no all-cases index: one partition key
 * for every case would cap the table's write rate.
 */
function plan(q: CaseQuery): { index: IndexName; partitions: string[]; rest: Partial<CaseQuery> } {
  const { limit: _l, cursor: _c, ...filters } = q;
  if (q.customerId) return { index: 'gsi1', partitions: [`CUST#${q.customerId}`], rest: { ...filters, customerId: undefined } };
  if (q.ownerId) return { index: 'gsi2', partitions: [`OWNER#${q.ownerId}`], rest: { ...filters, ownerId: undefined } };
  if (q.queueId) return { index: 'gsi3', partitions: [`QUEUE#${q.queueId}`], rest: { ...filters, queueId: undefined } };
  const state = q.state ?? (q.status ? stateOfStatus(q.status) : undefined);
  if (state) return { index: 'gsi4', partitions: [`STATE#${state}`], rest: { ...filters, state: undefined } };
  return { index: 'gsi4', partitions: CASE_STATES.map((s) => `STATE#${s}`), rest: filters };
}

export class DynamoCaseStore implements CaseStore {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
  ) {}

  /**
   * A new case is one PutItem: the entries of its creation travel inside the case item
   * (`creationEntries`) and the timeline reads them from there. No transaction, so a case costs
   * one item write instead of a transactional write of two or more.
   */
  async create(c: Case, entries: TimelineEntry[], refs: Reference[]): Promise<void> {
    const item = { ...caseItem(c), creationEntries: entries };
    const workload = workloadUpdates(this.table, null, c);
    if (workload.length) {
      // a case born with an owner moves their open-case count in the same write
      await transact(
        this.db,
        this.table,
        [{ Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }, ...workload],
        notTouched(refs, workload),
        (failures) => (failures.some((f) => f.index === 0) ? conflict('A case with this id already exists.') : agentFailure(failures, 1, workload, c)),
      );
      return;
    }
    await checkReferences(this.db, this.table, refs);
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw conflict('A case with this id already exists.');
      throw e;
    }
  }

  async get(id: string): Promise<Case | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: caseKey(id) }));
    return out.Item ? caseFromItem(out.Item) : undefined;
  }

  async getByTicket(ticketNumber: string): Promise<Case | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi5',
        KeyConditionExpression: 'gsi5pk = :t',
        ExpressionAttributeValues: { ':t': `TICKET#${ticketNumber}` },
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item ? caseFromItem(item) : undefined;
  }

  /**
   * One transaction: the case's fields are SET (so attributes the store keeps, like
   * creationEntries, survive) conditional on the version read, the new timeline entries are
   * put, owners' open-case counts move, and an automatic assignment moves its queue's cursor.
   */
  async save(c: Case, entries: TimelineEntry[], previous: Case, refs: Reference[], guard?: AssignmentGuard): Promise<void> {
    const { pk: _pk, sk: _sk, ...attrs } = caseItem(c) as Record<string, unknown>;
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': previous.version };
    const sets = Object.entries(attrs).map(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = v ?? null;
      return `#a${i} = :a${i}`;
    });
    const removes = OPTIONAL_INDEX_KEYS.filter((k) => !(k in attrs));
    const workload = workloadUpdates(this.table, previous, c, guard);
    const cursor: TransactItem[] =
      guard?.queueCursor && c.ownerId
        ? [
            {
              Update: {
                TableName: this.table,
                Key: { pk: `QUEUE#${guard.queueCursor}`, sk: 'QUEUE' },
                UpdateExpression: 'SET lastAssignedAgentId = :a',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':a': c.ownerId },
              },
            },
          ]
        : [];
    const extra = [...workload, ...cursor];
    await transact(
      this.db,
      this.table,
      [
        {
          Update: {
            TableName: this.table,
            Key: caseKey(c.id),
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        ...extra,
        ...entries.map((e, n) => ({
          Put: { TableName: this.table, Item: timelineItem(e, n), ConditionExpression: 'attribute_not_exists(pk)' },
        })),
      ],
      notTouched(refs, extra),
      (failures) => {
        const own = failures.find((f) => f.index === 0);
        if (own?.code === 'ConditionalCheckFailed') return own.item ? preconditionFailed(Number(own.item.version)) : notFound('Case');
        const agent = agentFailure(failures, 1, workload, c, guard);
        if (agent) return agent;
        if (failures.some((f) => f.index === 1 + workload.length && cursor.length && f.code === 'ConditionalCheckFailed'))
          return conflict('The queue no longer exists.', [{ path: 'queueId', code: 'unknown_reference', message: `no queue with id '${guard?.queueCursor}'` }]);
        return undefined;
      },
    );
  }

  /** Active cases of a queue from the sparse gsi6, in key (pick) order. */
  async inQueue(queueId: string, view: QueueView, page: { limit: number; cursor?: string }): Promise<Page<Case>> {
    const partition = queuePartition(queueId, view);
    const out = await queryPage(
      this.db,
      { TableName: this.table, IndexName: 'gsi6', KeyConditionExpression: 'gsi6pk = :q', ExpressionAttributeValues: { ':q': partition } },
      partition,
      page.limit,
      page.cursor,
    );
    return { items: out.items.map(caseFromItem), nextCursor: out.nextCursor };
  }

  /**
   * Waiting and in-progress counts, and the oldest waiting case. Reads only the queue's active
   * cases (the sparse index holds nothing else), keys and createdAt only.
   */
  async queueCounts(queueId: string): Promise<QueueCounts> {
    let oldestWaitingAt: string | null = null;
    const query = (view: QueueView): QueryCommandInput => ({
      TableName: this.table,
      IndexName: 'gsi6',
      KeyConditionExpression: 'gsi6pk = :q',
      ExpressionAttributeValues: { ':q': queuePartition(queueId, view) },
    });
    const [waiting, inProgress] = await Promise.all([
      this.count({ ...query('waiting'), ProjectionExpression: 'createdAt' }, (item) => {
        const at = String(item.createdAt);
        if (oldestWaitingAt === null || at < oldestWaitingAt) oldestWaitingAt = at;
      }),
      this.count({ ...query('in_progress'), Select: 'COUNT' }),
    ]);
    return { waiting, inProgress, oldestWaitingAt };
  }

  countOpenOwned(ownerId: string): Promise<number> {
    return this.count({
      TableName: this.table,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :o',
      FilterExpression: '#state = :active',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':o': `OWNER#${ownerId}`, ':active': 'active' },
      Select: 'COUNT',
    });
  }

  /** Counts what a query matches over all its pages (bounded), showing each item to `seen` when items are returned. */
  private async count(input: QueryCommandInput, seen?: (item: Record<string, unknown>) => void): Promise<number> {
    let n = 0;
    let start: Record<string, unknown> | undefined;
    for (let round = 0; round < 1000; round++) {
      const out = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      n += out.Count ?? 0;
      if (seen) for (const item of out.Items ?? []) seen(item);
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    return n;
  }

  async list(q: CaseQuery): Promise<Page<Case>> {
    const { index, partitions, rest } = plan(q);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const filters: string[] = [];
    for (const [field, value] of Object.entries(rest)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      filters.push(`#${field} = :${field}`);
    }
    const base: QueryCommandInput = {
      TableName: this.table,
      IndexName: index,
      KeyConditionExpression: `${index}pk = :p`,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      ...(filters.length ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
    };
    // a cursor names its partition; resume there, then go on to the next partitions in order
    const first = q.cursor ? partitions.indexOf(cursorPartition(q.cursor)) : 0;
    if (first < 0) throw invalidCursor();
    const items: Record<string, unknown>[] = [];
    let nextCursor: string | null = null;
    for (let i = first; i < partitions.length && items.length < q.limit; i++) {
      const p = partitions[i]!;
      const page = await queryPage(this.db, { ...base, ExpressionAttributeValues: { ...values, ':p': p } }, p, q.limit - items.length, i === first ? q.cursor : undefined);
      items.push(...page.items);
      nextCursor = page.nextCursor;
      if (nextCursor) break;
      if (items.length >= q.limit && i + 1 < partitions.length) nextCursor = encodeCursor(partitions[i + 1]!, {});
    }
    return { items: items.map(caseFromItem), nextCursor };
  }

  /**
   * The case partition in key order: the case item (sk `CASE`) first, whose creationEntries open
   * the timeline, then the `TL#` entries in time order. Customers get public entries only.
   */
  async timeline(caseId: string, opts: { publicOnly: boolean; limit: number; cursor?: string }) {
    const partition = `CASE#${caseId}`;
    const base: QueryCommandInput = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': partition, ...(opts.publicOnly ? { ':pub': 'public', ':case': 'case' } : {}) },
      ...(opts.publicOnly ? { FilterExpression: 'visibility = :pub OR entity = :case' } : {}),
    };
    const page = await queryPage(this.db, base, partition, opts.limit, opts.cursor);
    const items = page.items.flatMap((item) =>
      item.sk === 'CASE' ? ((item.creationEntries as TimelineEntry[] | undefined) ?? []) : [timelineFromItem(item)],
    );
    return { items: opts.publicOnly ? items.filter((e) => e.visibility === 'public') : items, nextCursor: page.nextCursor };
  }
}
