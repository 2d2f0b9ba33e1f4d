import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { nameKey } from '../../../domain/customer';
import { conflict } from '../../../domain/errors';
import type { SlaPolicy } from '../../../domain/sla/policy';
import type { PolicySet, SlaStore, StoredCalendar } from '../../../ports/sla';
import { getEntity, queryAll } from './catalog-store';
import type { DocClient } from './client';
import { deleteVersioned, putVersioned } from './versioned';

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
    await putVersioned(this.db, this.table, { ...calendarKey(c.id), entity: 'calendar', ...c, ...calendarIndex(c) }, expectedVersion, { what: 'calendar', notFoundAs: 'Calendar' });
  }

  async deleteCalendar(id: string, expectedVersion: number) {
    await deleteVersioned(this.db, this.table, calendarKey(id), expectedVersion, { what: 'calendar', notFoundAs: 'Calendar' });
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
    await putVersioned(this.db, this.table, { ...POLICIES_KEY, entity: 'sla-policies', ...next }, expectedVersion, { what: 'SLA policies' });
    return next;
  }
}
