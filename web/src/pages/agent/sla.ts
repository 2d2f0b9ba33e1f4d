/** What the SLA screens share: KPI names with their exchange, stage marks, risks and the at-risk windows. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { getAtRiskCounts } from '../../api/endpoints';
import type { AtRiskCounts, KpiName, SlaRisk } from '../../api/types';
import { usePolling } from '../../components/usePolling';
import type { MessageKey, Vars } from '../../i18n';
import { REFRESH_MS } from './queues';

export const KPIS: readonly KpiName[] = ['first_response', 'next_response', 'resolve'];
export const isKpi = (v: unknown): v is KpiName => typeof v === 'string' && (KPIS as readonly string[]).includes(v);

/** "First response", or "Next response, exchange 2" for the clocks that repeat. */
export function kpiLabel(t: (key: MessageKey, vars?: Vars) => string, kpi: string, cycle = 0): string {
  const name = isKpi(kpi) ? t(`sla.kpi.${kpi}`) : kpi;
  return cycle > 0 ? t('sla.kpiCycle', { kpi: name, cycle }) : name;
}

export type Stage = 'warning' | 'breach';

/** `first_response:warning`, `next_response#2:breach` -> its parts; null for anything else. */
export function parseMark(mark: string): { kpi: string; cycle: number; stage: Stage } | null {
  const m = /^([a-z_]+)(?:#(\d+))?:(warning|breach)$/.exec(mark);
  return m ? { kpi: m[1]!, cycle: m[2] ? Number(m[2]) : 0, stage: m[3] as Stage } : null;
}

/** The stages of one clock (KPI and exchange) already acted on, in order. */
export const stagesActedOn = (marks: readonly string[], kpi: string, cycle: number): Stage[] =>
  (['warning', 'breach'] as const).filter((stage) => marks.some((m) => {
    const p = parseMark(m);
    return p !== null && p.kpi === kpi && p.cycle === cycle && p.stage === stage;
  }));

/** Badge colours by meaning (the words say it too): breached red, warning amber, due soon blue. */
export const RISK_BADGE: Record<SlaRisk, string> = {
  breached: 'badge--priority-urgent',
  warning: 'badge--priority-high',
  upcoming: 'badge--state-active',
};

/** The at-risk windows to choose from, in minutes: 1 hour, 4 hours, 1 day, 1 week. */
export const AT_RISK_WINDOWS = [60, 240, 1440, 10080] as const;
export type AtRiskWindow = (typeof AT_RISK_WINDOWS)[number];
export const DEFAULT_WINDOW: AtRiskWindow = 240;
export const windowOf = (v: string | null): AtRiskWindow => AT_RISK_WINDOWS.find((w) => String(w) === v) ?? DEFAULT_WINDOW;

/** Queue id of the cases in no queue, in the at-risk API and in the queue page's address. */
export const NO_QUEUE = 'none';

/**
 * At-risk counts of every queue (and of no queue) for a window, refreshed every 15 s while the
 * page is visible. `of(queueId)` is one queue's counts (null: no queue), undefined until loaded.
 */
export function useAtRiskCounts(withinMinutes: number) {
  const [counts, setCounts] = useState<AtRiskCounts | null>(null);
  const [error, setError] = useState<unknown>(null);
  const inFlight = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    inFlight.current?.abort();
    const ac = new AbortController();
    inFlight.current = ac;
    try {
      const next = await getAtRiskCounts(withinMinutes, ac.signal);
      if (ac.signal.aborted) return;
      setCounts(next);
      setError(null);
    } catch (e) {
      if (!ac.signal.aborted) setError(e);
    }
  }, [withinMinutes]);

  useEffect(() => {
    void load();
    return () => inFlight.current?.abort();
  }, [load]);
  usePolling(() => void load(), REFRESH_MS);

  const current = counts?.withinMinutes === withinMinutes ? counts : null;
  return {
    counts: current,
    error,
    reload: () => void load(),
    of: (queueId: string | null) => current?.queues.find((q) => q.queueId === queueId),
  };
}
