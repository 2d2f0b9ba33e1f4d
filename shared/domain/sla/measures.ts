/**
 * SLA measures for reporting: met and breached counts from stored KPI instances, grouped by one
 * dimension (outcome day, queue, agent, priority) and KPI; and the risk of an open clock. Pure.
 */
import type { KpiInstance } from './instance';
import type { KpiName } from './kpi';

export const MEASURE_DIMENSIONS = ['day', 'queue', 'agent', 'priority'] as const;
export type MeasureDimension = (typeof MEASURE_DIMENSIONS)[number];

export interface MeasureRow {
  /** the day, queue id, agent id or priority; null for no queue / no owner */
  key: string | null;
  kpi: KpiName;
  met: number;
  breached: number;
  total: number;
  /** met / total in percent, one decimal; null when nothing counted */
  metPercent: number | null;
}

const keyOf = (k: KpiInstance, by: MeasureDimension): string | null =>
  by === 'day' ? k.outcomeDay : by === 'queue' ? k.queueId : by === 'agent' ? k.ownerId : k.priority;

/** Rows sorted by key (nulls last) then KPI; instances without an outcome are ignored. */
export function measureRows(instances: readonly KpiInstance[], by: MeasureDimension, kpi?: KpiName): MeasureRow[] {
  const rows = new Map<string, MeasureRow>();
  for (const k of instances) {
    if (!k.outcomeDay || (kpi && k.kpi !== kpi)) continue;
    const met = k.status === 'succeeded';
    if (!met && k.status !== 'noncompliant') continue;
    const key = keyOf(k, by);
    const id = `${key ?? '\uffff'}\u0000${k.kpi}`;
    const row = rows.get(id) ?? { key, kpi: k.kpi, met: 0, breached: 0, total: 0, metPercent: null };
    if (met) row.met++;
    else row.breached++;
    row.total++;
    row.metPercent = Math.round((row.met / row.total) * 1000) / 10;
    rows.set(id, row);
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

export type Risk = 'breached' | 'warning' | 'upcoming';

/** Where an open clock stands at `now`: past its failure time, past its warning time, or still to come. */
export function riskOf(k: Pick<KpiInstance, 'warningAt' | 'failureAt'>, now: Date): Risk {
  const t = now.getTime();
  if (k.failureAt && Date.parse(k.failureAt) <= t) return 'breached';
  if (k.warningAt && Date.parse(k.warningAt) <= t) return 'warning';
  return 'upcoming';
}
