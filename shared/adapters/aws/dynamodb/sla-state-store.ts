import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { preconditionFailed } from '../../../domain/errors';
import { isWatched } from '../../../domain/sla/instance';
import type { CaseSlaState, KpiInstance, SlaStateStore } from '../../../ports/sla';
import type { DocClient } from './client';
import { queryPage } from './cursor';
import { transact } from './transact';

/**
 * The SLA state of a case lives in its own partition `CASESLA#{caseId}` (so the timeline, which
 * reads the case partition, never sees it): a head item `STATE` (timer generation, the running
 * execution, version) and one item per KPI instance `KPI#{kpi}#{cycle}`. Two sparse indexes,
 * overloading the case indexes' key attributes with their own prefixes:
 * - gsi2 `SLARISK#{queueId|none}` / `{failureAt}#{caseId}#{kpi}#{cycle}`: open, unpaused
 *   instances by failure time (the at-risk view, and what the local runtime re-arms);
 * - gsi3 `SLADAY#{day}` / `{kpi}#{caseId}#{cycle}`: instances met or breached on a UTC day (the measures).
 * Only instances that changed are written; every save is one transaction conditional on the head's version.
 */
const partition = (caseId: string) => `CASESLA#${caseId}`;
const HEAD = 'STATE';
const kpiSk = (k: Pick<KpiInstance, 'kpi' | 'cycle'>) => `KPI#${k.kpi}#${String(k.cycle).padStart(3, '0')}`;


const KPI_FIELDS = [
  'caseId', 'kpi', 'cycle', 'status', 'priority', 'targetMinutes', 'startedAt', 'warningAt', 'failureAt', 'achievedAt', 'elapsedMs', 'pausedMs',
  'policyId', 'ticketNumber', 'title', 'queueId', 'ownerId', 'caseState', 'outcomeDay', 'computedAt',
] as const satisfies readonly (keyof KpiInstance)[];

function kpiItem(k: KpiInstance) {
  return {
    pk: partition(k.caseId),
    sk: kpiSk(k),
    entity: 'sla-kpi',
    ...k,
    ...(isWatched(k) ? { gsi2pk: `SLARISK#${k.queueId ?? 'none'}`, gsi2sk: `${k.failureAt}#${k.caseId}#${k.kpi}#${k.cycle}` } : {}),
    ...(k.outcomeDay ? { gsi3pk: `SLADAY#${k.outcomeDay}`, gsi3sk: `${k.kpi}#${k.caseId}#${k.cycle}` } : {}),
  };
}

export function kpiFromItem(item: Record<string, unknown>): KpiInstance {
  const k: Record<string, unknown> = {};
  for (const f of KPI_FIELDS) k[f] = item[f] ?? null;
  return k as unknown as KpiInstance;
}

const same = (a: KpiInstance, b: KpiInstance) => KPI_FIELDS.every((f) => f === 'computedAt' || JSON.stringify(a[f]) === JSON.stringify(b[f]));

export class DynamoSlaStateStore implements SlaStateStore {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
  ) {}

  async getCaseState(caseId: string): Promise<CaseSlaState> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': partition(caseId) }, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    const head = items.find((i) => i.sk === HEAD);
    const kpis = items.filter((i) => i.entity === 'sla-kpi').map(kpiFromItem);
    if (!head) return { caseId, policyId: null, generation: 0, timer: null, kpis, version: 0, updatedAt: null };
    return {
      caseId,
      policyId: (head.policyId as string | null) ?? null,
      generation: Number(head.generation ?? 0),
      timer: (head.timer as CaseSlaState['timer']) ?? null,
      kpis,
      version: Number(head.version),
      updatedAt: (head.updatedAt as string | null) ?? null,
    };
  }

  async saveCaseState(next: CaseSlaState, previous: CaseSlaState): Promise<void> {
    const before = new Map(previous.kpis.map((k) => [kpiSk(k), k]));
    const after = new Map(next.kpis.map((k) => [kpiSk(k), k]));
    const puts = [...after.entries()]
      .filter(([sk, k]) => !before.has(sk) || !same(before.get(sk)!, k))
      .map(([, k]) => ({ Put: { TableName: this.table, Item: kpiItem(k) } }));
    const deletes = [...before.keys()].filter((sk) => !after.has(sk)).map((sk) => ({ Delete: { TableName: this.table, Key: { pk: partition(next.caseId), sk } } }));
    const { kpis: _k, ...head } = next;
    await transact(
      this.db,
      this.table,
      [
        {
          Put: {
            TableName: this.table,
            Item: { pk: partition(next.caseId), sk: HEAD, entity: 'sla-state', ...head },
            ConditionExpression: previous.version === 0 ? 'attribute_not_exists(pk)' : '#v = :v',
            ...(previous.version === 0 ? {} : { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': previous.version } }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        ...puts,
        ...deletes,
      ],
      [],
      (failures) => {
        const own = failures.find((f) => f.index === 0 && f.code === 'ConditionalCheckFailed');
        return own ? preconditionFailed(Number(own.item?.version ?? 0), 'case SLA state') : undefined;
      },
    );
  }

  async atRisk(queueId: string | null, until: string, page: { limit: number; cursor?: string }) {
    const p = `SLARISK#${queueId ?? 'none'}`;
    const base: QueryCommandInput = {
      TableName: this.table,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :until',
      // the sort key continues after the instant: '#' sorts before every id character
      ExpressionAttributeValues: { ':p': p, ':until': `${until}#~` },
    };
    const out = await queryPage(this.db, base, p, page.limit, page.cursor);
    return { items: out.items.map(kpiFromItem), nextCursor: out.nextCursor };
  }

  async outcomesOn(day: string) {
    const out: KpiInstance[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ TableName: this.table, IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :p', ExpressionAttributeValues: { ':p': `SLADAY#${day}` }, ExclusiveStartKey: start }),
      );
      out.push(...(page.Items ?? []).map(kpiFromItem));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
