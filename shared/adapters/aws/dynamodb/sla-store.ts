import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { nameKey } from '../../../domain/customer';
import { conflict, notFound, preconditionFailed } from '../../../domain/errors';
import type { SlaPolicy } from '../../../domain/sla/policy';
import type { PolicySet, SlaStore, StoredCalendar } from '../../../ports/sla';
import { getEntity, queryAll } from './catalog-store';
import type { DocClient } from './client';
import { plain } from './transact';

const calendarKey = (id: string) => ({ pk: `CALENDAR#${id}`, sk: 'CALENDAR' });
const calendarIndex = (c: StoredCalendar) => ({ gsi1pk: 'CALENDARS', gsi1sk: `${nameKey(c.name)}#${c.id}` });
const POLICIES_KEY = { pk: 'SLA#policies', sk: 'POLICIES' };

export function calendarFromItem(item: Record<string, unknown>): StoredCalendar {
  return {
    id: String(item.id),
    name: String(item.name),
    timeZone: String(item.timeZone),
    week: item.week as StoredCalendar['week'],
    holidays: (item.holidays as StoredCalendar['holidays'] | undefined) ?? [],
    version: Number(item.version ?? 1),
    updatedAt: String(item.updatedAt),
  };
}

/** A failed versioned write: the record is gone (404) or someone saved in between (412). */
const staleOr404 = (item: Record<string, unknown> | undefined) => (item ? preconditionFailed(Number(plain(item).version ?? 1), 'calendar') : notFound('Calendar'));

/**
 * Calendars are one item each (`CALENDAR#{id}`, listed through gsi1 `CALENDARS` by name); the
 * policies are one item (`SLA#policies`) replaced whole, like the routing rule set. Every write
 * is conditional on the version read.
 */
export class DynamoSlaStore implements SlaStore {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
  ) {}

  async createCalendar(c: StoredCalendar) {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.table, Item: { ...calendarKey(c.id), entity: 'calendar', ...c, ...calendarIndex(c) }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw conflict('A calendar with this id already exists.');
      throw e;
    }
  }

  async getCalendar(id: string) {
    const item = await getEntity(this.db, this.table, 'CALENDAR', id);
    return item ? calendarFromItem(item) : undefined;
  }

  async listCalendars() {
    return (await queryAll(this.db, this.table, 'CALENDARS')).map(calendarFromItem);
  }

  async saveCalendar(c: StoredCalendar, expectedVersion: number) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...calendarKey(c.id), entity: 'calendar', ...c, ...calendarIndex(c) },
          ConditionExpression: 'attribute_exists(pk) AND #v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw staleOr404(e.Item as Record<string, unknown> | undefined);
      throw e;
    }
  }

  async deleteCalendar(id: string, expectedVersion: number) {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: calendarKey(id),
          ConditionExpression: 'attribute_exists(pk) AND #v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw staleOr404(e.Item as Record<string, unknown> | undefined);
      throw e;
    }
  }

  async getPolicies(): Promise<PolicySet> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: POLICIES_KEY }));
    if (!out.Item) return { policies: [], version: 0, updatedAt: null, updatedBy: null };
    return {
      policies: out.Item.policies as SlaPolicy[],
      version: Number(out.Item.version),
      updatedAt: String(out.Item.updatedAt),
      updatedBy: String(out.Item.updatedBy),
    };
  }

  async savePolicies(policies: SlaPolicy[], expectedVersion: number, by: string, now: string): Promise<PolicySet> {
    const next: PolicySet = { policies, version: expectedVersion + 1, updatedAt: now, updatedBy: by };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...POLICIES_KEY, entity: 'sla-policies', ...next },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#v = :expected',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) {
        const current = (e.Item?.version as { N?: string } | undefined)?.N;
        throw preconditionFailed(current ? Number(current) : 0, 'SLA policies');
      }
      throw e;
    }
    return next;
  }
}
