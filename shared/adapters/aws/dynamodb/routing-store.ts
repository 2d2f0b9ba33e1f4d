import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RoutingRule } from '../../../domain/routing';
import type { RoutingStore, RuleSet } from '../../../ports';
import type { DocClient } from './client';
import { putVersioned } from './versioned';

const KEY = { pk: 'ROUTING#rules', sk: 'RULESET' };

/**
 * The routing rule set is one item (ordered rules, a version): saving it is one conditional
 * write, so an edit never interleaves with another and the worker reads a consistent set.
 * 1,000 rules of typical size stay well under DynamoDB's 400 KB item limit.
 */
export class DynamoRoutingStore implements RoutingStore {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
  ) {}

  async getRuleSet(): Promise<RuleSet> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: KEY }));
    if (!out.Item) return { rules: [], version: 0, updatedAt: null, updatedBy: null };
    return {
      rules: out.Item.rules as RoutingRule[],
      version: Number(out.Item.version),
      updatedAt: String(out.Item.updatedAt),
      updatedBy: String(out.Item.updatedBy),
    };
  }

  async saveRuleSet(rules: RoutingRule[], expectedVersion: number, by: string, now: string): Promise<RuleSet> {
    const next: RuleSet = { rules, version: expectedVersion + 1, updatedAt: now, updatedBy: by };
    await putVersioned(this.db, this.table, { ...KEY, entity: 'ruleset', ...next }, expectedVersion, { what: 'rule set' });
    return next;
  }
}
